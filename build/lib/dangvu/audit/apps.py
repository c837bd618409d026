from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dangvu.audit"
    label = "audit"
