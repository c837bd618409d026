"""When an alert shows: the deadlines of the admission pipeline and the badges due, as windows of dates.

work.alerts lists, for a day `on`, a deadline falling within the next few working days or past, and a badge
whose milestone is crossed between a year ago and the next awarding occasion. Each of these conditions is
monotone in `on`, so it holds on a range of days that can be computed once and stored (work.due keeps them
per member and candidate): an alert shows on `on` when `shows_from <= on < shows_until`, and is overdue when
`on >= overdue_from`. Both paths (computed whole, and stored) take their dates from the functions here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .badges import OCCASIONS
from .calendar import DEFAULT_CALENDAR, Calendar
from .membership import DEFAULT_DEADLINES, AdmissionDeadlines, History, official_date, party_age_years
from .periods import OPEN_END
from .vietnamese import add_months

ONE = dt.timedelta(days=1)
# A badge is "newly due" when its milestone is crossed after this long ago (work.alerts: a year before `on`).
BADGE_LOOKBACK = dt.timedelta(days=365)


@dataclass(frozen=True)
class Window:
    """An alert's dates: due on `due_on` (None: the next awarding occasion, for badges), listed on the days
    `shows_from <= on < shows_until`, overdue from `overdue_from` on."""

    due_on: dt.date | None
    shows_from: dt.date
    shows_until: dt.date = OPEN_END
    overdue_from: dt.date = OPEN_END

    def shows(self, on: dt.date) -> bool:
        return self.shows_from <= on < self.shows_until

    def overdue(self, on: dt.date) -> bool:
        return on >= self.overdue_from


def listed_from(
    deadline: dt.date, calendar: Calendar = DEFAULT_CALENDAR, deadlines: AdmissionDeadlines = DEFAULT_DEADLINES
) -> dt.date:
    """The first day on which `deadline` falls within the next soon_working_days working days ([I] the
    dashboard's notice, AdmissionDeadlines.soon_working_days). Adding working days never goes back when the start
    moves on, so the days that list it are this one and every later one."""
    n = deadlines.soon_working_days
    d = deadline
    while calendar.add_working_days(d - ONE, n) >= deadline:
        d -= ONE
    return d


def decision_window(
    voted_on: dt.date, calendar: Calendar = DEFAULT_CALENDAR, deadlines: AdmissionDeadlines = DEFAULT_DEADLINES
) -> Window:
    """Hướng dẫn 01-HD/TW, 3.2: the committee decides within decision_working_days of the branch's vote."""
    due = calendar.add_working_days(voted_on, deadlines.decision_working_days)
    return Window(due, listed_from(due, calendar, deadlines), overdue_from=due + ONE)


def certificate_window(course_on: dt.date, deadlines: AdmissionDeadlines = DEFAULT_DEADLINES) -> Window:
    """[P] local guidance: the awareness-course certificate is valid certificate_years; listed, overdue, from the
    day it lapses."""
    due = add_months(course_on, deadlines.certificate_years * 12)
    return Window(due, due, overdue_from=due)


def ceremony_window(
    decided_on: dt.date, calendar: Calendar = DEFAULT_CALENDAR, deadlines: AdmissionDeadlines = DEFAULT_DEADLINES
) -> Window:
    """Hướng dẫn 01-HD/TW, 3.3: the ceremony within ceremony_working_days of the admission decision."""
    due = calendar.add_working_days(decided_on, deadlines.ceremony_working_days)
    return Window(due, listed_from(due, calendar, deadlines), overdue_from=due + ONE)


def recognition_window(
    ceremony_on: dt.date, calendar: Calendar = DEFAULT_CALENDAR, deadlines: AdmissionDeadlines = DEFAULT_DEADLINES
) -> Window:
    """Điều lệ Đảng 2011, Điều 5: probation ends 12 months after the ceremony; the recognition is reviewed within
    recognition_working_days after it. Listed from the days before the end of probation."""
    ends = official_date(ceremony_on)
    due = calendar.add_working_days(ends, deadlines.recognition_working_days)
    return Window(due, listed_from(ends, calendar, deadlines), overdue_from=due + ONE)


def previous_occasion(before: dt.date) -> dt.date:
    """The last awarding occasion (3/2, 19/5, 2/9, 7/11) strictly before the date."""
    for year in (before.year, before.year - 1):
        for month, day in reversed(OCCASIONS):
            d = dt.date(year, month, day)
            if d < before:
                return d
    raise AssertionError("unreachable")


def milestone_reached_on(history: History, milestone: int, until: dt.date = OPEN_END) -> dt.date | None:
    """The first day a member's party age is `milestone` whole years (domain.membership.party_age_years; time
    outside the party is not counted, QĐ 24-QĐ/TW 4.5), or None if not by `until`. Party age never goes back,
    so a search finds it."""
    first = history.first_admitted_on
    if first is None:
        return None
    lo = add_months(first, milestone * 12) - dt.timedelta(days=4)  # gaps only delay it
    if party_age_years(history, lo) >= milestone:
        return lo
    step = dt.timedelta(days=8)
    hi = lo + step
    while party_age_years(history, hi) < milestone:
        if hi >= until:
            return None
        lo, hi = hi, min(hi + step, until)
        step *= 2
    while (hi - lo).days > 1:  # party_age(lo) < milestone <= party_age(hi)
        mid = lo + (hi - lo) / 2
        lo, hi = (lo, mid) if party_age_years(history, mid) >= milestone else (mid, hi)
    return hi


def badge_window(reached_on: dt.date) -> Window:
    """Hướng dẫn 01-HD/TW, 18: a badge is proposed at the awarding occasion on or after the milestone. Listed
    on `on` when the milestone falls between a year before `on` (exclusive) and the next occasion on or after
    `on`: from the day after the last occasion before it, for a year after it. Never overdue."""
    return Window(None, previous_occasion(reached_on) + ONE, reached_on + BADGE_LOOKBACK)
