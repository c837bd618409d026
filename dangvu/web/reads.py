"""Reads the pages compose from the apps' query functions; a fixed number of queries each, whatever the size.

Nothing here decides a rule: the figures come from orgs.queries, assessment.stats/facts, work.alerts and
targets.compare; this module only shapes them for templates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from dangvu.assessment.models import AssessmentCycle, Rating, Result
from dangvu.domain.assessment.levels import NEW_LABELS, NOT_RATED_LABELS, OLD_ORG_LABELS, RANK
from dangvu.domain.orgtree import GRASSROOTS, ORG_KIND_LABELS, SECTOR_LABELS
from dangvu.domain.vietnamese import fmt_percent, fold, person_sort_key
from dangvu.members.models import Member, MembershipSpan
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on

LEVEL_LABELS = {**NEW_LABELS, **OLD_ORG_LABELS}


@dataclass
class Bar:
    label: str
    value: int
    share: float  # 0..1 of the largest bar, for the inline SVG chart
    note: str = ""


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
        .annotate(n=Count("id"))
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
    d.kinds = bars([(ORG_KIND_LABELS[k], v) for k, v in by_kind.items()])
    # Review progress: this year's cycle if one is open or done, else last year's.
    for year in (on.year, on.year - 1):
        cycle = covering_cycle(org, year, on)
        if cycle is not None:
            d.cycle = cycle
            units = OrgAncestry.objects.on(cycle.rated_on).filter(ancestor=org).values("organization_id")
            d.review_total = MembershipSpan.objects.on(cycle.rated_on).filter(organization_id__in=units).count()
            levels = dict(
                Result.objects.filter(year=year, member__isnull=False, unit_id__in=units)
                .values_list("level")
                .annotate(n=Count("id"))
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


# ---------------------------------------------------------------- members


@dataclass
class MemberRow:
    member: Member
    unit_code: str
    unit_name: str
    status: str

    @property
    def citizen_id(self) -> str:
        return mask(self.member.citizen_id)

    @property
    def card_number(self) -> str:
        return mask(self.member.card_number)


def search_members(
    members: QuerySet[Member],
    *,
    scope: QuerySet[Organization],
    on: dt.date,
    q: str = "",
    status: str = "",
    gender: str = "",
    unit: Organization | None = None,
) -> QuerySet[MembershipSpan]:
    """Spans on `on` of the visible members in the visible units, filtered. The caller sorts and pages.

    Search folds diacritics and case on both sides (Member.full_name_folded, indexed), so 'nguyen van an'
    finds 'Nguyễn Văn An'; a code matches exactly."""
    if unit is not None:
        # unit came through a scoped getter: its subtree on the date lies inside the visible one.
        units = OrgAncestry.objects.on(on).filter(ancestor=unit).values("organization_id")
        spans = MembershipSpan.objects.on(on).filter(organization_id__in=units)
    else:
        spans = MembershipSpan.objects.on(on).filter(organization_id__in=scope.values("pk"))
    if q:
        f = fold(q).strip()
        spans = spans.filter(Q(member__full_name_folded__contains=f) | Q(member__code=q.strip().upper()))
    if status:
        spans = spans.filter(status=status)
    if gender:
        spans = spans.filter(member__gender=gender)
    return spans


def member_rows(spans: list[MembershipSpan], on: dt.date) -> list[MemberRow]:
    """Rows for a page of spans, with unit names on the date (one query)."""
    names = dict(
        OrgVersion.objects.filter(valid_on(on), organization_id__in={s.organization_id for s in spans}).values_list(
            "organization_id", "name"
        )
    )
    return [MemberRow(s.member, s.organization.code, names.get(s.organization_id, ""), s.status) for s in spans]


def sort_by_given_name(rows: list[MembershipSpan]) -> list[MembershipSpan]:
    return sorted(rows, key=lambda s: person_sort_key(s.member.full_name))


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
    versions.sort(key=lambda v: (ORG_ORDER.get(v.kind, 9), v.name))
    return [OrgReviewRow(v, results.get(v.organization_id)) for v in versions]
