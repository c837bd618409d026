"""compare_by_root's queries do not grow with the number of roots: the per-year passes (yearly targets, plans
over several years) and the term's total so far are computed once for all roots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.audit.services import Actor
from dangvu.targets.compare import compare_by_root
from dangvu.targets.services import plan_set, target_set

D = dt.date


def test_plans_and_term_targets_cost_the_same_queries_for_one_root_or_three(
    district: Any, make_member: Any, actor: Actor
) -> None:
    units = [district.ward, district.agency, district.district]
    for unit in units:
        target_set(
            organization=unit,
            indicator="admissions",
            op=">=",
            value=20,
            per="term",
            first_year=2015,
            last_year=2020,
            actor=actor,
        )
        for year in (2016, 2017):
            plan_set(organization=unit, indicator="admissions", year=year, value=5, actor=actor)
    make_member(district.b1, D(2016, 4, 1))
    make_member(district.agency, D(2017, 4, 1))
    codes = ["admissions"]
    with CaptureQueriesContext(connection) as one:
        got = compare_by_root(units[:1], D(2016, 1, 1), D(2017, 12, 31), codes)
    with CaptureQueriesContext(connection) as three:
        all_ = compare_by_root(units, D(2016, 1, 1), D(2017, 12, 31), codes)
    assert len(three) == len(one)
    assert (
        got[district.ward.pk][0].sentence
        == all_[district.ward.pk][0].sentence
        == (
            "kết nạp 1 đảng viên mới (đạt 10% kế hoạch các năm 2016 và 2017; từ đầu nhiệm kỳ: 1 đảng viên; sau 3 "
            "năm, đạt 5% chỉ tiêu nhiệm kỳ)"
        )
    )
    # The district holds both units: 2 admitted, its own plans and term target.
    assert all_[district.district.pk][0].term is not None and all_[district.district.pk][0].term.total == 2
