"""Benchmark: a 50.000-row office spreadsheet of members (issue 15, item 2: ≥ 5.000 rows/s) mapped and imported.

    .venv/bin/python bench/mapping_import.py                       # SQLite in a temporary file
    .venv/bin/python bench/mapping_import.py --postgres            # a fresh database (--pg-db, default
                                                                     dangvu_mapping_bench)
    options: --rows 50000 --branches 50 --seed 1

The organizations (a province, a district, a commune committee and its branches) are imported first through the
exchange format. The office's list is then written as an office keeps it: a title and a date above the header, the
headers in the office's own order and wording, the branch by its name, citizen IDs and card numbers as numbers
(leading zeros lost), dates as date cells, as texts ('5/5/2008', '05-05-2008') and as Excel serials. Measured:
reading the header and suggesting the mapping (describe), then import_office — read through the mapping, every
check of the exchange format, and the write in one transaction — each timed; rows/s is rows over the whole.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

HEADER = [
    "STT",
    "Họ và tên",
    "Mã ĐV",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Số CCCD",
    "Số thẻ đảng viên",
    "Ngày vào Đảng",
    "Ngày lễ kết nạp",
    "Ngày chính thức",
    "Chi bộ",
    "Quê quán",
    "Nghề nghiệp",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hương", "Lan", "Minh", "Nam", "Phúc", "Thảo"]
EPOCH = dt.date(1899, 12, 30)


def setup_db(postgres: bool, name: str) -> str:
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


def org_rows(branches: int) -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["T01", "Đảng bộ tỉnh Thử", "Đảng bộ tỉnh, thành phố", "Khác", "", "01/01/1960", "", ""],
        ["H01", "Đảng bộ huyện Thử", "Đảng bộ quận, huyện, thị xã", "Khác", "T01", "01/01/1960", "", ""],
        ["C01", "Đảng bộ xã Thử", "Đảng bộ cơ sở", "Xã, phường, thị trấn", "H01", "01/01/1960", "", ""],
    ]
    for b in range(1, branches + 1):
        rows.append([f"B{b:02d}", f"Chi bộ Thôn {b}", "Chi bộ trực thuộc", "Khu dân cư", "C01", "01/01/1960", "", ""])
    return rows


def office_rows(n: int, branches: int, seed: int) -> list[list[Any]]:
    rnd = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rnd.randrange(0, 18_000))
        admitted = birth + dt.timedelta(days=19 * 366 + rnd.randrange(0, 9000))
        admitted = min(admitted, dt.date(2024, 6, 30))
        ceremony = admitted + dt.timedelta(days=rnd.randrange(5, 25))
        ceremony = ceremony.replace(day=min(ceremony.day, 28))
        recognized = ceremony.replace(year=ceremony.year + 1)  # 12 months of probation (Điều lệ Đảng, Điều 5)
        # Dates as offices type them: date cells, texts in two writings, Excel serial numbers.
        style = i % 4
        if style == 0:
            shown: Any = birth
        elif style == 1:
            shown = f"{birth.day}/{birth.month}/{birth.year}"
        elif style == 2:
            shown = birth.strftime("%d-%m-%Y")
        else:
            shown = (birth - EPOCH).days
        out.append(
            [
                i,
                f"{rnd.choice(SURNAMES)} Văn {rnd.choice(GIVEN)}",
                f"M{i:06d}",
                rnd.choice(["Nam", "Nữ", "nam", "NỮ"]),
                shown,
                "Kinh",
                int(f"001{i:09d}"),  # a number: its two leading zeros are gone
                i + 1_000_000 if i % 2 else None,  # 8 digits; half the members have a card number
                admitted,
                ceremony,
                recognized if recognized < dt.date(2025, 1, 1) else None,
                f"Chi bộ Thôn {rnd.randrange(1, branches + 1)}",
                "Xã Thử, huyện Thử",
                rnd.choice(["Nông dân", "Giáo viên", "Công chức", "Hưu trí"]),
            ]
        )
    return out


def write_office(path: Path, rows: list[list[Any]]) -> Path:
    from dangvu.imports import xlsx

    ws = xlsx.Worksheet("Danh sách", widths=[14] * len(HEADER), freeze_header=False)
    plain = [xlsx.PLAIN] * len(HEADER)
    ws.append(["DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ XÃ THỬ"], [xlsx.PLAIN])
    ws.append(["(có đến 30/6/2025)"], [xlsx.PLAIN])
    ws.append(HEADER, [xlsx.HEADER] * len(HEADER))
    for r in rows:
        ws.append(r, [xlsx.DATE if isinstance(v, dt.date) else s for v, s in zip(r, plain, strict=True)])
    xlsx.save([ws], path, stamp=dt.datetime(2025, 6, 30), title="Danh sách")
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--pg-db", default="dangvu_mapping_bench")
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--branches", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    url = setup_db(args.postgres, args.pg_db)
    from fixtures.import_files import OFFICER, rows, xlsx

    from dangvu.imports.format import ORGS
    from dangvu.imports.load import apply, import_path
    from dangvu.imports.mapping_read import SheetMapping, describe, open_office, validate_office
    from dangvu.members.models import Member, MemberEvent

    tmp = Path(tempfile.mkdtemp())
    import_path(xlsx(tmp / "orgs.xlsx", {ORGS: rows(ORGS, org_rows(args.branches))}), actor=OFFICER)
    t = time.perf_counter()
    path = write_office(tmp / "danh-sach.xlsx", office_rows(args.rows, args.branches, args.seed))
    print(f"database: {url.split('@')[-1]}")
    print(
        f"office list: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB, "
        f"written in {time.perf_counter() - t:.1f} s"
    )

    t0, c0 = time.perf_counter(), time.process_time()
    office, problems = open_office(path)
    assert not problems, problems
    d = describe(office)[0]
    mapping = SheetMapping(d["sheet"], d["target"], d["suggested"])
    t1 = time.perf_counter()
    unmapped = [h for i, h in enumerate(d["headers"]) if i not in d["suggested"].values()]
    print(f"mapping suggested in {t1 - t0:.2f} s; headers left unmapped: {unmapped}")
    # import_office's steps, each timed (wall and this process's CPU): read through the mapping and check, then write.
    c1 = time.process_time()
    plan, report, problems = validate_office(path, mappings=[mapping], actor=OFFICER)
    if problems or plan is None:
        sys.exit("\n".join(str(p) for p in problems[:10]))
    t15, c15 = time.perf_counter(), time.process_time()
    report = apply(plan, report, actor=OFFICER)
    plan.close()
    t2 = time.perf_counter()
    total = t2 - t0
    assert report.members == args.rows == Member.objects.count()
    print(
        f"imported {report.members:,} members, {report.member_events:,} events "
        f"(database: {MemberEvent.objects.count():,})"
    )
    print(
        f"CPU: suggest {c1 - c0:.1f} s, read through the mapping + checks {c15 - c1:.1f} s, "
        f"write {time.process_time() - c15:.1f} s; wall: read + checks {t15 - t1:.1f} s, write {t2 - t15:.1f} s"
    )
    print("phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items()))
    cpu = time.process_time() - c0
    print(f"whole (map + read + check + write): {total:.1f} s = {args.rows / total:,.0f} rows/s")
    print(f"this process's CPU time: {cpu:.1f} s = {args.rows / cpu:,.0f} rows per CPU-second")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
