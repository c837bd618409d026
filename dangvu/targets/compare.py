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

from .indicators import Value, compute
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


def compare(root: Organization, start: dt.date, end: dt.date, codes: list[str] | None = None) -> list[Compared]:
    values = compute(root, start, end, codes)
    plans = {
        (row["indicator"], row["wording"]): row["total"]
        for row in Plan.objects.filter(organization=root, year__range=(start.year, end.year))
        .values("indicator", "wording")
        .annotate(total=Sum("value"))
        .order_by()
    }
    targets = {
        t.indicator: t
        for t in Target.objects.filter(organization=root, first_year__lte=end.year, last_year__gte=start.year).filter(
            ~Q(indicator="")
        )
    }
    out = []
    for v in values:
        c = Compared(v, sentence=v.sentence)
        plan = next(((total, wording) for (code, wording), total in plans.items() if code == v.code), None)
        if plan is not None and isinstance(v.value, int):
            c.plan, c.achievement = plan[0], achievement(v.value, plan[0])
            c.sentence = f"{v.sentence} ({achievement_sentence(v.value, plan[0], of=plan[1])})"
        t = targets.get(v.code)
        if t is not None:
            c.target = t
            c.status = Bound(t.op, t.value).status(v.value)
            bound = f"{t.get_op_display()} {fmt_percent(t.value, 0) if v.unit == '%' else t.value.normalize()}"
            c.sentence = f"{c.sentence} ({STATUS_LABELS[c.status]} {t.title or 'Nghị quyết Đại hội đề ra'}: {bound})"
        out.append(c)
    return out
