"""The tables' pages for the web cast (tests/web/conftest.py): staff see the figures of their subtree, open a cell's
list (masked card numbers) and download the workbook (audited); out of scope is 404, a member's login 403."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from web.conftest import Cast
from web.test_scope_time import reform  # noqa: F401  (a fixture: the 2025 reform replayed)

from dangvu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

Q = {"org": "H", "as_of": "31/12/2024", "table": "dang-vien-gioi-tinh"}


def test_staff_read_the_figures_and_each_units(cast: Cast) -> None:
    page = cast.client("canbo").get("/bieu-thong-ke/", Q)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đảng viên chia theo giới tính" in html and "Có đến ngày 31-12-2024" in html
    # An, Bình, Chi, Dũng: the four members of H
    grid = html.split('id="tables-grid"')[1].split("</table>")[0]
    assert ">4</a>" in grid
    units = html.split('id="tables-units"')[1].split("</table>")[0]
    assert "Đảng bộ xã Thanh Sơn" in units and "Chi bộ Phòng Tư pháp" in units


def test_a_cells_list_names_the_members_it_counts_with_masked_card_numbers(cast: Cast) -> None:
    q = {**Q, "row": "nu", "col": "tong-so"}
    page = cast.client("canbo").get("/bieu-thong-ke/o/", q)
    html = page.content.decode()
    assert page.status_code == 200 and "Lê Minh Chi" in html and "Nguyễn Văn An" not in html
    everyone = cast.client("canbo").get("/bieu-thong-ke/o/", {**Q, "row": "tong-so", "col": "tong-so"}).content.decode()
    assert "Nguyễn Văn An" in everyone and "•••••678" in everyone and "12345678" not in everyone


def test_the_workbook_downloads_and_the_export_is_audited(cast: Cast) -> None:
    before = AuditEntry.objects.filter(action="tables_export").count()
    got = cast.client("kiemtra").post("/bieu-thong-ke/tai/?org=H&as_of=2024-12-31")
    assert got.status_code == 200 and "bieu-thong-ke-H-2024-12-31.xlsx" in got["Content-Disposition"]
    wb = load_workbook(io.BytesIO(got.content))
    assert "dang-vien-dan-toc" in wb.sheetnames and "to-chuc-dang" in wb.sheetnames
    ws = wb["dang-vien-gioi-tinh"]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "ĐẢNG BỘ HUYỆN KIM BẢNG" in cells and "Có đến ngày 31-12-2024" in cells and "T/M BAN THƯỜNG VỤ" in cells
    assert 4 in cells  # the total, a number the statistician can sum
    entry = AuditEntry.objects.filter(action="tables_export").latest("id")
    assert AuditEntry.objects.filter(action="tables_export").count() == before + 1
    assert entry.actor_label == "kiemtra" and entry.after["ngày"] == "2024-12-31"


def test_a_unit_out_of_scope_is_refused_on_its_field(cast: Cast) -> None:
    page = cast.client("canbo_khac").get("/bieu-thong-ke/", Q).content.decode()
    assert "Không tìm thấy tổ chức này trong phạm vi của bạn" in page and 'id="tables-grid"' not in page


@pytest.mark.parametrize(("persona", "status"), [("canbo_khac", 404), ("dangvien", 403)])
def test_out_of_scope_is_404_and_a_members_login_403(cast: Cast, persona: str, status: int) -> None:
    c = cast.client(persona)
    if persona == "dangvien":
        assert c.get("/bieu-thong-ke/", Q).status_code == status
    assert c.get("/bieu-thong-ke/o/", {**Q, "row": "tong-so", "col": "tong-so"}).status_code == status
    assert c.post("/bieu-thong-ke/tai/?org=H&as_of=2024-12-31").status_code == status


def test_a_secretary_sees_their_own_unit_only(cast: Cast) -> None:
    c = cast.client("bithuchibo")
    assert 'id="tables-grid"' in c.get("/bieu-thong-ke/", {**Q, "org": "B1"}).content.decode()
    assert c.get("/bieu-thong-ke/o/", {**Q, "row": "tong-so", "col": "tong-so"}).status_code == 404


def test_the_command_writes_the_workbook_and_audits_it(cast: Cast, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("tables", root="H", as_of="31/12/2024", out=str(tmp_path), stdout=out)
    path = Path(out.getvalue().strip())
    assert path.name == "bieu-thong-ke-H-2024-12-31.xlsx" and path.exists()
    ws = load_workbook(path)["ra-khoi-dang"]
    assert "Từ ngày 01-01-2024 đến ngày 31-12-2024" in [c for row in ws.iter_rows(values_only=True) for c in row]
    assert AuditEntry.objects.filter(action="tables_export", actor_label="hệ thống").exists()
    with pytest.raises(CommandError, match="Không có biểu: khong-co"):
        call_command("tables", root="H", as_of="31/12/2024", out=str(tmp_path), only=["khong-co"])


def test_a_district_staff_after_the_reform_opens_the_form_on_their_districts_last_year_end(reform: Any) -> None:  # noqa: F811
    # H ended on 01/07/2025 (tests/web/test_scope_time.py): its staff's form opens on H and 31/12/2024, a day H
    # stood, so "Xem" with nothing changed shows the figures, not "not in your scope".
    page = reform.client("canbo_h").get("/bieu-thong-ke/").content.decode()
    assert 'value="H"' in page and 'value="31/12/2024"' in page
    figures = reform.client("canbo_h").get("/bieu-thong-ke/", {**Q, "org": "H", "as_of": "31/12/2024"})
    assert figures.status_code == 200 and 'id="tables-grid"' in figures.content.decode()
