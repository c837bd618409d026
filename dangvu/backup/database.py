"""The database half of a backup: a consistent copy out, a whole copy back in, rows counted per table.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the live database page by page under a read
lock, so the copy is one consistent state even while the web application writes. PostgreSQL: `pg_dump -Fc` run in
a snapshot exported by a REPEATABLE READ transaction, in which the rows are also counted, so the manifest's counts
and the dump describe the same instant; restore pipes `pg_restore` into one `psql --single-transaction`, so a
failure leaves the database as it was.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psycopg
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader

# Tables that `dangvu migrate` fills by itself (the migration record, content types, permissions): a database
# holding rows only there is empty for restore.
# The shared cache (settings.SHARED_CACHE_TABLE) holds only expiring rate-limit entries: not data.
FILLED_BY_MIGRATE = frozenset({"django_migrations", "django_content_type", "auth_permission", "dangvu_shared_cache"})


class BackupError(Exception):
    """A refusal or failure, with a Vietnamese message naming the file where there is one."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail  # a tool's own output (pg_dump, psql), shown apart from the message


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {vendor}.")
    return vendor


def connect() -> None:
    """Open the target database, or refuse saying how to create it."""
    try:
        connection.ensure_connection()
    except DatabaseError as e:
        raise BackupError(
            f"Không kết nối được cơ sở dữ liệu {connection.settings_dict['NAME']} (DANGVU_DATABASE_URL). Với "
            "PostgreSQL, tạo cơ sở dữ liệu trước (createdb TÊN) và kiểm tra máy chủ, tài khoản, rồi chạy lại.",
            str(e),
        ) from None


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _not_in_transaction(verb: str) -> None:
    # SQLite's backup API waits forever on a source held by its own open transaction, and refuses a destination
    # in one; PostgreSQL's dump and restore run in other sessions, which would not see uncommitted rows.
    if connection.in_atomic_block:
        raise BackupError(f"Không thể {verb} khi đang trong một giao dịch cơ sở dữ liệu chưa kết thúc.")


# ---------------------------------------------------------------- live database


def _table_names(cur: Any) -> list[str]:
    """The tables a copy holds, listed the same way on both sides of a round trip (SQLite's own sqlite_* tables,
    such as ANALYZE's statistics, are not data; nor are full-text indexes — members_member_fts, migration
    members.0005, and its shadow tables, which hold rows in an empty database and are copied with the file)."""
    if connection.vendor == "sqlite":
        cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
        rows = cur.fetchall()
        virtual = [str(n) for n, sql in rows if str(sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
        return sorted(
            str(n) for n, _ in rows if str(n) not in virtual and not any(str(n).startswith(f"{v}_") for v in virtual)
        )
    else:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(str(r[0]) for r in cur.fetchall())


def _counts(cur: Any) -> tuple[dict[str, int], list[tuple[str, str]]]:
    counts: dict[str, int] = {}
    for n in _table_names(cur):
        cur.execute(f"SELECT COUNT(*) FROM {_quote(n)}")  # a table name from the catalogue, quoted
        counts[n] = int(cur.fetchone()[0])
    migrations: list[tuple[str, str]] = []
    if "django_migrations" in counts:
        cur.execute("SELECT app, name FROM django_migrations")
        migrations = [(str(a), str(n)) for a, n in cur.fetchall()]
    return counts, migrations


def table_counts() -> dict[str, int]:
    """Rows per table of the live database (every table, the framework's included)."""
    with connection.cursor() as cur:
        return _counts(cur)[0]


def non_empty_tables() -> list[str]:
    """Tables holding rows that `dangvu migrate` would not have written: a restore would replace them."""
    return sorted(t for t, n in table_counts().items() if n and t not in FILLED_BY_MIGRATE)


def known_migrations() -> set[tuple[str, str]]:
    """Every migration this version of the code knows (on disk, applied or not)."""
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


# ---------------------------------------------------------------- dump


def dump(target: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Write a consistent copy of the database to target; return its rows per table and applied migrations."""
    _not_in_transaction("sao lưu")
    try:
        if engine() == "sqlite":
            return _sqlite_dump(target)
        return _pg_dump(target)
    except (sqlite3.Error, psycopg.Error) as e:
        raise BackupError("Không đọc được cơ sở dữ liệu để sao lưu.", str(e)) from None


def _sqlite_dump(target: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    connection.ensure_connection()
    dst = sqlite3.connect(target)
    try:
        connection.connection.backup(dst)
        # One self-contained file: the copy must not depend on a -wal file beside it.
        dst.execute("PRAGMA journal_mode=DELETE")
        return _counts(dst.cursor())
    finally:
        dst.close()


def _pg_params() -> dict[str, Any]:
    s = connection.settings_dict
    params = {"dbname": s["NAME"], "user": s["USER"], "password": s["PASSWORD"], "host": s["HOST"], "port": s["PORT"]}
    return {k: str(v) for k, v in params.items() if v}


def _pg_env() -> dict[str, str]:
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({names[k]: v for k, v in _pg_params().items()})
    sslmode = connection.settings_dict.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def require_tools(*names: str) -> dict[str, str]:
    """The PostgreSQL client programs, or a refusal saying how to install them."""
    found = {n: shutil.which(n) for n in names}
    missing = [n for n, p in found.items() if not p]
    if missing:
        raise BackupError(
            f"Không tìm thấy chương trình {', '.join(missing)} của PostgreSQL trên máy này. Cài gói "
            "postgresql-client (apt install postgresql-client) cùng phiên bản chính với máy chủ, rồi chạy lại."
        )
    return {n: str(p) for n, p in found.items()}


def _die_with_parent() -> None:
    """In the child, before exec: Linux sends it SIGKILL if `dangvu` dies (prctl PR_SET_PDEATHSIG). A restore's psql
    outliving a killed `dangvu` committed the database while the files and the audit entry never came (found by
    bench/reliability.py); elsewhere nothing is done."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG


def _run(args: list[str], what: str, **kwargs: Any) -> None:
    proc = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, preexec_fn=_die_with_parent, **kwargs)
    if proc.returncode != 0:
        raise BackupError(f"{what} không thành công (mã thoát {proc.returncode}).", proc.stderr.strip())


def _pg_dump(target: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    tools = require_tools("pg_dump")
    with psycopg.connect(**_pg_params(), autocommit=True) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]  # type: ignore[index]
            counts, migrations = _counts(cur)
            # The dump sees exactly the rows just counted: it imports this transaction's snapshot.
            _run([tools["pg_dump"], "-Fc", f"--snapshot={snapshot}", "-f", str(target)], "pg_dump")
    return counts, migrations


# ---------------------------------------------------------------- load


def load(source: Path, engine_name: str) -> None:
    """Replace the whole database by the copy at source (already verified against its manifest)."""
    _not_in_transaction("khôi phục")
    if engine_name == "sqlite":
        src = sqlite3.connect(source)
        try:
            connection.ensure_connection()
            src.backup(connection.connection)
        except sqlite3.Error as e:
            raise BackupError(f"Không ghi được vào cơ sở dữ liệu SQLite: {e}.") from None
        finally:
            src.close()
        return
    _pg_load(source)


def _pg_load(source: Path) -> None:
    tools = require_tools("pg_restore", "psql")
    tables = connection.introspection.table_names(include_views=False)
    connection.close()  # nothing of ours holds a lock on the tables about to be dropped
    with tempfile.TemporaryDirectory(dir=source.parent) as tmp:
        # The whole script is written first: psql reading a pg_restore that died halfway would commit half a
        # database at end of input.
        script = Path(tmp) / "restore.sql"
        _run(
            [tools["pg_restore"], "--clean", "--if-exists", "--no-owner", "--no-privileges", "-f", str(script),
             str(source)],
            "pg_restore",
        )  # fmt: skip
        prelude = Path(tmp) / "prelude.sql"
        # Tables the dump does not hold (a later migration's) go too: the database becomes the archive's, whole.
        drops: Iterable[str] = (f"DROP TABLE IF EXISTS {_quote(t)} CASCADE;" for t in tables)
        prelude.write_text("\n".join(drops) + "\n", encoding="utf-8")
        args = [tools["psql"], "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
        proc = subprocess.run(
            [*args, "-f", str(prelude), "-f", str(script)],
            env=_pg_env(),
            capture_output=True,
            text=True,
            preexec_fn=_die_with_parent,
        )
    if proc.returncode != 0:
        raise BackupError(
            f"psql không nạp được bản sao (mã thoát {proc.returncode}); cơ sở dữ liệu giữ nguyên như trước.",
            proc.stderr.strip(),
        )
