from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "dangvu.work"
    label = "work"
