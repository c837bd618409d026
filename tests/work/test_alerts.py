"""What the dashboard lists as due or overdue: the admission pipeline's deadlines on the working-day calendar
(domain.membership.AdmissionDeadlines) and the party badges due at the next awarding occasion."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from dangvu.domain.calendar import DEFAULT_CALENDAR
from dangvu.domain.membership import DEFAULT_DEADLINES
from dangvu.work.alerts import alerts
from dangvu.work.services import candidate_register, candidate_vote

D = dt.date
pytestmark = pytest.mark.django_db


def _candidate(org, actor, **fields):  # type: ignore[no-untyped-def]
    return candidate_register(
        actor=actor,
        full_name="Trần Thị Hoa",
        gender="female",
        birth_date=D(2000, 3, 1),
        organization=org,
        dossier_complete=True,
        **fields,
    )


def test_the_committee_is_reminded_to_decide_within_60_working_days_of_the_branch_vote(district, actor) -> None:
    c = _candidate(district.b1, actor, awareness_course_on=D(2025, 9, 1))
    candidate_vote(candidate=c, voted_on=D(2026, 1, 2), actor=actor)
    due = DEFAULT_CALENDAR.add_working_days(D(2026, 1, 2), 60)
    assert due > D(2026, 1, 2) + dt.timedelta(weeks=12)  # 60 weekdays, plus the Tết holidays of 2026

    assert [a for a in alerts(district.district, D(2026, 1, 5)) if a.kind == "decision"] == []  # not yet due
    [soon] = [a for a in alerts(district.district, due - dt.timedelta(days=3)) if a.kind == "decision"]
    assert (soon.overdue, soon.due_on, soon.source) == (False, due, "Hướng dẫn 01-HD/TW, 3.2")
    [late] = [a for a in alerts(district.district, due + dt.timedelta(days=1)) if a.kind == "decision"]
    assert late.overdue and "60 ngày làm việc" in late.message
    # Outside the subtree nothing shows.
    assert [a for a in alerts(district.agency, due + dt.timedelta(days=1)) if a.kind == "decision"] == []


def test_the_deadlines_are_parameters(district, actor) -> None:
    c = _candidate(district.b1, actor, awareness_course_on=D(2025, 9, 1))
    candidate_vote(candidate=c, voted_on=D(2026, 1, 2), actor=actor)
    on = D(2026, 1, 5)
    longer_notice = dataclasses.replace(DEFAULT_DEADLINES, soon_working_days=80)
    [a] = [a for a in alerts(district.district, on, deadlines=longer_notice) if a.kind == "decision"]
    assert not a.overdue
    shorter = dataclasses.replace(DEFAULT_DEADLINES, decision_working_days=1)
    [b] = [a for a in alerts(district.district, D(2026, 1, 6), deadlines=shorter) if a.kind == "decision"]
    assert b.overdue and b.due_on == D(2026, 1, 5) and "(1 ngày làm việc)" in b.message


def test_an_awareness_certificate_older_than_five_years_is_flagged(district, actor) -> None:
    _candidate(district.b2, actor, awareness_course_on=D(2020, 3, 1))
    [a] = [a for a in alerts(district.district, D(2025, 3, 2)) if a.kind == "certificate"]
    assert a.overdue and a.due_on == D(2025, 3, 1) and "quá 5 năm" in a.message
    assert [a for a in alerts(district.district, D(2025, 2, 28)) if a.kind == "certificate"] == []


def test_a_ceremony_not_held_and_a_recognition_due_are_listed(district, actor, make_member) -> None:
    from dangvu.members.services import Admission, member_create

    member_create(
        actor=actor,
        full_name="Lê Văn Bình",
        gender="male",
        birth_date=D(1995, 1, 1),
        admission=Admission(org=district.b1, decided_on=D(2026, 3, 2)),
    )
    [cer] = [a for a in alerts(district.district, D(2026, 5, 4)) if a.kind == "ceremony"]
    assert cer.overdue and cer.due_on == DEFAULT_CALENDAR.add_working_days(D(2026, 3, 2), 30)

    make_member(district.b2, D(2025, 1, 2), name="Phạm Văn Cường", ceremony_days=18)  # ceremony 20/01/2025
    [rec] = [a for a in alerts(district.district, D(2026, 1, 26)) if a.kind == "recognition"]
    assert rec.subject == "Phạm Văn Cường" and not rec.overdue
    assert rec.due_on == DEFAULT_CALENDAR.add_working_days(D(2026, 1, 20), 30)
    assert "hết 12 tháng dự bị ngày 20/1/2026" in rec.message


def test_a_badge_is_due_before_the_awarding_occasion_on_which_the_milestone_falls(district, make_member) -> None:
    make_member(district.agency, D(2000, 5, 1), name="Đỗ Văn Dũng", birth=D(1970, 1, 1))
    [b] = [a for a in alerts(district.district, D(2030, 4, 1)) if a.kind == "badge"]
    assert b.due_on == D(2030, 5, 19) and "Huy hiệu 30 năm" in b.message
    assert [a for a in alerts(district.district, D(2029, 4, 1)) if a.kind == "badge"] == []
