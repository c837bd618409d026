"""Reads the pages compose from the apps' query functions; a fixed number of queries each, whatever the size.

Nothing here decides a rule: the figures come from orgs.queries, assessment.stats/facts, work.alerts and
targets.compare; this module only shapes them for templates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, Q, QuerySet

from dangvu.accounts.models import Grant
from dangvu.accounts.scope import access, identifiers_shown, visible_orgs
from dangvu.assessment.models import AssessmentCycle, Rating, Result
from dangvu.audit.services import Actor
from dangvu.domain.assessment.levels import NEW_LABELS, NOT_RATED_LABELS, OLD_ORG_LABELS, RANK
from dangvu.domain.orgtree import GRASSROOTS, ORG_KIND_LABELS, SECTOR_LABELS
from dangvu.domain.vietnamese import fmt_percent, fold, person_sort_key, sort_key
from dangvu.members import search
from dangvu.members.models import Member, MembershipSpan
from dangvu.members.services import member_identifier_search
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on
from dangvu.orgs.queries import TreeNode, names_on, tree_on

LEVEL_LABELS = {**NEW_LABELS, **OLD_ORG_LABELS}


@dataclass
class Bar:
    label: str
    value: int
    share: float  # 0..1 of the largest bar, for the inline SVG chart
    note: str = ""


def readable(user: Any, pairs: Iterable[tuple[str, dt.date]]) -> set[tuple[str, dt.date]]:
    """Which (organization code, day) pairs the person may open — a link to anything else would answer 404 (the
    province above a branch secretary's branch, a ward committee before a commune's secretary held it). One query
    per distinct day: a page links a few days."""
    by_day: dict[dt.date, set[str]] = defaultdict(set)
    for code, day in pairs:
        by_day[day].add(code)
    out: set[tuple[str, dt.date]] = set()
    for day, codes in by_day.items():
        found = visible_orgs(user, day).filter(code__in=sorted(codes)).values_list("code", flat=True)
        out |= {(code, day) for code in found}
    return out


def tree_tops(visible: QuerySet[Organization], on: dt.date) -> list[Organization]:
    """The units of `visible` that stood on `on` with no parent in `visible` that day: where a person's tree of that
    day starts (their grants' units, or on a past day the predecessors those units came from). 2 queries."""
    tops = (
        OrgVersion.objects.filter(valid_on(on), organization__in=visible)
        .exclude(parent__in=visible)
        .select_related("organization")
        .order_by("name_sort", "organization__code")
    )
    return [v.organization for v in tops]


def bars(items: list[tuple[str, int]], note: Any = None) -> list[Bar]:
    top = max((v for _, v in items), default=0) or 1
    return [Bar(label, v, v / top, note(label, v) if note else "") for label, v in items]


@dataclass
class Dashboard:
    org: Organization
    version: OrgVersion | None
    on: dt.date
    node: Totals | None
    sectors: list[Bar] = field(default_factory=list)
    kinds: list[Bar] = field(default_factory=list)
    cycle: AssessmentCycle | None = None
    review_total: int = 0
    review_decided: int = 0
    review_levels: list[Bar] = field(default_factory=list)
    cycle_committee_name: str = ""  # the deciding committee as named on the cycle's rating day

    @property
    def review_share(self) -> str:
        return fmt_percent(self.review_decided / self.review_total, 0) if self.review_total else "—"


def covering_cycle(org: Organization, year: int, on: dt.date) -> AssessmentCycle | None:
    """The year's cycle deciding this organization's members: the nearest committee at or above it."""
    depth = dict(OrgAncestry.objects.on(on).filter(organization=org).values_list("ancestor_id", "depth"))
    cycles = AssessmentCycle.objects.filter(year=year, committee_id__in=list(depth)).select_related("committee")
    return min(cycles, key=lambda c: depth[c.committee_id], default=None)


@dataclass
class Totals:
    official: int
    probationary: int
    children: int  # units directly under the organization

    @property
    def members(self) -> int:
        return self.official + self.probationary


def dashboard(org: Organization, on: dt.date) -> Dashboard:
    """Counts only, in grouped queries (no tree is built: a province's dashboard reads 2 500 units in one row
    set and its members in one GROUP BY)."""
    version = org.version_on(on)
    d = Dashboard(org, version, on, None)
    if version is None:
        return d
    units = OrgAncestry.objects.on(on).filter(ancestor=org).values("organization_id")
    by_status = dict(
        MembershipSpan.objects.on(on)
        .filter(organization_id__in=units)
        .values_list("status")
        .annotate(n=Count("*"))  # COUNT(*), not COUNT(id): answered from span_org_status_idx alone (index-only)
        .order_by()
    )
    by_sector: dict[str, int] = defaultdict(int)
    by_kind: dict[str, int] = defaultdict(int)
    children = 0
    rows = OrgVersion.objects.filter(valid_on(on), organization_id__in=units).exclude(organization=org)
    for parent_id, kind, sector in rows.values_list("parent_id", "kind", "sector"):
        by_kind[kind] += 1
        children += parent_id == org.pk
        if kind in GRASSROOTS:
            by_sector[sector] += 1
    d.node = Totals(by_status.get("official", 0), by_status.get("probationary", 0), children)
    d.sectors = bars(sorted(((SECTOR_LABELS[k], v) for k, v in by_sector.items()), key=lambda x: -x[1]))
    # by level, from the top of the tree down (the order of ORG_KIND_LABELS)
    d.kinds = bars([(label, by_kind[k]) for k, label in ORG_KIND_LABELS.items() if by_kind.get(k)])
    # Review progress: this year's cycle if one is open or done, else last year's.
    for year in (on.year, on.year - 1):
        cycle = covering_cycle(org, year, on)
        if cycle is not None:
            d.cycle = cycle
            committee = cycle.committee.version_on(cycle.rated_on) or cycle.committee.version_on(on)
            d.cycle_committee_name = committee.name if committee else cycle.committee.code
            units = OrgAncestry.objects.on(cycle.rated_on).filter(ancestor=org).values("organization_id")
            d.review_total = MembershipSpan.objects.on(cycle.rated_on).filter(organization_id__in=units).count()
            levels = dict(
                Result.objects.filter(year=year, member__isnull=False, unit_id__in=units)
                .values_list("level")
                .annotate(n=Count("*"))  # rows, not ids: the results' indexes can answer alone
                .order_by()
            )
            d.review_decided = sum(levels.values())
            d.review_levels = bars(
                [
                    (LEVEL_LABELS.get(k, "Không xếp loại") if k else "Không xếp loại", v)
                    for k, v in sorted(levels.items(), key=lambda kv: -RANK.get(kv[0], 0))
                ]
            )
            break
    return d


def cached(part: str, org: Organization, on: dt.date, compute: Any) -> Any:
    """A dashboard part for an organization and a date, the same for everyone who may see it, kept for
    settings.DANGVU_DASHBOARD_SECONDS (default 60; 0 turns the cache off). A change shows within that time;
    scope is checked by the view on every request, before this."""
    from django.conf import settings
    from django.core.cache import cache

    seconds = getattr(settings, "DANGVU_DASHBOARD_SECONDS", 60)
    if not seconds:
        return compute()
    key = f"dangvu:{part}:{org.pk}:{on.isoformat()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def cached_dashboard(org: Organization, on: dt.date) -> Dashboard:
    return cached("dashboard", org, on, lambda: dashboard(org, on))


# ---------------------------------------------------------------- tree

# Rows shown at first sight when nothing is searched: levels open one after another while the rows they show stay
# within about one screen (the tree page lays a root's units out in columns).
FIRST_SIGHT_ROWS = 60
# A tree of more units than this (a province: thousands) sends only the levels open at first sight; a closed unit's
# units are loaded when it is opened (htmx, orgs.tree_children). A district (~400) is sent whole, as before.
LAZY_FROM = 600


@dataclass(frozen=True)
class TreeFilter:
    """What the tree page is asked for: a name (diacritics and case folded, or a code), a kind, a sector."""

    q: str = ""
    kind: str = ""
    sector: str = ""

    @property
    def active(self) -> bool:
        return bool(self.q or self.kind or self.sector)

    def hits(self, node: TreeNode) -> bool:
        q = fold(self.q)
        return (
            (not q or q in fold(node.name) or q == node.code.lower())
            and (not self.kind or node.kind == self.kind)
            and (not self.sector or node.sector == self.sector)
        )


@dataclass
class TreeRow:
    node: TreeNode
    depth: int
    parent: bool  # has rows under it (a <details>)
    open: bool
    hit: bool  # matches the filter (highlighted)
    closes: int = 0  # how many <details> end after this row
    lazy: bool = False  # its units are not sent: loaded when opened

    @property
    def closing(self) -> range:
        return range(self.closes)


@dataclass
class TreePage:
    rows: list[TreeRow]
    hits: int  # units matching the filter (0 without one)
    units: int  # units on the date in the tree shown


def tree_page(roots: list[TreeNode], want: TreeFilter) -> TreePage:
    """The rows of a collapsible tree, in order. With a filter: the units that match, with their ancestors open
    (to show the way) and their own units closed under them; without: the first levels open as far as one screen
    goes (FIRST_SIGHT_ROWS), the rest closed. One pass over the tree; no query."""
    hit: dict[int, bool] = {}
    below: dict[int, bool] = {}  # a hit somewhere under the node
    units = 0
    lazy = False

    def mark(node: TreeNode) -> bool:
        nonlocal units
        units += 1
        hit[node.org_id] = want.active and want.hits(node)
        below[node.org_id] = any([mark(c) for c in node.children])  # a list: every child is marked
        return hit[node.org_id] or below[node.org_id]

    for r in roots:
        mark(r)
    if want.active:

        def kept(node: TreeNode, under_hit: bool) -> bool:
            return under_hit or hit[node.org_id] or below[node.org_id]

        def is_open(node: TreeNode, depth: int) -> bool:
            return below[node.org_id]

        shown = [r for r in roots if kept(r, False)]
    else:
        open_depth = _first_sight_depth(roots)
        lazy = units > LAZY_FROM

        def kept(node: TreeNode, under_hit: bool) -> bool:
            return True

        def is_open(node: TreeNode, depth: int) -> bool:
            return depth < open_depth

        shown = roots
    rows: list[TreeRow] = []

    def emit(node: TreeNode, depth: int, under_hit: bool) -> None:
        inside = under_hit or hit[node.org_id]
        kids = [c for c in node.children if kept(c, inside)]
        opened = bool(kids) and is_open(node, depth)
        if kids and not opened and not want.active and lazy:
            rows.append(TreeRow(node, depth, True, False, hit[node.org_id], lazy=True))
            return
        rows.append(TreeRow(node, depth, bool(kids), opened, hit[node.org_id]))
        for c in kids:
            emit(c, depth + 1, inside)
        if kids:
            rows[-1].closes += 1

    for r in shown:
        emit(r, 0, False)
    return TreePage(rows, sum(hit.values()), units)


def cached_tree_page(root: Organization, on: dt.date) -> TreePage:
    """The rows of root's tree without a filter, kept like the dashboard's figures (cached): only the rows sent (a
    large tree sends its first levels, LAZY_FROM), their nodes without the units under them (a few kB kept)."""

    def compute() -> TreePage:
        page = tree_page(tree_on(on, root), TreeFilter())
        for r in page.rows:
            r.node = replace(r.node, children=[])
        return page

    return cached("tree", root, on, compute)


def _first_sight_depth(roots: list[TreeNode]) -> int:
    """How many levels to open: the roots always, each further level while the rows shown stay within one screen."""
    level, shown, depth = roots, len(roots), 0
    while level:
        nxt = [c for n in level for c in n.children]
        if depth > 0 and shown + len(nxt) > FIRST_SIGHT_ROWS:
            break
        shown += len(nxt)
        level, depth = nxt, depth + 1
    return depth


# ---------------------------------------------------------------- grants


@dataclass
class GrantRow:
    grant: Grant
    org_name: str  # the organization's name during the grant (its latest, for one that ended)


def grant_rows(grants: Any) -> list[GrantRow]:
    """Grants with their organization by name, as named on the last day of the grant that has passed. Two
    queries."""
    from dangvu.accounts.scope import today

    rows = list(grants)
    day = today()
    wanted = [(g.organization_id, min(day, g.valid_to - dt.timedelta(days=1))) for g in rows if g.organization_id]
    names = names_on(wanted)
    return [
        GrantRow(
            g,
            names.get((g.organization_id, min(day, g.valid_to - dt.timedelta(days=1))), "")
            if g.organization_id
            else "",
        )
        for g in rows
    ]


# ---------------------------------------------------------------- pickers


@dataclass(frozen=True)
class OrgChoice:
    code: str
    name: str
    detail: str  # "Chi bộ trực thuộc · Đảng bộ xã Tiên Tân": two units may share a name, not a parent


def org_choices(user: Any, typed: str, on: dt.date, limit: int) -> list[OrgChoice]:
    """The organizations in the person's scope on the date whose name (folded) contains what was typed or whose
    code starts with it, in Vietnamese order with numbers by value, the first `limit`. Two queries."""
    from dangvu.accounts.scope import visible_orgs

    found = list(
        OrgVersion.objects.on(on)
        .filter(organization__in=visible_orgs(user, on))
        .filter(Q(name_folded__contains=fold(typed)) | Q(organization__code__istartswith=typed.strip()))
        .by_name()
        .values_list("organization__code", "name", "kind", "parent_id")[:limit]
    )
    parents = dict(
        OrgVersion.objects.on(on)
        .filter(organization_id__in={p for *_, p in found if p})
        .values_list("organization_id", "name")
    )
    return [
        OrgChoice(code, name, " · ".join(x for x in (ORG_KIND_LABELS.get(kind, ""), parents.get(parent, "")) if x))
        for code, name, kind, parent in found
    ]


# ---------------------------------------------------------------- members


@dataclass
class MemberRow:
    member: Member
    unit_code: str
    unit_name: str
    status: str
    identifiers: bool = True  # False: a member who left the person's scope (accounts.scope.identifiers_shown)

    @property
    def citizen_id(self) -> str:
        return mask(self.member.citizen_id) if self.identifiers else ""

    @property
    def card_number(self) -> str:
        return mask(self.member.card_number) if self.identifiers else ""


@dataclass
class MemberPage:
    """One page of a member search: the spans in Vietnamese name order, the code of the last one when more follow
    (the next page starts after it), and a message when the query cannot be run (too short)."""

    spans: list[MembershipSpan]
    more: str = ""
    message: str = ""


def member_spans(
    user: Any,
    *,
    on: dt.date,
    terms: search.Terms,
    status: str = "",
    gender: str = "",
    unit: Organization | None = None,
) -> tuple[QuerySet[MembershipSpan], search.Scoped | None]:
    """Spans on `on` of the members in the person's scope (or in `unit`'s subtree, a unit that came through a
    scoped getter) matching the query, unsorted, and for a name search within a scope the scope-first branch
    (members.search.scoped_branch: the words tested on the spans' own copy of the name; search.page runs it when
    the scope is at most DANGVU_SEARCH_SCOPE_FIRST_UNITS units).
    A citizen ID or card number matches only a member whose identifiers the person may see
    (accounts.scope.identifiers_shown): a search never tells whose number it is otherwise."""
    units: QuerySet[Any] | None  # the scope's organizations on the day; None, the whole country
    if unit is not None:
        units = OrgAncestry.objects.on(on).filter(ancestor_id=unit.pk).values("organization_id")
    elif access(user).admin:
        units = None
    else:
        units = visible_orgs(user, on).values("pk")
    spans = MembershipSpan.objects.on(on)
    if units is not None:
        spans = spans.filter(organization_id__in=units)
    identified = search.identifier_match(terms)
    if identified is not None and identified.pk not in identifiers_shown(user, [identified.pk]):
        identified = None
    if status:
        spans = spans.filter(status=status)
    if gender:
        spans = spans.filter(member__gender=gender)
    return spans.filter(search.matching(terms, identified=identified)), search.scoped_branch(terms, spans, units)


def search_members(
    user: Any,
    *,
    on: dt.date,
    q: str = "",
    status: str = "",
    gender: str = "",
    unit: Organization | None = None,
    after: str = "",
    size: int = 50,
    audit: bool = True,
) -> MemberPage:
    """A page of the members matching `q` (members.search.parse: name words, code, card number, citizen ID) in
    Vietnamese name order, from the member after `after`. A search that found someone by citizen ID or card number
    is audited like a reveal of it (members.services.member_identifier_search), unless the caller audits its own
    read (the export, with its query)."""
    terms = search.parse(q)
    if terms.too_short:
        return MemberPage([], message=search.TOO_SHORT)
    spans, scoped = member_spans(user, on=on, terms=terms, status=status, gender=gender, unit=unit)
    rows, more = search.page(spans.select_related("member", "organization"), after=after, size=size, scoped=scoped)
    found = terms.identifier
    if found is not None and audit:
        hits = [s.member for s in rows if getattr(s.member, found[0]) == found[1]]
        if hits:
            member_identifier_search(member=hits[0], field=found[0], actor=Actor.of(user))
    return MemberPage(rows, rows[-1].member.code if more and rows else "")


def member_rows(spans: list[MembershipSpan], on: dt.date, *, shown: set[int] | None = None) -> list[MemberRow]:
    """Rows for a page of spans, with unit names on the date (one query); `shown`: the members whose identifiers
    the person may see (None: all)."""
    names = dict(
        OrgVersion.objects.filter(valid_on(on), organization_id__in={s.organization_id for s in spans}).values_list(
            "organization_id", "name"
        )
    )
    return [
        MemberRow(
            s.member,
            s.organization.code,
            names.get(s.organization_id, ""),
            s.status,
            shown is None or s.member_id in shown,
        )
        for s in spans
    ]


def mask(value: str | None, keep: int = 3) -> str:
    """'001203004567' → '•••••••••567': enough to tell two people apart, not enough to use."""
    if not value:
        return ""
    return "•" * max(len(value) - keep, 0) + value[-keep:]


# ---------------------------------------------------------------- review


@dataclass
class ReviewRow:
    member: Member
    unit_id: int
    self_rating: Rating | None
    proposal: Rating | None
    result: Result | None
    cap: str | None
    not_rated: str | None
    reasons: list[str]

    @property
    def cap_label(self) -> str:
        return LEVEL_LABELS.get(self.cap, "") if self.cap else ""

    @property
    def not_rated_label(self) -> str:
        return NOT_RATED_LABELS.get(self.not_rated, "") if self.not_rated else ""


def review_rows(cycle: AssessmentCycle, unit: Organization) -> list[ReviewRow]:
    """Every member of unit's subtree on the rating day, with their self-review, the branch's proposal, the
    rules' cap and reasons (assessment.facts + domain rules), and the decision if any."""
    from dangvu.assessment.facts import build_roster, member_facts
    from dangvu.domain.assessment.rules import assess_member

    on = cycle.rated_on
    units = OrgAncestry.objects.on(on).filter(ancestor=unit).values("organization_id")
    ids = list(MembershipSpan.objects.on(on).filter(organization_id__in=units).values_list("member_id", flat=True))
    roster = build_roster(cycle, member_ids=ids)
    facts = member_facts(roster)
    members = {m.pk: m for m in Member.objects.filter(pk__in=roster.member_unit)}
    ratings: dict[tuple[int | None, str], Rating] = {}
    for r in Rating.objects.filter(cycle=cycle, member_id__in=roster.member_unit, stage__in=["self", "proposal"]):
        ratings[(r.member_id, r.stage)] = r  # latest wins (ordered by time)
    results = {r.member_id: r for r in Result.objects.filter(year=cycle.year, member_id__in=roster.member_unit)}
    rows = []
    for mid, unit_id in roster.member_unit.items():
        out = assess_member(facts[mid], roster.regime)
        rows.append(
            ReviewRow(
                members[mid],
                unit_id,
                ratings.get((mid, "self")),
                ratings.get((mid, "proposal")),
                results.get(mid),
                out.cap,
                out.not_rated,
                [str(r) for r in out.reasons],
            )
        )
    rows.sort(key=lambda r: person_sort_key(r.member.full_name))
    return rows


@dataclass
class OrgReviewRow:
    version: OrgVersion
    result: Result | None


def org_review_rows(cycle: AssessmentCycle, unit: Organization) -> list[OrgReviewRow]:
    """The organizations of unit's subtree that this cycle rates, in the order they are rated (branches, partial
    committees, then grassroots organizations), with their decision if any. Two queries."""
    from dangvu.assessment.facts import ORG_ORDER

    on = cycle.rated_on
    units = OrgAncestry.objects.on(on).filter(ancestor=unit).values("organization_id")
    versions = list(
        OrgVersion.objects.filter(valid_on(on), organization_id__in=units)
        .exclude(organization=cycle.committee)
        .exclude(kind="cell")
        .select_related("organization")
    )
    results = {
        r.organization_id: r
        for r in Result.objects.filter(year=cycle.year, organization_id__in=[v.organization_id for v in versions])
    }
    versions.sort(key=lambda v: (ORG_ORDER.get(v.kind, 9), sort_key(v.name)))
    return [OrgReviewRow(v, results.get(v.organization_id)) for v in versions]
