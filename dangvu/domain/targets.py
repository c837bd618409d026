"""Targets, plans and achievement over any period, as the reports print them ("đạt 116% kế hoạch", "vượt chỉ
tiêu", "sau 2,5 năm, đạt 45% chỉ tiêu nhiệm kỳ").

Three kinds of yardstick, each judged on its own span (issue 12, item 2):
- a TERM target ("kết nạp 60 đảng viên trong nhiệm kỳ") is judged by the term's total at the term's end; before
  that, a report gives the progress so far and never a verdict (status IN_PROGRESS), so an annual or mid-term
  report never calls it missed;
- a YEARLY target ("≥ 95% mỗi năm") is judged year by year (over_years);
- a PLAN (a committee's yearly plan, "kế hoạch", or one assigned from above, "chỉ tiêu") is compared only over the
  years it is recorded for, and a year the period covers only in part is said to be partial.
A bound may be a ratio of another figure ("từ 3% trở lên so với số đảng viên đầu năm"): the bound is then a share
and the figure is divided by that other figure before it is judged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from .reports.periods import interim_half
from .vietnamese import fmt_date, fmt_decimal, fmt_percent, months_between


class Status(StrEnum):
    EXCEEDED = "exceeded"  # vượt
    MET = "met"  # đạt
    MISSED = "missed"  # chưa đạt
    IN_PROGRESS = "in_progress"  # đang thực hiện: a term target before the term's end, a plan year not yet over


STATUS_LABELS = {
    Status.EXCEEDED: "vượt chỉ tiêu",
    Status.MET: "đạt chỉ tiêu",
    Status.MISSED: "chưa đạt chỉ tiêu",
    Status.IN_PROGRESS: "đang thực hiện",
}
# A verdict is final only for these; IN_PROGRESS never lands under "Hạn chế".
VERDICTS = (Status.EXCEEDED, Status.MET, Status.MISSED)

Number = int | Fraction | Decimal


def _f(x: Number) -> Fraction:
    return Fraction(x) if not isinstance(x, Decimal) else Fraction(str(x))


MAX_PLACES = 4  # Target.value and Plan.value keep 4 decimal places (targets.models)


def fmt_number(x: Number) -> str:
    """A stored bound as typed: 100 → '100', 2,5 → '2,5', 1.382 → '1.382'; never '1E+2' (Decimal.normalize)."""
    q = _f(x)
    for places in range(MAX_PLACES + 1):
        if (q * 10**places).denominator == 1:
            return fmt_decimal(q, places)
    return fmt_decimal(q, MAX_PLACES)


@dataclass(frozen=True)
class Bound:
    op: str  # ">=" | "<=" | "="
    value: Number

    def __post_init__(self) -> None:
        if self.op not in (">=", "<=", "="):
            raise ValueError(f"Phép so sánh không hợp lệ: {self.op}")

    def status(self, actual: Number) -> Status:
        a, v = _f(actual), _f(self.value)
        if self.op == ">=":
            return Status.EXCEEDED if a > v else Status.MET if a == v else Status.MISSED
        if self.op == "<=":
            return Status.EXCEEDED if a < v else Status.MET if a == v else Status.MISSED
        return Status.MET if a == v else Status.MISSED

    def shown(self, unit: str) -> str:
        """The bound's number: '95%' for a share, '100' for a count (as typed, never in scientific notation)."""
        if unit == "%":
            v = _f(self.value) * 100
            return fmt_number(v) + "%"
        return fmt_number(self.value)

    def printed(self, unit: str) -> str:
        sym = {">=": "≥", "<=": "≤", "=": "="}[self.op]
        return f"{sym} {self.shown(unit)}"


def over_years(statuses: list[Status]) -> Status:
    """The status of a yearly target over several years (a term, a mid-term): missed if any year missed, exceeded
    if every year exceeded, otherwise met. [I] The seeds print one status for "hàng năm" (seed 002, F15/F16:
    "Hàng năm … đạt trên 95% (vượt chỉ tiêu Nghị quyết Đại hội đề ra)"); no rule for mixed years was found, so
    the strictest reading is taken. A year still in progress makes the whole in progress unless one year already
    missed."""
    if not statuses:
        raise ValueError("Không có năm nào để so với chỉ tiêu.")
    if Status.MISSED in statuses:
        return Status.MISSED
    if Status.IN_PROGRESS in statuses:
        return Status.IN_PROGRESS
    return Status.EXCEEDED if all(s == Status.EXCEEDED for s in statuses) else Status.MET


def achievement(actual: Number, plan: Number) -> Fraction:
    """value / plan (F8: 209 / 180 → 116%)."""
    return _f(actual) / _f(plan) if plan else Fraction(0)


def achievement_sentence(actual: Number, plan: Number, *, of: str = "kế hoạch") -> str:
    """'đạt 116% kế hoạch' / 'đạt 120% chỉ tiêu' (rounded half up to whole percent, as the seeds print)."""
    return f"đạt {fmt_percent(achievement(actual, plan), 0)} {of}"


def ratio(actual: Number, of: Number) -> Fraction | None:
    """A figure as a share of another ('kết nạp 12 = 3,2% số đảng viên đầu năm'); None when there is nothing to
    divide by (no member at the start): no share, hence no verdict."""
    return _f(actual) / _f(of) if of else None


# ---------------------------------------------------------------------------------------------- congress terms

TERM_DEFAULT_YEARS = 5  # Điều lệ Đảng 2011, Điều 13: a committee's term is five years [V]


@dataclass(frozen=True)
class Term:
    """A congress term: from the congress that opens it to the congress that opens the next one.

    The dates are the congresses' when recorded (TermProgramme.congress_on / next_congress_on). A term without
    recorded dates runs from 1 January of its first year to 31 December of the year before its last year: the
    congress year opens the next term, as dangvu/domain/reports/header.py term_of counts it [I]
    (UNDATED_TERM_ENDS_BEFORE_LAST_YEAR).
    """

    first_year: int
    last_year: int
    opened_on: dt.date | None = None  # the congress that opened the term
    closed_on: dt.date | None = None  # the congress that opened the next one

    @property
    def label(self) -> str:
        return f"{self.first_year}–{self.last_year}"

    @property
    def start(self) -> dt.date:
        return self.opened_on or dt.date(self.first_year, 1, 1)

    @property
    def end(self) -> dt.date:
        if self.closed_on:
            return self.closed_on
        last = self.last_year - 1 if UNDATED_TERM_ENDS_BEFORE_LAST_YEAR else self.last_year
        return dt.date(max(last, self.first_year), 12, 31)

    @property
    def dated(self) -> bool:
        return self.opened_on is not None

    def contains(self, day: dt.date) -> bool:
        """The congress day opens the new term: a term holds [opened_on, closed_on) when dated."""
        if self.closed_on:
            return self.start <= day < self.closed_on
        return self.start <= day <= self.end

    def midpoint(self) -> dt.date:
        """The review date of a mid-term report when none is given: the end of the first half's last year
        (2015–2020 → 31/12/2017), as periods.interim_half counts it [I]."""
        return dt.date(interim_half(self.first_year, self.last_year), 12, 31)


UNDATED_TERM_ENDS_BEFORE_LAST_YEAR = True  # [I] see Term


def term_by_rule(day: dt.date, *, first_congress: int, years: int = TERM_DEFAULT_YEARS) -> Term:
    """The term a day falls in when no term is recorded: five-year terms from a congress year, the congress
    year opening the next term (header.term_of) [I]."""
    start = first_congress + ((day.year - first_congress) // years) * years
    return Term(start, start + years)


def interim_span(term: Term, review_on: dt.date) -> tuple[dt.date, dt.date]:
    """A mid-term report (sơ kết giữa nhiệm kỳ) runs from the congress date (1/1 of the first year when not
    recorded) to the review date: the report's date when it falls inside the term, otherwise the mid-point
    (issue 12, item 2)."""
    end = review_on if term.start <= review_on <= term.end else term.midpoint()
    return term.start, max(end, term.start)


# [I] How the time since the congress is said: "sau 2 năm", "sau 2,5 năm" (the press of sơ kết reports counts in
# half years); counted in whole steps of ELAPSED_STEP_MONTHS, rounded down.
ELAPSED_STEP_MONTHS = 6


def elapsed_years(start: dt.date, end: dt.date) -> Fraction:
    """Years from the congress to the day after `end`, rounded down to a step (15/6/2015 → 30/6/2017: 2)."""
    months = months_between(start, end + dt.timedelta(days=1))
    return Fraction(months // ELAPSED_STEP_MONTHS * ELAPSED_STEP_MONTHS, 12)


def fmt_years(n: Fraction) -> str:
    return f"{fmt_number(n)} năm"


@dataclass(frozen=True)
class TermJudgement:
    """A term target held against the term's total so far."""

    status: Status
    total: Number
    achievement: Fraction | None  # total / target for a count to reach; None for a share or a ceiling
    final: bool  # the term is over: the status is a verdict
    elapsed: Fraction  # years since the congress, as said ("sau 2,5 năm")

    def sentence(self) -> str:
        """'sau 2,5 năm, đạt 45% chỉ tiêu nhiệm kỳ' while the term runs; at its end 'đạt 105% chỉ tiêu nhiệm kỳ,
        vượt chỉ tiêu' / 'đạt 90% chỉ tiêu nhiệm kỳ, chưa đạt chỉ tiêu' (or only the verdict for a share)."""
        share = f"đạt {fmt_percent(self.achievement, 0)} chỉ tiêu nhiệm kỳ" if self.achievement is not None else ""
        if not self.final:
            return f"sau {fmt_years(self.elapsed)}, {share}" if share else f"sau {fmt_years(self.elapsed)} thực hiện"
        if self.status == Status.MET and share:
            return share
        return f"{share}, {STATUS_LABELS[self.status]}" if share else STATUS_LABELS[self.status]


def judge_term(bound: Bound, total: Number, *, term: Term, through: dt.date, unit: str = "") -> TermJudgement:
    """A term target ("kết nạp 60 đảng viên trong nhiệm kỳ") is judged by the term's total at the term's end
    and only then; a report ending earlier (annual, mid-term) gives the achievement so far, status IN_PROGRESS
    (issue 12, item 2). A ceiling (≤) is already missed once the total passes it."""
    final = through >= term.end
    count_to_reach = bound.op in (">=", "=") and unit != "%" and _f(bound.value) > 0
    ach = achievement(total, bound.value) if count_to_reach else None
    status = bound.status(total)
    if not final and not (bound.op == "<=" and status == Status.MISSED):
        status = Status.IN_PROGRESS
    return TermJudgement(status, total, ach, final, elapsed_years(term.start, min(through, term.end)))


# ------------------------------------------------------------------------------------------------------ plans


@dataclass(frozen=True)
class PlanYear:
    """A plan of one year and what the period shows of it: the actual over the part of the year the period
    covers (from/to are the cut when the period covers the year only in part)."""

    year: int
    plan: Number
    actual: int
    covered_from: dt.date | None = None  # the period starts inside the year
    covered_to: dt.date | None = None  # the period ends inside the year

    @property
    def partial(self) -> bool:
        return self.covered_from is not None or self.covered_to is not None

    def said(self) -> str:
        """'2016' for a whole year; '2015 (tính từ ngày 15/6/2015)', '2017 (tính đến ngày 20/10/2017)'."""
        cut = []
        if self.covered_from:
            cut.append(f"từ ngày {fmt_date(self.covered_from)}")
        if self.covered_to:
            cut.append(f"đến ngày {fmt_date(self.covered_to)}")
        return f"{self.year} (tính {' '.join(cut)})" if cut else str(self.year)


@dataclass(frozen=True)
class PlanJudgement:
    years: tuple[PlanYear, ...]
    wording: str  # "kế hoạch" / "chỉ tiêu"

    @property
    def plan(self) -> Fraction:
        return sum((_f(y.plan) for y in self.years), Fraction(0))

    @property
    def actual(self) -> int:
        return sum(y.actual for y in self.years)

    @property
    def achievement(self) -> Fraction:
        return achievement(self.actual, self.plan)

    @property
    def status(self) -> Status:
        """A plan year the period stops inside is not over: in progress, no verdict. Otherwise the plan is met
        (≥ 100%), exceeded (> 100%) or missed."""
        if any(y.covered_to for y in self.years):
            return Status.IN_PROGRESS
        return Bound(">=", self.plan).status(self.actual)

    def sentence(self, *, period_is_one_year: bool) -> str:
        """'đạt 116% kế hoạch' for the one year of an annual report; over several years, the years said:
        'đạt 95% kế hoạch các năm 2015 (tính từ ngày 15/6/2015), 2016 và 2018'."""
        head = achievement_sentence(self.actual, self.plan, of=self.wording)
        if period_is_one_year and len(self.years) == 1 and not self.years[0].partial:
            return head
        said = [y.said() for y in self.years]
        which = f"năm {said[0]}" if len(said) == 1 else "các năm " + ", ".join(said[:-1]) + " và " + said[-1]
        return f"{head} {which}"


def plan_years(
    plans: dict[int, Number], actual_by_year: dict[int, int], start: dt.date, end: dt.date
) -> tuple[PlanYear, ...]:
    """The plan years a period covers, each with its actual over the covered part; years without a plan are
    left out, so a plan of some years is never compared with admissions of more years (issue 12, item 2)."""
    out = []
    for year in sorted(plans):
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if last < start or first > end:
            continue
        out.append(
            PlanYear(
                year,
                plans[year],
                actual_by_year.get(year, 0),
                covered_from=start if start > first else None,
                covered_to=end if end < last else None,
            )
        )
    return tuple(out)


__all__ = [
    "STATUS_LABELS",
    "Bound",
    "PlanJudgement",
    "PlanYear",
    "Status",
    "Term",
    "TermJudgement",
    "achievement",
    "achievement_sentence",
    "elapsed_years",
    "fmt_number",
    "interim_span",
    "judge_term",
    "over_years",
    "plan_years",
    "ratio",
    "term_by_rule",
]
