"""Working days in Vietnam, for the party's deadlines (60 working days to decide an admission, 30 to hold the
ceremony, 30 to recognize an official member: membership_orgs.md §2).

Public holidays: Bộ luật Lao động 2012 Điều 115 (to 2020) and 2019 Điều 112 (from 2021): New Year 1/1;
Tết (4 days to 2012, 5 days from 2013); Hùng Kings' day (10/3 lunar); 30/4; 1/5; National Day 2/9 (and one
adjacent day from 2021). A holiday on a weekly rest day is compensated on the next working day.
The lunar dates are a data table [I: astronomical tables, 2008–2030]; each year the Prime Minister fixes the
exact Tết and 2/9 days and may swap working days, so `Calendar(extra_off=…, extra_work=…)` takes those decisions.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

D = dt.date
# Gregorian date of the lunar new year (mùng 1 Tết) and of Hùng Kings' day (10/3 lunar).
TET = {
    2008: D(2008, 2, 7),
    2009: D(2009, 1, 26),
    2010: D(2010, 2, 14),
    2011: D(2011, 2, 3),
    2012: D(2012, 1, 23),
    2013: D(2013, 2, 10),
    2014: D(2014, 1, 31),
    2015: D(2015, 2, 19),
    2016: D(2016, 2, 8),
    2017: D(2017, 1, 28),
    2018: D(2018, 2, 16),
    2019: D(2019, 2, 5),
    2020: D(2020, 1, 25),
    2021: D(2021, 2, 12),
    2022: D(2022, 2, 1),
    2023: D(2023, 1, 22),
    2024: D(2024, 2, 10),
    2025: D(2025, 1, 29),
    2026: D(2026, 2, 17),
    2027: D(2027, 2, 6),
    2028: D(2028, 1, 26),
    2029: D(2029, 2, 13),
    2030: D(2030, 2, 3),
}
HUNG_KINGS = {
    2008: D(2008, 4, 15),
    2009: D(2009, 4, 5),
    2010: D(2010, 4, 23),
    2011: D(2011, 4, 12),
    2012: D(2012, 3, 31),
    2013: D(2013, 4, 19),
    2014: D(2014, 4, 9),
    2015: D(2015, 4, 28),
    2016: D(2016, 4, 16),
    2017: D(2017, 4, 6),
    2018: D(2018, 4, 25),
    2019: D(2019, 4, 14),
    2020: D(2020, 4, 2),
    2021: D(2021, 4, 21),
    2022: D(2022, 4, 10),
    2023: D(2023, 4, 29),
    2024: D(2024, 4, 18),
    2025: D(2025, 4, 7),
    2026: D(2026, 4, 26),
    2027: D(2027, 4, 16),
    2028: D(2028, 4, 4),
    2029: D(2029, 4, 23),
    2030: D(2030, 4, 12),
}
ONE = dt.timedelta(days=1)


def public_holidays(year: int) -> set[dt.date]:
    """The statutory holidays of a year, before compensation for weekends."""
    days = {D(year, 1, 1), D(year, 4, 30), D(year, 5, 1), D(year, 9, 2)}
    if year in TET:
        tet = TET[year]
        # The last day of the old year, then the first days of the new: 4 days to 2012, 5 from 2013.
        n = 5 if year >= 2013 else 4
        days |= {tet - ONE + dt.timedelta(days=i) for i in range(n)}
    if year >= 2007 and year in HUNG_KINGS:  # a paid holiday since 2007
        days.add(HUNG_KINGS[year])
    if year >= 2021:  # BLLĐ 2019 Điều 112: 2/9 and one adjacent day (we take 1/9 or 3/9 by the PM's usual choice)
        days.add(D(year, 9, 1) if D(year, 9, 2).weekday() in (0, 6) else D(year, 9, 3))
    return days


@functools.lru_cache(maxsize=512)
def _holidays(extra_off: frozenset[dt.date], year: int) -> frozenset[dt.date]:
    """A year's days off: statutory holidays, each falling on a weekend compensated on the next working day, and
    the days off decided for the year. Cached: deadlines count day by day (a province's alerts ask it 80 thousand
    times)."""
    days = public_holidays(year)
    out = set(days)
    for d in sorted(days):
        if d.weekday() >= 5:  # compensated on the next working day
            nxt = d + ONE
            while nxt.weekday() >= 5 or nxt in out:
                nxt += ONE
            out.add(nxt)
    return frozenset(out | {d for d in extra_off if d.year == year})


@dataclass(frozen=True)
class Calendar:
    """Working days: Monday to Friday except holidays (with weekend compensation) and decided swaps."""

    extra_off: frozenset[dt.date] = field(default_factory=frozenset)  # days off decided for the year
    extra_work: frozenset[dt.date] = field(default_factory=frozenset)  # Saturdays worked in exchange

    def holidays(self, year: int) -> frozenset[dt.date]:
        return _holidays(self.extra_off, year)

    def is_working_day(self, d: dt.date) -> bool:
        if d in self.extra_work:
            return True
        return d.weekday() < 5 and d not in self.holidays(d.year)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The day that ends n working days counted from the day after start."""
        d = start
        left = n
        while left > 0:
            d += ONE
            if self.is_working_day(d):
                left -= 1
        return d

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after start up to and including end (negative if end is before start)."""
        if end < start:
            return -self.working_days_between(end, start)
        n, d = 0, start
        while d < end:
            d += ONE
            n += self.is_working_day(d)
        return n


DEFAULT_CALENDAR = Calendar()


def working_days(days: Iterable[dt.date], calendar: Calendar = DEFAULT_CALENDAR) -> list[dt.date]:
    return [d for d in days if calendar.is_working_day(d)]
