"""Party document codes: 'Số 36-CTr/TU, ngày 5/5/2008' (Hướng dẫn 36-HD/VPTW).

A document is identified by issuer + type + number + term: numbers restart each committee term
(membership_orgs §5). Types seen: NQ, QĐ (QĐi for quy định in 2018), CT, KL, HD, TB, KH, CTr, BC, CV, TTr, CTHĐ.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .errors import RuleError
from .vietnamese import fmt_date, nfc, parse_date

TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "BC": "Báo cáo",
    "CV": "Công văn",
    "TTr": "Tờ trình",
    "CTHĐ": "Chương trình hành động",
    "QC": "Quy chế",
}
_CODE = re.compile(
    r"^(?:số\s*)?(?P<number>\d+)\s*-\s*(?P<type>[A-Za-zĐđ]+)\s*/\s*(?P<issuer>[A-Za-zĐđ0-9]+)"
    r"(?:\s*,?\s*ngày\s*(?P<date>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DocumentCode:
    number: int
    type: str
    issuer: str
    issued_on: dt.date | None = None

    @property
    def code(self) -> str:
        return f"{self.number}-{self.type}/{self.issuer}"

    def printed(self) -> str:
        """'Số 36-CTr/TU, ngày 5/5/2008' as reports cite documents."""
        when = f", ngày {fmt_date(self.issued_on)}" if self.issued_on else ""
        return f"Số {self.code}{when}"

    def cited(self) -> str:
        """'Chương trình hành động số 36-CTr/TU, ngày 5/5/2008'."""
        name = TYPES.get(self.type, self.type)
        when = f", ngày {fmt_date(self.issued_on)}" if self.issued_on else ""
        return f"{name} số {self.code}{when}"


def parse_code(text: str) -> DocumentCode:
    """Parse '36-CTr/TU', 'Số 36-CTr/TU, ngày 5/5/2008', 'số 15-NQ/TW ngày 30/7/2007'."""
    m = _CODE.match(nfc(text))
    if not m:
        raise RuleError(f"Số hiệu văn bản không hợp lệ: '{text}' (dạng '36-CTr/TU, ngày 5/5/2008').", field="code")
    typ = m["type"]
    canonical = next((t for t in TYPES if t.lower() == typ.lower()), typ)
    date = parse_date(re.sub(r"\s+", "", m["date"])) if m["date"] else None
    return DocumentCode(int(m["number"]), canonical, m["issuer"].upper().replace("Đ", "Đ"), date)
