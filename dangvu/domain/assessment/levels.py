"""Levels, criterion grades and not-rated reasons, with the wording each regime uses."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    EXCELLENT = "excellent"  # Hoàn thành xuất sắc nhiệm vụ (HTXS)
    GOOD = "good"  # Hoàn thành tốt nhiệm vụ (HTT)
    SATISFACTORY = "satisfactory"  # Hoàn thành nhiệm vụ (HTNV)
    FAILED = "failed"  # Không hoàn thành nhiệm vụ (KHTNV)
    CLEAN_STRONG = "clean_strong"  # Trong sạch, vững mạnh (TSVM): organizations, old scheme
    WEAK = "weak"  # Yếu kém: organizations, old scheme


# Rank 4 is the top level of either scheme; streaks and shares compare ranks, not names.
TOP_RANK, BOTTOM_RANK = 4, 1
RANK: dict[str, int] = {
    Level.CLEAN_STRONG: 4,
    Level.EXCELLENT: 4,
    Level.GOOD: 3,
    Level.SATISFACTORY: 2,
    Level.FAILED: 1,
    Level.WEAK: 1,
}


class Subject(StrEnum):
    MEMBER = "member"
    ORGANIZATION = "organization"


class Grade(StrEnum):
    """Criterion degrees (QĐ 132 Art. 11; QĐ 124 Art. 11): Xuất sắc / Tốt / Trung bình / Kém."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    AVERAGE = "average"
    POOR = "poor"


GRADE_RANK: dict[str, int] = {Grade.OUTSTANDING: 4, Grade.GOOD: 3, Grade.AVERAGE: 2, Grade.POOR: 1}
GRADE_LABELS: dict[str, str] = {
    Grade.OUTSTANDING: "Xuất sắc",
    Grade.GOOD: "Tốt",
    Grade.AVERAGE: "Trung bình",
    Grade.POOR: "Kém",
}


class NotRated(StrEnum):
    EXEMPT = "exempt"  # miễn công tác và sinh hoạt đảng
    SUSPENDED = "suspended"  # đình chỉ sinh hoạt đảng
    ADMITTED_RECENTLY = "admitted_recently"  # kết nạp chưa đủ 6 tháng
    ESTABLISHED_RECENTLY = "established_recently"  # tổ chức mới thành lập chưa đủ 6 tháng


NOT_RATED_LABELS: dict[str, str] = {
    NotRated.EXEMPT: "miễn công tác và sinh hoạt đảng",
    NotRated.SUSPENDED: "đình chỉ sinh hoạt đảng",
    NotRated.ADMITTED_RECENTLY: "mới kết nạp chưa đủ 6 tháng",
    NotRated.ESTABLISHED_RECENTLY: "mới thành lập chưa đủ 6 tháng",
}


class Stage(StrEnum):
    SELF = "self"  # tự đánh giá
    PROPOSAL = "proposal"  # chi bộ đề xuất
    REVIEW = "review"  # thẩm định
    DECISION = "decision"  # cấp ủy quyết định


STAGE_LABELS: dict[str, str] = {
    Stage.SELF: "Tự đánh giá",
    Stage.PROPOSAL: "Chi bộ đề xuất",
    Stage.REVIEW: "Thẩm định",
    Stage.DECISION: "Cấp ủy quyết định",
}
STAGE_ORDER = [Stage.SELF, Stage.PROPOSAL, Stage.REVIEW, Stage.DECISION]

# Wording. Old scheme (HD 20/2008, HD 27/2014): organizations TSVM/HTT/HTNV/Yếu kém; members "Đủ tư cách, …".
OLD_ORG_LABELS: dict[str, str] = {
    Level.CLEAN_STRONG: "Trong sạch, vững mạnh",
    Level.GOOD: "Hoàn thành tốt nhiệm vụ",
    Level.SATISFACTORY: "Hoàn thành nhiệm vụ",
    Level.WEAK: "Yếu kém",
}
OLD_MEMBER_LABELS: dict[str, str] = {
    Level.EXCELLENT: "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ",
    Level.GOOD: "Đủ tư cách, hoàn thành tốt nhiệm vụ",
    Level.SATISFACTORY: "Đủ tư cách, hoàn thành nhiệm vụ",
    Level.FAILED: "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ",
}
NEW_LABELS: dict[str, str] = {
    Level.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Level.GOOD: "Hoàn thành tốt nhiệm vụ",
    Level.SATISFACTORY: "Hoàn thành nhiệm vụ",
    Level.FAILED: "Không hoàn thành nhiệm vụ",
}
SHORT: dict[str, str] = {
    Level.EXCELLENT: "HTXS",
    Level.GOOD: "HTT",
    Level.SATISFACTORY: "HTNV",
    Level.FAILED: "KHTNV",
    Level.CLEAN_STRONG: "TSVM",
    Level.WEAK: "Yếu kém",
}


def is_top(level: str | None) -> bool:
    """The top level of either scheme (HTXS, TSVM)."""
    return bool(level) and RANK.get(level, 0) == TOP_RANK  # type: ignore[arg-type]


def is_bottom(level: str | None) -> bool:
    """The bottom level of either scheme (KHTNV, Yếu kém)."""
    return bool(level) and RANK.get(level, 0) == BOTTOM_RANK  # type: ignore[arg-type]


def level_label(level: str, *, old_org: bool = False) -> str:
    """The level's Vietnamese name (organizations of the old scheme: TSVM … Yếu kém)."""
    if old_org or level in (Level.CLEAN_STRONG, Level.WEAK):
        return OLD_ORG_LABELS.get(level, NEW_LABELS.get(level, level))
    return NEW_LABELS.get(level, level)


def level_by_rank(rank: int, levels: tuple[str, ...]) -> str:
    """The level of a scheme with the given rank (levels are listed best first)."""
    for lv in levels:
        if RANK[lv] == rank:
            return lv
    raise KeyError(rank)
