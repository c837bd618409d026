"""Review figures for any organization, year and structure-as-of date: counts, shares, sentences, streaks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from dangvu.domain.assessment.figures import GroupStats, sentences
from dangvu.domain.assessment.levels import Level
from dangvu.domain.assessment.regimes import regime_for_year
from dangvu.domain.assessment.streaks import Mark, subjects_with_streak
from dangvu.domain.orgtree import GRASSROOTS, OrgKind
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on

from .models import Result

TOP = [Level.EXCELLENT, Level.CLEAN_STRONG]


def _units(root: Organization, on: dt.date) -> dict[int, str]:
    """Units of root's subtree on the date, with their kind then."""
    ids = OrgAncestry.objects.on(on).filter(ancestor=root).values("organization_id")
    return dict(OrgVersion.objects.filter(valid_on(on), organization_id__in=ids).values_list("organization_id", "kind"))


def review_stats(root: Organization, year: int, *, structure_on: dt.date | None = None) -> dict[str, GroupStats]:
    """Grassroots organizations, branches under them (counted apart, SEED F2) and members, for the year,
    with root's subtree taken as it stood on structure_on (default: 31/12 of the year). 3 queries."""
    on = structure_on or dt.date(year, 12, 31)
    units = _units(root, on)
    groups = {"grassroots": GroupStats(), "branches": GroupStats(), "members": GroupStats()}
    rows = (
        Result.objects.filter(year=year, unit_id__in=list(units))
        .values("unit_id", "member_id", "level", "not_rated", "exemplary")
        .annotate(n=Count("id"))
        .order_by()
    )
    seen_orgs: set[int] = set()
    for row in rows:
        g: GroupStats | None
        if row["member_id"] is not None:
            g = groups["members"]
        else:
            kind = units[row["unit_id"]]
            if row["unit_id"] == root.pk:
                continue  # the root's own rating is decided above it (F19), not part of its figures
            g = groups["grassroots"] if kind in GRASSROOTS else groups["branches"] if kind == OrgKind.BRANCH else None
            if g is None:
                continue
            seen_orgs.add(row["unit_id"])
        _add(g, row)
    # Units in scope with no result yet: pending.
    for oid, kind in units.items():
        if oid != root.pk and oid not in seen_orgs:
            if kind in GRASSROOTS:
                groups["grassroots"].pending += 1
            elif kind == OrgKind.BRANCH:
                groups["branches"].pending += 1
    return groups


def _add(g: GroupStats, row: dict[str, Any]) -> None:
    n = row["n"]
    if row["level"]:
        g.rated += n
        g.levels[row["level"]] = g.levels.get(row["level"], 0) + n
        if row["exemplary"]:
            g.exemplary += n
    elif row["not_rated"]:
        g.not_rated[row["not_rated"]] = g.not_rated.get(row["not_rated"], 0) + n


def stats_json(root: Organization, year: int, *, structure_on: dt.date | None = None) -> dict[str, Any]:
    groups = review_stats(root, year, structure_on=structure_on)
    old = regime_for_year(year).code == "hd27_2014"
    return {
        "root": root.code,
        "year": year,
        "structure_on": (structure_on or dt.date(year, 12, 31)).isoformat(),
        "regime": regime_for_year(year).code,
        **{k: v.as_json() for k, v in groups.items()},
        "sentences": sentences(groups, year=year, old_scheme=old),
    }


def member_streaks(
    root: Organization,
    end_year: int,
    length: int,
    *,
    structure_on: dt.date | None = None,
    exemplary: bool = False,
    not_rated_breaks: bool = True,
) -> list[int]:
    """Members of root's subtree (on structure_on, default 31/12 of end_year) at the top level in each of
    `length` years running to end_year, wherever they were rated (transfers, regimes, the 2025 reform)."""
    on = structure_on or dt.date(end_year, 12, 31)
    from dangvu.members.models import MembershipSpan

    members = MembershipSpan.objects.in_subtree(root, on=on).values("member_id")
    years = range(end_year - length - (0 if not_rated_breaks else 10) + 1, end_year + 1)
    rows = Result.objects.filter(member_id__in=members, year__in=list(years))
    if not_rated_breaks:
        rows = rows.filter(Q(level__in=TOP) & (Q(exemplary=True) if exemplary else Q()))
    marks = (
        (mid, year, Mark.TOP if level in TOP and (ex or not exemplary) else Mark.NOT_RATED if nr else Mark.RATED)
        for mid, year, level, nr, ex in rows.values_list("member_id", "year", "level", "not_rated", "exemplary")
    )
    return subjects_with_streak(marks, end_year=end_year, length=length, not_rated_breaks=not_rated_breaks)


def org_streaks(
    root: Organization,
    end_year: int,
    length: int,
    *,
    structure_on: dt.date | None = None,
    exemplary: bool = True,
    not_rated_breaks: bool = True,
) -> list[int]:
    on = structure_on or dt.date(end_year, 12, 31)
    orgs = OrgAncestry.objects.on(on).filter(ancestor=root).exclude(organization=root).values("organization_id")
    rows = Result.objects.filter(organization_id__in=orgs, year__range=(end_year - length - 10, end_year))
    marks = (
        (oid, year, Mark.TOP if level in TOP and (ex or not exemplary) else Mark.NOT_RATED if nr else Mark.RATED)
        for oid, year, level, nr, ex in rows.values_list("organization_id", "year", "level", "not_rated", "exemplary")
    )
    return subjects_with_streak(marks, end_year=end_year, length=length, not_rated_breaks=not_rated_breaks)
