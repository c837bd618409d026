"""A closed year's statistics are summed from its tallies (assessment.tallies) and equal, figure for figure, the
statistics counted from the results one by one: across the years and regimes of the demo district, for every
root, with the structure of the year's end and of today (units moved by the 2025 reform), and while a cycle is
reopened and corrected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Count

from dangvu.assessment.models import AssessmentCycle, Result, ResultTally
from dangvu.assessment.services import Decision, cycle_close, cycle_reopen, decide_many
from dangvu.assessment.stats import review_stats, review_stats_by_root, stats_json
from dangvu.assessment.tallies import tallies_remove
from dangvu.audit.services import Actor
from dangvu.orgs.models import Organization, OrgVersion, valid_on
from dangvu.synth.district import generate
from dangvu.targets.indicators import compute_by_root

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)
STAFF = Actor(label="Cán bộ Ban Tổ chức")


def _figures(roots: list[int], years: range, days: dict[int, list[dt.date | None]]) -> dict[Any, Any]:
    """Every figure the statistics give, for each root (and the whole country), year and structure day."""
    out: dict[Any, Any] = {}
    for year in years:
        for on in days[year]:
            for root, groups in review_stats_by_root(roots, year, structure_on=on).items():
                out[(root, year, on)] = {k: g.as_json() for k, g in groups.items()}
            out[(None, year, on)] = {k: g.as_json() for k, g in review_stats(None, year, structure_on=on).items()}
    return out


def _roots(year: int) -> list[int]:
    """The province, the districts, communes and grassroots organizations of the year's end and of today."""
    kinds = ["province", "district", "commune", "grassroots_committee", "grassroots_branch", "partial_committee"]
    ids: set[int] = set()
    for on in (dt.date(year, 12, 31), TODAY):
        ids |= set(OrgVersion.objects.filter(valid_on(on), kind__in=kinds).values_list("organization_id", flat=True))
    return sorted(ids)


@pytest.fixture
def demo() -> Any:
    return generate(profile="district", seed=7, members=400, today=TODAY, rate_from=2016)


def test_a_closed_years_statistics_from_its_tallies_equal_those_counted_result_by_result(demo: Any) -> None:
    years = range(2016, 2026)  # HD 27, QĐ 132, QĐ 124 and QĐ 366
    assert not AssessmentCycle.objects.exclude(status="closed").exists()
    # Each closed cycle's tallies are its results grouped by unit and level, nothing more, nothing less, and its
    # totals (no unit) the same results grouped by level alone.
    for cycle in AssessmentCycle.objects.filter(year__in=years):
        for by_unit in (True, False):
            tallies = ResultTally.objects.filter(cycle=cycle, unit__isnull=not by_unit)
            assert sum(tallies.values_list("n", flat=True)) == cycle.results.count()
    roots = sorted(set().union(*(_roots(y) for y in years)))
    days: dict[int, list[dt.date | None]] = {y: [None, TODAY] for y in years}
    summed = _figures(roots, years, days)
    assert sum(f["members"]["rated"] for (r, _y, on), f in summed.items() if r is None and on is None) > 3000
    # A cycle marked open by other means than cycle_reopen keeps stale tallies: they are not read, its results are.
    some = AssessmentCycle.objects.filter(year=2020, results__isnull=False).distinct().first()
    assert some is not None
    AssessmentCycle.objects.filter(pk=some.pk).update(status="open")
    assert _figures(roots, range(2020, 2021), days) == {k: v for k, v in summed.items() if k[1] == 2020}
    AssessmentCycle.objects.filter(pk=some.pk).update(status="closed")
    for year in years:
        tallies_remove(year=year)  # closed cycles without tallies are counted result by result
    counted = _figures(roots, years, days)
    assert summed == counted
    # The indicators' review shares read the same statistics.
    district = Organization.objects.get(code=demo.district_codes[0])
    shares = [
        (v.numerator, v.denominator)
        for v in compute_by_root([district], dt.date(2024, 1, 1), dt.date(2024, 12, 31))[district.pk]
        if v.code.startswith("review.")
    ]
    assert shares and all(d for _n, d in shares)


def test_a_reopened_cycle_is_counted_result_by_result_until_it_closes_again(demo: Any) -> None:
    year = 2024
    cycle = AssessmentCycle.objects.filter(year=year, results__member__isnull=False).distinct().first()
    assert cycle is not None
    district = Organization.objects.get(code=demo.district_codes[0])
    before = stats_json(district, year)
    cycle_reopen(cycle=cycle, reason="Sửa kết quả xếp loại theo kết luận kiểm tra", actor=STAFF)
    assert not ResultTally.objects.filter(cycle=cycle).exists()
    assert stats_json(district, year) == before
    # A correction: one member's level goes down a step while the cycle is open again.
    result = Result.objects.filter(cycle=cycle, member__isnull=False, level="good").first()
    assert result is not None and result.member_id is not None
    decide_many(cycle=cycle, decisions=[Decision("m", result.member_id, "satisfactory")], actor=STAFF)
    corrected = stats_json(district, year)
    assert corrected["members"]["levels"]["good"] == before["members"]["levels"]["good"] - 1
    assert corrected["members"]["levels"]["satisfactory"] == before["members"]["levels"].get("satisfactory", 0) + 1
    # The other cycles of the year are still summed; this one is counted: the same as all counted.
    summed_others = _figures(_roots(year), range(year, year + 1), {year: [None, TODAY]})
    cycle_close(cycle=cycle, actor=STAFF)
    grouped = (
        Result.objects.filter(cycle=cycle)
        .values("unit_id", "organization_id", "level", "not_rated", "exemplary")
        .annotate(n=Count("*"))
    )
    tallies = ResultTally.objects.filter(cycle=cycle, unit__isnull=False)
    assert sorted(
        (r["unit_id"] if r["organization_id"] is None else r["organization_id"], r["level"], r["n"]) for r in grouped
    ) == sorted(tallies.values_list("unit_id", "level", "n"))
    assert stats_json(district, year) == corrected
    assert _figures(_roots(year), range(year, year + 1), {year: [None, TODAY]}) == summed_others
