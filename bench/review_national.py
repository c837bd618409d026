"""Benchmark: review statistics and streaks on the national data set (PostgreSQL), against DuckDB.

    DANGVU_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_national \\
        .venv/bin/python bench/review_national.py [--years 2012-2016] [--runs 3]

Loads yearly results set-based (dangvu.synth.national_reviews) if the year has none, then measures:
national statistics for a year (dangvu.assessment.stats.review_stats with no root), one district's,
the national 5-year streak list, and the same national statistics as one DuckDB query over the same rows
exported to Parquet.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(fn, runs: int):  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", default="2012-2016")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--streak", type=int, default=0, help="years running for the streak list (default: the years)")
    args = ap.parse_args()
    first, last = (int(x) for x in args.years.split("-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from django.db import connection

    from dangvu.assessment.models import Result
    from dangvu.assessment.stats import member_streaks, review_stats
    from dangvu.orgs.models import OrgVersion
    from dangvu.synth.national_reviews import load_national_reviews

    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only (set DANGVU_DATABASE_URL).")
    missing = [y for y in range(first, last + 1) if not Result.objects.filter(year=y).exists()]
    if missing:
        t = time.perf_counter()
        load_national_reviews(range(min(missing), max(missing) + 1), sys.stdout)
        print(f"load results for {min(missing)}–{max(missing)}: {time.perf_counter() - t:.0f} s")
    n = Result.objects.filter(year=last).count()
    print(f"results in {last}: {n:,}".replace(",", "."))
    t_nat, groups = timed(lambda: review_stats(None, last), args.runs)
    print(
        f"national review statistics {last}: {t_nat:.2f} s (median of {args.runs}); members rated "
        f"{groups['members'].rated:,}".replace(",", ".")
    )
    district = (
        OrgVersion.objects.filter(
            kind="district", valid_from__lte=dt.date(last, 12, 31), valid_to__gt=dt.date(last, 12, 31)
        )
        .select_related("organization")
        .first()
    )
    if district is not None:
        t_d, _ = timed(lambda: review_stats(district.organization, last), args.runs)
        print(f"one district's statistics ({district.name}): {t_d * 1000:.0f} ms")
    streak = args.streak or (last - first + 1)
    t_s, ids = timed(lambda: member_streaks(None, last, streak), args.runs)
    print(
        f"national list of members at the top level {streak} years running: {t_s:.2f} s ({len(ids):,} members)".replace(
            ",", "."
        )
    )
    try:
        import duckdb
    except ImportError:
        print("duckdb not installed (pip install '.[bench]'): comparison skipped")
        return
    folder = Path(tempfile.mkdtemp())
    csv_path = folder / "results.csv"
    with connection.cursor() as cur, csv_path.open("wb") as fh:
        raw = cur.cursor  # psycopg cursor
        with raw.copy(
            f"COPY (SELECT year, unit_kind, member_id IS NOT NULL AS is_member, level, not_rated, exemplary "
            f"FROM assessment_result WHERE year = {last}) TO STDOUT WITH CSV HEADER"
        ) as copy:
            for data in copy:
                fh.write(data)
    db = duckdb.connect()
    db.execute(f"COPY (SELECT * FROM read_csv_auto('{csv_path}')) TO '{folder}/r.parquet' (FORMAT parquet)")
    query = f"""SELECT CASE WHEN is_member THEN 'members'
                            WHEN unit_kind IN ('grassroots_committee', 'grassroots_branch') THEN 'grassroots'
                            ELSE unit_kind END, level, not_rated, exemplary, count(*)
                FROM '{folder}/r.parquet' WHERE year = {last} GROUP BY ALL"""
    t_duck, rows = timed(lambda: db.execute(query).fetchall(), args.runs)
    print(f"same statistics in DuckDB over Parquet: {t_duck:.3f} s; ratio Đảng vụ/DuckDB = {t_nat / t_duck:.1f}×")
    rated = sum(r[4] for r in rows if r[0] == "members" and r[1])
    assert rated == groups["members"].rated, (rated, groups["members"].rated)


if __name__ == "__main__":
    main()
