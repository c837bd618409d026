"""Targets and achievement, as the reports print them ("đạt 116% kế hoạch", "vượt chỉ tiêu").

A target compares an indicator's value with a bound (≥ 95%, ≥ 180 a year, ≤ 2%); its status is met,
exceeded or missed. Achievement is value / plan for count targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from .vietnamese import fmt_decimal, fmt_percent


class Status(StrEnum):
    EXCEEDED = "exceeded"  # vượt
    MET = "met"  # đạt
    MISSED = "missed"  # chưa đạt


STATUS_LABELS = {Status.EXCEEDED: "vượt chỉ tiêu", Status.MET: "đạt chỉ tiêu", Status.MISSED: "chưa đạt chỉ tiêu"}

Number = int | Fraction | Decimal


def _f(x: Number) -> Fraction:
    return Fraction(x) if not isinstance(x, Decimal) else Fraction(str(x))


@dataclass(frozen=True)
class Bound:
    op: str  # ">=" | "<=" | "="
    value: Number

    def __post_init__(self) -> None:
        if self.op not in (">=", "<=", "="):
            raise ValueError(f"Phép so sánh không hợp lệ: {self.op}")

    def status(self, actual: Number) -> Status:
        a, v = _f(actual), _f(self.value)
        if self.op == ">=":
            return Status.EXCEEDED if a > v else Status.MET if a == v else Status.MISSED
        if self.op == "<=":
            return Status.EXCEEDED if a < v else Status.MET if a == v else Status.MISSED
        return Status.MET if a == v else Status.MISSED

    def printed(self, unit: str) -> str:
        sym = {">=": "≥", "<=": "≤", "=": "="}[self.op]
        shown = fmt_percent(_f(self.value), 0) if unit == "%" else fmt_decimal(_f(self.value), 0)
        return f"{sym} {shown}"


def over_years(statuses: list[Status]) -> Status:
    """The status of a yearly target over several years (a term, a mid-term): missed if any year missed, exceeded
    if every year exceeded, otherwise met. [I] The seeds print one status for "hàng năm" (seed 002, F15/F16:
    "Hàng năm … đạt trên 95% (vượt chỉ tiêu Nghị quyết Đại hội đề ra)"); no rule for mixed years was found, so
    the strictest reading is taken."""
    if not statuses:
        raise ValueError("Không có năm nào để so với chỉ tiêu.")
    if Status.MISSED in statuses:
        return Status.MISSED
    return Status.EXCEEDED if all(s == Status.EXCEEDED for s in statuses) else Status.MET


def achievement(actual: Number, plan: Number) -> Fraction:
    """value / plan (F8: 209 / 180 → 116%)."""
    return _f(actual) / _f(plan) if plan else Fraction(0)


def achievement_sentence(actual: Number, plan: Number, *, of: str = "kế hoạch") -> str:
    """'đạt 116% kế hoạch' / 'đạt 120% chỉ tiêu' (rounded half up to whole percent, as the seeds print)."""
    return f"đạt {fmt_percent(achievement(actual, plan), 0)} {of}"
