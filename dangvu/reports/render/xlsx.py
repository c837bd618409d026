"""The XLSX appendix: one sheet per statistical table, a sheet of every figure with numerator and denominator,
and one of trends by year. Numbers stay numbers (shares as numbers formatted 0.00%), Vietnamese headers, frozen
header row, widths fitted to the content; who and when in the header/footer and on the 'Thông tin' sheet. Text is
always written as text, never as a formula (`put`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dangvu.domain.cells import needs_guard
from dangvu.domain.reports.model import Report, Table
from dangvu.domain.targets import STATUS_LABELS, Status
from dangvu.domain.vietnamese import nfc

HEAD = Font(name="Times New Roman", bold=True)
BODY = Font(name="Times New Roman")
FILL = PatternFill("solid", fgColor="F2DCDB")
PERCENT = "0.00%"
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
MAX_WIDTH = 60


def cell_value(v: Any) -> Any:
    if isinstance(v, Fraction | Decimal):
        return float(v)
    if isinstance(v, str):
        return nfc(v)
    return v


def put(ws: Worksheet, row: int, column: int, v: Any) -> Cell:
    """Write a value; text stays text — a subject or a name typed as "=HYPERLINK(…)" is never a formula (openpyxl
    would store it as one), and one a spreadsheet could run is quote-prefixed (domain.cells)."""
    value = cell_value(v)
    c = ws.cell(row, column)
    c.value = value
    if isinstance(value, str):
        c.data_type = "s"
        if needs_guard(value):
            c.quotePrefix = True
    return c


def sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28].rstrip(" ,;–-") or "Bảng"
    name, i = base, 2
    while name in used:
        name, i = f"{base[:25]} {i}", i + 1
    used.add(name)
    return name


def write_table(
    ws: Worksheet, columns: list[str], rows: list[list[Any]], percent: frozenset[int] = frozenset(), title: str = ""
) -> None:
    start = 1
    if title:
        put(ws, 1, 1, title).font = Font(name="Times New Roman", bold=True, size=12)
        start = 3
    for j, head in enumerate(columns, start=1):
        c = put(ws, start, j, head)
        c.font, c.fill = HEAD, FILL
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for i, row in enumerate(rows, start=start + 1):
        for j, v in enumerate(row, start=1):
            c = put(ws, i, j, v)
            c.font = BODY
            if (j - 1) in percent and isinstance(v, int | float | Fraction | Decimal):
                c.number_format = PERCENT
            elif isinstance(v, int) and not isinstance(v, bool):
                c.number_format = INTEGER
            elif isinstance(v, float | Fraction | Decimal):
                c.number_format = DECIMAL
    ws.freeze_panes = ws.cell(start + 1, 1)
    for j, head in enumerate(columns, start=1):
        values = [head] + [str(cell_value(r[j - 1])) if r[j - 1] is not None else "" for r in rows]
        width = max(len(s) for s in values) + 2
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), MAX_WIDTH)


def render_xlsx(rep: Report, out: Path, *, actor: str, at: dt.datetime) -> Path:
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Thông tin"
    stamp = f"Tạo bởi {actor} lúc {at:%d/%m/%Y %H:%M} — Đảng vụ"
    rows: list[list[Any]] = [
        ["Báo cáo", rep.subject],
        ["Tổ chức", f"{rep.root_name} ({rep.root_code})"],
        ["Số", rep.header.number_line if rep.header.number is not None else "Chưa cấp số (bản dự thảo)"],
        ["Kỳ báo cáo", rep.period.printed()],
        ["Từ ngày", rep.period.start],
        ["Đến ngày", rep.period.end],
        ["Người tạo", actor],
        ["Thời điểm tạo", at.replace(tzinfo=None)],
    ]
    write_table(info, ["Mục", "Nội dung"], rows)
    info["B6"].number_format = info["B7"].number_format = "dd/mm/yyyy"
    info["B9"].number_format = "dd/mm/yyyy hh:mm"
    used = {"Thông tin"}
    tables: list[Table] = list(rep.tables)
    for t in tables:
        ws = wb.create_sheet(sheet_name(t.title, used))
        write_table(ws, t.columns, t.rows, t.percent_columns, title=t.title)
    figs = wb.create_sheet(sheet_name("Số liệu", used))
    write_table(
        figs,
        [
            "Mã",
            "Chỉ số",
            "Năm",
            "Giá trị",
            "Đơn vị",
            "Tử số",
            "Mẫu số",
            "Như in",
            "Kỳ trước",
            "So sánh",
            "Kế hoạch",
            "Đạt (% kế hoạch)",
            "Chỉ tiêu",
            "Đánh giá",
            "Câu trong báo cáo",
        ],
        [
            [
                f.code,
                f.label,
                f.year,
                f.value,
                f.unit,
                f.numerator,
                f.denominator,
                f.printed,
                f.previous,
                f.change,
                f.plan,
                f.achievement,
                f.target or None,
                STATUS_LABELS[Status(f.status)] if f.status else None,
                f.sentence,
            ]
            for f in rep.figures
        ],
        frozenset({11}),
    )
    for i, f in enumerate(rep.figures, start=2):  # shares as percentages, counts as integers
        if f.unit == "%":
            figs.cell(i, 4).number_format = PERCENT
            figs.cell(i, 9).number_format = PERCENT
    if rep.trends:
        ws = wb.create_sheet(sheet_name("Xu hướng theo năm", used))
        years = sorted({y for rows_ in rep.trends.values() for y, _v in rows_})
        codes = list(rep.trends)
        data = [[y, *[dict(rep.trends[c]).get(y) for c in codes]] for y in years]
        write_table(
            ws,
            ["Năm", *[rep.trend_labels.get(c, c) for c in codes]],
            data,
            frozenset(j + 1 for j, c in enumerate(codes) if c.startswith("review.")),
        )
    for ws in wb.worksheets:
        ws.oddHeader.center.text = nfc(rep.subject)[:200]
        ws.oddFooter.left.text = stamp
        ws.oddFooter.right.text = "Trang &P/&N"
    wb.properties.creator = actor
    wb.properties.lastModifiedBy = actor
    wb.properties.created = wb.properties.modified = at.replace(tzinfo=None)
    wb.properties.title = rep.subject
    wb.save(out)
    return out
