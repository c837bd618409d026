"""Export of the work records: those whose organization was inside ROOT's subtree on the record's own date
(for a member's record: the member's unit on that date), dated up to the as-of date.

A record's date is its sheet's `date` field (format.py); a record of a year or a term (plans, programmes,
targets) counts when its organization was in the subtree on some day of that period up to the date. What a
selected record names joins the export: documents it refers to (and what they implement, transitively),
programmes of selected targets, and the organizations and members it names, which export.scope then closes
over like any other. As of the date, later facts are left blank: a conclusion, an end of office, a vote.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from dangvu.domain.membership import ENTRIES
from dangvu.domain.periods import Period
from dangvu.members.models import MemberEvent, MembershipSpan
from dangvu.orgs.models import OrgAncestry
from dangvu.targets.models import ProgrammeItem, Target, TermProgramme
from dangvu.work.models import Candidate, Document, StudySession, TrainingClass

from .check_orgs import chunks
from .check_work import document_ref
from .format import (
    BADGES,
    CANDIDATES,
    CODES,
    COMMENDATIONS,
    DISCIPLINES,
    DOCUMENTS,
    INSPECTIONS,
    PETITIONS,
    PLANS,
    PROGRAMME_ITEMS,
    PROGRAMMES,
    STUDY,
    TARGETS,
    TRAINING,
    WORK_SHEETS,
    Sheet,
)

Rows = list[dict[str, Any]]
# Sheets whose record may be a member's rather than an organization's (then the member's unit decides).
_MEMBER_SUBJECT = {DISCIPLINES.slug, COMMENDATIONS.slug, BADGES.slug}
# Sheets of a year or a term: (first year field, last year field).
_YEARS = {
    PROGRAMMES.slug: ("first_year", "last_year"),
    TARGETS.slug: ("first_year", "last_year"),
    PLANS.slug: ("year", "year"),
}


@dataclass
class Subtree:
    """When each organization, and each member's unit, was inside root's subtree (up to the date)."""

    on: dt.date
    orgs: dict[int, list[Period]] = field(default_factory=dict)
    spans: dict[int, list[tuple[int, Period]]] = field(default_factory=dict)

    @classmethod
    def of(cls, root_id: int, on: dt.date) -> Subtree:
        s = cls(on)
        for org_id, start, end in OrgAncestry.objects.filter(ancestor_id=root_id, valid_from__lte=on).values_list(
            "organization_id", "valid_from", "valid_to"
        ):
            s.orgs.setdefault(org_id, []).append(Period(start, end))
        for batch in chunks(sorted(s.orgs)):
            for member_id, org_id, start, end in MembershipSpan.objects.filter(
                organization_id__in=batch, valid_from__lte=on
            ).values_list("member_id", "organization_id", "valid_from", "valid_to"):
                s.spans.setdefault(member_id, []).append((org_id, Period(start, end)))
        return s

    def org_on(self, org_id: int | None, day: dt.date) -> bool:
        return org_id is not None and any(p.contains(day) for p in self.orgs.get(org_id, ()))

    def org_during(self, org_id: int, start: dt.date, end: dt.date) -> bool:
        return any(p.start <= end and start < p.end for p in self.orgs.get(org_id, ()))

    def member_on(self, member_id: int | None, day: dt.date) -> bool:
        spans = self.spans.get(member_id, ()) if member_id is not None else ()
        return any(p.contains(day) and self.org_on(org, day) for org, p in spans)


@dataclass
class WorkExport:
    rows: dict[str, Rows] = field(default_factory=dict)
    orgs: set[int] = field(default_factory=set)  # organizations and members the records name
    members: set[int] = field(default_factory=set)


def _lookups(sheet: Sheet) -> dict[str, str | tuple[str, ...]]:
    """Column field -> the value (or values) to fetch for it; CODES columns are fetched separately."""
    assert sheet.model is not None
    names = {f.name for f in sheet.model._meta.get_fields()}
    out: dict[str, str | tuple[str, ...]] = {}
    for col in sheet.columns:
        if col.kind == CODES:
            continue
        if col.ref == "programme":
            out[col.field] = "programme__term"
        elif col.ref in ("org", "member"):
            out[col.field] = f"{col.field}__code" if col.field in names else f"programme__{col.field}__code"
        elif col.ref == "document":
            f = col.field
            out[f] = (f"{f}__issuer", f"{f}__type", f"{f}__number", f"{f}__term", f"{f}__organization__code")
        else:
            out[col.field] = col.field
    return out


def _fetch(sheet: Sheet, qs: models.QuerySet[Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(raw values with ids, row of written fields) for each record of the query."""
    lookups = _lookups(sheet)
    flat = sorted({x for v in lookups.values() for x in (v if isinstance(v, tuple) else (v,))})
    assert sheet.model is not None
    names = {f.name for f in sheet.model._meta.get_fields()}
    ids = [f"{c.field}_id" for c in sheet.columns if c.ref and c.field in names and c.kind != CODES]
    out = []
    for raw in qs.values("id", *ids, *flat):
        row: dict[str, Any] = {}
        for name, lk in lookups.items():
            if isinstance(lk, tuple):
                key = tuple(raw[x] for x in lk)
                row[name] = document_ref((*key[:4], key[4] or "")) if key[0] is not None else ""  # type: ignore[arg-type]
            else:
                v = raw[lk]
                row[name] = "" if (v is None and lk.endswith("__code")) or (v is None and lk.endswith("__term")) else v
        out.append((raw, row))
    return out


def _in_scope(sheet: Sheet, raw: dict[str, Any], sub: Subtree) -> bool:
    on = sub.on
    if sheet.slug in _YEARS:
        a, b = _YEARS[sheet.slug]
        start, end = dt.date(raw[a], 1, 1), min(dt.date(raw[b], 12, 31), on)
        return start <= on and sub.org_during(raw["organization_id"], start, end)
    if sheet is CANDIDATES:
        day = raw["awareness_course_on"] or raw["branch_vote_on"] or on
    else:
        day = raw[sheet.date] or on  # a succession plan not yet approved: as of the date
    if day > on:
        return False
    if sheet.slug in _MEMBER_SUBJECT and raw.get("member_id") is not None:
        return sub.member_on(raw["member_id"], day)
    return sub.org_on(raw["organization_id"], day)


def _as_of(sheet: Sheet, row: dict[str, Any], on: dt.date) -> None:
    """Blank what happened after the date."""
    late = [k for k, v in row.items() if isinstance(v, dt.date) and v > on]
    for k in late:
        row[k] = None
    if sheet is INSPECTIONS and "concluded_on" in late:
        row["conclusion"], row["violation_found"] = "", False
    if sheet is PETITIONS and "concluded_on" in late:
        row["outcome"] = ""
    if sheet is CANDIDATES and "branch_vote_on" in late:
        row["stage"], row["member"] = Candidate.Stage.PREPARING, ""


def _sortable(v: Any) -> tuple[int, Any]:
    if v is None or v == "":
        return (0, "")
    if isinstance(v, list):
        return (1, "; ".join(v))
    return (1, v)


def _sorted(sheet: Sheet, rows: Iterable[dict[str, Any]]) -> Rows:
    return sorted(rows, key=lambda r: tuple(_sortable(r.get(c.field)) for c in sheet.columns))


def _documents(wanted: set[int], picked: dict[int, tuple[dict[str, Any], dict[str, Any]]], on: dt.date) -> None:
    """Add the documents named (and what they implement, transitively) to `picked`; only those issued by the
    date: a link to a later one is not yet part of the record."""
    todo = wanted - set(picked)
    while todo:
        found = set()
        for batch in chunks(sorted(todo)):
            for raw, row in _fetch(DOCUMENTS, Document.objects.filter(pk__in=batch, issued_on__lte=on)):
                picked[raw["id"]] = (raw, row)
                found.add(raw["id"])
        links = Document.implements.through.objects.filter(from_document_id__in=found).values_list(
            "to_document_id", flat=True
        )
        todo = set(links) - set(picked)


def work_export(root_id: int, on: dt.date) -> WorkExport:
    sub = Subtree.of(root_id, on)
    out = WorkExport()
    org_ids = sorted(sub.orgs)
    member_ids = sorted(sub.spans)
    picked: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for sheet in WORK_SHEETS:
        if sheet is PROGRAMME_ITEMS:
            continue
        assert sheet.model is not None
        manager = sheet.model._default_manager
        batches = [] if sheet is BADGES else [manager.filter(organization_id__in=b) for b in chunks(org_ids)]
        if sheet is BADGES:
            batches += [manager.filter(member_id__in=b) for b in chunks(member_ids)]
        elif sheet.slug in _MEMBER_SUBJECT:
            batches += [manager.filter(member_id__in=b, organization_id__isnull=True) for b in chunks(member_ids)]
        for qs in batches:
            picked[sheet.slug] += [(raw, row) for raw, row in _fetch(sheet, qs) if _in_scope(sheet, raw, sub)]
    # A candidate admitted after the date is, as of the date, still voted.
    admitted = {raw["member_id"] for raw, _ in picked[CANDIDATES.slug] if raw["member_id"]}
    admitted &= set(
        MemberEvent.objects.filter(member_id__in=admitted, kind__in=ENTRIES, on__lte=on).values_list(
            "member_id", flat=True
        )
    )
    for raw, row in picked[CANDIDATES.slug]:
        late = raw["member_id"] and raw["member_id"] not in admitted
        if late or (row["stage"] == Candidate.Stage.ADMITTED and not raw["member_id"]):  # or the member was deleted
            raw["member_id"], row["member"], row["stage"] = None, "", Candidate.Stage.VOTED
    # What the selected records name.
    docs = {raw["id"]: (raw, row) for raw, row in picked[DOCUMENTS.slug]}
    named = {raw["document_id"] for raw, _ in picked[STUDY.slug] if raw.get("document_id")}
    programmes = {raw["id"]: (raw, row) for raw, row in picked[PROGRAMMES.slug]}
    wanted_programmes = {
        t
        for t in Target.objects.filter(pk__in=[raw["id"] for raw, _ in picked[TARGETS.slug]]).values_list(
            "programme_id", flat=True
        )
        if t is not None
    } - set(programmes)
    for raw, row in _fetch(PROGRAMMES, TermProgramme.objects.filter(pk__in=wanted_programmes)):
        programmes[raw["id"]] = (raw, row)
    picked[PROGRAMMES.slug] = list(programmes.values())
    named |= set(
        TermProgramme.objects.filter(pk__in=list(programmes), resolution__isnull=False).values_list(
            "resolution_id", flat=True
        )
    )
    named |= set(
        Document.implements.through.objects.filter(from_document_id__in=list(docs)).values_list(
            "to_document_id", flat=True
        )
    )
    _documents(named, docs, on)
    picked[DOCUMENTS.slug] = list(docs.values())
    picked[PROGRAMME_ITEMS.slug] = _fetch(PROGRAMME_ITEMS, ProgrammeItem.objects.filter(programme_id__in=programmes))
    # Lists: what each document implements, who attended each class.
    lists: dict[tuple[str, int], list[str]] = defaultdict(list)
    for from_id, key in Document.implements.through.objects.filter(from_document_id__in=list(docs)).values_list(
        "from_document_id", "to_document_id"
    ):
        if key not in docs:
            continue
        raw = docs[key][0]
        written = docs[key][1]
        lists[(DOCUMENTS.slug, from_id)].append(
            document_ref((raw["issuer"], raw["type"], raw["number"], raw["term"], written["organization"] or ""))
        )
    attendee_ids: set[int] = set()
    for sheet, model in ((TRAINING, TrainingClass), (STUDY, StudySession)):
        owner = f"{model._meta.model_name}_id"
        for batch in chunks([raw["id"] for raw, _ in picked[sheet.slug]]):
            for owner_id, member_id, code in model.attendees.through.objects.filter(
                **{f"{owner}__in": batch}
            ).values_list(owner, "member_id", "member__code"):
                lists[(sheet.slug, owner_id)].append(code)
                attendee_ids.add(member_id)
    out.members |= attendee_ids
    for sheet in WORK_SHEETS:
        rows = []
        for raw, row in picked[sheet.slug]:
            for col in sheet.columns:
                if col.kind == CODES:
                    row[col.field] = sorted(lists.get((sheet.slug, raw["id"]), []))
                elif col.ref == "org" and raw.get(f"{col.field}_id"):
                    out.orgs.add(raw[f"{col.field}_id"])
                elif col.ref == "member" and raw.get(f"{col.field}_id"):
                    out.members.add(raw[f"{col.field}_id"])
            for col in sheet.columns:
                if col.ref == "document" and col.kind != CODES and raw.get(f"{col.field}_id") not in docs:
                    row[col.field] = ""  # a document issued after the date
            _as_of(sheet, row, on)
            rows.append(row)
        out.rows[sheet.slug] = _sorted(sheet, rows)
    return out
