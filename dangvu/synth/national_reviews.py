"""Review results at national scale, set-based in PostgreSQL (for benchmarks).

For each year, every member holding a span on 15/12 gets a result in their unit, and every grassroots
organization and branch gets one. Levels come from a hash of (subject, year) with a per-subject
propensity, so the distributions are realistic and some members stay at the top level for years
(streaks). Deterministic; no rules are checked here — the district generator (synth.ratings) is the one
that goes through the review services. One cycle per province per year holds the results; the cycles are
closed, so their tallies (assessment.tallies) are written as a close writes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.db import connection, transaction

from dangvu.assessment.tallies import tallies_remove, tallies_write
from dangvu.domain.orgtree import GRASSROOTS

# A member's propensity p = hash(member) in [0, 1); the year's draw r = hash(member, year) in [0, 1).
# Top level when p > 0.85 and r < 0.8 (a steady core), otherwise by r: 12% top, 73% good, 13% satisfactory, 2% failed,
# the top kept within 20% of good by construction of the shares.
MEMBER_LEVEL_SQL = """
CASE
  WHEN (abs(hashtext(s.member_id::text)) %% 1000) >= 850
       AND (abs(hashtext(s.member_id::text || ':' || %(year)s)) %% 1000) < 800 THEN 'excellent'
  WHEN (abs(hashtext(s.member_id::text || ':' || %(year)s)) %% 1000) < 40 THEN 'excellent'
  WHEN (abs(hashtext(s.member_id::text || ':' || %(year)s)) %% 1000) < 850 THEN 'good'
  WHEN (abs(hashtext(s.member_id::text || ':' || %(year)s)) %% 1000) < 980 THEN 'satisfactory'
  ELSE 'failed' END
"""
ORG_LEVEL_SQL = """
CASE
  WHEN (abs(hashtext(v.organization_id::text || ':' || %(year)s)) %% 100) < %(top)s THEN %(top_level)s
  WHEN (abs(hashtext(v.organization_id::text || ':' || %(year)s)) %% 100) < 88 THEN 'good'
  WHEN (abs(hashtext(v.organization_id::text || ':' || %(year)s)) %% 100) < 98 THEN 'satisfactory'
  ELSE %(bottom_level)s END
"""


def load_national_reviews(years: range, out: TextIO) -> dict[int, int]:
    if connection.vendor != "postgresql":
        raise RuntimeError("Chỉ chạy trên PostgreSQL.")
    from dangvu.domain.assessment.regimes import regime_for_year

    counts: dict[int, int] = {}
    grassroots = tuple(GRASSROOTS)
    for year in years:
        on = dt.date(year, 12, 15)
        regime = regime_for_year(year)
        old = regime.old_scheme
        params: dict[str, Any] = {
            "year": year,
            "on": on,
            "regime": regime.code,
            "grassroots": list(grassroots),
            "top": 40 if old else 22,
            "top_level": "clean_strong" if old else "excellent",
            "bottom_level": "weak" if old else "failed",
        }
        with transaction.atomic(), connection.cursor() as cur:
            tallies_remove(year=year)
            cur.execute("DELETE FROM assessment_result WHERE year = %(year)s", params)
            cur.execute("DELETE FROM assessment_assessmentcycle WHERE year = %(year)s", params)
            # One cycle per province (or top-level bloc) alive on the rating day.
            cur.execute(
                """
                INSERT INTO assessment_assessmentcycle (year, committee_id, regime, rated_on, status, closed_at)
                SELECT %(year)s, v.organization_id, %(regime)s, %(on)s, 'closed', now()
                FROM orgs_orgversion v WHERE v.parent_id IS NULL AND v.valid_from <= %(on)s AND v.valid_to > %(on)s
            """,
                params,
            )
            cur.execute(
                f"""
                INSERT INTO assessment_result (cycle_id, year, member_id, organization_id, unit_id, grassroots_id,
                    unit_kind, level, not_rated, exemplary, override_reason, decided_by, decided_at)
                SELECT c.id, %(year)s, s.member_id, NULL, s.organization_id, g.ancestor_id, v.kind,
                       {MEMBER_LEVEL_SQL}, '', false, '', 'national_reviews', now()
                FROM members_membershipspan s
                JOIN orgs_orgversion v ON v.organization_id = s.organization_id
                     AND v.valid_from <= %(on)s AND v.valid_to > %(on)s
                JOIN orgs_organcestry top ON top.organization_id = s.organization_id
                     AND top.valid_from <= %(on)s AND top.valid_to > %(on)s
                JOIN assessment_assessmentcycle c ON c.committee_id = top.ancestor_id AND c.year = %(year)s
                LEFT JOIN orgs_organcestry g ON g.organization_id = s.organization_id
                     AND g.valid_from <= %(on)s AND g.valid_to > %(on)s AND g.ancestor_kind = ANY(%(grassroots)s)
                WHERE s.valid_from <= %(on)s AND s.valid_to > %(on)s
            """,
                params,
            )
            members = cur.rowcount
            cur.execute(
                f"""
                INSERT INTO assessment_result (cycle_id, year, member_id, organization_id, unit_id, grassroots_id,
                    unit_kind, level, not_rated, exemplary, override_reason, decided_by, decided_at)
                SELECT c.id, %(year)s, NULL, v.organization_id, v.organization_id, NULL, v.kind,
                       lv.level, '', lv.level = %(top_level)s AND (abs(hashtext(v.organization_id::text)) %% 10) = 0,
                       '', 'national_reviews', now()
                FROM orgs_orgversion v
                CROSS JOIN LATERAL (SELECT {ORG_LEVEL_SQL} AS level) lv
                JOIN orgs_organcestry top ON top.organization_id = v.organization_id
                     AND top.valid_from <= %(on)s AND top.valid_to > %(on)s
                JOIN assessment_assessmentcycle c ON c.committee_id = top.ancestor_id AND c.year = %(year)s
                WHERE v.valid_from <= %(on)s AND v.valid_to > %(on)s
                  AND v.kind IN ('grassroots_committee', 'grassroots_branch', 'branch', 'partial_committee')
            """,
                params,
            )
            counts[year] = members + cur.rowcount
            # The cycles are created closed: their results counted per unit, as a close would (assessment.tallies).
            tallies_write(year=year)
        out.write(f"  {year}: {counts[year]:,} kết quả\n".replace(",", "."))
    with connection.cursor() as cur:
        cur.execute("ANALYZE assessment_result")
        cur.execute("ANALYZE assessment_resulttally")
    return counts
