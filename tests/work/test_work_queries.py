"""The work lists' reads (dangvu.work.queries): words without diacritics, a unit's records on their own day,
names on the record's day, a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.members.models import Member
from dangvu.orgs.models import Organization
from dangvu.work import queries as wq
from dangvu.work.models import CadreMove, Petition
from dangvu.work.services import cadre_move_record, petition_conclude, petition_receive, records_load

D = dt.date
pytestmark = pytest.mark.django_db
EVERYWHERE = {"orgs": Organization.objects.all(), "members": Member.objects.all()}


def found(slug: str, **f: object) -> list[object]:
    return list(
        wq.records(wq.SPECS[slug], orgs=Organization.objects.all(), members=Member.objects.all(), f=wq.WorkFilter(**f))
    )  # type: ignore[arg-type]


def test_a_records_words_are_kept_folded_by_the_service_the_update_and_the_bulk_path(district, actor) -> None:
    move = cadre_move_record(
        kind="rotation",
        person_name="Đặng Thị Hồng",
        organization=district.b1,
        on=D(2024, 1, 2),
        position="Trưởng phòng",
        actor=actor,
    )
    assert move.search_folded == "dang thi hong truong phong"
    p = petition_receive(kind="complaint", organization=district.b1, received_on=D(2024, 1, 2), actor=actor)
    petition_conclude(petition=p, concluded_on=D(2024, 2, 2), outcome="Đơn không có cơ sở", actor=actor)
    assert Petition.objects.get().search_folded == "don khong co co so"
    records_load(
        CadreMove,
        [{"kind": "appointment", "person_name": "Lưu Đức Ánh", "organization": district.b2, "on": D(2024, 3, 3)}],
        actor=actor,
    )
    assert [m.person_name for m in found("can-bo", q="luu duc anh")] == ["Lưu Đức Ánh"]
    assert [m.person_name for m in found("can-bo", q="HỒNG trưởng")] == ["Đặng Thị Hồng"]


def test_a_units_records_are_those_of_its_subtree_on_each_records_day(district, actor) -> None:
    from dangvu.domain.orgtree import OrgKind, Sector
    from dangvu.orgs.services import org_establish, org_move

    w2 = org_establish(
        code="W2",
        name="Đảng bộ xã Thanh Hà",
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE_WARD,
        parent=district.district,
        on=D(2000, 1, 1),
        actor=actor,
    )

    cadre_move_record(kind="rotation", person_name="Trước", organization=district.b1, on=D(2020, 1, 1), actor=actor)
    org_move(org=district.b1, parent=w2, on=D(2022, 1, 1), actor=actor)
    cadre_move_record(kind="rotation", person_name="Sau", organization=district.b1, on=D(2023, 1, 1), actor=actor)
    assert [m.person_name for m in found("can-bo", unit=district.ward)] == ["Trước"]
    assert [m.person_name for m in found("can-bo", unit=w2)] == ["Sau"]
    assert {m.person_name for m in found("can-bo", unit=district.district)} == {"Trước", "Sau"}


def test_rows_name_units_on_the_records_day_in_a_fixed_number_of_queries(
    district, actor, django_assert_max_num_queries
) -> None:
    from dangvu.orgs.services import org_rename

    for i in range(3):
        cadre_move_record(
            kind="rotation", person_name=f"Người {i}", organization=district.b1, on=D(2020 + 2 * i, 1, 1), actor=actor
        )
    org_rename(org=district.b1, name="Chi bộ Thôn Đông", on=D(2022, 1, 1), actor=actor)
    objs = found("can-bo")
    with django_assert_max_num_queries(2):  # the members' spans (none asked here) and the units' versions
        rows = wq.rows(wq.SPECS["can-bo"], objs)
    units = [str(r.cells[3]) for r in rows]
    assert units == ["Chi bộ Thôn Đông (B1)", "Chi bộ Thôn Đông (B1)", "Chi bộ Thôn 1 (B1)"]
