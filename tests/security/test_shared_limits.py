"""The identifier-conflict limit is shared by every process of the server (issue 13): with gunicorn's workers a
per-process cache gave each worker its own limit, so a person could try N values per worker. The limit lives in
settings.CACHES["shared"] — the database's own table by default — and three separate processes on one database
add up to one limit. Login throttling needs no cache: axes counts failures in the database (its test:
tests/web/test_hardening.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches

from dangvu.members.identifiers import Budget

ROOT = Path(__file__).resolve().parents[2]

# One process: spend one digest for user 7 (or, with "check", print how many it sees and whether exhausted).
SCRIPT = """
import sys, django
django.setup()
from dangvu.members.identifiers import Budget
b = Budget(7)
if sys.argv[1] == "check":
    print(len(b.seen), b.exhausted)
else:
    b.spend({sys.argv[1]})
"""


def _process(arg: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, arg], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_limit_is_counted_once_across_separate_processes(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dangvu.settings",
        "DANGVU_DATABASE_URL": f"sqlite:///{db}",
        "DANGVU_IDENTIFIER_CONFLICTS": "2",
        "DANGVU_REDIS_URL": "",
    }
    env.pop("DANGVU_VAR_DIR", None)
    made = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "dangvu"), "createcachetable", settings.SHARED_CACHE_TABLE],
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    assert _process("check", env) == "0 False"
    _process("digest-a", env)  # one worker meets a value held outside the person's scope
    _process("digest-b", env)  # another worker meets a second
    # A third process sees both: the person has reached the limit everywhere, not once per worker.
    assert _process("check", env) == "2 True"


@pytest.mark.django_db
def test_the_shared_cache_is_the_databases_table_without_redis() -> None:
    assert settings.CACHES["shared"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    Budget(11).spend({"x"})
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {settings.SHARED_CACHE_TABLE}")
        assert cur.fetchone()[0] == 1
    # A new client of the cache (what another process opens) reads the same entry.
    del caches["shared"]
    assert set(Budget(11).seen) == {"x"}
