"""Parse: a workbook (.xlsx) or a directory of CSV files → typed rows per sheet, with every cell's error.

Row numbers are the ones the user sees in Excel (the header is row 1). Text is NFC-normalized, so
files typed or pasted in NFD read the same. Cells are converted by the column's kind (format.py):
identifiers must stay text (a number cell may have lost its leading zeros), dates may be real date
cells, dd/mm/yyyy or yyyy-mm-dd, enumerations may be written as label or code in any case, with or
without diacritics.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from dangvu.domain.cells import unguarded
from dangvu.domain.errors import RuleError
from dangvu.domain.membership import check_identifier
from dangvu.domain.vietnamese import fold, nfc, parse_date

from .format import BOOL, CODE, CODES, DATE, DECIMAL, DIGITS, ENUM, ENUMS, IGNORED_SHEETS, INT, SHEETS, Column, Sheet


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused: where (sheet, row as Excel shows it, column header) and why."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [f"Sheet '{self.sheet}'"] if self.sheet else ["Tệp"]
        if self.row:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột '{self.column}'")
        return ", ".join(where) + f": {self.message}"


class Refused(Exception):
    """The file was not imported; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} lỗi")
        self.problems = problems


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    ok: bool = True  # False when a cell could not be read (the problem is already reported)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


@dataclass
class Source:
    name: str
    tables: dict[str, list[Row]] = field(default_factory=dict)  # sheet slug -> rows
    notes: list[str] = field(default_factory=list)

    def rows(self, sheet: Sheet) -> list[Row]:
        return self.tables.get(sheet.slug, [])


class CellError(ValueError):
    pass


_TEXT_FIX = "hãy định dạng ô là Văn bản (Text) rồi nhập lại"


def _number_text(v: float | int) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return nfc(v)
    if isinstance(v, bool):
        raise CellError(f"ô kiểu đúng/sai ({v}), cần văn bản.")
    if isinstance(v, int | float):
        return _number_text(v)
    if isinstance(v, dt.date | dt.time | dt.timedelta):
        raise CellError(f"ô kiểu ngày giờ ({v}), cần văn bản; {_TEXT_FIX}.")
    return nfc(str(v))


def _code(v: Any, col: Column) -> str:
    if isinstance(v, int | float) and not isinstance(v, bool):
        raise CellError(
            f"ô kiểu số ({_number_text(v)}): {col.header.lower()} phải là văn bản để giữ nguyên các số 0 ở đầu; "
            f"{_TEXT_FIX}."
        )
    return _text(v)


def _digits(v: Any, col: Column) -> str | None:
    if isinstance(v, int | float) and not isinstance(v, bool):
        text = _number_text(v)
        if not text.isdigit() or len(text) != col.digits:
            raise CellError(
                f"ô kiểu số ({text}, {len(text)} chữ số): {col.header} cần đúng {col.digits} chữ số, số 0 ở đầu "
                f"đã mất khi ô được lưu dạng số; {_TEXT_FIX}."
            )
        return text
    try:
        return check_identifier(_text(v).replace(" ", ""), digits=col.digits, label=col.header, field=col.field)
    except RuleError as e:
        raise CellError(e.message) from None


def _date(v: Any) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        d = v.date()
    elif isinstance(v, dt.date):
        d = v
    elif isinstance(v, str):
        if not v.strip():
            return None
        try:
            d = parse_date(nfc(v))
        except ValueError as e:
            raise CellError(str(e)) from None
    elif isinstance(v, int | float) and not isinstance(v, bool):
        raise CellError(f"ô kiểu số ({_number_text(v)}), không phải ngày; dùng ô ngày tháng hoặc dd/mm/yyyy.")
    else:
        raise CellError(f"'{v}' không phải ngày; dùng dd/mm/yyyy.")
    if not 1880 <= d.year <= 2199:
        raise CellError(f"năm {d.year} không hợp lý.")
    return d


YES = frozenset({"co", "x", "1", "dung", "true", "yes"})
NO = frozenset({"khong", "0", "sai", "false", "no"})


def _int(v: Any) -> int | None:
    if _blank(v):
        return None
    if isinstance(v, bool):
        raise CellError(f"ô kiểu đúng/sai ({v}), cần một số.")
    if isinstance(v, int | float):
        if not float(v).is_integer():
            raise CellError(f"{_number_text(v)} không phải số nguyên.")
        return int(v)
    text = _text(v).replace(" ", "")
    if not text.isdigit():
        raise CellError(f"'{text}' không phải số nguyên.")
    return int(text)


def _decimal(v: Any) -> Decimal | None:
    if _blank(v):
        return None
    if isinstance(v, bool):
        raise CellError(f"ô kiểu đúng/sai ({v}), cần một số.")
    if isinstance(v, int | float):
        return Decimal(_number_text(v))  # the shortest text of the number: 99.35, not 99.3499999…
    text = _text(v).replace(" ", "")
    if text.count(",") + text.count(".") > 1:
        raise CellError(
            f"'{text}' không phải số (dùng một dấu ',' hoặc '.' trước phần thập phân, không ghi dấu nghìn)."
        )
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise CellError(f"'{text}' không phải số.") from None


def _bool(v: Any, col: Column) -> bool:
    if _blank(v):
        return bool(col.default)
    if isinstance(v, bool):
        return v
    word = fold(_text(v))
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError(f"'{_text(v)}' không hợp lệ; ghi 'Có' hoặc 'Không'.")


def convert(col: Column, v: Any) -> Any:
    """The cell's value in canonical form, or CellError with a Vietnamese reason."""
    value: Any
    if col.kind == DATE:
        value = _date(v)
    elif col.kind == INT:
        value = _int(v)
        if value is None:
            value = col.default
    elif col.kind == DECIMAL:
        value = _decimal(v)
    elif col.kind == BOOL:
        return _bool(v, col)
    elif col.kind == DIGITS:
        value = _digits(v, col)
    elif col.kind == CODE:
        value = _code(v, col)
    elif col.kind == CODES:
        value = [nfc(c) for c in _code(v, col).split(";") if c.strip()]
        return value
    elif col.kind == ENUM:
        text = _text(v)
        value = ""
        if text:
            code = ENUMS[col.enum].read(text)
            if code is None:
                raise CellError(f"'{text}' không hợp lệ; dùng một trong: {ENUMS[col.enum].allowed()}.")
            value = code
    elif col.verbatim and isinstance(v, str):
        value = unicodedata.normalize("NFC", v) if v.strip() else ""
    else:
        value = _text(v)
    if col.required and (value is None or value == ""):
        raise CellError("ô bắt buộc đang để trống.")
    if col.max_length and isinstance(value, str) and len(value) > col.max_length:
        raise CellError(f"dài {len(value)} ký tự, tối đa {col.max_length}.")
    return value


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def table(sheet: Sheet, raw: list[list[Any]], problems: list[Problem]) -> list[Row]:
    """Typed rows of one sheet; header problems and cell problems go to `problems`."""
    if not raw:
        return []
    by_header = {fold(c.header): c for c in sheet.columns}
    index: dict[str, int] = {}
    for i, h in enumerate(raw[0]):
        title = h if isinstance(h, str) else ("" if h is None else str(h))
        if not title.strip():
            continue
        col = by_header.get(fold(title))
        if col is None:
            problems.append(Problem(sheet.name, 1, nfc(title), "cột không thuộc định dạng (xem docs/import-format.md)"))
        elif col.field in index:
            problems.append(Problem(sheet.name, 1, col.header, "cột bị lặp."))
        else:
            index[col.field] = i
    missing = [c for c in sheet.columns if c.required and c.field not in index]
    for c in missing:
        problems.append(Problem(sheet.name, 1, c.header, "thiếu cột bắt buộc."))
    if missing:
        return []
    rows: list[Row] = []
    for number, cells in enumerate(raw[1:], start=2):
        if all(_blank(v) for v in cells):
            continue
        values: dict[str, Any] = {}
        ok = True
        for col in sheet.columns:
            at = index.get(col.field)
            cell = cells[at] if at is not None and at < len(cells) else None
            try:
                values[col.field] = convert(col, cell)
            except CellError as e:
                problems.append(Problem(sheet.name, number, col.header, str(e)))
                values[col.field] = None
                ok = False
        rows.append(Row(number, values, ok))
    return rows


def _raw_xlsx(path: Path, source: Source, problems: list[Problem]) -> dict[str, list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own error types for damaged or non-XLSX files
        problems.append(Problem("", None, "", f"không đọc được tệp {path.name}: {e}"))
        return {}
    by_name = {fold(s.name): s for s in SHEETS}
    raw: dict[str, list[list[Any]]] = {}
    for name in wb.sheet_names:
        sheet = by_name.get(fold(name))
        if sheet is not None:
            raw[sheet.slug] = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        elif fold(name) not in IGNORED_SHEETS:
            source.notes.append(f"Bỏ qua sheet '{name}' (không thuộc định dạng).")
    return raw


def _raw_csv(path: Path, source: Source, problems: list[Problem]) -> dict[str, list[list[Any]]]:
    raw: dict[str, list[list[Any]]] = {}
    known = {s.csv_name for s in SHEETS}
    for sheet in SHEETS:
        p = path / sheet.csv_name
        if not p.exists():
            continue
        try:
            with p.open(encoding="utf-8-sig", newline="") as fh:
                # A text the export put behind an apostrophe (domain.cells) reads back as typed.
                raw[sheet.slug] = [[unguarded(c) for c in r] for r in csv.reader(fh)]
        except UnicodeDecodeError:
            problems.append(Problem(sheet.name, None, "", f"{p.name} không phải văn bản UTF-8."))
        except csv.Error as e:
            problems.append(Problem(sheet.name, None, "", f"{p.name}: CSV không hợp lệ ({e})."))
    ignored = {f"{s}.csv" for s in ("danh_muc", "huong_dan", "xep_loai")}
    for p in sorted(path.glob("*.csv")):
        if p.name not in known and p.name not in ignored:
            source.notes.append(f"Bỏ qua tệp {p.name} (không thuộc định dạng).")
    return raw


def read_source(path: str | Path) -> tuple[Source, list[Problem]]:
    """Every sheet of the format found in the file, as typed rows; and every problem met on the way."""
    p = Path(path)
    source = Source(p.name)
    problems: list[Problem] = []
    if p.is_dir():
        raw = _raw_csv(p, source, problems)
    elif p.suffix.lower() == ".xlsx" and p.is_file():
        raw = _raw_xlsx(p, source, problems)
    else:
        problems.append(Problem("", None, "", f"{p}: cần một tệp .xlsx hoặc một thư mục các tệp CSV."))
        return source, problems
    if not raw and not problems:
        names = ", ".join(f"'{s.name}' ({s.csv_name})" for s in SHEETS)
        problems.append(Problem("", None, "", f"không có sheet nào của định dạng: {names}."))
    for sheet in SHEETS:
        if sheet.slug in raw:
            source.tables[sheet.slug] = table(sheet, raw[sheet.slug], problems)
    return source, problems
