"""Review statistics as the reports print them: counts, shares and the Vietnamese sentences.

SEED_FIGURES F1–F5, F9, F15, F16. Every share carries its numerator and denominator; the sentence
form follows the seeds ("41,07%", "78/333", "trên 71%").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..vietnamese import fmt_above, fmt_fraction, fmt_int, fmt_percent
from .levels import NEW_LABELS, NOT_RATED_LABELS, OLD_ORG_LABELS, RANK, Level


@dataclass
class GroupStats:
    """One group (grassroots organizations, branches, members) for one year."""

    rated: int = 0
    levels: dict[str, int] = field(default_factory=dict)
    not_rated: dict[str, int] = field(default_factory=dict)
    exemplary: int = 0
    pending: int = 0  # in scope, no decision yet (units too new to be rated are not pending)
    # Units set up less than the regime's min_months_since_established before the rating day (HD 21 II.6 [V]): not
    # rated, whether or not the cycle's close has recorded them yet (those recorded are also in not_rated).
    too_new: int = 0

    def at_rank(self, rank: int) -> int:
        return sum(n for lv, n in self.levels.items() if RANK[lv] == rank)

    def at_least(self, rank: int) -> int:
        return sum(n for lv, n in self.levels.items() if RANK[lv] >= rank)

    def share(self, count: int) -> Fraction:
        return Fraction(count, self.rated) if self.rated else Fraction(0)

    def as_json(self) -> dict[str, Any]:
        top = self.at_rank(4)
        return {
            "rated": self.rated,
            "not_rated": sum(self.not_rated.values()),
            "not_rated_by_reason": self.not_rated,
            "levels": self.levels,
            "exemplary": self.exemplary,
            "pending": self.pending,
            "too_new": self.too_new,
            "top": {"count": top, "of": self.rated},
            "top_two": {"count": self.at_least(3), "of": self.rated},
            "exemplary_of_top": {"count": self.exemplary, "of": top},
        }


def top_label(old_scheme: bool) -> str:
    return OLD_ORG_LABELS[Level.CLEAN_STRONG] if old_scheme else NEW_LABELS[Level.EXCELLENT]


def sentences(groups: dict[str, GroupStats], *, year: int, old_scheme: bool) -> list[str]:
    out: list[str] = []
    label = top_label(old_scheme)
    g = groups.get("grassroots")
    if g and g.rated:
        top = g.at_rank(4)
        out.append(f"có {fmt_percent(g.share(top))} tổ chức cơ sở đảng đạt '{label}'")
        tail = f", trong đó có {fmt_int(g.exemplary)} tổ chức cơ sở đảng '{label}' tiêu biểu" if g.exemplary else ""
        out.append(f"{fmt_fraction(top, g.rated)} tổ chức cơ sở đảng được xếp loại '{label}'{tail}")
        out.append(
            f"tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên đạt {fmt_percent(g.share(g.at_least(3)))}"
        )
    b = groups.get("branches")
    if b and b.rated:
        out.append(f"{fmt_fraction(b.at_rank(4), b.rated)} chi bộ trực thuộc đạt '{label}'")
    if (g and g.exemplary) or (b and b.exemplary):
        n = (g.exemplary if g else 0) + (b.exemplary if b else 0)
        out.append(f"{fmt_int(n)} tập thể đạt '{label}' tiêu biểu năm {year}")
    m = groups.get("members")
    if m and m.rated:
        out.append(
            f"{fmt_above(m.share(m.at_least(3)))} đảng viên hoàn thành xuất sắc nhiệm vụ và hoàn thành tốt nhiệm vụ"
        )
        out.append(
            f"{fmt_int(m.at_rank(4))} đảng viên hoàn thành xuất sắc nhiệm vụ ({fmt_percent(m.share(m.at_rank(4)))})"
        )
        if m.not_rated:
            parts = ", ".join(f"{fmt_int(n)} {NOT_RATED_LABELS[r]}" for r, n in sorted(m.not_rated.items()))
            out.append(f"{fmt_int(sum(m.not_rated.values()))} đảng viên không xếp loại ({parts})")
    return out
