"""Benchmark: a district's year of review — decisions, close, statistics — and the same statistics in DuckDB.

    .venv/bin/python bench/review_district.py                 # SQLite in a temp file
    .venv/bin/python bench/review_district.py --postgres      # a fresh database dangvu_bench_review
    options: --members 12000 --year 2024 --runs 5

Prints one line per measure; BENCHMARKS.md records the results with the command.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup_db(postgres: bool) -> str:
    if postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS dangvu_bench_review")
            c.execute("CREATE DATABASE dangvu_bench_review")
        url = "postgresql://postgres@127.0.0.1:5432/dangvu_bench_review"
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ["DANGVU_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def timed(fn, runs: int = 1) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--members", type=int, default=12_000)
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    url = setup_db(args.postgres)
    import random

    from django.db import connection, transaction

    import dangvu.synth.ratings as ratings_mod
    from dangvu.assessment import services
    from dangvu.assessment.models import Result
    from dangvu.assessment.stats import review_stats
    from dangvu.orgs.models import Organization
    from dangvu.synth.district import generate

    print(f"database: {url.split('@')[-1] if args.postgres else 'sqlite (temp file)'}")
    t, s = timed(lambda: generate(profile="district", seed=2016, members=args.members, today=dt.date(2026, 11, 22)))
    print(f"generate district ({args.members} members, no reviews): {t:.1f} s")
    district = Organization.objects.get(code=s.district_codes[0])  # type: ignore[attr-defined]
    # Decide a whole year (members, then branches, partial committees, grassroots), then time the close alone.
    real_close = services.cycle_close
    services_close_time: list[float] = []

    def close_timed(**kw):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        out = real_close(**kw)
        services_close_time.append(time.perf_counter() - t0)
        return out

    ratings_mod.cycle_close = close_timed  # type: ignore[assignment]
    t, _ = timed(lambda: transaction.atomic()(ratings_mod.rate_year)(random.Random(1), district, args.year))
    n_results = Result.objects.filter(year=args.year).count()
    print(f"decide a year ({n_results} results) incl. close: {t:.2f} s; close alone: {services_close_time[0]:.2f} s")
    t_stats, groups = timed(lambda: review_stats(district, args.year), runs=args.runs)
    print(f"review statistics for the district, {args.year}: {t_stats * 1000:.0f} ms (median of {args.runs})")

    # The same statistics in DuckDB over the same rows exported to Parquet.
    try:
        import duckdb
    except ImportError:
        print("duckdb not installed (pip install '.[bench]'): comparison skipped")
        return
    from dangvu.orgs.models import OrgAncestry, OrgVersion, valid_on

    on = dt.date(args.year, 12, 31)
    units = OrgAncestry.objects.on(on).filter(ancestor=district).values("organization_id")
    kinds = dict(
        OrgVersion.objects.filter(valid_on(on), organization_id__in=units).values_list("organization_id", "kind")
    )
    folder = Path(tempfile.mkdtemp())
    with (folder / "results.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["year", "unit_id", "is_member", "level", "not_rated", "exemplary"])
        for row in Result.objects.filter(year=args.year).values_list(
            "year", "unit_id", "member_id", "level", "not_rated", "exemplary"
        ):
            w.writerow([row[0], row[1], int(row[2] is not None), row[3], row[4], int(row[5])])
    with (folder / "units.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit_id", "kind"])
        w.writerows(kinds.items())
    db = duckdb.connect()
    for name in ("results", "units"):
        db.execute(
            f"COPY (SELECT * FROM read_csv_auto('{folder}/{name}.csv')) TO '{folder}/{name}.parquet' (FORMAT parquet)"
        )
    query = f"""
        SELECT CASE WHEN r.is_member = 1 THEN 'members' WHEN u.kind IN ('grassroots_committee','grassroots_branch')
                    THEN 'grassroots' ELSE u.kind END AS grp, r.level, r.not_rated, r.exemplary, count(*)
        FROM '{folder}/results.parquet' r JOIN '{folder}/units.parquet' u USING (unit_id)
        WHERE r.year = {args.year} GROUP BY ALL"""
    t_duck, rows = timed(lambda: db.execute(query).fetchall(), runs=args.runs)
    ratio = t_stats / t_duck
    print(f"same statistics in DuckDB over Parquet: {t_duck * 1000:.1f} ms; ratio Đảng vụ/DuckDB = {ratio:.1f}×")
    duck_members = sum(r[4] for r in rows if r[0] == "members" and r[1])
    assert duck_members == groups["members"].rated, (duck_members, groups["members"].rated)
    connection.close()


if __name__ == "__main__":
    main()
