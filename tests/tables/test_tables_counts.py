"""Each default table on a small district built through the services, counted by hand from the raw records below;
a unit's figure is its units' summed; every cell's list holds exactly the records its figure counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangvu.domain.orgtree import OrgKind, Sector
from dangvu.members.services import member_die, member_recognize, member_remove
from dangvu.orgs.services import org_establish
from dangvu.tables.builder import Figures, all_tables, build, cell_records

pytestmark = pytest.mark.django_db

D = dt.date
ON = D(2024, 12, 31)


@pytest.fixture
def cast(district: Any, make_member: Any, actor: Any) -> Any:
    """The conftest's district H (ward committee W with branches B1, B2; agency branch A), a school branch C set up
    in 2024, and five members:
    m1 B1 woman born 1/6/1990, admitted 1/3/2010 (recognized 2011), Tày, Phật giáo, 12/12, Cử nhân Luật,
       trung cấp LLCT, nông dân;
    m2 B2 man born 1/1/1950, admitted 1/1/2000 (recognized 2001; party age confirmed from 1/5/1975), Kinh,
       10/10, hưu trí;
    m3 A man born 2/2/2000, admitted 1/4/2024 (a student; probationary on 31/12), H'Mông, 12/12, Kỹ sư + Thạc sĩ,
       viên chức;
    m4 B1 woman admitted 2005, died 1/6/2024; m5 A man admitted 2000, removed (xóa tên) 1/9/2024."""
    school = org_establish(
        code="C", name="Chi bộ Trường Tiểu học", kind=OrgKind.GRASSROOTS_BRANCH, sector=Sector.SCHOOL,
        parent=district.district, on=D(2024, 3, 1), actor=actor,
    )  # fmt: skip
    m1 = make_member(
        district.b1, D(2010, 3, 1), birth=D(1990, 6, 1), name="Lò Thị Mai", gender="female", ethnicity="Tày",
        religion="Phật giáo", general_education="12/12", professional_education="Cử nhân Luật",
        political_theory="intermediate", occupation="Nông dân",
    )  # fmt: skip
    m2 = make_member(
        district.b2, D(2000, 1, 1), birth=D(1950, 1, 1), name="Trần Văn Bình", general_education="10/10",
        occupation="Hưu trí", party_age_confirmed_from=D(1975, 5, 1),
    )  # fmt: skip
    m3 = make_member(
        district.agency, D(2024, 4, 1), birth=D(2000, 2, 2), name="Giàng A Páo", ethnicity="H'Mông",
        general_education="12/12", professional_education="Kỹ sư Xây dựng", degree="Thạc sĩ", occupation="Viên chức",
    )  # fmt: skip
    m3.events.filter(kind="admission").update(category="student")
    member_recognize(member=m1, decided_on=D(2011, 4, 5), actor=actor)
    member_recognize(member=m2, decided_on=D(2001, 2, 5), actor=actor)
    m4 = make_member(district.b1, D(2005, 1, 1), birth=D(1985, 1, 1), name="Phạm Thị Hoa", gender="female")
    member_die(member=m4, on=D(2024, 6, 1), actor=actor)
    m5 = make_member(district.agency, D(2000, 1, 1), birth=D(1970, 1, 1), name="Lê Văn Cường")
    member_remove(member=m5, on=D(2024, 9, 1), actor=actor)
    district.school = school
    return district


def _by_code(figures: list[Figures]) -> dict[str, Figures]:
    return {f.table.code: f for f in figures}


def _nonzero(f: Figures) -> dict[tuple[str, str], int]:
    return {(r, c): n for r, cols in f.grid.cells.items() for c, n in cols.items() if n}


def test_each_default_table_counts_the_district_as_counted_by_hand(cast: Any) -> None:
    got = _by_code(build(cast.district, ON))
    assert _nonzero(got["dang-vien-gioi-tinh"]) == {
        ("tong-so", "tong-so"): 3, ("tong-so", "chinh-thuc"): 2, ("tong-so", "du-bi"): 1,
        ("nam", "tong-so"): 2, ("nam", "chinh-thuc"): 1, ("nam", "du-bi"): 1,
        ("nu", "tong-so"): 1, ("nu", "chinh-thuc"): 1,
    }  # fmt: skip
    assert _nonzero(got["dang-vien-tuoi"]) == {
        ("tong-so", "tong-so"): 3, ("tong-so", "nu"): 1, ("den-30", "tong-so"): 1, ("31-40", "tong-so"): 1,
        ("31-40", "nu"): 1, ("tren-70", "tong-so"): 1,
    }  # fmt: skip
    dt_ = got["dang-vien-dan-toc"]
    assert dt_.grid.cell("01-kinh", "tong-so") == 1
    assert dt_.grid.cell("02-tay", "tong-so") == 1 and dt_.grid.cell("02-tay", "nu") == 1
    assert dt_.grid.cell("08-mong", "tong-so") == 1 and dt_.grid.cell("08-mong", "du-bi") == 1  # "H'Mông"
    assert dt_.grid.cell("thieu-so", "tong-so") == 2 and dt_.grid.cell("khac", "tong-so") == 0
    assert sum(dt_.grid.cell(r.key, "tong-so") for r in dt_.table.rows if r.indent == 0 and r.key != "tong-so") == 3
    assert _nonzero(got["dang-vien-ton-giao"]) == {
        ("tong-so", "tong-so"): 3, ("tong-so", "nu"): 1, ("co-ton-giao", "tong-so"): 1, ("co-ton-giao", "nu"): 1,
        ("phat-giao", "tong-so"): 1, ("phat-giao", "nu"): 1,
    }  # fmt: skip
    assert got["dang-vien-hoc-van"].grid.cell("thpt", "tong-so") == 3
    pro = got["dang-vien-chuyen-mon"].grid
    assert (pro.cell("dai-hoc", "tong-so"), pro.cell("thac-si", "tong-so"), pro.cell("chua-dao-tao", "tong-so")) == (
        1, 1, 1,
    )  # fmt: skip
    llct = got["dang-vien-ly-luan"].grid
    assert (llct.cell("trung-cap", "tong-so"), llct.cell("chua-dao-tao", "tong-so")) == (1, 2)
    job = got["dang-vien-nghe-nghiep"].grid
    assert [job.cell(k, "tong-so") for k in ("nong-dan", "huu-tri", "vien-chuc", "khac")] == [1, 1, 1, 0]
    age = got["dang-vien-tuoi-dang"].grid
    assert [age.cell(k, "tong-so") for k in ("duoi-10", "10-19", "40-49", "50-tro-len")] == [1, 1, 1, 0]
    adm = got["ket-nap"].grid
    assert adm.cell("tong-so", "tong-so") == 1 and adm.cell("sinh-vien", "tong-so") == 1
    assert adm.cell("den-30", "thieu-so") == 1 and adm.cell("thpt", "tong-so") == 1
    assert adm.cell("dai-hoc-tro-len", "tong-so") == 1 and adm.cell("quan-chung", "tong-so") == 0
    assert _nonzero(got["ra-khoi-dang"]) == {
        ("tong-so", "tong-so"): 2, ("tong-so", "nu"): 1, ("tu-tran", "tong-so"): 1, ("tu-tran", "nu"): 1,
        ("xoa-ten", "tong-so"): 1,
    }  # fmt: skip
    org = got["to-chuc-dang"].grid
    assert [org.cell("tong-so", c) for c in ("tccsd", "dang-bo-co-so", "chi-bo-co-so", "chi-bo-truc-thuoc")] == [
        3, 1, 2, 2,
    ]  # fmt: skip
    assert [org.cell("tong-so", c) for c in ("tccsd-nam-truoc", "tccsd-tang-giam", "chi-bo-tang-giam")] == [2, 1, 0]
    assert [org.cell(r, "tccsd") for r in ("xa-phuong", "co-quan", "truong-hoc", "khu-dan-cu")] == [1, 1, 1, 0]
    assert org.cell("khu-dan-cu", "chi-bo-truc-thuoc") == 2 and org.cell("truong-hoc", "tccsd-tang-giam") == 1


def test_a_units_figure_is_the_sum_of_its_units(cast: Any) -> None:
    for f in build(cast.district, ON):
        if f.table.source in ("organizations", "review_organizations"):
            continue  # the units themselves are counted there, not under themselves
        assert {u.code for u, _ in f.units} == {"W", "A", "C"}
        for row in f.table.rows:
            for col in f.table.columns:
                summed = sum(g.cell(row.key, col.key) for _u, g in f.units)
                assert f.grid.cell(row.key, col.key) == summed, (f.table.code, row.key, col.key)


def test_every_cells_list_holds_exactly_the_records_it_counts(cast: Any) -> None:
    for f in build(cast.district, ON, by_unit=False):
        for row in f.table.rows:
            for col in f.table.columns:
                got = cell_records(cast.district, ON, f.table, row.key, col.key)
                assert got is not None
                if col.difference or row.heading:
                    assert got.records == []
                    continue
                assert len(got.records) == f.grid.cell(row.key, col.key), (f.table.code, row.key, col.key)
    adm = next(t for t in all_tables() if t.code == "ket-nap")
    listed = cell_records(cast.district, ON, adm, "sinh-vien", "tong-so")
    assert listed is not None and [r.name for r in listed.records] == ["Giàng A Páo"]
    exits = next(t for t in all_tables() if t.code == "ra-khoi-dang")
    listed = cell_records(cast.district, ON, exits, "tong-so", "tong-so")
    assert listed is not None and [r.name for r in listed.records] == ["Lê Văn Cường", "Phạm Thị Hoa"]


def test_the_previous_year_column_lists_the_units_of_the_year_before(cast: Any) -> None:
    org = next(t for t in all_tables() if t.code == "to-chuc-dang")
    now = cell_records(cast.district, ON, org, "tong-so", "tccsd")
    before = cell_records(cast.district, ON, org, "tong-so", "tccsd-nam-truoc")
    assert now is not None and before is not None
    assert {r.code for r in now.records} == {"W", "A", "C"} and {r.code for r in before.records} == {"W", "A"}
    assert before.on == D(2023, 12, 31)
