"""The alerts kept current (work.models.Due): what is due per member and candidate, with the days it shows.

The rows are derived from the same records and the same rules (domain.alerts) as work.alerts.alerts, which
computes a subtree's alerts whole; the pages read the rows instead, filtered by the subtree's units and the day
(an indexed range), so a province's alerts cost what its list of units costs.

Who keeps them: the member services (a signal sent when a member's spans are rewritten), the candidate and badge
services, the bulk paths of imports and the generator, and `dangvu alerts rebuild` (after imports and generation,
and as a repair). A member's rows are kept for the days around the last rebuild (BEHIND, AHEAD); a day outside
them is computed whole. Run the rebuild every night (cron) so that today stays inside.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from dangvu.domain.alerts import BADGE_LOOKBACK, Window, badge_window, milestone_reached_on
from dangvu.domain.badges import MILESTONES, next_occasion
from dangvu.domain.membership import EventKind, History, Status, derive
from dangvu.domain.vietnamese import add_months, fold
from dangvu.members.models import Member, MemberEvent, MembershipSpan
from dangvu.members.services import as_domain
from dangvu.orgs.models import Organization
from dangvu.orgs.queries import subtree_ids

from .alerts import KIND_LABELS, Alert, Group, alert_of, alerts, candidate_windows, entry_window
from .models import AlertKind, BadgeAward, Candidate, Due, DueCoverage

# [I] the days around a rebuild whose alerts are stored: a quarter back (a dashboard opened "as of" a recent
# day) and a quarter ahead (a nightly rebuild may fail for weeks before today leaves them).
BEHIND = dt.timedelta(days=92)
AHEAD = dt.timedelta(days=92)
# A badge window opens at most this long before its milestone (the longest gap between occasions, 7/11 → 3/2).
OCCASION_GAP = dt.timedelta(days=90)
BATCH = 5000


def coverage() -> DueCoverage | None:
    return DueCoverage.objects.order_by("-pk").first()


def covers(on: dt.date) -> bool:
    c = coverage()
    return c is not None and c.covers_from <= on <= c.covers_to


# ---------------------------------------------------------------- deriving the rows


def candidate_rows(candidates: Iterable[Candidate]) -> list[Due]:
    """An open candidate's deadlines (a candidate admitted or dropped has none); they do not depend on the day."""
    out = []
    for c in candidates:
        if c.stage in (Candidate.Stage.ADMITTED, Candidate.Stage.DROPPED):
            continue
        for kind, w, starts in candidate_windows(c):
            out.append(_row(kind, w, starts, candidate_id=c.pk, organization_id=c.organization_id))
    return out


def _row(kind: str, w: Window, starts_on: dt.date, **ids: Any) -> Due:
    return Due(
        kind=kind,
        starts_on=starts_on,
        due_on=w.due_on,
        shows_from=w.shows_from,
        shows_until=w.shows_until,
        overdue_from=w.overdue_from,
        **ids,
    )


def member_rows(member_ids: list[int], cov: DueCoverage) -> list[Due]:
    """The rows of these members for the days cov covers, read in a fixed number of queries: the admission
    pipeline's next step while probationary (per probationary span), and each badge milestone not awarded while
    in a unit (per span)."""
    spans: dict[int, list[tuple[int, str, dt.date, dt.date]]] = defaultdict(list)
    for mid, org, status, start, end in MembershipSpan.objects.filter(
        member_id__in=member_ids, valid_from__lte=cov.covers_to, valid_to__gt=cov.covers_from
    ).values_list("member_id", "organization_id", "status", "valid_from", "valid_to"):
        spans[mid].append((org, status, start, end))
    entries: dict[int, list[MemberEvent]] = defaultdict(list)
    for e in MemberEvent.objects.filter(
        member_id__in=list(spans), kind__in=[EventKind.ADMISSION, EventKind.READMISSION]
    ).order_by("member_id", "on"):
        entries[e.member_id].append(e)
    readmitted = {mid for mid, evs in entries.items() if any(e.kind == EventKind.READMISSION for e in evs)}
    histories: dict[int, list[MemberEvent]] = defaultdict(list)
    for e in MemberEvent.objects.filter(member_id__in=list(readmitted)).order_by("member_id", "on"):
        histories[e.member_id].append(e)
    given = set(BadgeAward.objects.filter(member_id__in=list(spans)).values_list("member_id", "milestone"))
    out: list[Due] = []
    for mid, held in spans.items():
        evs = entries.get(mid, [])
        if not evs:
            continue
        # Ceremony or recognition: the latest entry counts (work.alerts), while a probationary span lasts.
        latest = evs[-1]
        kind, w, starts = entry_window(latest.on, latest.ceremony_on)
        for org, status, start, end in held:
            if status == Status.PROBATIONARY:
                out += _clipped(kind, w, starts, start, end, member_id=mid, organization_id=org)
        admissions = [e.on for e in evs if e.kind == EventKind.ADMISSION]
        if not admissions:
            continue
        # Party age from the first admission; only readmitted members have time outside to derive (QĐ 24 4.5).
        history = (
            derive([as_domain(e) for e in histories[mid]])
            if mid in readmitted
            else History(first_admitted_on=admissions[0])
        )
        for m in MILESTONES:
            if (mid, m) in given:
                continue
            earliest = add_months(admissions[0], 12 * m) - dt.timedelta(days=4)  # gaps only delay it
            if earliest - OCCASION_GAP > cov.covers_to:
                break
            # Without time outside, the milestone is within days of `earliest`, and shows for a year after it.
            if mid not in readmitted and earliest + dt.timedelta(days=8) + BADGE_LOOKBACK <= cov.covers_from:
                continue
            reached = milestone_reached_on(history, m)
            if reached is None:
                continue
            bw = badge_window(reached)
            for org, _status, start, end in held:
                out += _clipped(
                    AlertKind.BADGE, bw, reached, start, end, member_id=mid, organization_id=org, milestone=m
                )
    return out


def _clipped(kind: str, w: Window, starts_on: dt.date, start: dt.date, end: dt.date, **ids: Any) -> list[Due]:
    """The row for the days both the window and the span hold, or none."""
    first, until = max(w.shows_from, start), min(w.shows_until, end)
    if first >= until:
        return []
    row = _row(kind, w, starts_on, **ids)
    row.shows_from, row.shows_until = first, until
    return [row]


# ---------------------------------------------------------------- keeping them current


def refresh_members(member_ids: Iterable[int]) -> None:
    """Rewrite these members' rows (called in the transaction of the change; nothing to do before a rebuild)."""
    cov = coverage()
    ids = list(set(member_ids))
    if cov is None or not ids:
        return
    for i in range(0, len(ids), BATCH):
        batch = ids[i : i + BATCH]
        Due.objects.filter(member_id__in=batch).delete()
        Due.objects.bulk_create(member_rows(batch, cov), batch_size=2000)


def refresh_candidates(candidate_ids: Iterable[int]) -> None:
    ids = list(set(candidate_ids))
    if coverage() is None or not ids:
        return
    Due.objects.filter(candidate_id__in=ids).delete()
    Due.objects.bulk_create(candidate_rows(Candidate.objects.filter(pk__in=ids)), batch_size=2000)


def _badge_bands(cov: DueCoverage) -> Q:
    """First admissions whose milestones may show within the coverage (a margin of a week either side)."""
    week = dt.timedelta(days=7)
    lo = cov.covers_from - dt.timedelta(days=365) - week
    hi = cov.covers_to + OCCASION_GAP + week
    return functools.reduce(
        operator.or_, (Q(on__range=(add_months(lo, -12 * m), add_months(hi, -12 * m))) for m in MILESTONES)
    )


def _members_to_derive(cov: DueCoverage, units: list[int] | None) -> Iterator[int]:
    """Members who may have a row within the coverage: probationary then, first admitted within a milestone's
    band, or readmitted."""
    spans = MembershipSpan.objects.filter(valid_from__lte=cov.covers_to, valid_to__gt=cov.covers_from)
    if units is not None:
        spans = spans.filter(organization_id__in=units)
    ids: set[int] = set(spans.filter(status=Status.PROBATIONARY).values_list("member_id", flat=True))
    events = MemberEvent.objects.filter(Q(kind=EventKind.ADMISSION) & _badge_bands(cov) | Q(kind=EventKind.READMISSION))
    if units is not None:
        events = events.filter(member_id__in=spans.values("member_id"))
    ids.update(events.values_list("member_id", flat=True))
    return iter(sorted(ids))


def rebuild(*, root: Organization | None = None, on: dt.date | None = None) -> int:
    """Recompute the stored alerts from the records, in batches: all of them, or a subtree's (its units on `on`
    and the days around it). The coverage moves to the days around `on` (default today) on a whole rebuild."""
    on = on or dt.date.today()
    with transaction.atomic():
        if root is None:
            Due.objects.all().delete()
            DueCoverage.objects.all().delete()
            cov = DueCoverage.objects.create(built_on=on, covers_from=on - BEHIND, covers_to=on + AHEAD)
            units = None
            candidates = Candidate.objects.all()
        else:
            cov = coverage() or DueCoverage.objects.create(built_on=on, covers_from=on - BEHIND, covers_to=on + AHEAD)
            units = subtree_ids(root, on)
            Due.objects.filter(organization_id__in=units).delete()
            candidates = Candidate.objects.filter(organization_id__in=units)
        n = 0
        rows = candidate_rows(candidates.exclude(stage__in=[Candidate.Stage.ADMITTED, Candidate.Stage.DROPPED]))
        Due.objects.bulk_create(rows, batch_size=2000)
        n += len(rows)
        ids = list(_members_to_derive(cov, units))
        for i in range(0, len(ids), BATCH):
            batch = ids[i : i + BATCH]
            if units is not None:
                Due.objects.filter(member_id__in=batch).delete()
            rows = member_rows(batch, cov)
            Due.objects.bulk_create(rows, batch_size=2000)
            n += len(rows)
    return n


# ---------------------------------------------------------------- reading them


def listed(root: Organization, on: dt.date, units: list[int] | None = None) -> QuerySet[Due]:
    """The stored alerts of root's subtree on `on`, in the order the dashboard lists them (overdue first, then by
    due date): the rows of its units on that day, with `late` (0 overdue, 1 not yet) and `due` annotated."""
    units = subtree_ids(root, on) if units is None else units
    return (
        Due.objects.filter(organization_id__in=units, shows_from__lte=on, shows_until__gt=on)
        .annotate(
            late=Case(When(overdue_from__lte=on, then=Value(0)), default=Value(1), output_field=IntegerField()),
            due=Coalesce("due_on", Value(next_occasion(on))),
        )
        .order_by("late", "due", "kind", "pk")
    )


def as_alerts(rows: Iterable[Due], on: dt.date) -> list[Alert]:
    """The rows as the pages show them (names and codes read with them: select_related in the caller)."""
    out = []
    for r in rows:
        w = Window(r.due_on, r.shows_from, r.shows_until, r.overdue_from)
        if r.member_id is not None:
            m: Member = r.member
            out.append(
                alert_of(
                    r.kind,
                    w,
                    on,
                    m.full_name,
                    starts_on=r.starts_on,
                    milestone=r.milestone,
                    member_code=m.code,
                    org_id=r.organization_id,
                )
            )
        else:
            c: Candidate = r.candidate
            out.append(
                alert_of(r.kind, w, on, c.full_name, starts_on=r.starts_on, candidate_id=c.pk, org_id=r.organization_id)
            )
    return out


def with_names(rows: QuerySet[Due]) -> QuerySet[Due]:
    return rows.select_related("member", "candidate").only(
        *("kind", "starts_on", "due_on", "milestone", "shows_from", "shows_until", "overdue_from", "organization_id"),
        *("member__full_name", "member__code", "candidate__full_name"),
    )


def stored_alerts(root: Organization, on: dt.date) -> list[Alert]:
    return as_alerts(with_names(listed(root, on)), on)


def counts(rows: QuerySet[Due]) -> tuple[int, int]:
    """How many alerts, and how many of them overdue, in one query."""
    got = rows.order_by().aggregate(n=Count("pk"), nlate=Count("pk", filter=Q(late=0)))
    return got["n"], got["nlate"]


# ---------------------------------------------------------------- what the pages show


@dataclass(frozen=True)
class Summary:
    """The dashboard's fragment: how many alerts, how many overdue, the first ones."""

    n: int
    overdue: int
    first: list[Alert]

    @classmethod
    def of(cls, found: list[Alert], first: int = 12) -> Summary:
        """From alerts computed whole (work.alerts.alerts)."""
        return cls(len(found), sum(1 for a in found if a.overdue), found[:first])


def summary(root: Organization, on: dt.date, first: int = 12) -> Summary:
    """From the stored rows (three queries whatever the subtree's size); a day they do not cover is computed
    whole (work.alerts.alerts)."""
    if not covers(on):
        return Summary.of(alerts(root, on), first)
    rows = listed(root, on)
    n, late = counts(rows)
    return Summary(n, late, as_alerts(with_names(rows)[:first], on))


def page_rows(rows: QuerySet[Due], *, kind: str = "", overdue: bool = False, q: str = "") -> QuerySet[Due]:
    """The alerts page's filters on the stored rows, in the order it groups them (work.alerts.select): by kind,
    the overdue first, then by due date and name."""
    if kind:
        rows = rows.filter(kind=kind)
    if overdue:
        rows = rows.filter(late=0)
    for w in fold(q).split():
        rows = rows.filter(Q(member__full_name_folded__contains=w) | Q(candidate__search_folded__contains=w))
    order = Case(*(When(kind=k.value, then=Value(i)) for i, k in enumerate(KIND_LABELS)), default=Value(99))
    return rows.annotate(kind_order=order, subject=Coalesce("member__full_name", "candidate__full_name")).order_by(
        "kind_order", "late", "due", "subject", "pk"
    )


def kind_groups(rows: QuerySet[Due]) -> list[Group]:
    """How many alerts of each kind and how many overdue, in KIND_LABELS' order (work.alerts.groups), counted in
    the database."""
    got = {
        k: (n, late)
        for k, n, late in rows.order_by()
        .values("kind")
        .annotate(n=Count("pk"), nlate=Count("pk", filter=Q(late=0)))
        .values_list("kind", "n", "nlate")
    }
    return [Group(k.value, label, *got[k.value]) for k, label in KIND_LABELS.items() if k.value in got]
