"""Work records through their services: rules, links, proposals, programmes."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.assessment.services import Decision, cycle_open, decide_many
from dangvu.domain.errors import RuleError
from dangvu.targets.programmes import programme_create, programme_sentence
from dangvu.work.models import Candidate
from dangvu.work.proposals import proposals
from dangvu.work.services import (
    badge_award,
    candidate_admit,
    candidate_register,
    candidate_vote,
    discipline_record,
    document_register,
)

D = dt.date
pytestmark = pytest.mark.django_db


def test_a_probationary_member_can_only_be_reprimanded_or_warned(district, make_member, actor) -> None:
    m = make_member(district.b1, D(2020, 1, 10))  # probationary until 30/01/2021
    with pytest.raises(RuleError, match="dự bị không thể bị kỷ luật bằng hình thức 'Cách chức'"):
        discipline_record(member=m, form="dismissal", decided_on=D(2020, 6, 1), actor=actor)
    discipline_record(member=m, form="warning", decided_on=D(2020, 6, 1), actor=actor)
    with pytest.raises(RuleError, match="Tổ chức đảng không thể"):
        discipline_record(organization=district.b1, form="expulsion", decided_on=D(2020, 6, 1), actor=actor)


def test_a_candidate_becomes_a_member_through_the_membership_rules(district, actor) -> None:
    c = candidate_register(
        actor=actor,
        full_name="Phạm Thị Mai",
        gender="female",
        birth_date=D(2006, 9, 1),
        organization=district.b1,
        category="high_school_student",
    )
    with pytest.raises(RuleError, match="Hồ sơ chưa đủ"):
        candidate_vote(candidate=c, voted_on=D(2024, 10, 1), actor=actor)
    c.dossier_complete, c.awareness_course_on = True, D(2024, 5, 1)
    c.save()
    candidate_vote(candidate=c, voted_on=D(2024, 10, 1), actor=actor)
    # The branch reviewed her at 18 years and 1 month: the age rule passes.
    m = candidate_admit(candidate=c, decided_on=D(2024, 11, 15), ceremony_on=D(2024, 12, 2), actor=actor)
    assert m.events.get().category == "high_school_student"
    assert Candidate.objects.get(pk=c.pk).stage == "admitted"


def test_documents_register_by_code_and_link_what_they_implement(actor) -> None:
    nq = document_register(
        code="Số 15-NQ/TW, ngày 30/7/2007",
        term="khóa X",
        actor=actor,
        subject="Đổi mới phương thức lãnh đạo của Đảng đối với hoạt động của hệ thống chính trị",
    )
    ctr = document_register(code="36-CTr/TU, ngày 5/5/2008", term="2005–2010", actor=actor, implements=[nq])
    assert list(ctr.implements.all()) == [nq] and list(nq.implemented_by.all()) == [ctr]
    with pytest.raises(RuleError, match="đã có"):
        document_register(code="36-CTr/TU, ngày 5/5/2008", term="2005–2010", actor=actor)


def test_a_badge_is_refused_before_the_milestone(district, make_member, actor) -> None:
    m = make_member(district.b1, D(2000, 3, 1), birth=D(1975, 1, 1))
    with pytest.raises(RuleError, match="chưa đủ 30 năm tuổi Đảng"):
        badge_award(member=m, milestone=30, awarded_on=D(2029, 9, 2), actor=actor)
    badge_award(member=m, milestone=30, awarded_on=D(2030, 3, 2), actor=actor)
    with pytest.raises(RuleError, match="Không có Huy hiệu 35"):
        badge_award(member=m, milestone=35, awarded_on=D(2025, 3, 2), actor=actor)


def test_the_programme_prints_as_the_report_does(district, actor) -> None:
    p = programme_create(
        organization=district.district,
        term="2020–2025",
        first_year=2020,
        last_year=2025,
        title="Nghị quyết Đại hội Đảng bộ quận lần thứ VI",
        actor=actor,
        items={
            "programme": [f"Chương trình {i}" for i in range(1, 7)],
            "key_task": [f"Nhiệm vụ {i}" for i in range(1, 6)],
            "breakthrough": ["Cải cách hành chính", "Chỉnh trang đô thị"],
            "target_group": [f"Nhóm {i}" for i in range(1, 6)],
        },
    )
    assert programme_sentence(p) == (
        "6 chương trình công tác toàn khóa, 5 nhiệm vụ trọng tâm, 2 khâu đột phá và 5 nhóm chỉ tiêu chủ yếu"
    )


def _rate_the_organizations(cycle, district, actor) -> None:  # type: ignore[no-untyped-def]
    """B1 exemplary at the top level, the ward at the top level, B2 and the agency good."""
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


def test_proposals_list_five_year_streaks_with_the_evidence(district, make_member, actor) -> None:
    star = make_member(district.b1, D(2010, 1, 1))
    others = [make_member(district.b1, D(2010, 2, 1 + i), name=f"Lê Văn {chr(65 + i)}") for i in range(5)]
    for year in range(2012, 2017):
        cycle = cycle_open(committee=district.district, year=year, actor=actor)
        decide_many(
            cycle=cycle,
            actor=actor,
            decisions=[Decision("m", star.pk, "excellent")] + [Decision("m", o.pk, "good") for o in others],
        )
        _rate_the_organizations(cycle, district, actor)
    got = {(p.title, p.subject): p.evidence for p in proposals(district.district, 2016)}
    assert got[("Hoàn thành xuất sắc nhiệm vụ 5 năm liền (2012–2016)", star.code)] == (
        "2012: HTXS, 2013: HTXS, 2014: HTXS, 2015: HTXS, 2016: HTXS"
    )
    assert ("Trong sạch, vững mạnh tiêu biểu 5 năm liền (2012–2016)", "B1") in got
    assert ("Trong sạch, vững mạnh tiêu biểu năm 2016", "B1") in got


def test_proposals_take_the_subtree_as_it_stood_at_the_years_end(district, actor) -> None:
    from dangvu.domain.orgtree import OrgKind, Sector
    from dangvu.orgs.services import org_establish, org_move

    _rate_the_organizations(cycle_open(committee=district.district, year=2016, actor=actor), district, actor)
    # In 2017 branch B1 moves to a new commune committee: its 2016 title is the old committee's to propose.
    w2 = org_establish(
        code="W2",
        name="Đảng bộ xã Thanh Hà",
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE_WARD,
        parent=district.district,
        on=D(2017, 3, 1),
        actor=actor,
    )
    org_move(org=district.b1, parent=w2, on=D(2017, 3, 1), actor=actor)
    title = ("Trong sạch, vững mạnh tiêu biểu năm 2016", "B1")
    assert title in {(p.title, p.subject) for p in proposals(district.ward, 2016)}
    assert title not in {(p.title, p.subject) for p in proposals(w2, 2016)}


def test_a_study_session_names_who_took_part(district, make_member, actor) -> None:
    from dangvu.work.services import study_session_record

    a = make_member(district.b1, D(2015, 1, 5), name="Ngô Văn Sáu")
    b = make_member(district.b1, D(2015, 2, 5), name="Vũ Thị Bảy")
    s = study_session_record(
        actor=actor, organization=district.b1, held_on=D(2021, 6, 10), expected=2, attendees=[a, b]
    )
    assert s.participants == 2 and set(s.attendees.all()) == {a, b}
    assert list(a.study_sessions.all()) == [s]
    with pytest.raises(RuleError, match="ít hơn số người ghi tên"):
        study_session_record(
            actor=actor, organization=district.b1, held_on=D(2021, 7, 1), expected=5, participants=1, attendees=[a, b]
        )
