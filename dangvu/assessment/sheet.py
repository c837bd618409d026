"""Reads of the unit's review sheet: every member of a unit with the year's facts, each stage's opinion and
points, the rules' verdict and the decision; the quota scope's levels for the meter. A fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dangvu.domain.assessment.levels import NOT_RATED_LABELS, level_label
from dangvu.domain.assessment.quota import QuotaVerdict, quota_verdict
from dangvu.domain.assessment.rules import Outcome, assess_member, fmt_points
from dangvu.domain.orgtree import GRASSROOTS
from dangvu.domain.vietnamese import person_sort_key
from dangvu.members.models import Member, MembershipSpan
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on

from .facts import build_roster, cycle_regime, member_facts
from .models import AssessmentCycle, MemberYearFacts, OrgYearFacts, Rating, Result


@dataclass
class SheetRow:
    member: Member
    unit_id: int
    unit_name: str
    facts: MemberYearFacts | None
    self_rating: Rating | None
    proposal: Rating | None
    review: Rating | None  # the committee's own check of the points (stage "review")
    result: Result | None
    outcome: Outcome

    @property
    def scored(self) -> Rating | None:
        """The opinion whose points count: the committee's check, else the branch's, else the member's own."""
        for r in (self.review, self.proposal, self.self_rating):
            if r is not None and (r.points or r.grades):
                return r
        return None

    @property
    def cap_label(self) -> str:
        return level_label(self.outcome.cap) if self.outcome.cap else ""

    @property
    def not_rated_label(self) -> str:
        return NOT_RATED_LABELS.get(self.outcome.not_rated, "") if self.outcome.not_rated else ""

    @property
    def score_shown(self) -> str:
        r = self.scored
        return fmt_points(r.score) if r is not None and r.score is not None else ""

    @property
    def self_score_shown(self) -> str:
        r = self.self_rating
        return fmt_points(r.score) if r is not None and r.score is not None else ""

    @property
    def decided(self) -> bool:
        return self.result is not None and bool(self.result.level or self.result.not_rated)


def unit_sheet(cycle: AssessmentCycle, unit: Organization) -> list[SheetRow]:
    """Every member of unit's subtree on the rating day, sorted by given name."""
    on = cycle.rated_on
    units = OrgAncestry.objects.on(on).filter(ancestor=unit).values("organization_id")
    ids = list(MembershipSpan.objects.on(on).filter(organization_id__in=units).values_list("member_id", flat=True))
    roster = build_roster(cycle, member_ids=ids)
    regime = roster.regime
    facts = member_facts(roster)
    members = {m.pk: m for m in Member.objects.filter(pk__in=roster.member_unit)}
    year_facts = {f.member_id: f for f in MemberYearFacts.objects.filter(member_id__in=ids, year=cycle.year)}
    ratings: dict[tuple[int | None, str], Rating] = {}
    for r in Rating.objects.filter(cycle=cycle, member_id__in=ids).exclude(stage="decision"):
        ratings[(r.member_id, r.stage)] = r  # ordered by time: the latest of each stage wins
    results = {r.member_id: r for r in Result.objects.filter(year=cycle.year, member_id__in=ids)}
    names = dict(
        OrgVersion.objects.filter(valid_on(on), organization_id__in=set(roster.member_unit.values())).values_list(
            "organization_id", "name"
        )
    )
    rows = [
        SheetRow(
            members[mid],
            unit_id,
            names.get(unit_id, ""),
            year_facts.get(mid),
            ratings.get((mid, "self")),
            ratings.get((mid, "proposal")),
            ratings.get((mid, "review")),
            results.get(mid),
            assess_member(facts[mid], regime),
        )
        for mid, unit_id in roster.member_unit.items()
    ]
    rows.sort(key=lambda r: person_sort_key(r.member.full_name))
    return rows


def org_year_facts(cycle: AssessmentCycle, org_ids: list[int]) -> dict[int, OrgYearFacts]:
    return {f.organization_id: f for f in OrgYearFacts.objects.filter(organization_id__in=org_ids, year=cycle.year)}


def grassroots_of(unit: Organization, on: dt.date) -> Organization | None:
    """The grassroots organization at or above the unit on the date (the member quota's scope)."""
    anc = (
        OrgAncestry.objects.on(on)
        .filter(organization=unit, ancestor_kind__in=list(GRASSROOTS))
        .select_related("ancestor")
        .first()
    )
    return anc.ancestor if anc else None


@dataclass(frozen=True)
class Meter:
    """The quota meter of one scope: its name and the domain's verdict."""

    name: str
    verdict: QuotaVerdict

    @property
    def scale(self) -> int:
        return max(self.verdict.limit, self.verdict.top, 1)


def quota_meter(
    cycle: AssessmentCycle, grassroots: Organization | None, pending: dict[int, tuple[str, str]] | None = None
) -> Meter:
    """The member quota in the scope the regime counts it: the grassroots organization (None: the branches outside
    any grassroots organization), or the whole deciding committee. The decisions recorded are overlaid with the
    levels chosen on the page but not yet saved (member → (level, reason)); the verdict is the domain's, the same
    the decisions and the close use (domain.assessment.quota)."""
    regime = cycle_regime(cycle)
    results: Any = Result.objects.filter(cycle=cycle, member__isnull=False)
    if regime.member_quota.scope == "deciding_committee":
        name = cycle.committee_name
    elif grassroots is None:
        results, name = results.filter(grassroots__isnull=True), f"{cycle.committee_name} (các chi bộ trực thuộc)"
    else:
        results = results.filter(grassroots=grassroots)
        v = grassroots.version_on(cycle.rated_on)
        name = v.name if v else grassroots.code
    levels: dict[int, tuple[str, str]] = {
        mid: (lv, reason) for mid, lv, reason in results.values_list("member_id", "level", "override_reason")
    }
    levels.update(pending or {})
    return Meter(name, quota_verdict(levels.values(), regime.member_quota))
