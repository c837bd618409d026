"""In the browser: an office's own list, upload → the mapping (suggested, values under each column, one choice
changed) → the first rows as they will be read and the check → apply. Screenshots in var/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.imports.test_mapping_web import office_list

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_staff_member_maps_checks_and_imports_an_office_list(
    page: Any, scene: Any, shot: Any, axe: Any, tmp_path: Path
) -> None:
    from dangvu.imports.models import SourceMapping
    from dangvu.members.models import Member

    scene.login(page, "canbo")
    page.goto(scene.url + "/nhap/")
    page.click("#list-link")
    path = tmp_path / "danh-sach-chi-bo.xlsx"
    office_list(path)
    page.set_input_files("#list-file", str(path))
    page.click("#list-read")
    page.wait_for_selector("#mapping-form")
    expect(page.locator("#col-0-full_name option:checked")).to_have_text("Cột B: Họ tên")
    expect(page.locator("tr[data-field=full_name]")).to_contain_text("Vũ Thị Hoa, Đinh Văn Khoa")
    # The person changes one suggestion: the list's "TT" is not a dossier number, then sets it back to none.
    page.select_option("#col-0-dossier_number", "0")
    page.select_option("#col-0-dossier_number", "")
    axe(page, "import-list-mapping")
    shot(page, "import-list-mapping")

    page.click("#mapping-confirm")
    page.wait_for_selector("#list-ok")
    expect(page.locator("#list-preview")).to_contain_text("002190000077")
    expect(page.locator("#list-preview")).to_contain_text("5/4/1990")
    axe(page, "import-list-check")
    shot(page, "import-list-check")
    page.click("#list-apply")
    page.wait_for_selector("#job-done")
    shot(page, "import-list-done")
    assert Member.objects.filter(code__in=["DVH1", "DVH2"]).count() == 2
    assert SourceMapping.objects.filter(owner__username="canbo").count() == 1
