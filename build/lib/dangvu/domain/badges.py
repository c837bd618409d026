"""Party badges (Huy hiệu Đảng): milestones of party age and the lists due before each awarding date.

Milestones 30, 40, 45 … 90 years [V: QĐ 24-QĐ/TW point 27; HD 01-HD/TW §18; HD 38]. Awarding occasions 3/2,
19/5, 2/9, 7/11 [V]. Early award: seriously ill members up to 12 months early (30–65 years) or 24 months
(70–90); posthumous up to 12 months early [V HD 01 §18]. Discipline holds [P, sources disagree]: parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .vietnamese import add_months

MILESTONES = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
OCCASIONS = ((2, 3), (5, 19), (9, 2), (11, 7))  # (month, day)


@dataclass(frozen=True)
class BadgeParams:
    early_months_ill_to_65: int = 12
    early_months_ill_from_70: int = 24
    early_months_posthumous: int = 12
    # QĐ 24 (2021) [P]: months after a discipline before a badge may be considered: reprimand 6, warning 9,
    # dismissal 12. QĐ 29 (2016) [P] differs; hence parameters.
    hold_months: tuple[tuple[str, int], ...] = (("reprimand", 6), ("warning", 9), ("dismissal", 12))


DEFAULT_BADGES = BadgeParams()


def next_occasion(after: dt.date) -> dt.date:
    """The first awarding occasion on or after the date."""
    for year in (after.year, after.year + 1):
        for month, day in OCCASIONS:
            d = dt.date(year, month, day)
            if d >= after:
                return d
    raise AssertionError("unreachable")


def milestone_due(party_age_start: dt.date, milestone: int) -> dt.date:
    """The day a member reaches the milestone, counting from the (gap-shifted) start of party age."""
    return add_months(party_age_start, milestone * 12)


def eligible_from(
    due: dt.date, milestone: int, *, ill: bool = False, deceased: bool = False, params: BadgeParams = DEFAULT_BADGES
) -> dt.date:
    if deceased:
        return add_months(due, -params.early_months_posthumous)
    if ill:
        return add_months(due, -(params.early_months_ill_to_65 if milestone <= 65 else params.early_months_ill_from_70))
    return due
