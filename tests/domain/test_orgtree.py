"""The tree's rules and the derivation of ancestry from versions: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.domain.orgtree import AncestryBuilder, OrgKind, VersionRow, check_parent, check_size
from dangvu.domain.periods import OPEN_END, Period

D = dt.date


def rows(*specs: tuple[int, dt.date, dt.date, int | None, str]) -> dict[int, list[VersionRow]]:
    out: dict[int, list[VersionRow]] = {}
    for org, start, end, parent, kind in specs:
        out.setdefault(org, []).append(VersionRow(org, Period(start, end), parent, kind))
    return out


def test_it_refuses_a_branch_directly_under_a_district() -> None:
    problems = check_parent(OrgKind.BRANCH, OrgKind.DISTRICT, name="Chi bộ Thôn 1", parent_name="Huyện ủy")
    assert problems and problems[0].severity == "error"
    assert "Chi bộ Thôn 1" in problems[0].message and "Điều lệ" in problems[0].source


def test_it_accepts_a_branch_under_a_grassroots_or_partial_committee() -> None:
    assert check_parent(OrgKind.BRANCH, OrgKind.GRASSROOTS_COMMITTEE, name="x") == []
    assert check_parent(OrgKind.BRANCH, OrgKind.PARTIAL_COMMITTEE, name="x") == []


def test_it_warns_when_a_grassroots_branch_reaches_thirty_members() -> None:
    found = check_size(OrgKind.GRASSROOTS_BRANCH, name="Chi bộ Trường THPT", members=30, official=28)
    assert [f.code for f in found] == ["grassroots_size"] and found[0].severity == "warning"
    assert check_size(OrgKind.GRASSROOTS_BRANCH, name="x", members=29, official=28) == []


def test_it_warns_when_a_grassroots_committee_has_fewer_than_thirty() -> None:
    assert [f.code for f in check_size(OrgKind.GRASSROOTS_COMMITTEE, name="x", members=29, official=29)] == [
        "grassroots_size"
    ]


def test_it_warns_when_a_branch_has_fewer_than_three_official_members() -> None:
    assert [f.code for f in check_size(OrgKind.BRANCH, name="x", members=5, official=2)] == ["branch_min_official"]


def test_ancestry_follows_a_move_and_splits_the_period_there() -> None:
    # branch 3 sits under 2 until 2025-07-01, then under 4; 2 is under 1 throughout; 4 is under 1.
    v = rows(
        (1, D(2000, 1, 1), OPEN_END, None, "province"),
        (2, D(2000, 1, 1), D(2025, 7, 1), 1, "district"),
        (4, D(2025, 7, 1), OPEN_END, 1, "commune"),
        (3, D(2000, 1, 1), D(2025, 7, 1), 2, "grassroots_committee"),
        (3, D(2025, 7, 1), OPEN_END, 4, "grassroots_committee"),
    )
    got = {(r.ancestor_id, r.depth, r.period) for r in AncestryBuilder(v).rows([3])}
    assert got == {
        (3, 0, Period(D(2000, 1, 1), D(2025, 7, 1))),
        (2, 1, Period(D(2000, 1, 1), D(2025, 7, 1))),
        (1, 2, Period(D(2000, 1, 1), D(2025, 7, 1))),
        (3, 0, Period(D(2025, 7, 1), OPEN_END)),
        (4, 1, Period(D(2025, 7, 1), OPEN_END)),
        (1, 2, Period(D(2025, 7, 1), OPEN_END)),
    }


def test_a_rename_does_not_split_ancestry_rows() -> None:
    v = rows(
        (1, D(2000, 1, 1), OPEN_END, None, "province"),
        (2, D(2000, 1, 1), D(2015, 4, 1), 1, "grassroots_committee"),
        (2, D(2015, 4, 1), OPEN_END, 1, "grassroots_committee"),
    )
    assert len([r for r in AncestryBuilder(v).rows([2]) if r.ancestor_id == 1]) == 1


def test_a_cycle_is_refused() -> None:
    v = rows(
        (1, D(2000, 1, 1), OPEN_END, 2, "grassroots_committee"), (2, D(2000, 1, 1), OPEN_END, 1, "partial_committee")
    )
    with pytest.raises(ValueError, match="vòng lặp"):
        list(AncestryBuilder(v).rows([1]))
