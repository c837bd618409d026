"""dangvu generate --profile district|province|national --seed N [--members N]"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.domain.vietnamese import fmt_decimal, fmt_int, parse_date
from dangvu.orgs.models import Organization


class Command(BaseCommand):
    help = "Sinh dữ liệu mẫu xác định (cùng hạt giống cho cùng dữ liệu)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--profile",
            choices=["district", "province", "national"],
            default="district",
            help="quy mô: district một huyện (mặc định), province một tỉnh, national toàn quốc (cần PostgreSQL)",
        )
        parser.add_argument(
            "--seed", type=int, default=2016, help="hạt giống: cùng hạt giống cho cùng dữ liệu (mặc định 2016)"
        )
        parser.add_argument("--members", type=int, default=None, help="số đảng viên hiện có (xấp xỉ)")
        parser.add_argument("--today", default=None, help="ngày 'hôm nay' của dữ liệu (mặc định hôm nay)")
        parser.add_argument("--workers", type=int, default=2, help="national: số tiến trình sinh dữ liệu")
        parser.add_argument("--no-work", action="store_true", help="không sinh hồ sơ công tác (kết nạp, kỷ luật …)")
        parser.add_argument("--rate-from", type=int, default=2012, help="xếp loại mẫu từ năm này (0: không xếp loại)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if Organization.objects.exists():
            raise CommandError("Cơ sở dữ liệu đã có dữ liệu; hãy dùng một cơ sở dữ liệu trống.")
        today = parse_date(opts["today"]) if opts["today"] else None
        t0 = time.perf_counter()
        if opts["profile"] == "national":
            from dangvu.synth.national import generate_national

            result = generate_national(
                seed=opts["seed"], members=opts["members"], today=today, workers=opts["workers"], out=self.stdout
            )
            self.stdout.write(str(result))  # the stored alerts are rebuilt inside, beside the foreign keys' checks
        else:
            from dangvu.synth.district import generate

            s = generate(
                profile=opts["profile"],
                seed=opts["seed"],
                members=opts["members"],
                today=today,
                rate_from=opts["rate_from"] or None,
                work=not opts["no_work"],
                progress=lambda m: self.stdout.write(f"  {m}"),
            )
            self.stdout.write(
                f"Đã tạo {fmt_int(s.organizations)} tổ chức, {fmt_int(s.members_planned)} hồ sơ đảng viên; "
                f"tỉnh {s.root_code}, huyện {', '.join(s.district_codes)}."
            )
        self.stdout.write(f"Thời gian: {fmt_decimal(time.perf_counter() - t0, 1)} s")
