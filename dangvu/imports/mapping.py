"""The lists offices keep: which column of their sheet is which field (issue 15, item 2).

An office's list of members (or of members' events) has Vietnamese headers in its own order and wording, sometimes
under a title row or a two-row header with merged cells. This module finds the header row, suggests the column of
each field from the header (folded: no diacritics, no case, punctuation as spaces; the synonyms are data,
mapping_synonyms.toml), and turns a cell as offices type it into what the exchange format's reader takes (read.convert
then applies the format's own rules): an identifier Excel stored as a number gets its leading zeros back, an Excel
serial number in a date column is a date. Nothing here writes: mapping_read.py converts a whole sheet into the exchange
format's rows and hands them to the same checks and the same transaction as `dangvu import`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dangvu.domain.vietnamese import fold, nfc

from .format import CODE, CODES, DATE, DIGITS, ENUM, MEMBER_EVENTS, MEMBERS, TEXT, Column
from .xlsx import EPOCH

SYNONYMS_FILE = Path(__file__).with_name("mapping_synonyms.toml")

# The header is looked for in the first rows: offices put a title ("DANH SÁCH ĐẢNG VIÊN …") and a date above it.
HEADER_SEARCH_ROWS = 12
# Excel's serial days that are dates the format accepts (1880 to 2199 are checked again by read.convert).
SERIAL_MIN, SERIAL_MAX = 1, 109_573  # 31/12/2199
_NON_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Field:
    """One field an office's column can fill: the exchange format's column it becomes (kind, length, enumeration,
    required) and the headers offices write for it (folded)."""

    key: str
    column: Column
    synonyms: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.column.header

    @property
    def required(self) -> bool:
        return self.column.required


@dataclass(frozen=True)
class Target:
    """What a sheet holds: a list of members (one row a member, their admission and recognition as columns) or a
    list of members' events (the exchange format's event sheet)."""

    slug: str
    label: str
    fields: tuple[Field, ...]

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


def words(text: object) -> str:
    """A header folded for comparison: 'HỌ VÀ TÊN', 'Họ, tên' → 'ho va ten', 'ho ten'."""
    return _NON_WORD.sub(" ", fold(nfc(str(text or "")))).strip()


@cache
def _synonyms() -> dict[str, dict[str, list[str]]]:
    with SYNONYMS_FILE.open("rb") as fh:
        return tomllib.load(fh)


def _event_len(name: str) -> int | None:
    return next(c.max_length for c in MEMBER_EVENTS.columns if c.field == name)


# The columns of an office's member list that the exchange format keeps as the member's events: the admission
# (with its organization, decision and category) and the recognition as a full member.
MEMBER_LIST_EVENT_COLUMNS = (
    Column("Ngày vào Đảng", "admitted_on", DATE, required=True),
    Column("Ngày lễ kết nạp", "ceremony_on", DATE),
    Column("Ngày chính thức", "recognized_on", DATE),
    Column("Chi bộ", "organization", CODE, required=True, max_length=_event_len("organization")),
    Column("Số quyết định kết nạp", "admission_ref", TEXT, max_length=_event_len("decision_ref")),
    Column("Ngày quyết định kết nạp", "admission_decided_on", DATE),
    Column("Đối tượng kết nạp", "category", ENUM, enum="category"),
)


def _target(slug: str, label: str, columns: Sequence[Column]) -> Target:
    given = _synonyms().get(slug, {})
    fields = []
    for c in columns:
        names = [c.header, *given.get(c.field, [])]
        fields.append(Field(c.field, c, tuple(dict.fromkeys(words(n) for n in names if words(n)))))
    return Target(slug, label, tuple(fields))


@cache
def targets() -> dict[str, Target]:
    return {
        "members": _target("members", "Danh sách đảng viên", (*MEMBERS.columns, *MEMBER_LIST_EVENT_COLUMNS)),
        "events": _target("events", "Danh sách sự kiện đảng viên", MEMBER_EVENTS.columns),
    }


# ---------------------------------------------------------------- headers


def signature(headers: Sequence[object]) -> str:
    """The header row's fingerprint: the same list sent again (any data below) is recognized by it."""
    text = "|".join(words(h) for h in headers).rstrip("|")
    return hashlib.sha256(text.encode()).hexdigest()


def _score(header: str, synonym: str) -> int:
    if not header or not synonym:
        return 0
    if header == synonym:
        return 1000 + len(synonym)
    if f" {synonym} " in f" {header} ":
        return len(synonym)
    return 0


def suggest(target: Target, headers: Sequence[object]) -> dict[str, int]:
    """field key → column index (0-based) for the fields whose header is recognized. Best matches first (an exact
    header before a header containing a synonym, a longer synonym before a shorter); each column serves one field, a
    header written twice is suggested for neither copy (the person chooses)."""
    folded = [words(h) for h in headers]
    seen: dict[str, int] = {}
    for h in folded:
        if h:
            seen[h] = seen.get(h, 0) + 1
    candidates: list[tuple[int, int, int, str]] = []
    for order, f in enumerate(target.fields):
        for i, h in enumerate(folded):
            if not h or seen[h] > 1:
                continue
            best = max((_score(h, s) for s in f.synonyms), default=0)
            if best:
                candidates.append((-best, i, order, f.key))
    chosen: dict[str, int] = {}
    used: set[int] = set()
    for _, i, _, key in sorted(candidates):
        if key not in chosen and i not in used:
            chosen[key] = i
            used.add(i)
    return chosen


def _filled(row: Sequence[object]) -> list[str]:
    return [nfc(str(v)).strip() if v is not None else "" for v in row]


def _merged(top: Sequence[str], bottom: Sequence[str]) -> list[str]:
    """A two-row header: a merged cell of the top row spans the blanks after it ('Ngày' over 'vào Đảng' and
    'chính thức'); a column with nothing below keeps its top."""
    out, above = [], ""
    for i in range(max(len(top), len(bottom))):
        t = top[i] if i < len(top) else ""
        b = bottom[i] if i < len(bottom) else ""
        if t:
            above = t
        elif not b:
            above = ""
        out.append(f"{above} {b}".strip() if b else t)
    return out


def _under_merged(top: Sequence[str], below: Sequence[object]) -> bool:
    """Whether `below` can be the second row of a header over `top`: the top row has the blanks a merged cell
    leaves, and the row below is words only (no number, no date: a data row is not a header)."""
    texts = [v for v in below if v is not None and str(v).strip()]
    if not texts or "" not in top[: len(below)]:
        return False
    return all(isinstance(v, str) and not any(ch.isdigit() for ch in v) for v in texts)


@dataclass(frozen=True)
class Header:
    """Where the data starts: the header's cells (one or two rows merged) and the 0-based index of the first data
    row."""

    cells: list[str]
    first_data: int  # index in the sheet's rows

    @property
    def row(self) -> int:
        """The header's last row as Excel numbers it."""
        return self.first_data


def find_header(target: Target, rows: Sequence[Sequence[object]]) -> Header | None:
    """The row (or pair of rows) among the first ones that names the most fields; None when none names two."""
    best: tuple[int, int, Header] | None = None
    head = [_filled(r) for r in rows[:HEADER_SEARCH_ROWS]]
    for i, cells in enumerate(head):
        options = [(Header(cells, i + 1), 0)]
        if i + 1 < len(head) and _under_merged(cells, rows[i + 1]):
            options.append((Header(_merged(cells, head[i + 1]), i + 2), 1))
        for h, extra in options:
            n = len(suggest(target, h.cells))
            if n >= 2 and (best is None or (n, -extra) > (best[0], best[1])):
                best = (n, -extra, h)
    return best[2] if best else None


def guess_target(rows: Sequence[Sequence[object]]) -> str:
    """The target whose fields the sheet's header names most (members when none)."""
    scores = {}
    for slug, t in targets().items():
        h = find_header(t, rows)
        scores[slug] = len(suggest(t, h.cells)) if h else 0
    return max(scores, key=lambda s: (scores[s], s == "members"))


# ---------------------------------------------------------------- cells as offices type them


def office_cell(col: Column, v: Any) -> Any:
    """The cell as the exchange format's reader takes it (read.convert does the rest and says what is wrong):
    * an identifier of fixed length (citizen ID 12 digits, card number 8) stored by Excel as a number lost its
      leading zeros and only those: they are put back ('1080001234' → '001080001234');
    * a code stored as a whole number is its digits;
    * a whole number in a date column is Excel's serial day (a date cell whose format was lost, or a CSV written
      from one): 39573 → 5/5/2008. Texts '5/5/2008', '05-05-2008', '5.5.2008' and '2008-05-05' are read by the
      format's own date rule (domain.vietnamese.parse_date)."""
    if isinstance(v, bool) or v is None:
        return v
    number = isinstance(v, int | float) and float(v).is_integer()
    if col.kind == DIGITS and number and 0 <= v:
        text = str(int(v))
        return text.zfill(col.digits) if len(text) <= col.digits else text
    if col.kind in (CODE, CODES) and number:
        return str(int(v))
    if col.kind == DATE:
        if number and SERIAL_MIN <= v <= SERIAL_MAX:
            return EPOCH + dt.timedelta(days=int(v))
        if isinstance(v, str) and v.strip().isdigit() and 4 < len(v.strip()) <= 6:
            days = int(v.strip())
            if SERIAL_MIN <= days <= SERIAL_MAX:
                return EPOCH + dt.timedelta(days=days)
    return v


def mapping_from_headers(target: Target, headers: Sequence[object], chosen: Mapping[str, str]) -> dict[str, int]:
    """A remembered mapping (field key → header text) applied to a header row: field key → column index. A header
    that is no longer there is dropped (the person maps it again)."""
    folded = [words(h) for h in headers]
    out = {}
    for key, header in chosen.items():
        w = words(header)
        if w and folded.count(w) == 1 and any(f.key == key for f in target.fields):
            out[key] = folded.index(w)
    return out


# ---------------------------------------------------------------- the document (docs/import-format.md)


def docs_lines() -> list[str]:
    """The section of docs/import-format.md on an office's own lists: the steps, the cells, each field's headers."""
    out = [
        "## Danh sách của đơn vị (tiêu đề cột tùy ý)",
        "",
        "Danh sách đảng viên (hoặc sự kiện đảng viên) mà đơn vị đang giữ theo mẫu riêng — tiêu đề cột viết thế nào, "
        "xếp thứ tự nào cũng được, có dòng tên danh sách ở trên, tiêu đề hai dòng có ô gộp — được nhập qua bước "
        "ghép cột: web 'Nhập dữ liệu › Nhập danh sách của đơn vị' (tải lên → ghép cột, có giá trị mẫu dưới mỗi cột "
        "→ các dòng đầu như sẽ được đọc và kết quả kiểm tra → ghi), hoặc "
        "`dangvu import --list TỆP [--show] [--map TRƯỜNG=TIÊU_ĐỀ] [--org MÃ]`. Mỗi cột được gợi ý từ tiêu đề "
        "(bỏ dấu, không phân biệt hoa thường, theo danh sách tên gọi khác trong "
        "`dangvu/imports/mapping_synonyms.toml`, sửa được không cần sửa mã); cách ghép đã xác nhận được ghi nhớ "
        "theo dòng tiêu đề, cho người đó và cho tổ chức đã chọn. Danh sách được chuyển thành các dòng của định dạng "
        "trao đổi rồi kiểm tra và ghi đúng như tệp theo mẫu (cùng quy tắc, một giao dịch, một dòng nhật ký); mỗi lỗi "
        "ghi tên tệp, sheet, dòng và tiêu đề cột của chính danh sách.",
        "",
        "Ô được đọc như đơn vị gõ: số CCCD (12 chữ số) và số thẻ đảng viên (8 chữ số) mà Excel lưu dạng số được "
        "thêm lại các số 0 ở đầu; mã lưu dạng số là dãy chữ số của nó (mã có số 0 ở đầu phải là ô văn bản); ngày "
        "là ô ngày tháng, '5/5/2008', '05-05-2008', '5.5.2008', '2008-05-05' hoặc số ngày kiểu Excel (39573). Chi "
        "bộ ghi bằng mã hoặc tên hiện nay (tên trùng nhau thì phải ghi mã). Một danh sách đảng viên mỗi dòng một "
        "người: ngày vào Đảng (kết nạp, tại chi bộ ghi ở dòng) và ngày chính thức (công nhận) thành hai sự kiện.",
        "",
        "Một tiêu đề có ở hai cột không được gợi ý cho cột nào, và bị từ chối nếu được chọn. Danh sách được xuất lại "
        "theo đúng mẫu đã ghi nhớ (cùng tiêu đề, cùng thứ tự; số CCCD và số thẻ được che).",
        "",
    ]
    for t in targets().values():
        out += [f"### {t.label}", "", "| Trường | Bắt buộc | Tiêu đề được nhận ra (đã bỏ dấu) |", "|---|---|---|"]
        for f in t.fields:
            out.append(f"| {f.label} | {'có' if f.required else ''} | {', '.join(f.synonyms)} |")
        out.append("")
    return out
