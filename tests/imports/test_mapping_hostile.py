"""Hostile or careless office lists: refused with Vietnamese messages naming the file, sheet, row and header, and
nothing written; and a list exported in the office's layout never carries a formula a spreadsheet would run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dangvu.audit.models import AuditEntry
from dangvu.imports.mapping_export import export_office
from dangvu.imports.mapping_read import SheetMapping, describe, import_office, open_office
from dangvu.imports.mapping_store import mapping_remember
from dangvu.imports.read import Refused
from dangvu.members.models import Member
from tests.fixtures.import_files import OFFICER, counts
from tests.imports.test_mapping import office_workbook, orgs_only

pytestmark = pytest.mark.django_db

HEADER = ["Họ và tên", "Mã ĐV", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Chi bộ"]
ROW = ["Nguyễn Văn An", "DV1", "Nam", "05/05/1980", "10/05/2010", "B01"]


def sheet(path: Path, rows: list[list[Any]], merge: str = "") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS"
    for r in rows:
        ws.append(r)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def refused(path: Path, mapping: SheetMapping | None = None) -> list[str]:
    if mapping is None:
        office, problems = open_office(path)
        assert not problems, problems
        d = describe(office)[0]
        mapping = SheetMapping(d["sheet"], d["target"], d["suggested"])
    before = counts()
    with pytest.raises(Refused) as e:
        import_office(path, mappings=[mapping], actor=OFFICER)
    assert counts() == before, "a refused list must write nothing"
    return [str(p) for p in e.value.problems]


def test_a_header_written_twice_is_suggested_for_neither_and_refused_when_chosen(tmp_path: Path) -> None:
    orgs_only(tmp_path)
    path = sheet(tmp_path / "hai-cot.xlsx", [[*HEADER, "Ngày sinh"], [*ROW, "06/06/1981"]])
    said = refused(path)
    assert said == ["Tệp hai-cot.xlsx, sheet 'DS', dòng 1: chưa chọn cột cho 'Ngày sinh' (bắt buộc)."]
    chosen = SheetMapping(
        "DS", "members", {"full_name": 0, "code": 1, "gender": 2, "birth_date": 3, "admitted_on": 4, "organization": 5}
    )
    said = refused(path, chosen)
    assert said == [
        "Tệp hai-cot.xlsx, sheet 'DS', dòng 1, cột 'Ngày sinh': tiêu đề 'Ngày sinh' có ở nhiều cột (D, G); đổi tên "
        "để mỗi tiêu đề một cột."
    ]


def test_a_million_empty_rows_are_refused_before_anything_is_parsed(tmp_path: Path) -> None:
    path = sheet(tmp_path / "trieu-dong.xlsx", [HEADER, ROW])
    wb = openpyxl.load_workbook(path)
    wb.active.cell(row=1_000_000, column=6, value=" ")
    wb.save(path)
    _, problems = open_office(path)
    said = [str(p) for p in problems]
    assert len(said) == 1 and said[0].startswith("Tệp trieu-dong.xlsx"), said
    assert not Member.objects.exists()


def test_a_merged_two_row_header_is_read_and_a_merge_hiding_a_required_field_is_named(tmp_path: Path) -> None:
    orgs_only(tmp_path)
    top = ["Họ và tên", "Mã ĐV", "Giới tính", "Ngày", None, "Chi bộ"]
    below = [None, None, None, "sinh", "vào Đảng", None]
    path = sheet(tmp_path / "gop.xlsx", [["DANH SÁCH"], top, below, ROW], merge="D2:E2")
    report = import_office(path, mappings=[_suggested(path)], actor=OFFICER)
    assert report.members == 1 and Member.objects.get(code="DV1").birth_date == dt.date(1980, 5, 5)

    # A title merged across the header hides the admission date and the branch: the list is refused and says which
    # fields have no column.
    hidden = ["Họ và tên", "Mã ĐV", "Giới tính", "Ngày sinh", "Thông tin khác", None]
    path = sheet(tmp_path / "gop2.xlsx", [hidden, ["Lê Văn B", "DV2", "Nam", "01/01/1990", "10/05/2015", "B01"]])
    said = refused(path, _suggested(path))
    assert said == [
        "Tệp gop2.xlsx, sheet 'DS', dòng 1: chưa chọn cột cho 'Ngày vào Đảng' (bắt buộc).",
        "Tệp gop2.xlsx, sheet 'DS', dòng 1: chưa chọn cột cho 'Chi bộ' (bắt buộc).",
    ]


def _suggested(path: Path) -> SheetMapping:
    office, _ = open_office(path)
    d = describe(office)[0]
    return SheetMapping(d["sheet"], d["target"], d["suggested"])


def test_a_list_exported_in_the_office_layout_keeps_its_headers_and_never_runs_a_formula(
    tmp_path: Path, django_user_model: Any
) -> None:
    orgs_only(tmp_path)
    path = office_workbook(tmp_path / "ds.xlsx")
    mapping = _suggested(path)
    import_office(path, mappings=[mapping], actor=OFFICER)
    Member.objects.filter(code="DV2").update(full_name='=HYPERLINK("http://x.example","Bấm")')
    office, _ = open_office(path)
    headers = describe(office)[0]["headers"]
    user = django_user_model.objects.create_user("canbo")
    kept = mapping_remember(
        user=user, name="ds.xlsx", sheet="DS đảng viên", target="members", headers=headers, columns=mapping.columns
    )

    out = tmp_path / "xuat.xlsx"
    assert export_office(kept, root="T01", on=dt.date(2025, 1, 1), path=out, actor=OFFICER) == 3
    ws = openpyxl.load_workbook(out).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == headers
    by_code = {r[2]: r for r in rows[1:]}
    assert by_code["DV1"][1] == "Nguyễn Văn An" and by_code["DV1"][6] == "•••••••••001"  # masked by default
    assert by_code["DV1"][3] == dt.datetime(2010, 5, 10) and by_code["DV1"][0] is None  # STT not a field
    formula = next(c for c in ws[2 + sorted(by_code).index("DV2")] if c.column == 2)
    assert formula.value.startswith("=HYPERLINK") and formula.data_type == "s" and formula.quotePrefix
    assert AuditEntry.objects.filter(action="import_mapping_export").count() == 1
