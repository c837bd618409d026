"""Indicators against plans and targets: achievement and status as the reports print them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q, Sum

from dangvu.domain.targets import STATUS_LABELS, Bound, Status, achievement, achievement_sentence, over_years
from dangvu.domain.vietnamese import fmt_percent
from dangvu.orgs.models import Organization

from .indicators import Value, compute_by_root
from .models import Plan, Target


@dataclass
class Compared:
    value: Value
    plan: Decimal | None = None
    achievement: Fraction | None = None
    target: Target | None = None
    status: str | None = None
    sentence: str = ""
    # A yearly target over a period of several years: each year's value and status (the status above combines
    # them, domain.targets.over_years).
    by_year: dict[int, tuple[Value, str]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out = self.value.as_json()
        out.update(
            {
                "plan": float(self.plan) if self.plan is not None else None,
                "achievement": float(self.achievement) if self.achievement is not None else None,
                "target": {"op": self.target.op, "value": float(self.target.value), "title": self.target.title}
                if self.target
                else None,
                "status": self.status,
                "by_year": {
                    str(y): {"value": v.as_json()["value"], "status": st} for y, (v, st) in self.by_year.items()
                },
                "sentence": self.sentence,
            }
        )
        return out


def compare_by_root(
    roots: list[Organization], start: dt.date, end: dt.date, codes: list[str] | None = None
) -> dict[int, list[Compared]]:
    """compare() for each root at once: the catalogue's queries once for all roots, plans and targets in one
    query each."""
    ids = [r.pk for r in roots]
    values = compute_by_root(ids, start, end, codes)
    plans: dict[int, dict[str, tuple[Decimal, str]]] = {r: {} for r in ids}
    for row in (
        Plan.objects.filter(organization_id__in=ids, year__range=(start.year, end.year))
        .values("organization_id", "indicator", "wording")
        .annotate(total=Sum("value"))
        .order_by("organization_id", "indicator", "wording")
    ):
        plans[row["organization_id"]].setdefault(row["indicator"], (row["total"], row["wording"]))
    targets: dict[int, dict[str, Target]] = {r: {} for r in ids}
    for t in Target.objects.filter(organization_id__in=ids, first_year__lte=end.year, last_year__gte=start.year).filter(
        ~Q(indicator="")
    ):
        targets[t.organization_id][t.indicator] = t
    yearly = _yearly_values(ids, start, end, targets)
    return {
        root: [_compared(v, plans[root], targets[root], yearly.get(root, {})) for v in values[root]] for root in ids
    }


def _yearly_values(
    ids: list[int], start: dt.date, end: dt.date, targets: dict[int, dict[str, Target]]
) -> dict[int, dict[str, dict[int, Value]]]:
    """For yearly targets over a period of several years, the indicator for each calendar year of the period
    (within the target's years): one pass of the needed indicators per year, for all roots. A year the period
    covers only in part (a term from mid-2020 to mid-2025) is left out for counts, which a yearly bound would judge
    on half a year; a share is the year's review and stays."""
    codes = sorted({c for ts in targets.values() for c, t in ts.items() if t.per == Target.Per.YEAR})
    if not codes or start.year == end.year:
        return {}
    out: dict[int, dict[str, dict[int, Value]]] = {r: {} for r in ids}
    for year in range(start.year, end.year + 1):
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        got = compute_by_root(ids, max(start, first), min(end, last), codes)
        partial = first < start or last > end
        for root, values in got.items():
            for v in values:
                if partial and v.unit != "%":
                    continue
                t = targets[root].get(v.code)
                if t is not None and t.per == Target.Per.YEAR and t.first_year <= year <= t.last_year:
                    out[root].setdefault(v.code, {})[year] = v
    return out


def compare(root: Organization, start: dt.date, end: dt.date, codes: list[str] | None = None) -> list[Compared]:
    return compare_by_root([root], start, end, codes)[root.pk]


def _compared(
    v: Value,
    plans: dict[str, tuple[Decimal, str]],
    targets: dict[str, Target],
    yearly: dict[str, dict[int, Value]],
) -> Compared:
    c = Compared(v, sentence=v.sentence)
    plan = plans.get(v.code)
    if plan is not None and isinstance(v.value, int):
        c.plan, c.achievement = plan[0], achievement(v.value, plan[0])
        c.sentence = f"{v.sentence} ({achievement_sentence(v.value, plan[0], of=plan[1])})"
    t = targets.get(v.code)
    if t is not None:
        c.target = t
        bound = Bound(t.op, t.value)
        # A share with nothing to divide (the year's review not yet held) has no value to hold against a target.
        years = {y: yv for y, yv in yearly.get(v.code, {}).items() if yv.denominator != 0}
        if years:
            # A yearly target ("≥ 95% mỗi năm", "≥ 180 a year") is met year by year, not by the period's total.
            c.by_year = {y: (yv, bound.status(yv.value)) for y, yv in sorted(years.items())}
            c.status = over_years([Status(st) for _, st in c.by_year.values()])
        elif v.denominator == 0:
            return c
        else:
            c.status = bound.status(v.value)
        shown = f"{t.get_op_display()} {fmt_percent(t.value, 0) if v.unit == '%' else t.value.normalize()}"
        if years:
            shown += f" {t.get_per_display()}; " + ", ".join(
                f"năm {y}: {yv.printed()}" for y, (yv, _st) in c.by_year.items()
            )
        c.sentence = f"{c.sentence} ({STATUS_LABELS[c.status]} {t.title or 'Nghị quyết Đại hội đề ra'}: {shown})"
    return c
