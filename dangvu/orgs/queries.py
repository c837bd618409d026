"""Reads over organizations as of a date. Each function issues a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet

from dangvu.dbrouting import read_connection
from dangvu.domain.membership import Status
from dangvu.domain.orgtree import (
    GRASSROOTS,
    LINEAGE_LABELS,
    ORG_KIND_LABELS,
    SECTOR_LABELS,
    Finding,
    OrgKind,
    check_size,
)
from dangvu.domain.periods import OPEN_END
from dangvu.domain.vietnamese import fold, sort_key

from .models import LineageEvent, LineageLink, OrgAncestry, Organization, OrgVersion, valid_on


@dataclass
class TreeNode:
    org_id: int
    code: str
    name: str
    kind: str
    sector: str
    parent_id: int | None
    official: int = 0  # subtree totals on the date
    probationary: int = 0
    children: list[TreeNode] = field(default_factory=list)

    @property
    def members(self) -> int:
        return self.official + self.probationary

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "sector": self.sector,
            "members": self.members,
            "official": self.official,
            "probationary": self.probationary,
            "children": [c.as_json() for c in self.children],
        }

    def walk(self) -> Any:
        yield self
        for c in self.children:
            yield from c.walk()


def structure_findings(on: dt.date, root: Organization | None = None) -> list[tuple[TreeNode, Finding]]:
    """Sizing warnings (chi bộ cơ sở vs đảng bộ cơ sở at 30 members; ≥ 3 official members per branch) for
    every unit of the tree on the date."""
    out: list[tuple[TreeNode, Finding]] = []
    for top in tree_on(on, root):
        for node in top.walk():
            for finding in check_size(node.kind, name=node.name, members=node.members, official=node.official):
                out.append((node, finding))
    return out


def subtree_ids(root: Organization | int, on: dt.date) -> list[int]:
    root_id = root if isinstance(root, int) else root.pk
    return list(OrgAncestry.objects.on(on).filter(ancestor_id=root_id).values_list("organization_id", flat=True))


def direct_counts(org_ids: list[int] | QuerySet[Any] | None, on: dt.date) -> dict[int, dict[str, int]]:
    """Official and probationary members attached directly to each unit on the date."""
    from dangvu.members.models import MembershipSpan

    qs = MembershipSpan.objects.on(on)
    if org_ids is not None:
        qs = qs.filter(organization_id__in=org_ids)
    out: dict[int, dict[str, int]] = defaultdict(lambda: {Status.OFFICIAL: 0, Status.PROBATIONARY: 0})
    # COUNT(*), not COUNT(id): the count needs no heap access (index-only scan on span_org_status_idx)
    for org_id, status, n in qs.values_list("organization_id", "status").annotate(n=Count("*")).order_by():
        out[org_id][status] = n
    return out


def tree_on(on: dt.date, root: Organization | None = None) -> list[TreeNode]:
    """The forest (or root's subtree) as it stood on the date, with subtree member counts. 3 queries."""
    versions = OrgVersion.objects.filter(valid_on(on))
    ids: QuerySet[Any] | None = None
    if root is not None:
        # a subquery, not a list: a province's subtree is tens of thousands of ids
        ids = OrgAncestry.objects.on(on).filter(ancestor_id=root.pk).values("organization_id")
        versions = versions.filter(organization_id__in=ids)
    # rows, not model instances: a province is thousands of units
    rows = versions.values_list("organization_id", "organization__code", "name", "kind", "sector", "parent_id")
    nodes = {r[0]: TreeNode(*r) for r in rows}
    counts = direct_counts(ids, on)
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent = nodes.get(node.parent_id) if node.parent_id is not None else None
        if parent is None or (root is not None and node.org_id == root.pk):
            roots.append(node)
        else:
            parent.children.append(node)

    def total(node: TreeNode) -> None:
        node.children.sort(key=lambda n: (n.kind not in GRASSROOTS and n.kind != "branch", sort_key(n.name)))
        c = counts.get(node.org_id)
        node.official, node.probationary = (c[Status.OFFICIAL], c[Status.PROBATIONARY]) if c else (0, 0)
        for child in node.children:
            total(child)
            node.official += child.official
            node.probationary += child.probationary

    for r in roots:
        total(r)
    roots.sort(key=lambda n: sort_key(n.name))
    return roots


def path_on(org: Organization, on: dt.date) -> list[OrgVersion]:
    """From the top of the tree down to org, as named on the date."""
    rows = list(
        OrgAncestry.objects.on(on).filter(organization=org).order_by("-depth").values_list("ancestor_id", flat=True)
    )
    by_org = {v.organization_id: v for v in OrgVersion.objects.filter(valid_on(on), organization_id__in=rows)}
    return [by_org[i] for i in rows if i in by_org]


def members_per_grassroots(
    on: dt.date, root: Organization | None = None, *, communes_hold_branches: bool = False
) -> dict[int, int]:
    """Official + probationary members of each grassroots organization on the date, one GROUP BY.

    Each unit is mapped to its grassroots ancestor through OrgAncestry rows valid on the date
    (index ancestry_org_kind_idx); members of units above grassroots level are not counted.

    From 01/07/2025 a commune committee also holds, directly, the branches of the ward and commune
    committees it replaced (HD 31-HD/BTCTW; QĐ 294-QĐ/TW), so their members sit in no grassroots
    organization. With ``communes_hold_branches`` such a commune is listed with those members, as the
    unit that plays the grassroots role for them [I]: same single GROUP BY, the commune's own members
    being its subtree's minus those of the grassroots organizations under it."""
    from dangvu.members.models import MembershipSpan

    kinds = sorted(set(GRASSROOTS) | ({OrgKind.COMMUNE} if communes_hold_branches else set()))
    # Written in SQL on purpose: the ORM would route spans → organizations → ancestry and join the
    # organizations table for nothing; on the national data set that join is a third of the time.
    spans, ancestry = MembershipSpan._meta.db_table, OrgAncestry._meta.db_table
    sql = f"""
        SELECT a.ancestor_id, COUNT(*) FROM {spans} s
        JOIN {ancestry} a ON a.organization_id = s.organization_id AND a.valid_from <= %s AND a.valid_to > %s
         AND a.ancestor_kind IN ({", ".join(["%s"] * len(kinds))})
        WHERE s.valid_from <= %s AND s.valid_to > %s"""  # table names come from the models, values are bound
    params: list[Any] = [on, on, *kinds, on, on]
    if root is not None:
        sql += f" AND s.organization_id IN (SELECT r.organization_id FROM {ancestry} r WHERE r.ancestor_id = %s"
        sql += " AND r.valid_from <= %s AND r.valid_to > %s)"
        params += [root.pk, on, on]
    with read_connection().cursor() as cur:  # the replica under heavy_reads() (dangvu/dbrouting.py)
        cur.execute(sql + " GROUP BY a.ancestor_id", params)
        counts: dict[int, int] = dict(cur.fetchall())
    if not communes_hold_branches:
        return counts
    communes = set(
        OrgAncestry.objects.on(on)
        .filter(organization_id__in=list(counts), depth=0, ancestor_kind=OrgKind.COMMUNE)
        .values_list("organization_id", flat=True)
    )
    if not communes:
        return counts
    for commune_id, unit_id in (
        OrgAncestry.objects.on(on)
        .filter(ancestor_id__in=communes, organization_id__in=list(counts), depth__gt=0)
        .values_list("ancestor_id", "organization_id")
    ):
        if unit_id not in communes:
            counts[commune_id] -= counts[unit_id]
    return {k: v for k, v in counts.items() if v}


@dataclass(frozen=True)
class LineageStep:
    event: LineageEvent
    others: list[Organization]


def lineage(org: Organization) -> dict[str, list[LineageStep]]:
    """What org came from (events where it is a target) and what it became (events where it is a source)."""
    links = (
        LineageLink.objects.filter(event__links__organization=org)
        .select_related("event", "organization")
        .order_by("event__effective_on", "event_id")
    )
    came: dict[int, LineageStep] = {}
    became: dict[int, LineageStep] = {}
    roles = {(lk.event_id, lk.role) for lk in LineageLink.objects.filter(organization=org)}
    for lk in links:
        if lk.organization_id == org.pk:
            continue
        if (lk.event_id, LineageLink.Role.TARGET) in roles and lk.role == LineageLink.Role.SOURCE:
            came.setdefault(lk.event_id, LineageStep(lk.event, [])).others.append(lk.organization)
        if (lk.event_id, LineageLink.Role.SOURCE) in roles and lk.role == LineageLink.Role.TARGET:
            became.setdefault(lk.event_id, LineageStep(lk.event, [])).others.append(lk.organization)
    return {"came_from": list(came.values()), "became": list(became.values())}


@dataclass(frozen=True)
class NamedOrg:
    code: str
    name: str  # as it was named on the day that matters to the reader (see names_on)


def names_on(wanted: list[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], str]:
    """The name of each organization on each date; an organization not existing that day gets its latest name
    before it (a unit that ended is known by its last name), or else its first. One query."""
    by_org: dict[int, list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    rows = OrgVersion.objects.filter(organization_id__in={o for o, _ in wanted}).order_by(
        "organization_id", "valid_from"
    )
    for org_id, start, end, name in rows.values_list("organization_id", "valid_from", "valid_to", "name"):
        by_org[org_id].append((start, end, name))
    out: dict[tuple[int, dt.date], str] = {}
    for org_id, day in wanted:
        versions = by_org.get(org_id, [])
        on = [n for s, e, n in versions if s <= day < e]
        before = [n for s, _e, n in versions if s <= day]
        out[(org_id, day)] = (on or before or [n for _s, _e, n in versions[:1]] or [""])[-1]
    return out


@dataclass(frozen=True)
class NamedStep:
    """A lineage event with the other organizations by name: what org came from (named the day before the event)
    or what it became (named on the event's day)."""

    event: LineageEvent
    others: list[NamedOrg]
    day: dt.date  # the day the others are named on (links open their history on that day)

    @property
    def label(self) -> str:
        return LINEAGE_LABELS.get(self.event.kind, self.event.kind)


def lineage_named(org: Organization) -> dict[str, list[NamedStep]]:
    """lineage() with names instead of codes. Three queries."""
    steps = lineage(org)
    wanted = [
        (o.pk, s.event.effective_on - dt.timedelta(days=1) if side == "came_from" else s.event.effective_on)
        for side, ss in steps.items()
        for s in ss
        for o in s.others
    ]
    names = names_on(wanted)
    out: dict[str, list[NamedStep]] = {}
    for side, ss in steps.items():
        out[side] = []
        for s in ss:
            day = s.event.effective_on - dt.timedelta(days=1) if side == "came_from" else s.event.effective_on
            others = sorted((NamedOrg(o.code, names[(o.pk, day)]) for o in s.others), key=lambda n: sort_key(n.name))
            out[side].append(NamedStep(s.event, others, day))
    return out


@dataclass(frozen=True)
class VersionRow:
    version: OrgVersion
    parent: NamedOrg | None  # named as on the version's first day

    @property
    def kind_label(self) -> str:
        return ORG_KIND_LABELS.get(self.version.kind, self.version.kind)

    @property
    def sector_label(self) -> str:
        return SECTOR_LABELS.get(self.version.sector, self.version.sector)

    @property
    def open_ended(self) -> bool:
        return self.version.valid_to >= OPEN_END


def version_rows(org: Organization) -> list[VersionRow]:
    """org's versions, oldest first, each with the organization it came under, by name. Two queries."""
    versions = list(org.versions.select_related("parent", "event").order_by("valid_from"))
    names = names_on([(v.parent_id, v.valid_from) for v in versions if v.parent_id is not None])
    return [
        VersionRow(v, NamedOrg(v.parent.code, names[(v.parent.pk, v.valid_from)]) if v.parent else None)
        for v in versions
    ]


def events_of(org: Organization) -> list[LineageEvent]:
    """Every lineage event that touched org, oldest first."""
    return list(LineageEvent.objects.filter(links__organization=org).distinct().order_by("effective_on", "id"))


def successors(org: Organization) -> list[Organization]:
    """Every organization org turned into, transitively (merges, absorptions, splits)."""
    seen: dict[int, Organization] = {}
    frontier = [org]
    while frontier:
        nxt = []
        for o in frontier:
            for step in lineage(o)["became"]:
                for t in step.others:
                    if t.pk not in seen and t.pk != org.pk:
                        seen[t.pk] = t
                        nxt.append(t)
        frontier = nxt
    return list(seen.values())


def search_orgs(text: str, on: dt.date) -> list[OrgVersion]:
    """Units whose name contains the text without diacritics, or whose code it is, in Vietnamese order."""
    f = fold(text)
    return list(
        OrgVersion.objects.on(on)
        .filter(Q(name_folded__contains=f) | Q(organization__code__iexact=text))
        .select_related("organization")
        .by_name()[:50]
    )


Tally = dict[int, dict[tuple[Any, ...], int]]


def tally_by_root(
    qs: QuerySet[Any],
    roots: list[int],
    *,
    unit: str,
    day: str | dt.date,
    by: tuple[str, ...] = (),
    total: str | None = None,
    distinct: str | None = None,
    ended: bool = False,
    exclude_roots: bool = False,
) -> Tally:
    """Counts of qs's rows per root of `roots` whose subtree held the row's unit on the row's day, grouped by the
    fields `by`: {root_id: {(by values…): n}}. One statement for any number of roots, so a province's indicators
    and the whole country's (63 provinces) cost one query each (SEED F17: the subtree as it stood at each date).

    unit/day name the row's organization and date fields (or `day` is one date for every row); `total` sums a
    field instead of counting rows; `distinct` counts distinct values of a field. `ended` scopes by the subtree
    the day before (an exit ends a span on its day: the unit held the member until then). `exclude_roots` leaves
    out the roots' own rows (the review counts the organizations under a root, not the root).

    Written around the ORM's SQL on purpose: the ORM would reach the ancestry through the organizations table,
    a join for nothing (a third of the time on the national data set, see members_per_grassroots). The rows are
    joined to the ancestry, then counted: counting per unit first was slower for the whole country (852 thousand
    groups spilled to disk for a year's results) and, for one district, counted every unit of the country."""
    if not roots:
        return {}
    fields = {"u": unit, **{f"g{i}": f for i, f in enumerate(by)}}
    groups = ", ".join(f"f.g{i}" for i in range(len(by)))
    constant = not isinstance(day, str)
    if isinstance(day, str):
        fields["d"] = day
    measured = total or distinct
    if measured:
        fields["c"] = measured
    inner = qs.values(**{k: F(v) for k, v in fields.items()}).order_by()
    measure = "SUM(f.c)" if total else ("COUNT(DISTINCT f.c)" if distinct else "COUNT(*)")
    sql, params = inner.query.sql_with_params()
    d_col = "%s" if constant else "f.d"
    lo, hi = ("<", ">=") if ended else ("<=", ">")
    on_day = f"a.valid_from {lo} {d_col} AND a.valid_to {hi} {d_col}"
    day_params = [day, day] if constant else []
    ancestry = OrgAncestry._meta.db_table
    root_params: list[Any]
    if connection.vendor == "postgresql":
        # "= ANY(array)": PostgreSQL estimates each root from the column's statistics (a province is 35 thousand
        # ancestry rows, a branch one), so the whole country gets hash joins and one district index probes. A
        # VALUES list of roots was estimated at the average ancestor's 79 rows: nested loops, 4 s for the country.
        join_roots, where, root_params = "", ["a.ancestor_id = ANY(%s)"], [list(roots)]
    else:
        # SQLite: the roots are joined as a VALUES list, not filtered by "ancestor_id IN (…)": SQLite 3.40 (Debian
        # 12's) returns wrong rows for an IN list on ancestry_org_anc_idx's second column followed by a range on its
        # third (found by tests/work/test_seed_indicators.py after ANALYZE: a ward got the events of the years before
        # it existed).
        join_roots = f" JOIN (VALUES {', '.join(['(%s)'] * len(roots))}) r ON a.ancestor_id = r.column1"
        where, root_params = [], list(roots)
    if exclude_roots:
        where.append("a.depth > 0")
    query = (
        f"SELECT a.ancestor_id{', ' + groups if groups else ''}, {measure} FROM ({sql}) f "
        f"JOIN {ancestry} a ON a.organization_id = f.u AND {on_day}{join_roots}"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + f" GROUP BY a.ancestor_id{', ' + groups if groups else ''}"
    )  # table and column names come from the models and this function; values are bound
    out: Tally = {r: {} for r in roots}
    with read_connection().cursor() as cur:  # the replica under heavy_reads() (dangvu/dbrouting.py)
        cur.execute(query, [*params, *day_params, *root_params])
        for root, *key, n in cur.fetchall():
            out[root][tuple(key)] = int(n or 0)
    return out
