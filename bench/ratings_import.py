"""Benchmark: `dangvu assess import` of a province's year of ratings written as an office writes it (rows shuffled).

    .venv/bin/python bench/ratings_import.py                  # SQLite in a temp file
    .venv/bin/python bench/ratings_import.py --postgres       # a fresh database (--pg-db, default dangvu_ratings)
    options: --members-per-unit 87 --districts 10 --grassroots 10 --year 2020 --seed 1

The province is built from raw records (tests/fixtures/ratings_sheet.py: org_establish, members_load), with
10 districts of 10 grassroots committees, their branches and a partial committee each, and grassroots branches:
231 member-holding units of 87 members, 20,097 members by default. The sheet holds one decision and one branch
proposal per member and one decision per unit below the province. Measures the import's wall time (one run: it
writes), the process's peak resident size before and after it, the number of queries, and with --tracemalloc
the peak of Python allocations (tracing slows the import: time it without the flag).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def setup_db(postgres: bool, name: str = "dangvu_ratings") -> str:
    if postgres:
        import psycopg
        from psycopg import sql

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ["DANGVU_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--pg-db", default="dangvu_ratings", help="the PostgreSQL database to drop and create")
    ap.add_argument("--districts", type=int, default=10)
    ap.add_argument("--grassroots", type=int, default=10)
    ap.add_argument("--members-per-unit", type=int, default=87)
    ap.add_argument("--year", type=int, default=2020)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slows the import)")
    args = ap.parse_args()
    url = setup_db(args.postgres, args.pg_db)
    from django.db import connection
    from fixtures.ratings_sheet import ACTOR, build_province, sheet_rows, write_sheet

    from dangvu.assessment.exchange import import_ratings
    from dangvu.assessment.models import Result

    t = time.perf_counter()
    province = build_province(
        "T", districts=args.districts, grassroots=args.grassroots, branches=2, members=args.members_per_unit
    )
    built = time.perf_counter() - t
    rows = sheet_rows(province, args.year)
    random.Random(args.seed).shuffle(rows)
    path = write_sheet(Path(tempfile.mkdtemp()) / "xep_loai.csv", rows)
    print(f"database: {url.split('@')[-1]}")
    print(
        f"province: {len(province.units)} units, {province.member_count} members (built in {built:.1f} s); sheet: "
        f"{len(rows)} rows, {path.stat().st_size // 1024} KB"
    )
    if args.tracemalloc:
        tracemalloc.start()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    queries = [0]

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        report = import_ratings(path, actor=ACTOR)
    wall = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else 0
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert report.errors == [], report.errors[:5]
    assert Result.objects.filter(year=args.year).count() == report.decisions
    print(
        f"import: {report.decisions} decisions, {report.ratings} proposals, {report.cycles_opened} cycles opened in "
        f"{wall:.1f} s; {queries[0]} queries; process peak RSS {rss:.0f} MB (before the import: {rss_before:.0f} MB)"
        + (f"; peak Python allocations {peak / 2**20:.0f} MB (tracemalloc)" if args.tracemalloc else "")
    )


if __name__ == "__main__":
    main()
