"""Import: parse → validate (pure, every problem collected) → apply in one transaction, or nothing.

Organizations are written as rows (Organization, OrgVersion, LineageEvent and its links) and their
ancestry is rebuilt by orgs.services.rebuild_ancestry; members go through members.services.members_load,
which runs every lifecycle rule again while writing. One audit entry records the import.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction

from dangvu.audit.services import SYSTEM, Actor, audit
from dangvu.db import refresh_statistics
from dangvu.domain.errors import RuleError
from dangvu.domain.periods import OPEN_END
from dangvu.domain.vietnamese import fmt_int, fold
from dangvu.locks import BUSY_MESSAGE, is_busy, serialize
from dangvu.members.models import Member
from dangvu.members.services import members_load
from dangvu.orgs.models import LineageEvent, LineageLink, Organization, OrgVersion
from dangvu.orgs.services import rebuild_ancestry

from .check_members import MemberPlan, check_members, event_order, profile_of
from .check_orgs import Directory, OrgPlan, check_orgs, chunks, referenced_codes
from .check_work import People, WorkPlan, check_keys, check_work, referenced, work_rows
from .format import MEMBER_EVENTS, MEMBERS, ORG_EVENTS, ORGS, SHEETS, Sheet
from .load_work import apply_work
from .read import Problem, Refused, Row, Source, read_source
from .spool import SpooledRows

EVENT_FIELDS = (
    "decision_ref",
    "decided_on",
    "ceremony_on",
    "reviewed_on",
    "until",
    "category",
    "approval_ref",
    "counterpart",
    "note",
)


@dataclass
class Report:
    file: str
    organizations: int = 0
    versions: int = 0
    lineage_events: int = 0
    members: int = 0
    member_events: int = 0
    work: dict[str, int] = field(default_factory=dict)  # work-record rows written, per sheet slug
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "organizations": self.organizations,
            "versions": self.versions,
            "lineage_events": self.lineage_events,
            "members": self.members,
            "member_events": self.member_events,
            **self.work,
        }


@dataclass
class Plan:
    directory: Directory
    orgs: OrgPlan
    members: MemberPlan
    work: WorkPlan
    source: Source | None = None  # holds the spooled member sheets: close() when done with the plan

    def close(self) -> None:
        if self.source is not None:
            self.source.close()


def _sort_key(p: Problem) -> tuple[int, int, int]:
    order = {s.name: i for i, s in enumerate(SHEETS)}
    sheet = next((s for s in SHEETS if s.name == p.sheet), None)
    col = sheet.headers.index(p.column) if sheet and p.column in sheet.headers else 99
    return order.get(p.sheet, -1), p.row or 0, col


def _already_imported(name: str, versions: list[Row], members: SpooledRows) -> Problem | None:
    """A file whose every organization and member is already in the database was imported before: one message
    saying so, rather than one "already present" error per row. (Member codes are counted a batch at a time.)"""
    org_codes = {r["code"] for r in versions if r["code"]}
    if not org_codes and not members:
        return None
    present_orgs = 0
    for batch in chunks(sorted(org_codes)):
        present_orgs += Organization.objects.filter(code__in=batch).count()
    if present_orgs < len(org_codes):
        return None
    n_members = 0
    for codes in members.spool.firsts(members.slug, "code"):
        n_members += len(codes)
        if Member.objects.filter(code__in=list(codes)).count() < len(codes):
            return None
    if not org_codes and not n_members:
        return None
    what = " và ".join(
        part
        for part in (
            f"{fmt_int(len(org_codes))} tổ chức" if org_codes else "",
            f"{fmt_int(n_members)} đảng viên" if n_members else "",
        )
        if part
    )
    return Problem(
        "",
        None,
        "",
        f"tệp đã được nhập trước đây: cả {what} trong tệp đều đã có trong cơ sở dữ liệu, không có gì mới để "
        "nhập. Tệp nhập chỉ thêm tổ chức và đảng viên mới.",
        name,
    )


def validate(path: str | Path, *, name: str = "", actor: Actor = SYSTEM) -> tuple[Plan | None, Report, list[Problem]]:
    """Read and check the whole file without writing. Problems are sorted by sheet, row, column.
    `name` is the file's name as the person knows it (an upload is stored under another); `actor`: who imports
    (identifiers held outside their scope are refused without saying why)."""
    t0 = time.perf_counter()
    source, problems = read_source(path, name=name)
    return validate_source(source, problems, actor=actor, started=t0)


def validate_source(
    source: Source, problems: list[Problem], *, actor: Actor = SYSTEM, started: float | None = None
) -> tuple[Plan | None, Report, list[Problem]]:
    """The checks of `validate` on rows already read: the exchange format's file, or an office's own list converted
    to the format's rows (mapping_read.py). `problems`: those met while reading."""
    t0 = time.perf_counter() if started is None else started
    report = Report(source.name, notes=source.notes)
    if not source.tables and problems:
        return None, report, problems
    versions, events = list(source.rows(ORGS)), list(source.rows(ORG_EVENTS))
    # The member sheets stay on disk (spool.py): one member and their events are in memory at a time.
    members, member_events = source.spooled(MEMBERS), source.spooled(MEMBER_EVENTS)
    work = work_rows(source)
    report.seconds["đọc"] = time.perf_counter() - t0
    if not (versions or events or members or member_events or work) and not problems:
        problems.append(Problem("", None, "", "tệp không có dòng dữ liệu nào."))
    again = _already_imported(source.name, versions, members)
    if again is not None:
        return None, report, [again]
    refs = referenced_codes(versions, events, member_events) | referenced(work, "org")
    directory = Directory.build(versions, refs)
    org_plan = check_orgs(versions, events, directory, problems)
    named = referenced(work, "member")
    member_plan = check_members(
        members, member_events, directory, org_plan.event_codes, problems, actor=actor, keep=named
    )
    people = People.build(members, member_plan, named)
    work_plan = check_work(work, directory, people, problems)
    report.seconds["kiểm tra"] = time.perf_counter() - t0 - report.seconds["đọc"]
    problems.sort(key=_sort_key)
    return Plan(directory, org_plan, member_plan, work_plan, source), report, problems


def _apply_orgs(plan: OrgPlan, directory: Directory, report: Report) -> tuple[dict[str, int], dict[str, int]]:
    """Write organizations, lineage events and versions; returns code → id for organizations and events."""
    created = Organization.objects.bulk_create([Organization(code=c) for c in plan.codes], batch_size=2000)
    org_ids = {**directory.db_ids, **{o.code: o.pk for o in created}}
    events = LineageEvent.objects.bulk_create(
        [
            LineageEvent(
                kind=r["kind"],
                effective_on=r["effective_on"],
                decision_ref=r["decision_ref"],
                decision_on=r["decision_on"],
                note=r["note"],
            )
            for r in plan.events
        ],
        batch_size=2000,
    )
    event_ids = {r["code"]: ev.pk for r, ev in zip(plan.events, events, strict=True)}
    LineageLink.objects.bulk_create(
        [
            LineageLink(event_id=event_ids[r["code"]], organization_id=org_ids[c], role=role)
            for r in plan.events
            for role, name in ((LineageLink.Role.SOURCE, "sources"), (LineageLink.Role.TARGET, "targets"))
            for c in r[name]
        ],
        batch_size=2000,
    )
    OrgVersion.objects.bulk_create(
        [
            OrgVersion(
                organization_id=org_ids[r["code"]],
                valid_from=r["valid_from"],
                valid_to=r["valid_to"] or OPEN_END,
                name=r["name"],
                name_folded=fold(r["name"]),
                parent_id=org_ids[r["parent"]] if r["parent"] else None,
                kind=r["kind"],
                sector=r["sector"] or "other",
                event_id=event_ids[r["event"]] if r["event"] else None,
            )
            for r in sorted(plan.versions, key=lambda r: (r["code"], r["valid_from"]))
        ],
        batch_size=2000,
    )
    try:
        rebuild_ancestry(o.pk for o in created)
    except ValueError as e:  # a loop the checks missed: refuse rather than write a broken tree
        raise Refused([Problem(ORGS.name, None, ORGS.header_of("parent"), str(e))]) from None
    report.organizations, report.versions, report.lineage_events = len(created), len(plan.versions), len(events)
    return org_ids, event_ids


# Members are checked and written this many at a time, all in the import's one transaction: only one batch of
# model instances is in memory (a province's 200.000 at once took over a gigabyte).
MEMBER_BATCH = 2000


def _member_row(
    member: Row, events: list[Row], org_ids: dict[str, int], event_ids: dict[str, int]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    evs = []
    # File order within a member's events, sorted as derive() reads them: stored ids then follow that order.
    for r in sorted(events, key=event_order):
        e = {f: r[f] for f in EVENT_FIELDS}
        e.update(
            kind=r["kind"],
            on=r["on"],
            organization_id=org_ids[r["organization"]] if r["organization"] else None,
            lineage_event_id=event_ids.get(r["lineage_event"]) if r["lineage_event"] else None,
        )
        evs.append(e)
    return profile_of(member), evs


def _batches(pairs: Iterator[tuple[Row, list[Row]]], size: int) -> Iterator[list[tuple[Row, list[Row]]]]:
    batch: list[tuple[Row, list[Row]]] = []
    for pair in pairs:
        batch.append(pair)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Undo(Exception):
    pass


def _locate(rows: list[tuple[dict[str, Any], list[dict[str, Any]]]], members: list[Row], error: RuleError) -> Problem:
    """members_load stops at its first bad row without saying which: load them one by one, each in a savepoint
    rolled back, to name the row. Only on this (unexpected) path: the checks run the same rules beforehand."""
    for member, row in zip(members, rows, strict=True):
        try:
            with transaction.atomic():
                members_load([row], actor=Actor("kiểm tra"))
                raise _Undo
        except _Undo:
            continue
        except RuleError as e:
            return Problem(MEMBERS.name, member.number, MEMBERS.header_of(e.field), str(e))
    return Problem(MEMBERS.name, None, "", str(error))


# The named lock an import's writing takes (dangvu.locks.serialize): two imports write one after the other, and
# each checks again, under it, what another may have stored since its own checks ran.
IMPORT_LOCK = "imports:apply"
# A constraint of the database refused a row the checks had passed (another session wrote the same code first).
IMPORT_CONFLICT = (
    "một phiên làm việc khác vừa ghi cùng mã tổ chức, mã đảng viên, số CCCD, số thẻ hoặc bản ghi; tệp chưa được "
    "nhập, xin kiểm tra lại rồi nhập lại."
)


def _written_meanwhile(plan: Plan) -> list[Problem]:
    """What the file would add that is stored by now (an import that finished after this file's checks): its
    organizations' and members' codes, its work records' keys or, for records without one, the same record in
    every column. The checks' own words and places. (Members' identifiers: members_load, under its own lock.)"""
    problems: list[Problem] = []
    new_orgs = set(plan.orgs.codes)
    first: dict[str, int] = {}
    for r in plan.orgs.versions:
        if r["code"] in new_orgs:
            first.setdefault(r["code"], r.number)
    for batch in chunks(sorted(first)):
        for code in sorted(Organization.objects.filter(code__in=batch).values_list("code", flat=True)):
            problems.append(_stored(ORGS, first[code], code, "tổ chức"))
    members = plan.members.members
    for firsts in members.spool.firsts(members.slug, "code"):
        for code in sorted(Member.objects.filter(code__in=list(firsts)).values_list("code", flat=True)):
            problems.append(_stored(MEMBERS, firsts[code], code, "đảng viên"))
    check_keys(plan.work.rows, problems)
    return problems


def _stored(sheet: Sheet, row: int, code: str, what: str) -> Problem:
    return Problem(
        sheet.name,
        row,
        sheet.header_of("code"),
        f"mã {what} '{code}' đã có trong cơ sở dữ liệu; tệp nhập chỉ thêm {what} mới.",
    )


def apply(plan: Plan, report: Report, *, actor: Actor) -> Report:
    """Write the checked plan in one transaction, or nothing: Refused if what it would write was stored
    meanwhile, or the database is busy."""
    try:
        return _apply(plan, report, actor=actor)
    except IntegrityError:
        raise Refused([Problem("", None, "", IMPORT_CONFLICT)]) from None
    except DatabaseError as e:
        if is_busy(e):
            raise Refused([Problem("", None, "", BUSY_MESSAGE)]) from None
        raise


def _apply(plan: Plan, report: Report, *, actor: Actor) -> Report:
    t0 = time.perf_counter()
    with transaction.atomic():
        serialize(IMPORT_LOCK)
        again = _written_meanwhile(plan)
        if again:
            raise Refused(sorted(again, key=_sort_key))
        org_ids, event_ids = _apply_orgs(plan.orgs, plan.directory, report)
        report.seconds["ghi tổ chức"] = time.perf_counter() - t0
        for batch in _batches(plan.members.pairs(), MEMBER_BATCH):
            rows = [_member_row(m, evs, org_ids, event_ids) for m, evs in batch]
            try:
                members_load(rows, actor=actor)
            except RuleError as e:
                raise Refused([_locate(rows, [m for m, _ in batch], e)]) from None
            report.members += len(rows)
            report.member_events += sum(len(evs) for _, evs in rows)
        t1 = time.perf_counter()
        report.work = apply_work(plan.work, org_ids, actor=actor)
        report.seconds["ghi công tác đảng"] = time.perf_counter() - t1
        audit(
            actor=actor,
            action="import",
            object_type="file",
            object_id=report.file,
            after={"file": report.file, **report.counts()},
        )
    report.seconds["ghi đảng viên"] = (
        time.perf_counter() - t0 - report.seconds["ghi tổ chức"] - report.seconds.get("ghi công tác đảng", 0)
    )
    return report


def import_path(path: str | Path, *, actor: Actor, name: str = "") -> Report:
    """Import a workbook or CSV directory whole, or raise Refused with every problem and write nothing."""
    plan, report, problems = validate(path, name=name, actor=actor)
    try:
        if problems or plan is None:
            raise Refused(problems)
        done = apply(plan, report, actor=actor)
    except DatabaseError as e:
        raise Refused([Problem("", None, "", f"cơ sở dữ liệu từ chối ghi: {e}")]) from None
    finally:
        if plan is not None:
            plan.close()
    refresh_statistics()
    return done
