"""Member lifecycle rules, from the research notes' wording: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.domain.membership import (
    Event,
    EventKind,
    LifecycleError,
    LifecycleParams,
    Status,
    age_check,
    check_identifier,
    derive,
    official_date,
    party_age_days,
    party_age_years,
)
from dangvu.domain.periods import OPEN_END, Period

D = dt.date
K = EventKind


def admitted(on: dt.date = dt.date(2010, 3, 1), ceremony: dt.date = dt.date(2010, 3, 15), org: int = 1) -> Event:
    return Event(K.ADMISSION, on, org_id=org, ceremony_on=ceremony)


def test_age_is_counted_in_months_on_the_day_the_branch_reviews() -> None:
    age_check(D(2000, 3, 10), D(2018, 3, 10))  # exactly 18 years: accepted
    with pytest.raises(LifecycleError, match="Chưa đủ 18 tuổi"):
        age_check(D(2000, 3, 10), D(2018, 3, 9))


def test_over_sixty_needs_a_recorded_approval() -> None:
    with pytest.raises(LifecycleError, match="Quá 60 tuổi") as e:
        age_check(D(1950, 1, 1), D(2010, 2, 1))
    assert e.value.field == "approval_ref"
    age_check(D(1950, 1, 1), D(2010, 2, 1), approval_ref="15-CV/TU")


def test_official_status_dates_from_the_end_of_twelve_months_after_the_ceremony() -> None:
    assert official_date(D(2020, 3, 15)) == D(2021, 3, 15)
    h = derive([admitted(), Event(K.RECOGNITION, D(2011, 3, 15))])
    assert [(s.status, s.period) for s in h.spans] == [
        (Status.PROBATIONARY, Period(D(2010, 3, 1), D(2011, 3, 15))),
        (Status.OFFICIAL, Period(D(2011, 3, 15), OPEN_END)),
    ]


def test_recognition_dated_other_than_the_end_of_probation_is_refused() -> None:
    with pytest.raises(LifecycleError, match="hết 12 tháng dự bị"):
        derive([admitted(), Event(K.RECOGNITION, D(2011, 1, 1))])


def test_no_event_after_death() -> None:
    with pytest.raises(LifecycleError, match="đã từ trần"):
        derive([admitted(), Event(K.DEATH, D(2015, 1, 1)), Event(K.EXEMPTION, D(2016, 1, 1))])


def test_an_event_needing_membership_is_refused_for_a_non_member() -> None:
    with pytest.raises(LifecycleError, match="không phải là đảng viên"):
        derive([admitted(), Event(K.REMOVAL, D(2012, 1, 1)), Event(K.SUSPENSION, D(2013, 1, 1))])


def test_readmission_needs_thirty_six_months_outside() -> None:
    events = [admitted(), Event(K.RECOGNITION, D(2011, 3, 15)), Event(K.REMOVAL, D(2012, 1, 1))]
    with pytest.raises(LifecycleError, match="36 tháng"):
        derive([*events, Event(K.READMISSION, D(2014, 12, 31), org_id=1, ceremony_on=D(2015, 1, 15))])
    h = derive([*events, Event(K.READMISSION, D(2015, 1, 1), org_id=1, ceremony_on=D(2015, 1, 15))])
    assert h.spans[-1].period.start == D(2015, 1, 1) and h.spans[-1].status == Status.PROBATIONARY


def test_readmission_happens_at_most_once() -> None:
    events = [
        admitted(),
        Event(K.REMOVAL, D(2011, 1, 1)),
        Event(K.READMISSION, D(2015, 1, 1), org_id=1, ceremony_on=D(2015, 1, 20)),
        Event(K.REMOVAL, D(2016, 1, 1)),
        Event(K.READMISSION, D(2020, 1, 1), org_id=1, ceremony_on=D(2020, 1, 20)),
    ]
    with pytest.raises(LifecycleError, match="một lần"):
        derive(events)


def test_the_readmission_limit_is_a_parameter() -> None:
    events = [
        admitted(),
        Event(K.REMOVAL, D(2011, 1, 1)),
        Event(K.READMISSION, D(2012, 1, 1), org_id=1, ceremony_on=D(2012, 1, 20)),
    ]
    derive(events, LifecycleParams(readmission_min_months=12))


def test_party_age_runs_from_the_first_decision_minus_time_outside() -> None:
    events = [
        admitted(D(2000, 1, 1), D(2000, 1, 20)),
        Event(K.REMOVAL, D(2005, 1, 1)),
        Event(K.READMISSION, D(2010, 1, 1), org_id=1, ceremony_on=D(2010, 1, 20)),
    ]
    h = derive(events)
    assert h.gaps == [Period(D(2005, 1, 1), D(2010, 1, 1))]
    assert (
        party_age_days(h, D(2020, 1, 1)) == (D(2020, 1, 1) - D(2000, 1, 1)).days - (D(2010, 1, 1) - D(2005, 1, 1)).days
    )
    assert party_age_years(h, D(2020, 1, 1)) == 15


def test_a_restored_member_keeps_a_continuous_party_age() -> None:
    events = [
        admitted(D(2000, 1, 1), D(2000, 1, 20)),
        Event(K.RECOGNITION, D(2001, 1, 20)),
        Event(K.EXPULSION, D(2005, 1, 1)),
        Event(K.RESTORATION, D(2006, 1, 1), org_id=2),
    ]
    h = derive(events)
    assert h.gaps == []
    assert party_age_years(h, D(2030, 1, 1)) == 30
    assert h.spans[-1].org_id == 2 and h.spans[-1].status == Status.OFFICIAL


def test_a_ceremony_before_the_decision_is_refused() -> None:
    with pytest.raises(LifecycleError, match="trước ngày quyết định"):
        derive([admitted(D(2010, 3, 1), D(2010, 2, 1))])


def test_a_transfer_moves_the_span_and_exemption_does_not() -> None:
    h = derive(
        [
            admitted(),
            Event(K.RECOGNITION, D(2011, 3, 15)),
            Event(K.EXEMPTION, D(2012, 1, 1)),
            Event(K.TRANSFER_IN, D(2013, 1, 1), org_id=7),
        ]
    )
    assert [(s.org_id, s.period.start) for s in h.spans] == [
        (1, D(2010, 3, 1)),
        (1, D(2011, 3, 15)),
        (7, D(2013, 1, 1)),
    ]


def test_identifiers_keep_leading_zeros_and_must_have_the_right_length() -> None:
    assert check_identifier("001234567890", digits=12, label="Số CCCD", field="citizen_id") == "001234567890"
    with pytest.raises(LifecycleError.__mro__[1], match="đúng 12 chữ số"):
        check_identifier("1234567890", digits=12, label="Số CCCD", field="citizen_id")
