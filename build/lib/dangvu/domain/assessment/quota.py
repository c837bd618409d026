"""The top-level quota, checked live while deciding and again at the year close."""

from __future__ import annotations

from dataclasses import dataclass

from .regimes import Quota


@dataclass(frozen=True)
class QuotaStatus:
    top: int
    base: int
    limit: int
    source: str

    @property
    def over(self) -> int:
        return max(self.top - self.limit, 0)

    @property
    def ok(self) -> bool:
        return self.top <= self.limit

    def message(self, scope_name: str) -> str:
        verdict = "đạt hạn mức" if self.ok else f"vượt {self.over}"
        return (
            f"{scope_name}: {self.top} HTXS / tối đa {self.limit} (20% của {self.base} HTT) — {verdict}."
            if self.limit >= 0
            else ""
        )


def quota_status(*, top: int, good: int, quota: Quota) -> QuotaStatus:
    """top = count at the top level; good = count at the next level (HTT). HD 21 [V]: the base is the HTT
    count alone, top-level members are not added to it; base='good_or_better' is the [U] alternative."""
    base = good + top if quota.base == "good_or_better" else good
    return QuotaStatus(top=top, base=base, limit=quota.limit(base), source=quota.source)
