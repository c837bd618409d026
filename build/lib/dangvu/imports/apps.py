from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "dangvu.imports"
    label = "imports"
