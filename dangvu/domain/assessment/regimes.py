"""Regimes as data: which rules applied in which year, with their parameters.

Sources: ../shared/domain/assessment_rules.md and assessment_addendum.md. Values the research tags
[I] (inferred) or [U] (not found) are parameters here, each with its default and tag, never literals
in the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
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
class Citations:
    """The clause each rule cites in the years of a regime: a review cites only what was in force that year.

    The defaults are HD 21-HD/BTCTW (18/10/2019) and QĐ 132-QĐ/TW (2019–2022), as assessment_rules §3 gives them.
    Each regime (and each year's variant, see regime_for_year) replaces what its own documents say; where the
    research notes found no clause for those years [U], the document in force is cited without a clause and the
    tag stays here, never on a page (cite() removes it)."""

    exempt: str = "Hướng dẫn 21-HD/BTCTW, II.6"  # [V]
    suspended: str = "Hướng dẫn 21-HD/BTCTW, II.6"  # [V]
    admitted_recently: str = "Hướng dẫn 21-HD/BTCTW, II.6"  # [V]
    established_recently: str = "Hướng dẫn 21-HD/BTCTW, II.6"  # [V] assessment_rules §3.4
    transfer_comment: str = "Hướng dẫn 21-HD/BTCTW, II.6"  # [V]
    sick_leave: str = "Hướng dẫn 21-HD/BTCTW, II.6"  # [V]
    member_discipline: str = "Hướng dẫn 21-HD/BTCTW, II.B.2.3.d; Quy định 132-QĐ/TW, Điều 12.4.c"  # [V]
    self_fixed: str = ""  # QĐ 124 Art. 12 [V] brought the exception (discipline_self_fixed_exception)
    degradation: str = "Hướng dẫn 21-HD/BTCTW, II.B.2.3"  # [V]
    tasks_minimum: str = "Hướng dẫn 21-HD/BTCTW, II.B.2.3"  # [V]
    state_rating_failed: str = "Hướng dẫn 21-HD/BTCTW, II.B.2.3"  # [V]
    state_rating_other: str = "Hướng dẫn 21-HD/BTCTW, II.B.2.3 [V cho HTXS; I cho các mức khác]"
    grades_poor: str = "Quy định 132-QĐ/TW, Điều 12.4"  # [V]
    grades_top: str = "Hướng dẫn 21-HD/BTCTW, II.B.2.3"  # [V]
    grades_good: str = "Hướng dẫn 21-HD/BTCTW [I]"
    grades_satisfactory: str = "Hướng dẫn 21-HD/BTCTW, II.B.1.3"  # [V orgs; I members]
    org_discipline: str = "Hướng dẫn 21-HD/BTCTW, II.B.1.3"  # [V]
    leadership_discipline: str = "Hướng dẫn 21-HD/BTCTW (tập thể lãnh đạo, quản lý)"  # [V]
    sub_units_disciplined: str = "Quy định 132-QĐ/TW, Điều 12.4.a"  # [V]
    any_discipline_bars_top: str = ""  # QĐ 124 Art. 12 [V] brought the rule (any_discipline_bars_top)
    org_top_shares: str = "Hướng dẫn 21-HD/BTCTW, II.B.1.3.c"  # [V]
    weak: str = "Hướng dẫn 27-HD/BTCTW"  # [V]; only read where the regime has the Yếu kém rules
    score_bands: str = ""  # the scored regimes set theirs

    def without_sources(self) -> Citations:
        """No document cited at all (a year before any guidance the notes know)."""
        return replace(self, **{f.name: "" for f in fields(self)})


# HD 20-HD/BTCTW (10/10/2008), in force for the 2008–2013 reviews: the notes found the document but none of its
# clauses (assessment_rules §1, details [U]). Every rule cites the document without a clause.
_HD20 = "Hướng dẫn 20-HD/BTCTW [U: điều khoản không tìm thấy]"
HD20_CITES = Citations(**{f.name: _HD20 for f in fields(Citations)})
# HD 27-HD/BTCTW (25/9/2014), 2014–2017: only the Yếu kém rule and the < 50 floor were found (addendum §4) [V];
# the other rules are cited to the document without a clause [U].
_HD27 = "Hướng dẫn 27-HD/BTCTW [U: điều khoản không tìm thấy]"
HD27_CITES = replace(
    Citations(**{f.name: _HD27 for f in fields(Citations)}),
    weak="Hướng dẫn 27-HD/BTCTW",
    score_bands="Hướng dẫn 27-HD/BTCTW [V dưới 50 điểm; I khung 90/70]",
)
# HD 16-HD/BTCTW (24/9/2018) for the 2018 review; HD 21 replaced it in 2019 (addendum §1). The member KHTNV list is
# the same in HD 16 [V, assessment_rules §3.2]; the other clauses of HD 16 were not found [U].
_HD16 = "Hướng dẫn 16-HD/BTCTW [U: điều khoản không tìm thấy]"
HD16_CITES = replace(
    Citations(),
    exempt=_HD16,
    suspended=_HD16,
    admitted_recently=_HD16,
    established_recently=_HD16,
    transfer_comment=_HD16,
    sick_leave=_HD16,
    member_discipline="Hướng dẫn 16-HD/BTCTW; Quy định 132-QĐ/TW, Điều 12.4.c",
    degradation="Hướng dẫn 16-HD/BTCTW",
    tasks_minimum="Hướng dẫn 16-HD/BTCTW",
    state_rating_failed="Hướng dẫn 16-HD/BTCTW",
    state_rating_other=_HD16,
    grades_top=_HD16,
    grades_good=_HD16,
    grades_satisfactory=_HD16,
    org_discipline=_HD16,
    leadership_discipline=_HD16,
    org_top_shares=_HD16,
)
# QĐ 124-QĐ/TW (4/10/2023) and HD 25-HD/BTCTW (10/11/2023), 2023–2024: Art. 5.2 (not rated) and Art. 12 (KHTNV,
# HTXS) [V, assessment_rules §3.4, §4]; the rest carried over from HD 21 and cited to QĐ 124/HD 25 [I].
_QD124 = "Quy định 124-QĐ/TW; Hướng dẫn 25-HD/BTCTW [I: như HD 21, điều khoản không tìm thấy]"
QD124_CITES = replace(
    Citations(),
    exempt="Quy định 124-QĐ/TW, Điều 5.2",
    suspended="Quy định 124-QĐ/TW, Điều 5.2",
    admitted_recently="Quy định 124-QĐ/TW, Điều 5.2",
    established_recently=_QD124,
    transfer_comment=_QD124,
    sick_leave=_QD124,
    member_discipline="Quy định 124-QĐ/TW, Điều 12",
    degradation="Quy định 124-QĐ/TW, Điều 12",
    tasks_minimum="Quy định 124-QĐ/TW, Điều 12",
    state_rating_failed=_QD124,
    state_rating_other=_QD124,
    grades_poor="Quy định 124-QĐ/TW, Điều 12",
    grades_top="Quy định 124-QĐ/TW, Điều 11, 12",
    grades_good=_QD124,
    grades_satisfactory=_QD124,
    org_discipline="Quy định 124-QĐ/TW, Điều 12",
    leadership_discipline="Quy định 124-QĐ/TW, Điều 12",
    sub_units_disciplined="Quy định 124-QĐ/TW, Điều 12",
    org_top_shares=_QD124,
    self_fixed="Quy định 124-QĐ/TW, Điều 12",
    any_discipline_bars_top="Quy định 124-QĐ/TW, Điều 12",
)
# QĐ 366-QĐ/TW (30/8/2025) and HD 43-HD/BTCTW (31/10/2025), 2025 onward: Art. 10 and 11 [V]; the not-rated cases
# and KHTNV triggers were not found [U] (addendum §3, "What remains not found" 3).
_QD366 = "Quy định 366-QĐ/TW; Hướng dẫn 43-HD/BTCTW [U: điều khoản không tìm thấy]"
QD366_CITES = replace(
    Citations(**{f.name: _QD366 for f in fields(Citations)}),
    any_discipline_bars_top="Quy định 366-QĐ/TW, Điều 11.1",
    score_bands="Quy định 366-QĐ/TW, Điều 11",
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
    # HD 27 [V]: listed flaws (disunity, disciplined corruption, …) make an organization Yếu kém.
    flaws_make_weak: bool = False
    # QĐ 366 Art. 11.1 [V]: a collective at the top level completed 100% of its tasks, ≥ 30% beyond.
    org_top_requires_tasks_exceeded: bool = False
    cites: Citations = field(default_factory=Citations)

    @property
    def old_scheme(self) -> bool:
        """Organizations rated TSVM … Yếu kém (HD 20, HD 27), the reports' old wording."""
        return self.org_levels[0] == Level.CLEAN_STRONG

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
    title="Hướng dẫn 27-HD/BTCTW (25/9/2014)",
    sources="HD 27-HD/BTCTW",
    first_year=2014,
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
    flaws_make_weak=True,
    cites=HD27_CITES,
    sub_units_disciplined_share=Fraction(1),  # not in the old scheme [U]
    member_quota=Quota(
        source="không tìm thấy hạn mức trong HD 27 [U]; áp dụng 20% số HTT như thực tế báo cáo",
        shown="tỉ lệ 20% số đảng viên hoàn thành tốt nhiệm vụ, theo thực tế báo cáo",
    ),
    # No cap on organizations found in HD 27 [U] (addendum §4): a reference warning citing no later text.
    org_quota=Quota(hard=False, source="không tìm thấy trong HD 27 [U]", shown="thực tế báo cáo"),
)

# The 2008–2013 reviews: HD 20-HD/BTCTW (10/10/2008), the old scheme's wording [V]; its clauses were not found
# [U] (assessment_rules §1). The rules only known from HD 27 (Yếu kém shares, listed flaws, the point scale) are
# not applied to years before it was issued; the other parameters keep the old scheme's defaults [I].
HD20_2008 = replace(
    HD27_2014,
    code="hd20_2008",
    title="Hướng dẫn 20-HD/BTCTW (10/10/2008)",
    sources="HD 20-HD/BTCTW",
    first_year=2008,
    last_year=2013,
    scored=False,
    bands=None,
    weak_sub_share=None,
    weak_member_failed_share=None,
    flaws_make_weak=False,
    cites=HD20_CITES,
    member_quota=Quota(
        source="không tìm thấy hạn mức trong HD 20 [U]; áp dụng 20% số HTT như thực tế báo cáo",
        shown="tỉ lệ 20% số đảng viên hoàn thành tốt nhiệm vụ, theo thực tế báo cáo",
    ),
    org_quota=Quota(hard=False, source="không tìm thấy trong HD 20 [U]", shown="thực tế báo cáo"),
)

QD132_2018 = Regime(
    code="qd132_2018",
    title="Quy định 132-QĐ/TW (8/3/2018); Hướng dẫn 21-HD/BTCTW (18/10/2019)",
    sources="QĐ 132-QĐ/TW; HD 21-HD/BTCTW",
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
    cites=QD124_CITES,
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
    org_top_requires_tasks_exceeded=True,
    cites=QD366_CITES,
)

REGIMES: dict[str, Regime] = {r.code: r for r in (HD20_2008, HD27_2014, QD132_2018, QD124_2023, QD366_2025)}


def regime_for_year(year: int) -> Regime:
    """The year picks the regime and the documents its reviews cite (assessment_rules §1): a review never cites
    a document issued after its year."""
    if year <= 2013:
        if year < HD20_2008.first_year:
            # Before HD 20 no guidance is known [U]: the old scheme's rules, citing no document.
            return HD20_2008.with_(
                title="Quy định đánh giá chất lượng trước năm 2008", sources="", cites=HD20_CITES.without_sources()
            )
        return HD20_2008
    if year <= 2017:
        if year == 2017:
            # 2017 applied HD 27 together with CV 3993-CV/BTCTW (10/11/2017) [V].
            return HD27_2014.with_(
                title="Hướng dẫn 27-HD/BTCTW (25/9/2014); Công văn 3993-CV/BTCTW (10/11/2017)",
                sources="HD 27-HD/BTCTW; CV 3993-CV/BTCTW",
            )
        return HD27_2014
    if year <= 2022:
        if year == 2018:
            # HD 16 (24/9/2018) guided the 2018 review; it did not exempt suspended members, HD 21 (2019) added
            # them [V, addendum §1].
            return QD132_2018.with_(
                title="Quy định 132-QĐ/TW (8/3/2018); Hướng dẫn 16-HD/BTCTW (24/9/2018)",
                sources="QĐ 132-QĐ/TW; HD 16-HD/BTCTW",
                suspended_not_rated=False,
                cites=HD16_CITES,
                # HD 16's quota clause was not found [U]: HD 21's 20% of HTT by default, citing HD 16.
                member_quota=Quota(
                    source="HD 16: hạn mức không tìm thấy [U]; mặc định như HD 21", shown="Hướng dẫn 16-HD/BTCTW"
                ),
                org_quota=Quota(hard=False, source="HD 16 [U]", shown="Hướng dẫn 16-HD/BTCTW"),
            )
        return QD132_2018
    if year <= 2024:
        return QD124_2023
    return QD366_2025
