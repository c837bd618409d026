"""Valid-time periods. A period is [valid_from, valid_to): the end is exclusive.

Open-ended periods end at OPEN_END rather than NULL, so that "valid on d" is two
plain comparisons that an index can serve (valid_from <= d < valid_to).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

OPEN_END = dt.date(9999, 12, 31)


class Period(NamedTuple):
    start: dt.date
    end: dt.date = OPEN_END

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def intersect(self, other: Period) -> Period | None:
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Period(start, end) if start < end else None

    @property
    def is_open(self) -> bool:
        return self.end == OPEN_END


def fmt_end(end: dt.date) -> dt.date | None:
    """The end as users see it: None for 'still valid'."""
    return None if end == OPEN_END else end
