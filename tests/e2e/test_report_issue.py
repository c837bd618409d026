"""A report's life in the browser, as department staff: choose the report's date, generate a draft (no number,
"DỰ THẢO"), issue it (its number appears), generate again (a new draft, no number); the list shows both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document

from dangvu.reports.models import ReportDocument


def _generate(page: Any, scene: Any, day: str) -> None:
    page.goto(scene.url + "/bao-cao/")
    page.fill("#id_org", "H")
    page.select_option("#id_kind", "annual")
    page.fill("#id_period", "2024")
    page.fill("#id_report_date", day)
    page.check("input[name=formats][value=docx]")
    page.uncheck("input[name=formats][value=xlsx]")
    page.click("#report-generate")
    page.wait_for_selector("#report-state", timeout=120_000)  # the poll ends on the draft's page


def test_staff_draft_issue_and_draft_again(page: Any, scene: Any, shot: Any, tmp_path: Path) -> None:
    scene.login(page, "canbo")
    _generate(page, scene, "12/01/2025")
    assert page.inner_text("#report-state-label") == "DỰ THẢO"
    assert page.inner_text("#report-number") == "chưa cấp (cấp khi ban hành)"
    assert page.inner_text("#report-date") == "12/1/2025"
    shot(page, "report-draft")
    with page.expect_download() as info:
        page.click("#job-files a[href$='.docx']")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    draft = Document(str(path))
    assert [p.text for p in draft.sections[0].header.paragraphs] == ["DỰ THẢO"]
    assert path.name == "H-tong-ket-2024-du-thao.docx"

    page.click("#report-issue")
    page.wait_for_selector("#report-state[data-state=issued]")
    assert page.inner_text("#report-number") == "Số 01-BC/HU"
    assert page.inner_text("#report-issuer").startswith("canbo, ")
    shot(page, "report-issued")
    with page.expect_download() as info:
        page.click("#job-files a[href$='.docx']")
    issued = tmp_path / info.value.suggested_filename
    info.value.save_as(issued)
    assert issued.name == "H-tong-ket-2024-so-01.docx"
    numbered = Document(str(issued))
    assert any(p.text == "Số 01-BC/HU" for c in numbered.tables[0].rows[0].cells for p in c.paragraphs)

    _generate(page, scene, "15/01/2025")
    assert page.inner_text("#report-state-label") == "DỰ THẢO"
    assert page.inner_text("#report-number") == "chưa cấp (cấp khi ban hành)"
    page.goto(scene.url + "/bao-cao/")
    rows = page.locator("#report-documents tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().split("\t")[:3] == ["Dự thảo", "—", "15/1/2025"]
    assert rows.nth(1).inner_text().split("\t")[:3] == ["Đã ban hành", "Số 01-BC/HU", "12/1/2025"]
    shot(page, "report-list")
    assert list(ReportDocument.objects.order_by("pk").values_list("state", "number_line")) == [
        ("issued", "Số 01-BC/HU"),
        ("draft", ""),
    ]
