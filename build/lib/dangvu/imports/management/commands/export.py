"""dangvu export --root CODE --as-of DATE PATH — a subtree as of a date, as .xlsx or a CSV directory."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.domain.errors import RuleError
from dangvu.domain.vietnamese import fmt_int, parse_date
from dangvu.imports.export import export_dataset
from dangvu.imports.format import MEMBER_EVENTS, MEMBERS, ORG_EVENTS, ORGS, WORK_SHEETS
from dangvu.imports.workbook import write


class Command(BaseCommand):
    help = (
        "Xuất cây tổ chức dưới một tổ chức vào một ngày, cùng đảng viên và hồ sơ công tác đảng, theo định dạng "
        "trao đổi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root", required=True, help="mã tổ chức gốc")
        parser.add_argument("--as-of", required=True, help="ngày (dd/mm/yyyy hoặc yyyy-mm-dd)")
        parser.add_argument("path", help="tệp .xlsx, hoặc một thư mục để ghi các tệp CSV")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            on = parse_date(opts["as_of"])
        except ValueError as e:
            raise CommandError(str(e)) from None
        t0 = time.perf_counter()
        try:
            exp = export_dataset(opts["root"], on)
        except RuleError as e:
            raise CommandError(e.message) from None
        t1 = time.perf_counter()
        path = write(exp.dataset, opts["path"], stamp=dt.datetime.combine(on, dt.time()))
        t2 = time.perf_counter()
        c = exp.counts()
        self.stdout.write(
            f"Đã ghi {path}: {fmt_int(len({r['code'] for r in exp.dataset[ORGS.slug]}))} tổ chức "
            f"({fmt_int(c[ORGS.slug])} phiên bản), {fmt_int(c[ORG_EVENTS.slug])} sự kiện tổ chức, "
            f"{fmt_int(c[MEMBERS.slug])} đảng viên ({fmt_int(c[MEMBER_EVENTS.slug])} sự kiện)."
        )
        work = ", ".join(f"{s.name} {fmt_int(c[s.slug])}" for s in WORK_SHEETS if c.get(s.slug))
        if work:
            self.stdout.write(f"Công tác đảng: {work}.")
        self.stdout.write(f"Thời gian: đọc {t1 - t0:.1f} s, ghi {t2 - t1:.1f} s ({exp.scope.rounds} vòng mở rộng).")
