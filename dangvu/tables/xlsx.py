"""The tables as an XLSX workbook in the forms' layout: one sheet per table with the issuing unit, the form's name,
the title, "Có đến ngày …" (or the year's span), header rows, the figures and the signature block. A renderer only:
it lays out what builder.build returned."""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dangvu.domain.vietnamese import fmt_int

from .builder import Figures, Unit
from .sources import year_start

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(name="Times New Roman", bold=True, size=12)
PLAIN = Font(name="Times New Roman", size=12)
ITALIC = Font(name="Times New Roman", italic=True, size=12)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def day_dashes(d: dt.date) -> str:
    """ "31-12-2024", as the forms print the date ("có đến 31-12-20…", HD 12-HD/BTCTW Biểu 4-TCTW)."""
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def period_line(f: Figures) -> str:
    if f.table.yearly:
        return f"Từ ngày {day_dashes(year_start(f.on))} đến ngày {day_dashes(f.on)}"
    return f"Có đến ngày {day_dashes(f.on)}"


def cell_text(n: int, *, signed: bool = False) -> str:
    if signed and n > 0:
        return "+" + fmt_int(n)
    return ("−" + fmt_int(-n)) if n < 0 else fmt_int(n)


def _sheet_title(code: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "", code)[:31]
    base, i = title, 2
    while title in used:
        title = f"{base[:28]}-{i}"
        i += 1
    used.add(title)
    return title


def render(figures: list[Figures], *, issuer: Unit, on: dt.date, place: str = "") -> bytes:
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    used: set[str] = set()
    for f in figures:
        _sheet(wb.create_sheet(_sheet_title(f.table.code, used)), f, issuer, place)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet(ws: Worksheet, f: Figures, issuer: Unit, place: str) -> None:
    t = f.table
    width = 2 + len(t.columns)
    half = max(width // 2, 2)

    def line(row: int, text: str, font: Font, *, start: int = 1, end: int = width, align: Alignment = CENTER) -> None:
        ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=end)
        c = ws.cell(row=row, column=start, value=text)
        c.font, c.alignment = font, align

    line(1, issuer.name.upper(), BOLD, end=half)
    line(1, "ĐẢNG CỘNG SẢN VIỆT NAM", BOLD, start=half + 1)
    line(2, "*", PLAIN, end=half)
    line(2, t.form, ITALIC, start=half + 1)
    line(4, t.title.upper(), BOLD)
    line(5, period_line(f), ITALIC)
    if t.unit:
        line(6, f"Đơn vị tính: {t.unit}", ITALIC, align=Alignment(horizontal="right"))
    head = 7
    for i, text in enumerate(["STT", "Chỉ tiêu", *(c.label for c in t.columns)], 1):
        c = ws.cell(row=head, column=i, value=text)
        c.font, c.alignment, c.border = BOLD, CENTER, BOX
    for i, text in enumerate(["A", "B", *(str(k) for k in range(1, len(t.columns) + 1))], 1):
        c = ws.cell(row=head + 1, column=i, value=text)
        c.font, c.alignment, c.border = ITALIC, CENTER, BOX
    r = head + 2
    number = 0
    for row in t.rows:
        if row.indent == 0 and not row.heading:
            number += 1
        stt = str(number) if row.indent == 0 and not row.heading else ""
        # Figures are numbers (the statistician sums them); Excel prints them with the reader's separators.
        cells: list[str | int] = [stt, ("    " * row.indent) + row.label]
        for col in t.columns:
            cells.append("" if row.heading else f.grid.cell(row.key, col.key))
        for i, v in enumerate(cells, 1):
            c = ws.cell(row=r, column=i, value=v)
            if isinstance(v, int):
                c.number_format = "+#,##0;-#,##0;0" if t.columns[i - 3].difference else "#,##0"
            c.border = BOX
            c.font = BOLD if row.indent == 0 else PLAIN
            c.alignment = LEFT if i == 2 else CENTER
        r += 1
    if t.note:
        line(r + 1, f"Ghi chú: {t.note}", ITALIC, align=LEFT)
        r += 1
    r += 2
    line(r, f"{place + ', ' if place else ''}ngày … tháng … năm {f.on.year}", ITALIC, start=half + 1)
    line(r + 1, "NGƯỜI LẬP BIỂU", BOLD, end=half)
    line(r + 1, "T/M BAN THƯỜNG VỤ", BOLD, start=half + 1)
    line(r + 2, "(Ký, ghi rõ họ tên)", ITALIC, end=half)
    line(r + 2, "(Ký tên, đóng dấu)", ITALIC, start=half + 1)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 46
    for i in range(3, width + 1):
        ws.column_dimensions[get_column_letter(i)].width = 14
    ws.row_dimensions[head].height = 48
    ws.print_title_rows = f"{head}:{head + 1}"
    ws.page_setup.orientation = "landscape" if width > 6 else "portrait"
    ws.page_setup.fitToWidth = 1
