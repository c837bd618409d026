"""Benchmark (issue 15, item 1): the default set of statistics tables for one root and date, each directly
subordinate unit's figures included (as the page shows them), and the XLSX workbook.

District (the demo district, `dangvu demo` or `dangvu generate --profile district`, in the database of the URL):

    DANGVU_DATABASE_URL=sqlite:///var/dangvu.sqlite3 .venv/bin/python bench/tables.py district [--runs 3]

Province (the national data set on PostgreSQL, read only; the province with the most members unless --root):

    DANGVU_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_national \\
        .venv/bin/python bench/tables.py national [--root CODE] [--as-of 31/12/2025] [--runs 3]

Times are medians of --runs after a warm-up; per table, the warm-up's time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from foundation import setup, timed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("profile", choices=["district", "national"])
    ap.add_argument("--root", default="")
    ap.add_argument("--as-of", dest="as_of", default="31/12/2025")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--median", action="store_true", help="national: the province of median size, not the largest")
    ap.add_argument("--per-table", action="store_true", help="each table alone first (the members' tables each read)")
    args = ap.parse_args()
    setup(None)
    from django.db import connection
    from django.db.models import Count

    from dangvu.domain.vietnamese import parse_date
    from dangvu.members.models import MembershipSpan
    from dangvu.orgs.models import Organization, OrgVersion, valid_on
    from dangvu.tables.builder import all_tables, build, root_unit
    from dangvu.tables.xlsx import render

    on = parse_date(args.as_of)
    kind = "district" if args.profile == "district" else "province"
    if args.root:
        root = Organization.objects.get(code=args.root)
    elif kind == "district":
        first = OrgVersion.objects.filter(valid_on(on), kind=kind).order_by("organization_id").first()
        if first is None:
            raise SystemExit(f"Không có huyện nào vào ngày {args.as_of}: dùng --as-of hoặc --root.")
        root = first.organization
    else:
        # the province with the most members on the date, or the median one (through the ancestry: one grouped query)
        provinces = list(OrgVersion.objects.filter(valid_on(on), kind=kind).values_list("organization_id", flat=True))
        from dangvu.orgs.queries import tally_by_root

        t = tally_by_root(MembershipSpan.objects.on(on), provinces, unit="organization_id", day=on)
        by_size = sorted(t, key=lambda r: t[r].get((), 0))
        root = Organization.objects.get(pk=by_size[len(by_size) // 2] if args.median else by_size[-1])
    members = MembershipSpan.objects.in_subtree(root, on=on).aggregate(n=Count("*"))["n"]
    tables = all_tables()
    print(f"database: {connection.vendor} ({os.environ.get('DANGVU_DATABASE_URL', 'default')})")
    print(f"root {root.code} {root_unit(root, on).name}: {members} members on {on:%d/%m/%Y}; {len(tables)} tables")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for t in tables if args.per_table else []:
        t0 = time.perf_counter()
        build(root, on, [t])
        print(f"  {t.code:<24} {time.perf_counter() - t0:6.2f} s")
    took, figures = timed(lambda: build(root, on, tables), args.runs)
    print(
        f"the default set with each unit's figures ({len(figures[0].units)} units): {took:.2f} s "
        f"(median of {args.runs})"
    )
    took_x, data = timed(
        lambda: render(build(root, on, tables, by_unit=False), issuer=root_unit(root, on), on=on), args.runs
    )
    print(f"the default set as the XLSX workbook ({len(data) // 1024} KiB): {took_x:.2f} s (median of {args.runs})")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
