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

    @property
    def is_whole_years(self) -> bool:
        """From 1 January to 31 December (one year or several)."""
        return (self.start.month, self.start.day) == (1, 1) and (self.end.month, self.end.day) == (12, 31)

    @property
    def is_whole_months(self) -> bool:
        """From the first day of a month to the last day of a month (1/1/2012 → 31/3/2013)."""
        return self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1

    @property
    def months(self) -> int:
        """Whole calendar months covered (15 for 1/1/2012 → 31/3/2013); 0 when the period is not whole months."""
        if not self.is_whole_months:
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def title(self) -> str:
        """What the period is called in a report's title and first sentence.

        Only a calendar year is "năm 2013"; whole years are "giai đoạn 2011 – 2015"; anything else is named by
        its dates ("từ ngày 1/1/2012 đến ngày 31/3/2013"), never by the year it ends in: a 15-month report is
        not a report for "năm 2013" (issue 12, item 7).
        """
        return self.printed()

    def previous(self) -> Period:
        """The period of the same length just before this one, to compare with.

        A year → the year before; N whole years → the N years before; N whole months → the N months before
        (1/1/2012–31/3/2013 → 1/10/2010–31/12/2011); otherwise the same number of days ending the day before.
        A 15-month period is thus never compared with a 12-month year (issue 12, item 7).
        """
        if self.is_whole_years:
            n = self.span_years
            start, end = dt.date(self.start.year - n, 1, 1), dt.date(self.start.year - 1, 12, 31)
            text = str(start.year) if n == 1 else f"{start.year}-{end.year}"
            return Period(start, end, text)
        end = self.start - dt.timedelta(days=1)
        if self.is_whole_months:
            index = self.start.year * 12 + self.start.month - 1 - self.months  # months since year 0
            start = dt.date(index // 12, index % 12 + 1, 1)
        else:
            start = end - dt.timedelta(days=self.days - 1)
        return Period(start, end, f"{fmt_date(start)}..{fmt_date(end)}")

    def comparable_with(self, other: Period) -> bool:
        """Two periods whose figures may be compared side by side: the same length (same number of whole
        years or whole months, otherwise the same number of days)."""
        if self.is_whole_years or other.is_whole_years:
            return self.is_whole_years and other.is_whole_years and self.span_years == other.span_years
        if self.is_whole_months or other.is_whole_months:
            return self.months == other.months
        return self.days == other.days


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
