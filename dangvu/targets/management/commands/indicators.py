"""dangvu indicators --root CODE --from DATE --to DATE [--format json|text] [--only CODE …] [--by-unit]
dangvu indicators tally [--years FIRST-LAST] [--on DATE …] [--drop] [--list]"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.domain.vietnamese import fmt_date, fmt_int, parse_date, sort_key
from dangvu.orgs.models import Organization, OrgVersion, valid_on

from ...compare import Compared, compare_by_root
from ...indicators import CATALOGUE
from ...tallies import tallied_days, tallies_build, tallies_drop, year_days


class Command(BaseCommand):
    help = "Các chỉ số công tác xây dựng Đảng của một tổ chức trong một kỳ, so với kế hoạch, chỉ tiêu."

    def add_arguments(self, parser: CommandParser) -> None:
        self.parser = parser  # --root, --from and --to are required unless tallying: told as argparse tells it
        parser.add_argument(
            "action",
            nargs="?",
            choices=["tally"],
            help="tally: đếm sẵn số đảng viên từng tổ chức vào các ngày đầu năm, cuối năm (để tính nhanh cả nước)",
        )
        parser.add_argument("--root", help="mã tổ chức gốc")
        parser.add_argument("--from", dest="start", help="từ ngày (dd/mm/yyyy)")
        parser.add_argument("--to", dest="end", help="đến ngày (dd/mm/yyyy)")
        parser.add_argument("--years", help="tally: các năm, dạng 2021-2025 hoặc 2024 (ngày 1/1 và 31/12 mỗi năm)")
        parser.add_argument("--on", nargs="*", default=[], help="tally: thêm các ngày (dd/mm/yyyy)")
        parser.add_argument("--drop", action="store_true", help="tally: bỏ số đếm sẵn (các ngày ghi, hoặc tất cả)")
        parser.add_argument("--list", action="store_true", help="tally: liệt kê các ngày đã đếm sẵn")
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
        if o["action"] == "tally":
            self._tally(o)
            return
        missing = [f"--{k}" for k, name in (("root", "root"), ("from", "start"), ("to", "end")) if not o[name]]
        if missing:
            self.parser.error(f"the following arguments are required: {', '.join(missing)}")  # said in Vietnamese
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

    def _tally(self, o: dict[str, Any]) -> None:
        """dangvu indicators tally: the members of every unit counted on the first and last days of the years (and
        the days given), kept current afterwards by every change of a member (targets.tallies)."""
        try:
            days = [parse_date(d) for d in o["on"]]
        except ValueError as e:
            raise CommandError(str(e)) from e
        if o["years"]:
            first, _, last = o["years"].partition("-")
            if not (first.strip().isdigit() and (last or first).strip().isdigit()):
                raise CommandError(f"--years '{o['years']}' không hợp lệ: ghi một năm (2024) hoặc hai năm (2021-2025).")
            days += year_days(int(first), int(last or first))
        if o["list"]:
            have = tallied_days()
            self.stdout.write(
                f"Đã đếm sẵn {fmt_int(len(have))} ngày: {', '.join(fmt_date(d) for d in have)}"
                if have
                else "Chưa đếm sẵn ngày nào."
            )
            return
        if o["drop"]:
            n = tallies_drop(days or None)
            self.stdout.write(f"Đã bỏ số đếm sẵn của {fmt_int(n)} ngày.")
            return
        if not days:
            raise CommandError("Cần --years hoặc --on: các ngày cần đếm sẵn.")
        t0 = time.perf_counter()
        rows = tallies_build(days)
        self.stdout.write(
            f"Đã đếm sẵn số đảng viên từng tổ chức vào {fmt_int(len(set(days)))} ngày "
            f"({_first_last(days)}): {fmt_int(rows)} dòng, {fmt_int(round(time.perf_counter() - t0))} giây."
        )


def _first_last(days: list[dt.date]) -> str:
    ds = sorted(set(days))
    return fmt_date(ds[0]) if len(ds) == 1 else f"{fmt_date(ds[0])} – {fmt_date(ds[-1])}"
