"""Comparisons: with the previous period (count, percentage points, counts by kind), with a plan or a target.

The target RULES (when a target is met, exceeded or missed; a term target against its years) are decided in
domain/targets.py; this module only prints what they decided.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from ...targets import Status, achievement
from ...vietnamese import fmt_decimal, fmt_int
from .forms import share_text
from .text import change_count, change_share, join_and

__all__ = [
    "achieved",
    "bound_text",
    "change_count",
    "change_points",
    "change_share",
    "counts_by_kind",
    "verdict",
]

Number = int | Fraction | Decimal


def change_points(now: Fraction, before: Fraction | None, *, than: str, places: int = 1) -> str:
    """The change of a share in percentage points: 'tăng 3,25 điểm phần trăm so với năm 2015' (places=2)."""
    return change_share(now, before, than=than, places=places)


def counts_by_kind(
    now: Mapping[str, int], before: Mapping[str, int] | None, nouns: Mapping[str, str], *, than: str
) -> str:
    """'12 đảng bộ cơ sở (tăng 1 so với năm 2015) và 44 chi bộ cơ sở (bằng năm 2015)': the kinds in the order of
    nouns; a kind absent both now and before is left out; without a previous count, no change is said."""
    parts = []
    for kind, noun in nouns.items():
        n, b = now.get(kind, 0), (before.get(kind, 0) if before is not None else None)
        if not n and not b:
            continue
        change = change_count(n, b, than=than) if b is not None else ""
        parts.append(f"{fmt_int(n)} {noun}" + (f" ({change})" if change else ""))
    return join_and(parts)


VERDICT_WORDS = {
    Status.EXCEEDED: "vượt",
    Status.MET: "đạt",
    Status.MISSED: "chưa đạt",
    # A term target before the term's end, a plan year not over (domain.targets): no verdict yet.
    Status.IN_PROGRESS: "đang thực hiện",
}


def verdict(status: Status | str, *, of: str = "chỉ tiêu") -> str:
    """'vượt chỉ tiêu', 'đạt kế hoạch', 'chưa đạt chỉ tiêu Nghị quyết Đại hội đề ra' (of: what was set)."""
    return f"{VERDICT_WORDS[Status(status)]} {of}"


def achieved(actual: Number, plan: Number, *, of: str = "kế hoạch", status: Status | str | None = None) -> str:
    """'đạt 116% kế hoạch' (F8), 'đạt 120% chỉ tiêu' (F7): whole percent, half up as the seeds print; with a status
    decided elsewhere and missed, 'chưa đạt kế hoạch (đạt 85%)'. "" without a plan."""
    if not plan:
        return ""
    pct = share_text(achievement(actual, plan), 0, keep_ends=False)
    if status is not None and Status(status) == Status.MISSED:
        return f"chưa đạt {of} (đạt {pct})"
    return f"đạt {pct} {of}"


def bound_text(op: str, value: Number, unit: str, *, relative_to: str = "") -> str:
    """A target as a resolution writes it: 'từ 95% trở lên', 'không quá 2%', 'từ 3% trở lên so với số đảng viên
    đầu năm' (a share of another figure: relative_to names it)."""
    v = Fraction(str(value)) if isinstance(value, Decimal) else Fraction(value)
    scale = 100 if unit == "%" else 1
    places = next((p for p in (0, 1) if (v * scale * 10**p).denominator == 1), 2)
    shown = share_text(v, places, keep_ends=False) if unit == "%" else fmt_decimal(v, places)
    tail = f" so với {relative_to}" if relative_to else ""
    if op == ">=":
        return f"từ {shown} trở lên{tail}"
    if op == "<=":
        return f"không quá {shown}{tail}"
    return f"{shown}{tail}"
