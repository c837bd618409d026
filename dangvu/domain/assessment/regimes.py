"""Regimes as data: which rules applied in which year, with their parameters.

Sources: ../shared/domain/assessment_rules.md and assessment_addendum.md. Values the research tags
[I] (inferred) or [U] (not found) are parameters here, each with its default and tag, never literals
in the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from .levels import Level

# Research tags ([V], [I], [U], [P], with or without a note) and notes on a text not found: kept in the code for
# the next reader, never printed in front of a user.
_TAG = re.compile(r"\s*\[(?:V|I|U|P)\b[^\]]*\]|\s*\((?:văn bản |câu [^)]*)?(?:không tìm thấy|bị cắt)[^)]*\)")


def cite(source: str) -> str:
    """A source as a page or a report prints it: the clause, without research tags."""
    return _TAG.sub("", source).strip(" ;,")


@dataclass(frozen=True)
class Quota:
    """Cap on top-level ratings: count(top) ≤ rounding(ratio × count(base)) within each scope unit.

    HD 21-HD/BTCTW II.B.2.3 [V]: members HTXS ≤ 20% of members rated HTT, within each grassroots
    organization. Rounding is not stated [U]; base and scope after 2023 are [U].
    """

    ratio: Fraction = Fraction(1, 5)
    base: str = "good"  # "good" (HTT only) [V HD 21] | "good_or_better" [U]
    scope: str = "grassroots"  # "grassroots" [V HD 21] | "deciding_committee" [U]
    rounding: str = "floor"  # "floor" | "floor_min1" | "round_half_up" | "ceil"   [U]
    source: str = "Hướng dẫn 21-HD/BTCTW, II.B.2.3"
    hard: bool = True  # members: an override needs a recorded reason; organizations: a warning only [U]
    shown: str = ""  # the citation a page prints, where the research note in `source` is not one

    @property
    def citation(self) -> str:
        return self.shown or cite(self.source)

    def limit(self, base_count: int) -> int:
        exact = self.ratio * base_count
        if self.rounding == "ceil":
            return -(-exact.numerator // exact.denominator)
        if self.rounding == "round_half_up":
            return int(exact + Fraction(1, 2))
        floor = exact.numerator // exact.denominator
        if self.rounding == "floor_min1" and base_count > 0:
            return max(floor, 1)
        return floor


@dataclass(frozen=True)
class Bands:
    """Score bands, lower bounds inclusive (QĐ 366 Art. 11 [V]: ≥90, [70,90), [50,70), <50)."""

    top: Decimal = Decimal(90)
    good: Decimal = Decimal(70)
    satisfactory: Decimal = Decimal(50)


@dataclass(frozen=True)
class Criterion:
    """One criterion (or group of criteria) a member is assessed on. Keys starting with "tasks" are the
    task-result criteria (rules.from_grades). In a scored regime it carries points out of `max_points`;
    otherwise a grade (Xuất sắc / Tốt / Trung bình / Kém)."""

    key: str
    label: str
    max_points: Decimal | None = None
    short: str = ""  # the column heading of the review sheet


# QĐ 132 Art. 11 / QĐ 124 Art. 11 [V]: criteria on political ideology, ethics and lifestyle, organization and
# discipline, and the results of the tasks assigned. Grouped in two here, the way the self-review forms group them.
GRADED_CRITERIA = (
    Criterion("general", "Tư tưởng chính trị, phẩm chất đạo đức, lối sống, ý thức tổ chức kỷ luật", short="Chung"),
    Criterion("tasks", "Kết quả thực hiện chức trách, nhiệm vụ được giao", short="Nhiệm vụ"),
)
# QĐ 366 Art. 10 [V]: a general criteria group of 30 points and a task-results group of 70 points.
SCORED_CRITERIA = (
    Criterion("general", "Nhóm tiêu chí chung", Decimal(30), short="Chung"),
    Criterion("tasks", "Kết quả thực hiện nhiệm vụ được giao", Decimal(70), short="Nhiệm vụ"),
)


@dataclass(frozen=True)
class Regime:
    code: str
    title: str
    sources: str
    first_year: int
    last_year: int | None
    org_levels: tuple[str, ...]  # best first
    member_levels: tuple[str, ...]
    scored: bool = False  # the level follows a 100-point score (QĐ 366) or organizations' point scale (HD 27)
    bands: Bands | None = None
    member_quota: Quota = field(default_factory=Quota)
    org_quota: Quota | None = field(
        default_factory=lambda: Quota(hard=False, source="Hướng dẫn 21-HD/BTCTW, II.B.1.3 (câu 'Lưu ý' bị cắt) [U]")
    )
    # Not rated (HD 21 II.6 [V]; QĐ 124 Art. 5.2 [V]).
    min_months_since_admission: int = 6
    min_months_since_established: int = 6
    suspended_not_rated: bool = True  # added by HD 21 (2019); HD 16 (2018) did not list it [V]
    # Caps on members (HD 21 II.B.2.3; HD 21 II.6).
    sick_leave_cap_months: int | None = 3  # ≥ 3 months' sick leave → at most HTNV [V HD 21 II.6]
    discipline_caps_member: bool = True  # disciplined in the year → KHTNV [V HD 21 II.B.2.3.d; QĐ 132 12.4c]
    discipline_self_fixed_exception: bool = False  # QĐ 124 Art. 12: "trừ trường hợp tự phát hiện và khắc phục" [V]
    state_rating_caps: bool = True  # CBCCVC: state KHTNV → KHTNV; HTXS needs state HTXS [V HD 21]
    state_rating_caps_middle_levels: bool = True  # HTT needs state ≥ HTT, HTNV needs ≥ HTNV [I]
    min_tasks_completed: Fraction = Fraction(1, 2)  # < 50% of assigned tasks → KHTNV [V HD 21; QĐ 124]
    top_requires_tasks_exceeded: Fraction | None = None  # QĐ 124: ≥ 50% exceeded [V]; QĐ 366: ≥ 30% [V]
    top_conditions_source: str = ""  # the clause of the top level's conditions, as the reasons cite it
    # Organizations.
    top_org_min_share_good: Fraction = Fraction(4, 5)  # HD 21 II.B.1.3 [V]: ≥ 80% of sub-units/members ≥ HTT
    top_org_all_at_least_satisfactory: bool = True  # HD 21 II.B.1.3 [V]: 100% ≥ HTNV
    weak_sub_share: Fraction | None = None  # HD 27 [V]: > 1/3 of sub-units Yếu kém → Yếu kém
    weak_member_failed_share: Fraction | None = None  # HD 27 [V]: > 1/2 of a branch's members KHTNV → Yếu kém
    org_discipline_caps: bool = True  # an organization disciplined → KHTNV unless self-detected [V HD 21 II.B.1.3]
    leadership_warning_caps: bool = True  # leadership member disciplined ≥ warning → KHTNV [V HD 21 (tập thể lãnh đạo)]
    sub_units_disciplined_share: Fraction = Fraction(1, 5)  # > 20% of sub-units disciplined → KHTNV [V QĐ 132 12.4a]
    any_discipline_bars_top: bool = False  # QĐ 124+: any sub-unit or leadership member disciplined → not top [V]
    # What a member's assessment is entered as: points per criterion group (QĐ 366) or a grade per criterion.
    member_criteria: tuple[Criterion, ...] = GRADED_CRITERIA
    # Streaks (SEED F5): whether a year without a rating breaks a streak [U]; default: it breaks it.
    not_rated_breaks_streak: bool = True

    @property
    def top_org(self) -> str:
        return self.org_levels[0]

    @property
    def bottom_org(self) -> str:
        return self.org_levels[-1]

    def with_(self, **changes: object) -> Regime:
        """A variant (a committee pinning its own parameters, e.g. the armed forces)."""
        return replace(self, **changes)  # type: ignore[arg-type]


OLD_ORG = (Level.CLEAN_STRONG, Level.GOOD, Level.SATISFACTORY, Level.WEAK)
NEW = (Level.EXCELLENT, Level.GOOD, Level.SATISFACTORY, Level.FAILED)

HD27_2014 = Regime(
    code="hd27_2014",
    title="Hướng dẫn 27-HD/BTCTW (25/9/2014); trước đó Hướng dẫn 20-HD/BTCTW (10/10/2008)",
    sources="HD 27-HD/BTCTW; HD 20-HD/BTCTW; CV 3993-CV/BTCTW (2017)",
    first_year=2008,
    last_year=2017,
    org_levels=OLD_ORG,
    member_levels=NEW,
    scored=True,
    # Only the < 50 floor is verified (Yếu kém); 90/70 for TSVM/HTT are [I].
    bands=Bands(),
    sick_leave_cap_months=None,  # no such cap found before HD 16/21 [U]
    state_rating_caps=False,  # the state-rating link arrives with QĐ 132 [I]
    state_rating_caps_middle_levels=False,
    top_org_min_share_good=Fraction(0),
    top_org_all_at_least_satisfactory=False,  # HD 27 TSVM conditions [U]
    weak_sub_share=Fraction(1, 3),
    weak_member_failed_share=Fraction(1, 2),
    leadership_warning_caps=False,
    sub_units_disciplined_share=Fraction(1),  # not in the old scheme [U]
    member_quota=Quota(
        source="không tìm thấy hạn mức trong HD 27 [U]; áp dụng 20% số HTT như thực tế báo cáo",
        shown="tỉ lệ 20% số đảng viên hoàn thành tốt nhiệm vụ, theo thực tế báo cáo",
    ),
)

QD132_2018 = Regime(
    code="qd132_2018",
    title="Quy định 132-QĐ/TW (8/3/2018); Hướng dẫn 16-HD/BTCTW (2018), Hướng dẫn 21-HD/BTCTW (2019–2022)",
    sources="QĐ 132-QĐ/TW; HD 16-HD/BTCTW; HD 21-HD/BTCTW",
    first_year=2018,
    last_year=2022,
    org_levels=NEW,
    member_levels=NEW,
)

QD124_2023 = Regime(
    code="qd124_2023",
    title="Quy định 124-QĐ/TW (4/10/2023); Hướng dẫn 25-HD/BTCTW (10/11/2023)",
    sources="QĐ 124-QĐ/TW; HD 25-HD/BTCTW",
    first_year=2023,
    last_year=2024,
    org_levels=NEW,
    member_levels=NEW,
    discipline_self_fixed_exception=True,
    top_requires_tasks_exceeded=Fraction(1, 2),
    top_conditions_source="Quy định 124-QĐ/TW, Điều 11",
    any_discipline_bars_top=True,
    member_quota=Quota(
        source="QĐ 124/HD 25: không tìm thấy văn bản [U]; mặc định như HD 21",
        shown="Quy định 124-QĐ/TW; Hướng dẫn 21-HD/BTCTW, II.B.2.3",
    ),
)

QD366_2025 = Regime(
    code="qd366_2025",
    title="Quy định 366-QĐ/TW (30/8/2025); Hướng dẫn 43-HD/BTCTW (31/10/2025)",
    sources="QĐ 366-QĐ/TW Điều 11; HD 43-HD/BTCTW; CV 10072-CV/BTCTW",
    first_year=2025,
    last_year=None,
    org_levels=NEW,
    member_levels=NEW,
    scored=True,
    bands=Bands(),
    discipline_self_fixed_exception=True,
    top_requires_tasks_exceeded=Fraction(3, 10),
    top_conditions_source="Quy định 366-QĐ/TW, Điều 11.1",
    any_discipline_bars_top=True,
    member_quota=Quota(
        source="QĐ 366 Điều 11 'tỉ lệ' (văn bản không tìm thấy) [U]; mặc định 20% số HTT",
        shown="Quy định 366-QĐ/TW, Điều 11",
    ),
    member_criteria=SCORED_CRITERIA,
)

REGIMES: dict[str, Regime] = {r.code: r for r in (HD27_2014, QD132_2018, QD124_2023, QD366_2025)}


def regime_for_year(year: int) -> Regime:
    """The year picks the regime (assessment_rules §1); years before 2014 use the old scheme too."""
    if year <= 2017:
        regime = HD27_2014
    elif year <= 2022:
        regime = QD132_2018
    elif year <= 2024:
        regime = QD124_2023
    else:
        regime = QD366_2025
    if regime is QD132_2018 and year == 2018:
        # HD 16 (2018) did not exempt suspended members; HD 21 (2019) added them [V].
        return regime.with_(suspended_not_rated=False)
    return regime
