"""Benchmark (issue 4): every indicator of the catalogue, compared with plans and targets.

District (generates the demo district with its work records and reviews into a fresh database):

    .venv/bin/python bench/indicators.py district [--postgres] [--runs 3]

National (the national profile on PostgreSQL; it holds organizations, members and, once
bench/review_national.py has run, review results, but no work records):

    DANGVU_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_national \\
        .venv/bin/python bench/indicators.py national [--year 2024] [--runs 1]

The national figure is every indicator for each province of the year (the country has no single root
organization in the records), i.e. the whole country's catalogue. Times are medians of --runs after a warm-up.
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
    from dangvu.orgs.models import Organization, OrgVersion, valid_on
    from dangvu.targets.compare import compare

    start, end = dt.date(args.year, 1, 1), dt.date(args.year, 12, 31)
    ids = OrgVersion.objects.filter(valid_on(end), kind="province").values_list("organization_id", flat=True)
    provinces = list(Organization.objects.filter(pk__in=ids).order_by("code"))

    # One pass, province by province (a warm-up pass would double a long run); progress on stderr.
    t0, n = time.perf_counter(), 0
    for i, p in enumerate(provinces, 1):
        n += len(compare(p, start, end))
        print(f"  {i}/{len(provinces)} {p.code}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    t = time.perf_counter() - t0
    print(f"all indicators for the whole country ({len(provinces)} provinces, {n} values), {args.year}: {t:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("profile", choices=["district", "national"])
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    (district if args.profile == "district" else national)(args)


if __name__ == "__main__":
    main()
