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
from dangvu.orgs.queries import tally_by_root

from .models import Result

TOP = [Level.EXCELLENT, Level.CLEAN_STRONG]


def _scope(root: Organization | None, on: dt.date) -> Any:
    """Units of root's subtree on the date, as a subquery; None for the whole country."""
    if root is None:
        return None
    return OrgAncestry.objects.on(on).filter(ancestor=root).values("organization_id")


def review_stats(root: Organization | None, year: int, *, structure_on: dt.date | None = None) -> dict[str, GroupStats]:
    """Grassroots organizations, branches under them (counted apart, SEED F2) and members, for the year, with
    root's subtree (None: the whole country) taken as it stood on structure_on (default 31/12 of the year)."""
    if root is not None:
        return review_stats_by_root([root.pk], year, structure_on=structure_on)[root.pk]
    on = structure_on or dt.date(year, 12, 31)
    groups = _groups()
    members = Result.objects.filter(year=year, member__isnull=False)
    for level, not_rated, exemplary, n in (
        members.values_list("level", "not_rated", "exemplary").annotate(n=Count("*")).order_by()
    ):
        _add(groups["members"], level, not_rated, exemplary, n)
    orgs = Result.objects.filter(year=year, organization__isnull=False)
    by = ("level", "not_rated", "exemplary")
    for kind, level, not_rated, exemplary, n in orgs.values_list("unit_kind", *by).annotate(n=Count("*")).order_by():
        _add_org(groups, kind, level, not_rated, exemplary, n)
    for kind, n in _pending(year, on).values_list("kind").annotate(n=Count("*")).order_by():
        groups["grassroots" if kind in GRASSROOTS else "branches"].pending += n
    return groups


def review_stats_by_root(
    roots: list[int], year: int, *, structure_on: dt.date | None = None
) -> dict[int, dict[str, GroupStats]]:
    """review_stats for each of the roots at once: three grouped queries whatever their number (the indicator
    catalogue for every province of the country). Organizations are classed by their kind on the rating day
    (Result.unit_kind); the roots' own results are not counted under them (indexes result_year_unit_level_idx,
    result_member_stats_idx, result_org_stats_idx)."""
    on = structure_on or dt.date(year, 12, 31)
    out = {r: _groups() for r in roots}
    members = Result.objects.filter(year=year, member__isnull=False)
    by = ("level", "not_rated", "exemplary")
    for root, rows in tally_by_root(members, roots, unit="unit_id", day=on, by=by).items():
        for (level, not_rated, exemplary), n in rows.items():
            _add(out[root]["members"], level, not_rated, exemplary, n)
    orgs = Result.objects.filter(year=year, organization__isnull=False)
    t = tally_by_root(orgs, roots, unit="organization_id", day=on, by=("unit_kind", *by), exclude_roots=True)
    for root, rows in t.items():
        for (kind, level, not_rated, exemplary), n in rows.items():
            _add_org(out[root], kind, level, not_rated, exemplary, n)
    pending = tally_by_root(_pending(year, on), roots, unit="organization_id", day=on, by=("kind",), exclude_roots=True)
    for root, rows in pending.items():
        for (kind,), n in rows.items():
            out[root]["grassroots" if kind in GRASSROOTS else "branches"].pending += n
    return out


def _groups() -> dict[str, GroupStats]:
    return {"grassroots": GroupStats(), "branches": GroupStats(), "members": GroupStats()}


def _pending(year: int, on: dt.date) -> Any:
    """Grassroots organizations and branches on the date with no result for the year.
    NOT EXISTS, not NOT IN: PostgreSQL turns it into an anti-join; NOT IN over a nullable column with more rows
    than work_mem holds becomes a subplan per unit (minutes on the national data set)."""
    return OrgVersion.objects.filter(valid_on(on), kind__in=[*GRASSROOTS, OrgKind.BRANCH]).filter(
        ~Exists(Result.objects.filter(year=year, organization_id=OuterRef("organization_id")))
    )


def _add_org(groups: dict[str, GroupStats], kind: str, level: str, not_rated: str, exemplary: bool, n: int) -> None:
    if kind in GRASSROOTS:
        _add(groups["grassroots"], level, not_rated, exemplary, n)
    elif kind == OrgKind.BRANCH:
        _add(groups["branches"], level, not_rated, exemplary, n)


def _add(g: GroupStats, level: str, not_rated: str, exemplary: bool, n: int) -> None:
    if level:
        g.rated += n
        g.levels[level] = g.levels.get(level, 0) + n
        if exemplary:
            g.exemplary += n
    elif not_rated:
        g.not_rated[not_rated] = g.not_rated.get(not_rated, 0) + n


def stats_json(root: Organization | None, year: int, *, structure_on: dt.date | None = None) -> dict[str, Any]:
    groups = review_stats(root, year, structure_on=structure_on)
    old = regime_for_year(year).old_scheme
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
