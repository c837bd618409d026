"""Benchmark: review statistics and streaks on the national data set (PostgreSQL), against DuckDB.

    DANGVU_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_national \\
        .venv/bin/python bench/review_national.py [--years 2012-2016] [--runs 3]

Loads yearly results set-based (dangvu.synth.national_reviews) if the year has none, then measures:
national statistics for a year (dangvu.assessment.stats.review_stats with no root), one district's, every
province's at once (review_stats_by_root, what the indicators ask), the national 5-year streak list, and the
same national statistics as one DuckDB query over the same rows exported to Parquet, in the same run.

A closed year's statistics are summed from its tallies (dangvu.assessment.tallies). With --compare, the same
figures are also counted result by result (the tallies removed inside a transaction that is rolled back) and
must be equal; with --retally the year's tallies are written again first, and the time it takes is printed.
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
    ap.add_argument("--compare", action="store_true", help="also count result by result and check equality")
    ap.add_argument("--retally", action="store_true", help="write the last year's tallies again, timed")
    args = ap.parse_args()
    first, last = (int(x) for x in args.years.split("-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from dangvu.assessment.models import Result, ResultTally
    from dangvu.assessment.stats import member_streaks, review_stats, review_stats_by_root
    from dangvu.assessment.tallies import tallies_remove, tallies_write
    from dangvu.orgs.models import OrgVersion
    from dangvu.synth.national_reviews import load_national_reviews

    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only (set DANGVU_DATABASE_URL).")
    missing = [y for y in range(first, last + 1) if not Result.objects.filter(year=y).exists()]
    if missing:
        t = time.perf_counter()
        load_national_reviews(range(min(missing), max(missing) + 1), sys.stdout)
        print(f"load results for {min(missing)}–{max(missing)}: {time.perf_counter() - t:.0f} s")
    if args.retally:
        t = time.perf_counter()
        with transaction.atomic():
            written = tallies_write(year=last)
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {ResultTally._meta.db_table}")
        print(f"tallies of {last} written again: {written:,} rows in {time.perf_counter() - t:.1f} s".replace(",", "."))
    n = Result.objects.filter(year=last).count()
    n_t = ResultTally.objects.filter(year=last).count()
    print(f"results in {last}: {n:,}; tallies: {n_t:,}".replace(",", "."))
    print(f"load average: {open('/proc/loadavg').read().split()[:3]}")
    t_nat, groups = timed(lambda: review_stats(None, last), args.runs)
    print(
        f"national review statistics {last}: {t_nat:.3f} s (median of {args.runs}); members rated "
        f"{groups['members'].rated:,}".replace(",", ".")
    )
    end = dt.date(last, 12, 31)
    provinces = list(
        OrgVersion.objects.filter(kind="province", valid_from__lte=end, valid_to__gt=end).values_list(
            "organization_id", flat=True
        )
    )
    t_prov, by_root = timed(lambda: review_stats_by_root(provinces, last), args.runs)
    print(f"every province's statistics at once ({len(provinces)} provinces): {t_prov:.3f} s")
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
    print(f"load average: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    if args.compare:
        # The same figures counted result by result: the tallies removed in a transaction rolled back afterwards.
        def as_json(groups):  # type: ignore[no-untyped-def]
            return {k: g.as_json() for k, g in groups.items()}

        with transaction.atomic():
            tallies_remove(year=last)
            t_old, old_nat = timed(lambda: review_stats(None, last), 1)
            t_old_prov, old_prov = timed(lambda: review_stats_by_root(provinces, last), 1)
            transaction.set_rollback(True)
        same = as_json(old_nat) == as_json(groups) and all(
            as_json(old_prov[p]) == as_json(by_root[p]) for p in provinces
        )
        print(
            f"counted result by result: national {t_old:.3f} s, every province {t_old_prov:.3f} s; "
            f"the same figures: {'yes' if same else 'NO'}"
        )
        # The DELETE rolled back left the tallies' pages not all-visible: index-only scans need a VACUUM again.
        with connection.cursor() as cur:
            cur.execute(f"VACUUM ANALYZE {ResultTally._meta.db_table}")
        assert same


if __name__ == "__main__":
    main()
