"""The web's steps for an office's own list: upload → mapping (suggested, then remembered) → the first rows as read and
the check → apply; for the department's staff and a grassroots secretary, in their own subtree only."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.audit.models import AuditEntry
from dangvu.imports.models import SourceMapping
from dangvu.members.models import Member
from tests.web import conftest as web
from tests.web.conftest import Cast

pytestmark = pytest.mark.django_db
# The web tests' cast of personas, and their setting that runs jobs in the test's own folder.
cast = web.cast
_inline_jobs = web._inline_jobs

HEADER = [
    "TT",
    "Họ tên",
    "Mã đảng viên",
    "Giới tính",
    "Ngày sinh",
    "Số CCCD",
    "Ngày vào Đảng",
    "Ngày lễ kết nạp",
    "Chi bộ",
]


def office_list(path: Path, branch: str = "B1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["DANH SÁCH ĐẢNG VIÊN"])
    ws.append(HEADER)
    ws.append([1, "Vũ Thị Hoa", "DVH1", "Nữ", dt.datetime(1990, 4, 5), 2190000077, "05/05/2020", "20-05-2020", branch])
    ws.append([2, "Đinh Văn Khoa", "DVH2", "Nam", "3/3/1988", "001088000088", dt.datetime(2021, 6, 1), None, branch])
    wb.save(path)
    return path.read_bytes()


def upload(c: Any, data: bytes, name: str = "ds-chi-bo.xlsx") -> Any:
    return c.post("/nhap/danh-sach/", {"file": SimpleUploadedFile(name, data)})


def selected(html: str, field: str) -> str:
    m = re.search(rf'name="col-0-{field}".*?<option value="(\d+)" selected>([^<]*)</option>', html, re.S)
    return m[2] if m else ""


def confirm_form(html: str) -> dict[str, str]:
    data = {"target-0": "members", "shown-0": "members"}
    for name, value in re.findall(
        r'<select name="(col-0-\w+)".*?(?:<option value="(\d+)" selected>|</select>)', html, re.S
    ):
        data[name] = value
    return data


def test_a_grassroots_secretary_maps_checks_and_imports_an_office_list(cast: Cast, tmp_path: Path) -> None:
    c = cast.client("bithu")
    r = upload(c, office_list(tmp_path / "a.xlsx"))
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert selected(page, "full_name") == "Cột B: Họ tên"
    assert selected(page, "admitted_on") == "Cột G: Ngày vào Đảng"
    assert selected(page, "organization") == "Cột I: Chi bộ"
    assert "Vũ Thị Hoa, Đinh Văn Khoa" in page  # the values under the chosen column

    r = c.post(r["Location"], confirm_form(page))
    assert r.status_code == 302 and "/nhap/danh-sach/kiem-tra/" in r["Location"]
    check = c.get(r["Location"]).content.decode()
    assert 'id="list-ok"' in check, check
    assert "002190000077" in check and "5/4/1990" in check  # the ID's zeros back, the date cell read
    r = c.post(r["Location"] + "ghi/")
    assert r.status_code == 302
    assert set(Member.objects.filter(code__in=["DVH1", "DVH2"]).values_list("full_name", flat=True)) == {
        "Vũ Thị Hoa",
        "Đinh Văn Khoa",
    }
    assert AuditEntry.objects.filter(action="import", object_id="ds-chi-bo.xlsx").count() == 1

    kept = SourceMapping.objects.get(owner=cast.users["bithu"])
    assert kept.columns["full_name"] == "Họ tên" and kept.headers == HEADER
    again = c.get(upload(c, office_list(tmp_path / "b.xlsx"), "lan-sau.xlsx")["Location"]).content.decode()
    assert 'id="remembered-0"' in again


def test_an_organization_outside_the_persons_subtree_is_refused_and_nothing_is_written(
    cast: Cast, tmp_path: Path
) -> None:
    c = cast.client("canbo_khac")
    r = upload(c, office_list(tmp_path / "a.xlsx"))
    page = c.get(r["Location"]).content.decode()
    check = c.get(c.post(r["Location"], confirm_form(page))["Location"]).content.decode()
    assert "nằm ngoài phạm vi quản lý của bạn" in check
    assert not Member.objects.filter(code="DVH1").exists()


@pytest.mark.parametrize(("persona", "expected"), [("bithuchibo", 403), ("kiemtra", 403), ("dangvien", 403)])
def test_those_who_do_not_import_lists_are_refused(cast: Cast, persona: str, expected: int) -> None:
    assert cast.client(persona).get("/nhap/danh-sach/").status_code == expected


def test_another_persons_mapping_page_is_not_found(cast: Cast, tmp_path: Path) -> None:
    r = upload(cast.client("bithu"), office_list(tmp_path / "a.xlsx"))
    assert cast.client("canbo").get(r["Location"]).status_code == 404


def test_a_remembered_layout_exports_the_subtree_back_in_the_office_layout(cast: Cast, tmp_path: Path) -> None:
    import io

    c = cast.client("bithu")
    r = upload(c, office_list(tmp_path / "a.xlsx"))
    page = c.get(r["Location"]).content.decode()
    c.post(c.post(r["Location"], confirm_form(page))["Location"] + "ghi/")
    kept = SourceMapping.objects.get(owner=cast.users["bithu"])
    assert "ds-chi-bo.xlsx" in c.get("/nhap/danh-sach/mau/").content.decode()

    r = c.post("/nhap/danh-sach/mau/", {"mapping": kept.pk, "root": "B1", "on": "01/01/2025"})
    assert r.status_code == 302
    job = c.get(r["Location"]).content.decode()
    link = re.search(r'href="([^"]+/tai/)"', job)
    assert link, job
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(c.get(link[1]).streaming_content)))
    rows = [[cell.value for cell in row] for row in wb.active.iter_rows()]
    assert rows[0] == HEADER
    names = sorted(r[1] for r in rows[1:])
    assert names == sorted(["Nguyễn Văn An", "Trần Thị Bình", "Vũ Thị Hoa", "Đinh Văn Khoa"])
    assert all(r[5] is None or str(r[5]).startswith("•") for r in rows[1:])  # identifiers masked
    assert AuditEntry.objects.filter(action="import_mapping_export").count() == 1

    # Someone else's layout is not offered; a unit outside the person's subtree is not exported.
    other = cast.client("canbo").post("/nhap/danh-sach/mau/", {"mapping": kept.pk, "root": "B1", "on": "01/01/2025"})
    assert other.status_code == 200 and "Chọn một mẫu danh sách." in other.content.decode()
    r = c.post("/nhap/danh-sach/mau/", {"mapping": kept.pk, "root": "KB", "on": "01/01/2025"})
    assert "nằm ngoài phạm vi" in c.get(r["Location"]).content.decode()
