"""The 2025 reform replayed through the services; the past stays answerable as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.domain.orgtree import OrgKind, Sector
from dangvu.orgs.queries import members_per_grassroots, subtree_ids, tree_on
from dangvu.orgs.services import Decision, NewOrg, org_absorb, org_end, org_establish, org_merge, org_move

D = dt.date
REFORM = D(2025, 7, 1)
pytestmark = pytest.mark.django_db


def test_district_then_commune_answers_both_before_and_after(district, actor, make_member) -> None:
    d = district
    neighbour = org_establish(
        code="Q",
        name="Đảng bộ tỉnh Ninh Bình",
        kind=OrgKind.PROVINCE,
        sector=Sector.OTHER,
        parent=None,
        on=D(2000, 1, 1),
        actor=actor,
    )
    w2 = org_establish(
        code="W2",
        name="Đảng bộ xã Thanh Hà",
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE_WARD,
        parent=d.district,
        on=D(2000, 1, 1),
        actor=actor,
    )
    b3 = org_establish(
        code="B3",
        name="Chi bộ Thôn 3",
        kind=OrgKind.BRANCH,
        sector=Sector.RESIDENTIAL,
        parent=w2,
        on=D(2000, 1, 1),
        actor=actor,
    )
    for i, org in enumerate([d.b1, d.b2, b3, d.agency]):
        make_member(org, D(2010, 1, 1 + i), name=f"Nguyễn Văn {'ABCD'[i]}")
    # 01/07/2025: the new commune takes both ward committees; the agency branch moves under it; the district ends;
    # the province merges with its neighbour into a new province of the same name.
    commune = org_establish(
        code="X1",
        name="Đảng bộ xã Thanh Sơn",
        kind=OrgKind.COMMUNE,
        sector=Sector.COMMUNE_WARD,
        parent=d.province,
        on=REFORM,
        actor=actor,
        decision=Decision("1201-QĐ/TU"),
    )
    org_absorb(source=d.ward, into=commune, on=REFORM, actor=actor, decision=Decision("31-HD/BTCTW"))
    org_absorb(source=w2, into=commune, on=REFORM, actor=actor)
    org_move(org=d.agency, parent=commune, on=REFORM, actor=actor)
    org_end(org=d.district, on=REFORM, actor=actor)
    new_p = org_merge(
        sources=[d.province, neighbour],
        parent=None,
        on=REFORM,
        actor=actor,
        new=NewOrg("P25", "Đảng bộ tỉnh Hà Nam", OrgKind.PROVINCE, Sector.OTHER),
        decision=Decision("328-QĐ/TW", D(2025, 6, 25)),
    )

    # "the district's grassroots organizations on 31/12/2016"
    old = members_per_grassroots(D(2016, 12, 31), d.district)
    assert old == {d.ward.pk: 2, w2.pk: 1, d.agency.pk: 1}
    # "the commune's grassroots organizations today": the ward committees ended, the agency branch moved in
    today = D(2026, 1, 1)
    assert members_per_grassroots(today, commune) == {d.agency.pk: 1}
    # the branches the commune took over from the ward committees: their members are the commune's own
    assert members_per_grassroots(today, commune, communes_hold_branches=True) == {d.agency.pk: 1, commune.pk: 3}
    assert members_per_grassroots(D(2016, 12, 31), d.district, communes_hold_branches=True) == old
    assert set(subtree_ids(commune, today)) == {commune.pk, d.b1.pk, d.b2.pk, b3.pk, d.agency.pk}
    [root] = tree_on(today, new_p)
    assert root.members == 4 and [c.code for c in root.children] == ["X1"]
    # The old province still answers for its own past, under its old code.
    [old_root] = tree_on(D(2016, 12, 31), d.province)
    assert old_root.name == "Đảng bộ tỉnh Hà Nam" and old_root.members == 4
    assert d.province.version_on(REFORM) is None and d.district.version_on(D(2025, 6, 30)) is not None
