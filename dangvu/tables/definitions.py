"""Statistics tables as data: reading and checking the definition files (TOML). Plain Python, no Django.

A table (biểu) is rows × columns over one source of records; each row and each column says which records it takes
(conditions on fields), and a cell counts the records its row and its column both take. The files are TOML so an
office edits and adds tables with a text editor (docs/tables.md); every mistake is reported in Vietnamese naming
the file, the table, the row or column and the field.

Sources: HD 11-HD/BTCTW (13/12/2021), I.2 [V]: the same criteria and layout at every level, figures aggregated from
the grassroots upward. The forms' own rows and columns were not found [U] (research notes, badges_forms_reports §2):
the default set follows HD 12-HD/BTCTW (2012) Part II's known tables (Biểu 3-TCTW quality of the membership, Biểu
4-TCTW ethnicity and religion "có đến 31-12-…") and each file says which of its layout is [U].
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from dangvu.domain.vietnamese import nfc

# The sources a table may count and the fields each offers to its conditions. Values are the Vietnamese words the
# pages print ("Nữ", "Chi bộ trực thuộc", "Cao cấp"); age, party_age and rank are numbers (bands allowed).
SOURCES: dict[str, tuple[str, frozenset[str]]] = {
    "members": (
        "Đảng viên có đến ngày",
        frozenset(
            {
                *("status", "gender", "ethnicity", "religion", "general_education", "education_level"),
                *("professional_education", "degree", "professional_level", "political_theory", "occupation"),
                *("age", "party_age"),
            }
        ),
    ),
    "organizations": ("Tổ chức đảng có đến ngày", frozenset({"kind", "sector"})),
    "admissions": (
        "Đảng viên kết nạp trong năm",
        frozenset(
            {
                "category",
                "gender",
                "ethnicity",
                "religion",
                "age",
                "education_level",
                "professional_level",
                "occupation",
            }
        ),
    ),
    "exits": ("Đảng viên ra khỏi Đảng, từ trần trong năm", frozenset({"kind", "gender"})),
    "review_members": ("Kết quả xếp loại đảng viên", frozenset({"state", "level", "rank", "not_rated", "exemplary"})),
    "review_organizations": (
        "Kết quả xếp loại tổ chức đảng",
        frozenset({"group", "state", "level", "rank", "not_rated", "exemplary"}),
    ),
}
NUMERIC = frozenset({"age", "party_age", "rank"})
# The sources counted over the year up to the date (events); the others are counted as at the date.
YEARLY = frozenset({"admissions", "exits"})
AGE_RULES = {"full_years", "calendar_year"}
LINE_KEYS = {"key", "label", "match", "others", "on", "difference", "indent", "note", "heading"}
TABLE_KEYS = {"code", "title", "form", "source", "unit", "note", "age_rule", "rows", "columns", "order"}
COND_KEYS = {"from", "to", "not_in", "not"}


class DefinitionError(ValueError):
    """A mistake in a definition file, said in Vietnamese with where it is."""


@dataclass(frozen=True)
class Cond:
    """One field's condition: equal to one of `values`, within [lo, hi] (numbers), or not one of `excluded`."""

    field: str
    values: frozenset[Any] | None = None
    lo: int | None = None
    hi: int | None = None
    excluded: frozenset[Any] | None = None

    def holds(self, value: Any) -> bool:
        if self.field in NUMERIC:
            if value is None:
                return False
            if self.values is not None and value not in self.values:
                return False
            if self.lo is not None and value < self.lo:
                return False
            return not (self.hi is not None and value > self.hi)
        v = norm(value)
        if self.values is not None and v not in self.values:
            return False
        return not (self.excluded is not None and v in self.excluded)


@dataclass(frozen=True)
class Line:
    """A row or a column: which records it takes. `others` takes the records no sibling with conditions takes
    ("Dân tộc khác"); `on = "previous_year"` counts as at 31/12 of the year before (columns of the tables counted
    as at a date); `difference` is the first column minus the second ("Tăng, giảm so với năm trước")."""

    key: str
    label: str
    conds: tuple[Cond, ...] = ()
    others: bool = False
    on: str = ""
    difference: tuple[str, str] | None = None
    indent: int = 0
    note: str = ""
    heading: bool = False  # a row that only names the rows below it ("Chia theo tuổi:"): no figures

    def takes(self, fact: Mapping[str, Any]) -> bool:
        if self.heading:
            return False
        return all(c.holds(fact.get(c.field)) for c in self.conds)


@dataclass(frozen=True)
class Table:
    code: str
    title: str
    source: str
    rows: tuple[Line, ...]
    columns: tuple[Line, ...]
    form: str = ""
    unit: str = ""
    note: str = ""
    age_rule: str = "full_years"
    order: int = 0
    file: str = ""

    @property
    def yearly(self) -> bool:
        return self.source in YEARLY

    def fields(self) -> set[str]:
        return {c.field for line in (*self.rows, *self.columns) for c in line.conds}

    def row(self, key: str) -> Line | None:
        return next((r for r in self.rows if r.key == key), None)

    def column(self, key: str) -> Line | None:
        return next((c for c in self.columns if c.key == key), None)

    def needs_previous_year(self) -> bool:
        return any(c.on == "previous_year" for c in self.columns)


def norm(value: Any) -> Any:
    """Text compared as the pages print it, whatever the case and spacing (NFC: domain.vietnamese)."""
    if isinstance(value, str):
        return _norm_text(value)
    return value


@lru_cache(maxsize=65536)  # a table's facts repeat a few values (an ethnic group, a religion) many times
def _norm_text(value: str) -> str:
    # "Khơ-me" and "Khơ me", "H'Mông" and "HMông" are the same group as offices type them
    return " ".join(nfc(value).replace("-", " ").replace("'", "").replace("\u2019", "").split()).casefold()


# ---------------------------------------------------------------- reading and checking


@dataclass
class _Where:
    file: str
    table: str = ""
    line: str = ""

    def error(self, message: str, field_name: str = "") -> DefinitionError:
        parts = [f"Tệp '{self.file}'"]
        if self.table:
            parts.append(f"biểu '{self.table}'")
        if self.line:
            parts.append(self.line)
        if field_name:
            parts.append(f"trường '{field_name}'")
        return DefinitionError(", ".join(parts) + ": " + message)


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_text(text: str, file: str) -> list[Table]:
    """The tables of one file's text; DefinitionError on the first mistake."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = _TOML_POSITION.search(str(e))
        at = f" (dòng {m[1]}, cột {m[2]})" if m else ""
        raise DefinitionError(f"Tệp '{file}' không đọc được{at}: sai cú pháp TOML.") from e
    where = _Where(file)
    unknown = set(data) - {"table"}
    if unknown:
        raise where.error(f"mục không dùng được: {', '.join(sorted(unknown))} (chỉ có [[table]]).")
    tables = data.get("table", [])
    if not isinstance(tables, list) or not tables:
        raise where.error("không có biểu nào ([[table]]).")
    return [_table(t, i, file) for i, t in enumerate(tables, 1)]


def _text(d: Mapping[str, Any], key: str, where: _Where, *, required: bool = True) -> str:
    v = d.get(key, "")
    if not isinstance(v, str):
        raise where.error("phải là chữ (trong ngoặc kép).", key)
    if required and not v.strip():
        raise where.error("bắt buộc, đang để trống.", key)
    return nfc(v.strip())


def _table(t: Any, index: int, file: str) -> Table:
    where = _Where(file, table=f"thứ {index}")
    if not isinstance(t, dict):
        raise where.error("mỗi [[table]] phải là một bảng khóa = giá trị.")
    code = _text(t, "code", where)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", code):
        raise where.error(f"mã '{code}' chỉ gồm chữ thường không dấu, số và dấu '-'.", "code")
    where = _Where(file, table=code)
    unknown = set(t) - TABLE_KEYS
    if unknown:
        raise where.error("không dùng được.", ", ".join(sorted(unknown)))
    source = _text(t, "source", where)
    if source not in SOURCES:
        raise where.error(f"nguồn '{source}' không có; dùng một trong: {', '.join(SOURCES)}.", "source")
    age_rule = _text(t, "age_rule", where, required=False) or "full_years"
    if age_rule not in AGE_RULES:
        raise where.error(f"'{age_rule}' không có; dùng full_years hoặc calendar_year.", "age_rule")
    order = t.get("order", 0)
    if not isinstance(order, int):
        raise where.error("phải là số nguyên.", "order")
    rows = _lines(t.get("rows"), "rows", source, where)
    columns = _lines(t.get("columns"), "columns", source, where)
    for c in columns:
        if c.on == "previous_year" and source in YEARLY:
            raise where.error("chỉ dùng cho biểu tính có đến ngày, không cho biểu tính trong năm.", "on")
    for kind, lines in (("dòng", rows), ("cột", columns)):
        if len({line.key for line in lines}) != len(lines):
            raise where.error(f"hai {kind} trùng mã.", "key")
    for r in rows:
        if r.on or r.difference:
            raise where.error("chỉ dùng cho cột.", "on" if r.on else "difference")
    keys = {c.key for c in columns}
    for c in columns:
        if c.difference and not set(c.difference) <= keys:
            raise _Where(file, code, f"cột '{c.label}'").error("phải nêu hai mã cột có trong biểu.", "difference")
    return Table(
        code=code,
        title=_text(t, "title", where),
        source=source,
        rows=rows,
        columns=columns,
        form=_text(t, "form", where, required=False),
        unit=_text(t, "unit", where, required=False),
        note=_text(t, "note", where, required=False),
        age_rule=age_rule,
        order=order,
        file=file,
    )


def _lines(raw: Any, kind: str, source: str, where: _Where) -> tuple[Line, ...]:
    name = "dòng" if kind == "rows" else "cột"
    if not isinstance(raw, list) or not raw:
        raise where.error(f"cần ít nhất một {name} ([[table.{kind}]]).", kind)
    out = []
    for i, d in enumerate(raw, 1):
        at = _Where(where.file, where.table, f"{name} {i}")
        if not isinstance(d, dict):
            raise at.error("phải là một bảng khóa = giá trị.")
        label = _text(d, "label", at)
        at = _Where(where.file, where.table, f"{name} {i} ('{label}')")
        unknown = set(d) - LINE_KEYS
        if unknown:
            raise at.error("không dùng được.", ", ".join(sorted(unknown)))
        key = _text(d, "key", at)
        match = d.get("match", {})
        if not isinstance(match, dict):
            raise at.error("phải là một bảng { trường = giá trị }.", "match")
        conds = tuple(_cond(f, v, source, at) for f, v in match.items())
        on = _text(d, "on", at, required=False)
        if on not in ("", "previous_year"):
            raise at.error(f"'{on}' không có; chỉ dùng previous_year.", "on")
        diff = d.get("difference")
        if diff is not None and (
            not isinstance(diff, list) or len(diff) != 2 or not all(isinstance(x, str) for x in diff)
        ):
            raise at.error('phải là hai mã cột, ví dụ ["nam-nay", "nam-truoc"].', "difference")
        others = d.get("others", False)
        if not isinstance(others, bool):
            raise at.error("phải là true hoặc false.", "others")
        heading = d.get("heading", False)
        if not isinstance(heading, bool):
            raise at.error("phải là true hoặc false.", "heading")
        if heading and (conds or others):
            raise at.error("dòng tiêu đề không có điều kiện.", "heading")
        indent = d.get("indent", 0)
        if not isinstance(indent, int) or not 0 <= indent <= 3:
            raise at.error("phải là số nguyên từ 0 đến 3.", "indent")
        out.append(
            Line(
                key=key,
                label=label,
                conds=conds,
                others=others,
                on=on,
                difference=(diff[0], diff[1]) if diff else None,
                indent=indent,
                note=_text(d, "note", at, required=False),
                heading=heading,
            )
        )
    return tuple(out)


def _cond(field_name: str, v: Any, source: str, at: _Where) -> Cond:
    if field_name not in SOURCES[source][1]:
        allowed = ", ".join(sorted(SOURCES[source][1]))
        raise at.error(f"nguồn '{source}' không có trường này; có: {allowed}.", field_name)
    numeric = field_name in NUMERIC

    def value(x: Any) -> Any:
        if numeric:
            if not isinstance(x, int) or isinstance(x, bool):
                raise at.error(f"phải là số nguyên, không phải {x!r}.", field_name)
            return x
        if not isinstance(x, str | bool):
            raise at.error(f"phải là chữ, không phải {x!r}.", field_name)
        return norm(x)

    if isinstance(v, list):
        if not v:
            raise at.error("danh sách giá trị đang trống.", field_name)
        return Cond(field_name, values=frozenset(value(x) for x in v))
    if isinstance(v, dict):
        unknown = set(v) - COND_KEYS
        if unknown:
            raise at.error(f"không hiểu {', '.join(sorted(unknown))}; dùng from, to, not_in, not.", field_name)
        if ("from" in v or "to" in v) and not numeric:
            raise at.error("from/to chỉ dùng cho trường số (age, party_age, rank).", field_name)
        lo, hi = v.get("from"), v.get("to")
        lo, hi = (value(lo) if lo is not None else None), (value(hi) if hi is not None else None)
        if lo is not None and hi is not None and lo > hi:
            raise at.error(f"from ({lo}) lớn hơn to ({hi}).", field_name)
        excluded = v.get("not_in", [])
        if "not" in v:
            excluded = [*excluded, v["not"]]
        if not isinstance(excluded, list):
            raise at.error("not_in phải là danh sách.", field_name)
        return Cond(field_name, lo=lo, hi=hi, excluded=frozenset(value(x) for x in excluded) if excluded else None)
    return Cond(field_name, values=frozenset({value(v)}))


def load_files(paths: Iterable[Path]) -> list[Table]:
    """Every table of the files, in (order, file, position) order; a code defined twice is an error naming both
    files (an office's folder adds tables, it replaces one only by giving it a new code)."""
    tables: list[Table] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            raise DefinitionError(f"Tệp '{path.name}' không phải văn bản UTF-8.") from e
        for t in parse_text(text, path.name):
            if t.code in seen:
                raise _Where(path.name, t.code).error(f"mã biểu đã có trong tệp '{seen[t.code]}'.", "code")
            seen[t.code] = path.name
            tables.append(t)
    return sorted(tables, key=lambda t: t.order)


@dataclass
class Grid:
    """A table's figures for one root: cells[row key][column key] = count."""

    table: Table
    cells: dict[str, dict[str, int]] = field(default_factory=dict)

    def cell(self, row: str, column: str) -> int:
        return self.cells.get(row, {}).get(column, 0)
