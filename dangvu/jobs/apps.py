from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "dangvu.jobs"
    label = "jobs"
    verbose_name = "Công việc chạy nền"

    def ready(self) -> None:
        # Each app declares its handlers in its own jobs.py (like admin.py): the worker knows them all without this
        # app importing any of them (no cycle: reports and web depend on jobs, never the reverse).
        autodiscover_modules("jobs")
