from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "dangvu.assessment"
    label = "assessment"
