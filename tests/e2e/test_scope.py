"""Scope across time in Chromium (issue 11, item 1): the staff of a district that ended on 01/07/2025 land on a page
that says so, produce the district's 2024 annual report and download it in three formats, read the member list as
of 31/12/2024; the staff of the commune that took the district's units over record a change for a member admitted
long before the reform.

The scene is tests/conftest.py's SmallDistrict (P → H → W (B1, B2), A) with the reform replayed through the
services: commune X is established under P, absorbs ward committee W, takes agency branch A, and H ends.
  canbo_h   staff of H since 01/01/2020 (the grant never ended: H ended under it)
  canbo_x   staff of X since 01/07/2025
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

pytestmark = pytest.mark.django_db(transaction=True)

D = dt.date
REFORM = D(2025, 7, 1)
PASSWORD = "mat-khau-kiem-thu"  # tests/e2e/conftest.py's


@dataclass
class Reformed:
    an: Any
    binh: Any
    dung: Any
    url: str

    def login(self, page: Any, username: str) -> None:
        page.goto(self.url + "/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

    def logout(self, page: Any) -> None:
        page.click("text=Đăng xuất")
        page.wait_for_url("**/dang-nhap/")


@pytest.fixture
def reformed(live_server: Any, district: Any, make_member: Any, django_user_model: Any) -> Reformed:
    from django.db import connection

    from dangvu.accounts.models import Role
    from dangvu.accounts.services import grant_role
    from dangvu.audit.services import Actor
    from dangvu.domain.orgtree import OrgKind, Sector
    from dangvu.orgs.services import Decision, org_absorb, org_end, org_establish, org_move

    setup = Actor("thiết lập kiểm thử")
    d = district
    an = make_member(d.b1, D(2010, 3, 1), name="Nguyễn Văn An")
    binh = make_member(d.b1, D(2011, 3, 1), name="Trần Thị Bình", gender="female")
    dung = make_member(d.agency, D(2013, 3, 1), name="Phạm Văn Dũng")
    x = org_establish(
        code="X",
        name="Đảng bộ xã Kim Thanh",
        kind=OrgKind.COMMUNE,
        sector=Sector.COMMUNE_WARD,
        parent=d.province,
        on=REFORM,
        actor=setup,
        decision=Decision("1201-QĐ/TU"),
    )
    org_absorb(source=d.ward, into=x, on=REFORM, actor=setup, decision=Decision("31-HD/BTCTW"))
    org_move(org=d.agency, parent=x, on=REFORM, actor=setup)
    org_end(org=d.district, on=REFORM, actor=setup)

    def user(name: str) -> Any:
        return django_user_model.objects.create_user(name, password=PASSWORD)

    grant_role(user=user("canbo_h"), role=Role.STAFF, organization=d.district, valid_from=D(2020, 1, 1), actor=setup)
    grant_role(user=user("canbo_x"), role=Role.STAFF, organization=x, valid_from=REFORM, actor=setup)
    if connection.vendor == "sqlite":
        # As tests/e2e/conftest.py's scene: the live server's reads take no locks while the report thread writes.
        with connection.cursor() as c:
            c.execute("PRAGMA read_uncommitted = 1")
    return Reformed(an, binh, dung, live_server.url)


def _download(page: Any, selector: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_the_staff_of_the_ended_district_produce_its_2024_report_and_read_its_members(
    page: Any, reformed: Reformed, shot: Any, axe: Any, tmp_path: Path
) -> None:
    reformed.login(page, "canbo_h")
    # They land on a page that says the district ended, when, where its units went, and how to reach its past.
    assert page.inner_text("#ended-title") == "Đảng bộ huyện Kim Bảng đã kết thúc hoạt động"
    assert "30/6/2025" in page.inner_text("#ended-note")
    assert "Đảng bộ xã Kim Thanh" in page.inner_text("#ended-successors")
    shot(page, "scope-landing-ended")
    axe(page, "trang báo tổ chức đã kết thúc")

    # The district's 2024 annual report: the form opens on the district and the last full year it existed.
    page.click("#ended-report")
    assert page.input_value("#id_org") == "Đảng bộ huyện Kim Bảng (H)"
    assert page.input_value("#id_period") == "2024"
    page.select_option("#id_kind", "annual")
    for fmt in ("docx", "xlsx", "pdf"):
        page.check(f"input[name=formats][value={fmt}]")
    shot(page, "scope-report-form")
    axe(page, "biểu mẫu báo cáo")
    page.click("#report-generate")
    page.wait_for_selector("#job-state[data-state=done], #job-state[data-state=failed]", timeout=240_000)
    assert page.get_attribute("#job-state", "data-state") == "done", page.inner_text("#job")
    shot(page, "scope-report-done")
    axe(page, "báo cáo đã tạo")
    docx = _download(page, "#job-files a[href$='.docx']", tmp_path)
    with zipfile.ZipFile(docx) as z:
        text = z.read("word/document.xml").decode("utf-8")
    assert "2024" in text and "Kim Bảng" in text
    xlsx = _download(page, "#job-files a[href$='.xlsx']", tmp_path)
    cells = [
        str(c) for ws in openpyxl.load_workbook(xlsx).worksheets for row in ws.iter_rows(values_only=True) for c in row
    ]
    assert any("Kim Bảng" in c for c in cells)
    pdf = _download(page, "#job-files a[href$='.pdf']", tmp_path)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5000

    # The member list as of 31/12/2024, and its export.
    page.goto(reformed.url + "/dang-vien/?org=H&as_of=31/12/2024")
    rows = page.inner_text("#member-rows")
    assert "Nguyễn Văn An" in rows and "Trần Thị Bình" in rows and "Phạm Văn Dũng" in rows
    shot(page, "scope-members-2024")
    axe(page, "danh sách đảng viên 31/12/2024")
    page.click("#member-export")  # a job of the queue: its page offers the file
    page.locator("#job-download a").wait_for()
    shot(page, "scope-members-export-job")
    sheet = openpyxl.load_workbook(_download(page, "#job-download a", tmp_path)).active
    names = [r[1] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(n for n in names if n) == ["Nguyễn Văn An", "Phạm Văn Dũng", "Trần Thị Bình"]
    assert "31/12/2024" in str(sheet.cell(1, 1).value)

    # Today the district does not exist for them: a page in the product's layout, not a debug page.
    response = page.goto(reformed.url + "/to-chuc/H/")
    assert response is not None and response.status == 404


def test_the_commune_staff_record_a_change_for_a_member_admitted_before_the_reform(
    page: Any, reformed: Reformed, shot: Any, axe: Any
) -> None:
    from dangvu.members.models import MemberEvent

    reformed.login(page, "canbo_x")
    page.goto(f"{reformed.url}/dang-vien/{reformed.an.code}/")
    page.click(f"a[href='/dang-vien/{reformed.an.code}/su-kien/exemption/']")
    page.wait_for_selector("#id_on")
    axe(page, "biểu mẫu miễn công tác")
    page.fill("#id_on", "15/01/2026")
    page.fill("#id_note", "Tuổi cao, sức yếu")
    shot(page, "scope-lifecycle-form")
    page.click("button:has-text('Ghi')")
    page.wait_for_selector(".messages")
    assert page.url.endswith(f"/dang-vien/{reformed.an.code}/")
    shot(page, "scope-lifecycle-recorded")
    assert MemberEvent.objects.filter(member=reformed.an, kind="exemption", on=D(2026, 1, 15)).exists()
