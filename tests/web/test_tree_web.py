"""The tree, the organization pages, natural order, names not codes (issue 11, items 4 and 8).

Personas from tests/web/conftest.py (canbo: staff of district H; quantri: administrator; canbo_khac: another
district). District H: ward committee W (Chi bộ Thôn 1, Chi bộ Thôn 2) and the agency branch A.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

import pytest

from dangvu.audit.services import Actor
from dangvu.domain.orgtree import OrgKind, Sector
from dangvu.domain.vietnamese import sort_key
from dangvu.orgs.models import Organization, OrgVersion
from dangvu.orgs.queries import TreeNode
from dangvu.orgs.services import Decision, NewOrg, org_establish, org_merge
from dangvu.web import reads

D = dt.date
SETUP = Actor("thiết lập kiểm thử")


def branch(cast: Any, code: str, name: str) -> Any:
    return org_establish(
        code=code,
        name=name,
        kind=OrgKind.BRANCH,
        sector=Sector.RESIDENTIAL,
        parent=cast.district.ward,
        on=D(2000, 1, 1),
        actor=SETUP,
    )


def html(cast: Any, persona: str, url: str) -> str:
    r = cast.client(persona).get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.content.decode()


# ---------------------------------------------------------------- natural order


def test_the_tree_lists_thon_2_before_thon_10_and_thon_11(cast: Any) -> None:
    branch(cast, "B10", "Chi bộ Thôn 10")
    branch(cast, "B11", "Chi bộ Thôn 11")
    page = html(cast, "canbo", "/cay/")
    at = [page.index(f">Chi bộ Thôn {n}<") for n in (1, 2, 10, 11)]
    assert at == sorted(at)


TRICKY = [
    "Chi bộ Thôn 10",
    "Chi bộ Thôn 2",
    "Chi bộ Thôn 1",
    "Chi bộ Thôn 02",
    "Chi bộ 12",
    "Chi bộ 3",
    "Đảng bộ xã Đông Hòa",
    "Đảng bộ xã Dân Chủ",
    "An",
    "Ánh",
    "Ân",
    "An B",
    "Anh",
    "ma",
    "mà",
    "mả",
    "mã",
    "má",
    "mạ",
    "Ma",
    "Tổ dân phố 9",
    "Tổ dân phố 10A",
    "Tổ dân phố 10",
    "Chi bộ Công ty CP (Hà Nội)",
    "Chi bộ Công ty – Chi nhánh 2",
    "Ưu",
    "Uy",
    "Ơn",
    "Ôn",
    "On",
]


def random_names(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    words = ["Thôn", "thôn", "Tổ", "Chi bộ", "Đảng bộ", "xã", "Ấp", "Bản", "Đông", "Dương", "Ư", "ơ", "Ô", "(", "–"]
    out = []
    for _ in range(n):
        parts = [rnd.choice(words) for _ in range(rnd.randint(1, 3))]
        if rnd.random() < 0.7:
            parts.insert(
                rnd.randint(0, len(parts)), (rnd.choice(["0", "1", "2", "9", "10", "11", "20", "100", "7", "007"]))
            )
        out.append(" ".join(parts))
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_the_database_orders_names_as_the_python_key(cast: Any, seed: int) -> None:
    names = TRICKY + random_names(150, seed)
    on = D(2001, 1, 1)
    orgs = Organization.objects.bulk_create([Organization(code=f"N{seed}-{i}") for i in range(len(names))])
    half = len(names) // 2
    # Both ways a version is written: bulk_create (imports) and save (services) fill the key.
    pairs = list(zip(orgs, names, strict=True))
    OrgVersion.objects.bulk_create(
        [OrgVersion(organization=o, valid_from=on, name=n, kind=OrgKind.BRANCH) for o, n in pairs[:half]]
    )
    for o, n in pairs[half:]:
        OrgVersion(organization=o, valid_from=on, name=n, kind=OrgKind.BRANCH).save()
    stored = list(
        OrgVersion.objects.filter(organization__in=orgs).by_name().values_list("name", "name_sort", flat=False)
    )
    assert [n for n, _ in stored] == sorted(names, key=sort_key)
    assert all(key == sort_key(n) for n, key in stored)


def test_on_postgresql_the_order_holds_whatever_the_columns_collation(cast: Any) -> None:
    """A database created with a language's collation (vi-x-icu, en_US…) must not reorder the key's weights."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite compares text bytewise (BINARY) unless told otherwise")
    with connection.cursor() as cur:  # rolled back with the test's transaction
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the fixture's deferred foreign keys, checked before ALTER
        cur.execute('ALTER TABLE orgs_orgversion ALTER COLUMN name_sort TYPE text COLLATE "vi-x-icu"')
    names = TRICKY + random_names(100, 3)
    orgs = Organization.objects.bulk_create([Organization(code=f"C-{i}") for i in range(len(names))])
    OrgVersion.objects.bulk_create(
        [
            OrgVersion(organization=o, valid_from=D(2001, 1, 1), name=n, kind=OrgKind.BRANCH)
            for o, n in zip(orgs, names, strict=True)
        ]
    )
    got = list(OrgVersion.objects.filter(organization__in=orgs).by_name().values_list("name", flat=True))
    assert got == sorted(names, key=sort_key)


def test_the_organization_picker_suggests_thon_2_before_thon_10(cast: Any) -> None:
    branch(cast, "B10", "Chi bộ Thôn 10")
    page = html(cast, "canbo", "/chon/to-chuc/?q=thon")
    values = re.findall(r'value="([^"]+)"', page)
    assert values == ["Chi bộ Thôn 1 (B1)", "Chi bộ Thôn 2 (B2)", "Chi bộ Thôn 10 (B10)"]
    assert "Chi bộ trực thuộc · Đảng bộ xã Thanh Sơn" in page


# ---------------------------------------------------------------- the tree page


def test_a_search_without_diacritics_shows_the_unit_and_opens_the_way_to_it(cast: Any) -> None:
    page = html(cast, "canbo", "/cay/?q=thon+2")
    assert "<mark>Chi bộ Thôn 2</mark>" in page
    assert "Chi bộ Thôn 1<" not in page
    assert "Chi bộ Phòng Tư pháp" not in page
    # the ward that holds it is open, so the unit is in sight
    ward = page.index("Đảng bộ xã Thanh Sơn")
    assert page.find("<details open>", ward) < page.find("Chi bộ Thôn 2", ward)
    assert "1 tổ chức khớp điều kiện lọc" in page


def test_the_kind_and_sector_filters_keep_only_matching_units_and_their_ancestors(cast: Any) -> None:
    page = html(cast, "canbo", "/cay/?kind=grassroots_branch")
    assert "<mark>Chi bộ Phòng Tư pháp</mark>" in page
    assert "Chi bộ Thôn 1" not in page
    page = html(cast, "canbo", "/cay/?sector=residential")
    assert "<mark>Chi bộ Thôn 1</mark>" in page and "Chi bộ Phòng Tư pháp" not in page


def test_a_filter_that_matches_nothing_says_so(cast: Any) -> None:
    page = html(cast, "canbo", "/cay/?q=khong+co+dau")
    assert "Không có tổ chức nào khớp điều kiện lọc" in page


def test_the_tree_takes_its_date_as_dd_mm_yyyy_and_says_what_is_wrong_with_a_bad_one(cast: Any) -> None:
    page = html(cast, "canbo", "/cay/?as_of=15/06/2010")
    assert "ngày 15/6/2010" in page and 'value="15/06/2010"' in page
    page = html(cast, "canbo", "/cay/?as_of=31/02/2025")
    assert "Ngày không hợp lệ" in page
    assert "Đảng bộ huyện Kim Bảng" in page  # the tree of today is still shown


def test_each_unit_links_its_dashboard_and_history_with_member_counts(cast: Any) -> None:
    page = html(cast, "canbo", "/cay/?as_of=01/01/2024")
    assert 'href="/to-chuc/B1/?as_of=01/01/2024"' in page
    assert 'href="/to-chuc/B1/lich-su/?as_of=01/01/2024"' in page
    # B1 holds An and Bình on that day (admitted, never recognized in the fixture: probationary)
    assert re.search(r">Chi bộ Thôn 1</a>\s*<span class=\"tree-n\" title=\"0 chính thức, 2 dự bị\">2<", page)


def test_the_tree_shows_no_codes_as_names_and_nothing_outside_the_scope(cast: Any) -> None:
    page = html(cast, "canbo_khac", "/cay/")
    assert "Chi bộ Xóm Đông" in page and "Kim Bảng" not in page


def node(code: str, kind: str, children: list[TreeNode] = ()) -> TreeNode:  # type: ignore[assignment]
    n = TreeNode(hash(code), code, f"Tên {code}", kind, "other", None)
    n.children = list(children)
    return n


def test_the_first_levels_open_only_as_far_as_one_screen_goes() -> None:
    small = node("H", "district", [node("W", "grassroots_committee", [node("B1", "branch")])])
    rows = reads.tree_page([small], reads.TreeFilter()).rows
    assert [(r.node.code, r.open) for r in rows] == [("H", True), ("W", True), ("B1", False)]
    communes = [node(f"X{i}", "commune", [node(f"X{i}B{j}", "branch") for j in range(30)]) for i in range(10)]
    big = node("P", "province", communes)
    rows = reads.tree_page([big], reads.TreeFilter()).rows
    assert rows[0].open and not any(r.open for r in rows[1:])
    assert len(rows) == 311  # every unit is there, closed, to open without a round trip
    assert sum(r.closes for r in rows) == 11  # every <details> is closed in the markup


# ---------------------------------------------------------------- history by names


def test_a_large_tree_sends_its_first_levels_and_loads_a_units_units_when_opened(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(reads, "LAZY_FROM", 2)  # the cast's district stands for a province of thousands of units
    monkeypatch.setattr(reads, "FIRST_SIGHT_ROWS", 1)
    page = html(cast, "canbo", "/cay/")
    assert ">Chi bộ Thôn 1<" not in page  # under the ward, not sent
    ward = cast.district.ward.code
    assert f'hx-get="/cay/con/{ward}/?as_of=' in page and 'hx-trigger="toggle once"' in page
    opened = html(cast, "canbo", f"/cay/con/{ward}/")
    assert ">Chi bộ Thôn 1<" in opened and ">Chi bộ Thôn 2<" in opened and '<ul class="tree-v">' not in opened
    assert cast.client("canbo_khac").get(f"/cay/con/{ward}/").status_code == 404  # another district's staff


def test_a_units_history_after_the_2025_reform_reads_the_lineage_by_names(cast: Any) -> None:
    other_ward = org_establish(
        code="W2",
        name="Đảng bộ xã Thụy Lôi",
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE_WARD,
        parent=cast.district.district,
        on=D(2000, 1, 1),
        actor=SETUP,
    )
    commune = org_merge(
        sources=[cast.district.ward, other_ward],
        new=NewOrg("X", "Đảng bộ xã Kim Thanh", OrgKind.COMMUNE, Sector.COMMUNE_WARD),
        parent=cast.district.province,
        on=D(2025, 7, 1),
        actor=SETUP,
        decision=Decision("31-HD/BTCTW", D(2025, 4, 23)),
    )
    page = html(cast, "quantri", f"/to-chuc/{commune.code}/lich-su/")
    came = page[page.index('id="came-from"') : page.index('id="became"')]
    assert "Hợp nhất, hiệu lực 1/7/2025 — văn bản 31-HD/BTCTW ngày 23/4/2025" in came
    assert ">Đảng bộ xã Thanh Sơn</a>" in came and ">Đảng bộ xã Thụy Lôi</a>" in came
    assert "Đảng bộ tỉnh Hà Nam</a>" in page  # the parent by name in the versions
    before = html(cast, "canbo", "/to-chuc/W/lich-su/?as_of=30/06/2025")
    became = before[before.index('id="became"') :]
    # the commune it became is named; it lies outside the district's staff's scope, so not linked (it would be 404)
    assert "<dd>Đảng bộ xã Kim Thanh <" in became and "/to-chuc/X/" not in became
    assert cast.client("canbo").get("/to-chuc/X/lich-su/", {"as_of": "01/07/2025"}).status_code == 404
    versions = before[before.index('id="versions"') : before.index('id="came-from"')]
    assert ">Đảng bộ huyện Kim Bảng</a>" in versions and ">H<" not in versions


# ---------------------------------------------------------------- grants


def test_the_grants_page_names_organizations_and_grants_through_the_picker(cast: Any) -> None:
    page = html(cast, "canbo", "/phan-quyen/")
    assert "Chi bộ Thôn 1" in page and "Đảng bộ huyện Kim Bảng" in page
    assert 'hx-get="/chon/to-chuc/' in page
    r = cast.client("canbo").post(
        "/phan-quyen/",
        {"username": "kiemtra", "role": "inspector", "org": "Chi bộ Thôn 2 (B2)", "valid_from": "01/01/2025"},
    )
    assert r.status_code == 302
    assert cast.users["kiemtra"].grants.filter(organization__code="B2").exists()


def test_a_grant_on_a_unit_outside_the_scope_is_refused_on_its_field(cast: Any) -> None:
    r = cast.client("canbo").post(
        "/phan-quyen/",
        {"username": "kiemtra", "role": "inspector", "org": "Chi bộ Xóm Đông (KB)", "valid_from": "01/01/2025"},
    )
    assert r.status_code == 200
    assert "Không tìm thấy tổ chức này trong phạm vi của bạn" in r.content.decode()
    assert not cast.users["kiemtra"].grants.filter(organization__code="KB").exists()


# ---------------------------------------------------------------- imports


def test_a_file_touching_another_subtree_names_the_unit_it_touches(cast: Any, tmp_path: Any) -> None:
    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangvu.imports.format import ORGS

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = ORGS.name
    ws.append(list(ORGS.headers))
    ws.append(["B9", "Chi bộ Thôn 9", "chi bo truc thuoc", "residential", "W", "2020-01-01", "", ""])
    path = tmp_path / "ngoai.xlsx"
    wb.save(path)
    f = SimpleUploadedFile(path.name, path.read_bytes())
    page = cast.client("canbo_khac").post("/nhap/", {"file": f}, follow=True).content.decode()
    assert "Tổ chức &#x27;Đảng bộ xã Thanh Sơn&#x27; (W) nằm ngoài phạm vi quản lý của bạn." in page
    assert "<th>Trang tính</th>" in page
