"""Benchmark (issue 4): every indicator of the catalogue, compared with plans and targets.

District (generates the demo district with its work records and reviews into a fresh database):

    .venv/bin/python bench/indicators.py district [--postgres] [--runs 3]

National (the national profile on PostgreSQL; it holds organizations, members and, once
bench/review_national.py has run, review results, but no work records):

    DANGVU_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_national \\
        .venv/bin/python bench/indicators.py national [--year 2022] [--runs 3] [--profile-codes] [--per-province]

The members on the year's first and last days are read from the members counted per unit on those days
(targets.tallies, `dangvu indicators tally --years 2022`): built first if missing, timed; both ways of counting
them are timed side by side for the provinces and compared.

The national figure is every indicator for each province of the year (the country has no single root
organization in the records), i.e. the whole country's catalogue, computed in one pass for all provinces
(targets.compare.compare_by_root). Times are medians of --runs after a warm-up. The yardstick, in the same run:
the members at the year's end per province (the largest member indicator) as one DuckDB query over the same
spans and ancestry rows exported to Parquet (--no-duckdb to skip).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from foundation import ON_TODAY, fresh_url, setup, timed


def district(args: argparse.Namespace) -> None:
    setup(fresh_url(args.postgres))
    from django.core.management import call_command

    from dangvu.orgs.models import Organization
    from dangvu.synth.district import generate
    from dangvu.targets.compare import compare

    call_command("migrate", verbosity=0)
    print(f"database: {'PostgreSQL' if args.postgres else 'SQLite (temp file)'}")
    t0 = time.perf_counter()
    s = generate(profile="district", seed=2016, today=ON_TODAY, rate_from=2012, work=True)
    print(f"generate the demo district with reviews 2012–2025 and work records: {time.perf_counter() - t0:.1f} s")
    d = Organization.objects.get(code=s.district_codes[0])
    for label, start, end in (
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2010–today", dt.date(2010, 1, 1), ON_TODAY),
    ):
        t, rows = timed(lambda a=start, b=end: compare(d, a, b), args.runs)  # type: ignore[misc]
        print(f"all {len(rows)} indicators for the district, {label}: {t * 1000:.0f} ms")


def national(args: argparse.Namespace) -> None:
    setup(None)
    from django.db import connection

    from dangvu.assessment.models import Result
    from dangvu.orgs.models import Organization, OrgVersion, valid_on
    from dangvu.targets.compare import compare_by_root

    start, end = dt.date(args.year, 1, 1), dt.date(args.year, 12, 31)
    ids = OrgVersion.objects.filter(valid_on(end), kind="province").values_list("organization_id", flat=True)
    provinces = list(Organization.objects.filter(pk__in=ids).order_by("code"))
    rated = Result.objects.filter(year=args.year, member__isnull=False).count()
    print(f"database: {connection.vendor}; {len(provinces)} provinces on {end}; {rated} members rated in {args.year}")
    if not rated:
        y = args.year
        print(f"  (no review results for {y}: load them with bench/review_national.py --years {y}-{y})")

    # Members on the period's first and last days are read from the members counted per unit on those days
    # (targets.tallies) once `dangvu indicators tally --years Y` has counted them: built here if missing (timed).
    # Both ways are timed for the provinces, and compared.
    from dangvu.targets.tallies import is_tallied, members_counted, members_tallied, tallies_build

    missing = [d for d in (start, end) if not is_tallied(d)]
    if missing:
        t0 = time.perf_counter()
        rows = tallies_build(missing)
        took = time.perf_counter() - t0
        print(
            f"members per unit counted on {', '.join(map(str, missing))} (targets.tallies): {rows} rows, {took:.1f} s"
        )
    ids_ = [p.pk for p in provinces]
    for day in (start, end):
        t_s, counted = timed(lambda d=day: members_counted(ids_, d), 1)  # type: ignore[misc]
        t_t, tallied = timed(lambda d=day: members_tallied(ids_, d), args.runs)  # type: ignore[misc]
        same = "equal" if counted == tallied else "DIFFERENT"
        print(f"  members on {day} for the {len(ids_)} provinces: spans {t_s:.2f} s, tallies {t_t:.2f} s ({same})")

    # Every indicator for every province: one query per indicator for the whole country (compare_by_root).
    t0 = time.perf_counter()
    compare_by_root(provinces, start, end)
    print(f"first run (cold caches): {time.perf_counter() - t0:.1f} s")
    t, by_root = timed(lambda: compare_by_root(provinces, start, end), args.runs)
    n = sum(len(v) for v in by_root.values())
    print(f"all indicators for the whole country ({len(provinces)} provinces, {n} values), {args.year}: {t:.1f} s")
    # One district of the national data set: a single root must not pay for the country.
    district_id = (
        OrgVersion.objects.filter(valid_on(end), kind="district")
        .order_by("organization__code")
        .values_list("organization_id", flat=True)[:1]
    )
    d = Organization.objects.get(pk=district_id[0])
    t_d, _ = timed(lambda: compare_by_root([d], start, end), args.runs)
    print(f"all indicators for one district ({d.code}), {args.year}: {t_d * 1000:.0f} ms")
    if args.profile_codes:
        from dangvu.targets.indicators import CATALOGUE, Ctx

        ctx = Ctx([p.pk for p in provinces], start, end)
        for code, (_label, fn) in CATALOGUE.items():
            t0 = time.perf_counter()
            fn(ctx, code)
            print(f"  {code}: {time.perf_counter() - t0:.2f} s")
    if args.per_province:
        # The yardstick: the same catalogue one province at a time (what the previous stop measured).
        from dangvu.targets.compare import compare

        t0 = time.perf_counter()
        for i, p in enumerate(provinces, 1):
            compare(p, start, end)
            print(f"  {i}/{len(provinces)} {p.code}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        print(f"the same, one province at a time: {time.perf_counter() - t0:.1f} s")
    if args.duckdb:
        duckdb_yardstick(provinces, end, args.runs)
    print(f"load average: {' '.join(open('/proc/loadavg').read().split()[:3])}")


def duckdb_yardstick(provinces: list, end: dt.date, runs: int) -> None:  # type: ignore[type-arg]
    """Members on the last day per province, official and probationary: 'members.end' for the whole country, in
    Đảng vụ and as one DuckDB query over the same rows (spans valid on the day, ancestry rows valid on the day)."""
    import tempfile

    from django.db import connection

    from dangvu.targets.indicators import CATALOGUE, Ctx

    try:
        import duckdb
    except ImportError:
        print("duckdb not installed (pip install '.[bench]'): yardstick skipped")
        return
    ids = [p.pk for p in provinces]
    t_ours, _ = timed(lambda: CATALOGUE["members.end"][1](Ctx(ids, end, end), "members.end"), runs)
    folder = Path(tempfile.mkdtemp())
    day = end.isoformat()
    # The same rows as the indicator reads: every span and the provinces' ancestry rows, filtered by DuckDB.
    exports = {
        "spans": "SELECT organization_id, status, valid_from, valid_to FROM members_membershipspan",
        "ancestry": f"SELECT organization_id, ancestor_id, valid_from, valid_to FROM orgs_organcestry "
        f"WHERE ancestor_id IN ({', '.join(map(str, ids))})",
    }
    db = duckdb.connect()
    db.execute("SET enable_progress_bar = false")
    for name, sql in exports.items():
        csv_path = folder / f"{name}.csv"
        with (
            connection.cursor() as cur,
            csv_path.open("wb") as fh,
            cur.cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV HEADER") as copy,
        ):
            for data in copy:
                fh.write(data)
        db.execute(f"COPY (SELECT * FROM read_csv_auto('{csv_path}')) TO '{folder}/{name}.parquet' (FORMAT parquet)")
        csv_path.unlink()
    query = f"""SELECT a.ancestor_id, s.status, count(*) FROM '{folder}/spans.parquet' s
                JOIN '{folder}/ancestry.parquet' a ON a.organization_id = s.organization_id
                WHERE s.valid_from <= DATE '{day}' AND s.valid_to > DATE '{day}'
                  AND a.valid_from <= DATE '{day}' AND a.valid_to > DATE '{day}' GROUP BY ALL"""
    t_duck, _ = timed(lambda: db.execute(query).fetchall(), runs)
    print(
        f"members at the end per province: Đảng vụ {t_ours:.2f} s, DuckDB over Parquet {t_duck:.3f} s "
        f"(ratio {t_ours / t_duck:.1f}×)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("profile", choices=["district", "national"])
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile-codes", action="store_true", help="national: the time of each indicator")
    ap.add_argument("--per-province", action="store_true", help="national: also one province at a time")
    ap.add_argument("--no-duckdb", dest="duckdb", action="store_false", help="national: skip the DuckDB yardstick")
    args = ap.parse_args()
    (district if args.profile == "district" else national)(args)


if __name__ == "__main__":
    main()
