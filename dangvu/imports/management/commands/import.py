"""dangvu import PATH — a workbook (.xlsx) or a directory of CSV files, whole or nothing."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.audit.services import Actor
from dangvu.domain.vietnamese import fmt_decimal, fmt_int
from dangvu.imports.format import WORK_SHEETS
from dangvu.imports.load import import_path
from dangvu.imports.read import Refused


def cli_actor() -> Actor:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        user = "?"
    return Actor(f"dòng lệnh ({user})")


class Command(BaseCommand):
    help = (
        "Nhập tổ chức, sự kiện tổ chức, đảng viên, sự kiện đảng viên và hồ sơ công tác đảng từ tệp .xlsx hoặc "
        "thư mục CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="tệp .xlsx hoặc thư mục chứa các tệp CSV")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            report = import_path(opts["path"], actor=cli_actor())
        except Refused as e:
            for p in e.problems:
                self.stderr.write(str(p))
            raise CommandError(f"Không nhập gì: {fmt_int(len(e.problems))} lỗi.") from None
        for note in report.notes:
            self.stdout.write(note)
        c = report.counts()
        self.stdout.write(
            f"Đã nhập {report.file}: {fmt_int(c['organizations'])} tổ chức ({fmt_int(c['versions'])} phiên bản), "
            f"{fmt_int(c['lineage_events'])} sự kiện tổ chức, {fmt_int(c['members'])} đảng viên "
            f"({fmt_int(c['member_events'])} sự kiện)."
        )
        if report.work:
            names = {s.slug: s.name for s in WORK_SHEETS}
            work = ", ".join(f"{names[k]} {fmt_int(n)}" for k, n in report.work.items())
            self.stdout.write(f"Công tác đảng: {work}.")
        times = ", ".join(f"{k} {fmt_decimal(v, 1)} s" for k, v in report.seconds.items())
        self.stdout.write(f"Thời gian: {times}.")
