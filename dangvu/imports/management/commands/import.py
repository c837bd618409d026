"""dangvu import PATH — a workbook (.xlsx) or a directory of CSV files, whole or nothing.

With --list, PATH is an office's own list (.xlsx or .csv, headers in any order and wording): the columns are mapped
from the headers (dangvu.imports.mapping; --map FIELD=HEADER to choose one), --show prints the mapping and the first
rows as they will be read, and the list is checked and written as the exchange format is (mapping_read.py)."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.audit.services import Actor
from dangvu.domain.vietnamese import fmt_decimal, fmt_int
from dangvu.imports.format import WORK_SHEETS
from dangvu.imports.load import Report, import_path
from dangvu.imports.mapping import targets, words
from dangvu.imports.mapping_read import SheetMapping, describe, import_office, open_office, preview
from dangvu.imports.read import Refused
from dangvu.imports.xlsx import col_letter


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
        parser.add_argument(
            "--list", action="store_true", help="tệp là danh sách của đơn vị (tiêu đề cột tùy ý): ghép cột theo tiêu đề"
        )
        parser.add_argument(
            "--sheet", default="", metavar="TÊN", help="với --list: tên sheet (mặc định sheet đầu tiên)"
        )
        parser.add_argument(
            "--target", choices=("members", "events"), default="", help="với --list: danh sách đảng viên hay sự kiện"
        )
        parser.add_argument(
            "--map", action="append", default=[], metavar="TRƯỜNG=TIÊU_ĐỀ", help="với --list: chọn cột cho một trường"
        )
        parser.add_argument("--org", default="", metavar="MÃ", help="với --list: tổ chức của mọi dòng khi không có cột")
        parser.add_argument("--show", action="store_true", help="với --list: chỉ in cách ghép cột và các dòng đầu")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["list"]:
                report = self._office(opts)
                if report is None:
                    return
            else:
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

    def _office(self, opts: dict[str, Any]) -> Report | None:
        office, problems = open_office(opts["path"])
        if problems:
            raise Refused(problems)
        described = {d["sheet"]: d for d in describe(office)}
        sheet = opts["sheet"] or (office.sheets[0].name if office.sheets else "")
        if sheet not in described:
            raise CommandError(f"Không có sheet '{sheet}' trong tệp.")
        d = described[sheet]
        target = targets()[opts["target"] or d["target"]]
        columns = dict(d["suggested"])
        headers = [words(h) for h in d["headers"]]
        for choice in opts["map"]:
            key, _, header = choice.partition("=")
            if not any(f.key == key for f in target.fields):
                known = ", ".join(f.key for f in target.fields)
                raise CommandError(f"Không có trường '{key}' (các trường: {known}).")
            if words(header) not in headers:
                raise CommandError(f"Không có cột tiêu đề '{header}' trong sheet '{sheet}'.")
            columns[key] = headers.index(words(header))
        m = SheetMapping(sheet, target.slug, columns, opts["org"])
        if opts["show"]:
            self.stdout.write(f"{target.label}, sheet '{sheet}', dòng tiêu đề {d.get('header_row', '?')}:")
            for f in target.fields:
                i = columns.get(f.key)
                shown = f"cột {col_letter(i)} '{d['headers'][i]}'" if i is not None else "(chưa chọn)"
                mark = " *" if f.required else ""
                self.stdout.write(f"  {f.label}{mark} [{f.key}]: {shown}")
            labels, rows = preview(office, m)
            self.stdout.write(" | ".join(labels))
            for r in rows:
                self.stdout.write(" | ".join(r))
            return None
        return import_office(opts["path"], mappings=[m], actor=cli_actor())
