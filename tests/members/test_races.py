"""Two sessions adding the same people or records at once (PostgreSQL, each session its own connection): codes
are allocated one after the other, and a duplicate is refused with a message naming what, never an error page or a
second copy."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from fixtures.races import RACES, Meeting, together

from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.imports import load
from dangvu.imports.format import DISCIPLINES
from dangvu.imports.read import Refused
from dangvu.members import services as members
from dangvu.members.models import Member
from dangvu.orgs.models import Organization
from dangvu.work.models import Discipline

sys.path.insert(0, str(Path(__file__).parents[1] / "imports"))
from test_refusals import base, records, xlsx  # the import tests' file builders

D = dt.date
pytestmark = RACES
OFFICER = Actor("can_bo_to_chuc")


def create(org: object, **profile: object) -> object:
    admission = members.Admission(org=org, decided_on=D(2020, 3, 1), ceremony_on=D(2020, 3, 20))  # type: ignore[arg-type]
    return lambda: members.member_create(
        actor=OFFICER,
        full_name="Nguyễn Văn An",
        gender="male",
        birth_date=D(1980, 5, 5),
        admission=admission,
        **profile,
    )


def test_two_new_members_added_at_once_get_two_codes(monkeypatch, district) -> None:
    monkeypatch.setattr(members, "next_member_code", Meeting().after(members.next_member_code))
    a, b = together(create(district.b1), create(district.b1))
    assert a.error is None and b.error is None
    assert sorted(Member.objects.values_list("code", flat=True)) == ["DV0000001", "DV0000002"]


def test_two_new_members_with_one_citizen_id_at_once_are_one_member_and_a_message(monkeypatch, district) -> None:
    # Both sessions have checked the ID as free before either writes.
    monkeypatch.setattr(members, "clean_profile", Meeting().after(members.clean_profile))
    a, b = together(create(district.b1, citizen_id="001080000001"), create(district.b1, citizen_id="001080000001"))
    assert Member.objects.filter(citizen_id="001080000001").count() == 1
    [refused] = [o.error for o in (a, b) if o.error is not None]
    assert isinstance(refused, RuleError) and "001080000001" in refused.message


def test_two_imports_of_the_same_record_without_a_key_write_it_once(tmp_path, monkeypatch) -> None:
    load.import_path(xlsx(tmp_path / "base.xlsx", base()), actor=OFFICER)
    row = {"Mã tổ chức bị kỷ luật": "C01", "Hình thức": "Cảnh cáo", "Ngày quyết định": "02/02/2018"}
    path = xlsx(tmp_path / "ky-luat.xlsx", {DISCIPLINES: records(DISCIPLINES, row)})
    # Both imports have checked the file against the database before either writes.
    monkeypatch.setattr(load, "apply", Meeting().before(load.apply))
    a, b = together(lambda: load.import_path(path, actor=OFFICER), lambda: load.import_path(path, actor=OFFICER))
    assert Discipline.objects.count() == 1
    [refused] = [o.error for o in (a, b) if o.error is not None]
    assert isinstance(refused, Refused)
    assert [str(p) for p in refused.problems] == [
        "Sheet 'Kỷ luật', dòng 2, cột 'Hình thức': giống hệt một bản ghi đã có trong cơ sở dữ liệu (tệp đã được "
        "nhập?); tệp nhập chỉ thêm bản ghi mới."
    ]


def test_two_imports_of_the_same_new_organizations_and_members_write_them_once(tmp_path, monkeypatch) -> None:
    path = xlsx(tmp_path / "base.xlsx", base())
    monkeypatch.setattr(load, "apply", Meeting().before(load.apply))
    a, b = together(lambda: load.import_path(path, actor=OFFICER), lambda: load.import_path(path, actor=OFFICER))
    assert Organization.objects.count() == 4 and Member.objects.count() == 2
    [refused] = [o.error for o in (a, b) if o.error is not None]
    assert isinstance(refused, Refused)
    assert str(refused.problems[0]) == (
        "Sheet 'Tổ chức', dòng 2, cột 'Mã tổ chức': mã tổ chức 'T01' đã có trong cơ sở dữ liệu; tệp nhập chỉ thêm "
        "tổ chức mới."
    )
