"""No identity oracle (issue 13, item 3): a citizen ID or card number held by a member outside the person's scope
is refused in the same words as any other refusal of that field, never saying a party member holds it; each such
check is audited (who, which field, the masked value) and limited per user; the administrator sees the holder.
A member cannot be created without the event that places them in a unit.

Personas (tests/web/conftest.py): `canbo_khac` is the staff of district K, who cannot see An (branch B1 of H);
`canbo` is H's staff, who can."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.accounts.scope import visible_audit
from dangvu.audit.models import AuditEntry
from dangvu.audit.sentences import sentence
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.imports.format import MEMBER_EVENTS, MEMBERS, Sheet
from dangvu.imports.load import validate
from dangvu.members.models import Member, MemberEvent
from dangvu.members.services import Admission, member_create, members_load

pytestmark = pytest.mark.django_db
D = dt.date
AN_CCCD = "001080001234"  # An's (branch B1, district H)
AN_CARD = "12345678"
UNUSABLE = "Số CCCD không dùng được: liên hệ quản trị hệ thống."


def _new(cast: Any, persona: str, **profile: Any) -> Member:
    """A new member admitted into the persona's own branch (K's KB for canbo_khac, H's B2 otherwise)."""
    org = cast.other_branch if persona == "canbo_khac" else cast.district.b2
    return member_create(
        actor=Actor.of(cast.users[persona]),
        full_name="Đinh Văn Mới",
        gender="male",
        birth_date=D(1990, 1, 1),
        admission=Admission(org=org, decided_on=D(2024, 1, 5)),
        **profile,
    )


# ---------------------------------------------------------------- the service


def test_a_citizen_id_held_outside_the_persons_scope_is_refused_without_saying_why(cast: Any) -> None:
    with pytest.raises(RuleError) as e:
        _new(cast, "canbo_khac", citizen_id=AN_CCCD)
    assert e.value.field == "citizen_id" and e.value.message == UNUSABLE
    assert "An" not in e.value.message and "đảng viên" not in e.value.message
    assert not Member.objects.filter(full_name="Đinh Văn Mới").exists()


def test_the_refused_check_is_audited_with_the_masked_value_and_hidden_from_the_persons_own_log(cast: Any) -> None:
    with pytest.raises(RuleError):
        _new(cast, "canbo_khac", card_number=AN_CARD)
    entry = AuditEntry.objects.get(action="identifier_conflict")
    assert entry.actor_id == cast.users["canbo_khac"].pk
    assert entry.after == {"field": "card_number", "value": "•••••678"}
    assert AN_CARD not in str(entry.after)
    assert not visible_audit(cast.users["canbo_khac"]).filter(action="identifier_conflict").exists()
    # The administrator and An's own staff read who tried, which number (masked) and whose it is.
    assert visible_audit(cast.users["quantri"]).filter(pk=entry.pk).exists()
    assert visible_audit(cast.users["canbo"]).filter(pk=entry.pk).exists()
    text = sentence(entry)
    assert "•••••678" in text and "Nguyễn Văn An" in text


def test_a_holder_in_the_persons_scope_and_any_holder_for_the_administrator_is_named(cast: Any) -> None:
    with pytest.raises(RuleError, match="đã thuộc về đảng viên Nguyễn Văn An"):
        _new(cast, "canbo", citizen_id=AN_CCCD)
    with pytest.raises(RuleError, match="đã thuộc về đảng viên Nguyễn Văn An"):
        _new(cast, "quantri", citizen_id=AN_CCCD)
    assert not AuditEntry.objects.filter(action="identifier_conflict").exists()  # nothing was revealed


def test_past_the_limit_every_value_is_refused_in_the_same_words_held_or_not(cast: Any, settings: Any) -> None:
    settings.DANGVU_IDENTIFIER_CONFLICTS = 1
    with pytest.raises(RuleError, match=UNUSABLE):
        _new(cast, "canbo_khac", citizen_id=AN_CCCD)
    # A second held value would pass the limit: refused alike, and so is a number nobody holds.
    with pytest.raises(RuleError) as e:
        _new(cast, "canbo_khac", citizen_id="001099999999")
    assert e.value.message == UNUSABLE
    assert AuditEntry.objects.filter(action="identifier_limit", actor_id=cast.users["canbo_khac"].pk).exists()
    # Another person is not limited by it.
    assert _new(cast, "canbo", citizen_id="001099999999").citizen_id == "001099999999"


def test_checking_the_same_number_again_does_not_spend_the_limit(cast: Any, settings: Any) -> None:
    settings.DANGVU_IDENTIFIER_CONFLICTS = 1
    for _ in range(3):
        with pytest.raises(RuleError, match=UNUSABLE):
            _new(cast, "canbo_khac", citizen_id=AN_CCCD)
    assert AuditEntry.objects.filter(action="identifier_conflict").count() == 3  # every check audited
    assert not AuditEntry.objects.filter(action="identifier_limit").exists()


# ---------------------------------------------------------------- the new-member form


def _form(cast: Any, persona: str, **fields: str) -> str:
    branch = "Chi bộ Xóm Đông (KB)" if persona == "canbo_khac" else "Chi bộ Thôn 2 (B2)"
    data = {
        "p-full_name": "Đinh Văn Mới",
        "p-gender": "male",
        "p-birth_date": "01/01/1990",
        "p-ethnicity": "Kinh",
        "a-org": branch,
        "a-decided_on": "05/01/2024",
        **{f"p-{k}": v for k, v in fields.items()},
    }
    r = cast.client(persona).post("/dang-vien/moi/", data)
    assert r.status_code == 200
    return r.content.decode()


def test_the_new_member_form_refuses_an_identifier_held_elsewhere_in_the_same_words(cast: Any) -> None:
    html = _form(cast, "canbo_khac", citizen_id=AN_CCCD)
    assert UNUSABLE in html
    assert "đã tồn tại" not in html and "Nguyễn Văn An" not in html  # Django's own check said "already exists"
    assert AuditEntry.objects.filter(action="identifier_conflict").count() == 1  # committed, though refused


# ---------------------------------------------------------------- the import preview


def _row(sheet: Sheet, **values: Any) -> list[Any]:
    row: list[Any] = [""] * len(sheet.headers)
    for field, v in values.items():
        row[sheet.headers.index(sheet.header_of(field))] = v
    return row


def _workbook(path: Path, *, citizen_id: str = "", events: bool = True) -> Path:
    member = _row(MEMBERS, code="DV9", full_name="Đinh Văn Mới", gender="nam", birth_date="01/01/1990")
    member[MEMBERS.headers.index(MEMBERS.header_of("citizen_id"))] = citizen_id
    admission = _row(MEMBER_EVENTS, member="DV9", kind="ket nap", on="05/01/2024", organization="KB")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for sheet, rows in ((MEMBERS, [member]), (MEMBER_EVENTS, [admission] if events else [])):
        ws = wb.create_sheet(sheet.name)
        ws.append(list(sheet.headers))
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_the_import_preview_refuses_an_identifier_held_elsewhere_in_the_same_words(cast: Any, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "k.xlsx", citizen_id=AN_CCCD)
    f = SimpleUploadedFile(path.name, path.read_bytes())
    html = cast.client("canbo_khac").post("/nhap/", {"file": f}, follow=True).content.decode()
    assert UNUSABLE in html and "Số CCCD" in html
    assert "đã thuộc về" not in html and "Nguyễn Văn An" not in html
    assert AuditEntry.objects.filter(action="identifier_conflict", actor_id=cast.users["canbo_khac"].pk).exists()


# ---------------------------------------------------------------- no member without a unit


def test_a_member_cannot_be_created_without_the_admission_that_places_them_in_a_unit(cast: Any) -> None:
    before = Member.objects.count()
    with pytest.raises(RuleError, match="cần quyết định kết nạp vào một chi bộ"):
        member_create(actor=Actor("kiểm thử"), full_name="Đinh Văn Mới", gender="male", birth_date=D(1990, 1, 1))
    assert Member.objects.count() == before


def test_the_bulk_path_refuses_a_member_placed_in_no_unit(cast: Any) -> None:
    profile = {"code": "DV9", "full_name": "Đinh Văn Mới", "gender": "male", "birth_date": D(1990, 1, 1)}
    outside = {"kind": "admission", "on": D(2024, 1, 5), "organization_id": None, "decided_on": D(2024, 1, 5)}
    before = Member.objects.count()
    with pytest.raises(RuleError, match="không thuộc tổ chức nào"):
        members_load([(profile, [outside])], actor=Actor("kiểm thử"))
    with pytest.raises(RuleError, match="không thuộc tổ chức nào"):
        members_load([(profile, [])], actor=Actor("kiểm thử"))
    assert Member.objects.count() == before and not MemberEvent.objects.filter(member__code="DV9").exists()


def test_an_import_refuses_a_member_without_events_on_the_members_row(cast: Any, tmp_path: Path) -> None:
    _plan, _report, problems = validate(_workbook(tmp_path / "k.xlsx", events=False), actor=Actor("kiểm thử"))
    assert [str(p) for p in problems] == [
        "Sheet 'Đảng viên', dòng 2, cột 'Mã đảng viên': DV9: không có sự kiện nào đưa đảng viên vào một chi bộ trong "
        "hệ thống (kết nạp tại chi bộ, chuyển đến, …): đảng viên sẽ không thuộc tổ chức nào."
    ]
