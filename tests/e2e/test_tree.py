"""Department staff find their way in the organization tree, read a unit's history across the 2025 reform by
names, and grant a role with the organization picker (issue 11, items 4 and 8).

The scene (tests/e2e/conftest.py): district H "Đảng bộ huyện Kim Bảng" → ward W "Đảng bộ xã Thanh Sơn" (branches
Thôn 1, Thôn 2) and the agency branch A; canbo is the district's staff. The fixture below adds Thôn 10 and 11 under
W and, on 01/07/2025, merges W with a second ward into the commune "Đảng bộ xã Kim Thanh" under the province.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from dangvu.audit.services import Actor
from dangvu.domain.orgtree import OrgKind, Sector

pytestmark = pytest.mark.django_db(transaction=True)

D = dt.date
SETUP = Actor("thiết lập kiểm thử")


@pytest.fixture
def reformed(scene: Any) -> Any:
    """Thôn 10 and Thôn 11 under W; W and Thụy Lôi merged into the commune Kim Thanh on 01/07/2025."""
    from dangvu.orgs.services import Decision, NewOrg, org_establish, org_merge

    def unit(code: str, name: str, kind: str, parent: Any, sector: str = Sector.RESIDENTIAL) -> Any:
        return org_establish(
            code=code, name=name, kind=kind, sector=sector, parent=parent, on=D(2000, 1, 1), actor=SETUP
        )

    unit("B10", "Chi bộ Thôn 10", OrgKind.BRANCH, scene.district.ward)
    unit("B11", "Chi bộ Thôn 11", OrgKind.BRANCH, scene.district.ward)
    other = unit(
        "W2", "Đảng bộ xã Thụy Lôi", OrgKind.GRASSROOTS_COMMITTEE, scene.district.district, Sector.COMMUNE_WARD
    )
    org_merge(
        sources=[scene.district.ward, other],
        new=NewOrg("X", "Đảng bộ xã Kim Thanh", OrgKind.COMMUNE, Sector.COMMUNE_WARD),
        parent=scene.district.province,
        on=D(2025, 7, 1),
        actor=SETUP,
        decision=Decision("31-HD/BTCTW", D(2025, 4, 23)),
    )
    return scene


def toggle(page: Any, name: str) -> Any:
    """The ▸ beside a unit's name that opens and closes its units."""
    return page.locator(f'summary[aria-label="Các đơn vị trực thuộc {name}"]')


def names_in_tree(page: Any) -> list[str]:
    return [n.strip() for n in page.locator(".tree-name").all_inner_texts()]


def test_staff_open_the_tree_fold_it_and_find_thon_2_without_diacritics(
    page: Any, reformed: Any, shot: Any, axe: Any
) -> None:
    scene = reformed
    scene.login(page, "canbo")
    page.goto(scene.url + "/cay/?as_of=30/06/2025")
    root = toggle(page, "Đảng bộ huyện Kim Bảng")
    expect(root.locator("xpath=..")).to_have_attribute("open", "")
    ward = toggle(page, "Đảng bộ xã Thanh Sơn")
    thon2 = page.get_by_role("link", name="Chi bộ Thôn 2", exact=True)
    # A small district fits the screen with its first levels open: the ward's branches are in sight, in the
    # natural order.
    expect(thon2).to_be_visible()
    names = names_in_tree(page)
    assert names.index("Chi bộ Thôn 2") < names.index("Chi bộ Thôn 10") < names.index("Chi bộ Thôn 11")
    shot(page, "tree-first-sight")
    axe(page, "cây tổ chức")
    # Fold the ward, then the district; open them again.
    ward.click()  # the ▸ toggle beside the name
    expect(thon2).to_be_hidden()
    expect(page.get_by_role("link", name="Đảng bộ xã Thụy Lôi", exact=True)).to_be_visible()
    shot(page, "tree-ward-folded")
    root.click()
    expect(page.get_by_role("link", name="Đảng bộ xã Thụy Lôi", exact=True)).to_be_hidden()
    root.click()
    ward.click()
    expect(thon2).to_be_visible()
    # Search without diacritics: only the matches and the way to them stay, opened.
    page.fill("#id_q", "thon 1")
    page.click("form.tree-filter button")
    page.wait_for_url("**q=thon+1**")
    expect(page.locator("#tree-summary")).to_contain_text("3 tổ chức khớp điều kiện lọc")
    names = names_in_tree(page)
    assert names[-3:] == ["Chi bộ Thôn 1", "Chi bộ Thôn 10", "Chi bộ Thôn 11"]
    assert "Chi bộ Thôn 2" not in names
    expect(page.locator("li.hit mark", has_text="Chi bộ Thôn 10")).to_be_visible()
    shot(page, "tree-search")
    axe(page, "cây tổ chức, đã lọc")


def test_staff_read_a_units_history_after_the_2025_reform_by_names(
    page: Any, reformed: Any, shot: Any, axe: Any
) -> None:
    scene = reformed
    scene.login(page, "canbo")
    page.goto(scene.url + "/cay/?as_of=30/06/2025&q=thanh+son")
    page.get_by_role("link", name="Lịch sử Đảng bộ xã Thanh Sơn").click()
    page.wait_for_selector("#org-name")
    assert page.inner_text("#org-name").startswith("Đảng bộ xã Thanh Sơn")
    became = page.locator("#became")
    expect(became).to_contain_text("Hợp nhất, hiệu lực 1/7/2025 — văn bản 31-HD/BTCTW ngày 23/4/2025")
    # The commune is named; it lies outside the district staff's scope, so it is no link (one would answer 404).
    expect(became).to_contain_text("Đảng bộ xã Kim Thanh")
    expect(became.get_by_role("link", name="Đảng bộ xã Kim Thanh")).to_have_count(0)
    expect(page.locator("#versions")).to_contain_text("Đảng bộ huyện Kim Bảng")
    shot(page, "tree-history-before-reform")
    axe(page, "lịch sử tổ chức")


def test_staff_grant_a_role_choosing_the_unit_in_the_picker(page: Any, reformed: Any, shot: Any, axe: Any) -> None:
    from django.contrib.auth import get_user_model

    scene = reformed
    get_user_model().objects.create_user("bithu_moi", password="mat-khau-kiem-thu")
    scene.login(page, "canbo")
    page.goto(scene.url + "/phan-quyen/")
    axe(page, "phân quyền")
    page.fill("#id_username", "bithu_moi")
    page.select_option("#id_role", "branch_secretary")
    page.locator("#id_org").press_sequentially("Phong tu", delay=30)
    option = page.locator("#id_org-goi-y option").first
    expect(option).to_have_attribute("value", "Chi bộ Phòng Tư pháp (A)")
    page.fill("#id_org", option.get_attribute("value"))
    page.fill("#id_valid_from", "01/01/2025")
    shot(page, "tree-grant-picker")
    page.click("#grant-form button")
    expect(page.locator(".messages")).to_contain_text("Đã giao vai trò cho bithu_moi")
    row = page.locator("tr.grant-row", has_text="bithu_moi")
    expect(row).to_contain_text("Chi bộ Phòng Tư pháp")
    shot(page, "tree-grants")


def test_in_a_large_tree_a_closed_units_units_load_when_it_is_opened(
    page: Any, reformed: Any, shot: Any, axe: Any, monkeypatch: Any
) -> None:
    from dangvu.web import reads

    # The scene's district stands for a province of thousands of units: its first level only is sent.
    monkeypatch.setattr(reads, "LAZY_FROM", 2)
    monkeypatch.setattr(reads, "FIRST_SIGHT_ROWS", 1)
    scene = reformed
    scene.login(page, "canbo")
    page.goto(scene.url + "/cay/?as_of=30/06/2025")
    thon2 = page.get_by_role("link", name="Chi bộ Thôn 2", exact=True)
    expect(thon2).to_have_count(0)  # not in the page
    toggle(page, "Đảng bộ xã Thanh Sơn").click()
    expect(thon2).to_be_visible()  # fetched when opened
    expect(page.get_by_text("Đang tải")).to_have_count(0)
    shot(page, "tree-lazy-opened")
    axe(page, "cây tổ chức lớn")
