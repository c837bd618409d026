"""Member search (issue 14, item 1) for the cast of tests/web/conftest.py, on SQLite (FTS5) and PostgreSQL
(pg_trgm): name words without diacritics, code, card number and citizen ID exactly (audited when found), the
person's scope and nothing else, Vietnamese order, pages after the last row shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangvu.accounts.scope import today
from dangvu.audit.models import AuditEntry
from dangvu.audit.services import Actor
from dangvu.domain.vietnamese import fold, person_sort_key
from dangvu.members.services import member_transfer_in, member_transfer_out, member_update
from dangvu.web import reads

D = dt.date
SETUP = Actor("thiết lập kiểm thử")


def found(cast: Any, persona: str, q: str, **params: Any) -> list[str]:
    """The names the member list shows for a query, in the page's order."""
    page = reads.search_members(cast.users[persona], on=params.pop("on", today()), q=q, **params)
    return [s.member.full_name for s in page.spans]


@pytest.mark.parametrize("q", ["nguyen van an", "NGUYỄN VĂN AN", "ng v an", "an nguyen", "Nguyen", "van an"])
def test_a_name_is_found_by_the_starts_of_its_words_without_diacritics(cast: Any, q: str) -> None:
    assert found(cast, "canbo", q) == ["Nguyễn Văn An"]


def test_a_word_inside_another_word_does_not_match(cast: Any) -> None:
    assert found(cast, "canbo", "guyen") == []
    assert found(cast, "canbo", "nguyen van anh") == []  # "An" does not start with "Anh"


def test_a_code_matches_exactly_not_in_part(cast: Any) -> None:
    assert found(cast, "canbo", cast.binh.code.lower()) == ["Trần Thị Bình"]
    assert found(cast, "canbo", cast.binh.code[:-1]) == []


def test_a_citizen_id_finds_its_member_exactly_and_the_search_is_audited(cast: Any) -> None:
    assert found(cast, "kiemtra", "00108000123") == []  # 11 digits: not a part of an ID
    assert not AuditEntry.objects.filter(action="member_identifier_search").exists()
    assert found(cast, "kiemtra", "001080001234") == ["Nguyễn Văn An"]
    entry = AuditEntry.objects.get(action="member_identifier_search")
    assert entry.actor_label == "kiemtra" and entry.object_id == str(cast.an.pk)
    assert entry.after == {"field": "citizen_id"}
    log = cast.client("quantri").get("/nhat-ky/", {"action": "member_identifier_search"}).content.decode()
    assert "tìm theo số căn cước công dân và thấy" in log and "Nguyễn Văn An" in log


def test_a_card_number_finds_its_member_exactly(cast: Any) -> None:
    assert found(cast, "canbo", "12345678") == ["Nguyễn Văn An"]
    assert found(cast, "canbo", "1234567") == []
    assert AuditEntry.objects.filter(action="member_identifier_search", after__field="card_number").count() == 1


@pytest.mark.parametrize(
    "q", ["nguyen van an", "ng v an", "001080001234", "12345678", "DV", "an"], ids=lambda q: q or "all"
)
def test_a_member_out_of_scope_is_never_found_by_any_field(cast: Any, q: str) -> None:
    assert "Nguyễn Văn An" not in found(cast, "canbo_khac", q)
    assert "Nguyễn Văn An" not in found(cast, "canbo_khac", cast.an.code)
    assert "Hoàng Thị Én" not in found(cast, "canbo", "hoang thi en") + found(cast, "canbo", cast.en.code)
    assert not AuditEntry.objects.filter(action="member_identifier_search").exclude(actor_label="canbo").exists()


def test_a_former_member_is_found_by_name_on_a_past_day_but_never_by_an_identifier(cast: Any) -> None:
    member_transfer_out(member=cast.an, on=D(2021, 5, 1), counterpart="Tỉnh khác", actor=SETUP)
    assert found(cast, "canbo", "nguyen van an") == []  # not a member today
    past = D(2020, 12, 31)
    assert found(cast, "canbo", "nguyen van an", on=past) == ["Nguyễn Văn An"]
    # The page withholds a former member's identifiers: a search must not confirm them either.
    assert found(cast, "canbo", "001080001234", on=past) == []
    assert found(cast, "canbo", "12345678", on=past) == []
    assert not AuditEntry.objects.filter(action="member_identifier_search").exists()


def test_the_administrator_searches_the_whole_country(cast: Any) -> None:
    assert found(cast, "quantri", "hoang thi en") == ["Hoàng Thị Én"]
    assert found(cast, "quantri", "th") == ["Trần Thị Bình", "Hoàng Thị Én"]


def test_a_renamed_member_is_found_by_the_new_name_only(cast: Any) -> None:
    member_update(member=cast.binh, full_name="Trần Thị Bích", reason="QĐ 5-QĐ/HU", actor=SETUP)
    assert found(cast, "canbo", "tran thi bich") == ["Trần Thị Bích"]
    assert found(cast, "canbo", "binh") == []


def test_one_letter_words_alone_ask_for_more(cast: Any) -> None:
    page = reads.search_members(cast.users["canbo"], on=today(), q="n")
    assert page.spans == [] and "ít nhất 2 chữ cái" in page.message
    html = cast.client("canbo").get("/dang-vien/", {"q": "n"}).content.decode()
    assert "Gõ ít nhất 2 chữ cái" in html


def test_pages_follow_each_other_in_vietnamese_order(cast: Any, make_member: Any) -> None:
    names = ["Vũ Thị Ánh", "Lê Văn An", "Nguyễn Thị Ân", "Đỗ Văn Anh", "Bùi An", "Ngô Thị Ánh", "Lý Văn Đức"]
    for name in names:
        make_member(cast.district.b2, D(2015, 1, 5), name=name)
    expected = sorted([*names, "Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Chi", "Phạm Văn Dũng"], key=person_sort_key)
    seen: list[str] = []
    after = ""
    for _ in range(10):
        page = reads.search_members(cast.users["canbo"], on=today(), after=after, size=3)
        seen += [s.member.full_name for s in page.spans]
        assert len(page.spans) == 3 or not page.more
        after = page.more
        if not after:
            break
    assert seen == expected
    # "an" starts An, Anh, Ánh and Ân once folded; the same order, without the others.
    assert found(cast, "canbo", "an") == [n for n in expected if fold(n.split()[-1]).startswith("an")]


def test_the_list_page_offers_the_next_page_after_its_last_row(cast: Any, make_member: Any, monkeypatch: Any) -> None:
    from dangvu.web.views import members

    monkeypatch.setattr(members, "PAGE", 2)
    c = cast.client("canbo")
    first = c.get("/dang-vien/").content.decode()
    assert "Đảng viên thứ 1–2" in first and "Nguyễn Văn An" in first and "Trần Thị Bình" in first
    assert f"sau={cast.binh.code}&amp;tu=3" in first
    second = c.get("/dang-vien/", {"sau": cast.binh.code, "tu": "3"}).content.decode()
    assert "Đảng viên thứ 3–4" in second and "Lê Minh Chi" in second and "Phạm Văn Dũng" in second
    assert "Nguyễn Văn An" not in second and "Trang đầu" in second


def test_a_member_moved_into_scope_is_found_there(cast: Any) -> None:
    member_transfer_in(member=cast.en, to=cast.district.b1, on=D(2022, 2, 1), actor=SETUP)
    assert found(cast, "canbo", "en") == ["Hoàng Thị Én"]
    assert found(cast, "canbo_khac", "en") == []


def test_the_member_picker_uses_the_same_search(cast: Any) -> None:
    html = cast.client("canbo").get("/chon/dang-vien/", {"q": "ng v an"}).content.decode()
    assert "Nguyễn Văn An" in html
    assert "Nguyễn Văn An" not in cast.client("canbo_khac").get("/chon/dang-vien/", {"q": "ng v an"}).content.decode()
    assert "Nguyễn Văn An" not in cast.client("canbo_khac").get("/chon/dang-vien/", {"q": "12345678"}).content.decode()
