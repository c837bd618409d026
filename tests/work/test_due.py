"""The stored alerts (work.due) are the alerts work.alerts computes whole, on the demo district at several days,
and the services keep them current in their own transaction."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from dangvu.domain.alerts import badge_window, listed_from, milestone_reached_on
from dangvu.domain.calendar import DEFAULT_CALENDAR
from dangvu.domain.membership import History
from dangvu.orgs.models import Organization, valid_on
from dangvu.synth.district import generate
from dangvu.work import due
from dangvu.work.alerts import Alert, alerts
from dangvu.work.models import Due
from dangvu.work.services import candidate_register, candidate_vote

D = dt.date
TODAY = D(2026, 11, 22)


def _key(a: Alert) -> tuple:  # type: ignore[type-arg]
    return (a.kind, a.overdue, a.due_on, a.subject, a.message, a.source, a.member_code, a.candidate_id, a.org_id)


# ---------------------------------------------------------------- the windows (no database)


def test_a_deadline_is_listed_from_the_first_day_whose_notice_reaches_it() -> None:
    deadline = D(2026, 2, 23)  # just after Tết 2026: the notice of ten working days reaches back over the holidays
    first = listed_from(deadline)
    assert DEFAULT_CALENDAR.add_working_days(first, 10) >= deadline
    assert DEFAULT_CALENDAR.add_working_days(first - dt.timedelta(days=1), 10) < deadline


def test_a_badge_shows_from_the_day_after_the_last_occasion_before_the_milestone_for_a_year() -> None:
    reached = milestone_reached_on(History(first_admitted_on=D(1996, 6, 10)), 30)
    assert reached == D(2026, 6, 10)
    w = badge_window(reached)
    assert (w.shows_from, w.shows_until) == (D(2026, 5, 20), D(2027, 6, 10))  # after 19/5/2026
    assert not w.overdue(D(2026, 12, 1))


def test_a_milestone_from_the_29th_of_february_is_reached_when_the_months_are_whole() -> None:
    reached = milestone_reached_on(History(first_admitted_on=D(1996, 2, 29)), 30)
    assert reached == D(2026, 3, 1)


# ---------------------------------------------------------------- the demo district


DAYS = [
    TODAY,
    TODAY - dt.timedelta(days=40),
    TODAY + dt.timedelta(days=25),
    TODAY + dt.timedelta(days=80),
    D(2026, 9, 2),
]


@pytest.mark.django_db
def test_the_stored_alerts_are_the_computed_ones_on_the_demo_district_at_several_days() -> None:
    generate(profile="district", seed=5, members=600, today=TODAY, rate_from=None, work=True)
    kinds: Counter[str] = Counter()
    for on in DAYS:
        assert due.covers(on)
        # The provinces of the day, and the units under them (communes since the reform of 01/07/2025).
        tops = list(Organization.objects.filter(valid_on(on, "versions__"), versions__parent=None).distinct())
        under = Organization.objects.filter(valid_on(on, "versions__"), versions__parent__in=tops).order_by("code")
        for root in [*tops, *under[:8]]:
            computed, stored = alerts(root, on), due.stored_alerts(root, on)
            assert Counter(map(_key, stored)) == Counter(map(_key, computed)), (root.code, on)
            # The order the dashboard lists: overdue first, then by due date.
            assert [(not a.overdue, a.due_on) for a in stored] == sorted((not a.overdue, a.due_on) for a in stored)
            kinds.update(a.kind for a in computed)
    assert {"badge", "recognition", "decision"} <= set(kinds), kinds  # ceremonies: the next test
    # The days outside the stored ones are computed whole by the pages.
    assert not due.covers(TODAY + due.AHEAD + dt.timedelta(days=1))
    assert not due.covers(TODAY - due.BEHIND - dt.timedelta(days=1))


# ---------------------------------------------------------------- kept current by the services


@pytest.mark.django_db
def test_a_vote_stores_the_committees_deadline_in_its_transaction(district, actor) -> None:  # type: ignore[no-untyped-def]
    due.rebuild(on=D(2026, 1, 5))
    c = candidate_register(
        actor=actor,
        full_name="Trần Thị Hoa",
        gender="female",
        birth_date=D(2000, 3, 1),
        organization=district.b1,
        dossier_complete=True,
        awareness_course_on=D(2025, 9, 1),
    )
    assert not Due.objects.filter(candidate=c, kind="decision").exists()
    candidate_vote(candidate=c, voted_on=D(2026, 1, 2), actor=actor)
    row = Due.objects.get(candidate=c, kind="decision")
    assert row.due_on == DEFAULT_CALENDAR.add_working_days(D(2026, 1, 2), 60)
    late = row.due_on + dt.timedelta(days=1)
    assert [_key(a) for a in due.stored_alerts(district.district, late)] == [
        _key(a) for a in alerts(district.district, late)
    ]


@pytest.mark.django_db
def test_an_admission_and_a_recognition_rewrite_the_members_rows(district, actor) -> None:  # type: ignore[no-untyped-def]
    from dangvu.members.services import Admission, member_create, member_recognize

    on = D(2026, 10, 15)
    due.rebuild(on=on)
    m = member_create(
        actor=actor,
        full_name="Lê Văn Bình",
        gender="male",
        birth_date=D(1995, 1, 1),
        admission=Admission(org=district.b1, decided_on=D(2025, 10, 1), ceremony_on=D(2025, 10, 20)),
    )
    [a] = [a for a in due.stored_alerts(district.district, on) if a.member_code == m.code]
    assert a.kind == "recognition" and not a.overdue  # probation ends 20/10/2026
    late = member_create(
        actor=actor,
        full_name="Đỗ Thị Lan",
        gender="female",
        birth_date=D(1996, 1, 1),
        admission=Admission(org=district.b2, decided_on=D(2026, 8, 3)),
    )
    [c] = [a for a in due.stored_alerts(district.district, on) if a.member_code == late.code]
    assert c.kind == "ceremony" and c.overdue and c == next(
        a for a in alerts(district.district, on) if a.member_code == late.code
    )
    member_recognize(member=m, decided_on=D(2026, 10, 26), actor=actor)
    after = D(2026, 10, 27)
    assert [a for a in due.stored_alerts(district.district, after) if a.member_code == m.code] == []
    assert Counter(map(_key, due.stored_alerts(district.district, after))) == Counter(
        map(_key, alerts(district.district, after))
    )


@pytest.mark.django_db
def test_the_rebuild_command_says_what_it_did(district) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    out = StringIO()
    call_command("alerts", "rebuild", "--on", "22/11/2026", stdout=out)
    assert "Đã tính lại cảnh báo (toàn bộ, quanh ngày 22/11/2026)" in out.getvalue()
    call_command("alerts", "rebuild", "--root", district.district.code, "--on", "22/11/2026", stdout=out)
    assert f"cây {district.district.code}" in out.getvalue()
