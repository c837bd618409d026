"""A department officer, a branch secretary and a member doing their jobs in Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fixtures.import_files import branch_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_log_in_and_find_a_member_without_diacritics(page: Any, scene: Any, shot: Any) -> None:
    scene.login(page, "canbo")
    assert page.url.endswith("/to-chuc/H/")
    assert page.inner_text("#org-name") == "Đảng bộ huyện Kim Bảng"
    assert page.inner_text("#members-total") == "4"
    page.wait_for_selector("#alerts :is(.alert, p)")  # the htmx fragments load after the page
    shot(page, "dashboard")
    page.goto(scene.url + "/dang-vien/")
    page.fill("#id_q", "nguyen van an")  # htmx searches as one types
    expect(page.locator("#member-count")).to_have_text(re.compile(r"^1 đảng viên"))
    assert page.locator("#member-rows").inner_text().count("Nguyễn Văn An") == 1
    assert "Trần Thị Bình" not in page.locator("#member-rows").inner_text()
    shot(page, "members-search")
    page.click("text=Nguyễn Văn An")
    page.wait_for_selector("#member-name")
    assert "001080001234" not in page.content()
    page.click("#cid button")  # reveal: audited
    page.wait_for_selector("#cid >> text=001080001234")
    shot(page, "member-profile")
    page.goto(scene.url + "/cay/")
    shot(page, "tree")
    page.goto(scene.url + "/nhat-ky/?action=member_reveal")
    assert page.locator(".audit-row").count() == 1
    shot(page, "audit-log")


# The review in the browser: tests/e2e/test_review.py (self-review on a phone, proposal, decisions saved row by
# row with the quota meter, close).


def test_import_a_file_with_an_error_then_a_good_one(page: Any, scene: Any, shot: Any, tmp_path: Path) -> None:
    from dangvu.members.models import Member

    scene.login(page, "canbo")
    page.goto(scene.url + "/nhap/")
    page.set_input_files("#import-file", str(branch_workbook(tmp_path / "co-loi.xlsx", "31/02/1990")))
    page.click("#import-check")
    page.wait_for_selector("#import-errors")
    assert page.locator("tr.problem").count() >= 1
    shot(page, "import-errors")
    page.goto(scene.url + "/nhap/")
    page.set_input_files("#import-file", str(branch_workbook(tmp_path / "dung.xlsx", "02/02/1990")))
    page.click("#import-check")
    page.wait_for_selector("#import-ok")
    page.click("#import-apply")
    page.wait_for_selector("#job-state[data-state=done]")
    shot(page, "import-done")
    assert Member.objects.filter(code="DV9").exists()


def test_generate_and_download_the_annual_report(page: Any, scene: Any, shot: Any, tmp_path: Path) -> None:
    scene.login(page, "canbo")
    page.goto(scene.url + "/bao-cao/")
    page.fill("#id_org", "H")
    page.select_option("#id_kind", "annual")
    page.fill("#id_period", "2025")
    page.check("input[name=formats][value=docx]")
    page.check("input[name=formats][value=xlsx]")
    page.click("#report-generate")
    page.wait_for_selector("#job-state[data-state=done], #job-state[data-state=failed]", timeout=120_000)
    assert page.get_attribute("#job-state", "data-state") == "done", page.inner_text("#job")
    shot(page, "report-done")
    with page.expect_download() as info:
        page.click("#job-files a[href$='.docx']")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".docx" and path.read_bytes()[:2] == b"PK"
