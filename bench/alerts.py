"""Benchmark: a province's alerts, computed whole (work.alerts.alerts) and read from the stored rows (work.due),
beside a bare-SQL yardstick (the stored rows' count and first twelve in one hand-written statement).

    DANGVU_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_nat_board \\
        .venv/bin/python bench/alerts.py [--on 2026-12-01] [--provinces T14 T01] [--runs 5] [--rebuild] [--computed]

--rebuild first rebuilds the stored alerts (timed; on a copy of the national set, never on the template).
Median of --runs after a warm-up; the load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from foundation import setup

BARE = """
SELECT count(*), count(*) FILTER (WHERE d.overdue_from <= %(on)s)
FROM work_due d
WHERE d.organization_id IN (
    SELECT a.organization_id FROM orgs_organcestry a
    WHERE a.ancestor_id = %(root)s AND a.valid_from <= %(on)s AND a.valid_to > %(on)s)
  AND d.shows_from <= %(on)s AND d.shows_until > %(on)s
"""


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    got = fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        got = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), got


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--on", default="2026-12-01")
    ap.add_argument("--provinces", nargs="*", default=["T14", "T01"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the stored alerts first (timed)")
    ap.add_argument("--computed", action="store_true", help="also time the alerts computed whole")
    args = ap.parse_args()
    setup(None)
    from django.db import connection

    from dangvu.orgs.models import Organization
    from dangvu.work import due
    from dangvu.work.alerts import alerts
    from dangvu.work.models import Due

    on = dt.date.fromisoformat(args.on)
    if args.rebuild:
        t = time.perf_counter()
        n = due.rebuild(on=on)
        print(f"rebuild: {n} rows in {time.perf_counter() - t:.1f} s (load {os.getloadavg()[0]:.1f})")
    print(f"stored rows: {Due.objects.count()}; covers {on}: {due.covers(on)}")
    for code in args.provinces:
        org = Organization.objects.get(code=code)
        stored, s = timed(lambda org=org: due.summary(org, on), args.runs)

        def page(org: Organization = org) -> list[Any]:
            rows = due.listed(org, on)
            due.kind_groups(rows)
            return due.as_alerts(due.with_names(due.page_rows(rows, on))[:50], on)

        paged, _ = timed(page, args.runs)

        def bare(org: Organization = org) -> Any:
            with connection.cursor() as cur:
                cur.execute(BARE, {"on": on, "root": org.pk})
                return cur.fetchone()

        floor, counted = timed(bare, args.runs)
        assert tuple(counted) == (s.n, s.overdue), (counted, s.n, s.overdue)
        line = (
            f"{code} on {on}: {s.n} alerts ({s.overdue} overdue); stored summary {stored * 1000:.0f} ms, "
            f"alerts page {paged * 1000:.0f} ms, bare SQL count {floor * 1000:.0f} ms"
        )
        if args.computed:
            whole, found = timed(lambda org=org: alerts(org, on), 1)
            line += f", computed whole {whole:.2f} s ({len(found)} alerts)"
        print(f"{line} (load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
