"""Review statistics as the reports print them: counts, shares and the Vietnamese sentences.

SEED_FIGURES F1–F5, F9, F15, F16. Every share carries its numerator and denominator; the sentence
form follows the seeds ("41,07%", "78/333", "trên 71%").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..reports.phrasing import join_and, phrase, rated_of, share_of
from ..vietnamese import fmt_above, fmt_fraction, fmt_int, fmt_percent
from .levels import NEW_LABELS, NOT_RATED_LABELS, OLD_ORG_LABELS, RANK, Level, NotRated

# A comparison with a year is made only when at least this share of the units in scope that year had a result
# (rated or not rated with a reason) [I]: no source sets it; a year where a tenth of the units had results says
# nothing about the whole (issue 12, item 7).
COMPARISON_COVERAGE = Fraction(9, 10)


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

    @property
    def with_result(self) -> int:
        """Units (members) with a decision: rated, or not rated for a stated reason other than being too new."""
        return self.rated + sum(n for r, n in self.not_rated.items() if r != NotRated.ESTABLISHED_RECENTLY)

    @property
    def in_scope(self) -> int:
        """Units that should have a decision for the year: those with one and those still waiting (units too new
        to be rated are not waited for, HD 21 II.6)."""
        return self.with_result + self.pending

    def covered(self, threshold: Fraction = COMPARISON_COVERAGE) -> bool:
        return bool(self.in_scope) and Fraction(self.with_result, self.in_scope) >= threshold

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


def sentences(groups: dict[str, GroupStats], *, year: int, old_scheme: bool, top_said: str | None = None) -> list[str]:
    """The review's results in the seeds' clauses. The grassroots top level is printed in both seed forms (seed
    000, F1: 'có 41,07% …'; seed 001, F9: '27/54 … được xếp loại …, trong đó có 6 … tiêu biểu') for the statistics
    to offer either; a report says it once, in the form its phrasebook chooses (top_said: '41,07% tổ chức cơ sở
    đảng', '27/54 tổ chức cơ sở đảng (50,00%)' …): 'có 41,07% tổ chức cơ sở đảng đạt …, trong đó có 3 tiêu biểu'."""
    out: list[str] = []
    label = top_label(old_scheme)
    g = groups.get("grassroots")
    if g and g.rated:
        top = g.at_rank(4)
        if top_said is not None:
            tail = f", trong đó có {fmt_int(g.exemplary)} tiêu biểu" if g.exemplary else ""
            out.append(f"có {top_said} đạt '{label}'{tail}")
        else:
            out.append(f"có {fmt_percent(g.share(top))} tổ chức cơ sở đảng đạt '{label}'")
            # F9 as the seed prints it; the exemplary share within the top level is in levels_clause.
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


def too_new(g: GroupStats) -> int:
    """Units set up too recently to be rated (HD 21 II.6: under the regime's months before the rating day), with a
    'not rated' decision recorded or not: the review statistics count them in GroupStats.too_new (recorded ones
    are also in not_rated) once they provide the field; until then the recorded ones."""
    recorded = g.not_rated.get(NotRated.ESTABLISHED_RECENTLY, 0)
    return max(int(getattr(g, "too_new", 0) or 0), recorded)


def level_label_in_text(level: str, *, old_scheme: bool, members: bool) -> str:
    """A level inside a sentence: the old top and weak levels of organizations quoted, the others lower case."""
    if old_scheme and not members and level in OLD_ORG_LABELS:
        return f"'{OLD_ORG_LABELS[level]}'" if level == Level.CLEAN_STRONG else OLD_ORG_LABELS[level].lower()
    return NEW_LABELS.get(level, level).lower()


def levels_clause(g: GroupStats, who: str, *, old_scheme: bool, members: bool = False) -> str:
    """Each level's count and share, the exemplary within the top level: 'tổ chức cơ sở đảng: 23 'Trong sạch,
    vững mạnh' (41,07%, trong đó 3 tiêu biểu, bằng 13,04%), 25 hoàn thành tốt nhiệm vụ (44,64%) …'."""
    if not g.rated:
        return ""
    parts = []
    for rank in (4, 3, 2, 1):
        n = g.at_rank(rank)
        lv = next((lv for lv in g.levels if RANK[lv] == rank), None)
        if lv is None:
            continue
        text = f"{fmt_int(n)} {level_label_in_text(lv, old_scheme=old_scheme, members=members)} ({phrase(n, g.rated)}"
        if rank == 4 and g.exemplary:
            text += f", trong đó {fmt_int(g.exemplary)} tiêu biểu, bằng {phrase(g.exemplary, n)}"
        parts.append(text + ")")
    return f"{who}: {join_and(parts)}" if parts else ""


def top_of_good_clause(g: GroupStats, who: str) -> str:
    """The top level as a share of the good level, the base of the quota (HD 21-HD/BTCTW 2019: members HTXS not
    above 20% of those rated HTT in each grassroots organization [V]; organizations likewise [I],
    assessment_addendum): 'số tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ bằng 18,52% số hoàn thành tốt
    nhiệm vụ'. New scheme only (the old scheme had no such quota)."""
    good = g.levels.get(Level.GOOD, 0)
    top = g.levels.get(Level.EXCELLENT, 0)
    if not good or not top:
        return ""
    return share_of(
        top,
        good,
        part_noun=f"số {who} hoàn thành xuất sắc nhiệm vụ",
        base_noun="số hoàn thành tốt nhiệm vụ",
    )


def rated_clause(g: GroupStats, who: str, *, said: bool = True) -> str:
    """'54/56 tổ chức cơ sở đảng được đánh giá, xếp loại (2 không xếp loại, 1 mới thành lập, chưa đủ thời gian xếp
    loại)'; with said=False the predicate is left to the caller, who joins several groups under one."""
    total = g.in_scope + too_new(g)
    if not total:
        return ""
    extra = []
    other = g.with_result - g.rated
    if other:
        extra.append(f"{fmt_int(other)} không xếp loại")
    if too_new(g):
        extra.append(f"{fmt_int(too_new(g))} mới thành lập, chưa đủ thời gian xếp loại")
    if g.pending:
        extra.append(f"{fmt_int(g.pending)} chưa có kết quả")
    text = rated_of(g.rated, total, who) if said else f"{fmt_fraction(g.rated, total)} {who}"
    return text + (f" ({', '.join(extra)})" if extra else "")
