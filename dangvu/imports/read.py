"""Parse: a workbook (.xlsx) or a directory of CSV files → typed rows per sheet, with every cell's error.

Row numbers are the ones the user sees in Excel (the header is row 1). Text is NFC-normalized, so
files typed or pasted in NFD read the same. Cells are converted by the column's kind (format.py):
identifiers must stay text (a number cell may have lost its leading zeros), dates may be real date
cells, dd/mm/yyyy or yyyy-mm-dd, enumerations may be written as label or code in any case, with or
without diacritics.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
from python_calamine import CalamineWorkbook

from dangvu.domain.cells import unguarded
from dangvu.domain.errors import RuleError
from dangvu.domain.membership import check_identifier
from dangvu.domain.vietnamese import fold, nfc, parse_date

from . import limits
from .format import (
    BOOL,
    CODE,
    CODES,
    DATE,
    DECIMAL,
    DIGITS,
    ENUM,
    ENUMS,
    IGNORED_SHEETS,
    INT,
    MEMBER_EVENTS,
    MEMBERS,
    SHEETS,
    Column,
    Sheet,
)
from .problems import Problem, Refused
from .row import Row
from .spool import Spool, SpooledRows

__all__ = ["Problem", "Refused", "Row", "Source", "read_source"]


# The sheets kept on disk while an import runs (spool.py), with the columns their cross-row checks look up: the
# member's code first (a member's events are found by it), then the identifiers unique across the file.
SPOOLED = {MEMBERS.slug: ("code", "citizen_id", "card_number"), MEMBER_EVENTS.slug: ("member",)}


@dataclass
class Source:
    name: str
    tables: dict[str, list[Row] | SpooledRows] = field(default_factory=dict)  # sheet slug -> rows
    notes: list[str] = field(default_factory=list)
    spool: Spool | None = None  # where SPOOLED sheets are; close() when the import is done

    def rows(self, sheet: Sheet) -> list[Row] | SpooledRows:
        return self.tables.get(sheet.slug, [])

    def spooled(self, sheet: Sheet) -> SpooledRows:
        """A SPOOLED sheet's rows on disk (empty when the file has no such sheet)."""
        rows = self.tables.get(sheet.slug, [])
        if isinstance(rows, SpooledRows):
            return rows
        if self.spool is None:
            self.spool = Spool()
        take = self.spool.sink(sheet.slug, {c.field: i for i, c in enumerate(sheet.columns)}, SPOOLED[sheet.slug])
        for r in rows:
            take(r)
        take(None)
        return self.spool.rows(sheet.slug)

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None


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
    elif isinstance(v, dt.time | dt.timedelta):
        # calamine reads a date cell before 01/01/1900 (a negative serial, which Excel cannot show) as a time.
        raise CellError(
            "ô kiểu ngày tháng của Excel không ghi được ngày trước năm 1900 (hoặc ô chỉ có giờ); "
            "ghi ngày dạng văn bản dd/mm/yyyy."
        )
    else:
        raise CellError(f"'{v}' không phải ngày; dùng dd/mm/yyyy.")
    if not 1880 <= d.year <= 2199:
        raise CellError(f"năm {d.year} không hợp lý (cần từ 1880 đến 2199).")
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


class _NotShared(dict[Any, Any]):
    """A `shared` that keeps nothing: rows handed to a sink are not kept in memory, their values need no sharing."""

    def setdefault(self, key: Any, default: Any = None) -> Any:
        return default


def table(
    sheet: Sheet,
    raw: Iterable[list[Any]],
    problems: list[Problem],
    shared: dict[Any, Any] | None = None,
    sink: Callable[[Row | None], None] | None = None,
) -> list[Row]:
    """Typed rows of one sheet, read row by row from `raw` (the header first); header problems and cell
    problems go to `problems`. Equal codes and dates are kept once (`shared`, across the file's sheets): a
    member's code and the same days recur on every one of their events. With `sink`, each row is handed to it
    as it is read (then None) and nothing is kept: the list returned is empty."""
    shared = _NotShared() if sink is not None else ({} if shared is None else shared)
    rows_in = iter(raw)
    header = next(rows_in, None)
    if header is None:
        return []
    by_header = {fold(c.header): c for c in sheet.columns}
    index: dict[str, int] = {}
    for i, h in enumerate(header):
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
    fields = {c.field: i for i, c in enumerate(sheet.columns)}
    kept = {DATE, CODE, ENUM}
    for number, cells in enumerate(rows_in, start=2):
        if all(_blank(v) for v in cells):
            continue
        values: list[Any] = []
        ok = True
        for col in sheet.columns:
            at = index.get(col.field)
            cell = cells[at] if at is not None and at < len(cells) else None
            try:
                value = convert(col, cell)
                values.append(shared.setdefault(value, value) if col.kind in kept and value else value)
            except CellError as e:
                problems.append(Problem(sheet.name, number, col.header, str(e)))
                values.append(None)
                ok = False
        if sink is None:
            rows.append(Row(number, values, fields, ok))
        else:
            sink(Row(number, values, fields, ok))
    if sink is not None:
        sink(None)
    return rows


def open_xlsx(path: Path, name: str) -> tuple[CalamineWorkbook | None, dict[str, int], Problem | None]:
    """A workbook bounded first (limits.check_xlsx), then opened by calamine: (the workbook, cells per sheet, None),
    or (None, {}, why) in Vietnamese. The exchange format and the offices' own lists (mapping_read) open alike."""
    try:
        grids = limits.check_xlsx(path, name)
        return CalamineWorkbook.from_path(str(path)), grids, None
    except limits.TooLarge as e:
        return None, {}, e.problem
    except Exception:  # calamine's own errors for damaged parts (English): say it in Vietnamese
        return None, {}, Problem("", None, "", "tệp Excel bị hỏng, không đọc được; hãy mở bằng Excel và lưu lại.", name)


def _raw_xlsx(path: Path, name: str, source: Source, problems: list[Problem]) -> dict[str, Iterable[list[Any]]]:
    """Each sheet of the format as an iterator of rows; the workbook is bounded (limits.check_xlsx) before
    anything parses it, and rows are converted one at a time rather than copied whole into Python lists.
    A sheet up to `grid_cells` is read by calamine (fast; its grid is in memory, one sheet at a time), a larger
    one is streamed by openpyxl's read-only mode (constant memory)."""
    wb, grids, refused = open_xlsx(path, name)
    if wb is None:
        problems.append(refused)  # type: ignore[arg-type]
        return {}
    by_name = {fold(s.name): s for s in SHEETS}
    raw: dict[str, Iterable[list[Any]]] = {}
    grid_cells = limits.Limits.from_settings().grid_cells
    for sheet_name in wb.sheet_names:
        sheet = by_name.get(fold(sheet_name))
        if sheet is None:
            if fold(sheet_name) not in IGNORED_SHEETS:
                source.notes.append(f"Bỏ qua sheet '{sheet_name}' (không thuộc định dạng).")
        elif grids.get(sheet_name, 0) > grid_cells:
            raw[sheet.slug] = _streamed_rows(path, sheet_name, name, problems)
        else:
            raw[sheet.slug] = _rows(wb, sheet_name, name, problems)
    return raw


def _rows(wb: CalamineWorkbook, sheet_name: str, name: str, problems: list[Problem]) -> Iterator[list[Any]]:
    """One sheet's rows, loaded when the sheet's turn comes (so one grid at a time is in memory)."""
    try:
        yield from wb.get_sheet_by_name(sheet_name).iter_rows()
    except Exception:  # a damaged sheet part; calamine's message is English
        problems.append(Problem(sheet_name, None, "", "sheet bị hỏng, không đọc được.", name))


def _streamed_rows(path: Path, sheet_name: str, name: str, problems: list[Problem]) -> Iterator[list[Any]]:
    """A large sheet row by row in constant memory (openpyxl's read-only mode parses the XML as it goes)."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for values in wb[sheet_name].iter_rows(values_only=True):
                yield list(values)
        finally:
            wb.close()
    except Exception:  # a damaged sheet part; openpyxl's message is English
        problems.append(Problem(sheet_name, None, "", "sheet bị hỏng, không đọc được.", name))


def _raw_csv(path: Path, source: Source, problems: list[Problem]) -> dict[str, Iterable[list[Any]]]:
    raw: dict[str, Iterable[list[Any]]] = {}
    known = {s.csv_name for s in SHEETS}
    for sheet in SHEETS:
        p = path / sheet.csv_name
        if not p.exists():
            continue
        try:
            limits.check_csv(p, p.name, sheet.name)
            # A text the export put behind an apostrophe (domain.cells) reads back as typed; row by row.
            raw[sheet.slug] = ([unguarded(c) for c in r] for r in limits.read_csv(p, p.name, sheet.name))
        except limits.TooLarge as e:
            problems.append(e.problem)
    ignored = {f"{s}.csv" for s in ("danh_muc", "huong_dan", "xep_loai")}
    for p in sorted(path.glob("*.csv")):
        if p.name not in known and p.name not in ignored:
            source.notes.append(f"Bỏ qua tệp {p.name} (không thuộc định dạng).")
    return raw


def read_source(path: str | Path, *, name: str = "") -> tuple[Source, list[Problem]]:
    """Every sheet of the format found in the file, as typed rows; and every problem met on the way.
    `name` is the file's name as the person knows it (an upload is stored under another)."""
    p = Path(path)
    source = Source(name or p.name)
    problems: list[Problem] = []
    if p.is_dir():
        raw = _raw_csv(p, source, problems)
    elif p.suffix.lower() == ".xlsx" and p.is_file():
        raw = _raw_xlsx(p, source.name, source, problems)
    else:
        problems.append(Problem("", None, "", f"{p}: cần một tệp .xlsx hoặc một thư mục các tệp CSV."))
        return source, problems
    if not raw and not problems:
        names = ", ".join(f"'{s.name}' ({s.csv_name})" for s in SHEETS)
        problems.append(Problem("", None, "", f"không có sheet nào của định dạng: {names}."))
    shared: dict[Any, Any] = {}
    for sheet in SHEETS:
        if sheet.slug not in raw:
            continue
        indexed = SPOOLED.get(sheet.slug)
        if indexed is None:
            source.tables[sheet.slug] = table(sheet, raw[sheet.slug], problems, shared)
            continue
        if source.spool is None:
            source.spool = Spool()
        fields = {c.field: i for i, c in enumerate(sheet.columns)}
        table(sheet, raw[sheet.slug], problems, sink=source.spool.sink(sheet.slug, fields, indexed))
        source.tables[sheet.slug] = source.spool.rows(sheet.slug)
    return source, problems
