"""No date of an event may lie after today: the services refuse it on the field that carries it, so the web forms,
the imports and the command line all meet the same rule (issue 11: an admission dated 2027 was accepted)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangvu.domain.errors import RuleError
from dangvu.domain.membership import no_future_dates
from dangvu.members.models import Member, MemberEvent
from dangvu.members.services import (
    Admission,
    member_create,
    member_suspend,
    member_transfer_in,
    members_load,
    today,
)

D = dt.date


def test_a_day_after_today_is_refused_naming_the_field_and_both_days() -> None:
    with pytest.raises(RuleError) as e:
        no_future_dates({"on": D(2020, 1, 1), "decided_on": D(2027, 5, 5)}, today=D(2026, 12, 4))
    assert e.value.field == "decided_on"
    assert e.value.message == (
        "Ngày quyết định 05/05/2027 ở sau hôm nay (04/12/2026): không ghi được điều chưa xảy ra."
    )


def test_today_itself_and_missing_days_pass() -> None:
    no_future_dates({"on": D(2026, 12, 4), "ceremony_on": None}, today=D(2026, 12, 4))


@pytest.mark.django_db
def test_an_admission_decided_next_year_is_refused_and_nothing_is_written(district: Any, actor: Any) -> None:
    next_year = today().replace(day=1) + dt.timedelta(days=400)
    with pytest.raises(RuleError) as e:
        member_create(
            actor=actor,
            full_name="Đỗ Văn Em",
            gender="male",
            birth_date=D(1990, 1, 1),
            admission=Admission(org=district.b1, decided_on=next_year),
        )
    assert e.value.field == "decided_on"
    assert "ở sau hôm nay" in e.value.message
    assert not Member.objects.exists() and not MemberEvent.objects.exists()


@pytest.mark.django_db
def test_a_ceremony_in_the_future_is_refused_on_its_own_field(district: Any, actor: Any) -> None:
    with pytest.raises(RuleError) as e:
        member_create(
            actor=actor,
            full_name="Đỗ Văn Em",
            gender="male",
            birth_date=D(1990, 1, 1),
            admission=Admission(
                org=district.b1, decided_on=today() - dt.timedelta(days=10), ceremony_on=today() + dt.timedelta(days=10)
            ),
        )
    assert e.value.field == "ceremony_on" and e.value.message.startswith("Ngày lễ kết nạp ")


@pytest.mark.django_db
def test_a_transfer_tomorrow_is_refused_but_a_suspension_may_end_ahead(
    district: Any, actor: Any, make_member: Any
) -> None:
    m = make_member(district.b1, D(2015, 3, 1))
    with pytest.raises(RuleError) as e:
        member_transfer_in(member=m, to=district.b2, on=today() + dt.timedelta(days=1), actor=actor)
    assert e.value.field == "on" and e.value.message.startswith("Ngày hiệu lực ")
    ev = member_suspend(member=m, on=today(), until=today() + dt.timedelta(days=90), actor=actor)
    assert ev.until > today()


@pytest.mark.django_db
def test_a_birth_date_in_the_future_is_refused_on_the_profile(district: Any, actor: Any) -> None:
    with pytest.raises(RuleError) as e:
        member_create(
            actor=actor,
            full_name="Đỗ Văn Em",
            gender="male",
            birth_date=today() + dt.timedelta(days=1),
            admission=Admission(org=district.b1, decided_on=today()),
        )
    assert e.value.field == "birth_date"
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_the_bulk_path_of_imports_and_the_generator_refuses_a_future_event(district: Any, actor: Any) -> None:
    profile = {"code": "DV9", "full_name": "Đỗ Văn Em", "gender": "male", "birth_date": D(1990, 1, 1)}
    future = today() + dt.timedelta(days=30)
    event = {"kind": "admission", "on": future, "decided_on": future, "organization_id": district.b1.pk}
    with pytest.raises(RuleError) as e:
        members_load([(profile, [event])], actor=actor)
    assert e.value.field == "decided_on" and "ở sau hôm nay" in e.value.message
    assert not Member.objects.filter(code="DV9").exists()


@pytest.mark.django_db
def test_an_import_with_an_admission_dated_next_year_is_refused_whole(tmp_path: Any) -> None:
    import openpyxl

    from dangvu.audit.services import Actor
    from dangvu.imports.format import MEMBER_EVENTS, MEMBERS, ORGS
    from dangvu.imports.load import import_path
    from dangvu.imports.read import Refused
    from dangvu.orgs.models import Organization

    next_year = f"05/05/{today().year + 1}"
    sheets = {
        ORGS: [
            ["T01", "Đảng bộ tỉnh Thử", "Đảng bộ tỉnh, thành phố", "Khác", "", "01/01/1976", "", ""],
            ["C01", "Đảng bộ xã Thử", "Đảng bộ cơ sở", "Xã, phường, thị trấn", "T01", "01/01/1976", "", ""],
            ["B01", "Chi bộ Thôn 1", "Chi bộ trực thuộc", "Khu dân cư", "C01", "01/01/1976", "", ""],
        ],
        MEMBERS: [["DV1", "Nguyễn Văn An", "", "Nam", "05/05/1980", *[""] * 18]],
        MEMBER_EVENTS: [["DV1", "Kết nạp", next_year, "B01", "", next_year, "", "", "", "", "", "", "", ""]],
    }
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, data in sheets.items():
        ws = wb.create_sheet(sheet.name)
        ws.append(sheet.headers)
        for r in data:
            ws.append(r)
    wb.save(tmp_path / "tuong-lai.xlsx")
    with pytest.raises(Refused) as e:
        import_path(tmp_path / "tuong-lai.xlsx", actor=Actor("can_bo_to_chuc"))
    problems = [str(p) for p in e.value.problems]
    assert any("ở sau hôm nay" in p for p in problems), problems
    assert not Member.objects.exists() and not Organization.objects.exists()
