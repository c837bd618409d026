"""`dangvu targets`: a ratio target, a plan and congress dates entered from the command line, each audited, and
refused in Vietnamese when wrong."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import Actor
from dangvu.targets.models import Plan, Target, TermProgramme
from dangvu.targets.programmes import programme_create

D = dt.date


def run(*args: str) -> str:
    out = StringIO()
    call_command("targets", *args, stdout=out)
    return out.getvalue()


def test_a_ratio_target_a_plan_and_the_congress_dates_are_entered_and_listed(district: Any, actor: Actor) -> None:
    programme_create(
        organization=district.ward,
        term="2015–2020",
        first_year=2015,
        last_year=2020,
        title="Nghị quyết Đại hội lần thứ XXI",
        items={},
        actor=actor,
    )
    said = run(
        "set", "--root", "W", "--indicator", "admissions", "--value", "3%", "--of", "members.start",
        "--from", "2016", "--to", "2020", "--term", "2015-2020",
    )  # fmt: skip
    assert said == (
        "Đã ghi chỉ tiêu: Kết nạp đảng viên mới từ 3% trở lên so với đảng viên đầu kỳ mỗi năm (2016–2020).\n"
    )
    t = Target.objects.get(organization=district.ward)
    assert (t.of_indicator, t.value, t.per, t.programme.term) == ("members.start", Decimal("0.03"), "year", "2015–2020")
    assert run("plan", "--root", "W", "--indicator", "admissions", "--year", "2016", "--value", "12") == (
        "Đã ghi kế hoạch năm 2016: Kết nạp đảng viên mới 12.\n"
    )
    assert Plan.objects.get(organization=district.ward).value == 12
    assert run("term", "--root", "W", "--term", "2015-2020", "--congress", "15/6/2015", "--next-congress",
               "20/7/2020") == (
        "Đã ghi nhiệm kỳ 2015–2020: đại hội ngày 15/6/2015, đại hội nhiệm kỳ sau ngày 20/7/2020.\n"
    )  # fmt: skip
    p = TermProgramme.objects.get(organization=district.ward)
    assert (p.congress_on, p.next_congress_on) == (D(2015, 6, 15), D(2020, 7, 20))
    assert run("list", "--root", "W").splitlines() == [
        "Nhiệm kỳ 2015–2020: Nghị quyết Đại hội lần thứ XXI (đại hội ngày 15/6/2015, đại hội nhiệm kỳ sau ngày "
        "20/7/2020)",
        "  Chỉ tiêu: Kết nạp đảng viên mới từ 3% trở lên so với đảng viên đầu kỳ mỗi năm (2016–2020)",
        "  Kế hoạch năm 2016: Kết nạp đảng viên mới 12",
    ]
    assert list(
        AuditEntry.objects.filter(action__in=["target_set", "plan_set", "term_dates_set"])
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["target_set", "plan_set", "term_dates_set"]


def test_a_congress_outside_the_terms_first_year_is_refused_and_nothing_written(district: Any, actor: Actor) -> None:
    programme_create(
        organization=district.ward, term="2015–2020", first_year=2015, last_year=2020, title="NQ", items={}, actor=actor
    )
    with pytest.raises(CommandError, match=r"Ngày đại hội 15/6/2016 không thuộc năm đầu nhiệm kỳ \(2015\)\."):
        run("term", "--root", "W", "--term", "2015-2020", "--congress", "15/6/2016")
    assert TermProgramme.objects.get(organization=district.ward).congress_on is None
    assert not AuditEntry.objects.filter(action="term_dates_set").exists()
