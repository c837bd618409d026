"""Rating rules: who is not rated, what caps apply, what the grades or score give, and why.

Each function returns a level (or a cap) together with Reasons that cite the clause. A decision
above the cap is refused by `check_decision` with those reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ..errors import RuleError
from ..vietnamese import fmt_date, fmt_decimal, fmt_percent, months_between
from .levels import GRADE_LABELS, GRADE_RANK, RANK, SHORT, Grade, Level, NotRated, is_bottom, is_top, level_by_rank
from .regimes import Criterion, Regime, cite

# Discipline forms (Điều lệ Đảng Đ.35; QĐ 69-QĐ/TW), mildest first.
DISCIPLINE_ORDER = ("reprimand", "warning", "dismissal", "expulsion", "disbandment")
DISCIPLINE_NAMES = {
    "reprimand": "khiển trách",
    "warning": "cảnh cáo",
    "dismissal": "cách chức",
    "expulsion": "khai trừ",
    "disbandment": "giải tán",
}
# Criterion keys as the reasons name them (regimes.GRADED_CRITERIA; imports may bring others, shown as they are).
CRITERION_NAMES = {"general": "tiêu chí chung", "tasks": "kết quả thực hiện nhiệm vụ"}


def _form(form: str) -> str:
    return DISCIPLINE_NAMES.get(form, form)


@dataclass(frozen=True)
class Reason:
    text: str
    source: str = ""

    def __str__(self) -> str:
        shown = cite(self.source)
        return f"{self.text} ({shown})" if shown else self.text


@dataclass(frozen=True)
class DisciplineFact:
    form: str
    decided_on: dt.date
    self_fixed: bool = False  # "tự phát hiện và khắc phục xong hậu quả"


@dataclass(frozen=True)
class MemberFacts:
    year: int
    rated_on: dt.date
    admitted_on: dt.date | None = None
    exempt: bool = False
    suspended: bool = False
    grades: Mapping[str, str] = field(default_factory=dict)  # criterion → Grade; "tasks*" = task-result criteria
    score: Decimal | None = None
    tasks_completed: Fraction | None = None
    tasks_exceeded: Fraction | None = None
    disciplines: Sequence[DisciplineFact] = ()
    civil_servant: bool = False
    state_rating: str | None = None
    sick_leave_months: int = 0
    degradation: bool = False
    transferred_on: dt.date | None = None
    months_in_old_branch: int = 0
    old_branch_comment: bool = False


@dataclass(frozen=True)
class OrgFacts:
    year: int
    rated_on: dt.date
    holds_members: bool  # a chi bộ (rated from its members) rather than a committee (rated from sub-units)
    established_on: dt.date | None = None
    grades: Mapping[str, str] = field(default_factory=dict)
    score: Decimal | None = None
    tasks_completed: Fraction | None = None
    tasks_exceeded: Fraction | None = None
    sub_levels: Sequence[str] = ()  # final levels of direct sub-units (rated ones)
    member_levels: Sequence[str] = ()  # final levels of its members (rated ones)
    disciplined: bool = False
    self_fixed: bool = False
    leadership_discipline_forms: Sequence[str] = ()
    sub_units_disciplined: int = 0
    sub_units_total: int = 0
    flaws: Sequence[str] = ()  # HD 27 listed defects: disunity, corruption_discipline, government_lowest, ...


@dataclass(frozen=True)
class Outcome:
    """What the rules say before anyone decides: not rated (why), or the cap and a proposed level."""

    not_rated: str | None
    cap: str | None
    proposed: str | None
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...] = ()
    limits: tuple[Reason, ...] = ()  # the reasons that lower the cap (a refusal cites these)


def _lower(a: str, b: str, levels: tuple[str, ...]) -> str:
    return level_by_rank(min(RANK[a], RANK[b]), levels)


def fmt_points(x: Decimal) -> str:
    """Points as the forms print them: '92', '92,5'."""
    return fmt_decimal(x, 0 if x == x.to_integral_value() else 1)


def _pct(x: Fraction | None) -> str:
    return fmt_percent(x, 0) if x is not None else "—"


def _in_year(d: dt.date, year: int) -> bool:
    return d.year == year


# ---------------------------------------------------------------- members


def member_not_rated(f: MemberFacts, r: Regime) -> tuple[str, Reason] | None:
    if f.exempt:
        return NotRated.EXEMPT, Reason(
            "Được miễn công tác và sinh hoạt đảng: không xếp loại.",
            r.cites.exempt,
        )
    if f.suspended and r.suspended_not_rated:
        return NotRated.SUSPENDED, Reason("Đang bị đình chỉ sinh hoạt đảng: không xếp loại.", r.cites.suspended)
    if f.admitted_on is not None and months_between(f.admitted_on, f.rated_on) < r.min_months_since_admission:
        return NotRated.ADMITTED_RECENTLY, Reason(
            f"Kết nạp ngày {fmt_date(f.admitted_on)}, chưa đủ {r.min_months_since_admission} tháng đến ngày xếp loại "
            f"{fmt_date(f.rated_on)}: không xếp loại (vẫn viết bản kiểm điểm).",
            r.cites.admitted_recently,
        )
    return None


def member_cap(f: MemberFacts, r: Regime) -> tuple[str, list[Reason]]:
    """The highest level the facts allow, with the reasons that lower it."""
    levels = r.member_levels
    cap: str = levels[0]
    why: list[Reason] = []

    def lower(to: str, reason: Reason) -> None:
        nonlocal cap
        if RANK[to] < RANK[cap]:
            cap = to
        why.append(reason)

    if r.discipline_caps_member:
        for d in f.disciplines:
            if not _in_year(d.decided_on, f.year):
                continue
            if d.self_fixed and r.discipline_self_fixed_exception:
                why.append(
                    Reason(
                        f"Bị kỷ luật ({_form(d.form)}) ngày {fmt_date(d.decided_on)} nhưng tự phát hiện và khắc phục "
                        "xong hậu quả: không hạ mức.",
                        r.cites.self_fixed,
                    )
                )
                continue
            lower(
                Level.FAILED,
                Reason(
                    f"Bị thi hành kỷ luật trong năm ({_form(d.form)}, ngày {fmt_date(d.decided_on)}).",
                    r.cites.member_discipline,
                ),
            )
    if f.degradation:
        lower(
            Level.FAILED,
            Reason(
                "Cấp có thẩm quyền kết luận suy thoái về tư tưởng chính trị, đạo đức, lối sống.",
                r.cites.degradation,
            ),
        )
    if f.tasks_completed is not None and f.tasks_completed < r.min_tasks_completed:
        lower(
            Level.FAILED,
            Reason(
                f"Chỉ hoàn thành {fmt_percent(f.tasks_completed, 0)} chỉ tiêu, nhiệm vụ (dưới "
                f"{fmt_percent(r.min_tasks_completed, 0)}).",
                r.cites.tasks_minimum,
            ),
        )
    if f.civil_servant and r.state_rating_caps and f.state_rating:
        if f.state_rating == Level.FAILED:
            lower(
                Level.FAILED,
                Reason(
                    "Là cán bộ, công chức, viên chức bị xếp loại 'Không hoàn thành nhiệm vụ' bên chính quyền.",
                    r.cites.state_rating_failed,
                ),
            )
        elif RANK[f.state_rating] < RANK[Level.EXCELLENT]:
            to = f.state_rating if r.state_rating_caps_middle_levels else Level.GOOD
            lower(
                to,
                Reason(
                    f"Xếp loại bên chính quyền là '{SHORT[f.state_rating]}': mức xếp loại đảng viên không cao hơn.",
                    r.cites.state_rating_other,
                ),
            )
    if r.sick_leave_cap_months is not None and f.sick_leave_months >= r.sick_leave_cap_months:
        lower(
            Level.SATISFACTORY,
            Reason(
                f"Nghỉ ốm {f.sick_leave_months} tháng trong năm (từ {r.sick_leave_cap_months} "
                "tháng trở lên): tối đa 'Hoàn thành nhiệm vụ'.",
                r.cites.sick_leave,
            ),
        )
    if r.top_requires_tasks_exceeded is not None and is_top(cap):
        done = f.tasks_completed if f.tasks_completed is not None else None
        over = f.tasks_exceeded
        if done is None or over is None or done < 1 or over < r.top_requires_tasks_exceeded:
            lower(
                Level.GOOD,
                Reason(
                    f"Mức 'Hoàn thành xuất sắc' cần hoàn thành 100% chỉ tiêu, nhiệm vụ và ít nhất "
                    f"{fmt_percent(r.top_requires_tasks_exceeded, 0)} vượt mức (ghi nhận: hoàn thành "
                    f"{_pct(done)}, vượt {_pct(over)}).",
                    r.top_conditions_source or r.sources.split(";")[0],
                ),
            )
    return cap, why


def from_grades(grades: Mapping[str, str], levels: tuple[str, ...], r: Regime) -> tuple[str, Reason] | None:
    """QĐ 132 / QĐ 124 Art. 11–12: the level from criterion grades. Top: task-result criteria 'Xuất sắc', the
    rest ≥ 'Tốt' [V]; good: all ≥ 'Tốt' [I]; satisfactory: all ≥ 'Trung bình' [V orgs, I members];
    any 'Kém' → failed [V]."""
    if not grades:
        return None
    ranks = {k: GRADE_RANK[Grade(v)] for k, v in grades.items()}
    tasks = [v for k, v in ranks.items() if k.startswith("tasks")]
    others = [v for k, v in ranks.items() if not k.startswith("tasks")]
    listing = ", ".join(f"{CRITERION_NAMES.get(k, k)}: {GRADE_LABELS[Grade(v)]}" for k, v in grades.items())
    if min(ranks.values()) == 1:
        return levels[-1], Reason(f"Có tiêu chí ở mức 'Kém' ({listing}).", r.cites.grades_poor)
    if tasks and min(tasks) == 4 and (not others or min(others) >= 3):
        return levels[0], Reason(
            f"Tiêu chí kết quả nhiệm vụ 'Xuất sắc', các tiêu chí khác từ 'Tốt' ({listing}).",
            r.cites.grades_top,
        )
    if min(ranks.values()) >= 3:
        return levels[1], Reason(f"Các tiêu chí từ 'Tốt' trở lên ({listing}).", r.cites.grades_good)
    return levels[2], Reason(f"Các tiêu chí từ 'Trung bình' trở lên ({listing}).", r.cites.grades_satisfactory)


def from_score(score: Decimal, r: Regime, levels: tuple[str, ...]) -> tuple[str, Reason]:
    """QĐ 366 Art. 11 [V]: ≥ 90, [70, 90), [50, 70), < 50, compared unrounded. HD 27 [V only < 50]."""
    b = r.bands
    assert b is not None
    idx = 0 if score >= b.top else 1 if score >= b.good else 2 if score >= b.satisfactory else 3
    return levels[idx], Reason(
        f"Tổng điểm {fmt_points(score)} thuộc khung '{SHORT[levels[idx]]}'.", r.cites.score_bands
    )


def score_from_points(points: Mapping[str, Decimal | None], criteria: Sequence[Criterion]) -> Decimal | None:
    """The total score of a scored regime (QĐ 366 Art. 10 [V]: 30 points of general criteria, 70 of task
    results): every group must have its points, each between 0 and its maximum. None when nothing is entered."""
    scored = [c for c in criteria if c.max_points is not None]
    if not scored or all(points.get(c.key) is None for c in scored):
        return None
    total = Decimal(0)
    for c in scored:
        value = points.get(c.key)
        assert c.max_points is not None
        if value is None:
            raise RuleError(f"Thiếu điểm '{c.label}' (tối đa {c.max_points} điểm).", field=f"points-{c.key}")
        if not Decimal(0) <= value <= c.max_points:
            raise RuleError(
                f"Điểm '{c.label}' phải từ 0 đến {c.max_points} (ghi: {value}).",
                field=f"points-{c.key}",
                source="Quy định 366-QĐ/TW, Điều 10",
            )
        total += value
    return total


def assess_member(f: MemberFacts, r: Regime) -> Outcome:
    nr = member_not_rated(f, r)
    if nr:
        return Outcome(nr[0], None, None, (nr[1],))
    cap, why = member_cap(f, r)
    base = (
        from_score(f.score, r, r.member_levels)
        if (r.scored and f.score is not None)
        else from_grades(f.grades, r.member_levels, r)
    )
    warnings: list[Reason] = []
    if (
        f.transferred_on
        and f.transferred_on.year == f.year
        and f.months_in_old_branch >= 6
        and not f.old_branch_comment
    ):
        warnings.append(
            Reason(
                "Chuyển sinh hoạt trong năm sau ít nhất 6 tháng ở chi bộ cũ: cần ý kiến nhận xét của chi "
                "bộ nơi chuyển đi.",
                r.cites.transfer_comment,
            )
        )
    limits = [w for w in why if "không hạ mức" not in w.text]
    if base is None:
        return Outcome(None, cap, None, tuple(why), tuple(warnings), tuple(limits))
    proposed = _lower(base[0], cap, r.member_levels)
    if r.scored and f.score is not None:
        # QĐ 366 Art. 11 [V]: a score in the band is a condition of the level ("tổng điểm đạt từ 90 điểm trở
        # lên" for HTXS): a recorded score caps the decision as the other conditions do.
        if RANK[proposed] < RANK[cap]:
            limits.insert(0, base[1])
        cap = proposed
    return Outcome(None, cap, proposed, (base[1], *why), tuple(warnings), tuple(limits))


# ---------------------------------------------------------------- organizations


def _share(levels: Sequence[str], pred: int) -> Fraction:
    return Fraction(sum(1 for lv in levels if RANK[lv] >= pred), len(levels)) if levels else Fraction(0)


def org_not_rated(f: OrgFacts, r: Regime) -> tuple[str, Reason] | None:
    if f.established_on is not None and months_between(f.established_on, f.rated_on) < r.min_months_since_established:
        return NotRated.ESTABLISHED_RECENTLY, Reason(
            f"Thành lập ngày {fmt_date(f.established_on)}, chưa đủ {r.min_months_since_established} tháng: "
            "không xếp loại.",
            r.cites.established_recently,
        )
    return None


def org_cap(f: OrgFacts, r: Regime) -> tuple[str, list[Reason]]:
    levels = r.org_levels
    cap: str = levels[0]
    why: list[Reason] = []

    def lower(rank: int, reason: Reason) -> None:
        nonlocal cap
        if rank < RANK[cap]:
            cap = level_by_rank(rank, levels)
        why.append(reason)

    if f.disciplined and r.org_discipline_caps and not f.self_fixed:
        lower(1, Reason("Tổ chức đảng bị thi hành kỷ luật trong năm.", r.cites.org_discipline))
    if r.leadership_warning_caps:
        heavy = [x for x in f.leadership_discipline_forms if x in DISCIPLINE_ORDER[1:]]
        if heavy:
            lower(
                1,
                Reason(
                    f"Thành viên cấp ủy bị kỷ luật từ cảnh cáo trở lên ({', '.join(_form(x) for x in heavy)}).",
                    r.cites.leadership_discipline,
                ),
            )
    if f.sub_units_total and Fraction(f.sub_units_disciplined, f.sub_units_total) > r.sub_units_disciplined_share:
        lower(
            1,
            Reason(
                f"{f.sub_units_disciplined}/{f.sub_units_total} tổ chức trực thuộc bị kỷ luật (trên "
                f"{fmt_percent(r.sub_units_disciplined_share, 0)}).",
                r.cites.sub_units_disciplined,
            ),
        )
    if r.any_discipline_bars_top and (f.sub_units_disciplined or f.leadership_discipline_forms):
        lower(
            3,
            Reason(
                "Có tổ chức trực thuộc hoặc thành viên tập thể lãnh đạo bị kỷ luật: không được mức cao nhất.",
                r.cites.any_discipline_bars_top,
            ),
        )
    basis = f.member_levels if f.holds_members else f.sub_levels
    what = "đảng viên" if f.holds_members else "tổ chức trực thuộc"
    if r.weak_sub_share is not None and not f.holds_members and f.sub_levels:
        weak = sum(1 for lv in f.sub_levels if is_bottom(lv))
        if Fraction(weak, len(f.sub_levels)) > r.weak_sub_share:
            lower(
                1,
                Reason(f"{weak}/{len(f.sub_levels)} tổ chức trực thuộc 'Yếu kém' (trên 1/3).", r.cites.weak),
            )
    if r.weak_member_failed_share is not None and f.holds_members and f.member_levels:
        failed = sum(1 for lv in f.member_levels if is_bottom(lv))
        if Fraction(failed, len(f.member_levels)) > r.weak_member_failed_share:
            lower(
                1,
                Reason(
                    f"{failed}/{len(f.member_levels)} đảng viên không hoàn thành nhiệm vụ (trên 1/2).",
                    r.cites.weak,
                ),
            )
    if r.flaws_make_weak and f.flaws:
        lower(1, Reason(f"Có khuyết điểm thuộc diện 'Yếu kém': {', '.join(f.flaws)}.", r.cites.weak))
    if basis:
        if r.top_org_all_at_least_satisfactory and any(is_bottom(lv) for lv in basis):
            lower(
                3,
                Reason(f"Không phải 100% {what} đạt từ 'Hoàn thành nhiệm vụ' trở lên.", r.cites.org_top_shares),
            )
        share = _share(basis, 3)
        if r.top_org_min_share_good and share < r.top_org_min_share_good:
            lower(
                3,
                Reason(
                    f"Chỉ {fmt_percent(share)} {what} đạt từ 'Hoàn thành tốt nhiệm vụ' trở lên (cần từ "
                    f"{fmt_percent(r.top_org_min_share_good, 0)}).",
                    r.cites.org_top_shares,
                ),
            )
    if r.top_requires_tasks_exceeded is not None and is_top(cap) and r.org_top_requires_tasks_exceeded:
        done, over = f.tasks_completed, f.tasks_exceeded
        if done is None or over is None or done < 1 or over < r.top_requires_tasks_exceeded:
            lower(
                3,
                Reason(
                    f"Mức cao nhất cần hoàn thành 100% nhiệm vụ, ít nhất "
                    f"{fmt_percent(r.top_requires_tasks_exceeded, 0)} vượt mức.",
                    r.top_conditions_source or r.sources.split(";")[0],
                ),
            )
    return cap, why


def assess_org(f: OrgFacts, r: Regime) -> Outcome:
    nr = org_not_rated(f, r)
    if nr:
        return Outcome(nr[0], None, None, (nr[1],))
    cap, why = org_cap(f, r)
    base = (
        from_score(f.score, r, r.org_levels)
        if (r.scored and f.score is not None)
        else from_grades(f.grades, r.org_levels, r)
    )
    if base is None:
        return Outcome(None, cap, None, tuple(why), limits=tuple(why))
    return Outcome(None, cap, _lower(base[0], cap, r.org_levels), (base[1], *why), limits=tuple(why))


def check_decision(level: str, outcome: Outcome, levels: tuple[str, ...]) -> None:
    """Refuse a level the regime does not have, a level for someone not rated, or a level above the cap."""
    if level not in levels:
        raise RuleError(
            f"Mức '{SHORT.get(level, level)}' không thuộc thang xếp loại áp dụng "
            f"({', '.join(SHORT[x] for x in levels)}).",
            field="level",
        )
    if outcome.not_rated:
        raise RuleError("Không xếp loại: " + "; ".join(str(r) for r in outcome.reasons), field="level")
    if outcome.cap is not None and RANK[level] > RANK[outcome.cap]:
        raise RuleError(
            f"Không thể xếp '{SHORT[level]}': tối đa '{SHORT[outcome.cap]}' vì "
            + "; ".join(str(r) for r in (outcome.limits or outcome.reasons) if r.source),
            field="level",
        )
