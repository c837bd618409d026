"""Department staff read the basic statistics tables: a unit, a date and a table; a figure opens the list of the
members it counts; the workbook downloads in the forms' layout (issue 15, item 1).

The scene (tests/e2e/conftest.py): district H "Đảng bộ huyện Kim Bảng" with An and Bình (branch Thôn 1), Chi
(Thôn 2, a woman) and Dũng (the agency branch); canbo is the district's staff."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_read_a_table_open_a_figures_list_and_download_the_workbook(
    page: Any, scene: Any, shot: Any, axe: Any
) -> None:
    scene.login(page, "canbo")
    page.get_by_role("link", name="Biểu thống kê").click()
    expect(page.get_by_role("heading", name="Biểu thống kê cơ bản")).to_be_visible()
    page.goto(scene.url + "/bieu-thong-ke/?org=H&as_of=31/12/2025&table=dang-vien-gioi-tinh")
    expect(page.get_by_role("heading", name="Đảng viên chia theo giới tính")).to_be_visible()
    expect(page.get_by_text("Có đến ngày 31-12-2025")).to_be_visible()
    grid = page.locator("#tables-grid")
    women = grid.get_by_role("row", name="Nữ")
    expect(women.get_by_role("link").first).to_have_text("1")
    expect(grid.get_by_role("row", name="Tổng số đảng viên").get_by_role("link").first).to_have_text("4")
    expect(page.locator("#tables-units")).to_contain_text("Đảng bộ xã Thanh Sơn")
    shot(page, "tables-figures")
    axe(page, "tables-figures")

    women.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Nữ — Tổng số")).to_be_visible()
    expect(page.locator("#cell-count")).to_have_text("1")
    expect(page.locator("#cell-records")).to_contain_text("Lê Minh Chi")
    expect(page.locator("#cell-records")).not_to_contain_text("Nguyễn Văn An")
    shot(page, "tables-cell-list")
    axe(page, "tables-cell-list")

    page.go_back()
    with page.expect_download() as info:
        page.locator("#tables-download").click()
    download = info.value
    assert download.suggested_filename == "bieu-thong-ke-H-2025-12-31.xlsx"
    wb = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    ws = wb["dang-vien-gioi-tinh"]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "ĐẢNG VIÊN CHIA THEO GIỚI TÍNH" in cells and "Có đến ngày 31-12-2025" in cells and 4 in cells
