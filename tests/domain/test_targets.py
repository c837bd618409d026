"""Targets and plans over any period (issue 12, item 2): term targets judged at the term's end and reported as
progress before it, plans only over their own years, bounds printed as typed. No database."""

import datetime as dt
from decimal import Decimal

from dangvu.domain.targets import (
    Bound,
    PlanJudgement,
    Status,
    Term,
    elapsed_years,
    fmt_number,
    interim_span,
    judge_term,
    over_years,
    plan_years,
    ratio,
    term_by_rule,
)

D = dt.date
# A grassroots committee's term, congress to congress.
TERM = Term(2015, 2020, D(2015, 6, 15), D(2020, 7, 20))
SIXTY = Bound(">=", Decimal("60.0000"))


def test_a_stored_target_prints_as_typed_never_in_scientific_notation() -> None:
    assert str(Decimal("100.0000").normalize()) == "1E+2"  # what the old code printed
    assert fmt_number(Decimal("100.0000")) == "100"
    assert fmt_number(Decimal("2.5000")) == "2,5"
    assert fmt_number(Decimal("1382")) == "1.382"
    assert Bound(">=", Decimal("100.0000")).printed("") == "≥ 100"
    assert Bound(">=", Decimal("0.9500")).printed("%") == "≥ 95%"


def test_a_term_target_before_the_terms_end_is_progress_never_missed() -> None:
    j = judge_term(SIXTY, 23, term=TERM, through=D(2017, 6, 30))
    assert j.status == Status.IN_PROGRESS
    assert j.sentence() == "sau 2 năm, đạt 38% chỉ tiêu nhiệm kỳ"
    j = judge_term(SIXTY, 28, term=TERM, through=D(2017, 12, 31))
    assert j.sentence() == "sau 2,5 năm, đạt 47% chỉ tiêu nhiệm kỳ"


def test_a_term_target_is_judged_by_the_terms_total_at_its_end() -> None:
    over = judge_term(SIXTY, 61, term=TERM, through=D(2020, 7, 20))
    assert (over.status, over.final) == (Status.EXCEEDED, True)
    assert over.sentence() == "đạt 102% chỉ tiêu nhiệm kỳ, vượt chỉ tiêu"
    short = judge_term(SIXTY, 54, term=TERM, through=D(2020, 7, 20))
    assert short.sentence() == "đạt 90% chỉ tiêu nhiệm kỳ, chưa đạt chỉ tiêu"
    assert judge_term(SIXTY, 60, term=TERM, through=D(2020, 7, 20)).sentence() == "đạt 100% chỉ tiêu nhiệm kỳ"


def test_a_ceiling_already_passed_is_missed_before_the_terms_end() -> None:
    j = judge_term(Bound("<=", 5), 7, term=TERM, through=D(2017, 6, 30))
    assert j.status == Status.MISSED


def test_the_congress_day_opens_the_new_term() -> None:
    old = Term(2010, 2015, D(2010, 6, 10), D(2015, 6, 15))
    assert old.contains(D(2015, 6, 14)) and not old.contains(D(2015, 6, 15))
    assert TERM.contains(D(2015, 6, 15))
    # Without dates, the congress year opens the next term (header.term_of) [I].
    undated = Term(2015, 2020)
    assert (undated.start, undated.end) == (D(2015, 1, 1), D(2019, 12, 31))
    assert term_by_rule(D(2015, 3, 1), first_congress=2010).label == "2015–2020"


def test_an_interim_report_runs_from_the_congress_to_the_review_date() -> None:
    assert interim_span(TERM, D(2017, 10, 20)) == (D(2015, 6, 15), D(2017, 10, 20))
    # A review date after the term: the mid-point rule.
    assert interim_span(TERM, D(2026, 1, 1)) == (D(2015, 6, 15), D(2017, 12, 31))
    assert interim_span(Term(2015, 2020), D(2026, 1, 1)) == (D(2015, 1, 1), D(2017, 12, 31))


def test_elapsed_time_is_said_in_half_years() -> None:
    assert elapsed_years(D(2015, 6, 15), D(2017, 6, 14)) == 2
    assert elapsed_years(D(2015, 6, 15), D(2017, 12, 31)) * 2 == 5


def test_a_plan_is_compared_only_over_its_years_and_a_partial_year_is_said() -> None:
    plans = {2015: Decimal(10), 2016: Decimal(12), 2017: Decimal(10)}
    actual = {2015: 6, 2016: 12, 2017: 5, 2018: 14}  # 2018 has no plan: not compared
    years = plan_years(plans, actual, D(2015, 6, 15), D(2017, 6, 30))
    j = PlanJudgement(years, "kế hoạch")
    assert (j.actual, j.plan) == (23, 32)
    assert j.sentence(period_is_one_year=False) == (
        "đạt 72% kế hoạch các năm 2015 (tính từ ngày 15/6/2015), 2016 và 2017 (tính đến ngày 30/6/2017)"
    )
    assert j.status == Status.IN_PROGRESS  # 2017 is not over: no verdict


def test_a_plan_of_one_whole_year_reads_as_the_seeds_print_it() -> None:
    j = PlanJudgement(plan_years({2016: Decimal(180)}, {2016: 209}, D(2016, 1, 1), D(2016, 12, 31)), "kế hoạch")
    assert j.sentence(period_is_one_year=True) == "đạt 116% kế hoạch"
    assert j.status == Status.EXCEEDED


def test_a_ratio_target_divides_by_the_figure_it_names() -> None:
    assert ratio(2, 50) == Decimal("0.04")
    assert Bound(">=", Decimal("0.03")).status(ratio(2, 50)) == Status.EXCEEDED  # type: ignore[arg-type]
    assert Bound(">=", Decimal("0.03")).status(ratio(1, 52)) == Status.MISSED  # type: ignore[arg-type]
    assert ratio(3, 0) is None


def test_a_year_in_progress_keeps_several_years_in_progress_unless_one_missed() -> None:
    assert over_years([Status.EXCEEDED, Status.IN_PROGRESS]) == Status.IN_PROGRESS
    assert over_years([Status.MISSED, Status.IN_PROGRESS]) == Status.MISSED
