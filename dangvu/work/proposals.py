"""Commendations the committee may grant, proposed from the review's results with the evidence (HD 21 [V]:
organizations at the top level → 'Trong sạch, vững mạnh' tiêu biểu, for the year and for 5 consecutive years;
members HTXS, for the year and for 5 consecutive years; assessment_rules §3.6, §6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dangvu.assessment.models import Result
from dangvu.assessment.stats import member_streaks, org_streaks
from dangvu.domain.assessment.levels import SHORT
from dangvu.orgs.models import OrgAncestry, Organization

STREAK_YEARS = 5


@dataclass(frozen=True)
class Proposal:
    title: str
    subject: str  # member code or organization code
    name: str
    evidence: str


def proposals(root: Organization, year: int) -> list[Proposal]:
    out: list[Proposal] = []
    first = year - STREAK_YEARS + 1

    def evidence(rows: list[tuple[int, str, bool]]) -> str:
        return ", ".join(f"{y}: {SHORT[lv]}{' tiêu biểu' if ex else ''}" for y, lv, ex in sorted(rows))

    org_ids = org_streaks(root, year, STREAK_YEARS, exemplary=True)
    member_ids = member_streaks(root, year, STREAK_YEARS)
    yearly = list(
        Result.objects.filter(year=year, exemplary=True, organization__isnull=False)
        .exclude(organization=root)
        .select_related("organization")
        # The subtree as it stood at the year's end: a unit moved away since is proposed by its new committee.
        .filter(
            organization_id__in=OrgAncestry.objects.on(dt.date(year, 12, 31))
            .filter(ancestor=root)
            .values("organization_id")
        )
    )
    yearly_ids = [res.organization_id for res in yearly if res.organization_id is not None]
    history: dict[tuple[str, int], list[tuple[int, str, bool]]] = {}
    for oid, y, lv, ex in Result.objects.filter(
        year__range=(first, year), organization_id__in=org_ids + yearly_ids
    ).values_list("organization_id", "year", "level", "exemplary"):
        history.setdefault(("o", oid), []).append((y, lv, ex))
    for mid, y, lv, ex in Result.objects.filter(year__range=(first, year), member_id__in=member_ids).values_list(
        "member_id", "year", "level", "exemplary"
    ):
        history.setdefault(("m", mid), []).append((y, lv, ex))
    names = dict(Organization.objects.filter(pk__in=org_ids + yearly_ids).values_list("pk", "code"))
    for oid in yearly_ids:
        out.append(
            Proposal(
                f"Trong sạch, vững mạnh tiêu biểu năm {year}",
                names[oid],
                names[oid],
                evidence(history.get(("o", oid), [])),
            )
        )
    for oid in org_ids:
        out.append(
            Proposal(
                f"Trong sạch, vững mạnh tiêu biểu {STREAK_YEARS} năm liền ({first}–{year})",
                names[oid],
                names[oid],
                evidence(history[("o", oid)]),
            )
        )
    from dangvu.members.models import Member

    for m in Member.objects.filter(pk__in=member_ids).order_by("code"):
        out.append(
            Proposal(
                f"Hoàn thành xuất sắc nhiệm vụ {STREAK_YEARS} năm liền ({first}–{year})",
                m.code,
                m.full_name,
                evidence(history[("m", m.pk)]),
            )
        )
    return out
