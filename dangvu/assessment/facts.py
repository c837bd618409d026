"""From records to the domain's facts, in bulk: a fixed number of queries per cycle, whatever its size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Min, Q

from dangvu.domain.assessment.levels import STAGE_ORDER
from dangvu.domain.assessment.regimes import REGIMES, Regime
from dangvu.domain.assessment.rules import DisciplineFact, MemberFacts, OrgFacts
from dangvu.domain.membership import EventKind
from dangvu.domain.orgtree import GRASSROOTS, OrgKind
from dangvu.members.models import MemberEvent, MembershipSpan
from dangvu.orgs.models import OrgAncestry, OrgVersion, valid_on
from dangvu.work.models import Discipline

from .models import AssessmentCycle, MemberYearFacts, OrgYearFacts, Rating

# Order of rating (assessment_rules §7): members, then branches, partial committees, grassroots organizations,
# then the levels above.
ORG_ORDER: dict[str, int] = {
    OrgKind.BRANCH: 1,
    OrgKind.GRASSROOTS_BRANCH: 1,
    OrgKind.PARTIAL_COMMITTEE: 2,
    OrgKind.GRASSROOTS_COMMITTEE: 3,
    OrgKind.COMMUNE: 4,
    OrgKind.DISTRICT: 4,
    OrgKind.BLOC: 4,
    OrgKind.PROVINCE: 5,
    OrgKind.CELL: 0,
}
MEMBER_UNITS = (OrgKind.BRANCH, OrgKind.GRASSROOTS_BRANCH)


def _frac(d: Decimal | None) -> Fraction | None:
    return None if d is None else Fraction(d)


@dataclass
class Roster:
    """Who is rated in a cycle, where they stood on the rating day."""

    cycle: AssessmentCycle
    regime: Regime
    member_unit: dict[int, int] = field(default_factory=dict)  # member → branch
    orgs: dict[int, OrgVersion] = field(default_factory=dict)  # organization → its version on the day
    # Every unit members of the roster stand in: the organizations rated here and, when it holds members itself (a
    # grassroots branch, chi bộ cơ sở), the deciding committee, which rates its own members (HD 21 [V],
    # assessment_rules §7) but is rated by the committee above.
    units: dict[int, OrgVersion] = field(default_factory=dict)
    # Members of a nested committee holding members (a grassroots branch with its own cycle): rated by that cycle,
    # read here only for the branch's own rating (its members' levels, HD 21 II.B.1.3.c).
    nested_member_unit: dict[int, int] = field(default_factory=dict)
    grassroots_of: dict[int, int] = field(default_factory=dict)  # unit → grassroots ancestor (quota scope)
    children: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    _by_unit: dict[int, list[int]] | None = None

    def quota_scope(self, member_id: int) -> int | None:
        """The unit within which the member quota is counted: the grassroots organization (HD 21 [V]) or the
        whole deciding committee (regime parameter Quota.scope = 'deciding_committee' [U])."""
        if self.regime.member_quota.scope == "deciding_committee":
            return self.cycle.committee_id
        return self.grassroots_of.get(self.member_unit[member_id])

    def member_query(self) -> Any:
        """The roster's members as a subquery (cheaper than a long IN list)."""
        return (
            MembershipSpan.objects.on(self.cycle.rated_on)
            .filter(
                organization_id__in=OrgAncestry.objects.on(self.cycle.rated_on)
                .filter(ancestor=self.cycle.committee)
                .values("organization_id")
            )
            .values("member_id")
        )

    def members_of(self, org_id: int) -> list[int]:
        if self._by_unit is None:
            self._by_unit = defaultdict(list)
            for m, u in self.member_unit.items():
                self._by_unit[u].append(m)
        return self._by_unit.get(org_id, [])


def cycle_regime(cycle: AssessmentCycle) -> Regime:
    from dangvu.domain.assessment.regimes import regime_for_year

    default = regime_for_year(cycle.year)
    return default if default.code == cycle.regime else REGIMES[cycle.regime]


def build_roster(cycle: AssessmentCycle, *, member_ids: list[int] | None = None) -> Roster:
    """Who this cycle rates: its committee's subtree on the rating day, except what a nested cycle of the same
    year covers. A nested cycle's committee is rated here (the city rates the district, SEED F19); everything
    below it is rated by that committee's own cycle (assessment_rules §7)."""
    on = cycle.rated_on
    r = Roster(cycle, cycle_regime(cycle))
    units = OrgAncestry.objects.on(on).filter(ancestor=cycle.committee).values("organization_id")
    nested = list(
        AssessmentCycle.objects.filter(year=cycle.year, committee_id__in=units)
        .exclude(pk=cycle.pk)
        .values_list("committee_id", flat=True)
    )
    below_nested = (
        set(
            # Strictly below a nested committee: a committee nested two levels down (a ward under a district
            # under the province) is below the district's, so the district's cycle rates it, not the province's.
            OrgAncestry.objects.on(on)
            .filter(ancestor_id__in=nested, depth__gt=0)
            .values_list("organization_id", flat=True)
        )
        if nested
        else set()
    )
    for v in OrgVersion.objects.filter(valid_on(on), organization_id__in=units).select_related("organization"):
        if v.organization_id == cycle.committee_id:
            if v.kind in MEMBER_UNITS:
                r.units[v.organization_id] = v
        elif v.organization_id not in below_nested:
            r.orgs[v.organization_id] = v
            r.units[v.organization_id] = v
        if v.parent_id is not None:
            r.children[v.parent_id].append(v.organization_id)
    nested_set = set(nested)
    own_units = [u for u in r.units if u not in nested_set]
    spans = MembershipSpan.objects.on(on).filter(organization_id__in=own_units)
    if member_ids is not None:
        spans = spans.filter(member_id__in=member_ids)
    r.member_unit = dict(spans.values_list("member_id", "organization_id"))
    holding_nested = [u for u in nested_set if u in r.orgs and r.orgs[u].kind in MEMBER_UNITS]
    if holding_nested and member_ids is None:
        r.nested_member_unit = dict(
            MembershipSpan.objects.on(on)
            .filter(organization_id__in=holding_nested)
            .values_list("member_id", "organization_id")
        )
    r.grassroots_of = dict(
        OrgAncestry.objects.on(on)
        .filter(organization_id__in=list(r.units), ancestor_kind__in=list(GRASSROOTS))
        .values_list("organization_id", "ancestor_id")
    )
    return r


def _latest_ratings(cycle: AssessmentCycle, *, members: bool) -> dict[int, Rating]:
    """The most advanced non-decision opinion per subject: review, else proposal, else self."""
    key = "member_id" if members else "organization_id"
    rank: dict[str, int] = {s: i for i, s in enumerate(STAGE_ORDER)}
    best: dict[int, Rating] = {}
    qs = cycle.ratings.filter(**{f"{key}__isnull": False}).exclude(stage="decision").order_by("at", "id")
    for rt in qs:
        sid = getattr(rt, key)
        if sid not in best or rank[rt.stage] >= rank[best[sid].stage]:
            best[sid] = rt
    return best


def member_facts(roster: Roster) -> dict[int, MemberFacts]:
    cycle, on, year = roster.cycle, roster.cycle.rated_on, roster.cycle.year
    ids = list(roster.member_unit)
    # Whole-roster queries filter by subquery; a roster restricted to a few members filters by their ids.
    in_roster: Any = roster.member_query() if len(ids) > 500 else ids
    admitted: dict[int, dt.date] = {}
    exempt: set[int] = set()
    suspended: set[int] = set()
    transfers: dict[int, dt.date] = {}
    active = Q(on__lte=on) & (Q(until__isnull=True) | Q(until__gt=on))
    for mid, kind, ev_on in (
        MemberEvent.objects.filter(member_id__in=in_roster)
        .filter(
            Q(kind__in=[EventKind.ADMISSION, EventKind.READMISSION], on__lte=on)
            | (Q(kind__in=[EventKind.EXEMPTION, EventKind.SUSPENSION]) & active)
            | Q(kind=EventKind.TRANSFER_IN, on__year=year, on__lte=on)
        )
        .values_list("member_id", "kind", "on")
        .order_by("on")
    ):
        if kind in (EventKind.ADMISSION, EventKind.READMISSION):
            admitted[mid] = ev_on
        elif kind == EventKind.EXEMPTION:
            exempt.add(mid)
        elif kind == EventKind.SUSPENSION:
            suspended.add(mid)
        else:
            transfers[mid] = ev_on
    months_before: dict[int, int] = {}
    if transfers:
        for mid, start, end in MembershipSpan.objects.filter(member_id__in=list(transfers)).values_list(
            "member_id", "valid_from", "valid_to"
        ):
            if end == transfers[mid]:
                from dangvu.domain.vietnamese import months_between

                months_before[mid] = months_between(max(start, dt.date(year, 1, 1)), end)
    disciplines: dict[int, list[DisciplineFact]] = defaultdict(list)
    for mid, form, d_on, fixed in Discipline.objects.filter(member_id__in=in_roster, decided_on__year=year).values_list(
        "member_id", "form", "decided_on", "self_fixed"
    ):
        disciplines[mid].append(DisciplineFact(form, d_on, fixed))
    facts = {f.member_id: f for f in MemberYearFacts.objects.filter(member_id__in=in_roster, year=year)}
    ratings = _latest_ratings(cycle, members=True)
    out: dict[int, MemberFacts] = {}
    for mid in ids:
        f = facts.get(mid)
        rt = ratings.get(mid)
        out[mid] = MemberFacts(
            year=year,
            rated_on=on,
            admitted_on=admitted.get(mid),
            exempt=mid in exempt,
            suspended=mid in suspended,
            grades=rt.grades if rt else {},
            score=rt.score if rt else None,
            tasks_completed=_frac(f.tasks_completed) if f else None,
            tasks_exceeded=_frac(f.tasks_exceeded) if f else None,
            disciplines=tuple(disciplines.get(mid, ())),
            civil_servant=bool(f and f.civil_servant),
            state_rating=(f.state_rating or None) if f else None,
            sick_leave_months=f.sick_leave_months if f else 0,
            degradation=bool(f and f.degradation),
            transferred_on=transfers.get(mid),
            months_in_old_branch=months_before.get(mid, 0),
            old_branch_comment=bool(f and f.old_branch_comment),
        )
    return out


class OrgFactsBuilder:
    """Loads once what organizations' facts need (a fixed number of queries), then builds the facts of any
    organization against a map of results that may include decisions pending in the same batch."""

    def __init__(self, roster: Roster) -> None:
        self.roster = roster
        cycle, year = roster.cycle, roster.cycle.year
        ids = list(roster.orgs)
        self.established = dict(
            OrgVersion.objects.filter(organization_id__in=ids)
            .values("organization_id")
            .annotate(first=Min("valid_from"))
            .values_list("organization_id", "first")
        )
        self.disciplined: dict[int, list[tuple[str, bool]]] = defaultdict(list)
        self.leadership: dict[int, list[str]] = defaultdict(list)
        for oid, lead, form, fixed in (
            Discipline.objects.filter(decided_on__year=year)
            .filter(Q(organization_id__in=ids) | Q(leadership_of_id__in=ids))
            .values_list("organization_id", "leadership_of_id", "form", "self_fixed")
        ):
            if oid is not None:
                self.disciplined[oid].append((form, fixed))
            if lead is not None:
                self.leadership[lead].append(form)
        self.facts = {f.organization_id: f for f in OrgYearFacts.objects.filter(organization_id__in=ids, year=year)}
        self.ratings = _latest_ratings(cycle, members=False)
        self.members_by_unit: dict[int, list[int]] = defaultdict(list)
        for mid, unit in (*roster.member_unit.items(), *roster.nested_member_unit.items()):
            self.members_by_unit[unit].append(mid)

    def __call__(self, oid: int, results: Mapping[tuple[str, int], Any]) -> OrgFacts:
        """Facts of one organization; `results` maps ('m'|'o', id) to a level or a Result."""

        def level_of(key: tuple[str, int]) -> str | None:
            v = results.get(key)
            if v is None:
                return None
            lv = v if isinstance(v, str) else v.level  # a level, a Result or a services.Prior
            return lv or None

        roster = self.roster
        v = roster.orgs[oid]
        kids = [k for k in roster.children.get(oid, []) if k in roster.orgs]
        f = self.facts.get(oid)
        rt = self.ratings.get(oid)
        own = self.disciplined.get(oid, [])
        return OrgFacts(
            year=roster.cycle.year,
            rated_on=roster.cycle.rated_on,
            holds_members=v.kind in MEMBER_UNITS,
            established_on=self.established.get(oid),
            grades=rt.grades if rt else {},
            score=rt.score if rt else None,
            tasks_completed=_frac(f.tasks_completed) if f else None,
            tasks_exceeded=_frac(f.tasks_exceeded) if f else None,
            sub_levels=tuple(lv for k in kids if (lv := level_of(("o", k)))),
            member_levels=tuple(lv for m in self.members_by_unit.get(oid, []) if (lv := level_of(("m", m)))),
            disciplined=bool(own),
            self_fixed=bool(own) and (all(fx for _, fx in own) or bool(f and f.self_fixed)),
            leadership_discipline_forms=tuple(self.leadership.get(oid, ())),
            sub_units_disciplined=sum(1 for k in kids if self.disciplined.get(k)),
            sub_units_total=len(kids),
            flaws=tuple(f.flaws) if f else (),
        )


def org_facts(roster: Roster, results: Mapping[tuple[str, int], Any]) -> dict[int, OrgFacts]:
    """Facts of every organization of the roster."""
    build = OrgFactsBuilder(roster)
    return {oid: build(oid, results) for oid in roster.orgs}
