"""Export: a subtree as it stood on a date, in the exchange format, closed under its references.

Scope. Start from the organizations in ROOT's subtree on the date (OrgAncestry), then add, until
nothing new turns up: the parents named in their versions, the lineage events (up to the date) they
took part in and those events' other organizations, the members who had a span in one of them on or
before the date, and the organizations and lineage events those members' events (up to the date) name.
A file so closed imports into an empty database and exports again to the same bytes.

What is written is the record up to the date: versions starting after it are left out, an end after
it is written as open (blank); events after it are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dangvu.dbrouting import heavy_reads
from dangvu.domain.errors import RuleError
from dangvu.domain.periods import OPEN_END
from dangvu.domain.vietnamese import fmt_date
from dangvu.members.models import Member, MemberEvent, MembershipSpan
from dangvu.members.services import PROFILE_FIELDS
from dangvu.orgs.models import LineageEvent, LineageLink, Organization, OrgVersion
from dangvu.orgs.queries import subtree_ids, successors

from .check_members import EVENT_ORDER
from .check_orgs import chunks
from .export_work import work_export
from .format import LINEAGE_ABBR, MEMBER_EVENTS, MEMBERS, ORG_EVENTS, ORGS
from .load import EVENT_FIELDS


@dataclass
class Scope:
    orgs: set[int] = field(default_factory=set)
    events: set[int] = field(default_factory=set)  # lineage events
    members: set[int] = field(default_factory=set)
    rounds: int = 0


def scope(root: Organization, on: dt.date, *, orgs: Iterable[int] = (), members: Iterable[int] = ()) -> Scope:
    """The closure; `orgs` and `members` are further starting points (those the work records name)."""
    s = Scope(orgs=set(subtree_ids(root, on)))
    if not s.orgs:
        raise RuleError(_inactive(root, on), field="root")
    s.orgs |= set(orgs)
    s.members = set(members)
    new_orgs, new_events, new_members = set(s.orgs), set[int](), set(s.members)
    while new_orgs or new_events or new_members:
        s.rounds += 1
        orgs, events, members = set[int](), set[int](), set[int]()
        for batch in chunks(sorted(new_orgs)):
            for parent_id, event_id in OrgVersion.objects.filter(
                organization_id__in=batch, valid_from__lte=on
            ).values_list("parent_id", "event_id"):
                if parent_id is not None:
                    orgs.add(parent_id)
                if event_id is not None:
                    events.add(event_id)
            events.update(
                LineageLink.objects.filter(organization_id__in=batch, event__effective_on__lte=on).values_list(
                    "event_id", flat=True
                )
            )
            members.update(
                MembershipSpan.objects.filter(organization_id__in=batch, valid_from__lte=on).values_list(
                    "member_id", flat=True
                )
            )
        for batch in chunks(sorted(new_events)):
            orgs.update(LineageLink.objects.filter(event_id__in=batch).values_list("organization_id", flat=True))
        for batch in chunks(sorted(new_members)):
            for org_id, event_id in MemberEvent.objects.filter(member_id__in=batch, on__lte=on).values_list(
                "organization_id", "lineage_event_id"
            ):
                if org_id is not None:
                    orgs.add(org_id)
                if event_id is not None:
                    events.add(event_id)
        events -= s.events
        # Only events up to the date belong to the record as of the date.
        kept: set[int] = set()
        for batch in chunks(sorted(events)):
            kept.update(LineageEvent.objects.filter(pk__in=batch, effective_on__lte=on).values_list("pk", flat=True))
        new_orgs, new_events, new_members = orgs - s.orgs, kept, members - s.members
        s.orgs |= new_orgs
        s.events |= new_events
        s.members |= new_members
    return s


def _inactive(root: Organization, on: dt.date) -> str:
    msg = f"Tổ chức '{root.code}' không hoạt động vào ngày {fmt_date(on)}"
    first = root.versions.order_by("valid_from").first()
    last = root.versions.order_by("valid_from").last()
    if first is not None and last is not None:
        end = "nay" if last.valid_to == OPEN_END else f"hết {fmt_date(last.valid_to - dt.timedelta(days=1))}"
        msg += f" (hoạt động từ {fmt_date(first.valid_from)} đến {end})"
    later = [o.code for o in successors(root)]
    if later:
        msg += f"; tổ chức kế tục: {', '.join(sorted(later))}"
    return msg + "."


def event_codes(events: list[dict[str, Any]]) -> dict[int, str]:
    """Readable, content-derived codes: <yyyymmdd>-<kind>-<first source, else first target>[-n]."""

    def key(e: dict[str, Any]) -> tuple[Any, ...]:
        return (
            e["effective_on"],
            e["kind"],
            e["sources"],
            e["targets"],
            e["decision_ref"],
            e["decision_on"] or dt.date.min,
            e["note"],
            e["id"],
        )

    seen: Counter[str] = Counter()
    out: dict[int, str] = {}
    for e in sorted(events, key=key):
        first = (e["sources"] or e["targets"] or ["?"])[0]
        base = f"{e['effective_on']:%Y%m%d}-{LINEAGE_ABBR[e['kind']]}-{first}"
        seen[base] += 1
        out[e["id"]] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return out


def _events(ids: set[int]) -> tuple[list[dict[str, Any]], dict[int, str]]:
    rows: dict[int, dict[str, Any]] = {}
    for batch in chunks(sorted(ids)):
        for ev in LineageEvent.objects.filter(pk__in=batch).values(
            "id", "kind", "effective_on", "decision_ref", "decision_on", "note"
        ):
            rows[ev["id"]] = {**ev, "sources": [], "targets": []}
        for event_id, role, code in LineageLink.objects.filter(event_id__in=batch).values_list(
            "event_id", "role", "organization__code"
        ):
            rows[event_id]["sources" if role == LineageLink.Role.SOURCE else "targets"].append(code)
    for e in rows.values():
        e["sources"].sort()
        e["targets"].sort()
    codes = event_codes(list(rows.values()))
    out = [{**e, "code": codes[e["id"]]} for e in rows.values()]
    out.sort(key=lambda e: e["code"])
    return out, codes


def _versions(ids: set[int], on: dt.date, event_code: dict[int, str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for batch in chunks(sorted(ids)):
        for v in OrgVersion.objects.filter(organization_id__in=batch, valid_from__lte=on).values(
            "organization__code", "name", "kind", "sector", "parent__code", "valid_from", "valid_to", "event_id"
        ):
            out.append(
                {
                    "code": v["organization__code"],
                    "name": v["name"],
                    "kind": v["kind"],
                    "sector": v["sector"],
                    "parent": v["parent__code"] or "",
                    "valid_from": v["valid_from"],
                    "valid_to": None if v["valid_to"] > on or v["valid_to"] == OPEN_END else v["valid_to"],
                    "event": event_code.get(v["event_id"], "") if v["event_id"] else "",
                }
            )
    out.sort(key=lambda r: (r["code"], r["valid_from"]))
    return out


Rows = list[dict[str, Any]]


def _members(ids: set[int], on: dt.date, event_code: dict[int, str]) -> tuple[Rows, Rows]:
    members: list[dict[str, Any]] = []
    events: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for batch in chunks(sorted(ids)):
        members.extend(Member.objects.filter(pk__in=batch).values(*PROFILE_FIELDS))
        for e in MemberEvent.objects.filter(member_id__in=batch, on__lte=on).values(
            "id", "member__code", "kind", "on", "organization__code", "lineage_event_id", *EVENT_FIELDS
        ):
            row = {f: e[f] for f in EVENT_FIELDS}
            row.update(
                member=e["member__code"],
                kind=e["kind"],
                on=e["on"],
                organization=e["organization__code"] or "",
                lineage_event=event_code.get(e["lineage_event_id"], "") if e["lineage_event_id"] else "",
            )
            events.append(((e["member__code"], e["on"], EVENT_ORDER[e["kind"]], e["id"]), row))
    members.sort(key=lambda m: m["code"])
    events.sort(key=lambda it: it[0])
    return members, [row for _, row in events]


@dataclass
class Export:
    dataset: dict[str, list[dict[str, Any]]]
    scope: Scope

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.dataset.items()}


@heavy_reads()  # an export reads a whole subtree: the replica when there is one (dangvu/dbrouting.py)
def export_dataset(root_code: str, on: dt.date) -> Export:
    root = Organization.objects.filter(code=root_code).first()
    if root is None:
        raise RuleError(f"Không có tổ chức mã '{root_code}'.", field="root")
    if not subtree_ids(root, on):
        raise RuleError(_inactive(root, on), field="root")
    work = work_export(root.pk, on)
    s = scope(root, on, orgs=work.orgs, members=work.members)
    lineage, codes = _events(s.events)
    members, member_events = _members(s.members, on, codes)
    dataset = {
        ORGS.slug: _versions(s.orgs, on, codes),
        ORG_EVENTS.slug: lineage,
        MEMBERS.slug: members,
        MEMBER_EVENTS.slug: member_events,
        **work.rows,
    }
    return Export(dataset, s)
