"""The top-level quota, one verdict for the live meter, the committee's decisions and the year close.

HD 21-HD/BTCTW II.B.2.3 [V]: members rated HTXS ≤ 20% of the members rated HTT, within each grassroots
organization. A committee may decide above it only with a recorded reason: the verdict is acceptable while the
top-level results *without* a reason stay within the limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from ..vietnamese import fmt_decimal, fmt_int
from .levels import Level, is_top
from .regimes import Quota

# What the base counts, as the messages name it (Quota.base).
BASE_NAMES = {"good": "HTT", "good_or_better": "HTT và HTXS"}


@dataclass(frozen=True)
class QuotaVerdict:
    top: int  # at the top level
    base: int  # the count the ratio applies to (HTT, or HTT and above)
    limit: int
    unexplained: int  # top-level results without a recorded reason
    citation: str  # the clause, as a page or a report prints it
    ratio: Fraction = Fraction(1, 5)  # the regime's (Quota.ratio), printed by `share`
    base_kind: str = "good"  # Quota.base

    @property
    def share(self) -> str:
        """'20% của 12 HTT': the ratio and the base the limit is taken of, as the regime sets them."""
        percent = fmt_decimal(self.ratio * 100, 0 if (self.ratio * 100).denominator == 1 else 2)
        return f"{percent}% của {fmt_int(self.base)} {BASE_NAMES.get(self.base_kind, 'HTT')}"

    @property
    def over(self) -> int:
        return max(self.top - self.limit, 0)

    @property
    def ok(self) -> bool:
        """Within the limit."""
        return self.top <= self.limit

    @property
    def acceptable(self) -> bool:
        """Within the limit, or over it only by results the committee recorded a reason for."""
        return self.ok or self.unexplained <= self.limit

    def message(self, scope_name: str) -> str:
        verdict = "trong hạn mức" if self.ok else f"vượt {self.over}"
        return f"{scope_name}: {self.top} HTXS / tối đa {self.limit} ({self.share}) — {verdict}."


def quota_verdict(levels: Iterable[tuple[str, str]], quota: Quota) -> QuotaVerdict:
    """The verdict over the (level, override reason) of every member of one quota scope. Empty levels (not
    decided, not rated) count for nothing. HD 21 [V]: the base is the HTT count alone; base='good_or_better'
    is the [U] alternative that adds the top level."""
    top = good = unexplained = 0
    for level, reason in levels:
        if is_top(level):
            top += 1
            unexplained += not (reason or "").strip()
        elif level == Level.GOOD:
            good += 1
    base = good + top if quota.base == "good_or_better" else good
    return QuotaVerdict(
        top=top,
        base=base,
        limit=quota.limit(base),
        unexplained=unexplained,
        citation=quota.citation,
        ratio=quota.ratio,
        base_kind=quota.base,
    )


def quota_status(*, top: int, good: int, quota: Quota) -> QuotaVerdict:
    """The verdict from counts alone (every top-level result taken as unexplained)."""
    return quota_verdict([(Level.EXCELLENT, "")] * top + [(Level.GOOD, "")] * good, quota)
