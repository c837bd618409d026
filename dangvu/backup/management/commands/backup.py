"""dangvu backup PATH — the database and the files under var/ the application keeps, in one verified archive."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.audit.services import Actor
from dangvu.backup.services import BackupError, backup_create
from dangvu.domain.vietnamese import fmt_int


def cli_actor() -> Actor:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        user = "?"
    return Actor(f"dòng lệnh ({user})")


def refuse(e: BackupError) -> CommandError:
    if e.detail:  # the PostgreSQL tool's own words, apart from our message
        sys.stderr.write(f"Chi tiết:\n{e.detail}\n")
    return CommandError(e.message)


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (bản chép nhất quán, kể cả khi ứng dụng đang chạy) cùng các tệp ứng dụng giữ trong "
        "var/ (tệp nhập, báo cáo đã lập) vào một tệp .tar.gz có bản kê: số dòng từng bảng, mã SHA-256 từng tệp, "
        "trạng thái cấu trúc dữ liệu, ngày, phiên bản."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            help="tệp sao lưu sẽ ghi (.tar.gz; .tar: không nén), hoặc một thư mục có sẵn: ghi dangvu-NGÀY-GIỜ.tar.gz "
            "trong đó",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = backup_create(path=opts["path"], actor=cli_actor())
        except BackupError as e:
            raise refuse(e) from None
        m = result.manifest
        files = sum(1 for k in m.files if k != m.database)
        self.stdout.write(
            f"Đã ghi {result.path} ({fmt_int(result.size)} byte): {fmt_int(len(m.tables))} bảng, "
            f"{fmt_int(sum(m.tables.values()))} dòng, {fmt_int(files)} tệp trong var/ ({', '.join(m.dirs)})."
        )
        self.stdout.write(f"SHA-256 của tệp sao lưu: {result.sha256}")
