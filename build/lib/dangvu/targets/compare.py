"""Indicators against plans and targets: achievement and status as the reports print them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q, Sum

from dangvu.domain.targets import STATUS_LABELS, Bound, achievement, achievement_sentence
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
    return {root: [_compared(v, plans[root], targets[root]) for v in values[root]] for root in ids}


def compare(root: Organization, start: dt.date, end: dt.date, codes: list[str] | None = None) -> list[Compared]:
    return compare_by_root([root], start, end, codes)[root.pk]


def _compared(v: Value, plans: dict[str, tuple[Decimal, str]], targets: dict[str, Target]) -> Compared:
    c = Compared(v, sentence=v.sentence)
    plan = plans.get(v.code)
    if plan is not None and isinstance(v.value, int):
        c.plan, c.achievement = plan[0], achievement(v.value, plan[0])
        c.sentence = f"{v.sentence} ({achievement_sentence(v.value, plan[0], of=plan[1])})"
    t = targets.get(v.code)
    if t is not None:
        c.target = t
        c.status = Bound(t.op, t.value).status(v.value)
        bound = f"{t.get_op_display()} {fmt_percent(t.value, 0) if v.unit == '%' else t.value.normalize()}"
        c.sentence = f"{c.sentence} ({STATUS_LABELS[c.status]} {t.title or 'Nghị quyết Đại hội đề ra'}: {bound})"
    return c
