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
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from dangvu.db import refresh_statistics
from dangvu.domain.alerts import BADGE_LOOKBACK, Window, badge_window, milestone_reached_on
from dangvu.domain.badges import MILESTONES, next_occasion
from dangvu.domain.membership import EventKind, History, Status, derive
from dangvu.domain.periods import OPEN_END
from dangvu.domain.vietnamese import add_months, fold
from dangvu.members.models import MemberEvent, MembershipSpan
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


def member_rows(member_ids: list[int], cov: DueCoverage, *, badges_only: bool = False) -> list[Due]:
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
            if status == Status.PROBATIONARY and not badges_only:
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
            reached = milestone_reached_on(history, m, until=cov.covers_to + OCCASION_GAP)
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


def _badge_bands(cov: DueCoverage) -> list[tuple[int, dt.date, dt.date]]:
    """Per milestone, the first admissions whose milestone may show within the coverage (a week's margin)."""
    week = dt.timedelta(days=7)
    lo = cov.covers_from - BADGE_LOOKBACK - week
    hi = cov.covers_to + OCCASION_GAP + week
    return [(m, add_months(lo, -12 * m), add_months(hi, -12 * m)) for m in MILESTONES]


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    d = first
    while d <= last:
        yield d
        d += dt.timedelta(days=1)


# Set-based rebuild: the windows are computed in Python (domain.alerts) once per distinct date a rule counts from,
# written to a temporary table, and joined with the spans and events in one INSERT … SELECT per kind. SQL that
# SQLite and PostgreSQL both run (CASE for the larger/smaller of two dates; "on" quoted).
_SPANS = """
    SELECT s.member_id, s.organization_id, s.valid_from, s.valid_to FROM members_membershipspan s
    WHERE s.valid_from <= %s AND s.valid_to > %s {status} {units}"""
_UNITS = """AND s.organization_id IN (SELECT a.organization_id FROM orgs_organcestry a
    WHERE a.ancestor_id = %s AND a.valid_from <= %s AND a.valid_to > %s)"""
# The latest entry (admission or readmission) of each member of p: work.alerts counts only that one.
_ENTRIES = """
    SELECT ev.member_id, ev."on" AS decided_on, ev.ceremony_on FROM members_memberevent ev
    WHERE ev.kind IN ('admission', 'readmission') AND ev.member_id IN (SELECT member_id FROM p)
      AND NOT EXISTS (SELECT 1 FROM members_memberevent l WHERE l.member_id = ev.member_id
                      AND l.kind IN ('admission', 'readmission') AND l."on" > ev."on")"""
_INSERT = """INSERT INTO work_due
    (kind, member_id, candidate_id, organization_id, starts_on, due_on, milestone, shows_from, shows_until,
     overdue_from)"""


def _span_params(cov: DueCoverage, units: tuple[int, dt.date] | None) -> tuple[str, list[Any]]:
    if units is None:
        return "", [cov.covers_to, cov.covers_from]
    root_id, on = units
    return _UNITS, [cov.covers_to, cov.covers_from, root_id, on, on]


def _map_table(cur: Any, name: str, rows: list[tuple[Any, ...]], columns: str) -> None:
    cur.execute(f"DROP TABLE IF EXISTS {name}")
    cur.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")
    n = len(columns.split(","))
    for i in range(0, len(rows), 2000):
        cur.executemany(f"INSERT INTO {name} VALUES ({', '.join(['%s'] * n)})", rows[i : i + 2000])


def _pipeline_rows(cur: Any, cov: DueCoverage, units: tuple[int, dt.date] | None) -> None:
    """Ceremonies not held and recognitions due, per probationary span within the coverage."""
    filt, params = _span_params(cov, units)
    p = _SPANS.format(status="AND s.status = 'probationary'", units=filt)
    cur.execute(f"WITH p AS ({p}), e AS ({_ENTRIES}) SELECT DISTINCT decided_on, ceremony_on FROM e", params)
    rows = []
    for decided_on, ceremony_on in cur.fetchall():
        decided_on = _date(decided_on)
        ceremony_on = _date(ceremony_on) if ceremony_on is not None else None
        kind, w, starts = entry_window(decided_on, ceremony_on)
        rows.append((decided_on, ceremony_on, kind, starts, w.due_on, w.shows_from, w.overdue_from))
    _map_table(
        cur,
        "due_entry_map",
        rows,
        "decided_on date, ceremony_on date, kind varchar(12), starts_on date, "
        "due_on date, shows_from date, overdue_from date",
    )
    cur.execute(
        f"""WITH p AS ({p}), e AS ({_ENTRIES})
        {_INSERT}
        SELECT m.kind, p.member_id, NULL, p.organization_id, m.starts_on, m.due_on, NULL,
               CASE WHEN m.shows_from > p.valid_from THEN m.shows_from ELSE p.valid_from END, p.valid_to,
               m.overdue_from
        FROM p JOIN e ON e.member_id = p.member_id
        JOIN due_entry_map m ON m.decided_on = e.decided_on
             AND (m.ceremony_on = e.ceremony_on OR (m.ceremony_on IS NULL AND e.ceremony_on IS NULL))
        WHERE m.shows_from < p.valid_to""",
        params,
    )


def _badge_rows(cur: Any, cov: DueCoverage, units: tuple[int, dt.date] | None) -> None:
    """Badges of members never readmitted (party age from the admission, no time outside: QĐ 24 4.5), per span
    within the coverage; the milestone days and windows computed once per admission day of each band."""
    rows = []
    for m, lo, hi in _badge_bands(cov):
        for first in _days(lo, hi):
            reached = milestone_reached_on(History(first_admitted_on=first), m)
            if reached is None:
                continue
            w = badge_window(reached)
            if w.shows_from <= cov.covers_to and w.shows_until > cov.covers_from:
                rows.append((first, m, reached, w.shows_from, w.shows_until))
    _map_table(
        cur, "due_badge_map", rows, "first_on date, milestone integer, reached date, shows_from date, shows_until date"
    )
    filt, params = _span_params(cov, units)
    p = _SPANS.format(status="", units=filt)
    cur.execute(
        f"""WITH p AS ({p})
        {_INSERT}
        SELECT 'badge', p.member_id, NULL, p.organization_id, b.reached, NULL, b.milestone,
               CASE WHEN b.shows_from > p.valid_from THEN b.shows_from ELSE p.valid_from END,
               CASE WHEN b.shows_until < p.valid_to THEN b.shows_until ELSE p.valid_to END, %s
        FROM p JOIN members_memberevent ev ON ev.member_id = p.member_id AND ev.kind = 'admission'
        JOIN due_badge_map b ON b.first_on = ev."on"
        WHERE b.shows_from < p.valid_to AND b.shows_until > p.valid_from
          AND NOT EXISTS (SELECT 1 FROM members_memberevent r WHERE r.member_id = p.member_id
                          AND r.kind = 'readmission')
          AND NOT EXISTS (SELECT 1 FROM work_badgeaward a WHERE a.member_id = p.member_id
                          AND a.milestone = b.milestone)""",
        [*params, OPEN_END],
    )


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def rebuild(*, root: Organization | None = None, on: dt.date | None = None) -> int:
    """Recompute the stored alerts from the records, set-based: all of them (the coverage moves to the days
    around `on`, default today), or those of a subtree's units on `on`. Returns the rows written."""
    on = on or dt.date.today()
    with transaction.atomic(), connection.cursor() as cur:
        if root is None:
            Due.objects.all().delete()
            DueCoverage.objects.all().delete()
        cov = coverage() or DueCoverage.objects.create(built_on=on, covers_from=on - BEHIND, covers_to=on + AHEAD)
        candidates = Candidate.objects.all()
        units: tuple[int, dt.date] | None = None
        if root is not None:
            ids = subtree_ids(root, on)
            Due.objects.filter(organization_id__in=ids).delete()
            candidates = candidates.filter(organization_id__in=ids)
            units = (root.pk, on)
        Due.objects.bulk_create(candidate_rows(candidates), batch_size=2000)
        _pipeline_rows(cur, cov, units)
        _badge_rows(cur, cov, units)
        # The readmitted members' badges: their time outside is derived from their histories, in Python.
        filt, params = _span_params(cov, units)
        cur.execute(
            f"""WITH p AS ({_SPANS.format(status="", units=filt)})
            SELECT DISTINCT r.member_id FROM members_memberevent r
            WHERE r.kind = 'readmission' AND r.member_id IN (SELECT member_id FROM p)""",
            params,
        )
        readmitted = sorted(r[0] for r in cur.fetchall())
        for i in range(0, len(readmitted), BATCH):
            Due.objects.bulk_create(member_rows(readmitted[i : i + BATCH], cov, badges_only=True), batch_size=2000)
        for t in ("due_entry_map", "due_badge_map"):
            cur.execute(f"DROP TABLE IF EXISTS {t}")
        n = Due.objects.count() if root is None else Due.objects.filter(organization_id__in=ids).count()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Visibility map and statistics now, so that the pages' counts are index-only from the first request.
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE work_due")
    else:
        refresh_statistics("work_due")
    return n


# ---------------------------------------------------------------- reading them


def listed(root: Organization, on: dt.date) -> QuerySet[Due]:
    """The stored alerts of root's subtree on `on`, in the order the dashboard lists them (overdue first, then by
    due date): the rows of its units on that day, with `late` (0 overdue, 1 not yet) and `due` annotated. The
    units as a list: PostgreSQL then probes the covering index once per unit (as a subquery it misjudged a
    province's thousands of units as a few dozen, and sorted every row of the country: Hà Nội 1,8 s)."""
    units = subtree_ids(root, on)
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
            m = r.member
            assert m is not None  # with_names read it
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
            c = r.candidate
            assert c is not None
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
    # Counted on columns of due_org_shows_idx (COUNT(*), kind): the index answers alone; the primary key is not in it.
    got = rows.order_by().aggregate(n=Count("*"), nlate=Count("kind", filter=Q(late=0)))
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
    # The first ones chosen on the index's columns alone (a top-N sort), then their names: joining every row to
    # its member before the sort read a province's thousands of members.
    ids = list(rows.values_list("pk", flat=True)[:first])
    return Summary(n, late, as_alerts(with_names(rows.filter(pk__in=ids)), on))


def page_rows(rows: QuerySet[Due], on: dt.date, *, kind: str = "", overdue: bool = False, q: str = "") -> QuerySet[Due]:
    """The alerts page's filters on the stored rows, in the order it groups them (work.alerts.select): by kind,
    the overdue first, then by due date and name."""
    if kind:
        rows = rows.filter(kind=kind)
    if overdue:
        rows = rows.filter(overdue_from__lte=on)
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
        .annotate(n=Count("*"), nlate=Count("kind", filter=Q(late=0)))
        .values_list("kind", "n", "nlate")
    }
    return [Group(k.value, str(label), *got[k.value]) for k, label in KIND_LABELS.items() if k.value in got]
