"""Counting a table's cells from facts. Plain Python, no Django.

A fact is one group of records with the same values ({field: value}, n): the builder reads them grouped from the
database (one grouped statement per table and date for any number of roots), a cell's list reads them one record
at a time (n = 1); both go through derive() and evaluate(), so a cell and the list behind it cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from dangvu.domain.vietnamese import months_between

from .definitions import Grid, Line, Table

Fact = tuple[Mapping[str, Any], int]

# Professional qualification, the highest only (HD 12-HD/BTCTW 2012, Biểu 3-TCTW: "học hàm, học vị cao nhất" [V]);
# the words that place a free-text qualification at a level are [I]: no source lists them. Highest first.
PROFESSIONAL_LEVELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Tiến sĩ", ("tiến sĩ", "tiến sỹ", "ts.")),
    ("Thạc sĩ", ("thạc sĩ", "thạc sỹ", "ths.")),
    ("Đại học", ("đại học", "cử nhân", "kỹ sư", "kĩ sư", "bác sĩ", "dược sĩ", "kiến trúc sư")),
    ("Cao đẳng", ("cao đẳng",)),
    ("Trung cấp", ("trung cấp",)),
    ("Sơ cấp", ("sơ cấp",)),
)
NO_QUALIFICATION = "Chưa qua đào tạo"

_GRADE = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*$")


def education_level(general_education: str | None) -> str:
    """General education as the forms group it [I]: "12/12" or "10/10" → Trung học phổ thông; from 9/12 (7/10 in the
    10-year system) → Trung học cơ sở; below → Tiểu học; not recorded → "" (no row takes it but a total)."""
    m = _GRADE.match(general_education or "")
    if not m:
        return ""
    grade, of = int(m[1]), int(m[2])
    top, middle = (10, 7) if of == 10 else (12, 9)
    if grade >= top:
        return "Trung học phổ thông"
    if grade >= middle:
        return "Trung học cơ sở"
    return "Tiểu học"


def professional_level(education: str | None, degree: str | None) -> str:
    text = f"{degree or ''} {education or ''}".casefold()
    for level, words in PROFESSIONAL_LEVELS:
        if any(w in text for w in words):
            return level
    return NO_QUALIFICATION


def as_date(value: Any) -> dt.date | None:
    """A date as the database gave it (SQLite's raw cursor returns ISO text)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def years(start: dt.date | None, on: dt.date, rule: str) -> int | None:
    """Whole years from start to on ("full_years"), or the difference of the years ("calendar_year", as some offices
    count age on a year-end form) [I]: the definition picks, full years by default."""
    if start is None:
        return None
    if rule == "calendar_year":
        return on.year - start.year
    return max(months_between(start, on) // 12, 0)


def derive(raw: Mapping[str, Any], *, on: dt.date, age_rule: str) -> dict[str, Any]:
    """The fields a condition reads, from the raw values the sources give: age on the day (an event's own day when
    the fact has one: age at admission), party age (from the first admission decision or the committee's confirmed
    date: QĐ 24-QĐ/TW 4.5, HD 01-HD/TW [V]), education and qualification levels."""
    fact = dict(raw)
    day = as_date(raw.get("_day")) or on
    if "birth_date" in raw:
        fact["age"] = years(as_date(raw["birth_date"]), day, age_rule)
    if "party_since" in raw:
        fact["party_age"] = years(as_date(raw["party_since"]), day, "full_years")
    if "general_education" in raw:
        fact["education_level"] = education_level(raw["general_education"])
    if "professional_education" in raw or "degree" in raw:
        fact["professional_level"] = professional_level(raw.get("professional_education"), raw.get("degree"))
    return fact


def takes(line: Line, siblings: tuple[Line, ...], fact: Mapping[str, Any]) -> bool:
    """Whether a row (column) counts the fact: its conditions hold; an 'others' line, when besides no sibling of
    its own indent with conditions (and not itself 'others') takes it ("Tôn giáo khác" under "Có tôn giáo")."""
    if line.others:
        return line.takes(fact) and not any(
            s.conds and not s.others and s.indent == line.indent and s.takes(fact) for s in siblings
        )
    return line.takes(fact)


Memo = dict[tuple[bool, tuple[Any, ...]], tuple[list[str], list[str]]]


def evaluate(table: Table, facts: Iterable[Fact], previous: Iterable[Fact] = (), memo: Memo | None = None) -> Grid:
    """The table's cells. Columns marked previous_year count `previous` (the facts as at 31/12 of the year before);
    difference columns are computed last. `memo` keeps where each distinct fact falls, for the table's other roots
    (a province's units repeat the same values)."""
    memo = {} if memo is None else memo
    grid = Grid(table, {r.key: {c.key: 0 for c in table.columns} for r in table.rows})
    now_cols = [c for c in table.columns if not c.on and not c.difference]
    prev_cols = [c for c in table.columns if c.on == "previous_year"]
    for before, cols, source in ((False, now_cols, facts), (True, prev_cols, previous)):
        if not cols:
            continue
        for fact, n in source:
            k = (before, tuple(fact.items()))
            placed = memo.get(k)
            if placed is None:
                rows = [r.key for r in table.rows if takes(r, table.rows, fact)]
                placed = memo[k] = (rows, [c.key for c in cols if takes(c, table.columns, fact)] if rows else [])
            for ck in placed[1]:
                for rk in placed[0]:
                    grid.cells[rk][ck] += n
    for c in table.columns:
        if c.difference:
            a, b = c.difference
            for r in table.rows:
                grid.cells[r.key][c.key] = grid.cells[r.key][a] - grid.cells[r.key][b]
    return grid


def takes_cell(table: Table, row: Line, column: Line, fact: Mapping[str, Any]) -> bool:
    """A record's place in one cell (the cell's list)."""
    return takes(row, table.rows, fact) and takes(column, table.columns, fact)
