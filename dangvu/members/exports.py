"""The member list as an XLSX workbook: identifiers masked, who exported it and when on the sheet.

Every text cell is written as text: a name typed as "=HYPERLINK(…)" or "+84…" opens in Excel as the letters
typed, never as a formula (CSV/formula injection, OWASP)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any, Protocol

import openpyxl
from openpyxl.cell.cell import Cell

from dangvu.domain.cells import needs_guard

from .models import Member

HEADER = ["STT", "Họ và tên", "Mã", "Ngày sinh", "Giới tính", "Chi bộ", "Tình trạng", "Số CCCD", "Số thẻ"]


class ListRow(Protocol):
    """A row of the list (web.reads.MemberRow): identifiers already masked."""

    @property
    def member(self) -> Member: ...
    @property
    def unit_name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def citizen_id(self) -> str: ...
    @property
    def card_number(self) -> str: ...


def day(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def text_cell(cell: Cell, value: Any) -> None:
    """Write value; a string is always stored as a string, shown as typed (quote prefix when it could be read as
    a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if needs_guard(value):
            cell.quotePrefix = True


def member_list_workbook(rows: Sequence[ListRow], *, on: dt.date, who: str, at: dt.datetime) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Đảng viên"
    title = f"Danh sách đảng viên ngày {day(on)} — xuất bởi {who} lúc {at:%H:%M} ngày {day(at.date())}"
    text_cell(ws.cell(row=1, column=1), title)
    for col, label in enumerate(HEADER, start=1):
        text_cell(ws.cell(row=2, column=col), label)
    for i, r in enumerate(rows, start=1):
        values = [
            i,
            r.member.full_name,
            r.member.code,
            day(r.member.birth_date),
            r.member.get_gender_display(),
            r.unit_name,
            "Chính thức" if r.status == "official" else "Dự bị",
            r.citizen_id,
            r.card_number,
        ]
        for col, v in enumerate(values, start=1):
            text_cell(ws.cell(row=i + 2, column=col), v)
    wb.properties.creator = who
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
