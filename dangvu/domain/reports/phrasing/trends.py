"""Figures over several years: the trend ('hằng năm tăng'), reaching zero ('không còn chi bộ yếu kém'), the
average over N years, and units ranked."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise

from ...vietnamese import fmt_int, sort_key
from .forms import SHARE_PLACES, share_text
from .text import join_and

Value = int | Fraction
Series = Sequence[tuple[int, Value | None]]  # (year, value or None when the year has no figure)

# A share averaged over years weighs every year alike (the mean of the yearly shares) [I]: no source says
# whether "bình quân" pools the counts; AVERAGE_POOLED = True divides the summed parts by the summed wholes.
AVERAGE_POOLED = False
# How many units a ranking names in a sentence [I].
RANK_TOP = 3


class Trend(StrEnum):
    RISING_EVERY_YEAR = "rising_every_year"  # hằng năm tăng
    FALLING_EVERY_YEAR = "falling_every_year"  # hằng năm giảm
    RISING = "rising"  # the last known year above the first, not every year
    FALLING = "falling"
    STEADY = "steady"  # every known year the same
    MIXED = "mixed"  # the last known year equal to the first, some years apart


def known(series: Series) -> list[tuple[int, Value]]:
    return [(y, v) for y, v in sorted(series) if v is not None]


def trend_of(series: Series) -> Trend | None:
    """The trend over the years that have a figure; None with fewer than two. 'Every year' needs every year from
    the first to the last to have a figure: a missing year is not assumed."""
    pts = known(series)
    if len(pts) < 2:
        return None
    years = [y for y, _ in pts]
    vals = [v for _, v in pts]
    no_gap = years == list(range(years[0], years[-1] + 1))
    steps = list(pairwise(vals))
    if all(a == b for a, b in steps):
        return Trend.STEADY
    if no_gap and all(b > a for a, b in steps):
        return Trend.RISING_EVERY_YEAR
    if no_gap and all(b < a for a, b in steps):
        return Trend.FALLING_EVERY_YEAR
    if vals[-1] > vals[0]:
        return Trend.RISING
    if vals[-1] < vals[0]:
        return Trend.FALLING
    return Trend.MIXED


Printer = Callable[[Value], str]


def _default_printer(v: Value) -> str:
    return share_text(v, SHARE_PLACES) if isinstance(v, Fraction) else fmt_int(v)


def trend_sentence(series: Series, *, what: str, printed: Printer = _default_printer) -> str:
    """'tỷ lệ chi bộ đạt “Trong sạch, vững mạnh” hằng năm tăng, từ 60,00% năm 2014 lên 85,00% năm 2018';
    'số chi bộ yếu kém giảm từ 4 năm 2014 xuống 1 năm 2018'; 'tỷ lệ … giữ ổn định ở mức 100% (2014 – 2018)'.
    "" with fewer than two years that have a figure. Shares are Fractions, counts ints."""
    t = trend_of(series)
    if t is None:
        return ""
    pts = known(series)
    (y0, v0), (y1, v1) = pts[0], pts[-1]
    if t == Trend.STEADY:
        return f"{what} giữ ổn định ở mức {printed(v1)} ({y0} – {y1})"
    if t == Trend.MIXED:
        return f"{what} năm {y1} bằng năm {y0} ({printed(v1)})"
    up = t in (Trend.RISING, Trend.RISING_EVERY_YEAR)
    every = "hằng năm " if t in (Trend.RISING_EVERY_YEAR, Trend.FALLING_EVERY_YEAR) else ""
    verb, to = ("tăng", "lên") if up else ("giảm", "xuống")
    sep = ", " if every else " "
    return f"{what} {every}{verb}{sep}từ {printed(v0)} năm {y0} {to} {printed(v1)} năm {y1}"


def none_left(series: Series, noun: str) -> str:
    """'đến năm 2018 không còn chi bộ yếu kém': when the last year with a figure counts zero and an earlier year
    counted some; "" otherwise (never zero from the start: that is no change to report)."""
    pts = known(series)
    if len(pts) < 2 or pts[-1][1] != 0 or not any(v for _, v in pts[:-1]):
        return ""
    return f"đến năm {pts[-1][0]} không còn {noun}"


def average_share(rows: Sequence[tuple[int, int]], *, pooled: bool = AVERAGE_POOLED) -> Fraction | None:
    """The average of yearly shares given as (part, whole) per year; years with no whole are left out. None when
    no year has one."""
    rows = [(p, w) for p, w in rows if w]
    if not rows:
        return None
    if pooled:
        return Fraction(sum(p for p, _ in rows), sum(w for _, w in rows))
    return sum((Fraction(p, w) for p, w in rows), Fraction(0)) / len(rows)


def average_sentence(
    rows: Sequence[tuple[int, int, int]], *, what: str, places: int = SHARE_PLACES, pooled: bool = AVERAGE_POOLED
) -> str:
    """'tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên bình quân 2 năm (2023 – 2024) đạt 95,32%' from
    (year, part, whole) rows; years with no whole are not counted (the sentence names the years it covers)."""
    have = sorted((y, p, w) for y, p, w in rows if w)
    avg = average_share([(p, w) for _, p, w in have], pooled=pooled)
    if avg is None:
        return ""
    years = [y for y, _, _ in have]
    span = f"{years[0]} – {years[-1]}" if years == list(range(years[0], years[-1] + 1)) else ", ".join(map(str, years))
    if len(years) == 1:
        return f"{what} năm {years[0]} đạt {share_text(avg, places)}"
    return f"{what} bình quân {len(years)} năm ({span}) đạt {share_text(avg, places)}"


@dataclass(frozen=True)
class Ranked:
    place: int  # 1, 2, 2, 4: units with the same count share a place
    name: str
    count: int


def rank_units(items: Iterable[tuple[str, int]]) -> list[Ranked]:
    """Units by count (most first), then in Vietnamese name order (domain.vietnamese.sort_key)."""
    ordered = sorted(items, key=lambda it: (-it[1], sort_key(it[0])))
    out: list[Ranked] = []
    for i, (name, n) in enumerate(ordered):
        place = out[-1].place if out and out[-1].count == n else i + 1
        out.append(Ranked(place, name, n))
    return out


def ranking_sentence(ranked: Sequence[Ranked], *, top: int = RANK_TOP, unit: str = "") -> str:
    """'Chi bộ A (12 đảng viên), Chi bộ B (10 đảng viên) và Chi bộ C (9 đảng viên)': at most `top` units with a count
    above zero, by rank. A tie across the cut is left out whole (naming some of the tied units would pick at random,
    naming all of them is no ranking): "" when even the first place is shared by more than `top` units."""
    named = [r for r in ranked if r.count > 0]
    cut = named[:top]
    if len(named) > top and cut and named[top].count == cut[-1].count:
        cut = [r for r in cut if r.count > cut[-1].count]
    return join_and([f"{r.name} ({fmt_int(r.count)}{' ' + unit if unit else ''})" for r in cut])
