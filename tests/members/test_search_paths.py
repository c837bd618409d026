"""Member search, scope first (issue 14, item 1): the member's folded name and sort key copied beside each span by
every path that writes spans or names, the path chosen by the scope's size, and the two paths finding the same
members in the same order (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from dangvu.accounts.scope import today
from dangvu.domain.vietnamese import fold, person_sort_key, person_sort_text
from dangvu.members import search
from dangvu.members.models import Member, MembershipSpan
from dangvu.members.services import member_transfer_in, member_transfer_out, member_update, members_load
from dangvu.orgs.models import OrgAncestry
from dangvu.web import reads

D = dt.date

# Hand-picked: who is in which unit of the small district (tests/conftest.py): W's branches B1, B2 and the agency
# branch A beside W, all under H and P.
B1 = ["Nguyễn Văn An", "Nguyễn Văn Anh", "Lê Văn An", "Nguyễn Thị Ân", "Trần Thị Bình"]
B2 = ["Vũ Thị Ánh", "Đỗ Văn Anh", "Bùi An", "Ngô Thị Ánh", "Lý Văn Đức", "Nguyễn Văn An"]
AGENCY = ["Nguyễn Văn Ân", "Phạm Văn Dũng", "Hoàng Thị Én"]


@pytest.fixture
def people(district: Any, make_member: Any) -> dict[str, list[Member]]:
    out: dict[str, list[Member]] = {"B1": [], "B2": [], "A": []}
    for key, unit, names in (("B1", district.b1, B1), ("B2", district.b2, B2), ("A", district.agency, AGENCY)):
        for name in names:
            out[key].append(make_member(unit, D(2015, 1, 5), name=name))
    return out


@pytest.fixture
def admin(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("quantri_kiemthu", is_superuser=True, is_staff=True)


def expected(names: list[str], q: str) -> list[str]:
    """By hand: every typed word the start of a word of the folded name, in Vietnamese order."""
    words = fold(q).split()
    hits = [n for n in names if all(any(p.startswith(w) for p in fold(n).split()) for w in words)]
    return sorted(hits, key=person_sort_key)


def names(page: reads.MemberPage) -> list[str]:
    return [s.member.full_name for s in page.spans]


def spans_match_members() -> bool:
    rows = MembershipSpan.objects.values_list(
        "name_folded", "name_sort", "member__full_name_folded", "member__name_sort"
    )
    return bool(rows) and all(a == c and b == d for a, b, c, d in rows)


QUERIES = ["nguyen van an", "an", "ng v an", "an nguyen", "thi", "anh", "en", "khue", "van an"]


@pytest.mark.parametrize("q", QUERIES)
def test_both_paths_find_the_scopes_members_in_vietnamese_order(
    people: Any, district: Any, admin: Any, settings: Any, q: str
) -> None:
    ward = B1 + B2  # W's subtree: the two branches, not the agency branch
    scoped = reads.search_members(admin, on=today(), q=q, unit=district.ward)
    settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS = 0  # the trigram (PostgreSQL) / FTS5 (SQLite) path
    country_path = reads.search_members(admin, on=today(), q=q, unit=district.ward)
    assert names(scoped) == names(country_path) == expected(ward, q)


def test_the_path_is_chosen_by_the_number_of_units_in_the_scope(
    people: Any, district: Any, admin: Any, settings: Any
) -> None:
    # A span whose copy of the name is made to differ from its member's tells which path answered: the scope-first
    # path finds it by the copy, the other by the member's name.
    an = people["B1"][0]
    MembershipSpan.objects.filter(member=an).update(name_folded="khong co that", name_sort="zzz")

    def ward(q: str) -> list[str]:
        return names(reads.search_members(admin, on=today(), q=q, unit=district.ward))  # W, B1, B2: 3 units

    settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS = 3
    assert ward("khong co that") == ["Nguyễn Văn An"] and ward("le van an") == ["Lê Văn An"]
    settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS = 2
    assert ward("khong co that") == [] and ward("le van an") == ["Lê Văn An"]
    settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS = 0
    assert ward("khong co that") == []
    # The whole country (the administrator, no unit): the name index, whatever the setting.
    settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS = 100
    assert names(reads.search_members(admin, on=today(), q="khong co that")) == []
    # A code, an identifier and the unfiltered list do not take the branch (one lookup, or the walk in name order).
    terms = search.parse(an.code)
    assert search.scoped_branch(terms, MembershipSpan.objects.all(), OrgAncestry.objects.all()) is None
    assert search.scoped_branch(search.parse(""), MembershipSpan.objects.all(), OrgAncestry.objects.all()) is None


def test_pages_after_the_last_row_shown_are_the_same_on_both_paths(
    people: Any, district: Any, admin: Any, settings: Any
) -> None:
    def walk() -> list[str]:
        seen: list[str] = []
        after = ""
        for _ in range(10):
            page = reads.search_members(admin, on=today(), q="an", unit=district.district, after=after, size=2)
            seen += names(page)
            after = page.more
            if not after:
                break
        return seen

    everyone = B1 + B2 + AGENCY
    scoped = walk()
    settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS = 0
    assert scoped == walk() == expected(everyone, "an")
    assert len(scoped) == 10  # by hand: An ×4 (Bùi An among them), Anh ×2, Ân ×2, Ánh ×2


def test_a_status_filter_and_a_past_day_keep_the_scope_first_path_exact(
    people: Any, district: Any, admin: Any, actor: Any
) -> None:
    an = people["B1"][0]
    member_transfer_out(member=an, on=D(2021, 5, 1), counterpart="Tỉnh khác", actor=actor)
    now = names(reads.search_members(admin, on=today(), q="nguyen van an", unit=district.ward))
    past = names(reads.search_members(admin, on=D(2020, 12, 31), q="nguyen van an", unit=district.ward))
    assert now == expected(B1[1:] + B2, "nguyen van an") == ["Nguyễn Văn An", "Nguyễn Văn Anh"]  # An: B2's
    assert past == expected(B1 + B2, "nguyen van an") == ["Nguyễn Văn An", "Nguyễn Văn An", "Nguyễn Văn Anh"]
    # No one here was recognized official (no such event): all probationary, the status filter on the span.
    ward_now = expected(B1[1:] + B2, "an")
    assert names(reads.search_members(admin, on=today(), q="an", unit=district.ward, status="official")) == []
    assert names(reads.search_members(admin, on=today(), q="an", unit=district.ward, status="probationary")) == (
        ward_now
    )


def test_every_span_carries_its_members_name_whoever_writes_it(people: Any, district: Any, actor: Any) -> None:
    assert spans_match_members()  # member_create → member_admit → spans_write
    binh = people["B1"][4]
    member_update(member=binh, full_name="Trần Thị Bích", reason="QĐ 5-QĐ/HU", actor=actor)
    assert set(MembershipSpan.objects.filter(member=binh).values_list("name_folded", "name_sort")) == {
        ("tran thi bich", person_sort_text("Trần Thị Bích"))
    }
    # A history rewritten by a lifecycle event (the spans deleted and written again).
    en = people["A"][2]
    member_transfer_in(member=en, to=district.b1, on=D(2022, 2, 1), actor=actor)
    assert MembershipSpan.objects.filter(member=en).count() == 2
    # The bulk path of imports and the generator.
    profile = {"code": "DV9", "full_name": "Đinh Thị Khuê", "gender": "female", "birth_date": D(1990, 1, 1)}
    admitted = {
        "kind": "admission",
        "on": D(2015, 3, 2),
        "decided_on": D(2015, 3, 2),
        "organization_id": district.b2.pk,
    }
    members_load([(profile, [admitted])], actor=actor)
    assert MembershipSpan.objects.filter(member__code="DV9", name_folded="dinh thi khue").count() == 1
    assert spans_match_members()
    # Saving a profile without a change of name writes no span.
    assert binh.sync_span_names() == 0


def test_the_migration_fills_the_names_of_the_spans_already_stored(people: Any) -> None:
    MembershipSpan.objects.update(name_folded="", name_sort="")
    if connection.vendor == "postgresql":  # the test's own deferred checks first: an index is not rebuilt under them
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    fill = import_module("dangvu.members.migrations.0006_span_search_names").fill_span_names
    fill(apps, SimpleNamespace(connection=connection))
    assert spans_match_members()
    if connection.vendor == "postgresql":  # the indexes dropped for the fill are all back
        with connection.cursor() as cur:
            cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'members_membershipspan'")
            assert {"span_search_idx", "span_member_cover_idx", "span_on_idx"} <= {r[0] for r in cur.fetchall()}
