"""Members per unit on tallied days (MemberTally), so that "members on a day" for the whole country sums a few
hundred thousand rows (one per unit and status) instead of joining the 5,2 million spans valid that day to the
ancestry (issue 14, item 6).

A tallied day's rows are exactly the GROUP BY (unit, status) of the spans valid on it:
* `tallies_build(days)` counts them from the spans, replacing what the days held (`dangvu indicators tally`);
* afterwards every change of a member's spans keeps them so, in the transaction of the change: the receivers in
  targets.apps append −1 for each span deleted (post_delete: members.services.spans_write deletes a member's spans
  before writing them again, a member's deletion cascades to them) and +1 for each span written (the
  members.services.spans_written signal, sent by spans_write and members_load, the only writers of spans besides
  the national generator's COPY, after which the tallies are built).
Rows are appended, never updated: two members changed at once never wait for each other; the sum is the count.

A build and a change do not cross: the build locks the days' table against the receivers (PostgreSQL), so a
change either lands before the build counts (and is counted) or after it (and sees the day, and appends).

`members_on_by_root` reads the tally of a tallied day, the spans otherwise: the same figures either way
(tests/targets/test_member_tallies.py, on the demo district and on random records).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from dangvu.dbrouting import read_connection
from dangvu.members.models import MembershipSpan
from dangvu.orgs.queries import Tally, tally_by_root

from .models import MemberTally, MemberTallyDay

BATCH = 500  # members per statement in a receiver (SQLite binds at most 999 parameters in older builds)

_TALLY, _DAYS, _SPANS = MemberTally._meta.db_table, MemberTallyDay._meta.db_table, MembershipSpan._meta.db_table


def year_days(first: int, last: int) -> list[dt.date]:
    """The days a yearly report asks for: the first and the last day of each year (members at the start and at
    the end of the period, indicators members.start and members.end)."""
    return [d for y in range(first, last + 1) for d in (dt.date(y, 1, 1), dt.date(y, 12, 31))]


def tallied_days() -> list[dt.date]:
    return list(MemberTallyDay.objects.order_by("day").values_list("day", flat=True))


def _lock_days() -> None:
    """PostgreSQL: a build (or a drop) takes the days' table in EXCLUSIVE mode, a change reads it FOR SHARE
    (_days_for_change), so that each waits for the other to commit; plain reads wait for neither. SQLite runs one
    writer at a time already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"LOCK TABLE {_DAYS} IN EXCLUSIVE MODE")


def _days_for_change() -> list[dt.date]:
    share = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cur:
        cur.execute(f"SELECT day FROM {_DAYS}{share}")  # the table name comes from the model
        return [_date(r[0]) for r in cur.fetchall()]


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def tallies_build(days: Iterable[dt.date]) -> int:
    """Count the members of every unit on each day from the spans into MemberTally, replacing what the days held
    (a rebuild also sums the rows changes appended back to one per unit and status). Returns the rows written."""
    wanted = sorted(set(days))
    written = 0
    with transaction.atomic():
        _lock_days()
        for day in wanted:
            MemberTally.objects.filter(day=day).delete()
            MemberTallyDay.objects.update_or_create(day=day)
            with connection.cursor() as cur:
                cur.execute(
                    f"""INSERT INTO {_TALLY} (day, organization_id, status, n)
                    SELECT %s, s.organization_id, s.status, COUNT(*) FROM {_SPANS} s
                    WHERE s.valid_from <= %s AND s.valid_to > %s
                    GROUP BY s.organization_id, s.status""",  # table names come from the models; values are bound
                    [day, day, day],
                )
                written += int(cur.rowcount)
    _statistics()
    return written


def tallies_drop(days: Iterable[dt.date] | None = None) -> int:
    """Forget the tallies of the days (all of them when None): those days are counted from the spans again."""
    with transaction.atomic():
        _lock_days()
        chosen = MemberTallyDay.objects.all() if days is None else MemberTallyDay.objects.filter(day__in=list(days))
        gone = list(chosen.values_list("day", flat=True))
        MemberTally.objects.filter(day__in=gone).delete()
        chosen.delete()
    return len(gone)


def _statistics() -> None:
    """Statistics now, and on PostgreSQL the visibility map too: the country's count reads the day's rows from the
    index alone from the first query on (VACUUM cannot run inside a transaction: skipped there, ANALYZE is not)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cur.execute(f"VACUUM ANALYZE {_TALLY}")
        else:
            cur.execute(f"ANALYZE {_TALLY}")


# ---------------------------------------------------------------- kept current by the changes of spans


def span_deleted(span: MembershipSpan) -> None:
    """A span is gone (its member's spans are written again, or the member deleted): −1 on the tallied days it
    covered."""
    days = [d for d in _days_for_change() if span.valid_from <= d < span.valid_to]
    if days:
        MemberTally.objects.bulk_create(
            [MemberTally(day=d, organization_id=span.organization_id, status=span.status, n=-1) for d in days]
        )


def spans_written(member_ids: list[int]) -> None:
    """The members' spans were written: +1 for each of their spans on each tallied day it covers, one statement per
    batch of members."""
    days = _days_for_change()
    if not days or not member_ids:
        return
    values = ", ".join(["(%s)"] * len(days))
    for i in range(0, len(member_ids), BATCH):
        batch = member_ids[i : i + BATCH]
        with connection.cursor() as cur:
            # A VALUES list of the days: a handful (two a year tallied).
            cur.execute(
                f"""INSERT INTO {_TALLY} (day, organization_id, status, n)
                SELECT d.column1, s.organization_id, s.status, COUNT(*)
                FROM {_SPANS} s JOIN (VALUES {values}) d ON s.valid_from <= d.column1 AND s.valid_to > d.column1
                WHERE s.member_id IN ({", ".join(["%s"] * len(batch))})
                GROUP BY d.column1, s.organization_id, s.status""",  # table names from the models; values bound
                [*days, *batch],
            )


# ---------------------------------------------------------------- read


def is_tallied(day: dt.date) -> bool:
    """Whether the day is tallied, asked of the connection the counts will be read from (a replica under
    heavy_reads(): its tallies and its days are replayed in the same transactions)."""
    with read_connection().cursor() as cur:
        cur.execute(f"SELECT 1 FROM {_DAYS} WHERE day = %s", [day])
        return cur.fetchone() is not None


def members_counted(roots: list[int], day: dt.date) -> Tally:
    """Members on the day by status for each root's subtree as it stood that day, from the spans."""
    return tally_by_root(MembershipSpan.objects.on(day), roots, unit="organization_id", day=day, by=("status",))


def members_tallied(roots: list[int], day: dt.date) -> Tally:
    """The same from a tallied day's rows (a status whose rows sum to nothing is left out, as the spans have it)."""
    return members_tallied_on([day], roots)[day]


def members_tallied_on(days: list[dt.date], roots: list[int]) -> dict[dt.date, Tally]:
    """members_tallied for several tallied days in one statement: the roots' ancestry rows are read once for all
    the days (a period's first and last days, for the whole country)."""
    t = tally_by_root(
        MemberTally.objects.filter(day__in=days),
        roots,
        unit="organization_id",
        day="day",
        by=("day", "status"),
        total="n",
    )
    out: dict[dt.date, Tally] = {d: {root: {} for root in roots} for d in days}
    for root, rows in t.items():
        for (day, status), n in rows.items():
            if n:
                out[_date(day)][root][(status,)] = n
    return out


def members_from_tallies(roots: list[int], days: list[dt.date]) -> dict[dt.date, Tally]:
    """Members by status for each root on those of the days that are tallied, all in one statement: {day: Tally}."""
    tallied = [d for d in dict.fromkeys(days) if is_tallied(d)]
    return members_tallied_on(tallied, roots) if tallied and roots else {}


def members_on_by_root(roots: list[int], day: dt.date) -> Tally:
    """Members on the day by status for each root: {root: {(status,): n}}, from the tally when the day is tallied,
    from the spans otherwise."""
    return members_from_tallies(roots, [day]).get(day) or members_counted(roots, day)
