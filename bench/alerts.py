"""Benchmark: the dashboard's alerts (work.alerts.alerts) for whole provinces of the national data set.

    DANGVU_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_national \\
        .venv/bin/python bench/alerts.py [--on 2026-11-30] [--provinces T04 T01] [--runs 3]

Median of --runs after a warm-up, with the number of alerts and the time spent in queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from foundation import setup


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--on", default="2026-11-30")
    ap.add_argument("--provinces", nargs="*", default=["T04", "T01"])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    setup(None)
    from django.db import connection

    from dangvu.orgs.models import Organization
    from dangvu.work.alerts import alerts

    on = dt.date.fromisoformat(args.on)
    for code in args.provinces:
        org = Organization.objects.get(code=code)
        found = alerts(org, on)  # warm-up
        times, in_sql = [], []
        for _ in range(args.runs):
            spent = [0.0]

            def wrapper(
                execute: Any, sql: str, params: Any, many: bool, context: Any, spent: list[float] = spent
            ) -> Any:
                t = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    spent[0] += time.perf_counter() - t

            t0 = time.perf_counter()
            with connection.execute_wrapper(wrapper):
                found = alerts(org, on)
            times.append(time.perf_counter() - t0)
            in_sql.append(spent[0])
        print(
            f"alerts for {code} on {on}: {statistics.median(times):.2f} s "
            f"(queries {statistics.median(in_sql):.2f} s), {len(found)} alerts"
        )


if __name__ == "__main__":
    main()
