"""dangvu template PATH — the empty exchange workbook (or CSV directory) with a sample row per sheet;
dangvu template --docs FILE — the format's documentation (docs/import-format.md), generated from format.py."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.imports.docs import write_docs
from dangvu.imports.template import write_template


class Command(BaseCommand):
    help = "Ghi mẫu nhập liệu: tiêu đề cột, một dòng mẫu mỗi sheet, danh mục giá trị và hướng dẫn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="tệp .xlsx, hoặc một thư mục để ghi các tệp CSV")
        parser.add_argument(
            "--docs", metavar="FILE", help="ghi tài liệu định dạng (Markdown), vd docs/import-format.md"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["path"] and not opts["docs"]:
            raise CommandError("Cần PATH (tệp mẫu) hoặc --docs FILE.")
        if opts["docs"]:
            self.stdout.write(f"Đã ghi tài liệu định dạng {write_docs(opts['docs'])}.")
        if opts["path"]:
            path = write_template(opts["path"])
            self.stdout.write(f"Đã ghi mẫu {path}. Dòng 2 mỗi sheet là dòng mẫu: xóa trước khi nhập dữ liệu thật.")
