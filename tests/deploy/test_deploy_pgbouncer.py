"""Settings that work through pgbouncer in transaction mode, and the replica's alias (issue 14, item 5).

pgbouncer in transaction mode gives each transaction whichever server connection is free: nothing may outlive a
transaction on the server — no startup options (tests/deploy/test_deploy_pg_session.py), no cursor held across
transactions, no prepared statement, no session-level advisory lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

from dangvu.locks import serialize

ROOT = Path(__file__).resolve().parents[2]

# The database settings a process configured from these variables ends up with.
SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.db import connections
out = {}
for alias, db in settings.DATABASES.items():
    out[alias] = {k: db.get(k) for k in ("ENGINE", "HOST", "PORT", "NAME", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS",
                                          "DISABLE_SERVER_SIDE_CURSORS", "OPTIONS", "TEST")}
    if db["ENGINE"].endswith("postgresql"):
        params = connections[alias].get_connection_params()
        out[alias]["prepare_threshold"] = params.get("prepare_threshold", "absent")
out["routers"] = settings.DATABASE_ROUTERS
print(json.dumps(out))
"""


def _settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "dangvu.settings", "DANGVU_VAR_DIR": str(tmp_path)}
    for name in ("DANGVU_DATABASE_URL", "DANGVU_REPLICA_URL", "DANGVU_PGBOUNCER", "DANGVU_PG_OPTIONS"):
        full.pop(name, None)
    full.update(env)
    return subprocess.run(
        [sys.executable, "-c", SETTINGS], env=full, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def _read(tmp_path: Path, **env: str) -> dict[str, dict[str, object]]:
    done = _settings(tmp_path, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_through_pgbouncers_port_server_side_cursors_are_off(tmp_path: Path) -> None:
    db = _read(tmp_path, DANGVU_DATABASE_URL="postgresql://dangvu@10.0.0.5:6432/dangvu")["default"]
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert db["OPTIONS"] == {}  # no startup option: pgbouncer refuses them
    assert db["prepare_threshold"] is None  # no server-side prepared statement (Django's default for psycopg 3)
    assert db["CONN_MAX_AGE"] == 60
    assert db["CONN_HEALTH_CHECKS"] is True  # a pgbouncer restart or a failover costs a reconnect, not an error


def test_dangvu_pgbouncer_says_so_on_any_port(tmp_path: Path) -> None:
    db = _read(tmp_path, DANGVU_DATABASE_URL="postgresql://dangvu@db:5433/dangvu", DANGVU_PGBOUNCER="1")["default"]
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_straight_to_postgresql_server_side_cursors_stay(tmp_path: Path) -> None:
    db = _read(tmp_path, DANGVU_DATABASE_URL="postgresql://dangvu@db:5432/dangvu")["default"]
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is False


def test_a_replica_url_adds_the_replica_alias_mirrored_in_tests(tmp_path: Path) -> None:
    got = _read(
        tmp_path,
        DANGVU_DATABASE_URL="postgresql://dangvu@10.0.0.5:6432/dangvu",
        DANGVU_REPLICA_URL="postgresql://dangvu@10.0.0.6:6432/dangvu",
    )
    replica = got["replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("10.0.0.6", 6432, "dangvu")
    assert replica["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert replica["TEST"]["MIRROR"] == "default"  # type: ignore[index]
    assert got["routers"] == ["dangvu.dbrouting.ReplicaRouter"]


def test_without_a_replica_url_there_is_one_database(tmp_path: Path) -> None:
    got = _read(tmp_path)
    assert [k for k in got if k != "routers"] == ["default"]
    assert str(got["default"]["ENGINE"]).endswith("sqlite3")


def test_a_replica_beside_sqlite_is_refused_in_vietnamese(tmp_path: Path) -> None:
    done = _settings(tmp_path, DANGVU_REPLICA_URL="postgresql://dangvu@10.0.0.6:5432/dangvu")
    assert done.returncode != 0
    assert (
        "DANGVU_REPLICA_URL chỉ dùng được khi cơ sở dữ liệu chính là PostgreSQL (DANGVU_DATABASE_URL=postgresql://…)."
        in done.stderr
    )


def _advisory_locks_held() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        return int(cur.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_a_named_lock_ends_with_its_transaction() -> None:
    """Transaction-level advisory locks: under transaction pooling the next transaction may run on another
    server connection, so a session-level lock would be held by a connection nobody is using."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's writers already run one after the other")
    with transaction.atomic():
        serialize("member_create")
        assert _advisory_locks_held() == 1
    assert _advisory_locks_held() == 0


def test_a_named_lock_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside one"):
        serialize("member_create")
