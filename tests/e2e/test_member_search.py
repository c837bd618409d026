"""The member search in Chromium (issue 14, item 1): the department's staff type initials without diacritics and the
list follows as they type (htmx); a citizen ID finds its member; one letter asks for more; the page passes axe."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_find_a_member_by_initials_and_by_citizen_id_as_they_type(
    page: Any, scene: Any, shot: Any, axe: Any
) -> None:
    scene.login(page, "canbo")
    page.goto(scene.url + "/dang-vien/")
    rows = page.locator("#member-rows tbody tr")
    expect(rows).to_have_count(4)
    page.type("#id_q", "ng v an", delay=40)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nguyễn Văn An")
    expect(page.locator("#member-count")).to_contain_text("1 đảng viên")
    shot(page, "member-search-initials")
    axe(page, "tìm đảng viên")
    page.fill("#id_q", "")
    page.type("#id_q", "001080001234", delay=20)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nguyễn Văn An")
    expect(rows.first).to_contain_text("•••••••••234")  # found by it, still masked in the list
    page.fill("#id_q", "")
    page.type("#id_q", "t", delay=20)
    expect(page.locator("#member-count")).to_contain_text("Gõ ít nhất 2 chữ cái")
    shot(page, "member-search-too-short")
