"""dangvu indicators --root CODE --from DATE --to DATE [--format json|text] [--only CODE …]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.domain.vietnamese import fmt_date, fmt_decimal, fmt_int, fmt_percent, parse_date
from dangvu.orgs.models import Organization

from ...compare import compare
from ...indicators import CATALOGUE


class Command(BaseCommand):
    help = "Các chỉ số công tác xây dựng Đảng của một tổ chức trong một kỳ, so với kế hoạch, chỉ tiêu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root", required=True)
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--to", dest="end", required=True)
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--only", nargs="*", default=None, help=f"mã chỉ số: {', '.join(sorted(CATALOGUE))}")

    def handle(self, *args: Any, **o: Any) -> None:
        root = Organization.objects.filter(code=o["root"]).first()
        if root is None:
            raise CommandError(f"Không có tổ chức mã '{o['root']}'.")
        try:
            start, end = parse_date(o["start"]), parse_date(o["end"])
        except ValueError as e:
            raise CommandError(str(e)) from e
        unknown = [c for c in (o["only"] or []) if c not in CATALOGUE]
        if unknown:
            raise CommandError(f"Không có chỉ số: {', '.join(unknown)}.")
        rows = compare(root, start, end, o["only"])
        if o["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "root": root.code,
                        "from": start.isoformat(),
                        "to": end.isoformat(),
                        "indicators": [r.as_json() for r in rows],
                    },
                    ensure_ascii=False,
                    indent=1,
                )
            )
            return
        self.stdout.write(f"Chỉ số của {root.code} từ {fmt_date(start)} đến {fmt_date(end)}")
        for r in rows:
            v = r.value
            if "." in v.code and not v.value and not (o["only"] and v.code in o["only"]):
                continue  # a zero breakdown line (admissions of a category, new organizations of a sector)
            shown = (
                fmt_percent(v.value)
                if v.unit == "%"
                else (fmt_int(v.value) if isinstance(v.value, int) else fmt_decimal(v.value, 2))
            )
            self.stdout.write(f"  {v.label}: {shown} {'' if v.unit == '%' else v.unit}".rstrip())
            if r.sentence:
                self.stdout.write(f"      – {r.sentence}")
