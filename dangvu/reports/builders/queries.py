"""Reads the annual and review builders need beyond the indicator catalogue: the review by kind of unit, the
grassroots organizations that admitted, the badges presented. Each one or two grouped queries for the one root a
report is about (orgs.queries.tally_by_root scopes by the subtree as it stood on each record's day)."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery

from dangvu.assessment.models import Result
from dangvu.domain.assessment.figures import GroupStats
from dangvu.domain.badges import Awarded
from dangvu.domain.membership import EventKind
from dangvu.domain.orgtree import GRASSROOTS
from dangvu.members.models import MemberEvent
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on
from dangvu.orgs.queries import tally_by_root
from dangvu.targets.indicators import _unit_of_member
from dangvu.work.models import BadgeAward


def review_by_kind(root: Organization, year: int) -> dict[str, GroupStats]:
    """The year's review for each kind of unit under root (đảng bộ cơ sở, chi bộ cơ sở, chi bộ trực thuộc), the
    units classed by their kind on the rating day (Result.unit_kind), as review_stats counts them: one grouped
    query."""
    on = dt.date(year, 12, 31)
    out: dict[str, GroupStats] = {}
    orgs = Result.objects.filter(year=year, organization__isnull=False)
    by = ("unit_kind", "level", "not_rated", "exemplary")
    for (kind, level, not_rated, exemplary), n in tally_by_root(
        orgs, [root.pk], unit="organization_id", day=on, by=by, exclude_roots=True
    )[root.pk].items():
        g = out.setdefault(kind, GroupStats())
        if level:
            g.rated += n
            g.levels[level] = g.levels.get(level, 0) + n
            g.exemplary += n if exemplary else 0
        elif not_rated:
            g.not_rated[not_rated] = g.not_rated.get(not_rated, 0) + n
    return out


def grassroots_with_admissions(root: Organization, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(grassroots organizations of root's subtree on the last day that admitted at least one member in the
    period, in themselves or a unit under them; all of them). Each admission is mapped to the grassroots
    organization above its unit on its day (index ancestry_org_kind_idx); two queries whatever the subtree's size."""
    scope = OrgAncestry.objects.on(end).filter(ancestor=root).values("organization_id")
    grassroots = set(
        OrgVersion.objects.filter(valid_on(end), kind__in=list(GRASSROOTS), organization_id__in=scope)
        .exclude(organization=root)
        .values_list("organization_id", flat=True)
    )
    if not grassroots:
        return 0, 0
    grassroots_of = OrgAncestry.objects.filter(
        organization_id=OuterRef("organization_id"),
        ancestor_kind__in=list(GRASSROOTS),
        valid_from__lte=OuterRef("on"),
        valid_to__gt=OuterRef("on"),
    ).values("ancestor_id")[:1]
    admitted = set(
        MemberEvent.objects.filter(kind=EventKind.ADMISSION, on__range=(start, end), organization_id__in=scope)
        .annotate(g=Subquery(grassroots_of))
        .values_list("g", flat=True)
        .distinct()
    )
    return len(grassroots & admitted), len(grassroots)


def badge_rows(root: Organization, start: dt.date, end: dt.date) -> list[Awarded]:
    """The badges presented in the period to members of root's subtree (their unit on the day of the award, as
    the 'badges' indicator counts them), with the day, the milestone, posthumous or not and the unit's name."""
    qs = BadgeAward.objects.filter(awarded_on__range=(start, end)).annotate(unit=_unit_of_member("awarded_on"))
    t = tally_by_root(
        qs, [root.pk], unit="unit", day="awarded_on", by=("milestone", "awarded_on", "posthumous", "unit")
    )
    rows = t[root.pk]
    names = dict(
        OrgVersion.objects.filter(organization_id__in={k[3] for k in rows})
        .order_by("organization_id", "valid_from")
        .values_list("organization_id", "name")
    )  # the unit's last name (ordered by valid_from, the last wins)
    out = []
    for (milestone, day, posthumous, unit), n in rows.items():
        on = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])  # SQLite gives text
        out += [Awarded(int(milestone), on, bool(posthumous), names.get(unit, ""))] * n
    return sorted(out, key=lambda r: (r.awarded_on, r.milestone))
