"""Benchmark (issue 2): the as-of queries of the foundation, district-size and national.

District-size (generates one district into a fresh database, SQLite by default):

    .venv/bin/python bench/foundation.py district [--postgres] [--members 12000] [--runs 5]

National (an already generated national database, `dangvu generate --profile national`):

    DANGVU_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_national \\
        .venv/bin/python bench/foundation.py national [--runs 3]

Measures, each the median of --runs after one warm-up run:
* members (official + probationary) per grassroots organization as of a date, for one district and, on the
  national data, for the whole country (orgs.queries.members_per_grassroots: one GROUP BY over spans);
* the tree as of a date with its member counts, for one district and for one province (orgs.queries.tree_on);
* the subtree of a district as of a date (orgs.queries.subtree_ids);
* national only: the database size and, as a yardstick, the same national count as a bare SQL query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ON_PAST = dt.date(2016, 12, 31)  # before the 2025 reform: districts exist
ON_TODAY = dt.date(2026, 11, 22)


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    out = fn()  # warm-up: caches, query plans
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def setup(url: str | None) -> None:
    if url:
        os.environ["DANGVU_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()


def fresh_url(postgres: bool) -> str:
    if not postgres:
        return f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS dangvu_bench_foundation")
        c.execute("CREATE DATABASE dangvu_bench_foundation")
    return "postgresql://postgres@127.0.0.1:5432/dangvu_bench_foundation"


def district(args: argparse.Namespace) -> None:
    url = fresh_url(args.postgres)
    setup(url)
    from django.core.management import call_command

    from dangvu.orgs.models import Organization
    from dangvu.orgs.queries import members_per_grassroots, subtree_ids, tree_on
    from dangvu.synth.district import generate

    call_command("migrate", verbosity=0)
    print(f"database: {'PostgreSQL' if args.postgres else 'SQLite (temp file)'}")
    t0 = time.perf_counter()
    s = generate(profile="district", seed=2016, members=args.members, today=ON_TODAY, rate_from=None)
    print(f"generate district ({args.members} members, no reviews, no work records): {time.perf_counter() - t0:.1f} s")
    d = Organization.objects.get(code=s.district_codes[0])
    t, counts = timed(lambda: members_per_grassroots(ON_PAST, d), args.runs)
    print(
        f"members per grassroots organization of the district on {ON_PAST}: {ms(t)} ({len(counts)} organizations, "
        f"{sum(counts.values())} members)"
    )
    # Today the district has ended (01/07/2025): "the commune's grassroots organizations today", largest commune.
    from dangvu.orgs.models import OrgVersion, valid_on

    communes = OrgVersion.objects.filter(valid_on(ON_TODAY), kind="commune").values_list("organization", flat=True)
    c = max(Organization.objects.filter(pk__in=communes), key=lambda o: len(subtree_ids(o, ON_TODAY)))
    t, counts = timed(lambda: members_per_grassroots(ON_TODAY, c, communes_hold_branches=True), args.runs)
    print(
        f"members per grassroots organization of the largest commune ({c.code}) on {ON_TODAY}, the commune's own "
        f"branches included: {ms(t)} ({len(counts)} units, {sum(counts.values())} members)"
    )
    t, ids = timed(lambda: subtree_ids(d, ON_PAST), args.runs)
    print(f"subtree of the district on {ON_PAST}: {ms(t)} ({len(ids)} organizations)")
    t, roots = timed(lambda: tree_on(ON_PAST, d), args.runs)
    print(f"tree of the district with member counts on {ON_PAST}: {ms(t)} ({roots[0].members} members)")


def national(args: argparse.Namespace) -> None:
    setup(None)
    from django.db import connection

    from dangvu.orgs.models import OrgAncestry, OrgVersion, valid_on
    from dangvu.orgs.queries import members_per_grassroots, tree_on

    if connection.vendor != "postgresql":
        sys.exit("national: set DANGVU_DATABASE_URL to the PostgreSQL database holding the national profile")
    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"database size: {cur.fetchone()[0]}")
        cur.execute("SELECT count(*) FROM members_member")
        print(f"people ever admitted: {cur.fetchone()[0]:,}")
    on = ON_TODAY
    t, counts = timed(lambda: members_per_grassroots(on), args.runs)
    print(
        f"national members per grassroots organization on {on}: {ms(t)} ({len(counts):,} organizations, "
        f"{sum(counts.values()):,} members)"
    )
    t, counts = timed(lambda: members_per_grassroots(on, communes_hold_branches=True), args.runs)
    print(
        f"  the same with communes holding their own branches: {ms(t)} ({len(counts):,} units, "
        f"{sum(counts.values()):,} members)"
    )
    # Yardstick: the bare query (same plan family) with no ORM around it.
    sql = """
        SELECT a.ancestor_id, count(*) FROM members_membershipspan s
        JOIN orgs_organcestry a ON a.organization_id = s.organization_id
         AND a.valid_from <= %s AND a.valid_to > %s AND a.ancestor_kind IN ('grassroots_committee','grassroots_branch')
        WHERE s.valid_from <= %s AND s.valid_to > %s GROUP BY a.ancestor_id"""

    def bare() -> int:
        with connection.cursor() as cur:
            cur.execute(sql, [on, on, on, on])
            return len(cur.fetchall())

    try:
        t_bare, n_bare = timed(bare, args.runs)
        print(f"  the bare SQL query: {ms(t_bare)} ({n_bare:,} organizations)")
    except Exception as e:  # the yardstick is informative only
        connection.rollback()
        print(f"  the bare SQL query could not run: {e}")
    # One district (before the reform) and one province (today), the largest of each.
    district_id = (
        OrgVersion.objects.filter(valid_on(ON_PAST), kind="district")
        .order_by("organization__code")
        .values_list("organization_id", flat=True)
        .first()
    )
    province_id = (
        OrgVersion.objects.filter(valid_on(on), kind="province")
        .order_by("organization__code")
        .values_list("organization_id", flat=True)
        .first()
    )
    from dangvu.orgs.models import Organization

    d = Organization.objects.get(pk=district_id)
    p = Organization.objects.get(pk=province_id)
    t, counts = timed(lambda: members_per_grassroots(ON_PAST, d), args.runs)
    print(
        f"one district ({d.code}) members per grassroots organization on {ON_PAST}: {ms(t)} "
        f"({len(counts)} organizations)"
    )
    size = OrgAncestry.objects.on(on).filter(ancestor=p).count()
    t, roots = timed(lambda: tree_on(on, p), args.runs)
    print(
        f"tree of one province ({p.code}, {size:,} organizations) with member counts on {on}: {ms(t)} "
        f"({roots[0].members:,} members)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("profile", choices=["district", "national"])
    ap.add_argument("--postgres", action="store_true", help="district: a fresh PostgreSQL database")
    ap.add_argument("--members", type=int, default=12_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    (district if args.profile == "district" else national)(args)


if __name__ == "__main__":
    main()
