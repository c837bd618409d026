"""Changes to the map of organizations. One service per change, one transaction, one audit entry.

A change never edits the past: it closes the version valid on the effective date and opens a
new one, records a LineageEvent with its deciding document, and rebuilds the derived ancestry
of the organizations it touched.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction

from dangvu.audit.services import Actor, audit, snapshot
from dangvu.domain.errors import RuleError
from dangvu.domain.orgtree import (
    AncestryBuilder,
    LineageKind,
    VersionRow,
    check_parent,
)
from dangvu.domain.periods import OPEN_END, Period
from dangvu.domain.vietnamese import fmt_date, fold, nfc

from .models import LineageEvent, LineageLink, OrgAncestry, Organization, OrgVersion, valid_on


@dataclass(frozen=True)
class Decision:
    """The deciding document of a change: '321-QĐ/TW' and its date."""

    ref: str = ""
    on: dt.date | None = None


@dataclass(frozen=True)
class NewOrg:
    """What a merge or split creates."""

    code: str
    name: str
    kind: str
    sector: str


# ---------------------------------------------------------------- helpers


def _current(org: Organization, on: dt.date) -> OrgVersion:
    v = OrgVersion.objects.select_related("organization").filter(valid_on(on), organization=org).first()
    if v is None:
        raise RuleError(f"Tổ chức '{org.code}' không hoạt động vào ngày {fmt_date(on)}.", field="organization")
    return v


def _check_placement(
    *, org: Organization | None, name: str, kind: str, parent: Organization | None, on: dt.date
) -> None:
    parent_v = _current(parent, on) if parent is not None else None
    problems = check_parent(
        kind, parent_v.kind if parent_v else None, name=name, parent_name=parent_v.name if parent_v else ""
    )
    if problems:
        raise RuleError(problems[0].message, field="parent", source=problems[0].source)
    if org is not None and parent is not None:
        if parent.pk == org.pk or OrgAncestry.objects.on(on).filter(organization=parent, ancestor=org).exists():
            raise RuleError(
                f"Không thể đặt '{name}' dưới '{parent_v.name if parent_v else parent.code}': "
                "tạo thành vòng lặp trong cây tổ chức.",
                field="parent",
            )


def _event(
    kind: str,
    on: dt.date,
    decision: Decision,
    note: str = "",
    sources: Iterable[Organization] = (),
    targets: Iterable[Organization] = (),
) -> LineageEvent:
    ev = LineageEvent.objects.create(
        kind=kind, effective_on=on, decision_ref=nfc(decision.ref), decision_on=decision.on, note=note
    )
    LineageLink.objects.bulk_create(
        [LineageLink(event=ev, organization=o, role=LineageLink.Role.SOURCE) for o in sources]
        + [LineageLink(event=ev, organization=o, role=LineageLink.Role.TARGET) for o in targets]
    )
    return ev


def _new_version(org: Organization, on: dt.date, event: LineageEvent, **changes: object) -> OrgVersion:
    """Close the version valid on `on` and open one with `changes` applied."""
    cur = _current(org, on)
    if OrgVersion.objects.filter(organization=org, valid_from__gt=on).exists():
        raise RuleError(
            f"'{cur.name}' đã có thay đổi sau ngày {fmt_date(on)}; hãy ghi các thay đổi theo thứ tự thời gian.",
            field="on",
        )
    fields: dict[str, object] = {"name": cur.name, "parent_id": cur.parent_id, "kind": cur.kind, "sector": cur.sector}
    fields.update(changes)
    fields["name"] = nfc(str(fields["name"]))
    if cur.valid_from == on:  # a second change on the same day amends that day's version
        for k, v in fields.items():
            setattr(cur, k, v)
        cur.name_folded, cur.event = fold(cur.name), event
        cur.save()
        return cur
    cur.valid_to = on
    cur.save(update_fields=["valid_to"])
    return OrgVersion.objects.create(
        organization=org, valid_from=on, event=event, name_folded=fold(str(fields["name"])), **fields
    )


def _close(org: Organization, on: dt.date) -> OrgVersion:
    cur = _current(org, on)
    if cur.valid_from >= on:
        raise RuleError(
            f"'{cur.name}' bắt đầu từ {fmt_date(cur.valid_from)}, không thể kết thúc ngày {fmt_date(on)}.", field="on"
        )
    cur.valid_to = on
    cur.save(update_fields=["valid_to"])
    return cur


def _children_on(orgs: Sequence[Organization], on: dt.date) -> list[OrgVersion]:
    return list(OrgVersion.objects.filter(valid_on(on), parent__in=orgs).select_related("organization"))


def _members_on(orgs: Sequence[Organization], on: dt.date) -> list[int]:
    from dangvu.members.models import MembershipSpan

    return list(MembershipSpan.objects.on(on).filter(organization__in=orgs).values_list("member_id", flat=True))


def _relocate(member_ids: Iterable[int], to: Organization, on: dt.date, event: LineageEvent, actor: Actor) -> None:
    from dangvu.members.services import member_transfer_in

    for member_id in member_ids:
        member_transfer_in(
            member=member_id,
            to=to,
            on=on,
            actor=actor,
            lineage_event=event,
            decision_ref=event.decision_ref,
            decided_on=event.decision_on,
            audit_it=False,
        )


def rebuild_ancestry(org_ids: Iterable[int]) -> int:
    """Recompute OrgAncestry for these organizations and everything ever below them."""
    affected = set(org_ids)
    frontier = set(affected)
    while frontier:
        kids = set(OrgVersion.objects.filter(parent_id__in=frontier).values_list("organization_id", flat=True))
        frontier = kids - affected
        affected |= frontier
    versions: dict[int, list[VersionRow]] = defaultdict(list)
    to_load = set(affected)
    while to_load:
        parents: set[int] = set()
        for v in OrgVersion.objects.filter(organization_id__in=to_load).values_list(
            "organization_id", "valid_from", "valid_to", "parent_id", "kind"
        ):
            versions[v[0]].append(VersionRow(v[0], Period(v[1], v[2]), v[3], v[4]))
            if v[3] is not None and v[3] not in versions and v[3] not in to_load:
                parents.add(v[3])
        to_load = parents - set(versions)
    rows = [
        OrgAncestry(
            organization_id=r.org_id,
            ancestor_id=r.ancestor_id,
            depth=r.depth,
            ancestor_kind=r.ancestor_kind,
            valid_from=r.period.start,
            valid_to=r.period.end,
        )
        for r in AncestryBuilder(versions).rows(sorted(affected))
    ]
    OrgAncestry.objects.filter(organization_id__in=affected).delete()
    OrgAncestry.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# ---------------------------------------------------------------- services


@transaction.atomic
def org_establish(
    *,
    code: str,
    name: str,
    kind: str,
    sector: str,
    parent: Organization | None,
    on: dt.date,
    actor: Actor,
    decision: Decision = Decision(),
) -> Organization:
    code, name = nfc(code), nfc(name)
    if not code or not name:
        raise RuleError("Thiếu mã hoặc tên tổ chức.", field="code")
    if Organization.objects.filter(code=code).exists():
        raise RuleError(f"Mã tổ chức '{code}' đã được dùng.", field="code")
    _check_placement(org=None, name=name, kind=kind, parent=parent, on=on)
    org = Organization.objects.create(code=code)
    ev = _event(LineageKind.ESTABLISHED, on, decision, targets=[org])
    v = OrgVersion.objects.create(
        organization=org,
        valid_from=on,
        valid_to=OPEN_END,
        name=name,
        name_folded=fold(name),
        parent=parent,
        kind=kind,
        sector=sector,
        event=ev,
    )
    rebuild_ancestry([org.pk])
    audit(actor=actor, action="org_establish", obj=org, after=snapshot(v))
    return org


@transaction.atomic
def org_rename(
    *, org: Organization, name: str, on: dt.date, actor: Actor, decision: Decision = Decision()
) -> OrgVersion:
    before = snapshot(_current(org, on))
    ev = _event(LineageKind.RENAMED, on, decision, sources=[org], targets=[org])
    v = _new_version(org, on, ev, name=name)
    audit(actor=actor, action="org_rename", obj=org, before=before, after=snapshot(v))
    return v


@transaction.atomic
def org_reclassify(
    *,
    org: Organization,
    on: dt.date,
    actor: Actor,
    kind: str | None = None,
    sector: str | None = None,
    name: str | None = None,
    decision: Decision = Decision(),
) -> OrgVersion:
    """A change of kind or sector (a chi bộ cơ sở that grew into a đảng bộ cơ sở), recorded as a rename."""
    cur = _current(org, on)
    before = snapshot(cur)
    new_kind = kind or cur.kind
    parent = cur.parent
    _check_placement(org=org, name=name or cur.name, kind=new_kind, parent=parent, on=on)
    for child in _children_on([org], on):
        problems = check_parent(child.kind, new_kind, name=child.name, parent_name=name or cur.name)
        if problems:
            raise RuleError(problems[0].message, field="kind", source=problems[0].source)
    ev = _event(LineageKind.RENAMED, on, decision, sources=[org], targets=[org])
    v = _new_version(org, on, ev, kind=new_kind, sector=sector or cur.sector, name=name or cur.name)
    rebuild_ancestry([org.pk])
    audit(actor=actor, action="org_reclassify", obj=org, before=before, after=snapshot(v))
    return v


@transaction.atomic
def org_move(
    *,
    org: Organization,
    parent: Organization | None,
    on: dt.date,
    actor: Actor,
    decision: Decision = Decision(),
    event: LineageEvent | None = None,
) -> OrgVersion:
    cur = _current(org, on)
    before = snapshot(cur)
    _check_placement(org=org, name=cur.name, kind=cur.kind, parent=parent, on=on)
    ev = event or _event(LineageKind.MOVED, on, decision, sources=[org], targets=[org])
    v = _new_version(org, on, ev, parent_id=parent.pk if parent else None)
    rebuild_ancestry([org.pk])
    audit(actor=actor, action="org_move", obj=org, before=before, after=snapshot(v))
    return v


@transaction.atomic
def org_merge(
    *,
    sources: Sequence[Organization],
    new: NewOrg,
    parent: Organization | None,
    on: dt.date,
    actor: Actor,
    decision: Decision = Decision(),
) -> Organization:
    """Hợp nhất: A + B → C. C is established; A and B end; their sub-units move under C and the members
    attached directly to A or B transfer to C."""
    if len(sources) < 2:
        raise RuleError("Hợp nhất cần ít nhất hai tổ chức.", field="sources")
    return _combine(LineageKind.MERGED, sources, new=new, parent=parent, on=on, actor=actor, decision=decision)


@transaction.atomic
def org_absorb(
    *, source: Organization, into: Organization, on: dt.date, actor: Actor, decision: Decision = Decision()
) -> Organization:
    """Sáp nhập: B into A. B ends; its sub-units move under A and its direct members transfer to A."""
    return _combine(LineageKind.ABSORBED, [source], into=into, on=on, actor=actor, decision=decision)


def _combine(
    kind: str,
    sources: Sequence[Organization],
    *,
    on: dt.date,
    actor: Actor,
    decision: Decision,
    new: NewOrg | None = None,
    parent: Organization | None = None,
    into: Organization | None = None,
) -> Organization:
    befores = {s.pk: snapshot(_current(s, on)) for s in sources}
    if new is not None:
        target = org_establish(
            code=new.code,
            name=new.name,
            kind=new.kind,
            sector=new.sector,
            parent=parent,
            on=on,
            actor=actor,
            decision=decision,
        )
    else:
        assert into is not None
        target = into
        _current(into, on)
    ev = _event(kind, on, decision, sources=sources, targets=[target])
    children = _children_on(sources, on)
    members = _members_on(sources, on)
    for s in sources:
        _close(s, on)
    target_kind = _current(target, on).kind
    for child in children:
        problems = check_parent(child.kind, target_kind, name=child.name, parent_name=_current(target, on).name)
        if problems:
            raise RuleError(problems[0].message, field="parent", source=problems[0].source)
        _new_version(child.organization, on, ev, parent_id=target.pk)
    _relocate(members, target, on, ev, actor)
    rebuild_ancestry([s.pk for s in sources] + [c.organization_id for c in children] + [target.pk])
    audit(
        actor=actor,
        action=f"org_{kind}",
        object_type="orgs.lineageevent",
        object_id=ev.pk,
        before=befores,
        after={"target": target.code, "sub_units": [c.organization.code for c in children], "members": len(members)},
    )
    return target


@transaction.atomic
def org_split(
    *,
    source: Organization,
    parts: Sequence[NewOrg],
    parent: Organization | None,
    on: dt.date,
    allocation: Mapping[str, str],
    actor: Actor,
    decision: Decision = Decision(),
) -> list[Organization]:
    """Chia tách: A → B, C. `allocation` maps each sub-unit code and each member id ("m:<id>") attached
    directly to A onto the code of the part it goes to; anything left unallocated is refused."""
    before = snapshot(_current(source, on))
    children = _children_on([source], on)
    members = _members_on([source], on)
    keys = [c.organization.code for c in children] + [f"m:{m}" for m in members]
    missing = [k for k in keys if k not in allocation]
    if missing:
        raise RuleError("Chia tách: chưa chỉ định nơi chuyển đến cho " + ", ".join(missing[:10]), field="allocation")
    created = [
        org_establish(
            code=p.code, name=p.name, kind=p.kind, sector=p.sector, parent=parent, on=on, actor=actor, decision=decision
        )
        for p in parts
    ]
    by_code = {o.code: o for o in created}
    bad = sorted({t for t in allocation.values() if t not in by_code})
    if bad:
        raise RuleError(
            "Chia tách: mã tổ chức đích không có trong các tổ chức mới: " + ", ".join(bad), field="allocation"
        )
    ev = _event(LineageKind.SPLIT, on, decision, sources=[source], targets=created)
    _close(source, on)
    for child in children:
        _new_version(child.organization, on, ev, parent_id=by_code[allocation[child.organization.code]].pk)
    for m in members:
        _relocate([m], by_code[allocation[f"m:{m}"]], on, ev, actor)
    rebuild_ancestry([source.pk, *(c.organization_id for c in children), *(o.pk for o in created)])
    audit(
        actor=actor,
        action="org_split",
        object_type="orgs.lineageevent",
        object_id=ev.pk,
        before=before,
        after={"parts": list(by_code), "allocation": dict(allocation)},
    )
    return created


@transaction.atomic
def org_dissolve(
    *,
    org: Organization,
    on: dt.date,
    actor: Actor,
    decision: Decision = Decision(),
    members_to: Organization | None = None,
    kind: str = LineageKind.DISSOLVED,
) -> LineageEvent:
    """Giải thể (or kết thúc hoạt động with kind='ended'): the organization ends. It must have no sub-units
    left on that date; its direct members transfer to `members_to`, which is required if there are any."""
    before = snapshot(_current(org, on))
    children = _children_on([org], on)
    if children:
        names = ", ".join(c.name for c in children[:5])
        raise RuleError(
            f"'{before and before['name']}' còn {len(children)} tổ chức trực thuộc ({names}…); hãy chuyển "
            "giao trước khi kết thúc.",
            field="organization",
        )
    members = _members_on([org], on)
    if members and members_to is None:
        raise RuleError(
            f"'{before and before['name']}' còn {len(members)} đảng viên; hãy chỉ định nơi chuyển sinh hoạt.",
            field="members_to",
        )
    ev = _event(kind, on, decision, sources=[org], targets=[members_to] if members_to else [])
    _close(org, on)
    if members_to is not None:
        _relocate(members, members_to, on, ev, actor)
    rebuild_ancestry([org.pk])
    audit(
        actor=actor, action=f"org_{kind}", obj=org, before=before, after={"members_to": members_to and members_to.code}
    )
    return ev


def org_end(
    *,
    org: Organization,
    on: dt.date,
    actor: Actor,
    decision: Decision = Decision(),
    members_to: Organization | None = None,
) -> LineageEvent:
    """Kết thúc hoạt động (a district committee on 01/07/2025)."""
    return org_dissolve(org=org, on=on, actor=actor, decision=decision, members_to=members_to, kind=LineageKind.ENDED)
