"""Report drafts on the web: the report date on the form, the list of drafts and issued reports with their state,
a draft's page, and issuing it (who may: writers in the committee's scope; readers see, others do not find it)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from dangvu.audit.services import Actor
from dangvu.reports.api import draft
from dangvu.reports.models import ReportDocument

pytestmark = pytest.mark.django_db
MADE_BY = Actor("canbo_soan_thao")


def _draft(tmp: Path, root: str = "H") -> ReportDocument:
    return draft(
        root=root, kind="annual", period="2024", formats=("docx",), actor=MADE_BY,
        issued_on=dt.date(2025, 1, 12),
    )  # fmt: skip


def _cells(page: str, row_id: int) -> list[str]:
    row = re.search(rf'<tr data-state="\w+"><td><a href="/bao-cao/van-ban/{row_id}/">.*?</tr>', page, re.S)
    assert row, page[-3000:]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)]


def test_a_draft_is_listed_then_issued_by_the_staff_and_shows_its_number(cast: Any, tmp_path: Path) -> None:
    doc = _draft(tmp_path)
    staff = cast.client("canbo")
    listing = staff.get("/bao-cao/").content.decode()
    assert _cells(listing, doc.pk) == [
        "Dự thảo",
        "—",
        "12/1/2025",
        "Đảng bộ huyện Kim Bảng",
        "Báo cáo tổng kết công tác xây dựng Đảng năm — 2024",
        "canbo_soan_thao",
        "—",
    ]
    page = staff.get(f"/bao-cao/van-ban/{doc.pk}/").content.decode()
    assert 'id="report-state-label" class="draft">DỰ THẢO<' in page and 'id="report-issue"' in page
    assert "Chưa ghi nhận bí thư hoặc phó bí thư của cấp ủy vào ngày báo cáo" in page  # no post recorded

    r = staff.post(f"/bao-cao/van-ban/{doc.pk}/ban-hanh/", follow=True)
    page = r.content.decode()
    assert "Đã ban hành báo cáo; số văn bản đã được cấp." in page
    assert '<dd id="report-number">Số 01-BC/HU</dd>' in page and 'id="report-issue"' not in page
    listing = staff.get("/bao-cao/").content.decode()
    cells = _cells(listing, doc.pk)
    assert cells[:3] == ["Đã ban hành", "Số 01-BC/HU", "12/1/2025"] and cells[6].startswith("canbo, ")
    link = re.search(rf'href="(/bao-cao/van-ban/{doc.pk}/tai/[^"]+\.docx)"', page)
    assert link and link.group(1).endswith("H-tong-ket-2024-so-01.docx")
    got = staff.get(link.group(1))
    assert got.status_code == 200 and b"".join(got.streaming_content)[:2] == b"PK"

    # Issuing again (a second tab): told it is issued, the number unchanged.
    again = staff.post(f"/bao-cao/van-ban/{doc.pk}/ban-hanh/", follow=True).content.decode()
    assert "Báo cáo này đã được ban hành (Số 01-BC/HU) bởi canbo" in again


def test_an_inspector_reads_a_draft_but_may_not_issue_it_and_other_districts_do_not_find_it(
    cast: Any, tmp_path: Path
) -> None:
    doc = _draft(tmp_path)
    inspector = cast.client("kiemtra")
    page = inspector.get(f"/bao-cao/van-ban/{doc.pk}/").content.decode()
    assert "DỰ THẢO" in page and 'id="report-issue"' not in page
    assert inspector.post(f"/bao-cao/van-ban/{doc.pk}/ban-hanh/").status_code == 403
    assert cast.client("bithu").post(f"/bao-cao/van-ban/{doc.pk}/ban-hanh/").status_code == 404  # H is above W
    other = cast.client("canbo_khac")
    assert other.get(f"/bao-cao/van-ban/{doc.pk}/").status_code == 404
    assert other.post(f"/bao-cao/van-ban/{doc.pk}/ban-hanh/").status_code == 404
    assert f"/bao-cao/van-ban/{doc.pk}/" not in other.get("/bao-cao/").content.decode()
    assert ReportDocument.objects.get(pk=doc.pk).state == "draft"


def test_the_form_refuses_a_report_date_before_the_period(cast: Any) -> None:
    r = cast.client("canbo").post(
        "/bao-cao/",
        {"org": "H", "kind": "annual", "period": "2024", "formats": ["docx"], "report_date": "31/12/2023"},
    )
    page = r.content.decode()
    assert r.status_code == 200 and "Ngày báo cáo 31/12/2023 trước ngày đầu kỳ báo cáo (1/1/2024)." in page
    assert not ReportDocument.objects.exists()
