"""Reading cells: identifiers stay text, dates in every accepted form, NFD text, labels or codes."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from dangvu.audit.services import Actor
from dangvu.domain.orgtree import ORG_KIND_LABELS
from dangvu.imports.format import DOCUMENTS, MEMBERS, ORGS, SHEETS, WORK_SHEETS, Column
from dangvu.imports.load import import_path
from dangvu.imports.read import CellError, convert
from dangvu.members.models import Member
from dangvu.orgs.models import OrgVersion

pytestmark = pytest.mark.django_db
OFFICER = Actor("can_bo_to_chuc")
D = dt.date


def col(sheet, field: str) -> Column:  # type: ignore[no-untyped-def]
    return next(c for c in sheet.columns if c.field == field)


CITIZEN_ID = col(MEMBERS, "citizen_id")
CARD = col(MEMBERS, "card_number")
BIRTH = col(MEMBERS, "birth_date")
PHONE = col(MEMBERS, "phone")


@pytest.mark.parametrize(
    "cell",
    [
        "05/03/2016",
        "5/3/2016",
        "05.03.2016",
        "2016-03-05",
        "2016-03-05 00:00:00",
        D(2016, 3, 5),
        dt.datetime(2016, 3, 5),
    ],
)
def test_a_date_is_read_from_dd_mm_yyyy_iso_or_a_date_cell(cell) -> None:
    assert convert(BIRTH, cell) == D(2016, 3, 5)


@pytest.mark.parametrize("cell", ["31/02/2016", "2016/03/05", "hôm qua", 42434.0])
def test_anything_else_is_not_a_date(cell) -> None:
    with pytest.raises(CellError):
        convert(BIRTH, cell)


def test_a_citizen_id_typed_as_text_keeps_its_leading_zeros() -> None:
    assert convert(CITIZEN_ID, "001234567890") == "001234567890"
    assert convert(CITIZEN_ID, " 001234567890 ") == "001234567890"


def test_a_number_cell_is_accepted_only_when_no_digit_was_lost() -> None:
    assert convert(CITIZEN_ID, 123456789012.0) == "123456789012"
    assert convert(CARD, 12345678.0) == "12345678"
    with pytest.raises(CellError, match=r"ô kiểu số \(1234567890, 10 chữ số\).*cần đúng 12 chữ số"):
        convert(CITIZEN_ID, 1234567890.0)
    with pytest.raises(CellError, match="giữ nguyên các số 0 ở đầu"):
        convert(PHONE, 912345678.0)  # a phone number as a number has lost its 0
    with pytest.raises(CellError, match="ô kiểu số"):
        convert(col(ORGS, "code"), 101.0)


def test_enumerations_are_read_from_label_or_code_in_any_case_with_or_without_diacritics() -> None:
    kind = col(ORGS, "kind")
    for text in ("Chi bộ trực thuộc", "chi bo truc thuoc", "CHI BỘ TRỰC THUỘC", "branch", "BRANCH"):
        assert convert(kind, text) == "branch"
    assert convert(kind, unicodedata.normalize("NFD", "Chi bộ cơ sở")) == "grassroots_branch"
    with pytest.raises(CellError, match="không hợp lệ; dùng một trong: Đảng bộ tỉnh, thành phố"):
        convert(kind, "Chi đoàn")


def _nfd_csv(path: Path) -> Path:
    path.mkdir()
    files = {
        "to_chuc.csv": [
            [h for h in ORGS.headers],
            ["T01", "Đảng bộ tỉnh Hà Nam", "Đảng bộ tỉnh, thành phố", "", "", "01/01/1976"],
            ["C01", "Chi bộ Phòng Tư pháp", "Chi bộ cơ sở", "Cơ quan", "T01", "1976-01-01"],
        ],
        "dang_vien.csv": [MEMBERS.headers, ["DV1", "Nguyễn Thị Ánh Tuyết", "", "Nữ", "05/05/1980"]],
        "su_kien_dang_vien.csv": [
            ["Mã đảng viên", "Sự kiện", "Ngày hiệu lực", "Mã tổ chức", "Ngày lễ kết nạp", "Đối tượng kết nạp"],
            ["DV1", "Kết nạp", "10/05/2010", "C01", "30/05/2010", "Người dân tộc thiểu số"],
        ],
        # Work sheets: labels typed without their exact case, a document named by its key text.
        "van_ban.csv": [
            ["Cơ quan ban hành", "Loại văn bản", "Số", "Nhiệm kỳ", "Ngày ban hành", "Trích yếu", "Mã tổ chức ban hành"],
            ["ĐU", "kế hoạch", "7", "2010–2015", "2010-06-01", "Học tập Nghị quyết Đại hội", "C01"],
        ],
        "hoc_tap_nghi_quyet.csv": [
            ["Mã tổ chức", "Văn bản", "Ngày", "Số đảng viên phải dự", "Số đảng viên dự"],
            ["C01", "7-KH/ĐU (2010–2015)", "15/06/2010", "12", "12"],
        ],
        "ky_luat.csv": [
            ["Mã đảng viên", "Hình thức", "Ngày quyết định", "Nội dung vi phạm"],
            ["DV1", "KHIỂN TRÁCH", "01/09/2010", "Vi phạm quy chế làm việc"],
        ],
    }
    for name, rows in files.items():
        with (path / name).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([[unicodedata.normalize("NFD", str(c)) for c in r] for r in rows])
    return path


def test_text_typed_in_nfd_is_read_and_stored_as_nfc(tmp_path) -> None:
    import_path(_nfd_csv(tmp_path / "nfd"), actor=OFFICER)
    m = Member.objects.get(code="DV1")
    assert m.full_name == "Nguyễn Thị Ánh Tuyết" == unicodedata.normalize("NFC", m.full_name)
    assert m.events.get().category == "ethnic_minority"
    v = OrgVersion.objects.get(organization__code="C01")
    assert (v.name, v.kind, v.sector) == ("Chi bộ Phòng Tư pháp", "grassroots_branch", "agency")
    from dangvu.work.models import Discipline, StudySession

    study = StudySession.objects.get()
    assert (str(study.document), study.document.subject) == ("7-KH/ĐU", "Học tập Nghị quyết Đại hội")
    assert study.document.subject == unicodedata.normalize("NFC", study.document.subject)
    d = Discipline.objects.get()
    assert (d.member.code, d.form, d.violation) == ("DV1", "reprimand", "Vi phạm quy chế làm việc")


def test_the_template_lists_the_allowed_values_and_imports_as_it_is(tmp_path) -> None:
    path = tmp_path / "mau.xlsx"
    call_command("template", str(path))
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == ["Hướng dẫn", *(s.name for s in SHEETS), "Danh mục"]
    assert wb.sheet_names[1:5] == ["Tổ chức", "Sự kiện tổ chức", "Đảng viên", "Sự kiện đảng viên"]
    catalog = wb.get_sheet_by_name("Danh mục").to_python()
    assert catalog[0] == ["Danh mục", "Giá trị", "Mã", "Dùng ở cột"]
    assert {r[1] for r in catalog if r[0] == "Cấp"} == set(ORG_KIND_LABELS.values())
    members = wb.get_sheet_by_name("Đảng viên").to_python()
    assert members[0] == MEMBERS.headers and members[1][MEMBERS.headers.index("Số CCCD")] == "001195012345"
    assert "XÓA" in str(wb.get_sheet_by_name("Hướng dẫn").to_python()[1][0])
    report = import_path(path, actor=OFFICER)
    # Every member placed in a unit (issue 13): the one admitted elsewhere arrives by a transfer.
    assert (report.organizations, report.lineage_events, report.members, report.member_events) == (2, 1, 2, 3)
    # One sample row in each work sheet (two documents: the programme of action and what it implements).
    assert report.work == {s.slug: 2 if s is DOCUMENTS else 1 for s in WORK_SHEETS}


def test_the_template_marks_its_sample_rows(tmp_path) -> None:
    path = tmp_path / "mau.xlsx"
    call_command("template", str(path))
    ws = openpyxl.load_workbook(path)["Tổ chức"]
    assert ws["A1"].font.b and ws["A2"].font.i and ws.freeze_panes == "A2"
    assert ws["F2"].value == dt.datetime(1976, 1, 1) and ws["F2"].number_format == "dd/mm/yyyy"


def test_the_template_as_csv_files(tmp_path) -> None:
    call_command("template", str(tmp_path / "mau"))
    names = sorted(p.name for p in (tmp_path / "mau").iterdir())
    assert names == sorted([*(s.csv_name for s in SHEETS), "danh_muc.csv", "huong_dan.csv"])
    assert {"dang_vien.csv", "su_kien_dang_vien.csv", "su_kien_to_chuc.csv", "to_chuc.csv", "van_ban.csv"} < set(names)
    text = (tmp_path / "mau" / "to_chuc.csv").read_text(encoding="utf-8-sig")
    sample = 'MAU-TINH,Đảng bộ tỉnh Mẫu,"Đảng bộ tỉnh, thành phố",Khác,,01/01/1976,,19760101-TL-MAU-TINH'
    assert text.splitlines()[1] == sample
    import_path(tmp_path / "mau", actor=OFFICER)
    assert Member.objects.get(code="MAU0000001").citizen_id == "001195012345"


def test_the_workbook_writer_keeps_text_exactly(tmp_path) -> None:
    from dangvu.imports.format import ORG_EVENTS
    from dangvu.imports.workbook import write

    note = ' Dòng 1\r\nDòng 2 <&> "trích"  '
    event = {"code": "X", "kind": "established", "effective_on": D(2000, 1, 1), "targets": ["T"], "note": note}
    path = write({ORG_EVENTS.slug: [event]}, tmp_path / "x.xlsx", stamp=dt.datetime(2000, 1, 1))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(ORG_EVENTS.name).to_python()
    assert rows[1] == ["X", "Thành lập", D(2000, 1, 1), "", "", "", "T", note]
