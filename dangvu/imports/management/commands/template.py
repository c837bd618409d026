"""dangvu template PATH — the empty exchange workbook (or CSV directory) with a sample row per sheet."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dangvu.imports.template import write_template


class Command(BaseCommand):
    help = "Ghi mẫu nhập liệu: tiêu đề cột, một dòng mẫu mỗi sheet, danh mục giá trị và hướng dẫn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="tệp .xlsx, hoặc một thư mục để ghi các tệp CSV")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = write_template(opts["path"])
        self.stdout.write(f"Đã ghi mẫu {path}. Dòng 2 mỗi sheet là dòng mẫu: xóa trước khi nhập dữ liệu thật.")
