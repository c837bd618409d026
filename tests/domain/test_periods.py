"""Report periods of any length: titled by their dates, compared only with a period of the same length."""

import datetime as dt

from dangvu.domain.reports.periods import Kind, Period, parse_period

D = dt.date
TODAY = D(2026, 12, 1)


def test_a_calendar_year_is_titled_by_its_year_and_compared_with_the_year_before() -> None:
    p = parse_period("2013", today=TODAY)
    assert p.title() == "năm 2013"
    prev = p.previous()
    assert (prev.start, prev.end, prev.title()) == (D(2012, 1, 1), D(2012, 12, 31), "năm 2012")


def test_a_fifteen_month_period_is_titled_by_its_dates_and_never_as_the_year_it_ends_in() -> None:
    p = parse_period("1/1/2012..31/3/2013", today=TODAY)
    assert p.title() == "từ ngày 1/1/2012 đến ngày 31/3/2013"
    assert "năm 2013" not in p.title()
    assert p.months == 15


def test_a_fifteen_month_period_is_compared_with_the_fifteen_months_before_it() -> None:
    p = parse_period("1/1/2012..31/3/2013", today=TODAY)
    prev = p.previous()
    assert (prev.start, prev.end) == (D(2010, 10, 1), D(2011, 12, 31))
    assert prev.months == 15
    assert p.comparable_with(prev)
    assert not p.comparable_with(parse_period("2011", today=TODAY))


def test_several_whole_years_are_compared_with_as_many_years_before() -> None:
    p = parse_period("2015-2020", kind=Kind.TERM, today=TODAY)
    prev = p.previous()
    assert (prev.start, prev.end, prev.title()) == (D(2009, 1, 1), D(2014, 12, 31), "giai đoạn 2009 – 2014")


def test_a_period_of_odd_days_is_compared_with_as_many_days_before() -> None:
    p = Period(D(2015, 6, 15), D(2017, 10, 20), "15/6/2015..20/10/2017")
    prev = p.previous()
    assert prev.end == D(2015, 6, 14)
    assert prev.days == p.days
    assert p.title() == "từ ngày 15/6/2015 đến ngày 20/10/2017"


def test_a_month_range_across_a_year_start_steps_back_over_the_year() -> None:
    p = Period(D(2024, 2, 1), D(2024, 4, 30), "1/2/2024..30/4/2024")
    prev = p.previous()
    assert (prev.start, prev.end) == (D(2023, 11, 1), D(2024, 1, 31))
