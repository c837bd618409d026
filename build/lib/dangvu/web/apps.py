from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dangvu.web"
    label = "web"
