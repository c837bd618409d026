"""The header and signature of a party document (Hướng dẫn 36-HD/VPTW, membership_orgs §5 [V S17, S93–S96]).

What the guide fixes [V]: "ĐẢNG CỘNG SẢN VIỆT NAM" top right, underlined; the issuing body top left with "*"
beneath; "Số …-BC/…" numbered per document type from 01 within each committee term; "<place>, ngày … tháng …
năm …" in italics. What it leaves to us, each a parameter with its default:
- issuer codes by level: TU, QU, HU, ĐU, CB seen or by analogy [I] (ISSUER_CODES);
- the committee's name from the organization's name ("Đảng bộ quận Hoàng Mai" → "Quận ủy Hoàng Mai") [I];
- the place: the locality where the committee sits (see place_of) [P/I];
- the term: the programme's term when one is recorded, otherwise 5-year terms from a congress year [I].
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..vietnamese import fmt_place_date, nfc

# Prefixes of organization names and what the committee and the document code are called. Longest first.
# [V] TU (Tỉnh ủy, Thành ủy), QU ("02-HD/QU", Long Biên 2012), ĐU; HU and CB by analogy [I].
COMMITTEES: list[tuple[str, str, str]] = [
    ("Đảng bộ thành phố", "Thành ủy", "TU"),
    ("Đảng bộ tỉnh", "Tỉnh ủy", "TU"),
    ("Đảng bộ quận", "Quận ủy", "QU"),
    ("Đảng bộ huyện", "Huyện ủy", "HU"),
    ("Đảng bộ thị xã", "Thị ủy", "TU"),
    ("Đảng bộ xã", "Đảng ủy xã", "ĐU"),
    ("Đảng bộ phường", "Đảng ủy phường", "ĐU"),
    ("Đảng bộ thị trấn", "Đảng ủy thị trấn", "ĐU"),
    ("Đảng bộ đặc khu", "Đảng ủy đặc khu", "ĐU"),
    ("Đảng bộ", "Đảng ủy", "ĐU"),
    ("Chi bộ", "Chi bộ", "CB"),
]
# Who signs "T/M …": a committee with a standing committee signs for it (district and above, the communes
# after 2025); a grassroots committee for its đảng ủy; a branch for itself [I, HD 36 "thẩm quyền ký"].
AUTHORITY_BY_KIND: dict[str, str] = {
    "province": "T/M BAN THƯỜNG VỤ",
    "bloc": "T/M BAN THƯỜNG VỤ",
    "district": "T/M BAN THƯỜNG VỤ",
    "commune": "T/M BAN THƯỜNG VỤ",
    "grassroots_committee": "T/M ĐẢNG ỦY",
    "partial_committee": "T/M ĐẢNG ỦY",
    "grassroots_branch": "T/M CHI BỘ",
    "branch": "T/M CHI BỘ",
}
TERM_YEARS = 5  # a committee term [V Điều lệ Đảng 2011 Đ.13]
TERM_FIRST_CONGRESS = 2010  # congress years 2010, 2015, 2020, 2025 … for district level [I]


def upper(s: str) -> str:
    return nfc(s).upper()


def committee_name(org_name: str) -> str:
    """'Đảng bộ quận Hoàng Mai' → 'Quận ủy Hoàng Mai'; 'Đảng bộ phường Tây Hồ' → 'Đảng ủy phường Tây Hồ'."""
    name = nfc(org_name)
    for prefix, committee, _code in COMMITTEES:
        if name.lower().startswith(prefix.lower()):
            rest = name[len(prefix) :].strip()
            if rest[:1].isdigit():  # "Đảng bộ Quận 1" → "Quận ủy Quận 1"
                return f"{' '.join(committee.split()[:2])} {place_of(name)}"
            return f"{committee} {rest}".strip()
    return name


def issuer_code(org_name: str) -> str:
    name = nfc(org_name).lower()
    for prefix, _committee, code in COMMITTEES:
        if name.startswith(prefix.lower()):
            return code
    return "ĐU"


# The place on the place-date line. HD 36-HD/VPTW, II.1.4 (địa danh ban hành văn bản): the official name of the
# administrative unit where the issuing body sits: a province or centrally-run city for provincial bodies, the
# district, town or city for district bodies, the commune, ward, township or special zone below [P: the clause as
# commonly reproduced; the research notes hold its examples, S17/S93]. A body that is no locality of its own (a
# bloc, "Đảng bộ các cơ quan Đảng tỉnh …", the committee of an agency or enterprise, a branch) sits in the locality
# of the nearest committee above it that is one [I].
LOCALITIES = ("thành phố", "tỉnh", "quận", "huyện", "thị xã", "thị trấn", "xã", "phường", "đặc khu")
LOCALITY_KINDS = frozenset({"province", "district", "commune"})  # kinds that are a locality whatever their name
# Bodies under the Central Committee with no locality above them (the central blocs) sit in the capital [I].
CENTRAL_PLACE = "Hà Nội"
MAX_LEVELS = 12  # committees walked up for the place: no tree is this deep (a guard against a broken parent chain)


def locality(org_name: str, kind: str = "") -> str | None:
    """'Hoàng Mai' for 'Đảng bộ quận Hoàng Mai', 'Quận 1' for 'Đảng bộ Quận 1', 'Phường 5' for 'Đảng bộ phường
    5'; None when the organization is not a locality ('Đảng bộ cơ quan Đảng, đoàn thể Quận 1', 'Chi bộ Thôn 1')."""
    name = nfc(org_name).strip()
    low = name.lower()
    for head in ("đảng bộ", "chi bộ"):
        if low.startswith(head + " "):
            rest, low_rest = name[len(head) :].strip(), low[len(head) :].strip()
            for word in LOCALITIES:
                if low_rest.startswith(word + " "):
                    own = rest[len(word) :].strip()
                    if re.fullmatch(r"\d+", own):  # "Quận 1", "Phường 5": the number is the name
                        return f"{word.capitalize()} {own}"
                    return own
            if kind in LOCALITY_KINDS and head == "đảng bộ":
                return rest
            return None
    return name if kind in LOCALITY_KINDS else None


def place_of(org_name: str, *, kind: str = "", above: Sequence[tuple[str, str]] = ()) -> str:
    """The place of the place-date line: the organization's own locality, else that of the nearest committee above
    (`above`: (name, kind) from the parent upwards, as they stood on the report's date); see LOCALITIES."""
    for name, k in [(org_name, kind), *above]:
        place = locality(name, k)
        if place:
            return place
    return CENTRAL_PLACE


# Who signs for the committee (HD 36-HD/VPTW, II.1.7 thẩm quyền ký [P]): "T/M <the collective>" above the signer's
# own post; the secretary signs, and when the post is vacant on the report's date a deputy secretary signs
# "T/M … / PHÓ BÍ THƯ" (a deputy signs for the collective, not "KT." which is signing for a head of an agency).
SIGNER_POSTS = (("secretary", "BÍ THƯ"), ("deputy_secretary", "PHÓ BÍ THƯ"))


def signer_of(holders: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """(title, name) of the signer from the posts held on the report's date, (post code, full name) in order of
    their start; ("BÍ THƯ", "") when nobody holds either post: the space is left to sign by hand."""
    for post, title in SIGNER_POSTS:
        for code, name in holders:
            if code == post:
                return title, nfc(name)
    return SIGNER_POSTS[0][1], ""


# The report's date. Not before the period starts: a report cannot speak of what has not begun. After today is
# allowed a little: a draft is prepared for the conference or the signing day ahead [I]; further ahead is a typo.
REPORT_DATE_AHEAD_DAYS = 60


def report_date_problem(day: dt.date, *, period_start: dt.date, today: dt.date) -> str:
    """Why `day` cannot be the report's date, in Vietnamese, or ""."""
    if day < period_start:
        return (
            f"Ngày báo cáo {day.day}/{day.month}/{day.year} trước ngày đầu kỳ báo cáo "
            f"({period_start.day}/{period_start.month}/{period_start.year})."
        )
    if (day - today).days > REPORT_DATE_AHEAD_DAYS:
        return (
            f"Ngày báo cáo {day.day}/{day.month}/{day.year} quá xa sau hôm nay (chỉ được ghi trước tối đa "
            f"{REPORT_DATE_AHEAD_DAYS} ngày, cho ngày ký dự kiến)."
        )
    return ""


def term_of(day: dt.date, *, first_congress: int = TERM_FIRST_CONGRESS, years: int = TERM_YEARS) -> str:
    """'2020–2025' for a day in 2020–2024; the congress year opens the next term [I]."""
    start = first_congress + ((day.year - first_congress) // years) * years
    return f"{start}–{start + years}"


@dataclass(frozen=True)
class Header:
    """Everything around the body: what HD 36 prints above the title and below the text."""

    superior: str  # "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" (14 pt capitals, not bold); "" at the top level
    issuer: str  # "QUẬN ỦY HOÀNG MAI" (14 pt bold capitals)
    code: str  # "QU"
    number: int | None  # None: not numbered yet
    doc_type: str  # "BC"
    term: str
    place: str
    issued_on: dt.date
    authority: str  # "T/M BAN THƯỜNG VỤ"
    signer_title: str  # "BÍ THƯ"
    signer_name: str
    recipients: list[str] = field(default_factory=list)

    @property
    def number_line(self) -> str:
        """'Số 12-BC/QU' (numbers from 01 within the term [V S94])."""
        n = f"{self.number:02d}" if self.number is not None else "     "
        return f"Số {n}-{self.doc_type}/{self.code}"

    @property
    def place_date(self) -> str:
        return fmt_place_date(self.place, self.issued_on)


def default_recipients(superior_committee: str) -> list[str]:
    """'Nơi nhận' as these reports usually list it [I]; edited in the template or passed by the caller."""
    out = [f"{superior_committee} (để báo cáo)"] if superior_committee else []
    return [*out, "Các đồng chí cấp ủy viên", "Các tổ chức cơ sở đảng trực thuộc", "Lưu Văn phòng"]


def committee_word(org_name: str) -> str:
    """'Đảng bộ thành phố Hà Nội' → 'Thành ủy' (as in 'được Thành ủy đánh giá, xếp loại …', seed 002)."""
    name = nfc(org_name).lower()
    for prefix, committee, _code in COMMITTEES:
        if name.startswith(prefix.lower()):
            return committee
    return "cấp ủy cấp trên"
