"""A work list as an XLSX file: a title line (what, which filters, who and when), a header, the rows as text.

A spreadsheet program runs a cell that starts with = + - or @ as a formula (CSV/formula injection: a record's
text typed as "=HYPERLINK(…)" would run on the reader's machine). Every text cell is written as a string with
the quote prefix, never as a formula (domain.cells decides which).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from dangvu.domain.cells import needs_guard


def put(cell: Cell, value: object) -> None:
    """Write value as the cell's text; one that a spreadsheet would read as a formula stays text."""
    text = "" if value is None else str(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    if needs_guard(text):
        cell.quotePrefix = True  # and a spreadsheet shows it as typed, without running it after an edit


def workbook(*, sheet: str, title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    put(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = Font(bold=True)
    for j, h in enumerate(header, start=1):
        put(ws.cell(row=2, column=j), h)
        ws.cell(row=2, column=j).font = Font(bold=True)
    for i, r in enumerate(rows, start=3):
        for j, v in enumerate(r, start=1):
            put(ws.cell(row=i, column=j), v)
    for j in range(1, len(header) + 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width = 22
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
