"""Party badges (Huy hiệu Đảng): milestones of party age and the lists due before each awarding date.

Milestones 30, 40, 45 … 90 years [V: QĐ 24-QĐ/TW point 27; HD 01-HD/TW §18; HD 38]. Awarding occasions 3/2,
19/5, 2/9, 7/11 [V]. Early award: seriously ill members up to 12 months early (30–65 years) or 24 months
(70–90); posthumous up to 12 months early [V HD 01 §18]. Discipline holds [P, sources disagree]: parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .reports.phrasing import RANK_TOP, join_and, rank_units, ranking_sentence
from .vietnamese import add_months, fmt_date, fmt_int

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


# ---- the badges of a period, as the annual report writes them ------------------------------------------------

# Milestones from this one up are written together ("80 năm tuổi Đảng trở lên"): issue 12 lists 30 … 75, 80+ [I].
GROUPED_FROM = 80


@dataclass(frozen=True)
class Awarded:
    """One badge presented: its milestone, the day, posthumous or not, the name of the member's unit that day."""

    milestone: int
    awarded_on: dt.date
    posthumous: bool = False
    unit: str = ""


def milestone_name(milestone: int) -> str:
    if milestone >= GROUPED_FROM:
        return f"Huy hiệu {GROUPED_FROM} năm tuổi Đảng trở lên"
    return f"Huy hiệu {milestone} năm tuổi Đảng"


def occasion_name(day: dt.date) -> str:
    """'dịp 3/2' for the awarding occasions (OCCASIONS [V]); any other day by its date ('ngày 15/8/2024'): the
    records say when badges were presented, nothing is assumed."""
    if (day.month, day.day) in OCCASIONS:
        return f"dịp {day.day}/{day.month}"
    return f"ngày {fmt_date(day)}"


def badges_sentences(rows: list[Awarded], *, top: int = RANK_TOP) -> list[str]:
    """'trao tặng 120 Huy hiệu Đảng (2 Huy hiệu 80 năm tuổi Đảng trở lên, 10 Huy hiệu 70 năm tuổi Đảng …)';
    'vào dịp 3/2 (40 huy hiệu), 19/5 …'; 'truy tặng 2 Huy hiệu Đảng'; the units with the most. [] when none."""
    living = [r for r in rows if not r.posthumous]
    dead = [r for r in rows if r.posthumous]
    out: list[str] = []
    if living:
        by: dict[str, int] = {}
        for r in sorted(living, key=lambda r: -r.milestone):
            by[milestone_name(r.milestone)] = by.get(milestone_name(r.milestone), 0) + 1
        parts = [f"{fmt_int(n)} {name}" for name, n in by.items()]
        out.append(f"trao tặng {fmt_int(len(living))} Huy hiệu Đảng ({join_and(parts)})")
        days: dict[str, int] = {}
        for r in sorted(living, key=lambda r: r.awarded_on):
            days[occasion_name(r.awarded_on)] = days.get(occasion_name(r.awarded_on), 0) + 1
        out.append("trao vào " + join_and([f"{d} ({fmt_int(n)} huy hiệu)" for d, n in days.items()]))
    if dead:
        out.append(f"truy tặng {fmt_int(len(dead))} Huy hiệu Đảng")
    counts: dict[str, int] = {}
    for r in rows:
        if r.unit:
            counts[r.unit] = counts.get(r.unit, 0) + 1
    if len(counts) > 1:
        out.append("nhiều nhất là " + ranking_sentence(rank_units(counts.items()), top=top, unit="huy hiệu"))
    return out
