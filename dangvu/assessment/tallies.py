"""Closed cycles' results counted per unit (ResultTally), so that a closed year's statistics sum a few rows per
unit instead of grouping every result of the year (5,5 million for the country).

A cycle's tallies are written when it closes and removed when it reopens (assessment.services), and written by
the national loader for the cycles it creates closed (synth.national_reviews). Nothing else changes the results
of a closed cycle: every decision, flag and correction goes through a service that refuses a closed cycle, so a
closed cycle's tallies are exactly the GROUP BY of its results. assessment.stats reads the tallies of a year's
closed cycles and the results of its open ones.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from .models import AssessmentCycle, Result, ResultTally


def tallies_write(*, year: int, cycle: AssessmentCycle | None = None) -> int:
    """Count the results of one cycle (or of every closed cycle of the year) into ResultTally, replacing what
    was there: one INSERT … SELECT … GROUP BY per unit, the unit being the one the statistics scope a result by
    (the member's unit when rated, or the organization rated), and one more for each cycle's totals. Returns the
    number of tally rows written."""
    tallies_remove(year=year, cycle=cycle)
    results, cycles = Result._meta.db_table, AssessmentCycle._meta.db_table
    where = "r.year = %s"
    params: list[Any] = [ResultTally.Subject.MEMBER, ResultTally.Subject.ORGANIZATION, year]
    if cycle is not None:
        where += " AND r.cycle_id = %s"
        params.append(cycle.pk)
    else:
        where += f" AND r.cycle_id IN (SELECT c.id FROM {cycles} c WHERE c.year = %s AND c.status = %s)"
        params += [year, AssessmentCycle.Status.CLOSED]
    sql = f"""
        INSERT INTO {ResultTally._meta.db_table}
            (cycle_id, year, subject, unit_id, unit_kind, level, not_rated, exemplary, n)
        SELECT r.cycle_id, r.year,
               CASE WHEN r.member_id IS NOT NULL THEN %s ELSE %s END,
               CASE WHEN r.member_id IS NOT NULL THEN r.unit_id ELSE r.organization_id END,
               r.unit_kind, r.level, r.not_rated, r.exemplary, COUNT(*)
        FROM {results} r WHERE {where}
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"""  # table names come from the models; values are bound
    # The cycles' totals (unit None) from the tallies just written: the whole country's statistics sum these.
    tallies = ResultTally._meta.db_table
    totals = f"""
        INSERT INTO {tallies} (cycle_id, year, subject, unit_id, unit_kind, level, not_rated, exemplary, n)
        SELECT t.cycle_id, t.year, t.subject, NULL, t.unit_kind, t.level, t.not_rated, t.exemplary, SUM(t.n)
        FROM {tallies} t WHERE t.year = %s AND t.unit_id IS NOT NULL{" AND t.cycle_id = %s" if cycle else ""}
        GROUP BY t.cycle_id, t.year, t.subject, t.unit_kind, t.level, t.not_rated, t.exemplary"""
    with connection.cursor() as cur:
        cur.execute(sql, params)
        written = int(cur.rowcount)
        cur.execute(totals, [year, cycle.pk] if cycle else [year])
        return written + int(cur.rowcount)


def tallies_remove(*, year: int, cycle: AssessmentCycle | None = None) -> None:
    """Forget the tallies of one cycle (it reopens: its results may change again) or of the whole year."""
    rows = ResultTally.objects.filter(year=year)
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    rows.delete()  # nothing refers to a tally: Django issues one DELETE
