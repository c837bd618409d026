"""The exchange format: sheets, their columns and the enumerations, described once.

The reader, the validators, the export, the template and docs/import-format.md all follow these
tables. Headers are Vietnamese; fields are the model's field names. Values inside the program are
canonical (codes for enumerations, dates as datetime.date); the writer turns codes into labels and the
reader accepts a label or a code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models

from dangvu.domain.membership import ADMISSION_CATEGORY_LABELS, EVENT_LABELS
from dangvu.domain.orgtree import LINEAGE_LABELS, ORG_KIND_LABELS, SECTOR_LABELS
from dangvu.domain.vietnamese import fold
from dangvu.members.models import Member, MemberEvent
from dangvu.orgs.models import LineageEvent, Organization, OrgVersion

# Column kinds
TEXT = "text"  # free text; a number typed in a cell is read back as its digits
CODE = "code"  # an identifier of any length: must be a text cell (a number may have lost its leading zeros)
DIGITS = "digits"  # exactly `digits` digits (citizen ID, card number): a number cell is accepted if no digit is lost
DATE = "date"  # a date cell, dd/mm/yyyy or yyyy-mm-dd
ENUM = "enum"  # a label (or code) of `enum`
CODES = "codes"  # several codes separated by "; "


@dataclass(frozen=True)
class Enumeration:
    title: str
    labels: Mapping[str, str]  # code -> Vietnamese label
    used_in: str
    _lookup: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for code, label in self.labels.items():
            if code:
                self._lookup[fold(code)] = code
            self._lookup[fold(label)] = code

    def label(self, code: str) -> str:
        """The written form: the label, blank for the empty code (political theory 'none')."""
        return self.labels[code] if code else ""

    def read(self, text: str) -> str | None:
        """The code for a label or a code, ignoring case and diacritics; None if unknown."""
        return self._lookup.get(fold(text))

    def allowed(self) -> str:
        return ", ".join(label for label in self.labels.values())


ENUMS: dict[str, Enumeration] = {
    "kind": Enumeration("Cấp", ORG_KIND_LABELS, "Tổ chức › Cấp"),
    "sector": Enumeration("Loại hình", SECTOR_LABELS, "Tổ chức › Loại hình"),
    "lineage": Enumeration("Loại sự kiện tổ chức", LINEAGE_LABELS, "Sự kiện tổ chức › Loại"),
    "event": Enumeration("Sự kiện đảng viên", EVENT_LABELS, "Sự kiện đảng viên › Sự kiện"),
    "category": Enumeration("Đối tượng kết nạp", ADMISSION_CATEGORY_LABELS, "Sự kiện đảng viên › Đối tượng kết nạp"),
    "gender": Enumeration("Giới tính", dict(Member.Gender.choices), "Đảng viên › Giới tính"),
    "theory": Enumeration("Lý luận chính trị", dict(Member.PoliticalTheory.choices), "Đảng viên › Lý luận chính trị"),
}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = TEXT
    required: bool = False
    width: int = 16
    enum: str = ""
    digits: int = 0
    max_length: int | None = None
    # Keep line breaks and spacing (only NFC-normalized): lineage notes are stored as typed by the services.
    verbatim: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str  # the Excel sheet name
    slug: str  # the CSV file name without '.csv'
    columns: tuple[Column, ...]

    @property
    def csv_name(self) -> str:
        return f"{self.slug}.csv"

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def header_of(self, field_name: str) -> str:
        for c in self.columns:
            if c.field == field_name:
                return c.header
        return self.columns[0].header


def _len(model: type[models.Model], name: str) -> int | None:
    f = model._meta.get_field(name)
    return getattr(f, "max_length", None)


def _col(model: type[models.Model], header: str, name: str, kind: str = TEXT, **kw: object) -> Column:
    length = _len(model, name) if kind in (TEXT, CODE, DIGITS) else None
    return Column(header, name, kind, max_length=length, **kw)  # type: ignore[arg-type]


ORGS = Sheet(
    "Tổ chức",
    "to_chuc",
    (
        _col(Organization, "Mã tổ chức", "code", CODE, required=True, width=16),
        _col(OrgVersion, "Tên", "name", required=True, width=46),
        _col(OrgVersion, "Cấp", "kind", ENUM, enum="kind", required=True, width=30),
        _col(OrgVersion, "Loại hình", "sector", ENUM, enum="sector", width=26),
        Column("Mã tổ chức cấp trên", "parent", CODE, width=16, max_length=_len(Organization, "code")),
        _col(OrgVersion, "Từ ngày", "valid_from", DATE, required=True, width=12),
        _col(OrgVersion, "Đến ngày", "valid_to", DATE, width=12),
        Column("Mã sự kiện tổ chức", "event", CODE, width=28, max_length=60),
    ),
)

ORG_EVENTS = Sheet(
    "Sự kiện tổ chức",
    "su_kien_to_chuc",
    (
        Column("Mã sự kiện", "code", CODE, required=True, width=28, max_length=60),
        _col(LineageEvent, "Loại", "kind", ENUM, enum="lineage", required=True, width=18),
        _col(LineageEvent, "Ngày hiệu lực", "effective_on", DATE, required=True, width=12),
        _col(LineageEvent, "Văn bản quyết định", "decision_ref", width=18),
        _col(LineageEvent, "Ngày quyết định", "decision_on", DATE, width=12),
        Column("Tổ chức trước", "sources", CODES, width=30),
        Column("Tổ chức sau", "targets", CODES, width=30),
        _col(LineageEvent, "Ghi chú", "note", width=30, verbatim=True),
    ),
)

MEMBERS = Sheet(
    "Đảng viên",
    "dang_vien",
    (
        _col(Member, "Mã đảng viên", "code", CODE, required=True, width=12),
        _col(Member, "Họ và tên", "full_name", required=True, width=26),
        _col(Member, "Họ và tên khai sinh", "birth_name", width=26),
        _col(Member, "Giới tính", "gender", ENUM, enum="gender", required=True, width=9),
        _col(Member, "Ngày sinh", "birth_date", DATE, required=True, width=12),
        _col(Member, "Nơi sinh", "birth_place", width=24),
        _col(Member, "Dân tộc", "ethnicity", width=10),
        _col(Member, "Tôn giáo", "religion", width=12),
        _col(Member, "Quê quán", "hometown", width=30),
        _col(Member, "Quê quán (tên cũ)", "hometown_old", width=24),
        _col(Member, "Nơi thường trú", "residence", width=30),
        _col(Member, "Số CCCD", "citizen_id", DIGITS, digits=12, width=15),
        _col(Member, "Số thẻ đảng viên", "card_number", DIGITS, digits=8, width=12),
        _col(Member, "Số lý lịch", "dossier_number", CODE, width=12),
        _col(Member, "Điện thoại", "phone", CODE, width=13),
        _col(Member, "Giáo dục phổ thông", "general_education", width=10),
        _col(Member, "Chuyên môn nghiệp vụ", "professional_education", width=22),
        _col(Member, "Học hàm, học vị", "degree", width=14),
        _col(Member, "Lý luận chính trị", "political_theory", ENUM, enum="theory", width=16),
        _col(Member, "Nghề nghiệp", "occupation", width=18),
        _col(Member, "Ngày vào Đoàn", "youth_union_on", DATE, width=12),
        _col(Member, "Người giới thiệu", "introducers", width=26),
        _col(Member, "Tuổi đảng tính từ (cấp ủy xác nhận)", "party_age_confirmed_from", DATE, width=14),
    ),
)

MEMBER_EVENTS = Sheet(
    "Sự kiện đảng viên",
    "su_kien_dang_vien",
    (
        Column("Mã đảng viên", "member", CODE, required=True, width=12, max_length=_len(Member, "code")),
        _col(MemberEvent, "Sự kiện", "kind", ENUM, enum="event", required=True, width=30),
        _col(MemberEvent, "Ngày hiệu lực", "on", DATE, required=True, width=12),
        Column("Mã tổ chức", "organization", CODE, width=14, max_length=_len(Organization, "code")),
        _col(MemberEvent, "Số quyết định", "decision_ref", width=16),
        _col(MemberEvent, "Ngày quyết định", "decided_on", DATE, width=12),
        _col(MemberEvent, "Ngày lễ kết nạp", "ceremony_on", DATE, width=12),
        _col(MemberEvent, "Ngày chi bộ xét", "reviewed_on", DATE, width=12),
        _col(MemberEvent, "Đến ngày", "until", DATE, width=12),
        _col(MemberEvent, "Đối tượng kết nạp", "category", ENUM, enum="category", width=24),
        _col(MemberEvent, "Văn bản chấp thuận", "approval_ref", width=16),
        _col(MemberEvent, "Nơi đi/nơi đến", "counterpart", width=24),
        Column("Mã sự kiện tổ chức", "lineage_event", CODE, width=28, max_length=60),
        _col(MemberEvent, "Ghi chú", "note", width=30),
    ),
)

SHEETS: tuple[Sheet, ...] = (ORGS, ORG_EVENTS, MEMBERS, MEMBER_EVENTS)

# Sheets the importer reads past without complaint: the allowed values, the instructions, and the
# annual review's ratings (imported by `dangvu assess import`, see dangvu.assessment.exchange).
CATALOG = Sheet(
    "Danh mục",
    "danh_muc",
    (
        Column("Danh mục", "title", width=24),
        Column("Giá trị", "label", width=48),
        Column("Mã", "code", CODE, width=26),
        Column("Dùng ở cột", "used_in", width=40),
    ),
)
GUIDE_NAME = "Hướng dẫn"
IGNORED_SHEETS = frozenset(fold(n) for n in (CATALOG.name, GUIDE_NAME, "Xếp loại"))


def catalog_rows() -> list[dict[str, str]]:
    return [
        {"title": e.title, "label": label, "code": code, "used_in": e.used_in}
        for e in ENUMS.values()
        for code, label in e.labels.items()
    ]


# Lineage event codes are written as <yyyymmdd>-<kind>-<first organization>; these are the kind parts.
LINEAGE_ABBR = {
    "established": "TL",
    "renamed": "DT",
    "moved": "CG",
    "merged": "HN",
    "absorbed": "SN",
    "split": "CT",
    "dissolved": "GT",
    "ended": "KT",
}
