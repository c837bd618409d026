"""JIT off for every session of this PostgreSQL database, as a database setting (issue 14, item 5).

Why off: the indicators' and statistics' grouped queries over the whole country are costed above jit_above_cost
and spent 0,5–1,3 s compiling to run a 2 s query (BENCHMARKS.md, Indicators, national). It used to be the libpq
startup option "-c jit=off", which pgbouncer in transaction mode refuses ("unsupported startup parameter:
options"); `ALTER DATABASE … SET` applies it to every new session, through pgbouncer or not
(PostgreSQL documentation, ALTER DATABASE: "the session default for a run-time configuration variable").
Only the database's owner or a superuser may do so: otherwise the migration says what to run and goes on (the
application is correct either way; only the national statistics are slower). SQLite: nothing to do.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, transaction

# The statement runs on the current database whatever its name (the test databases' included).
SET = "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET jit = off', current_database()); END $$"
RESET = "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET jit', current_database()); END $$"


def _alter(schema_editor: Any, sql: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from psycopg import errors

    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cur:
            cur.execute(sql)
    except errors.InsufficientPrivilege:
        name = connection.settings_dict["NAME"]
        print(
            f"\nKhông đủ quyền đặt jit = off cho cơ sở dữ liệu {name} (cần chủ sở hữu hoặc quản trị PostgreSQL). "
            f'Người quản trị chạy: ALTER DATABASE "{name}" SET jit = off; (docs/operations.md).'
        )


def forwards(apps: Any, schema_editor: Any) -> None:
    _alter(schema_editor, SET)


def backwards(apps: Any, schema_editor: Any) -> None:
    _alter(schema_editor, RESET)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
