"""Streaks: top level (or exemplary) N years running, across regimes, transfers and the 2025 reform.

A streak follows the subject (member or organization id), not the unit, so transfers and the 2025 moves
do not break it. Old 'TSVM' and new 'HTXS' are both the top level (rank 4), so 2017→2018 does not break it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum


class Mark(StrEnum):
    TOP = "top"
    RATED = "rated"  # rated, below the top
    NOT_RATED = "not_rated"


def streak_length(marks: Mapping[int, str], end_year: int, *, not_rated_breaks: bool = True) -> int:
    """Consecutive top years ending at end_year. A year with no record breaks the streak; a not-rated year
    breaks it too unless not_rated_breaks is False, in which case it is skipped (not counted) [U]."""
    n, year = 0, end_year
    while True:
        mark = marks.get(year)
        if mark == Mark.TOP:
            n += 1
        elif mark == Mark.NOT_RATED and not not_rated_breaks and n > 0:
            pass
        else:
            return n
        year -= 1


def subjects_with_streak(
    rows: Iterable[tuple[int, int, str]], *, end_year: int, length: int, not_rated_breaks: bool = True
) -> list[int]:
    """rows: (subject_id, year, mark). Returns the ids with at least `length` top years running to end_year."""
    by_subject: dict[int, dict[int, str]] = {}
    for subject, year, mark in rows:
        by_subject.setdefault(subject, {})[year] = mark
    return sorted(
        s
        for s, marks in by_subject.items()
        if streak_length(marks, end_year, not_rated_breaks=not_rated_breaks) >= length
    )
