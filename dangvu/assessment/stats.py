"""Review figures for any organization, year and structure-as-of date: counts, shares, sentences, streaks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThan

from dangvu.dbrouting import heavy_reads
from dangvu.domain.assessment.figures import GroupStats, sentences
from dangvu.domain.assessment.levels import Level, NotRated
from dangvu.domain.assessment.regimes import regime_for_year
from dangvu.domain.assessment.streaks import Mark, subjects_with_streak
from dangvu.domain.orgtree import GRASSROOTS, OrgKind
from dangvu.domain.vietnamese import add_months
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on
from dangvu.orgs.queries import tally_by_root

from .models import AssessmentCycle, Result, ResultTally
from .services import DEFAULT_RATED_ON

TOP = [Level.EXCELLENT, Level.CLEAN_STRONG]


def _scope(root: Organization | None, on: dt.date) -> Any:
    """Units of root's subtree on the date, as a subquery; None for the whole country."""
    if root is None:
        return None
    return OrgAncestry.objects.on(on).filter(ancestor=root).values("organization_id")


@heavy_reads()  # statistics: the replica when there is one (dangvu/dbrouting.py)
def review_stats(root: Organization | None, year: int, *, structure_on: dt.date | None = None) -> dict[str, GroupStats]:
    """Grassroots organizations, branches under them (counted apart, SEED F2) and members, for the year, with
    root's subtree (None: the whole country) taken as it stood on structure_on (default 31/12 of the year)."""
    if root is not None:
        return review_stats_by_root([root.pk], year, structure_on=structure_on)[root.pk]
    on = structure_on or dt.date(year, 12, 31)
    groups = _groups()
    by = ("level", "not_rated", "exemplary")
    sources = _year_rows(year, by_unit=False)
    for rows in sources[ResultTally.Subject.MEMBER]:
        for level, not_rated, exemplary, n in rows.qs.values_list(*by).annotate(n=rows.measure).order_by():
            _add(groups["members"], level, not_rated, exemplary, n)
    for rows in sources[ResultTally.Subject.ORGANIZATION]:
        for kind, level, not_rated, exemplary, n in (
            rows.qs.values_list("unit_kind", *by).annotate(n=rows.measure).order_by()
        ):
            _add_org(groups, kind, level, not_rated, exemplary, n)
    for kind, too_new, n in _pending(year, on).values_list("kind", "too_new").annotate(n=Count("*")).order_by():
        _add_pending(groups, kind, too_new, n)
    return groups


@dataclass(frozen=True)
class _Rows:
    """Rows standing for a year's results: the results themselves (each counts 1) or tallies (each counts n)."""

    qs: QuerySet[Any]
    unit: str  # the field the statistics scope a row by
    total: str | None  # the field summed, None to count rows

    @property
    def measure(self) -> Any:
        return Sum(self.total) if self.total else Count("*")


def _year_rows(year: int, *, by_unit: bool) -> dict[str, list[_Rows]]:
    """The year's results of members and of organizations, as rows to count: the tallies of its closed cycles
    (assessment.tallies, a few rows per unit) and the results of the other cycles one by one. A cycle is summed
    from its tallies only when it is closed and has them (a cycle closed by other means than cycle_close is
    counted one by one, as it is when open). One query to split the cycles (a year without cycles has none).
    by_unit: the tallies per unit, to scope by; else the cycles' totals (the whole country)."""
    tallied = Exists(ResultTally.objects.filter(cycle=OuterRef("pk")))
    summed, counted, stale = [], [], False
    cycles = AssessmentCycle.objects.filter(year=year).annotate(tallied=tallied)
    for pk, status, has in cycles.values_list("pk", "status", "tallied"):
        if status == AssessmentCycle.Status.CLOSED and has:
            summed.append(pk)
        else:
            counted.append(pk)
            stale = stale or has
    out: dict[str, list[_Rows]] = {}
    for subject, unit in (
        (ResultTally.Subject.MEMBER, "unit_id"),
        (ResultTally.Subject.ORGANIZATION, "organization_id"),
    ):
        rows = out[subject] = []
        if summed:
            tallies = ResultTally.objects.filter(year=year, subject=subject, unit__isnull=not by_unit)
            rows.append(_Rows(tallies.filter(cycle_id__in=summed) if stale else tallies, "unit_id", "n"))
        if counted:
            member = subject == ResultTally.Subject.MEMBER
            results = Result.objects.filter(
                year=year, **{"member__isnull" if member else "organization__isnull": False}
            )
            rows.append(_Rows(results.filter(cycle_id__in=counted) if summed else results, unit, None))
    return out


@heavy_reads()
def review_stats_by_root(
    roots: list[int], year: int, *, structure_on: dt.date | None = None
) -> dict[int, dict[str, GroupStats]]:
    """review_stats for each of the roots at once: a few grouped queries whatever their number (the indicator
    catalogue for every province of the country). A closed cycle's results are summed from its tallies, an open
    one's counted (_year_rows). Organizations are classed by their kind on the rating day (Result.unit_kind); the
    roots' own results are not counted under them (indexes tally_year_subject_idx, tally_unit_year_idx;
    result_year_unit_level_idx, result_member_stats_idx, result_org_stats_idx for open cycles)."""
    on = structure_on or dt.date(year, 12, 31)
    out = {r: _groups() for r in roots}
    by = ("level", "not_rated", "exemplary")
    sources = _year_rows(year, by_unit=True)
    for rows in sources[ResultTally.Subject.MEMBER]:
        for root, counts in tally_by_root(rows.qs, roots, unit=rows.unit, day=on, by=by, total=rows.total).items():
            for (level, not_rated, exemplary), n in counts.items():
                _add(out[root]["members"], level, not_rated, exemplary, n)
    for rows in sources[ResultTally.Subject.ORGANIZATION]:
        t = tally_by_root(
            rows.qs, roots, unit=rows.unit, day=on, by=("unit_kind", *by), total=rows.total, exclude_roots=True
        )
        for root, counts in t.items():
            for (kind, level, not_rated, exemplary), n in counts.items():
                _add_org(out[root], kind, level, not_rated, exemplary, n)
    pending = tally_by_root(
        _pending(year, on), roots, unit="organization_id", day=on, by=("kind", "too_new"), exclude_roots=True
    )
    for root, counts in pending.items():
        for (kind, too_new), n in counts.items():
            _add_pending(out[root], kind, too_new, n)
    return out


def _add_pending(groups: dict[str, GroupStats], kind: str, too_new: Any, n: int) -> None:
    g = groups["grassroots" if kind in GRASSROOTS else "branches"]
    if too_new:
        g.too_new += n
    else:
        g.pending += n


def _groups() -> dict[str, GroupStats]:
    return {"grassroots": GroupStats(), "branches": GroupStats(), "members": GroupStats()}


def _pending(year: int, on: dt.date) -> Any:
    """Grassroots organizations and branches on the date with no result for the year, each marked too_new when it
    was set up too recently before its rating day to be rated (rules.org_not_rated: fewer than the regime's
    min_months_since_established, HD 21 II.6 [V]); those are not pending, they will not be rated.
    NOT EXISTS, not NOT IN: PostgreSQL turns it into an anti-join; NOT IN over a nullable column with more rows
    than work_mem holds becomes a subplan per unit (minutes on the national data set)."""
    qs = OrgVersion.objects.filter(valid_on(on), kind__in=[*GRASSROOTS, OrgKind.BRANCH]).filter(
        ~Exists(Result.objects.filter(year=year, organization_id=OuterRef("organization_id")))
    )
    return qs.annotate(too_new=too_new_case(year, on))


def too_new_case(year: int, on: dt.date) -> Case:
    """Whether the unit of an OrgVersion row was set up too recently to be rated in the year: established (its
    first version) after its rating day less the regime's months. The rating day is the one of the nearest cycle
    of the year above the unit (AssessmentCycle.rated_on), else the default day; the few distinct days of the
    year each get their own bound, so no date arithmetic runs in SQL."""
    months = regime_for_year(year).min_months_since_established
    established = Subquery(
        OrgVersion.objects.filter(organization_id=OuterRef("organization_id"))
        .order_by("valid_from")
        .values("valid_from")[:1]
    )
    default_day = dt.date(year, *DEFAULT_RATED_ON)
    days = set(AssessmentCycle.objects.filter(year=year).values_list("rated_on", flat=True).distinct())
    if not days or days == {default_day}:
        bound = add_months(default_day, -months)
        return Case(When(Q(GreaterThan(established, Value(bound))), then=Value(True)), default=Value(False))
    rating_day = Subquery(
        AssessmentCycle.objects.filter(
            year=year,
            committee__descendancy__organization_id=OuterRef("organization_id"),
            committee__descendancy__valid_from__lte=on,
            committee__descendancy__valid_to__gt=on,
        )
        .order_by("committee__descendancy__depth")
        .values("rated_on")[:1]
    )
    whens = [
        When(
            Q(Exact(Coalesce(rating_day, Value(default_day)), Value(day)))
            & Q(GreaterThan(established, Value(add_months(day, -months)))),
            then=Value(True),
        )
        for day in sorted(days | {default_day})
    ]
    return Case(*whens, default=Value(False))


def _add_org(groups: dict[str, GroupStats], kind: str, level: str, not_rated: str, exemplary: bool, n: int) -> None:
    if kind not in GRASSROOTS and kind != OrgKind.BRANCH:
        return
    g = groups["grassroots" if kind in GRASSROOTS else "branches"]
    _add(g, level, not_rated, exemplary, n)
    if not_rated == NotRated.ESTABLISHED_RECENTLY:
        g.too_new += n


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


@heavy_reads()
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


@heavy_reads()
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
