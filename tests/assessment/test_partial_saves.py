"""What the web's review sheet relies on: decisions saved row by row, the year's facts recorded through a service,
the statistics in Vietnamese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from dangvu.assessment.models import MemberYearFacts, Result
from dangvu.assessment.services import (
    Decision,
    DecisionErrors,
    YearFacts,
    cycle_open,
    decide_many,
    decisions_save,
    rating_record,
    year_facts_record,
)
from dangvu.audit.models import AuditEntry
from dangvu.domain.errors import RuleError

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_of_six(district, make_member):  # type: ignore[no-untyped-def]
    return [make_member(district.b1, D(2010, 1, 1 + i), name=f"Trần Văn {chr(65 + i)}") for i in range(6)]


def test_a_partial_save_writes_what_passes_and_returns_the_refused_with_why(district, branch_of_six, actor) -> None:
    cycle = cycle_open(committee=district.district, year=2025, actor=actor)
    a, *rest = branch_of_six
    decisions = [Decision("m", a.pk, "excellent"), *[Decision("m", m.pk, "good") for m in rest]]
    # All or nothing refuses the batch: QĐ 366 asks for the tasks' facts before the top level.
    with pytest.raises(DecisionErrors):
        decide_many(cycle=cycle, decisions=decisions, actor=actor)
    assert not Result.objects.exists()
    report = decisions_save(cycle=cycle, decisions=decisions, actor=actor)
    assert [i for i, _ in report.refused] == [0] and "100% chỉ tiêu" in report.refused[0][1]
    assert Result.objects.filter(level="good").count() == 5 and not Result.objects.filter(member=a).exists()


def test_refusing_a_member_refuses_the_branch_decided_in_the_same_save(district, branch_of_six, actor) -> None:
    cycle = cycle_open(committee=district.district, year=2025, actor=actor)
    a, *rest = branch_of_six
    decisions = [Decision("m", a.pk, "excellent"), *[Decision("m", m.pk, "good") for m in rest]]
    report = decisions_save(cycle=cycle, decisions=[*decisions, Decision("o", district.b1.pk, "good")], actor=actor)
    assert [i for i, _ in report.refused] == [0, 6]
    assert "còn 1 đảng viên" in report.refused[1][1]


def test_the_years_facts_are_recorded_with_an_audit_entry_and_checked(district, branch_of_six, actor) -> None:
    cycle = cycle_open(committee=district.district, year=2025, actor=actor)
    m = branch_of_six[0]
    facts = YearFacts(tasks_completed=Decimal(1), tasks_exceeded=Decimal("0.35"), sick_leave_months=1)
    year_facts_record(cycle=cycle, member_id=m.pk, facts=facts, actor=actor)
    row = MemberYearFacts.objects.get(member=m, year=2025)
    assert (row.tasks_completed, row.tasks_exceeded, row.sick_leave_months) == (1, Decimal("0.35"), 1)
    assert AuditEntry.objects.filter(action="year_facts_record").count() == 1
    with pytest.raises(RuleError, match="không lớn hơn tỷ lệ hoàn thành"):
        year_facts_record(
            cycle=cycle,
            member_id=m.pk,
            facts=YearFacts(tasks_completed=Decimal("0.5"), tasks_exceeded=Decimal("0.6")),
            actor=actor,
        )
    # With the facts and points in the top band, the top level passes (over the quota, with a reason).
    rating_record(
        cycle=cycle,
        stage="proposal",
        member_id=m.pk,
        level="excellent",
        actor=actor,
        points={"general": Decimal(28), "tasks": Decimal(63)},
    )
    report = decisions_save(
        cycle=cycle, decisions=[Decision("m", m.pk, "excellent", override_reason="Bằng khen")], actor=actor
    )
    assert not report.refused and Result.objects.get(member=m).level == "excellent"
    with pytest.raises(RuleError, match="Đã có quyết định"):
        year_facts_record(cycle=cycle, member_id=m.pk, facts=YearFacts(), actor=actor)


def test_assess_stats_text_names_the_levels_in_vietnamese(district, branch_of_six, actor) -> None:
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    decide_many(cycle=cycle, decisions=[Decision("m", m.pk, "good") for m in branch_of_six], actor=actor)
    out = StringIO()
    call_command("assess", "stats", "--root", "H", "--year", "2020", "--format", "text", stdout=out)
    text = out.getvalue()
    assert "Hoàn thành tốt nhiệm vụ 6" in text and "Đảng bộ huyện Kim Bảng (H)" in text and "31/12/2020" in text
    for word in ("good", "excellent", "clean_strong", "2020-12-31"):
        assert word not in text
