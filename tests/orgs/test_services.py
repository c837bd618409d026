"""Organization changes through the services: history kept, lineage recorded, rules enforced."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.audit.models import AuditEntry
from dangvu.domain.errors import RuleError
from dangvu.domain.orgtree import OrgKind, Sector
from dangvu.orgs.models import LineageEvent, Organization, OrgVersion
from dangvu.orgs.queries import lineage, path_on, subtree_ids, successors, tree_on
from dangvu.orgs.services import (
    Decision,
    NewOrg,
    org_absorb,
    org_dissolve,
    org_establish,
    org_merge,
    org_move,
    org_rename,
    org_split,
)

D = dt.date
pytestmark = pytest.mark.django_db


def test_a_rename_keeps_the_old_name_for_dates_before_it(district, actor) -> None:
    org_rename(
        org=district.ward,
        name="Đảng bộ thị trấn Thanh Sơn",
        on=D(2015, 4, 1),
        actor=actor,
        decision=Decision("120-QĐ/HU", D(2015, 3, 20)),
    )
    assert district.ward.version_on(D(2015, 3, 31)).name == "Đảng bộ xã Thanh Sơn"
    assert district.ward.version_on(D(2015, 4, 1)).name == "Đảng bộ thị trấn Thanh Sơn"
    ev = LineageEvent.objects.get(kind="renamed")
    assert ev.decision_ref == "120-QĐ/HU" and ev.effective_on == D(2015, 4, 1)


def test_every_change_is_audited_with_before_and_after(district, actor) -> None:
    org_rename(org=district.ward, name="Đảng bộ thị trấn Thanh Sơn", on=D(2015, 4, 1), actor=actor)
    entry = AuditEntry.objects.filter(action="org_rename").get()
    assert entry.actor_label == "can_bo_to_chuc"
    assert entry.before["name"] == "Đảng bộ xã Thanh Sơn" and entry.after["name"] == "Đảng bộ thị trấn Thanh Sơn"


def test_a_branch_cannot_be_placed_under_a_district(district, actor) -> None:
    before = OrgVersion.objects.count()
    with pytest.raises(RuleError, match="không thể trực thuộc"):
        org_establish(
            code="X",
            name="Chi bộ lạc",
            kind=OrgKind.BRANCH,
            sector=Sector.OTHER,
            parent=district.district,
            on=D(2010, 1, 1),
            actor=actor,
        )
    assert OrgVersion.objects.count() == before and not Organization.objects.filter(code="X").exists()


def test_a_move_that_would_make_a_cycle_is_refused(district, actor) -> None:
    part = org_establish(
        code="PP",
        name="Đảng bộ bộ phận",
        kind=OrgKind.PARTIAL_COMMITTEE,
        sector=Sector.OTHER,
        parent=district.ward,
        on=D(2001, 1, 1),
        actor=actor,
    )
    with pytest.raises(RuleError):
        org_move(org=district.ward, parent=part, on=D(2002, 1, 1), actor=actor)


def test_a_duplicate_code_is_refused(district, actor) -> None:
    with pytest.raises(RuleError, match="đã được dùng"):
        org_establish(
            code="W",
            name="Trùng",
            kind=OrgKind.GRASSROOTS_BRANCH,
            sector=Sector.OTHER,
            parent=district.district,
            on=D(2010, 1, 1),
            actor=actor,
        )


def test_the_subtree_and_path_answer_as_of_a_date(district, actor) -> None:
    new_dist = org_establish(
        code="H2",
        name="Đảng bộ huyện Thanh Liêm",
        kind=OrgKind.DISTRICT,
        sector=Sector.OTHER,
        parent=district.province,
        on=D(2000, 1, 1),
        actor=actor,
    )
    org_move(org=district.ward, parent=new_dist, on=D(2010, 1, 1), actor=actor)
    assert set(subtree_ids(district.district, D(2009, 12, 31))) == {
        district.district.pk,
        district.ward.pk,
        district.b1.pk,
        district.b2.pk,
        district.agency.pk,
    }
    assert set(subtree_ids(district.district, D(2010, 1, 1))) == {district.district.pk, district.agency.pk}
    assert [v.organization.code for v in path_on(district.b1, D(2009, 1, 1))] == ["P", "H", "W", "B1"]
    assert [v.organization.code for v in path_on(district.b1, D(2011, 1, 1))] == ["P", "H2", "W", "B1"]


def test_a_merge_ends_the_sources_moves_their_units_and_members(district, actor, make_member) -> None:
    other = org_establish(
        code="A2",
        name="Chi bộ Phòng Nội vụ",
        kind=OrgKind.GRASSROOTS_BRANCH,
        sector=Sector.AGENCY,
        parent=district.district,
        on=D(2000, 1, 1),
        actor=actor,
    )
    m1 = make_member(district.agency, D(2010, 1, 1), name="Trần Thị Bích")
    m2 = make_member(other, D(2011, 1, 1), name="Lê Văn Cường")
    new = org_merge(
        sources=[district.agency, other],
        parent=district.district,
        on=D(2020, 1, 1),
        actor=actor,
        new=NewOrg("AN", "Chi bộ Phòng Nội vụ – Tư pháp", OrgKind.GRASSROOTS_BRANCH, Sector.AGENCY),
        decision=Decision("301-QĐ/HU", D(2019, 12, 20)),
    )
    assert district.agency.version_on(D(2020, 1, 1)) is None and other.version_on(D(2019, 12, 31)) is not None
    assert {m1.spans.get(valid_to__gt=D(2020, 1, 1)).organization_id, m2.spans.last().organization_id} == {new.pk}
    assert m1.events.filter(kind="transfer_in", lineage_event__kind="merged").exists()
    steps = lineage(new)["came_from"]
    assert {o.code for s in steps for o in s.others} == {"A", "A2"}
    assert successors(district.agency) == [new]


def test_absorbing_a_committee_moves_its_branches_under_the_new_parent(district, actor, make_member) -> None:
    other = org_establish(
        code="W2",
        name="Đảng bộ xã Thanh Hà",
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE_WARD,
        parent=district.district,
        on=D(2000, 1, 1),
        actor=actor,
    )
    b3 = org_establish(
        code="B3",
        name="Chi bộ Thôn 3",
        kind=OrgKind.BRANCH,
        sector=Sector.RESIDENTIAL,
        parent=other,
        on=D(2000, 1, 1),
        actor=actor,
    )
    m = make_member(b3, D(2010, 1, 1))
    org_absorb(source=other, into=district.ward, on=D(2020, 1, 1), actor=actor)
    assert b3.version_on(D(2020, 1, 1)).parent_id == district.ward.pk
    assert b3.version_on(D(2019, 1, 1)).parent_id == other.pk
    assert m.spans.count() == 1  # members of a moved branch do not move: their branch did
    assert district.b1.pk in subtree_ids(district.ward, D(2020, 1, 1)) and b3.pk in subtree_ids(
        district.ward, D(2020, 1, 1)
    )


def test_a_split_needs_every_member_and_unit_allocated(district, actor, make_member) -> None:
    m = make_member(district.agency, D(2010, 1, 1))
    parts = [
        NewOrg("S1", "Chi bộ Tư pháp", OrgKind.GRASSROOTS_BRANCH, Sector.AGENCY),
        NewOrg("S2", "Chi bộ Hộ tịch", OrgKind.GRASSROOTS_BRANCH, Sector.AGENCY),
    ]
    with pytest.raises(RuleError, match="chưa chỉ định"):
        org_split(
            source=district.agency, parts=parts, parent=district.district, on=D(2018, 1, 1), allocation={}, actor=actor
        )
    assert not Organization.objects.filter(code="S1").exists()
    s1, _ = org_split(
        source=district.agency,
        parts=parts,
        parent=district.district,
        on=D(2018, 1, 1),
        allocation={f"m:{m.pk}": "S1"},
        actor=actor,
    )
    assert m.spans.get(valid_from=D(2018, 1, 1)).organization_id == s1.pk


def test_dissolving_an_organization_with_members_needs_a_destination(district, actor, make_member) -> None:
    make_member(district.agency, D(2010, 1, 1))
    with pytest.raises(RuleError, match="chỉ định nơi chuyển"):
        org_dissolve(org=district.agency, on=D(2016, 7, 1), actor=actor)
    with pytest.raises(RuleError, match="tổ chức trực thuộc"):
        org_dissolve(org=district.ward, on=D(2016, 7, 1), actor=actor)


def test_the_tree_counts_official_and_probationary_members_of_each_subtree(district, actor, make_member) -> None:
    from dangvu.members.services import member_recognize

    m = make_member(district.b1, D(2010, 1, 1))
    make_member(district.b2, D(2010, 6, 1), name="Phạm Thị Dung", gender="female")
    member_recognize(member=m, decided_on=D(2011, 2, 1), actor=actor)
    [root] = tree_on(D(2011, 3, 1), district.district)
    assert (root.official, root.probationary) == (1, 1)
    [root] = tree_on(D(2010, 3, 1), district.district)
    assert (root.official, root.probationary) == (0, 1)
    node = root.as_json()
    assert set(node) >= {"code", "name", "kind", "sector", "members", "children"}


def test_structure_check_warns_about_a_branch_with_too_few_official_members(district, actor, make_member) -> None:
    from dangvu.orgs.queries import structure_findings

    make_member(district.b1, D(2010, 1, 1))
    found = {(node.code, f.code) for node, f in structure_findings(D(2012, 1, 1), district.district)}
    assert ("B1", "branch_min_official") in found and ("W", "grassroots_size") in found
