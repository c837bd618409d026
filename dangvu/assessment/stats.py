"""Review figures for any organization, year and structure-as-of date: counts, shares, sentences, streaks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef

from dangvu.domain.assessment.figures import GroupStats, sentences
from dangvu.domain.assessment.levels import Level
from dangvu.domain.assessment.regimes import regime_for_year
from dangvu.domain.assessment.streaks import Mark, subjects_with_streak
from dangvu.domain.orgtree import GRASSROOTS, OrgKind
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on

from .models import Result

TOP = [Level.EXCELLENT, Level.CLEAN_STRONG]


def _scope(root: Organization | None, on: dt.date) -> Any:
    """Units of root's subtree on the date, as a subquery; None for the whole country."""
    if root is None:
        return None
    return OrgAncestry.objects.on(on).filter(ancestor=root).values("organization_id")


def review_stats(root: Organization | None, year: int, *, structure_on: dt.date | None = None) -> dict[str, GroupStats]:
    """Grassroots organizations, branches under them (counted apart, SEED F2) and members, for the year, with
    root's subtree (None: the whole country) taken as it stood on structure_on (default 31/12 of the year).

    Organizations are classed by their kind on the rating day (Result.unit_kind). Four grouped queries,
    each returning a handful of rows whatever the size (indexes result_year_unit_level_idx and
    result_member_stats_idx)."""
    on = structure_on or dt.date(year, 12, 31)
    scope = _scope(root, on)
    groups = {"grassroots": GroupStats(), "branches": GroupStats(), "members": GroupStats()}
    members = Result.objects.filter(year=year, member__isnull=False)
    orgs = Result.objects.filter(year=year, organization__isnull=False)
    if scope is not None:
        members = members.filter(unit_id__in=scope)
        orgs = orgs.filter(organization_id__in=scope).exclude(organization=root)
    for row in members.values("level", "not_rated", "exemplary").annotate(n=Count("*")).order_by():
        _add(groups["members"], row)
    for row in orgs.values("unit_kind", "level", "not_rated", "exemplary").annotate(n=Count("*")).order_by():
        g = (
            groups["grassroots"]
            if row["unit_kind"] in GRASSROOTS
            else (groups["branches"] if row["unit_kind"] == OrgKind.BRANCH else None)
        )
        if g is not None:
            _add(g, row)
    # Units in scope on the date with no result for the year: pending.
    # NOT EXISTS, not NOT IN: PostgreSQL turns it into an anti-join; NOT IN over a nullable column with more rows
    # than work_mem holds becomes a subplan per unit (minutes on the national data set).
    units = OrgVersion.objects.filter(valid_on(on)).filter(
        ~Exists(Result.objects.filter(year=year, organization_id=OuterRef("organization_id")))
    )
    if scope is not None:
        units = units.filter(organization_id__in=scope).exclude(organization=root)
    for kind, n in units.filter(kind__in=[*GRASSROOTS, OrgKind.BRANCH]).values_list("kind").annotate(n=Count("*")):
        groups["grassroots" if kind in GRASSROOTS else "branches"].pending += n
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


def stats_json(root: Organization | None, year: int, *, structure_on: dt.date | None = None) -> dict[str, Any]:
    groups = review_stats(root, year, structure_on=structure_on)
    old = regime_for_year(year).code == "hd27_2014"
    return {
        "root": root.code if root else None,
        "year": year,
        "structure_on": (structure_on or dt.date(year, 12, 31)).isoformat(),
        "regime": regime_for_year(year).code,
        **{k: v.as_json() for k, v in groups.items()},
        "sentences": sentences(groups, year=year, old_scheme=old),
    }


def _streak_ids(
    rows: Any, key: str, end_year: int, length: int, *, exemplary: bool, not_rated_breaks: bool
) -> list[int]:
    """With not-rated years breaking streaks (the default), a streak of N to end_year is the top level in each of
    the N years: one GROUP BY … HAVING count = N over top-level results (partial index result_top_member_idx).
    Otherwise the years are walked in Python (domain.assessment.streaks)."""
    if not_rated_breaks:
        top = rows.filter(level__in=TOP, year__range=(end_year - length + 1, end_year))
        if exemplary:
            top = top.filter(exemplary=True)
        return sorted(top.values(key).annotate(n=Count("*")).filter(n=length).values_list(key, flat=True))
    marks = (
        (sid, year, Mark.TOP if level in TOP and (ex or not exemplary) else Mark.NOT_RATED if nr else Mark.RATED)
        for sid, year, level, nr, ex in rows.filter(year__range=(end_year - length - 10, end_year)).values_list(
            key, "year", "level", "not_rated", "exemplary"
        )
    )
    return subjects_with_streak(marks, end_year=end_year, length=length, not_rated_breaks=False)


def member_streaks(
    root: Organization | None,
    end_year: int,
    length: int,
    *,
    structure_on: dt.date | None = None,
    exemplary: bool = False,
    not_rated_breaks: bool = True,
) -> list[int]:
    """Members of root's subtree (on structure_on, default 31/12 of end_year; None: the whole country) at the
    top level in each of `length` years running to end_year, wherever they were rated (transfers, regimes,
    the 2025 reform)."""
    rows = Result.objects.filter(member__isnull=False)
    if root is not None:
        from dangvu.members.models import MembershipSpan

        on = structure_on or dt.date(end_year, 12, 31)
        rows = rows.filter(member_id__in=MembershipSpan.objects.in_subtree(root, on=on).values("member_id"))
    return _streak_ids(rows, "member_id", end_year, length, exemplary=exemplary, not_rated_breaks=not_rated_breaks)


def org_streaks(
    root: Organization | None,
    end_year: int,
    length: int,
    *,
    structure_on: dt.date | None = None,
    exemplary: bool = True,
    not_rated_breaks: bool = True,
) -> list[int]:
    rows = Result.objects.filter(organization__isnull=False)
    if root is not None:
        on = structure_on or dt.date(end_year, 12, 31)
        rows = rows.filter(organization_id__in=_scope(root, on)).exclude(organization=root)
    return _streak_ids(
        rows, "organization_id", end_year, length, exemplary=exemplary, not_rated_breaks=not_rated_breaks
    )
