"""An office's own list → the exchange format's rows → the same checks and the same transaction as `dangvu import`.

Reading: the file is bounded first (limits.py, the same limits as the exchange format's), an .xlsx is read by
python-calamine (openpyxl's streaming reader for a sheet over limits.grid_cells), a .csv with its delimiter sniffed
(',' ';' or tab: Excel in a Vietnamese locale saves with ';'). Each mapped cell goes through mapping.office_cell
then read.convert — the format's own cell rules — and the typed rows are spooled exactly as the format's sheets
are (spool.py); load.validate_source runs every check and load.apply writes. There is no second writer.

Every problem names the office's file, sheet, row (as Excel numbers it) and header: the checks speak of the
format's sheets and headers, and `Where` translates them back.
"""

from __future__ import annotations

import csv
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dangvu.audit.services import SYSTEM, Actor
from dangvu.db import refresh_statistics
from dangvu.domain.membership import EVENT_LABELS, EventKind
from dangvu.domain.periods import OPEN_END
from dangvu.domain.vietnamese import fold, nfc
from dangvu.orgs.models import Organization, OrgVersion

from . import limits
from .format import DATE, ENUM, ENUMS, MEMBER_EVENTS, MEMBERS
from .load import Plan, Report, apply, validate_source
from .mapping import Field, Header, Target, find_header, guess_target, office_cell, suggest, targets
from .problems import Problem, Refused
from .read import SPOOLED, CellError, Source, _blank, _streamed_rows, convert, open_xlsx
from .row import Row
from .spool import Spool
from .xlsx import col_letter

__all__ = ["OfficeFile", "SheetMapping", "import_office", "open_office", "validate_office"]

SAMPLE_ROWS = 5
CSV_BROKEN = "không đọc được dạng CSV (dấu ngoặc kép không đóng, hoặc ký tự rỗng)."


# ---------------------------------------------------------------- the file


@dataclass
class OfficeSheet:
    name: str
    rows: Callable[[], Iterator[list[Any]]]  # the sheet's rows from the first, each time it is called

    def head(self, n: int) -> list[list[Any]]:
        return [list(r) for r in itertools.islice(self.rows(), n)]


@dataclass
class OfficeFile:
    name: str
    sheets: list[OfficeSheet] = field(default_factory=list)

    def sheet(self, name: str) -> OfficeSheet | None:
        return next((s for s in self.sheets if s.name == name), self.sheets[0] if not name and self.sheets else None)


def _sniff(sample: str) -> str:
    first = sample.splitlines()[0] if sample else ""
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def open_office(path: str | Path, *, name: str = "") -> tuple[OfficeFile, list[Problem]]:
    """The file's sheets (a CSV is one sheet named after the file), bounded before anything parses it."""
    p = Path(path)
    name = name or p.name
    office = OfficeFile(name)
    suffix = Path(name).suffix.lower() or p.suffix.lower()
    try:
        if suffix == ".csv":
            limits.check_csv(p, name)
            with p.open(encoding="utf-8-sig", newline="") as fh:
                delimiter = _sniff(fh.read(64 * 1024))

            def csv_rows() -> Iterator[list[Any]]:
                with p.open(encoding="utf-8-sig", newline="") as fh:
                    try:
                        yield from csv.reader(fh, delimiter=delimiter)
                    except csv.Error:
                        raise CellError(
                            "không đọc được dạng CSV (dấu ngoặc kép không đóng, hoặc ký tự rỗng)."
                        ) from None

            office.sheets.append(OfficeSheet(Path(name).stem, csv_rows))
            return office, []
        if suffix != ".xlsx":
            return office, [Problem("", None, "", "cần một tệp .xlsx hoặc .csv.", name)]
    except limits.TooLarge as e:
        return office, [e.problem]
    except Exception:  # a file that cannot be read at all: the same words as a damaged workbook's
        return office, [Problem("", None, "", "tệp Excel bị hỏng, không đọc được; hãy mở bằng Excel và lưu lại.", name)]
    wb, grids, refused = open_xlsx(p, name)
    if wb is None:
        return office, [refused]  # type: ignore[list-item]
    grid_cells = limits.Limits.from_settings().grid_cells
    problems: list[Problem] = []
    for sheet_name in wb.sheet_names:
        if grids.get(sheet_name, 0) > grid_cells:
            office.sheets.append(
                OfficeSheet(sheet_name, lambda s=sheet_name: _streamed_rows(p, s, name, problems))  # type: ignore[misc]
            )
        else:
            # One grid per sheet, loaded on first use and read again for the preview and the import.
            loaded = functools.cache(lambda s=sheet_name: wb.get_sheet_by_name(s))
            office.sheets.append(OfficeSheet(sheet_name, lambda g=loaded: iter(g().iter_rows())))  # type: ignore[misc]
    return office, problems


# ---------------------------------------------------------------- the mapping


@dataclass
class SheetMapping:
    """Which sheet, what it holds, and field key → column index (0-based). `organization`: the organization of
    every row when the list has no such column (a branch secretary's own list)."""

    sheet: str
    target: str
    columns: dict[str, int]
    organization: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "target": self.target, "columns": self.columns, "organization": self.organization}

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> SheetMapping:
        return cls(
            str(data.get("sheet", "")),
            str(data.get("target", "members")),
            {str(k): int(v) for k, v in dict(data.get("columns") or {}).items()},
            str(data.get("organization", "")),
        )


@dataclass
class Where:
    """The office's names for the places the checks speak of: (format sheet, format header) → (sheet, header)."""

    file: str
    places: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    recognition: dict[str, tuple[str, str]] = field(default_factory=dict)  # format sheet → the recognition's date
    read: bool = False  # every sheet's mapping was accepted and its rows read

    def __call__(self, p: Problem) -> Problem:
        if not p.sheet:
            return Problem("", p.row, p.column, p.message, p.file or self.file)
        sheet, column = self.places.get((p.sheet, p.column), (p.sheet, p.column))
        if p.sheet in self.recognition and p.message.startswith(EVENT_LABELS[EventKind.RECOGNITION]):
            sheet, column = self.recognition[p.sheet]
        return Problem(sheet, p.row, column, p.message, self.file)


def _header_of(header: Header, i: int) -> str:
    text = header.cells[i] if i < len(header.cells) else ""
    return text or f"cột {col_letter(i)}"


def check_mapping(target: Target, header: Header, m: SheetMapping, file: str) -> list[Problem]:
    """The mapping itself: every required field has a column, no column serves two fields, no mapped header is
    written twice (which of the two would be meant?)."""
    out = []
    folded = [fold(c) for c in header.cells]
    by_column: dict[int, str] = {}
    for f in target.fields:
        i = m.columns.get(f.key)
        if i is None:
            if f.required and not (f.key == "organization" and m.organization):
                out.append(Problem(m.sheet, header.row, "", f"chưa chọn cột cho '{f.label}' (bắt buộc).", file))
            continue
        if i < 0 or i >= max(len(header.cells), 1) + 64:
            out.append(Problem(m.sheet, header.row, "", f"cột chọn cho '{f.label}' không có trong sheet.", file))
            continue
        if i in by_column:
            message = f"cột {col_letter(i)} được chọn cho cả '{by_column[i]}' và '{f.label}'."
            out.append(Problem(m.sheet, header.row, _header_of(header, i), message, file))
        by_column[i] = f.label
        if i < len(folded) and folded[i] and folded.count(folded[i]) > 1:
            others = ", ".join(col_letter(j) for j, h in enumerate(folded) if h == folded[i])
            message = f"tiêu đề '{header.cells[i]}' có ở nhiều cột ({others}); đổi tên để mỗi tiêu đề một cột."
            out.append(Problem(m.sheet, header.row, header.cells[i], message, file))
    return out


# ---------------------------------------------------------------- organizations as offices name them


class OrgNames:
    """An organization written by its code or, in an office's list, by its name as it stands today ('Chi bộ Thôn 1'):
    the code, or a CellError naming why (no such unit, several of that name)."""

    def __init__(self) -> None:
        self.known: dict[str, str | CellError] = {}

    def __call__(self, text: str) -> str:
        if not text:
            return ""
        if text not in self.known:
            self.known[text] = self._look_up(text)
        found = self.known[text]
        if isinstance(found, CellError):
            raise found
        return found

    @staticmethod
    def _look_up(text: str) -> str | CellError:
        if Organization.objects.filter(code=text).exists():
            return text
        codes = sorted(
            set(
                OrgVersion.objects.filter(name_folded=fold(text), valid_to=OPEN_END).values_list(
                    "organization__code", flat=True
                )
            )
        )
        if len(codes) == 1:
            return codes[0]
        if codes:
            return CellError(f"có {len(codes)} tổ chức tên '{text}' ({', '.join(codes[:5])}); ghi mã tổ chức.")
        return text  # a code of the file's own, or unknown: the checks say which


# ---------------------------------------------------------------- converting


def _typed(f: Field, raw: Any, orgs: OrgNames) -> Any:
    value = convert(f.column, office_cell(f.column, raw))
    if f.key == "organization" and value:
        value = orgs(value)
    return value


class _Converter:
    """One sheet's rows → typed rows of the format's member and event sheets, spooled."""

    def __init__(self, target: Target, m: SheetMapping, header: Header, sink: dict[str, Callable[[Row | None], None]]):
        self.target, self.m, self.header, self.sink = target, m, header, sink
        # Only the mapped fields are read row by row; the others are blank, read once (check_mapping has made sure
        # no required field is among them, so reading a blank cannot fail).
        self.mapped = [
            (f, m.columns.get(f.key))
            for f in target.fields
            if f.key in m.columns or (f.key == "organization" and m.organization)
        ]
        self.blank = {f.key: convert(f.column, None) for f in target.fields if not any(f is g for g, _ in self.mapped)}
        self.orgs = OrgNames()
        self.member_fields = {c.field: i for i, c in enumerate(MEMBERS.columns)}
        self.event_fields = {c.field: i for i, c in enumerate(MEMBER_EVENTS.columns)}
        self.rows = 0

    def run(self, rows: Iterable[list[Any]], problems: list[Problem], file: str) -> None:
        for number, cells in enumerate(rows, start=self.header.first_data + 1):
            if all(_blank(v) for v in cells):
                continue
            self.rows += 1
            values: dict[str, Any] = dict(self.blank)
            ok = True
            for f, at in self.mapped:
                cell = cells[at] if at is not None and at < len(cells) else None
                if f.key == "organization" and _blank(cell) and self.m.organization:
                    cell = self.m.organization
                try:
                    values[f.key] = _typed(f, cell, self.orgs)
                except CellError as e:
                    where = _header_of(self.header, at) if at is not None else f.label
                    problems.append(Problem(self.m.sheet, number, where, str(e), file))
                    values[f.key] = None
                    ok = False
            if self.target.slug == "members":
                self._member(number, values, ok)
            else:
                cells_out = [values.get(c.field) for c in MEMBER_EVENTS.columns]
                self.sink[MEMBER_EVENTS.slug](Row(number, cells_out, self.event_fields, ok))

    def _event(self, number: int, ok: bool, **values: Any) -> None:
        cells = [values.get(c.field, None if c.kind == DATE else "") for c in MEMBER_EVENTS.columns]
        self.sink[MEMBER_EVENTS.slug](Row(number, cells, self.event_fields, ok))

    def _member(self, number: int, values: dict[str, Any], ok: bool) -> None:
        cells = [values.get(c.field) for c in MEMBERS.columns]
        self.sink[MEMBERS.slug](Row(number, cells, self.member_fields, ok))
        code = values.get("code") or ""
        self._event(
            number,
            ok,
            member=code,
            kind=EventKind.ADMISSION,
            on=values.get("admitted_on"),
            organization=values.get("organization") or "",
            decision_ref=values.get("admission_ref") or "",
            decided_on=values.get("admission_decided_on"),
            ceremony_on=values.get("ceremony_on"),
            category=values.get("category") or "",
        )
        if values.get("recognized_on"):
            self._event(number, ok, member=code, kind=EventKind.RECOGNITION, on=values["recognized_on"])


def _where(where: Where, target: Target, m: SheetMapping, header: Header) -> None:
    def office(key: str) -> str:
        i = m.columns.get(key)
        return _header_of(header, i) if i is not None else target.field(key).label

    if target.slug == "members":
        for c in MEMBERS.columns:
            where.places[(MEMBERS.name, c.header)] = (m.sheet, office(c.field))
        event_fields = {
            "member": "code",
            "on": "admitted_on",
            "organization": "organization",
            "decision_ref": "admission_ref",
            "decided_on": "admission_decided_on",
            "ceremony_on": "ceremony_on",
            "category": "category",
        }
        for c in MEMBER_EVENTS.columns:
            key = event_fields.get(c.field)
            where.places[(MEMBER_EVENTS.name, c.header)] = (m.sheet, office(key) if key else c.header)
        where.recognition[MEMBER_EVENTS.name] = (m.sheet, office("recognized_on"))
    else:
        for c in MEMBER_EVENTS.columns:
            where.places[(MEMBER_EVENTS.name, c.header)] = (m.sheet, office(c.field))


def to_source(office: OfficeFile, mappings: Sequence[SheetMapping]) -> tuple[Source, list[Problem], Where]:
    """The office's mapped sheets as the format's spooled member and event sheets; the problems met (the mapping's
    and every cell's, in the office's words); and the translator for the checks' problems."""
    source = Source(office.name)
    where = Where(office.name)
    problems: list[Problem] = []
    spool = Spool()
    source.spool = spool
    sinks = {
        s.slug: spool.sink(s.slug, {c.field: i for i, c in enumerate(s.columns)}, SPOOLED[s.slug])
        for s in (MEMBERS, MEMBER_EVENTS)
    }
    rows = 0
    refused = not mappings
    for m in mappings:
        target = targets().get(m.target)
        sheet = office.sheet(m.sheet)
        refused = True  # until the sheet's rows are read
        if target is None or sheet is None:
            problems.append(Problem(m.sheet, None, "", "không có sheet này trong tệp.", office.name))
            break
        head = sheet.head(12)
        header = find_header(target, head)
        if header is None:
            problems.append(
                Problem(
                    m.sheet,
                    None,
                    "",
                    "không tìm thấy dòng tiêu đề (cần ít nhất hai cột có tiêu đề như 'Họ và tên', 'Ngày sinh').",
                    office.name,
                )
            )
            break
        mapping_problems = check_mapping(target, header, m, office.name)
        problems.extend(mapping_problems)
        if mapping_problems:
            break
        _where(where, target, m, header)
        conv = _Converter(target, m, header, sinks)
        try:
            conv.run(itertools.islice(sheet.rows(), header.first_data, None), problems, office.name)
        except CellError as e:
            problems.append(Problem(m.sheet, None, "", str(e), office.name))
            break
        rows += conv.rows
        refused = False
    where.read = not refused
    for take in sinks.values():
        take(None)
    source.tables[MEMBERS.slug] = spool.rows(MEMBERS.slug)
    source.tables[MEMBER_EVENTS.slug] = spool.rows(MEMBER_EVENTS.slug)
    if not rows and not problems:
        problems.append(Problem("", None, "", "tệp không có dòng dữ liệu nào dưới dòng tiêu đề.", office.name))
    return source, problems, where


def validate_office(
    path: str | Path, *, name: str = "", mappings: Sequence[SheetMapping], actor: Actor = SYSTEM
) -> tuple[Plan | None, Report, list[Problem]]:
    """Read the office's list through the mapping and run the exchange format's checks; nothing is written."""
    office, problems = open_office(path, name=name)
    if problems:
        return None, Report(office.name), problems
    source, problems, where = to_source(office, mappings)
    if not where.read:  # the mapping itself is refused: no row was read
        source.close()
        return None, Report(office.name), problems
    # Cells that could not be read are reported with every check's findings, as the exchange format's are.
    plan, report, checked = validate_source(source, problems, actor=actor)
    if plan is None:
        source.close()
    return plan, report, [where(p) for p in checked]


def import_office(path: str | Path, *, name: str = "", mappings: Sequence[SheetMapping], actor: Actor) -> Report:
    """Import an office's list whole through the mapping (load.apply: one transaction, one audit entry), or raise
    Refused with every problem and write nothing."""
    plan, report, problems = validate_office(path, name=name, mappings=mappings, actor=actor)
    try:
        if problems or plan is None:
            raise Refused(problems)
        done = apply(plan, report, actor=actor)
    finally:
        if plan is not None:
            plan.close()
    refresh_statistics()
    return done


# ---------------------------------------------------------------- what the mapping page shows


def _shown(v: Any) -> str:
    if v is None:
        return ""
    if hasattr(v, "strftime"):
        return f"{v.day}/{v.month}/{v.year}"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return nfc(str(v)).strip()


def describe(office: OfficeFile) -> list[dict[str, Any]]:
    """Each sheet: the target guessed, its header, the suggestion and a few values under each column (JSON)."""
    out: list[dict[str, Any]] = []
    for s in office.sheets:
        head = s.head(12 + SAMPLE_ROWS * 4)
        slug = guess_target(head)
        target = targets()[slug]
        header = find_header(target, head)
        if header is None:
            out.append({"sheet": s.name, "target": slug, "headers": [], "suggested": {}, "samples": []})
            continue
        data = [r for r in head[header.first_data :] if not all(_blank(v) for v in r)][:SAMPLE_ROWS]
        samples = [[_shown(r[i]) if i < len(r) else "" for r in data] for i in range(len(header.cells))]
        out.append(
            {
                "sheet": s.name,
                "target": slug,
                "headers": header.cells,
                "header_row": header.row,
                "suggested": suggest(target, header.cells),
                "samples": samples,
            }
        )
    return out


def preview(office: OfficeFile, m: SheetMapping, n: int = 10) -> tuple[list[str], list[list[str]]]:
    """The first rows as they will be read: the mapped fields' labels and each row's typed values (or the cell's
    error, in words)."""
    target = targets()[m.target]
    sheet = office.sheet(m.sheet)
    if sheet is None:
        return [], []
    header = find_header(target, sheet.head(12))
    if header is None:
        return [], []
    fields = [f for f in target.fields if f.key in m.columns or (f.key == "organization" and m.organization)]
    orgs = OrgNames()
    rows = []
    for cells in itertools.islice(sheet.rows(), header.first_data, header.first_data + n * 3):
        if all(_blank(v) for v in cells):
            continue
        out = []
        for f in fields:
            at = m.columns.get(f.key)
            cell = cells[at] if at is not None and at < len(cells) else None
            if f.key == "organization" and _blank(cell):
                cell = m.organization
            try:
                v = _typed(f, cell, orgs)
                if f.column.kind == ENUM and v:
                    v = ENUMS[f.column.enum].label(v)
                out.append(_shown(v))
            except CellError as e:
                out.append(f"⚠ {e}")
        rows.append(out)
        if len(rows) >= n:
            break
    return [f.label for f in fields], rows
