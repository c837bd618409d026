"""Former members (issue 13, item 9): a member who left a person's scope keeps their name and history readable for
that person, not their identifiers — on the profile, the printed record, the reveal and the list's export —
unless the person's role is in DANGVU_FORMER_MEMBER_IDENTIFIERS (default none).

Cast (tests/web/conftest.py): `bithuchibo` is the secretary of branch B1; Bình (B1 since 2011) moves in 2022 to
branch KB of district K, outside their scope; An stays in B1."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from fixtures.exports import exported, workbook_bytes

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import Actor
from dangvu.members.models import Member
from dangvu.members.queries import WITHHELD
from dangvu.members.services import member_transfer_in

pytestmark = pytest.mark.django_db
D = dt.date
BINH_CCCD = "001090005678"


@pytest.fixture
def moved(cast: Any) -> Any:
    Member.objects.filter(pk=cast.binh.pk).update(citizen_id=BINH_CCCD, card_number="87654321")
    member_transfer_in(member=cast.binh, to=cast.other_branch, on=D(2022, 1, 1), actor=Actor("kiểm thử"))
    cast.binh.refresh_from_db()
    return cast


def _page(cast: Any, persona: str, url: str) -> str:
    r = cast.client(persona).get(url)
    assert r.status_code == 200
    return r.content.decode()


def test_a_branch_secretary_reads_a_former_members_name_and_history_not_their_identifiers(moved: Any) -> None:
    html = _page(moved, "bithuchibo", f"/dang-vien/{moved.binh.code}/")
    assert "Trần Thị Bình" in html and "Chi bộ Xóm Đông" in html  # the name and the move, in the history
    assert WITHHELD in html
    assert "•••678" not in html and "•••321" not in html  # not even masked
    assert f"/dang-vien/{moved.binh.code}/hien/" not in html  # no reveal offered


def test_the_reveal_of_a_former_members_identifier_is_refused_and_not_audited(moved: Any) -> None:
    r = moved.client("bithuchibo").post(f"/dang-vien/{moved.binh.code}/hien/citizen_id/")
    assert r.status_code == 403
    assert BINH_CCCD not in r.content.decode()
    assert not AuditEntry.objects.filter(action="member_reveal").exists()


def test_the_printed_record_of_a_former_member_withholds_the_identifiers(moved: Any) -> None:
    html = _page(moved, "bithuchibo", f"/dang-vien/{moved.binh.code}/in/")
    assert "Trần Thị Bình" in html and WITHHELD in html and "•••678" not in html


def test_the_list_of_a_past_day_exports_a_former_member_without_identifiers(moved: Any) -> None:
    r, _ = exported(moved.client("bithuchibo"), "/dang-vien/xuat/", {"as_of": "01/06/2021"})
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(r))).active
    assert ws is not None
    rows = {row[1]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["Trần Thị Bình"][7] in (None, "") and rows["Trần Thị Bình"][8] in (None, "")
    assert rows["Nguyễn Văn An"][7] == "•••••••••234"  # a member still in scope: masked as before


def test_members_in_scope_and_the_administrator_keep_the_reveal(moved: Any) -> None:
    r = moved.client("bithuchibo").post(f"/dang-vien/{moved.an.code}/hien/citizen_id/")
    assert r.status_code == 200 and "001080001234" in r.content.decode()
    r = moved.client("quantri").post(f"/dang-vien/{moved.binh.code}/hien/citizen_id/")
    assert r.status_code == 200 and BINH_CCCD in r.content.decode()
    # K's staff, in whose scope Bình now is, see them too.
    r = moved.client("canbo_khac").post(f"/dang-vien/{moved.binh.code}/hien/citizen_id/")
    assert r.status_code == 200 and BINH_CCCD in r.content.decode()


def test_the_parameter_lets_a_role_see_former_members_identifiers(moved: Any, settings: Any) -> None:
    settings.DANGVU_FORMER_MEMBER_IDENTIFIERS = frozenset({"branch_secretary"})
    r = moved.client("bithuchibo").post(f"/dang-vien/{moved.binh.code}/hien/citizen_id/")
    assert r.status_code == 200 and BINH_CCCD in r.content.decode()
    assert WITHHELD not in _page(moved, "bithuchibo", f"/dang-vien/{moved.binh.code}/")
