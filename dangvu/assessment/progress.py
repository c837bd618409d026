"""How far a cycle has come: members and organizations decided and not yet, per grassroots organization.

A fixed number of grouped queries whatever the cycle's size (a commune of 1,300 members, a province)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Count, Q

from dangvu.domain.orgtree import GRASSROOTS, OrgKind
from dangvu.domain.vietnamese import sort_key
from dangvu.members.models import MembershipSpan
from dangvu.orgs.models import OrgAncestry, OrgVersion, valid_on
from dangvu.orgs.queries import direct_counts, members_per_grassroots

from .models import AssessmentCycle, Result


@dataclass
class Count2:
    total: int = 0
    rated: int = 0  # a level decided
    not_rated: int = 0  # recorded as not rated (at the close)

    @property
    def pending(self) -> int:
        return max(self.total - self.rated - self.not_rated, 0)


@dataclass
class UnitProgress:
    version: OrgVersion
    members: int
    decided: int  # members with a decision (a level, or not rated)
    result: Result | None  # the organization's own

    @property
    def pending(self) -> int:
        return max(self.members - self.decided, 0)


@dataclass
class CycleProgress:
    members: Count2 = field(default_factory=Count2)
    grassroots: Count2 = field(default_factory=Count2)
    branches: Count2 = field(default_factory=Count2)
    units: list[UnitProgress] = field(default_factory=list)


def cycle_progress(cycle: AssessmentCycle, visible: list[int] | None = None) -> CycleProgress:
    """Totals for the whole cycle; one row per grassroots organization (and per branch directly under the
    committee: after 01/07/2025 a commune holds branches outside any grassroots organization), restricted to
    `visible` organization ids when given."""
    on = cycle.rated_on
    units = OrgAncestry.objects.on(on).filter(ancestor=cycle.committee).exclude(organization=cycle.committee)
    unit_ids = units.values("organization_id")
    p = CycleProgress()
    p.members.total = MembershipSpan.objects.on(on).filter(organization_id__in=unit_ids).count()
    for level, not_rated, n in (
        Result.objects.filter(cycle=cycle, member__isnull=False)
        .values_list("level", "not_rated")
        .annotate(n=Count("*"))
        .order_by()
    ):
        if level:
            p.members.rated += n
        elif not_rated:
            p.members.not_rated += n
    versions = list(
        OrgVersion.objects.filter(valid_on(on), organization_id__in=unit_ids)
        .filter(Q(kind__in=list(GRASSROOTS)) | Q(kind=OrgKind.BRANCH))
        .select_related("organization")
    )
    org_results = {
        r.organization_id: r
        for r in Result.objects.filter(year=cycle.year, organization_id__in=[v.organization_id for v in versions])
    }
    grassroots_of = dict(
        OrgAncestry.objects.on(on)
        .filter(organization_id__in=unit_ids, ancestor_kind__in=list(GRASSROOTS))
        .exclude(depth=0)
        .values_list("organization_id", "ancestor_id")
    )
    for v in versions:
        group = p.grassroots if v.kind in GRASSROOTS else p.branches
        group.total += 1
        res = org_results.get(v.organization_id)
        if res is not None and res.level:
            group.rated += 1
        elif res is not None and res.not_rated:
            group.not_rated += 1
    # A branch is listed on its own when no grassroots organization above it is (a commune's own branches; the
    # branch of a secretary who does not see the grassroots organization).
    shown = {v.organization_id for v in versions if visible is None or v.organization_id in visible}
    listed = [
        v
        for v in versions
        if v.organization_id in shown and (v.kind in GRASSROOTS or grassroots_of.get(v.organization_id) not in shown)
    ]
    sizes = members_per_grassroots(on, cycle.committee)
    loose = [v.organization_id for v in listed if v.kind not in GRASSROOTS]
    direct = {k: sum(c.values()) for k, c in direct_counts(loose, on).items()} if loose else {}
    decided_members = Result.objects.filter(cycle=cycle, member__isnull=False).exclude(level="", not_rated="")
    by_grassroots = dict(decided_members.values_list("grassroots_id").annotate(n=Count("*")).order_by())
    by_unit = dict(
        decided_members.filter(unit_id__in=loose)
        .values_list("unit_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    for v in listed:
        oid = v.organization_id
        if v.kind in GRASSROOTS:
            row = UnitProgress(v, sizes.get(oid, 0), by_grassroots.get(oid, 0), org_results.get(oid))
        else:
            row = UnitProgress(v, direct.get(oid, 0), by_unit.get(oid, 0), org_results.get(oid))
        p.units.append(row)
    p.units.sort(key=lambda u: natural_key(u.version.name))
    return p


def natural_key(name: str) -> tuple[object, ...]:
    """'Thôn 2' before 'Thôn 10': numbers compared as numbers, the rest in Vietnamese order."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, sort_key(part)) for part in re.split(r"(\d+)", name))
