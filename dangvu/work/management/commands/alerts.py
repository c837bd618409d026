"""dangvu alerts rebuild [--root CODE] [--on DATE]"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.domain.vietnamese import fmt_date, fmt_int, parse_date
from dangvu.orgs.models import Organization
from dangvu.work.due import rebuild


class Command(BaseCommand):
    help = "Tính lại các cảnh báo lưu sẵn (việc đến hạn, quá hạn) từ hồ sơ: sau khi nhập, sinh dữ liệu, hoặc để sửa."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"], help="rebuild: tính lại")
        parser.add_argument("--root", help="mã tổ chức: chỉ tính lại cây tổ chức này (mặc định: tất cả)")
        parser.add_argument("--on", default=None, help="ngày làm mốc (dd/mm/yyyy hoặc yyyy-mm-dd), mặc định hôm nay")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            on = parse_date(opts["on"]) if opts["on"] else dt.date.today()
        except ValueError as e:
            raise CommandError(str(e)) from e
        root = None
        if opts["root"]:
            root = Organization.objects.filter(code=opts["root"]).first()
            if root is None:
                raise CommandError(f"Không có tổ chức mã '{opts['root']}'.")
        t0 = time.perf_counter()
        n = rebuild(root=root, on=on)
        where = f"cây {opts['root']}" if root else "toàn bộ"
        self.stdout.write(
            f"Đã tính lại cảnh báo ({where}, quanh ngày {fmt_date(on)}): {fmt_int(n)} dòng, "
            f"{fmt_int(round(time.perf_counter() - t0))} giây."
        )
