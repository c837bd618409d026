"""Vietnamese text, numbers and dates as the reports print them. No Django."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
import unicodedata
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

_WS = re.compile(r"\s+")


def nfc(s: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", s or "")).strip()


def fold(s: str) -> str:
    d = unicodedata.normalize("NFD", s or "")
    d = "".join(c for c in d if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D")
    return _WS.sub(" ", d.lower()).strip()


_ALPHA = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}

# The key is a string of printable ASCII weights (then the name itself), so that it orders the same as a Python
# str, as SQLite's BINARY collation and as PostgreSQL's COLLATE "C" (bytes of UTF-8, that is code points): the
# database can store it (OrgVersion.name_sort) and ORDER BY it with the same result as sorted(key=sort_key).
_END = "!"  # closes a level; below every weight, so a name sorts before its extensions ("An" < "An B" < "Anh")
_SPACE = '"'
_SYMBOL = "#"  # punctuation and symbols, all alike (the last level tells them apart)
_NUMBER = "0"  # a run of digits: "0", its length in one character ("1" for 1 digit …), its digits: by value
_LETTER = dict(zip(_ALPHA, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg", strict=True))  # after numbers; no backslash (COPY)
_FOREIGN = "~"  # a letter outside the Vietnamese alphabet
_DIGITS = re.compile(r"\d+")


@functools.cache
def _char_key(ch: str) -> tuple[str, str, str]:
    """(primary, tone, case) weights of one NFC character that is not a digit: the letter with its breve,
    circumflex or horn is the primary level, the tone (none, huyền, hỏi, ngã, sắc, nặng) the secondary, case
    (lower first) the tertiary. Spaces and symbols have only a primary weight."""
    if ch.isspace():
        return _SPACE, "", ""
    d = unicodedata.normalize("NFD", ch)
    base, marks = d[0], d[1:]
    if not base.isalpha():
        return _SYMBOL, "", ""
    letter = unicodedata.normalize("NFC", base.lower() + "".join(m for m in marks if m in _LETTER_MARKS))
    tone = next((_TONES[m] for m in marks if m in _TONES), 0)
    return _LETTER.get(letter, _FOREIGN), str(tone), "1" if base.isupper() else "0"


def sort_key(s: str) -> str:
    """Vietnamese order with natural numbers: "Chi bộ Thôn 2" before "Chi bộ Thôn 10", "An" < "Ánh" < "Ân" <
    "Bình" < "Đức" (the alphabet of Vietnamese, tones second, case third, as ICU's vi collation), numbers before
    letters. Names that differ only in symbols, leading zeros or spacing are ordered by their code points last.

    The key is a str whose plain string order is the collation, so the database orders by the stored key
    (orgs.models.OrgVersion.name_sort) exactly as Python does: STACK_NOTES §7 (vi-x-icu exists on PostgreSQL
    but not on SQLite, and neither ICU nor SQLite orders numbers by value)."""
    text = nfc(s)
    primary: list[str] = []
    tones: list[str] = []
    cases: list[str] = []
    at = 0
    for m in [*_DIGITS.finditer(text), None]:
        stop = m.start() if m else len(text)
        for ch in text[at:stop]:
            p, t, c = _char_key(ch)
            primary.append(p)
            tones.append(t)
            cases.append(c)
        if m:
            digits = m.group().lstrip("0") or "0"
            digits = "".join(str(unicodedata.digit(ch)) for ch in digits)
            # runs longer than 40 digits (no real name has one) compare by their digits alone
            primary.append(_NUMBER + chr(0x30 + min(len(digits), 40)) + digits)
            at = m.end()
    return _END.join(("".join(primary), "".join(tones), "".join(cases), text))


def split_name(full_name: str) -> tuple[str, str, str]:
    parts = nfc(full_name).split(" ")
    if len(parts) == 1:
        return "", "", parts[0]
    return parts[0], " ".join(parts[1:-1]), parts[-1]


def person_sort_key(full_name: str) -> tuple[object, ...]:
    family, middle, given = split_name(full_name)
    return sort_key(given), sort_key(family), sort_key(middle), sort_key(full_name)


# Below every character a key holds (its weights are printable ASCII, its last level the NFC text, whose whitespace
# is a plain space), so the joined key orders exactly as the tuple of person_sort_key.
_PART = "\x01"


def person_sort_text(full_name: str) -> str:
    """person_sort_key as one str whose plain string order is the same: stored on Member.name_sort so the database
    sorts and pages people the Vietnamese way. The whole name's key is left out: given, family and middle names'
    keys end with their own text, so two names equal on those three are the same name (ties go by id)."""
    family, middle, given = split_name(full_name)
    return _PART.join((sort_key(given), sort_key(family), sort_key(middle)))


def _dec(x: float | Fraction | Decimal | int) -> Decimal:
    if isinstance(x, Fraction):
        return Decimal(x.numerator) / Decimal(x.denominator)
    return Decimal(str(x))


def _group(n: str) -> str:
    neg = n.startswith("-")
    n = n.lstrip("-")
    out = ""
    while len(n) > 3:
        out = "." + n[-3:] + out
        n = n[:-3]
    return ("-" if neg else "") + n + out


def fmt_decimal(x: float | Fraction | Decimal | int, places: int = 0, rounding: str = ROUND_HALF_UP) -> str:
    """'1.382', '41,07': never in scientific notation (Decimal('1E+2') → '100'), never '-0' (a value that rounds to
    zero prints as zero), whatever the number of digits (the context is widened to hold them)."""
    with localcontext() as ctx:
        d = _dec(x)
        ctx.prec = max(28, d.adjusted() + places + 2)
        q = d.quantize(Decimal(1).scaleb(-places), rounding=rounding)
        if q.is_zero():
            q = abs(q)
    whole, _, frac = f"{q:f}".partition(".")
    return _group(whole) + ("," + frac if frac else "")


def fmt_number(x: float | Fraction | Decimal | int, max_places: int = 2) -> str:
    """A quantity of any type as a report prints it: whole numbers without decimals ('1.382'), others with at most
    max_places decimals and no trailing zeros ('10,6', '2,25')."""
    text = fmt_decimal(x, max_places)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def fmt_int(n: int) -> str:
    return fmt_decimal(n, 0)


def fmt_percent(ratio: float | Fraction | Decimal | int, places: int = 2) -> str:
    return fmt_decimal(_dec(ratio) * 100, places) + "%"


def fmt_fraction(num: int, den: int) -> str:
    return f"{fmt_int(num)}/{fmt_int(den)}"


def fmt_above(ratio: float | Fraction | Decimal | int, places: int = 0) -> str:
    """'trên 71%' when the share is above 71% (rounded down at the places), '71%' when exactly 71%: computed on
    the exact value (a Fraction is not cut to 28 digits first), so 'trên' is true of it (SEED F3)."""
    exact = (Fraction(str(ratio)) if isinstance(ratio, float) else Fraction(ratio)) * 100 * 10**places
    down = math.floor(exact)
    text = fmt_decimal(Decimal(down).scaleb(-places), places) + "%"
    return f"trên {text}" if exact > down else text


def fmt_thousands_approx(n: int, unit: str = "nghìn") -> str:
    exact = Decimal(n) / 1000
    down = exact.quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    text = f"{fmt_decimal(down, 1)} {unit}"
    return f"trên {text}" if exact > down else text


def fmt_date(d: dt.date) -> str:
    return f"{d.day}/{d.month}/{d.year}"


def fmt_datetime(t: dt.datetime) -> str:
    """'6/12/2026 14:05': the day as the reports print it, then the time."""
    return f"{fmt_date(t)} {t:%H:%M}"


def fmt_date_long(d: dt.date) -> str:
    return f"ngày {d.day} tháng {d.month} năm {d.year}"


def fmt_place_date(place: str, d: dt.date) -> str:
    """Hướng dẫn 36-HD/VPTW: days under 10 and months 1–2 take a leading zero."""
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{place}, ngày {day} tháng {month} năm {d.year}"


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def parse_date(text: object) -> dt.date:
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    s = str(text).strip()
    try:
        if m := _DMY.match(s):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m := _ISO.match(s):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        pass
    raise ValueError(f"Ngày không hợp lệ: '{s}' (dùng dd/mm/yyyy hoặc yyyy-mm-dd)")


def months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
