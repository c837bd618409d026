"""dangvu restore PATH — verify an archive whole, then put its database and files back (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dangvu.backup.management.commands.backup import cli_actor, refuse
from dangvu.backup.services import BackupError, backup_restore
from dangvu.domain.vietnamese import fmt_int


class Command(BaseCommand):
    help = (
        "Khôi phục từ một tệp sao lưu của dangvu backup: kiểm tra mã SHA-256 mọi tệp và cấu trúc dữ liệu trước khi "
        "ghi gì, khôi phục vào cơ sở dữ liệu trống (hoặc thay dữ liệu hiện có với --force), rồi đối chiếu số dòng "
        "từng bảng và mã SHA-256 từng tệp với bản kê."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="tệp sao lưu (.tar.gz hoặc .tar) do dangvu backup ghi")
        parser.add_argument(
            "--force",
            action="store_true",
            help="thay cả khi cơ sở dữ liệu hoặc var/ đang có dữ liệu (tệp bị thay được cất vào var/.before-restore-…)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = backup_restore(path=opts["path"], actor=cli_actor(), force=opts["force"])
        except BackupError as e:
            raise refuse(e) from None
        m = result.manifest
        files = sum(1 for k in m.files if k != m.database)
        self.stdout.write(
            f"Đã khôi phục bản sao lưu lập lúc {m.created_at} (phiên bản {m.dangvu_version}): "
            f"{fmt_int(len(m.tables))} bảng, {fmt_int(sum(m.tables.values()))} dòng, {fmt_int(files)} tệp; "
            "số dòng và mã SHA-256 khớp bản kê."
        )
        if result.set_aside:
            self.stdout.write(f"Các tệp có trước trong var/ được cất vào {result.set_aside}.")
        if result.migrated:
            self.stdout.write("Bản sao lưu lập bằng phiên bản cũ hơn: đã cập nhật cấu trúc dữ liệu (migrate).")
