"""Report periods: a year, a term or its first half, N years since a date.

Syntax (CLI, API, web): "2024" (a year); "2020-2025" (a congress term, or its first half for an interim
review); "since:5/5/2008" or "since:5/5/2008..16/3/2017" (N years since a date, for a thematic review);
"1/1/2023..30/6/2024" (any range).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import RuleError
from ..vietnamese import fmt_date, parse_date


class Kind:
    ANNUAL = "annual"
    REVIEW = "review"
    INTERIM = "interim"
    TERM = "term"
    THEMATIC = "thematic"
    LIST = "list"


KINDS = (Kind.ANNUAL, Kind.REVIEW, Kind.INTERIM, Kind.TERM, Kind.THEMATIC, Kind.LIST)
KIND_LABELS = {
    Kind.ANNUAL: "Báo cáo tổng kết công tác xây dựng Đảng năm",
    Kind.REVIEW: "Báo cáo kết quả kiểm điểm, đánh giá, xếp loại chất lượng",
    Kind.INTERIM: "Báo cáo sơ kết giữa nhiệm kỳ",
    Kind.TERM: "Báo cáo tổng kết nhiệm kỳ",
    Kind.THEMATIC: "Báo cáo tổng kết chuyên đề",
    Kind.LIST: "Danh sách",
}


@dataclass(frozen=True)
class Period:
    """[start, end], both inclusive, with the years it reviews one by one (trends, yearly targets)."""

    start: dt.date
    end: dt.date
    text: str  # as the user wrote it

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    @property
    def first_year(self) -> int:
        return self.start.year

    @property
    def last_year(self) -> int:
        return self.end.year

    @property
    def is_year(self) -> bool:
        return self.start == dt.date(self.start.year, 1, 1) and self.end == dt.date(self.start.year, 12, 31)

    @property
    def span_years(self) -> int:
        """'10 năm' for 5/5/2008 → 16/3/2017, '15 năm (2011 – 2025)': calendar years counted inclusively, as the
        seeds count them [I]."""
        return self.end.year - self.start.year + 1

    def printed(self) -> str:
        if self.is_year:
            return f"năm {self.start.year}"
        if self.start.month == 1 and self.start.day == 1 and self.end.month == 12 and self.end.day == 31:
            return f"giai đoạn {self.start.year} – {self.end.year}"
        return f"từ ngày {fmt_date(self.start)} đến ngày {fmt_date(self.end)}"

    def years_printed(self) -> str:
        return f"{self.start.year} – {self.end.year}"


_YEAR = re.compile(r"^\d{4}$")
_TERM = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")


def interim_half(first_year: int, last_year: int) -> int:
    """The last year an interim review of the term covers: the first half, rounded down (2020–2025 → 2022) [I]."""
    return first_year + (last_year - first_year) // 2


def parse_period(text: str, *, kind: str = Kind.ANNUAL, today: dt.date | None = None) -> Period:
    """Parse the period syntax for a report kind. Ends after today are cut at today (a report on the present)."""
    s = (text or "").strip()
    today = today or dt.date.today()
    if not s:
        raise RuleError("Chưa nhập kỳ báo cáo (ví dụ 2024, 2020-2025, since:5/5/2008).", field="period")
    start: dt.date
    end: dt.date
    if _YEAR.match(s):
        y = int(s)
        start, end = dt.date(y, 1, 1), dt.date(y, 12, 31)
    elif m := _TERM.match(s):
        a, b = int(m[1]), int(m[2])
        if b <= a:
            raise RuleError(f"Nhiệm kỳ '{s}': năm cuối phải sau năm đầu.", field="period")
        if kind == Kind.INTERIM:
            b = interim_half(a, b)
        start, end = dt.date(a, 1, 1), dt.date(b, 12, 31)
    else:
        body = s[len("since:") :] if s.lower().startswith("since:") else s
        first, sep, last = body.partition("..")
        try:
            start = parse_date(first.strip())
            end = parse_date(last.strip()) if sep else today
        except ValueError as e:
            raise RuleError(
                f"Kỳ báo cáo không hợp lệ: '{s}' (dùng 2024, 2020-2025, since:5/5/2008 hoặc 1/1/2023..30/6/2024).",
                field="period",
            ) from e
        if not sep and not s.lower().startswith("since:"):
            raise RuleError(f"Kỳ báo cáo không hợp lệ: '{s}' (thiếu '..' hoặc 'since:').", field="period")
    if end < start:
        raise RuleError(f"Kỳ báo cáo '{s}': ngày cuối trước ngày đầu.", field="period")
    if start > today:
        raise RuleError(f"Kỳ báo cáo '{s}' bắt đầu sau hôm nay.", field="period")
    return Period(start, min(end, today), s)
