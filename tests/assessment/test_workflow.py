"""The review workflow through the services: stages, caps, quota, order, close, reopen, explain, stats."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.assessment.explain import explain_member, explain_org
from dangvu.assessment.models import AssessmentCycle, Rating, Result
from dangvu.assessment.services import (
    Decision,
    DecisionErrors,
    cycle_close,
    cycle_open,
    cycle_propose,
    cycle_reopen,
    decide_many,
    rating_record,
    result_decide,
    result_set_exemplary,
)
from dangvu.assessment.stats import member_streaks, stats_json
from dangvu.audit.models import AuditEntry
from dangvu.domain.errors import RuleError
from dangvu.members.services import member_exempt
from dangvu.work.models import Discipline

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_of_ten(district, make_member):  # type: ignore[no-untyped-def]
    """Ten members of branch B1 (ward W), admitted in 2010."""
    return [make_member(district.b1, D(2010, 1, 1 + i), name=f"Nguyễn Văn {chr(65 + i)}") for i in range(10)]


def test_a_member_goes_from_self_review_to_decision_with_every_stage_stored(district, branch_of_ten, actor) -> None:
    m = branch_of_ten[0]
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    assert cycle.regime == "qd132_2018" and cycle.rated_on == D(2020, 12, 15)
    rating_record(
        cycle=cycle,
        stage="self",
        member_id=m.pk,
        level="good",
        actor=actor,
        grades={"politics": "good", "tasks": "good"},
        comment="Tự nhận HTT",
    )
    rating_record(cycle=cycle, stage="proposal", member_id=m.pk, level="good", actor=actor)
    rating_record(cycle=cycle, stage="review", member_id=m.pk, level="good", actor=actor)
    res = result_decide(cycle=cycle, member_id=m.pk, level="good", actor=actor)
    assert res.level == "good" and res.unit_id == district.b1.pk and res.grassroots_id == district.ward.pk
    assert list(Rating.objects.filter(member=m).values_list("stage", flat=True)) == [
        "self",
        "proposal",
        "review",
        "decision",
    ]
    with pytest.raises(RuleError, match="Đã có quyết định"):
        rating_record(cycle=cycle, stage="self", member_id=m.pk, level="excellent", actor=actor)
    assert AuditEntry.objects.filter(action="result_decide").exists()


def test_a_decision_above_the_cap_is_refused_and_nothing_is_written(district, branch_of_ten, actor) -> None:
    m = branch_of_ten[0]
    Discipline.objects.create(member=m, form="reprimand", decided_on=D(2020, 6, 1))
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    with pytest.raises(DecisionErrors, match="Bị thi hành kỷ luật trong năm"):
        result_decide(cycle=cycle, member_id=m.pk, level="good", actor=actor)
    assert not Result.objects.exists() and not Rating.objects.exists()
    result_decide(cycle=cycle, member_id=m.pk, level="failed", actor=actor)


def test_an_exempt_member_gets_no_level_and_is_recorded_as_not_rated_at_close(district, branch_of_ten, actor) -> None:
    m = branch_of_ten[0]
    member_exempt(member=m, on=D(2019, 3, 1), actor=actor)
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    with pytest.raises(DecisionErrors, match="miễn công tác"):
        result_decide(cycle=cycle, member_id=m.pk, level="good", actor=actor)
    decide_many(cycle=cycle, actor=actor, decisions=[Decision("m", x.pk, "good") for x in branch_of_ten[1:]])
    decide_many(
        cycle=cycle,
        actor=actor,
        decisions=[Decision("o", o.pk, "good") for o in (district.b1, district.b2, district.ward)],
    )
    with pytest.raises(RuleError, match="còn 0 đảng viên và 1 tổ chức"):
        cycle_close(cycle=cycle, actor=actor)  # the agency branch is not decided yet
    result_decide(cycle=cycle, organization_id=district.agency.pk, level="good", actor=actor)
    report = cycle_close(cycle=cycle, actor=actor)
    assert report.not_rated == 1
    assert Result.objects.get(member=m, year=2020).not_rated == "exempt"


def test_the_quota_refuses_a_sixth_top_level_without_a_reason(district, branch_of_ten, actor) -> None:
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    # 2 excellent and 8 good: floor(20% × 8) = 1 allowed.
    decisions = [Decision("m", m.pk, "excellent") for m in branch_of_ten[:2]]
    decisions += [Decision("m", m.pk, "good") for m in branch_of_ten[2:]]
    with pytest.raises(DecisionErrors, match="Vượt hạn mức HTXS: 2 HTXS trên 8 HTT"):
        decide_many(cycle=cycle, decisions=decisions, actor=actor)
    decisions[1] = Decision("m", branch_of_ten[1].pk, "excellent", override_reason="Kết luận 15-KL/HU")
    decide_many(cycle=cycle, decisions=decisions, actor=actor)
    assert Result.objects.get(member=branch_of_ten[1]).override_reason == "Kết luận 15-KL/HU"


def test_organizations_are_rated_after_their_members_and_sub_units(district, branch_of_ten, actor) -> None:
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    with pytest.raises(DecisionErrors, match="chưa thể xếp loại: còn 10 đảng viên"):
        result_decide(cycle=cycle, organization_id=district.b1.pk, level="good", actor=actor)
    decide_many(cycle=cycle, actor=actor, decisions=[Decision("m", m.pk, "good") for m in branch_of_ten])
    with pytest.raises(DecisionErrors, match="còn 2 tổ chức trực thuộc"):
        result_decide(cycle=cycle, organization_id=district.ward.pk, level="good", actor=actor)
    # HD 21: 100% good is enough for the top level of a branch; a ward committee needs its branches first.
    decide_many(
        cycle=cycle,
        actor=actor,
        decisions=[
            Decision("o", district.b1.pk, "excellent", exemplary=True),
            Decision("o", district.b2.pk, "good"),
            Decision("o", district.ward.pk, "excellent"),
        ],
    )
    assert Result.objects.get(organization=district.b1).exemplary


def test_exemplary_is_only_for_the_top_level(district, branch_of_ten, actor) -> None:
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    res = result_decide(cycle=cycle, member_id=branch_of_ten[0].pk, level="good", actor=actor)
    with pytest.raises(RuleError, match="Tiêu biểu"):
        result_set_exemplary(result=res, exemplary=True, actor=actor)


def test_a_closed_cycle_is_locked_and_reopening_needs_a_reason(district, branch_of_ten, actor) -> None:
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    decide_many(cycle=cycle, actor=actor, decisions=[Decision("m", m.pk, "good") for m in branch_of_ten])
    decide_many(
        cycle=cycle,
        actor=actor,
        decisions=[Decision("o", o.pk, "good") for o in (district.b1, district.b2, district.ward, district.agency)],
    )
    cycle_close(cycle=cycle, actor=actor)
    with pytest.raises(RuleError, match="đã kết thúc"):
        result_decide(cycle=cycle, member_id=branch_of_ten[0].pk, level="satisfactory", actor=actor)
    with pytest.raises(RuleError, match="lý do"):
        cycle_reopen(cycle=cycle, reason=" ", actor=actor)
    cycle_reopen(cycle=cycle, reason="Khiếu nại của đồng chí A được chấp nhận", actor=actor)
    result_decide(cycle=cycle, member_id=branch_of_ten[0].pk, level="satisfactory", actor=actor)
    assert AuditEntry.objects.get(action="cycle_reopen").reason.startswith("Khiếu nại")


def test_the_level_above_rates_the_district_after_the_districts_own_cycle(district, branch_of_ten, actor) -> None:
    # The province's cycle rates the district (SEED F19); the district's own cycle rates everything below it.
    above = cycle_open(committee=district.province, year=2023, actor=actor)
    own = cycle_open(committee=district.district, year=2023, actor=actor)
    with pytest.raises(RuleError, match="đã có đợt đánh giá"):
        cycle_open(committee=district.district, year=2023, actor=actor)
    # Refused naming the ward by code and name, and which cycle decides it.
    with pytest.raises(DecisionErrors) as refused:
        result_decide(cycle=above, organization_id=district.ward.pk, level="good", actor=actor)
    assert refused.value.message == (
        "Đảng bộ cơ sở W – Đảng bộ xã Thanh Sơn: thuộc đợt đánh giá năm 2023 của H – Đảng bộ huyện Kim Bảng; cấp "
        "ủy đó quyết định kết quả này."
    )
    with pytest.raises(DecisionErrors, match="còn 2 tổ chức trực thuộc"):
        result_decide(cycle=above, organization_id=district.district.pk, level="excellent", actor=actor)
    decide_many(cycle=own, actor=actor, decisions=[Decision("m", m.pk, "good") for m in branch_of_ten])
    decide_many(
        cycle=own,
        actor=actor,
        decisions=[Decision("o", o.pk, "good") for o in (district.b1, district.b2, district.ward, district.agency)],
    )
    res = result_decide(cycle=above, organization_id=district.district.pk, level="excellent", actor=actor)
    assert res.level == "excellent" and res.unit_kind == "district"
    assert "Đảng bộ huyện Kim Bảng" in "\n".join(explain_org(district.district, 2023))


def test_proposals_follow_the_facts(district, branch_of_ten, actor) -> None:
    Discipline.objects.create(member=branch_of_ten[0], form="warning", decided_on=D(2020, 3, 1))
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    rating_record(
        cycle=cycle,
        stage="self",
        member_id=branch_of_ten[1].pk,
        actor=actor,
        grades={"politics": "good", "ethics": "outstanding", "tasks": "outstanding"},
    )
    assert cycle_propose(cycle=cycle, actor=actor) == 2
    props = dict(Rating.objects.filter(stage="proposal").values_list("member_id", "level"))
    assert props == {branch_of_ten[0].pk: "failed", branch_of_ten[1].pk: "excellent"}


def test_explain_prints_facts_caps_and_clauses(district, branch_of_ten, actor) -> None:
    m = branch_of_ten[0]
    Discipline.objects.create(member=m, form="reprimand", decided_on=D(2020, 6, 1))
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    result_decide(cycle=cycle, member_id=m.pk, level="failed", actor=actor)
    text = "\n".join(explain_member(m, 2020))
    assert "Quy định 132-QĐ/TW" in text and "Bị thi hành kỷ luật trong năm" in text
    assert "II.B.2.3.d" in text and "Kết quả: KHTNV" in text
    text = "\n".join(explain_org(district.b1, 2020))
    assert "Đảng viên đã xếp loại: 1" in text


def test_stats_count_grassroots_branches_and_members_apart_and_print_sentences(district, branch_of_ten, actor):
    cycle = cycle_open(committee=district.district, year=2016, actor=actor)
    assert cycle.regime == "hd27_2014"
    decide_many(
        cycle=cycle,
        actor=actor,
        decisions=[Decision("m", m.pk, "excellent" if i < 1 else "good") for i, m in enumerate(branch_of_ten)],
    )
    decide_many(
        cycle=cycle,
        actor=actor,
        decisions=[
            Decision("o", district.b1.pk, "clean_strong", exemplary=True),
            Decision("o", district.b2.pk, "good"),
            Decision("o", district.ward.pk, "clean_strong"),
            Decision("o", district.agency.pk, "good"),
        ],
    )
    data = stats_json(district.district, 2016)
    assert data["grassroots"]["levels"] == {"clean_strong": 1, "good": 1}
    assert data["branches"]["rated"] == 2 and data["branches"]["exemplary"] == 1
    assert data["members"]["rated"] == 10
    assert "có 50,00% tổ chức cơ sở đảng đạt 'Trong sạch, vững mạnh'" in data["sentences"]
    assert "1/2 chi bộ trực thuộc đạt 'Trong sạch, vững mạnh'" in data["sentences"]
    assert "100% đảng viên hoàn thành xuất sắc nhiệm vụ và hoàn thành tốt nhiệm vụ" in data["sentences"]
    assert "1 tập thể đạt 'Trong sạch, vững mạnh' tiêu biểu năm 2016" in data["sentences"]
    # The whole country (no root) holds only this district here: the same figures, the district itself excluded
    # from its own figures but counted nationally as nothing (it has no result).
    country = stats_json(None, 2016)
    assert country["members"] == data["members"] and country["grassroots"]["levels"] == data["grassroots"]["levels"]


def test_a_streak_follows_a_member_across_a_transfer_and_the_regime_change(district, make_member, actor) -> None:
    from dangvu.members.services import member_transfer_in

    m = make_member(district.b1, D(2010, 1, 1))
    peers = [
        make_member(district.agency, D(2010, 2, 1 + i), name=f"Lê Thị {chr(65 + i)}", gender="female") for i in range(5)
    ]
    for year in range(2014, 2019):
        if year == 2017:
            member_transfer_in(member=m, to=district.agency, on=D(2017, 3, 1), actor=actor)
        cycle = cycle_open(committee=district.district, year=year, actor=actor)
        decide_many(
            cycle=cycle,
            actor=actor,
            decisions=[Decision("m", m.pk, "excellent", override_reason="Gương mẫu")]
            + [Decision("m", p.pk, "good") for p in peers],
        )
        AssessmentCycle.objects.filter(pk=cycle.pk).update(status="closed")
    assert member_streaks(district.district, 2018, 5) == [m.pk]
    assert member_streaks(district.district, 2018, 6) == []
    assert member_streaks(None, 2018, 5) == [m.pk]
    assert member_streaks(district.district, 2018, 5, not_rated_breaks=False) == [m.pk]


def test_a_committee_can_pin_another_regime(district, actor) -> None:
    cycle = cycle_open(committee=district.district, year=2020, actor=actor, regime="qd124_2023")
    assert cycle.regime == "qd124_2023"
    with pytest.raises(RuleError, match="Không có quy định"):
        cycle_open(committee=district.province, year=2021, actor=actor, regime="army_2020")


def test_closing_warns_but_does_not_refuse_when_organizations_exceed_twenty_percent(district, branch_of_ten, actor):
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    decide_many(cycle=cycle, actor=actor, decisions=[Decision("m", m.pk, "good") for m in branch_of_ten])
    decide_many(
        cycle=cycle,
        actor=actor,
        decisions=[
            Decision("o", district.b1.pk, "excellent"),
            Decision("o", district.b2.pk, "excellent"),
            Decision("o", district.ward.pk, "excellent"),
            Decision("o", district.agency.pk, "good"),
        ],
    )
    report = cycle_close(cycle=cycle, actor=actor)
    assert any("Đảng bộ xã Thanh Sơn: 2 tổ chức mức cao nhất" in w for w in report.quota_warnings)


def test_the_quota_scope_can_be_the_whole_deciding_committee(district, make_member, actor, monkeypatch) -> None:
    # Two grassroots organizations: W (B1) with one member, A with five. Per grassroots organization W's single
    # top result breaks the quota (limit 0); counted over the committee, 1 ≤ 20% of 5 good holds.
    solo = make_member(district.b1, D(2010, 1, 1))
    five = [make_member(district.agency, D(2010, 2, 1 + i), name=f"Lê Văn {chr(65 + i)}") for i in range(5)]
    decisions = [Decision("m", solo.pk, "excellent")] + [Decision("m", m.pk, "good") for m in five]
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    with pytest.raises(DecisionErrors, match="Vượt hạn mức"):
        decide_many(cycle=cycle, decisions=decisions, actor=actor)
    cycle.delete()
    cycle = cycle_open(committee=district.district, year=2020, actor=actor, regime="qd132_2018")
    from dangvu.assessment import facts
    from dangvu.domain.assessment.regimes import REGIMES, Quota

    pinned = REGIMES["qd132_2018"].with_(member_quota=Quota(scope="deciding_committee"))
    monkeypatch.setattr(facts, "cycle_regime", lambda c: pinned)  # the committee's own parameters
    decide_many(cycle=cycle, decisions=decisions, actor=actor)
    assert Result.objects.filter(cycle=cycle).count() == 6
