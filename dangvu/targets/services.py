"""Changes of state of targets, plans and term dates: one audited transaction each (views, CLI and imports call
these; the exchange import writes the same rows in bulk after the same checks)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from dangvu.audit.services import Actor, audit
from dangvu.domain.errors import RuleError
from dangvu.domain.reports.phrasing import bound_text
from dangvu.domain.targets import Bound, fmt_number
from dangvu.domain.vietnamese import fmt_date, nfc
from dangvu.orgs.models import Organization

from .indicators import CATALOGUE
from .models import Plan, Target, TermProgramme

WORDINGS = ("kế hoạch", "chỉ tiêu")  # Plan.wording: F8 "kế hoạch", F7 "chỉ tiêu"


def _decimal(value: object, field: str) -> Decimal:
    try:
        d = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise RuleError(f"Giá trị '{value}' không phải là số.", field=field) from None
    if not d.is_finite() or d < 0:
        raise RuleError(f"Giá trị '{value}' phải là số không âm.", field=field)
    return d


def _indicator(code: str, field: str) -> str:
    if code not in CATALOGUE:
        raise RuleError(f"Không có chỉ số '{code}' trong danh mục chỉ số.", field=field)
    return code


@transaction.atomic
def target_set(
    *,
    organization: Organization,
    indicator: str,
    op: str,
    value: object,
    per: str,
    first_year: int,
    last_year: int,
    title: str = "",
    of_indicator: str = "",
    programme: TermProgramme | None = None,
    actor: Actor,
) -> Target:
    """Record a target of a congress resolution. A ratio target ("từ 3% trở lên so với số đảng viên đầu năm")
    names the indicator it is a share of and stores the share (0,03)."""
    _indicator(indicator, "indicator")
    if of_indicator:
        _indicator(of_indicator, "of_indicator")
        if of_indicator == indicator:
            raise RuleError("Chỉ tiêu không thể tính theo tỷ lệ so với chính chỉ số đó.", field="of_indicator")
    if op not in (">=", "<=", "="):
        raise RuleError(f"Phép so sánh '{op}' không hợp lệ (dùng ≥, ≤ hoặc =).", field="op")
    if per not in Target.Per.values:
        raise RuleError(f"'{per}' không hợp lệ; dùng: {', '.join(Target.Per.labels)}.", field="per")
    if last_year < first_year:
        raise RuleError(f"Năm cuối {last_year} trước năm đầu {first_year}.", field="last_year")
    v = _decimal(value, "value")
    if of_indicator and v > 1:
        raise RuleError(f"Chỉ tiêu tỷ lệ ghi dạng phân số (0,03 là 3%); {fmt_number(v)} lớn hơn 100%.", field="value")
    if programme is not None and programme.organization_id != organization.pk:
        raise RuleError("Chương trình toàn khóa thuộc tổ chức khác.", field="programme")
    t = Target.objects.create(
        organization=organization,
        programme=programme,
        indicator=indicator,
        op=op,
        value=v,
        per=per,
        first_year=first_year,
        last_year=last_year,
        title=nfc(title),
        of_indicator=of_indicator,
    )
    bound = Bound(op, v)
    said = bound_text(op, v, "%", relative_to=CATALOGUE[of_indicator][0].lower()) if of_indicator else bound.printed("")
    audit(
        actor=actor,
        action="target_set",
        obj=t,
        after={
            "organization_id": organization.pk,
            "indicator": indicator,
            "op": op,
            "value": str(v),
            "per": per,
            "of": of_indicator,
            # What the audit trail says, in words (no code on a reader's screen).
            "said": f"{CATALOGUE[indicator][0].lower()} {said} ({Target.Per(per).label}, {first_year}–{last_year})",
        },
    )
    return t


@transaction.atomic
def plan_set(
    *,
    organization: Organization,
    indicator: str,
    year: int,
    value: object,
    wording: str = "kế hoạch",
    actor: Actor,
) -> Plan:
    """Record (or change) the plan of one year for an indicator."""
    _indicator(indicator, "indicator")
    if nfc(wording) not in WORDINGS:
        raise RuleError(f"Cách gọi '{wording}' không hợp lệ; dùng: {', '.join(WORDINGS)}.", field="wording")
    v = _decimal(value, "value")
    before = Plan.objects.filter(organization=organization, indicator=indicator, year=year).first()
    p, _ = Plan.objects.update_or_create(
        organization=organization,
        indicator=indicator,
        year=year,
        defaults={"value": v, "wording": nfc(wording)},
    )
    audit(
        actor=actor,
        action="plan_set",
        obj=p,
        before={"value": str(before.value)} if before else None,
        after={
            "organization_id": organization.pk,
            "indicator": indicator,
            "year": year,
            "value": str(v),
            "said": f"{CATALOGUE[indicator][0].lower()} năm {year}: {fmt_number(v)}",
        },
    )
    return p


def term_dates_check(first_year: int, congress_on: dt.date | None, next_congress_on: dt.date | None) -> None:
    if congress_on and congress_on.year != first_year:
        raise RuleError(
            f"Ngày đại hội {fmt_date(congress_on)} không thuộc năm đầu nhiệm kỳ ({first_year}).", field="congress_on"
        )
    if next_congress_on and not congress_on:
        raise RuleError("Chưa ghi ngày đại hội mở đầu nhiệm kỳ.", field="congress_on")
    if congress_on and next_congress_on and next_congress_on <= congress_on:
        raise RuleError(
            f"Ngày đại hội nhiệm kỳ sau {fmt_date(next_congress_on)} không sau ngày đại hội {fmt_date(congress_on)}.",
            field="next_congress_on",
        )


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


@transaction.atomic
def term_dates_set(
    *, programme: TermProgramme, congress_on: dt.date | None, next_congress_on: dt.date | None, actor: Actor
) -> TermProgramme:
    """Record the congress dates that open and close a term."""
    term_dates_check(programme.first_year, congress_on, next_congress_on)
    before = {"congress_on": _iso(programme.congress_on), "next_congress_on": _iso(programme.next_congress_on)}
    programme.congress_on, programme.next_congress_on = congress_on, next_congress_on
    programme.save(update_fields=["congress_on", "next_congress_on"])
    audit(
        actor=actor,
        action="term_dates_set",
        obj=programme,
        before=before,
        after={
            "organization_id": programme.organization_id,
            "term": programme.term,
            "congress_on": _iso(congress_on),
            "next_congress_on": _iso(next_congress_on),
        },
    )
    return programme
