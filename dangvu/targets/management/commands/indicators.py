"""dangvu indicators --root CODE --from DATE --to DATE [--format json|text] [--only CODE …] [--by-unit]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.domain.vietnamese import fmt_date, parse_date, sort_key
from dangvu.orgs.models import Organization, OrgVersion, valid_on

from ...compare import Compared, compare_by_root
from ...indicators import CATALOGUE


class Command(BaseCommand):
    help = "Các chỉ số công tác xây dựng Đảng của một tổ chức trong một kỳ, so với kế hoạch, chỉ tiêu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root", required=True, help="mã tổ chức gốc")
        parser.add_argument("--from", dest="start", required=True, help="từ ngày (dd/mm/yyyy)")
        parser.add_argument("--to", dest="end", required=True, help="đến ngày (dd/mm/yyyy)")
        parser.add_argument(
            "--format", choices=["text", "json"], default="text", help="text: bảng để đọc (mặc định); json: cho máy"
        )
        parser.add_argument("--only", nargs="*", default=None, help=f"mã chỉ số: {', '.join(sorted(CATALOGUE))}")
        parser.add_argument(
            "--by-unit",
            action="store_true",
            help="thêm từng tổ chức trực thuộc (như ngày cuối kỳ), tính cùng một lượt",
        )

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
        # The units directly under the root on the period's last day, computed in the same pass as the root.
        units = (
            sorted(
                OrgVersion.objects.filter(valid_on(end), parent=root).select_related("organization"),
                key=lambda v: sort_key(v.name),  # Vietnamese order
            )
            if o["by_unit"]
            else []
        )
        got = compare_by_root([root, *(v.organization for v in units)], start, end, o["only"])
        rows = got[root.pk]
        if o["format"] == "json":
            out: dict[str, Any] = {
                "root": root.code,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "indicators": [r.as_json() for r in rows],
            }
            if o["by_unit"]:
                out["units"] = [
                    {
                        "code": v.organization.code,
                        "name": v.name,
                        "indicators": [r.as_json() for r in got[v.organization_id]],
                    }
                    for v in units
                ]
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"Chỉ số của {root.code} từ {fmt_date(start)} đến {fmt_date(end)}")
        self._lines(rows, o["only"], indent="  ")
        for v in units:
            self.stdout.write(f"  {v.organization.code} {v.name}")
            self._lines(got[v.organization_id], o["only"], indent="    ")

    def _lines(self, rows: list[Compared], only: list[str] | None, indent: str) -> None:
        for r in rows:
            v = r.value
            if ("." in v.code or v.code == "free") and not v.value and not (only and v.code in only):
                continue  # a zero breakdown line (admissions of a category, …) or no figure entered by hand
            self.stdout.write(f"{indent}{v.label}: {v.printed()} {'' if v.unit == '%' else v.unit}".rstrip())
            if r.sentence:
                self.stdout.write(f"{indent}    – {r.sentence}")
