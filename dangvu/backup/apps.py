from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "dangvu.backup"
    label = "backup"
