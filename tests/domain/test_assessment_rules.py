"""A test per review rule and exemption, worded after ../shared/domain/assessment_rules.md. No database."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

import pytest

from dangvu.domain.assessment.levels import Level, NotRated
from dangvu.domain.assessment.quota import quota_status, quota_verdict
from dangvu.domain.assessment.regimes import (
    HD27_2014,
    QD124_2023,
    QD132_2018,
    QD366_2025,
    REGIMES,
    Quota,
    cite,
    regime_for_year,
)
from dangvu.domain.assessment.rules import (
    DisciplineFact,
    MemberFacts,
    OrgFacts,
    assess_member,
    assess_org,
    check_decision,
    score_from_points,
)
from dangvu.domain.assessment.streaks import Mark, streak_length, subjects_with_streak
from dangvu.domain.errors import RuleError

D = dt.date
L = Level
ALL_GOOD = {"politics": "good", "ethics": "good", "tasks": "good"}
TOP_GRADES = {"politics": "good", "ethics": "outstanding", "tasks": "outstanding"}


def member(year: int = 2020, **kw: object) -> MemberFacts:
    kw.setdefault("admitted_on", D(2000, 1, 1))
    return MemberFacts(year=year, rated_on=D(year, 12, 15), **kw)  # type: ignore[arg-type]


def org(year: int = 2020, **kw: object) -> OrgFacts:
    kw.setdefault("holds_members", False)
    kw.setdefault("established_on", D(2000, 1, 1))
    return OrgFacts(year=year, rated_on=D(year, 12, 15), **kw)  # type: ignore[arg-type]


# -- the year picks the regime
@pytest.mark.parametrize(
    ("year", "code"),
    [
        (2010, "hd20_2008"),
        (2013, "hd20_2008"),
        (2014, "hd27_2014"),
        (2016, "hd27_2014"),
        (2017, "hd27_2014"),
        (2018, "qd132_2018"),
        (2022, "qd132_2018"),
        (2023, "qd124_2023"),
        (2024, "qd124_2023"),
        (2025, "qd366_2025"),
        (2026, "qd366_2025"),
    ],
)
def test_the_year_picks_the_regime(year: int, code: str) -> None:
    assert regime_for_year(year).code == code


def test_the_old_scheme_rates_organizations_clean_strong_to_weak() -> None:
    assert HD27_2014.org_levels == (L.CLEAN_STRONG, L.GOOD, L.SATISFACTORY, L.WEAK)
    assert QD132_2018.org_levels == (L.EXCELLENT, L.GOOD, L.SATISFACTORY, L.FAILED)


# -- not rated
def test_an_exempt_member_is_not_rated() -> None:
    out = assess_member(member(exempt=True), QD132_2018)
    assert out.not_rated == NotRated.EXEMPT and "II.6" in out.reasons[0].source


def test_a_suspended_member_is_not_rated_from_hd21_but_was_rated_in_2018() -> None:
    assert assess_member(member(suspended=True), regime_for_year(2019)).not_rated == NotRated.SUSPENDED
    assert assess_member(member(2018, suspended=True), regime_for_year(2018)).not_rated is None


def test_a_member_admitted_under_six_months_before_the_rating_is_not_rated() -> None:
    out = assess_member(member(admitted_on=D(2020, 7, 1)), QD132_2018)
    assert out.not_rated == NotRated.ADMITTED_RECENTLY
    assert assess_member(member(admitted_on=D(2020, 6, 15)), QD132_2018).not_rated is None


def test_an_organization_established_under_six_months_before_is_not_rated() -> None:
    out = assess_org(org(established_on=D(2020, 8, 1)), QD132_2018)
    assert out.not_rated == NotRated.ESTABLISHED_RECENTLY


# -- member caps
def test_it_caps_a_disciplined_member_at_failed() -> None:
    out = assess_member(member(grades=TOP_GRADES, disciplines=[DisciplineFact("reprimand", D(2020, 5, 1))]), QD132_2018)
    assert out.cap == L.FAILED and out.proposed == L.FAILED
    assert any("II.B.2.3.d" in r.source for r in out.reasons)


def test_a_discipline_decided_in_another_year_does_not_count_again() -> None:
    out = assess_member(member(disciplines=[DisciplineFact("warning", D(2019, 12, 1))]), QD132_2018)
    assert out.cap == L.EXCELLENT


def test_from_qd124_a_self_detected_and_fixed_violation_does_not_cap() -> None:
    d = [DisciplineFact("reprimand", D(2023, 5, 1), self_fixed=True)]
    assert assess_member(member(2023, disciplines=d), QD124_2023).cap != L.FAILED
    assert (
        assess_member(member(2022, disciplines=[DisciplineFact("reprimand", D(2022, 5, 1), True)]), QD132_2018).cap
        == L.FAILED
    )


def test_three_months_sick_leave_caps_at_satisfactory() -> None:
    assert assess_member(member(sick_leave_months=3, grades=TOP_GRADES), QD132_2018).proposed == L.SATISFACTORY
    assert assess_member(member(sick_leave_months=2, grades=TOP_GRADES), QD132_2018).proposed == L.EXCELLENT


def test_a_civil_servant_failed_by_the_state_is_failed() -> None:
    out = assess_member(member(civil_servant=True, state_rating=L.FAILED, grades=TOP_GRADES), QD132_2018)
    assert out.proposed == L.FAILED


def test_the_top_level_needs_the_state_top_level() -> None:
    out = assess_member(member(civil_servant=True, state_rating=L.GOOD, grades=TOP_GRADES), QD132_2018)
    assert out.cap == L.GOOD and out.proposed == L.GOOD


def test_under_half_of_tasks_completed_is_failed() -> None:
    assert assess_member(member(tasks_completed=Fraction(49, 100)), QD132_2018).cap == L.FAILED


def test_degradation_concluded_is_failed() -> None:
    assert assess_member(member(degradation=True), QD132_2018).cap == L.FAILED


def test_qd124_top_needs_all_tasks_and_half_exceeded() -> None:
    f = member(2023, grades=TOP_GRADES, tasks_completed=Fraction(1), tasks_exceeded=Fraction(2, 5))
    assert assess_member(f, QD124_2023).proposed == L.GOOD
    f = member(2023, grades=TOP_GRADES, tasks_completed=Fraction(1), tasks_exceeded=Fraction(1, 2))
    assert assess_member(f, QD124_2023).proposed == L.EXCELLENT


# -- grades and scores
def test_grades_give_the_level_top_needs_outstanding_task_results() -> None:
    assert assess_member(member(grades=TOP_GRADES), QD132_2018).proposed == L.EXCELLENT
    assert assess_member(member(grades=ALL_GOOD), QD132_2018).proposed == L.GOOD
    assert assess_member(member(grades={**ALL_GOOD, "ethics": "average"}), QD132_2018).proposed == L.SATISFACTORY
    assert assess_member(member(grades={**ALL_GOOD, "ethics": "poor"}), QD132_2018).proposed == L.FAILED


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("90", L.EXCELLENT),
        ("89.9", L.GOOD),
        ("70", L.GOOD),
        ("69.9", L.SATISFACTORY),
        ("50", L.SATISFACTORY),
        ("49.9", L.FAILED),
    ],
)
def test_qd366_bands_are_half_open_and_compared_unrounded(score: str, level: str) -> None:
    f = member(2025, score=Decimal(score), tasks_completed=Fraction(1), tasks_exceeded=Fraction(3, 10))
    assert assess_member(f, QD366_2025).proposed == level


def test_qd366_top_score_without_thirty_percent_exceeded_is_good() -> None:
    f = member(2025, score=Decimal(95), tasks_completed=Fraction(1), tasks_exceeded=Fraction(1, 5))
    assert assess_member(f, QD366_2025).proposed == L.GOOD


# -- organizations
def test_hd21_top_needs_all_sub_units_satisfactory_and_eighty_percent_good() -> None:
    ok = org(sub_levels=[L.GOOD] * 8 + [L.SATISFACTORY] * 2, grades=TOP_GRADES)
    assert assess_org(ok, QD132_2018).proposed == L.EXCELLENT
    low = org(sub_levels=[L.GOOD] * 7 + [L.SATISFACTORY] * 3, grades=TOP_GRADES)
    assert assess_org(low, QD132_2018).cap == L.GOOD
    failed_one = org(sub_levels=[L.EXCELLENT] * 9 + [L.FAILED], grades=TOP_GRADES)
    assert assess_org(failed_one, QD132_2018).cap == L.GOOD


def test_a_branch_is_rated_from_its_members_under_hd21() -> None:
    f = org(holds_members=True, member_levels=[L.GOOD] * 3 + [L.SATISFACTORY] * 2)
    assert assess_org(f, QD132_2018).cap == L.GOOD


def test_hd27_a_committee_with_over_a_third_weak_sub_units_is_weak() -> None:
    f = org(2016, sub_levels=[L.WEAK] * 4 + [L.GOOD] * 7)  # 4/11 > 1/3
    assert assess_org(f, HD27_2014).cap == L.WEAK
    f = org(2016, sub_levels=[L.WEAK] * 3 + [L.GOOD] * 6)  # exactly 1/3: not more than
    assert assess_org(f, HD27_2014).cap == L.CLEAN_STRONG


def test_hd27_a_branch_with_over_half_members_failed_is_weak() -> None:
    f = org(2016, holds_members=True, member_levels=[L.FAILED] * 3 + [L.GOOD] * 2)
    assert assess_org(f, HD27_2014).cap == L.WEAK


def test_hd27_under_fifty_points_is_weak() -> None:
    assert assess_org(org(2016, score=Decimal("49.5")), HD27_2014).proposed == L.WEAK


def test_a_leadership_member_disciplined_at_warning_or_above_fails_the_organization() -> None:
    assert assess_org(org(leadership_discipline_forms=["warning"]), QD132_2018).cap == L.FAILED
    assert assess_org(org(leadership_discipline_forms=["reprimand"]), QD132_2018).cap == L.EXCELLENT


def test_over_twenty_percent_of_sub_units_disciplined_fails_the_organization() -> None:
    assert assess_org(org(sub_units_disciplined=3, sub_units_total=10), QD132_2018).cap == L.FAILED
    assert assess_org(org(sub_units_disciplined=2, sub_units_total=10), QD132_2018).cap == L.EXCELLENT


def test_from_qd124_any_discipline_below_bars_the_top_level() -> None:
    f = org(2023, sub_units_disciplined=1, sub_units_total=10)
    assert assess_org(f, QD124_2023).cap == L.GOOD
    assert assess_org(org(2022, sub_units_disciplined=1, sub_units_total=10), QD132_2018).cap == L.EXCELLENT


def test_an_organization_disciplined_itself_is_failed_unless_self_fixed() -> None:
    assert assess_org(org(disciplined=True), QD132_2018).cap == L.FAILED
    assert assess_org(org(disciplined=True, self_fixed=True), QD132_2018).cap == L.EXCELLENT


# -- deciding above the cap
def test_a_decision_above_the_cap_is_refused_with_the_reason() -> None:
    out = assess_member(member(sick_leave_months=4), QD132_2018)
    with pytest.raises(RuleError, match=r"[Nn]ghỉ ốm"):
        check_decision(L.GOOD, out, QD132_2018.member_levels)
    check_decision(L.SATISFACTORY, out, QD132_2018.member_levels)


def test_a_level_for_someone_not_rated_is_refused() -> None:
    with pytest.raises(RuleError, match="Không xếp loại"):
        check_decision(L.GOOD, assess_member(member(exempt=True), QD132_2018), QD132_2018.member_levels)


# -- quota
def test_the_quota_is_twenty_percent_of_good_within_the_grassroots_organization() -> None:
    assert quota_status(top=4, good=20, quota=Quota()).ok
    st = quota_status(top=5, good=24, quota=Quota())
    assert not st.ok and st.limit == 4 and st.over == 1  # floor(0.2 × 24) = 4


@pytest.mark.parametrize(
    ("rounding", "good", "limit"), [("floor", 4, 0), ("floor_min1", 4, 1), ("round_half_up", 13, 3), ("ceil", 11, 3)]
)
def test_quota_rounding_is_a_parameter(rounding: str, good: int, limit: int) -> None:
    assert Quota(rounding=rounding).limit(good) == limit


def test_the_quota_base_can_include_the_top_level() -> None:
    assert quota_status(top=5, good=20, quota=Quota(base="good_or_better")).limit == 5


def test_the_quota_verdict_counts_levels_and_lets_recorded_reasons_exceed_it() -> None:
    levels = [("excellent", ""), ("excellent", "Bằng khen của Tỉnh ủy"), *[("good", "")] * 5, ("", ""), ("failed", "")]
    v = quota_verdict(levels, Quota())
    assert (v.top, v.base, v.limit, v.unexplained) == (2, 5, 1, 1)
    assert not v.ok and v.acceptable  # over by one, and that one has the committee's reason
    assert not quota_verdict([("excellent", "")] * 2 + [("good", "")] * 5, Quota()).acceptable


def test_no_research_tag_reaches_a_quota_citation() -> None:
    for regime in REGIMES.values():
        for quota in (regime.member_quota, regime.org_quota):
            if quota is not None:
                shown = quota.citation
                assert shown and "[" not in shown and "không tìm thấy" not in shown and "bị cắt" not in shown
    assert QD366_2025.member_quota.citation == "Quy định 366-QĐ/TW, Điều 11"
    assert cite("Hướng dẫn 21-HD/BTCTW, II.B.2.3 [V cho HTXS; I cho các mức khác]") == "Hướng dẫn 21-HD/BTCTW, II.B.2.3"


def test_reasons_print_their_clause_without_research_tags() -> None:
    out = assess_member(member(2020, civil_servant=True, state_rating="good", grades=TOP_GRADES), QD132_2018)
    text = "; ".join(str(r) for r in out.reasons)
    assert "Hướng dẫn 21-HD/BTCTW, II.B.2.3" in text and "[" not in text


# -- QĐ 366 points
def test_the_score_is_the_sum_of_the_two_groups_each_within_its_maximum() -> None:
    crit = QD366_2025.member_criteria
    assert score_from_points({"general": Decimal(28), "tasks": Decimal("64.5")}, crit) == Decimal("92.5")
    assert score_from_points({}, crit) is None
    with pytest.raises(RuleError, match="từ 0 đến 30"):
        score_from_points({"general": Decimal(31), "tasks": Decimal(60)}, crit)
    with pytest.raises(RuleError, match="Thiếu điểm 'Kết quả thực hiện nhiệm vụ được giao'"):
        score_from_points({"general": Decimal(28)}, crit)


def test_a_score_below_ninety_caps_a_2025_member_at_good_whatever_the_tasks() -> None:
    f = member(2025, tasks_completed=Fraction(1), tasks_exceeded=Fraction(1, 2), score=Decimal(85))
    out = assess_member(f, QD366_2025)
    assert out.cap == L.GOOD
    with pytest.raises(RuleError, match="Tổng điểm 85 thuộc khung 'HTT'"):
        check_decision(L.EXCELLENT, out, QD366_2025.member_levels)
    assert (
        assess_member(
            member(2025, tasks_completed=Fraction(1), tasks_exceeded=Fraction(1, 2), score=Decimal(90)), QD366_2025
        ).cap
        == L.EXCELLENT
    )


def test_the_2025_top_level_refusal_cites_qd_366_and_the_missing_facts() -> None:
    out = assess_member(member(2025), QD366_2025)
    with pytest.raises(RuleError) as e:
        check_decision(L.EXCELLENT, out, QD366_2025.member_levels)
    assert "ghi nhận: hoàn thành —, vượt —" in e.value.message and "Quy định 366-QĐ/TW, Điều 11.1" in e.value.message


# -- streaks
def test_a_streak_runs_across_the_2018_regime_change() -> None:
    marks = {2014: Mark.TOP, 2015: Mark.TOP, 2016: Mark.TOP, 2017: Mark.TOP, 2018: Mark.TOP}
    assert streak_length(marks, 2018) == 5


def test_a_not_rated_year_breaks_a_streak_unless_configured() -> None:
    marks = {2012: Mark.TOP, 2013: Mark.TOP, 2014: Mark.NOT_RATED, 2015: Mark.TOP, 2016: Mark.TOP}
    assert streak_length(marks, 2016) == 2
    assert streak_length(marks, 2016, not_rated_breaks=False) == 4


def test_subjects_with_a_five_year_streak() -> None:
    rows = [(1, y, Mark.TOP) for y in range(2012, 2017)] + [(2, y, Mark.TOP) for y in range(2013, 2017)]
    rows += [(3, y, Mark.TOP if y != 2014 else Mark.RATED) for y in range(2012, 2017)]
    assert subjects_with_streak(rows, end_year=2016, length=5) == [1]


# -- each year cites what was in force that year
# The documents the rules cite and the year each was issued (assessment_rules §1).
ISSUED = {
    "20-HD/BTCTW": 2008,
    "27-HD/BTCTW": 2014,
    "3993-CV/BTCTW": 2017,
    "132-QĐ/TW": 2018,
    "16-HD/BTCTW": 2018,
    "21-HD/BTCTW": 2019,
    "124-QĐ/TW": 2023,
    "25-HD/BTCTW": 2023,
    "366-QĐ/TW": 2025,
    "43-HD/BTCTW": 2025,
    "10072-CV/BTCTW": 2025,
}
DOC = re.compile(r"(\d+)[-‐]\s*(HD|QĐ|CV|KL)/(BTCTW|TW)")


def _every_reason(year: int) -> list[str]:
    """The titles, sources and every reason the rules give for a battery of facts of the year."""
    r = regime_for_year(year)
    on = D(year, 12, 15)
    top, good, sat, low = r.org_levels
    texts = [
        r.title,
        r.sources,
        r.member_quota.citation,
        *(cite(getattr(r.cites, f)) for f in r.cites.__dataclass_fields__),
    ]
    if r.org_quota is not None:
        texts.append(r.org_quota.citation)
    members = [
        dict(exempt=True),
        dict(suspended=True),
        dict(admitted_on=on - dt.timedelta(days=30)),
        dict(disciplines=(DisciplineFact("warning", D(year, 3, 1)), DisciplineFact("reprimand", D(year, 4, 1), True))),
        dict(degradation=True, tasks_completed=Fraction(2, 5)),
        dict(civil_servant=True, state_rating=L.FAILED),
        dict(civil_servant=True, state_rating=L.SATISFACTORY, sick_leave_months=4),
        dict(grades={"general": "poor", "tasks": "good"}),
        dict(grades=TOP_GRADES),
        dict(grades=ALL_GOOD),
        dict(grades={"general": "average", "tasks": "good"}),
        dict(score=Decimal(95)),
        dict(score=Decimal(40)),
        dict(transferred_on=D(year, 9, 1), months_in_old_branch=8),
    ]
    for kw in members:
        kw.setdefault("admitted_on", D(2000, 1, 1))
        out = assess_member(MemberFacts(year=year, rated_on=on, **kw), r)  # type: ignore[arg-type]
        texts += [str(x) for x in (*out.reasons, *out.warnings)]
    orgs = [
        dict(established_on=on - dt.timedelta(days=60)),
        dict(disciplined=True, leadership_discipline_forms=("warning",), sub_units_disciplined=2, sub_units_total=3),
        dict(sub_levels=(low, low, good), flaws=("disunity",)),
        dict(holds_members=True, member_levels=(L.FAILED, L.FAILED, L.GOOD)),
        dict(holds_members=True, member_levels=(L.SATISFACTORY, L.GOOD), grades=TOP_GRADES),
        dict(sub_levels=(top, sat), score=Decimal(95)),
    ]
    for kw in orgs:
        kw.setdefault("holds_members", False)
        kw.setdefault("established_on", D(2000, 1, 1))
        out = assess_org(OrgFacts(year=year, rated_on=on, **kw), r)  # type: ignore[arg-type]
        texts += [str(x) for x in out.reasons]
    return texts


@pytest.mark.parametrize("year", range(2005, 2028))
def test_a_review_cites_no_document_issued_after_its_year(year: int) -> None:
    cited = {f"{m[1]}-{m[2]}/{m[3]}" for text in _every_reason(year) for m in DOC.finditer(text)}
    assert cited <= set(ISSUED), cited - set(ISSUED)
    assert {d for d in cited if ISSUED[d] > year} == set()
    if year < 2008:
        assert cited == set()  # no guidance known before HD 20 [U]: none is cited


def test_the_2011_review_cites_hd_20_and_says_nothing_of_hd_27_or_21() -> None:
    texts = _every_reason(2011)
    assert regime_for_year(2011).title == "Hướng dẫn 20-HD/BTCTW (10/10/2008)"
    assert any("Bị thi hành kỷ luật trong năm (cảnh cáo, ngày 1/3/2011). (Hướng dẫn 20-HD/BTCTW)" == t for t in texts)
    # HD 27's Yếu kém rules were issued in 2014: they do not rate a 2011 organization.
    assert not any("trên 1/3" in t or "trên 1/2" in t for t in texts)
    assert any("trên 1/3" in t for t in _every_reason(2015))


def test_the_quota_message_prints_the_regimes_own_ratio_and_base() -> None:
    # Quota.ratio and Quota.base are parameters ([U] beyond HD 21): the message says what the limit was taken of.
    levels = [(L.EXCELLENT, "")] * 3 + [(L.GOOD, "")] * 9
    assert quota_verdict(levels, Quota()).share == "20% của 9 HTT"
    wide = quota_verdict(levels, Quota(ratio=Fraction(1, 4), base="good_or_better"))
    assert (wide.limit, wide.share) == (3, "25% của 12 HTT và HTXS")
    assert wide.message("Đảng bộ xã A") == "Đảng bộ xã A: 3 HTXS / tối đa 3 (25% của 12 HTT và HTXS) — trong hạn mức."


def test_an_organizations_top_level_names_the_regimes_share_of_tasks_exceeded() -> None:
    from dataclasses import replace

    from dangvu.domain.assessment.rules import org_cap

    facts = org(2025, tasks_completed=Fraction(1), tasks_exceeded=Fraction(3, 10))
    assert org_cap(facts, QD366_2025)[0] == QD366_2025.top_org  # 30% beyond: the top level stays open
    cap, why = org_cap(facts, replace(QD366_2025, top_requires_tasks_exceeded=Fraction(2, 5)))
    assert cap != QD366_2025.top_org
    assert any("ít nhất 40% vượt mức" in r.text and r.source == "Quy định 366-QĐ/TW, Điều 11.1" for r in why)
