from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_shared_cache_table(using: str = "default", **_: Any) -> None:
    """The database table of the shared cache (settings.CACHES["shared"] without Redis), created after every
    migrate — the test databases' included — since `migrate` alone does not create it. Idempotent."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.CACHES.get("shared", {}).get("BACKEND", "").endswith("DatabaseCache"):
        call_command("createcachetable", settings.SHARED_CACHE_TABLE, database=using, verbosity=0)


class BackupConfig(AppConfig):
    name = "dangvu.backup"
    label = "backup"

    def ready(self) -> None:
        # post_migrate is sent once per app with models (this one has none): the handler runs for each and
        # creates the table the first time only.
        post_migrate.connect(create_shared_cache_table, dispatch_uid="dangvu.shared_cache")
