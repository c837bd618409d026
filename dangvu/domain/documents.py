"""Party documents: their numbers and symbols ('Số 36-CTr/TU, ngày 5/5/2008'), their terms, and how reports
count and cite them (Hướng dẫn 36-HD/VPTW, 03/4/2018; membership_orgs §5).

Identity [V HD 36 II.1 "số văn bản … liên tục từ số 01 cho mỗi loại văn bản trong một nhiệm kỳ cấp ủy"]:
numbers restart for each type in each committee term, and each committee keeps its own series, so a document is
the issuing ORGANIZATION + type + number + term. The issuer's symbol ("ĐU", "TU", "HU" …) is what is printed
after the slash; it does not tell two communes' Đảng ủy apart, so it is not the key. A document of an issuer
outside the system (the Central Committee, a province that is not recorded) is keyed by its symbol and the
issuer's name instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import RuleError
from .vietnamese import fmt_date, fmt_int, nfc, parse_date

HD36 = "Hướng dẫn 36-HD/VPTW, II.1"

# Type symbols of party documents (Hướng dẫn 36-HD/VPTW, II.1 "ký hiệu tên loại văn bản"). Seen on real documents
# [V membership_orgs §5]: NQ, QĐ, QĐi (quy định, from 2018), CT, KL, HD, TB, KH, CV. The rest of the guide's list
# (CTr, BC, TTr, QC, TT, TC, ĐA, QH, BB) is as recalled from the guide, not re-read here [I]: kept as a parameter.
# "CTHĐ" is NOT a symbol of HD 36: an action programme is a "CTr" whose KIND is recorded (PROGRAMME_KINDS).
TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "QC": "Quy chế",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "TT": "Thông tri",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "TC": "Thông cáo",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
    "QH": "Quy hoạch",
    "BC": "Báo cáo",
    "TTr": "Tờ trình",
    "BB": "Biên bản",
    "CV": "Công văn",
}
PROGRAMME = "CTr"

# What a programme is (the field beside the CTr symbol): "Chương trình hành động số 36-CTr/TU" (seed 000, F6),
# "6 chương trình công tác toàn khóa" (seed 002, F20), or another programme.
ACTION, WORK, OTHER = "action", "work", "other"
PROGRAMME_KINDS: dict[str, str] = {
    ACTION: "Chương trình hành động",
    WORK: "Chương trình công tác",
    OTHER: "Chương trình khác",
}
# How each kind is named in a citation ("Chương trình hành động số 36-CTr/TU").
PROGRAMME_NAMES: dict[str, str] = {
    ACTION: "Chương trình hành động",
    WORK: "Chương trình công tác",
    OTHER: "Chương trình",
}
# Symbols written on documents that HD 36 does not list, read as (type, programme kind) [V seen: 147-CTHĐ/TU,
# membership_orgs §5]. Their symbol is printed as HD 36 writes it (CTr) once registered.
LEGACY_TYPES: dict[str, tuple[str, str]] = {"CTHĐ": (PROGRAMME, ACTION)}
# The Central Committee's symbol: its documents need no issuer's name (one Central Committee), and reports cite
# them without "của …", naming the plenum instead (seed 000: "Nghị quyết số 15-NQ/TW, ngày 30/7/2007 Hội nghị
# Trung ương 5 khóa X") [V membership_orgs §5, seed 000].
CENTRAL_ISSUERS = frozenset({"TW"})
# A programme registered as implementing another document, its kind not given, is an action programme: the
# "chương trình hành động thực hiện Nghị quyết …" of seed 000 [I].
IMPLEMENTING_PROGRAMME_KIND = ACTION

# The order reports count documents by type in ("ban hành 12 nghị quyết, 5 kết luận và 3 chỉ thị", issue 12): the
# leadership documents first, then the rest as TYPES lists them [I].
COUNT_ORDER: tuple[str, ...] = ("NQ", "KL", "CT", *(t for t in TYPES if t not in ("NQ", "KL", "CT")))

_CODE = re.compile(
    r"^(?:số\s*)?(?P<number>\d+)\s*-\s*(?P<type>[A-Za-zĐđ]+)\s*/\s*(?P<issuer>[A-Za-zĐđ0-9-]+)"
    r"(?:\s*,?\s*ngày\s*(?P<date>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}))?\s*$",
    re.IGNORECASE,
)
# A committee term as people type it: "2015-2020", "2015 – 2020", "2015—2020", "2015 - 2020", "2015-20".
_YEARS = re.compile(r"^(?:nhiệm kỳ\s*)?(\d{4})\s*[-‐‑‒–—−/]\s*(\d{2}|\d{4})$", re.IGNORECASE)
# The Central Committee's terms are its congress numbers: "khóa X", "Khoá XIII" (old accent placement).
_CONGRESS = re.compile(r"^(?:khóa|khoá)\s+([IVXLC]+)$", re.IGNORECASE)


def read_type(symbol: str) -> tuple[str, str]:
    """A type symbol as written (any case) → (the HD 36 symbol, the programme kind it implies or "")."""
    text = nfc(symbol)
    for legacy, (typ, kind) in LEGACY_TYPES.items():
        if text.lower() == legacy.lower():
            return typ, kind
    canonical = next((t for t in TYPES if t.lower() == text.lower()), None)
    if canonical is None:
        raise RuleError(
            f"'{symbol}' không phải ký hiệu loại văn bản của Đảng; dùng: {', '.join(TYPES)}.",
            field="type",
            source=HD36,
        )
    return canonical, ""


def normalize_term(text: str) -> str:
    """One form per term, whatever the dash and spaces: '2015-2020', '2015 – 2020', '2015—2020' → '2015–2020'
    (the en dash the reports print); 'khoá x' → 'khóa X'."""
    t = nfc(text)
    m = _YEARS.match(t)
    if m:
        start, end = int(m[1]), int(m[2])
        if end < 100:
            end += start - start % 100 + (100 if end < start % 100 else 0)
        if not 0 < end - start <= 10:
            raise RuleError(f"Nhiệm kỳ '{text}' không hợp lệ: năm cuối phải sau năm đầu.", field="term")
        return f"{start}–{end}"
    m = _CONGRESS.match(t)
    if m:
        return f"khóa {m[1].upper()}"
    raise RuleError(
        f"Nhiệm kỳ '{text}' không hợp lệ; ghi dạng '2015–2020' (năm đầu – năm cuối) hoặc 'khóa X'.", field="term"
    )


def term_covers(term: str, day: dt.date) -> bool | None:
    """Whether a year-range term includes the day's year (None for a 'khóa' term, which names no years)."""
    m = _YEARS.match(term)
    if not m:
        return None
    return int(m[1]) <= day.year <= int(normalize_term(term)[-4:])


def type_name(typ: str, kind: str = "") -> str:
    """'Nghị quyết'; for a programme its kind's name: 'Chương trình hành động'."""
    if typ == PROGRAMME and kind:
        return PROGRAMME_NAMES.get(kind, TYPES[PROGRAMME])
    return TYPES.get(typ, typ)


@dataclass(frozen=True)
class DocumentCode:
    number: int
    type: str
    issuer: str
    issued_on: dt.date | None = None
    kind: str = ""  # a programme's kind (PROGRAMME_KINDS)

    @property
    def code(self) -> str:
        return f"{self.number}-{self.type}/{self.issuer}"

    def printed(self) -> str:
        """'Số 36-CTr/TU, ngày 5/5/2008' as reports cite documents."""
        when = f", ngày {fmt_date(self.issued_on)}" if self.issued_on else ""
        return f"Số {self.code}{when}"

    def cited(self) -> str:
        """'Chương trình hành động số 36-CTr/TU, ngày 5/5/2008'."""
        when = f", ngày {fmt_date(self.issued_on)}" if self.issued_on else ""
        return f"{type_name(self.type, self.kind)} số {self.code}{when}"


def parse_code(text: str) -> DocumentCode:
    """Parse '36-CTr/TU', 'Số 36-CTr/TU, ngày 5/5/2008', 'số 15-NQ/TW ngày 30/7/2007'; '147-CTHĐ/TU' reads as
    the action programme '147-CTr/TU'."""
    m = _CODE.match(nfc(text))
    if not m:
        raise RuleError(f"Số hiệu văn bản không hợp lệ: '{text}' (dạng '36-CTr/TU, ngày 5/5/2008').", field="code")
    typ, kind = read_type(m["type"])
    date = parse_date(re.sub(r"\s+", "", m["date"])) if m["date"] else None
    return DocumentCode(int(m["number"]), typ, m["issuer"].upper(), date, kind)


def counts_in_words(counts: Mapping[str, int]) -> str:
    """'12 nghị quyết, 5 kết luận và 3 chỉ thị': counts by type in words as reports write them (lower-case type
    names, no plural in Vietnamese), in COUNT_ORDER, types not listed there last by symbol; zeros left out."""
    order = {t: i for i, t in enumerate(COUNT_ORDER)}
    items = sorted(((t, n) for t, n in counts.items() if n), key=lambda tn: (order.get(tn[0], len(order)), tn[0]))
    parts = [f"{fmt_int(n)} {type_name(t).lower()}" for t, n in items]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]
