"""Validate the organizations sheet (one row per version) and the lineage events. Reads the database for
the organizations the file refers to; writes nothing. Every problem is collected, none stops the others."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from dangvu.domain.orgtree import AncestryBuilder, VersionRow, check_parent
from dangvu.domain.periods import OPEN_END, Period
from dangvu.domain.vietnamese import fmt_date
from dangvu.orgs.models import Organization, OrgVersion

from .format import ORG_EVENTS, ORGS
from .read import Problem, Row

CHUNK = 5000  # ids per IN (...) query: below SQLite's variable limit, small enough for PostgreSQL plans


T = TypeVar("T")


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for it in items:
        batch.append(it)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True)
class Ver:
    """One version of an organization as the checks need it. row is 0 for versions already stored."""

    valid_from: dt.date
    valid_to: dt.date
    kind: str
    name: str
    parent: str = ""
    row: int = 0

    def period(self) -> Period:
        return Period(self.valid_from, self.valid_to)


@dataclass
class Directory:
    """The organizations a file may refer to: the ones it creates and the ones already in the database."""

    file: dict[str, list[Ver]] = field(default_factory=dict)
    db_ids: dict[str, int] = field(default_factory=dict)
    db: dict[str, list[Ver]] = field(default_factory=dict)

    @classmethod
    def build(cls, version_rows: list[Row], refs: set[str]) -> Directory:
        d = cls()
        for r in version_rows:
            if r.ok:
                d.file.setdefault(r["code"], []).append(
                    Ver(r["valid_from"], r["valid_to"] or OPEN_END, r["kind"], r["name"], r["parent"], r.number)
                )
            else:
                d.file.setdefault(r["code"] or "", [])
        for vs in d.file.values():
            vs.sort(key=lambda v: v.valid_from)
        wanted = sorted(c for c in refs if c and c not in d.file)
        for names in chunks(wanted):
            d.db_ids.update(Organization.objects.filter(code__in=names).values_list("code", "pk"))
        by_id = {pk: code for code, pk in d.db_ids.items()}
        for batch in chunks(sorted(by_id)):
            for org_id, start, end, kind, name in OrgVersion.objects.filter(organization_id__in=batch).values_list(
                "organization_id", "valid_from", "valid_to", "kind", "name"
            ):
                d.db.setdefault(by_id[org_id], []).append(Ver(start, end, kind, name))
        for vs in d.db.values():
            vs.sort(key=lambda v: v.valid_from)
        return d

    def known(self, code: str) -> bool:
        return code in self.file or code in self.db_ids

    def versions(self, code: str) -> list[Ver]:
        return self.file.get(code) or self.db.get(code, [])

    def on(self, code: str, day: dt.date) -> Ver | None:
        for v in self.versions(code):
            if v.valid_from <= day < v.valid_to:
                return v
        return None


@dataclass
class OrgPlan:
    codes: list[str]  # organizations to create, sorted
    versions: list[Row]  # in file order
    events: list[Row]  # in file order
    event_codes: set[str]


def unknown_org(code: str) -> str:
    return f"không có tổ chức mã '{code}' trong tệp hay trong cơ sở dữ liệu."


def _fmt_end(d: dt.date) -> str:
    return "nay" if d == OPEN_END else fmt_date(d)


def _gap(versions: list[Ver], period: Period) -> dt.date | None:
    """The first day of `period` no version covers, or None."""
    cursor = period.start
    for v in versions:
        if v.valid_to <= cursor or v.valid_from >= period.end:
            continue
        if v.valid_from > cursor:
            return cursor
        cursor = v.valid_to
        if cursor >= period.end:
            return None
    return cursor if cursor < period.end else None


def _check_versions(code: str, versions: list[Ver], d: Directory, problems: list[Problem]) -> None:
    sheet, col = ORGS.name, ORGS.header_of
    prev: Ver | None = None
    for v in versions:
        if v.valid_to <= v.valid_from:
            problems.append(Problem(sheet, v.row, col("valid_to"), f"phải sau 'Từ ngày' ({fmt_date(v.valid_from)})."))
        if prev is not None and prev.valid_to > v.valid_from:
            problems.append(
                Problem(
                    sheet,
                    v.row,
                    col("valid_from"),
                    f"phiên bản từ {fmt_date(v.valid_from)} của '{code}' chồng lấn với phiên bản ở dòng {prev.row} "
                    f"({fmt_date(prev.valid_from)}–{_fmt_end(prev.valid_to)}).",
                )
            )
        prev = v
        if not v.parent:
            for f in check_parent(v.kind, None, name=v.name):
                problems.append(Problem(sheet, v.row, col("parent"), f"{f.message} ({f.source})"))
            continue
        if v.parent == code:
            problems.append(Problem(sheet, v.row, col("parent"), "một tổ chức không thể trực thuộc chính nó."))
            continue
        if not d.known(v.parent):
            problems.append(Problem(sheet, v.row, col("parent"), unknown_org(v.parent)))
            continue
        parent_versions = d.versions(v.parent)
        if v.valid_to > v.valid_from:
            gap = _gap(parent_versions, v.period())
            if gap is not None:
                problems.append(
                    Problem(
                        sheet,
                        v.row,
                        col("parent"),
                        f"tổ chức cấp trên '{v.parent}' không hoạt động vào ngày {fmt_date(gap)}.",
                    )
                )
        seen: set[str] = set()
        for pv in parent_versions:
            if pv.valid_from < v.valid_to and v.valid_from < pv.valid_to and pv.kind not in seen:
                seen.add(pv.kind)
                for f in check_parent(v.kind, pv.kind, name=v.name, parent_name=pv.name):
                    problems.append(Problem(sheet, v.row, col("parent"), f"{f.message} ({f.source})"))


def _check_cycles(d: Directory, problems: list[Problem]) -> None:
    """AncestryBuilder refuses a loop (the same check rebuild_ancestry makes when writing)."""
    codes = sorted(c for c in d.file if d.file[c])
    ids = {c: i for i, c in enumerate(codes)}
    versions = {
        ids[c]: [
            VersionRow(ids[c], v.period(), ids.get(v.parent), v.kind) for v in d.file[c] if v.valid_from < v.valid_to
        ]
        for c in codes
    }
    reported: set[int] = set()
    builder = AncestryBuilder(versions)
    for code in codes:
        try:
            builder.paths(ids[code])
        except ValueError as e:
            m = re.search(r"#(\d+)", str(e))
            at = int(m[1]) if m else ids[code]
            if at not in reported:
                reported.add(at)
                problems.append(
                    Problem(
                        ORGS.name,
                        d.file[codes[at]][0].row,
                        ORGS.header_of("parent"),
                        f"'{codes[at]}' nằm trong một vòng lặp của cây tổ chức "
                        "(cấp trên của cấp trên … lại là chính nó).",
                    )
                )
            builder = AncestryBuilder(versions)


def _check_events(rows: list[Row], d: Directory, problems: list[Problem]) -> set[str]:
    sheet, col = ORG_EVENTS.name, ORG_EVENTS.header_of
    first: dict[str, int] = {}
    for r in rows:
        code = r["code"]
        if code:
            if code in first:
                problems.append(
                    Problem(sheet, r.number, col("code"), f"mã sự kiện '{code}' bị lặp (đã có ở dòng {first[code]}).")
                )
            else:
                first[code] = r.number
        if not r.ok:
            continue
        if not r["sources"] and not r["targets"]:
            problems.append(
                Problem(
                    sheet, r.number, col("sources"), "cần ít nhất một tổ chức ở 'Tổ chức trước' hoặc 'Tổ chức sau'."
                )
            )
        for name in ("sources", "targets"):
            codes: list[str] = r[name]
            for c in sorted({c for c in codes if codes.count(c) > 1}):
                problems.append(Problem(sheet, r.number, col(name), f"mã tổ chức '{c}' bị lặp."))
            for c in codes:
                if not d.known(c):
                    problems.append(Problem(sheet, r.number, col(name), unknown_org(c)))
    return set(first)


def check_orgs(version_rows: list[Row], event_rows: list[Row], d: Directory, problems: list[Problem]) -> OrgPlan:
    codes = sorted(c for c in d.file if c)
    taken: set[str] = set()
    for batch in chunks(codes):
        taken.update(Organization.objects.filter(code__in=batch).values_list("code", flat=True))
    first_row: dict[str, int] = {}
    for r in version_rows:
        if r["code"]:
            first_row.setdefault(r["code"], r.number)
    for code in sorted(taken):
        problems.append(
            Problem(
                ORGS.name,
                first_row[code],
                ORGS.header_of("code"),
                f"mã tổ chức '{code}' đã có trong cơ sở dữ liệu; tệp nhập chỉ thêm tổ chức mới.",
            )
        )
    for code in codes:
        _check_versions(code, d.file[code], d, problems)
    _check_cycles(d, problems)
    event_codes = _check_events(event_rows, d, problems)
    for r in version_rows:
        if r.ok and r["event"] and r["event"] not in event_codes:
            problems.append(
                Problem(
                    ORGS.name,
                    r.number,
                    ORGS.header_of("event"),
                    f"không có sự kiện mã '{r['event']}' trong sheet '{ORG_EVENTS.name}'.",
                )
            )
    return OrgPlan(codes, version_rows, event_rows, event_codes)


def referenced_codes(version_rows: list[Row], event_rows: list[Row], member_event_rows: Iterable[Row]) -> set[str]:
    refs: set[str] = set()
    for r in version_rows:
        if r.ok and r["parent"]:
            refs.add(r["parent"])
    for r in event_rows:
        if r.ok:
            refs.update(r["sources"])
            refs.update(r["targets"])
    for r in member_event_rows:
        if r.ok and r["organization"]:
            refs.add(r["organization"])
    return refs
