"""Demo reviews 2012–2025: realistic level distributions decided through the review services.

Each year opens a cycle, records a few facts (discipline, sick leave, state ratings), decides members
under the caps and the quota, then branches, partial committees and grassroots organizations from their
members' and sub-units' levels (the services refuse anything else), marks some exemplary, and closes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction

from dangvu.assessment.facts import ORG_ORDER, OrgFactsBuilder, build_roster, member_facts
from dangvu.assessment.models import MemberYearFacts, OrgYearFacts
from dangvu.assessment.services import Decision, cycle_close, cycle_open, decide_many, nested_results
from dangvu.audit.services import Actor
from dangvu.domain.assessment.levels import RANK, Level, level_by_rank
from dangvu.domain.assessment.rules import assess_member, assess_org
from dangvu.members.models import MembershipSpan
from dangvu.orgs.models import Organization
from dangvu.work.models import Discipline

RATER = Actor("trình sinh dữ liệu mẫu")
# Shares of levels the committees give before caps and quota (rank 4..1), drifting up over the years as the
# reports show (HTT-or-better above 90% in the 2020s).
MEMBER_MIX = {2012: (0.12, 0.70, 0.16, 0.02), 2018: (0.14, 0.74, 0.11, 0.01), 2023: (0.15, 0.77, 0.075, 0.005)}
ORG_MIX = {2012: (0.45, 0.40, 0.13, 0.02), 2018: (0.22, 0.62, 0.14, 0.02), 2023: (0.25, 0.64, 0.10, 0.01)}


def _mix(table: Mapping[int, tuple[float, ...]], year: int) -> tuple[float, ...]:
    return table[max(y for y in table if y <= year)]


def _pick(rng: random.Random, mix: tuple[float, ...]) -> int:
    return 4 - rng.choices(range(4), weights=mix)[0]


def _task_shares(rng: random.Random, over: Fraction) -> tuple[Decimal, Decimal]:
    """(share of tasks completed, share exceeded): nearly everyone completes all, most exceed `over`."""
    done = Decimal(1) if rng.random() < 0.97 else Decimal(rng.randint(850, 990)) / 1000
    cut = int(over * 1000)
    exceeded = rng.randint(cut, 900) if rng.random() < 0.6 else rng.randint(0, max(0, cut - 50))
    return done, Decimal(exceeded) / 1000


def rate_year(rng: random.Random, committee: Organization, year: int) -> None:
    cycle = cycle_open(committee=committee, year=year, actor=RATER)
    roster = build_roster(cycle)
    regime = roster.regime
    members = list(roster.member_unit)
    # A few facts that the caps read.
    for mid in rng.sample(members, k=min(len(members), max(1, len(members) // 400))):
        Discipline.objects.create(
            member_id=mid,
            form=rng.choice(["reprimand", "reprimand", "warning"]),
            decided_on=dt.date(year, rng.randint(2, 10), rng.randint(1, 28)),
            deciding_body="Ủy ban Kiểm tra",
            violation="Vi phạm quy định về sinh hoạt đảng",
        )
    facts = {
        mid: MemberYearFacts(member_id=mid, year=year, sick_leave_months=rng.randint(3, 6))
        for mid in rng.sample(members, k=min(len(members), max(1, len(members) // 150)))
    }
    over = regime.top_requires_tasks_exceeded
    if over is not None:
        # QĐ 124-QĐ/TW Đ.11–12 and QĐ 366-QĐ/TW (HD 43): the top level needs every task done and a share of them
        # exceeded, so the committee records both for everyone; most exceed enough to qualify.
        for mid in members:
            f = facts.setdefault(mid, MemberYearFacts(member_id=mid, year=year))
            f.tasks_completed, f.tasks_exceeded = _task_shares(rng, over)
        OrgYearFacts.objects.bulk_create(
            [
                OrgYearFacts(
                    organization_id=oid,
                    year=year,
                    **dict(zip(("tasks_completed", "tasks_exceeded"), _task_shares(rng, over), strict=True)),
                )
                for oid in sorted(roster.orgs)
            ],
            ignore_conflicts=True,
        )
    MemberYearFacts.objects.bulk_create([facts[m] for m in sorted(facts)], ignore_conflicts=True)
    m_out = {mid: assess_member(f, regime) for mid, f in member_facts(roster).items()}
    chosen: dict[int, str] = {}
    for mid in sorted(m_out):
        out = m_out[mid]
        if out.not_rated or out.cap is None:
            continue
        rank = min(_pick(rng, _mix(MEMBER_MIX, year)), RANK[out.cap])
        chosen[mid] = level_by_rank(rank, regime.member_levels)
    # The committee keeps within the quota in each grassroots organization: extra tops become good.
    by_scope: dict[int | None, list[int]] = defaultdict(list)
    for mid in chosen:
        by_scope[roster.grassroots_of.get(roster.member_unit[mid])].append(mid)
    for mids in by_scope.values():
        tops = [m for m in mids if chosen[m] == Level.EXCELLENT]
        good = sum(1 for m in mids if chosen[m] == Level.GOOD)
        while tops and len(tops) > regime.member_quota.limit(good):
            chosen[tops.pop()] = Level.GOOD
            good += 1
    decide_many(cycle=cycle, actor=RATER, decisions=[Decision("m", m, lv) for m, lv in sorted(chosen.items())])
    # Sub-units rated in nested cycles (a district's own cycle, when the province rates the district).
    results: dict[tuple[str, int], str] = {k: p.level for k, p in nested_results(roster).items()}
    results.update({("m", m): lv for m, lv in chosen.items()})
    build = OrgFactsBuilder(roster)
    for tier in sorted({ORG_ORDER.get(v.kind, 9) for v in roster.orgs.values()}):
        ids = sorted(o for o, v in roster.orgs.items() if ORG_ORDER.get(v.kind, 9) == tier)
        batch = []
        for oid in ids:
            out = assess_org(build(oid, results), regime)
            if out.not_rated or out.cap is None:
                continue
            rank = min(_pick(rng, _mix(ORG_MIX, year)), RANK[out.cap])
            level = level_by_rank(rank, regime.org_levels)
            exemplary = rank == 4 and rng.random() < 0.12
            batch.append(Decision("o", oid, level, exemplary))
            results[("o", oid)] = level
        if batch:
            decide_many(cycle=cycle, actor=RATER, decisions=batch)
    cycle_close(cycle=cycle, actor=RATER)


def rate_demo(
    seed: int, first_year: int = 2012, last_year: int = 2025, progress: Callable[[str], None] = lambda s: None
) -> int:
    """Rate every year from first_year to last_year: the district committees until 2024, the new commune
    committees from 2025 (the district ended on 01/07/2025)."""
    rng = random.Random(seed * 7 + 1)
    n = 0
    for year in range(first_year, last_year + 1):
        on = dt.date(year, 12, 15)
        committees = list(
            Organization.objects.filter(
                versions__kind__in=["district", "commune"], versions__valid_from__lte=on, versions__valid_to__gt=on
            )
            .distinct()
            .order_by("code")
        )
        rated = []
        for c in committees:
            if MembershipSpan.objects.in_subtree(c, on=on).exists():
                progress(f"Xếp loại năm {year}: {c.code}")
                rate_year(rng, c, year)
                rated.append(c)
                n += 1
        # The province then rates those committees (SEED F19: "được Thành ủy đánh giá, xếp loại …").
        provinces = {c.version_on(on).parent for c in rated}  # type: ignore[union-attr]
        for p in sorted((p for p in provinces if p is not None), key=lambda o: o.code):
            rate_year(rng, p, year)
    return n
