"""Stateless web processes (issue 14, item 4): the default cache is shared by every process of the server — the
database's own table by default, Redis by DANGVU_CACHE_URL (DANGVU_REDIS_URL, its former name, still accepted) — so
what one gunicorn worker caches (the dashboard's figures) another reads, and the "shared" alias is the same cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DANGVU = str(ROOT / ".venv" / "bin" / "dangvu")

# One process: put a value in the default cache, or print what it holds under the key.
SCRIPT = """
import sys, datetime as dt, django
django.setup()
from django.core.cache import cache, caches
if sys.argv[1] == "set":
    cache.set("dangvu:test:k", {"ngày": dt.date(2025, 12, 31), "số": 1382}, 300)
else:
    print(cache.get("dangvu:test:k"), caches["shared"].get("dangvu:test:k") == cache.get("dangvu:test:k"))
"""

# Which cache a process configured from these variables uses (or the error it refuses to start with).
BACKEND = """
import django
django.setup()
from django.conf import settings
print(settings.CACHES["default"]["BACKEND"], settings.CACHES["default"].get("LOCATION"))
print(settings.CACHES["shared"] == settings.CACHES["default"])
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dangvu.settings",
        "DANGVU_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "DANGVU_CACHE_URL": "",
        "DANGVU_REDIS_URL": "",
    }
    env.pop("DANGVU_VAR_DIR", None)
    env.update(extra)
    return env


def _run(code: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_two_processes_see_the_same_value_through_the_default_cache(tmp_path: Path) -> None:
    env = _env(tmp_path)
    made = subprocess.run([DANGVU, "createcachetable"], env=env, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    before = _run(SCRIPT, "get", env=env)
    assert before.returncode == 0, before.stderr
    assert before.stdout.strip() == "None True"
    written = _run(SCRIPT, "set", env=env)  # one worker caches a figure
    assert written.returncode == 0, written.stderr
    read = _run(SCRIPT, "get", env=env)  # another, a separate process, reads it — also under "shared"
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == "{'ngày': datetime.date(2025, 12, 31), 'số': 1382} True"


def test_the_default_cache_is_the_databases_table_without_a_cache_url(tmp_path: Path) -> None:
    done = _run(BACKEND, env=_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == [
        f"django.core.cache.backends.db.DatabaseCache {settings.SHARED_CACHE_TABLE}",
        "True",
    ]


@pytest.mark.parametrize("variable", ["DANGVU_CACHE_URL", "DANGVU_REDIS_URL"])
def test_a_redis_url_selects_redis_for_both_names(tmp_path: Path, variable: str) -> None:
    done = _run(BACKEND, env=_env(tmp_path, **{variable: "redis://127.0.0.1:6379/3"}))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == [
        "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/3",
        "True",
    ]


def test_a_cache_url_that_is_not_redis_is_refused_in_vietnamese(tmp_path: Path) -> None:
    done = _run(BACKEND, env=_env(tmp_path, DANGVU_CACHE_URL="memcached://127.0.0.1:11211"))
    assert done.returncode != 0
    assert (
        "DANGVU_CACHE_URL='memcached://127.0.0.1:11211': cần địa chỉ Redis (redis://máy:cổng/số, rediss://… hoặc "
        "unix://…), hoặc để trống để dùng bảng của chính cơ sở dữ liệu." in done.stderr
    )


@pytest.mark.django_db
def test_the_dashboards_figures_are_kept_in_the_databases_table() -> None:
    from django.core.cache import cache
    from django.db import connection

    cache.set("dangvu:test:row", 41.07, 60)
    with connection.cursor() as cur:
        cur.execute(f"SELECT cache_key FROM {settings.SHARED_CACHE_TABLE}")
        assert [r[0] for r in cur.fetchall()] == [":1:dangvu:test:row"]
