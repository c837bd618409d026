"""Working days, document codes, badge milestones, targets. No database."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from dangvu.domain.badges import eligible_from, milestone_due, next_occasion
from dangvu.domain.calendar import Calendar, public_holidays
from dangvu.domain.documents import parse_code
from dangvu.domain.errors import RuleError
from dangvu.domain.targets import Bound, Status, achievement_sentence

D = dt.date
CAL = Calendar()


def test_tet_2024_is_five_days_off_from_the_last_day_of_the_lunar_year() -> None:
    assert {D(2024, 2, 9), D(2024, 2, 10), D(2024, 2, 13)} <= public_holidays(2024)
    # 10–11/2 fell on the weekend: by statute the 14th and 15th are off in compensation (the PM's swap of the
    # 15th for the 8th that year is a decision, passed as extra_off/extra_work).
    assert not CAL.is_working_day(D(2024, 2, 12)) and not CAL.is_working_day(D(2024, 2, 15))
    assert CAL.is_working_day(D(2024, 2, 16))


def test_a_holiday_on_a_weekend_is_compensated_on_the_next_working_day() -> None:
    # 1/5/2021 fell on a Saturday: Monday 3/5 was off.
    assert not CAL.is_working_day(D(2021, 5, 3))


def test_sixty_working_days_skip_weekends_and_holidays() -> None:
    # From 1/4/2024: 30/4, 1/5 and Hùng Kings' day (18/4) are off.
    end = CAL.add_working_days(D(2024, 4, 1), 60)
    assert CAL.working_days_between(D(2024, 4, 1), end) == 60
    assert end == D(2024, 6, 27)


def test_decided_swaps_are_honoured() -> None:
    cal = Calendar(extra_off=frozenset({D(2024, 4, 29)}), extra_work=frozenset({D(2024, 5, 4)}))
    assert not cal.is_working_day(D(2024, 4, 29)) and cal.is_working_day(D(2024, 5, 4))


def test_document_codes_parse_and_print_as_reports_cite_them() -> None:
    doc = parse_code("Số 36-CTr/TU, ngày 5/5/2008")
    assert (doc.number, doc.type, doc.issuer, doc.issued_on) == (36, "CTr", "TU", D(2008, 5, 5))
    assert doc.printed() == "Số 36-CTr/TU, ngày 5/5/2008"
    assert parse_code("15-NQ/TW ngày 30/7/2007").cited() == "Nghị quyết số 15-NQ/TW, ngày 30/7/2007"
    assert parse_code("31-hd/btctw").code == "31-HD/BTCTW"
    with pytest.raises(RuleError, match="Số hiệu văn bản không hợp lệ"):
        parse_code("Nghị quyết Trung ương 4")


def test_badges_fall_due_at_the_milestone_and_earlier_for_the_ill() -> None:
    due = milestone_due(D(1995, 6, 20), 30)
    assert due == D(2025, 6, 20)
    assert next_occasion(due) == D(2025, 9, 2)
    assert eligible_from(due, 30, ill=True) == D(2024, 6, 20)
    assert eligible_from(milestone_due(D(1955, 6, 20), 70), 70, ill=True) == D(2023, 6, 20)


def test_targets_say_exceeded_met_or_missed() -> None:
    assert Bound(">=", Fraction(95, 100)).status(Fraction(953, 1000)) == Status.EXCEEDED
    assert Bound(">=", 180).status(180) == Status.MET
    assert Bound("<=", Fraction(2, 100)).status(Fraction(3, 100)) == Status.MISSED
    assert achievement_sentence(209, 180) == "đạt 116% kế hoạch"
    assert achievement_sentence(6, 5, of="chỉ tiêu") == "đạt 120% chỉ tiêu"


def test_a_yearly_target_over_several_years_takes_the_strictest_reading() -> None:
    from dangvu.domain.targets import Status, over_years

    E, M, X = Status.EXCEEDED, Status.MET, Status.MISSED
    assert over_years([E, E, E]) == E
    assert over_years([E, M, E]) == M
    assert over_years([E, E, X]) == X
    with pytest.raises(ValueError):
        over_years([])
