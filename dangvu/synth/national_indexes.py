"""The national load's secondary indexes and constraints, rebuilt after the rows are committed, two at a time.

Inside the loading transaction PostgreSQL builds one index after the other (another session cannot see the rows
before they commit), and a GIN index or a small B-tree uses one core. So the load commits first, then:

1. every index — plain, and the unique constraints' own indexes — is built on `parallel` sessions of their own, the
   largest first (CREATE INDEX takes a SHARE lock: two builds on one table run side by side);
2. the unique constraints take their indexes back (ADD CONSTRAINT … USING INDEX: the constraint is the same one
   Django created) and the foreign keys are added NOT VALID (catalog changes, instant);
3. the tables are analyzed, then the foreign keys are validated on the parallel sessions (a full check of every
   row, as before: SHARE UPDATE EXCLUSIVE on the table, ROW SHARE on the one referenced) while the calling thread
   does other work (the stored alerts: reads and an insert into work_due, which none of these locks block).

If anything fails after the commit, `restore_empty` empties the loaded tables and recreates what is missing, so the
database is left as the generator found it: empty, with its whole schema."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

# Per session: the index builds sort in memory rather than on disk (the largest, the spans' covering index,
# sorts 15 million rows). Two sessions at once: 2 GB at most, on a machine that holds the data set in its cache.
MAINTENANCE_WORK_MEM = "1GB"


@dataclass(frozen=True)
class Secondary:
    """What the loaded tables had besides their primary keys, read from the catalog before dropping it."""

    indexes: list[tuple[str, str, str]]  # (name, table, CREATE [UNIQUE] INDEX …) — unique constraints' too
    uniques: list[tuple[str, str]]  # (name, table): constraints that take their index back (USING INDEX)
    uniques_as_is: list[tuple[str, str, str]]  # (name, table, ADD CONSTRAINT …): deferrable ones, added whole
    fks: list[tuple[str, str, str]]  # (name, table, definition)
    drops: list[str] = field(default_factory=list)  # foreign keys first, then unique constraints and indexes


def read_secondary(cur: Any, tables: list[str]) -> Secondary:
    cur.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid), c.condeferrable,
               pg_get_indexdef(c.conindid)
        FROM pg_constraint c
        WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('u', 'f')
          AND NOT (c.contype = 'u' AND EXISTS (
              SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid))
        ORDER BY 1, 2
        """,
        [tables],
    )
    s = Secondary([], [], [], [])
    fk_drops: list[str] = []
    for table, name, kind, definition, deferrable, indexdef in cur.fetchall():
        drop = f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'
        if kind == "f":
            fk_drops.append(drop)
            s.fks.append((name, table, definition))
            continue
        s.drops.append(drop)
        if deferrable:  # USING INDEX cannot make a deferrable constraint: built by the ALTER itself
            s.uniques_as_is.append((name, table, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
        else:
            s.indexes.append((name, table, indexdef))
            s.uniques.append((name, table))
    cur.execute(
        """
        SELECT i.indexrelid::regclass::text, i.indrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
        ORDER BY 1
        """,
        [tables],
    )
    for name, table, definition in cur.fetchall():
        s.drops.append(f"DROP INDEX {name}")
        s.indexes.append((name, table, definition))
    s.drops[:0] = fk_drops  # foreign keys go first
    return s


def _run(sql: str) -> float:
    """One statement on this thread's own session (Django keeps a connection per thread), closed afterwards."""
    t = time.perf_counter()
    try:
        with connection.cursor() as cur:
            cur.execute(f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
            cur.execute(sql)
    finally:
        connection.close()
    return time.perf_counter() - t


def _pages(cur: Any, table: str) -> int:
    cur.execute("SELECT pg_relation_size(%s::regclass) / 8192", [table])
    return int(cur.fetchone()[0])


def rebuild(
    cur: Any,
    s: Secondary,
    *,
    parallel: int = 2,
    analyze: list[str],
    alongside: Callable[[], Any] | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> tuple[dict[str, float], Any]:
    """Build the indexes, attach the constraints, analyze, validate the foreign keys (see the module's docstring).
    `cur` is the calling thread's cursor, outside a transaction (autocommit). Returns each statement's seconds by
    name, and what `alongside` returned (run in the calling thread while the foreign keys are validated)."""
    seconds: dict[str, float] = {}
    pages = {t: _pages(cur, t) for t in {t for _, t, _ in s.indexes}}
    # Largest table first (a GIN index before a B-tree of the same table): the long builds start early, the short
    # ones fill the gaps at the end.
    order = sorted(s.indexes, key=lambda i: (-pages[i[1]], " gin " not in i[2].lower(), i[0]))
    pool = ThreadPoolExecutor(max_workers=max(parallel, 1), thread_name_prefix="dangvu-index")
    try:
        futures: dict[str, Future[float]] = {name: pool.submit(_run, sql) for name, _, sql in order}
        for i, (name, f) in enumerate(futures.items(), 1):
            seconds[name] = f.result()
            progress(f"chỉ mục {i}/{len(futures)}")
        for name, table in s.uniques:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"')
        for name, _, sql in s.uniques_as_is:
            began = time.perf_counter()
            cur.execute(sql)
            seconds[name] = time.perf_counter() - began
        for name, table, definition in s.fks:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID')
        for table in analyze:
            cur.execute(f"ANALYZE {table}")
        checks: dict[str, Future[float]] = {
            name: pool.submit(_run, f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"') for name, table, _ in s.fks
        }
        result = alongside() if alongside is not None else None
        for name, f in checks.items():
            seconds[name] = f.result()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # the builds not started are dropped, the running ones end
        raise
    pool.shutdown(wait=True)
    return seconds, result


def restore_empty(cur: Any, tables: list[str], s: Secondary) -> None:
    """After a failure past the commit: the loaded tables emptied, and every index and constraint that is missing
    created again (on empty tables: instant)."""
    cur.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
    for name, _table, sql in s.indexes:
        cur.execute("SELECT to_regclass(%s) IS NULL", [name])
        if cur.fetchone()[0]:
            cur.execute(sql)
    for name, table in s.uniques:
        if not _has_constraint(cur, table, name):
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"')
    for name, table, sql in s.uniques_as_is:
        if not _has_constraint(cur, table, name):
            cur.execute(sql)
    for name, table, definition in s.fks:
        if not _has_constraint(cur, table, name):
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        else:
            cur.execute(f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"')


def _has_constraint(cur: Any, table: str, name: str) -> bool:
    cur.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s)", [table, name]
    )
    return bool(cur.fetchone()[0])
