"""Bounds on an imported file, checked before any parser sees it.

A workbook is a zip of XML parts: its central directory says how large each part becomes once inflated, so a
zip bomb (a few megabytes that inflate to gigabytes) or a part compressed beyond any real spreadsheet's ratio is
refused without inflating anything. The parts the reader will load (worksheets, shared strings) are then
streamed once through zlib in bounded chunks, counting rows, the widest column and the longest text: a row
bomb (a cell at row 1.048.576 or at column XFD makes python-calamine allocate the whole grid up to it) or one
shared string of a gigabyte is refused there, before calamine allocates anything. The stream also checks what
the directory claimed (zipfile stops at the declared size and verifies the CRC), so a lying directory is
refused too. CSV files are bounded in bytes, lines and field length, and must be UTF-8.

The limits are settings (`DANGVU_IMPORT_LIMITS` in dangvu/settings.py, each overridable by an environment
variable); their defaults admit a 200.000-member province with its whole history and refuse hostile files in
well under a second. Every refusal is a Problem in Vietnamese naming the file and, where there is one, the
sheet, row and column.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from django.conf import settings

from dangvu.domain.vietnamese import fmt_int

from .problems import Problem

MB = 1024 * 1024
_CHUNK = MB


@dataclass(frozen=True)
class Limits:
    """Documented defaults; `DANGVU_IMPORT_LIMITS` in settings overrides any of them."""

    upload_bytes: int = 100 * MB  # the file as uploaded (an .xlsx, or one .csv)
    inflated_bytes: int = 2048 * MB  # all parts of a workbook once inflated
    ratio: int = 100  # inflated / compressed size of one part; real workbooks stay under 30
    ratio_floor_bytes: int = 4 * MB  # parts smaller than this once inflated are not held to the ratio
    rows: int = 1_048_576  # rows of one sheet (Excel's own maximum)
    columns: int = 64  # columns of one sheet; the widest sheet of the format has 23
    cells: int = 30_000_000  # rows × columns of one sheet
    # A sheet whose grid (rows × columns) is larger is streamed row by row (openpyxl read-only, constant memory,
    # several times slower) instead of read by python-calamine, which allocates the whole grid (32 bytes a cell
    # and its text): 2.000.000 cells stay under about 150 MB.
    grid_cells: int = 2_000_000
    # A grid over grid_cells with fewer than one cell in `sparse` is a row bomb (a far cell makes an empty grid
    # of millions): real sheets fill one cell in two or three of theirs.
    sparse: int = 20
    cell_chars: int = 32_767  # characters in one cell (Excel's own maximum)
    csv_lines: int = 2_000_000  # lines of one CSV file

    @classmethod
    def from_settings(cls) -> Limits:
        given: dict[str, Any] = dict(getattr(settings, "DANGVU_IMPORT_LIMITS", {}) or {})
        names = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in given.items() if k in names})


class TooLarge(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _mb(n: int) -> str:
    return f"{fmt_int(max(1, round(n / MB)))} MB"


def _file(name: str, message: str, sheet: str = "", row: int | None = None, column: str = "") -> TooLarge:
    return TooLarge(Problem(sheet, row, column, message, file=name))


def col_index(letters: str) -> int:
    """'A' → 1, 'Z' → 26, 'AA' → 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def check_size(path: Path, name: str, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.upload_bytes:
        raise _file(name, f"dài {_mb(size)}, quá giới hạn {_mb(limits.upload_bytes)} của một tệp nhập; hãy chia tệp.")


# ---------------------------------------------------------------- XLSX

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW_R = re.compile(rb'<row\b[^>]*?\sr="(\d{1,12})"')
_ROW_TAG = re.compile(rb"<row[\s>/]")
_CELL_TAG = re.compile(rb"<c[\s>/]")
_NOT_XLSX = (
    "không phải tệp Excel .xlsx (không đọc được dạng nén của tệp); hãy mở tệp bằng Excel và lưu lại dưới dạng "
    "Sổ làm việc Excel (.xlsx)."
)


def _small_xml(z: zipfile.ZipFile, part: str) -> ElementTree.Element | None:
    try:
        return ElementTree.fromstring(z.read(part))
    except (KeyError, ElementTree.ParseError):
        return None


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Zip part → sheet name, from xl/workbook.xml and its relationships (parts already bounded by the caller)."""
    book, rels = _small_xml(z, "xl/workbook.xml"), _small_xml(z, "xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    out = {}
    for s in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(s.get(f"{_NS_REL}id"), "")
        if target:
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            out[part] = s.get("name", "")
    return out


def _chunks(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part inflated in pieces that each end just before a '<' (so no tag is cut), the last piece whole."""
    carry = b""
    with z.open(info) as fh:
        while True:
            data = fh.read(_CHUNK)
            if not data:
                break
            data = carry + data
            cut = data.rfind(b"<")
            if cut <= 0:
                carry = data
                if len(carry) > 4 * _CHUNK:  # no tag for megabytes: one text too long for any cell
                    yield carry
                    carry = b""
                continue
            yield data[:cut]
            carry = data[cut:]
    if carry:
        yield carry


def _last_ref(before: bytes) -> tuple[int | None, str]:
    """The row number and column letters of the last cell opened in `before` (for naming where a text is)."""
    rows = _ROW_R.findall(before[-65536:])
    cell = re.findall(rb'<c\b[^>]*?\sr="([A-Z]{1,3})\d+"', before[-65536:])
    return (int(rows[-1]) if rows else None), (cell[-1].decode() if cell else "")


@dataclass
class _Scan:
    rows: int = 0
    max_row: int = 0
    max_col: int = 0
    cells: int = 0


def _long_text(piece: bytes, limit: int) -> int:
    """Index in piece of a text node longer than `limit` characters, or -1. XML text never holds a raw '<',
    so each '<'-separated part is one tag and the text after it."""
    if len(piece) <= limit:
        return -1
    at = 0
    for part in piece.split(b"<"):
        if len(part) > limit:
            text = part[part.find(b">") + 1 :]
            if len(text.decode("utf-8", "replace")) > limit:
                return at
        at += len(part) + 1
    return -1


_REF_FIRST = re.compile(rb'<c r="([A-Z]{1,3})\d')
_REF_ANY = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{1,3})\d')


def _widest(piece: bytes) -> int:
    """The largest column a cell of `piece` names; the set of letters per chunk stays small."""
    letters = set(_REF_FIRST.findall(piece))
    if piece.count(b'<c r="') < len(_CELL_TAG.findall(piece)):  # some cells name their column later, or not
        letters |= set(_REF_ANY.findall(piece))
    return max((col_index(x.decode()) for x in letters), default=0)


def _scan_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, sheet: str, limits: Limits) -> int:
    """Refuse the part if it breaks a limit; else the size of its grid (rows × columns)."""
    scan = _Scan()
    for piece in _chunks(z, info):
        at = _long_text(piece, limits.cell_chars)
        if at >= 0:
            row, col = _last_ref(piece[:at]) if sheet else (None, "")
            raise _file(
                name,
                f"một ô dài hơn {fmt_int(limits.cell_chars)} ký tự (giới hạn của Excel cho một ô)"
                + ("" if sheet else " trong bảng chuỗi dùng chung của tệp")
                + ".",
                sheet,
                row,
                col,
            )
        if not sheet:
            continue
        scan.rows += len(_ROW_TAG.findall(piece))
        numbers = _ROW_R.findall(piece)
        if numbers:
            scan.max_row = max(scan.max_row, *(int(n) for n in numbers))
        scan.max_col = max(scan.max_col, _widest(piece))
        cells = len(_CELL_TAG.findall(piece))
        scan.cells += cells
        if scan.max_col <= limits.columns and cells > piece.count(b' r="'):
            # Cells without a reference take the next column: count them row by row.
            for seg in piece.split(b"<row")[1:]:
                scan.max_col = max(scan.max_col, len(_CELL_TAG.findall(seg)))
        height = max(scan.rows, scan.max_row)
        if height > limits.rows:
            raise _file(name, f"có hơn {fmt_int(limits.rows)} dòng (giới hạn của một sheet).", sheet)
        if scan.max_col > limits.columns:
            raise _file(name, f"có ô ở cột thứ {fmt_int(scan.max_col)}, quá {fmt_int(limits.columns)} cột.", sheet)
        if height * max(scan.max_col, 1) > limits.cells:
            raise _file(
                name,
                f"có ít nhất {fmt_int(height)} dòng × {fmt_int(scan.max_col)} cột, quá {fmt_int(limits.cells)} ô "
                "của một sheet; hãy chia tệp.",
                sheet,
            )
    height = max(scan.rows, scan.max_row)
    grid = height * max(scan.max_col, 1)
    if grid > limits.grid_cells and grid > limits.sparse * max(scan.cells, 1):
        raise _file(
            name,
            f"vùng dữ liệu {fmt_int(height)} dòng × {fmt_int(scan.max_col)} cột nhưng chỉ có {fmt_int(scan.cells)} ô; "
            "có ô ở xa vùng dữ liệu, hãy xóa các dòng và cột trống thừa rồi lưu lại.",
            sheet,
        )
    return grid


def check_xlsx(path: Path, name: str, limits: Limits | None = None) -> dict[str, int]:
    """Raise TooLarge (a Vietnamese Problem) unless the workbook is a zip within every limit; else each sheet's
    name with the size of its grid (rows × columns)."""
    limits = limits or Limits.from_settings()
    check_size(path, name, limits)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
            if total > limits.inflated_bytes:
                raise _file(
                    name,
                    f"giải nén ra {_mb(total)}, quá giới hạn {_mb(limits.inflated_bytes)}; tệp bị hỏng, "
                    "cố tình làm phình, hoặc quá lớn cho một lần nhập (hãy chia tệp).",
                )
            for i in infos:
                if i.file_size > limits.ratio_floor_bytes and i.file_size > limits.ratio * max(i.compress_size, 1):
                    raise _file(
                        name,
                        f"một phần của tệp nén {fmt_int(i.file_size // max(i.compress_size, 1))} lần, quá tỉ lệ "
                        f"{fmt_int(limits.ratio)} của một bảng tính thật; tệp bị cố tình làm phình nên không được "
                        "đọc.",
                    )
            sheets = sheet_parts(z)
            grids = {}
            for i in infos:
                if i.filename in sheets or i.filename.endswith("sharedStrings.xml"):
                    grid = _scan_part(z, i, name, sheets.get(i.filename, ""), limits)
                    if i.filename in sheets:
                        grids[sheets[i.filename]] = grid
            return grids
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError, OSError) as e:
        if isinstance(e, TooLarge):
            raise
        raise _file(
            name, _NOT_XLSX if not zipfile.is_zipfile(path) else f"tệp nén bị hỏng ({_zip_reason(e)})."
        ) from None


def _zip_reason(e: Exception) -> str:
    text = str(e)
    if "CRC" in text:
        return "dữ liệu không khớp mã kiểm tra"
    if "encrypt" in text.lower() or "password" in text.lower():
        return "tệp có mật khẩu; hãy bỏ mật khẩu rồi lưu lại"
    if "compression" in text.lower():
        return "kiểu nén không được hỗ trợ"
    return "không đọc hết được nội dung"


# ---------------------------------------------------------------- CSV


def check_csv(path: Path, name: str, sheet: str = "", limits: Limits | None = None) -> None:
    """Bytes, lines, field length and encoding of one CSV file, read once in bounded chunks."""
    limits = limits or Limits.from_settings()
    check_size(path, name, limits)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    lines = 1
    offset = 0
    with path.open("rb") as fh:
        while True:
            data = fh.read(_CHUNK)
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError as e:
                line = lines + data[: e.start].count(b"\n")
                raise _file(
                    name,
                    f"không phải văn bản UTF-8 (byte thứ {fmt_int(offset + e.start + 1)}); hãy lưu lại tệp dưới "
                    "dạng 'CSV UTF-8'.",
                    sheet,
                    line,
                ) from None
            if not data:
                break
            lines += text.count("\n")
            offset += len(data)
            if lines > limits.csv_lines:
                raise _file(name, f"có hơn {fmt_int(limits.csv_lines)} dòng, quá giới hạn của một tệp nhập.", sheet)
    csv.field_size_limit(max(limits.cell_chars, 1))


def read_csv(path: Path, name: str, sheet: str, limits: Limits | None = None) -> list[list[str]]:
    """The rows of a CSV file already checked by check_csv; a field over the cell limit is refused with its line."""
    limits = limits or Limits.from_settings()
    csv.field_size_limit(max(limits.cell_chars, 1))
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        try:
            return list(reader)
        except csv.Error as e:
            if "field larger" in str(e):
                message = f"một ô dài hơn {fmt_int(limits.cell_chars)} ký tự."
            else:
                message = "không đọc được dạng CSV (dấu ngoặc kép không đóng, hoặc ký tự rỗng)."
            raise _file(name, message, sheet, reader.line_num) from None
