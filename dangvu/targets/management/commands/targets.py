"""dangvu targets set|plan|term|list: a congress resolution's targets, yearly plans and congress dates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.domain.reports.phrasing import bound_text
from dangvu.domain.targets import Bound, fmt_number
from dangvu.domain.vietnamese import fmt_date, parse_date
from dangvu.orgs.models import Organization

from ...indicators import CATALOGUE
from ...models import Plan, Target, TermProgramme
from ...services import plan_set, target_set, term_dates_set

CLI = Actor("dòng lệnh")
OPS = {"≥": ">=", ">=": ">=", "≤": "<=", "<=": "<=", "=": "="}
PERS = {"năm": Target.Per.YEAR, "year": Target.Per.YEAR, "nhiệm-kỳ": Target.Per.TERM, "term": Target.Per.TERM}


def _org(code: str) -> Organization:
    org = Organization.objects.filter(code=code).first()
    if org is None:
        raise CommandError(f"Không có tổ chức mã '{code}'.")
    return org


def _value(text: str) -> Decimal:
    """'60', '0,03' or '3%' (a share typed as a percentage)."""
    s = text.strip().replace(",", ".")
    try:
        return Decimal(s[:-1]) / 100 if s.endswith("%") else Decimal(s)
    except InvalidOperation:
        raise CommandError(f"Giá trị '{text}' không phải là số (ví dụ 60, 0,95 hoặc 95%).") from None


def _date(text: str | None, what: str) -> Any:
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        raise CommandError(f"{what} '{text}' không hợp lệ (dd/mm/yyyy).") from None


def _term(org: Organization, text: str) -> TermProgramme:
    a, _, b = text.replace("–", "-").partition("-")
    if not (a.strip().isdigit() and b.strip().isdigit()):
        raise CommandError(f"Nhiệm kỳ '{text}' không hợp lệ (ví dụ 2015-2020).")
    p = TermProgramme.objects.filter(organization=org, first_year=int(a), last_year=int(b)).first()
    if p is None:
        raise CommandError(f"Tổ chức '{org.code}' chưa có chương trình toàn khóa nhiệm kỳ {text}.")
    return p


class Command(BaseCommand):
    help = "Chỉ tiêu nghị quyết đại hội, kế hoạch năm và ngày đại hội của một tổ chức."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="VIỆC")
        root_help = "mã tổ chức"
        p = sub.add_parser("set", help="ghi một chỉ tiêu nghị quyết đại hội")
        p.add_argument("--root", required=True, help=root_help)
        p.add_argument("--indicator", required=True, help=f"mã chỉ số: {', '.join(sorted(CATALOGUE))}")
        p.add_argument("--op", default="≥", help="so sánh: ≥ (mặc định), ≤ hoặc =")
        p.add_argument("--value", required=True, help="giá trị: số (60) hoặc tỷ lệ (0,95 hay 95%%)")
        p.add_argument("--per", default="năm", help="tính theo: năm (mặc định) hoặc nhiệm-kỳ")
        p.add_argument("--from", dest="first_year", type=int, required=True, help="năm đầu")
        p.add_argument("--to", dest="last_year", type=int, required=True, help="năm cuối")
        p.add_argument(
            "--of",
            dest="of_indicator",
            default="",
            help="chỉ tiêu tỷ lệ so với chỉ số này (ví dụ members.start: so với số đảng viên đầu năm)",
        )
        p.add_argument("--term", default="", help="nhiệm kỳ của chương trình toàn khóa chứa chỉ tiêu (2015-2020)")
        p.add_argument("--title", default="", help="chỉ tiêu như nghị quyết ghi")
        p = sub.add_parser("plan", help="ghi kế hoạch (hoặc chỉ tiêu cấp trên giao) của một năm")
        p.add_argument("--root", required=True, help=root_help)
        p.add_argument("--indicator", required=True, help="mã chỉ số")
        p.add_argument("--year", type=int, required=True, help="năm")
        p.add_argument("--value", required=True, help="giá trị")
        p.add_argument("--wording", default="kế hoạch", help="cách gọi: kế hoạch (mặc định) hoặc chỉ tiêu")
        p = sub.add_parser("term", help="ghi ngày đại hội mở đầu và ngày đại hội nhiệm kỳ sau của một nhiệm kỳ")
        p.add_argument("--root", required=True, help=root_help)
        p.add_argument("--term", required=True, help="nhiệm kỳ (2015-2020)")
        p.add_argument("--congress", required=True, help="ngày đại hội (dd/mm/yyyy)")
        p.add_argument("--next-congress", default=None, help="ngày đại hội nhiệm kỳ sau (dd/mm/yyyy)")
        p = sub.add_parser("list", help="in các nhiệm kỳ, chỉ tiêu và kế hoạch đã ghi")
        p.add_argument("--root", required=True, help=root_help)

    def handle(self, *args: Any, **o: Any) -> None:
        org = _org(o["root"])
        try:
            getattr(self, f"_{o['action']}")(org, o)
        except RuleError as e:
            raise CommandError(e.message) from e

    def _set(self, org: Organization, o: dict[str, Any]) -> None:
        op = OPS.get(o["op"].strip())
        if op is None:
            raise CommandError(f"So sánh '{o['op']}' không hợp lệ (dùng ≥, ≤ hoặc =).")
        per = PERS.get(o["per"].strip().lower())
        if per is None:
            raise CommandError(f"Tính theo '{o['per']}' không hợp lệ (năm hoặc nhiệm-kỳ).")
        t = target_set(
            organization=org,
            indicator=o["indicator"],
            op=op,
            value=_value(o["value"]),
            per=per,
            first_year=o["first_year"],
            last_year=o["last_year"],
            title=o["title"],
            of_indicator=o["of_indicator"],
            programme=_term(org, o["term"]) if o["term"] else None,
            actor=CLI,
        )
        self.stdout.write(f"Đã ghi chỉ tiêu: {self._target(t)}.")

    def _plan(self, org: Organization, o: dict[str, Any]) -> None:
        p = plan_set(
            organization=org,
            indicator=o["indicator"],
            year=o["year"],
            value=_value(o["value"]),
            wording=o["wording"],
            actor=CLI,
        )
        self.stdout.write(f"Đã ghi {p.wording} năm {p.year}: {CATALOGUE[p.indicator][0]} {fmt_number(p.value)}.")

    def _term(self, org: Organization, o: dict[str, Any]) -> None:
        p = term_dates_set(
            programme=_term(org, o["term"]),
            congress_on=_date(o["congress"], "Ngày đại hội"),
            next_congress_on=_date(o["next_congress"], "Ngày đại hội nhiệm kỳ sau"),
            actor=CLI,
        )
        self.stdout.write(f"Đã ghi nhiệm kỳ {p.term}: {self._dates(p)}.")

    def _list(self, org: Organization, o: dict[str, Any]) -> None:
        for p in TermProgramme.objects.filter(organization=org).order_by("first_year"):
            self.stdout.write(f"Nhiệm kỳ {p.term}: {p.title} ({self._dates(p)})")
        for t in Target.objects.filter(organization=org).order_by("first_year", "indicator"):
            self.stdout.write(f"  Chỉ tiêu: {self._target(t)}")
        for pl in Plan.objects.filter(organization=org).order_by("year", "indicator"):
            label = CATALOGUE[pl.indicator][0] if pl.indicator in CATALOGUE else pl.indicator
            self.stdout.write(f"  {pl.wording.capitalize()} năm {pl.year}: {label} {fmt_number(pl.value)}")

    @staticmethod
    def _dates(p: TermProgramme) -> str:
        t = p.as_term()
        if not t.dated:
            return f"chưa ghi ngày đại hội; tính từ {fmt_date(t.start)} đến {fmt_date(t.end)}"
        nxt = f", đại hội nhiệm kỳ sau ngày {fmt_date(p.next_congress_on)}" if p.next_congress_on else ""
        return f"đại hội ngày {fmt_date(t.start)}{nxt}"

    @staticmethod
    def _target(t: Target) -> str:
        label = CATALOGUE[t.indicator][0] if t.indicator in CATALOGUE else t.indicator
        unit = "%" if t.of_indicator or t.indicator.startswith(("review.", "study.")) else ""
        b = Bound(t.op, t.value)
        said = b.printed(unit)
        if t.of_indicator:
            of = CATALOGUE[t.of_indicator][0] if t.of_indicator in CATALOGUE else t.of_indicator
            said = bound_text(t.op, t.value, "%", relative_to=of[:1].lower() + of[1:])
        return f"{label} {said} {t.get_per_display()} ({t.first_year}–{t.last_year})"
