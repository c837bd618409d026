"""Settings for bench/web_load.py: the web app reading the records of a large data set it must not write to.

Logins, sessions, grants and the audit log live in a small database of the benchmark's own
(DANGVU_DATABASE_URL, migrated here); organizations, members, reviews and work records are read from
DANGVU_RECORDS_URL (e.g. the national set in dangvu_national), which is never migrated nor written.
The split costs the pages nothing measurable: the access check reads the grants once per request
(a list of organization ids) and every scope subquery then runs in the records database.
"""

from __future__ import annotations

import os
from typing import Any

import dj_database_url

from dangvu.settings import *  # noqa: F403
from dangvu.settings import DATABASES

DATABASES["records"] = dj_database_url.parse(os.environ["DANGVU_RECORDS_URL"])
# JIT is off as a setting of the database (migration backup 0001_database_jit_off; for a records database this
# benchmark never migrates, once: ALTER DATABASE … SET jit = off), not as a startup option, which pgbouncer in
# transaction mode refuses (issue 14, item 5).
for db in DATABASES.values():
    # runserver starts a thread per request: a persistent connection would outlive its thread and leak. The pool
    # server (bench/web_serve.py) keeps its threads and sets DANGVU_CONN_MAX_AGE=60.
    db["CONN_MAX_AGE"] = int(os.environ.get("DANGVU_CONN_MAX_AGE", 0))
DATABASE_ROUTERS = ["web_settings.SplitRouter"]
DEBUG = False

# Apps whose rows are the benchmark's own (everything a page writes: sessions, axes, audit entries).
OWN_APPS = {
    "auth",
    "contenttypes",
    "sessions",
    "admin",
    "messages",
    "accounts",
    "axes",
    "otp_totp",
    "audit",
    "reports",
    "imports",
    "web",
    "synth",
    "django_cache",  # the shared cache (the database cache table, issue 14 item 4)
}


class SplitRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        return "default" if model._meta.app_label in OWN_APPS else "records"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        # While web_load.py migrates its own database, the data migrations write there (to empty tables).
        if model._meta.app_label in OWN_APPS or os.environ.get("DANGVU_BENCH_MIGRATING") == "1":
            return "default"
        raise RuntimeError(f"bench: refusing to write {model._meta.label} to the records database")

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


# Errors to the server's stderr (var/web_load_server.log), DEBUG being off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR"}},
}
