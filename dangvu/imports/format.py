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

from dangvu.domain.documents import LEGACY_TYPES as LEGACY_DOCUMENT_TYPES
from dangvu.domain.documents import PROGRAMME_KINDS
from dangvu.domain.documents import TYPES as DOCUMENT_TYPES
from dangvu.domain.membership import ADMISSION_CATEGORY_LABELS, EVENT_LABELS
from dangvu.domain.orgtree import LINEAGE_LABELS, ORG_KIND_LABELS, SECTOR_LABELS
from dangvu.domain.vietnamese import fold
from dangvu.members.models import Member, MemberEvent
from dangvu.orgs.models import LineageEvent, Organization, OrgVersion
from dangvu.targets.indicators import CATALOGUE
from dangvu.targets.models import Plan, ProgrammeItem, Target, TermProgramme
from dangvu.work.models import (
    BadgeAward,
    CadreMove,
    Candidate,
    Commendation,
    Discipline,
    Document,
    FreeIndicator,
    Inspection,
    Petition,
    Post,
    StudySession,
    SuccessionPlan,
    TrainingClass,
)

# Column kinds
TEXT = "text"  # free text; a number typed in a cell is read back as its digits
CODE = "code"  # an identifier of any length: must be a text cell (a number may have lost its leading zeros)
DIGITS = "digits"  # exactly `digits` digits (citizen ID, card number): a number cell is accepted if no digit is lost
DATE = "date"  # a date cell, dd/mm/yyyy or yyyy-mm-dd
ENUM = "enum"  # a label (or code) of `enum`
CODES = "codes"  # several codes separated by "; "
INT = "int"  # a whole number (a number cell or digits)
DECIMAL = "decimal"  # a number; "," or "." before the decimals, no thousands separator
BOOL = "bool"  # Có / Không (also x, 1, đúng …); blank is the column's default


@dataclass(frozen=True)
class Enumeration:
    title: str
    labels: Mapping[str, str]  # code -> Vietnamese label
    used_in: str
    # Other writings read as a code but never written nor listed (a superseded symbol: "CTHĐ" for documents).
    aliases: Mapping[str, str] = field(default_factory=dict)
    _lookup: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for code, label in self.labels.items():
            if code:
                self._lookup[fold(code)] = code
            self._lookup[fold(label)] = code
        for written, code in self.aliases.items():
            self._lookup[fold(written)] = code

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
    # What a CODE/CODES cell names: "org", "member", "document" (key text, see DOCUMENT_REF), "programme".
    ref: str = ""
    default: object = None  # the value of a blank BOOL cell (the model field's default)


@dataclass(frozen=True)
class Sheet:
    name: str  # the Excel sheet name
    slug: str  # the CSV file name without '.csv'
    columns: tuple[Column, ...]
    # Work records (and plans/targets): the model written, the fields that identify a row (unique in the file
    # and against the database), the record's date (the unit must be active then; export scope), pairs of
    # dates that must not run backwards, fields of which exactly one is filled, and a line for the docs.
    model: type[models.Model] | None = None
    key: tuple[str, ...] = ()
    date: str = ""
    ordered: tuple[tuple[str, str], ...] = ()
    one_of: tuple[str, ...] = ()
    about: str = ""

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

# ---------------------------------------------------------------- work records, plans and targets

ENUMS.update(
    {
        "discipline": Enumeration("Hình thức kỷ luật", dict(Discipline.Form.choices), "Kỷ luật › Hình thức"),
        "stage": Enumeration("Bước (quần chúng ưu tú)", dict(Candidate.Stage.choices), "Quần chúng ưu tú › Bước"),
        "inspection": Enumeration(
            "Loại kiểm tra, giám sát", dict(Inspection.Kind.choices), "Kiểm tra, giám sát › Loại"
        ),
        "petition": Enumeration("Loại đơn thư", dict(Petition.Kind.choices), "Đơn thư › Loại"),
        "post": Enumeration("Chức danh", dict(Post.Title.choices), "Chức vụ, Quy hoạch cán bộ › Chức danh"),
        "move": Enumeration("Hình thức điều động", dict(CadreMove.Kind.choices), "Điều động, bổ nhiệm › Hình thức"),
        "training": Enumeration("Loại lớp", dict(TrainingClass.Kind.choices), "Lớp bồi dưỡng › Loại lớp"),
        # The document types of Hướng dẫn 36-HD/VPTW (dangvu.domain.documents.TYPES); a superseded symbol
        # (CTHĐ) is read as itself and turned into its HD 36 type and programme kind by check_work.
        "doc_type": Enumeration(
            "Loại văn bản", DOCUMENT_TYPES, "Văn bản › Loại văn bản", {k: k for k in LEGACY_DOCUMENT_TYPES}
        ),
        "programme_kind": Enumeration("Loại chương trình", PROGRAMME_KINDS, "Văn bản › Loại chương trình"),
        "commendation": Enumeration(
            "Hình thức khen thưởng", dict(Commendation.Kind.choices), "Khen thưởng › Hình thức"
        ),
        "item": Enumeration("Loại nội dung", dict(ProgrammeItem.Kind.choices), "Nội dung chương trình › Loại"),
        "indicator": Enumeration(
            "Chỉ số", {code: label for code, (label, _) in CATALOGUE.items()}, "Chỉ tiêu, Kế hoạch năm › Chỉ số"
        ),
        "op": Enumeration("So sánh", {">=": "≥", "<=": "≤", "=": "="}, "Chỉ tiêu nhiệm kỳ › So sánh"),
        "per": Enumeration("Tính theo", dict(Target.Per.choices), "Chỉ tiêu nhiệm kỳ › Tính theo"),
    }
)

# A document is named in other sheets by its key written as one text: "36-CTr/TU (2005–2010)", that is
# number-type/issuer (term); when several committees number alike (two communes' "1-NQ/ĐU"), the issuing
# organization's code follows the term: "1-NQ/ĐU (2015–2020, X01)". Several are separated by "; ".
DOCUMENT_REF = "số-loại/cơ quan ban hành (nhiệm kỳ, mã tổ chức ban hành)"
_ORG_CODE = _len(Organization, "code")
_MEMBER_CODE = _len(Member, "code")


def _org(header: str, name: str = "organization", *, required: bool = False) -> Column:
    return Column(header, name, CODE, required=required, width=14, max_length=_ORG_CODE, ref="org")


def _member(header: str = "Mã đảng viên", name: str = "member", *, required: bool = False) -> Column:
    return Column(header, name, CODE, required=required, width=12, max_length=_MEMBER_CODE, ref="member")


def _bool(model: type[models.Model], header: str, name: str) -> Column:
    f = model._meta.get_field(name)
    assert isinstance(f, models.Field)
    return Column(header, name, BOOL, width=10, default=f.get_default())


DOCUMENTS = Sheet(
    "Văn bản",
    "van_ban",
    (
        _col(Document, "Cơ quan ban hành", "issuer", CODE, required=True, width=14),
        _col(Document, "Loại văn bản", "type", ENUM, enum="doc_type", required=True, width=16),
        _col(Document, "Số", "number", INT, required=True, width=8),
        _col(Document, "Nhiệm kỳ", "term", required=True, width=12),
        _col(Document, "Ngày ban hành", "issued_on", DATE, required=True, width=12),
        _org("Mã tổ chức ban hành"),
        _col(Document, "Trích yếu", "subject", width=40),
        Column("Thực hiện văn bản", "implements", CODES, width=30, ref="document"),
        _col(Document, "Tên cơ quan ban hành (ngoài hệ thống)", "issuer_name", width=24),
        _col(Document, "Loại chương trình", "programme_kind", ENUM, enum="programme_kind", width=18),
    ),
    model=Document,
    key=("organization", "type", "number", "term"),
    date="issued_on",
    about="Văn bản của Đảng; khóa là tổ chức ban hành + loại + số + nhiệm kỳ (số văn bản đánh lại từ 01 cho mỗi "
    "loại trong mỗi nhiệm kỳ cấp ủy, Hướng dẫn 36-HD/VPTW). 'Mã tổ chức ban hành' là cấp ủy ban hành khi cấp ủy "
    "đó có trong hệ thống (bắt buộc khi đó); văn bản của cơ quan ngoài hệ thống để trống mã và ghi 'Tên cơ quan "
    "ban hành' (trừ văn bản của Trung ương, ký hiệu TW). 'Cơ quan ban hành' là ký hiệu in sau dấu '/' (ĐU, HU, TU "
    "…). Nhiệm kỳ ghi '2015–2020' (gạch nối hay gạch ngang, có hay không dấu cách đều được) hoặc 'khóa X'. Ký hiệu "
    "CTHĐ (không có trong Hướng dẫn 36) được đọc là CTr, loại 'Chương trình hành động'. Các sheet khác ghi văn "
    "bản dạng '36-CTr/TU (2005–2010)', thêm mã tổ chức ban hành khi nhiều cấp ủy cùng số: "
    "'1-NQ/ĐU (2015–2020, X01)'.",
)

DISCIPLINES = Sheet(
    "Kỷ luật",
    "ky_luat",
    (
        _member(),
        _org("Mã tổ chức bị kỷ luật"),
        _col(Discipline, "Hình thức", "form", ENUM, enum="discipline", required=True, width=12),
        _col(Discipline, "Ngày quyết định", "decided_on", DATE, required=True, width=12),
        _col(Discipline, "Cấp quyết định", "deciding_body", width=22),
        _col(Discipline, "Số quyết định", "decision_ref", width=16),
        _col(Discipline, "Nội dung vi phạm", "violation", width=36),
        _bool(Discipline, "Tự phát hiện, khắc phục", "self_fixed"),
        _org("Là cấp ủy viên của tổ chức", "leadership_of"),
    ),
    model=Discipline,
    date="decided_on",
    one_of=("member", "organization"),
    about="Kỷ luật một đảng viên hoặc một tổ chức đảng (ghi đúng một trong hai mã).",
)

CANDIDATES = Sheet(
    "Quần chúng ưu tú",
    "quan_chung_uu_tu",
    (
        _col(Candidate, "Họ và tên", "full_name", required=True, width=26),
        _col(Candidate, "Giới tính", "gender", ENUM, enum="gender", required=True, width=9),
        _col(Candidate, "Ngày sinh", "birth_date", DATE, required=True, width=12),
        _org("Mã chi bộ", required=True),
        _col(Candidate, "Đối tượng", "category", ENUM, enum="category", width=24),
        _col(Candidate, "Ngày cấp giấy chứng nhận lớp nhận thức", "awareness_course_on", DATE, width=14),
        _col(Candidate, "Người giới thiệu", "introducers", width=26),
        _bool(Candidate, "Đủ hồ sơ", "dossier_complete"),
        _col(Candidate, "Ngày chi bộ xét", "branch_vote_on", DATE, width=12),
        _col(Candidate, "Bước", "stage", ENUM, enum="stage", required=True, width=16),
        _member("Mã đảng viên (khi đã kết nạp)"),
    ),
    model=Candidate,
    date="awareness_course_on",
    about="Quần chúng ưu tú đang được bồi dưỡng, chờ kết nạp; khi đã kết nạp ghi mã đảng viên.",
)

INSPECTIONS = Sheet(
    "Kiểm tra, giám sát",
    "kiem_tra_giam_sat",
    (
        _col(Inspection, "Loại", "kind", ENUM, enum="inspection", required=True, width=24),
        _org("Mã tổ chức", required=True),
        _member("Mã đảng viên được kiểm tra"),
        _bool(Inspection, "Theo kế hoạch", "planned"),
        _col(Inspection, "Ngày bắt đầu", "started_on", DATE, required=True, width=12),
        _col(Inspection, "Ngày kết luận", "concluded_on", DATE, width=12),
        _bool(Inspection, "Có vi phạm", "violation_found"),
        _col(Inspection, "Kết luận", "conclusion", width=36),
    ),
    model=Inspection,
    date="started_on",
    ordered=(("started_on", "concluded_on"),),
)

PETITIONS = Sheet(
    "Đơn thư",
    "don_thu",
    (
        _col(Petition, "Loại", "kind", ENUM, enum="petition", required=True, width=12),
        _org("Mã tổ chức", required=True),
        _member("Mã đảng viên bị tố cáo, khiếu nại"),
        _col(Petition, "Ngày nhận", "received_on", DATE, required=True, width=12),
        _col(Petition, "Ngày thụ lý", "handled_on", DATE, width=12),
        _col(Petition, "Ngày kết luận", "concluded_on", DATE, width=12),
        _col(Petition, "Kết quả", "outcome", width=36),
    ),
    model=Petition,
    date="received_on",
    ordered=(("received_on", "handled_on"), ("received_on", "concluded_on")),
)

POSTS = Sheet(
    "Chức vụ",
    "chuc_vu",
    (
        _member(required=True),
        _org("Mã tổ chức", required=True),
        _col(Post, "Chức danh", "title", ENUM, enum="post", required=True, width=22),
        _col(Post, "Nhiệm kỳ", "term", required=True, width=12),
        _col(Post, "Từ ngày", "started_on", DATE, required=True, width=12),
        _col(Post, "Đến ngày", "ended_on", DATE, width=12),
    ),
    model=Post,
    date="started_on",
    ordered=(("started_on", "ended_on"),),
)

SUCCESSION = Sheet(
    "Quy hoạch cán bộ",
    "quy_hoach_can_bo",
    (
        _member(required=True),
        _org("Mã tổ chức", required=True),
        _col(SuccessionPlan, "Chức danh", "title", ENUM, enum="post", required=True, width=22),
        _col(SuccessionPlan, "Nhiệm kỳ", "term", required=True, width=12),
        _col(SuccessionPlan, "Ngày phê duyệt", "approved_on", DATE, width=12),
    ),
    model=SuccessionPlan,
    key=("member", "organization", "title", "term"),
    date="approved_on",
)

CADRE_MOVES = Sheet(
    "Điều động, bổ nhiệm",
    "dieu_dong_bo_nhiem",
    (
        _col(CadreMove, "Hình thức", "kind", ENUM, enum="move", required=True, width=14),
        _col(CadreMove, "Họ và tên", "person_name", required=True, width=26),
        _member(),
        _org("Mã tổ chức", required=True),
        _col(CadreMove, "Ngày quyết định", "on", DATE, required=True, width=12),
        _col(CadreMove, "Chức vụ", "position", width=22),
        _col(CadreMove, "Số quyết định", "decision_ref", width=16),
    ),
    model=CadreMove,
    date="on",
)

TRAINING = Sheet(
    "Lớp bồi dưỡng",
    "lop_boi_duong",
    (
        _col(TrainingClass, "Loại lớp", "kind", ENUM, enum="training", required=True, width=28),
        _org("Mã tổ chức", required=True),
        _col(TrainingClass, "Tên lớp", "title", required=True, width=30),
        _col(TrainingClass, "Khai giảng", "started_on", DATE, required=True, width=12),
        _col(TrainingClass, "Bế giảng", "ended_on", DATE, width=12),
        _col(TrainingClass, "Lượt người dự", "attendances", INT, width=10),
        Column("Mã đảng viên học viên", "attendees", CODES, width=30, ref="member"),
    ),
    model=TrainingClass,
    date="started_on",
    ordered=(("started_on", "ended_on"),),
)

STUDY = Sheet(
    "Học tập nghị quyết",
    "hoc_tap_nghi_quyet",
    (
        _org("Mã tổ chức", required=True),
        Column("Văn bản", "document", CODE, width=26, ref="document"),
        _col(StudySession, "Ngày", "held_on", DATE, required=True, width=12),
        _col(StudySession, "Số đảng viên phải dự", "expected", INT, required=True, width=10),
        _col(StudySession, "Số đảng viên dự", "participants", INT, required=True, width=10),
        Column("Mã đảng viên dự", "attendees", CODES, width=30, ref="member"),
    ),
    model=StudySession,
    date="held_on",
)

COMMENDATIONS = Sheet(
    "Khen thưởng",
    "khen_thuong",
    (
        _member(),
        _org("Mã tổ chức được khen"),
        _col(Commendation, "Danh hiệu", "title", required=True, width=30),
        _col(Commendation, "Hình thức", "kind", ENUM, enum="commendation", width=12),
        _col(Commendation, "Cấp khen", "granted_by", required=True, width=22),
        _col(Commendation, "Năm", "year", INT, required=True, width=8),
        _col(Commendation, "Ngày quyết định", "decided_on", DATE, required=True, width=12),
        _col(Commendation, "Số quyết định", "decision_ref", width=16),
    ),
    model=Commendation,
    date="decided_on",
    one_of=("member", "organization"),
    about="Khen thưởng một đảng viên hoặc một tổ chức (ghi đúng một trong hai mã); Năm là năm được khen.",
)

BADGES = Sheet(
    "Huy hiệu Đảng",
    "huy_hieu_dang",
    (
        _member(required=True),
        _col(BadgeAward, "Huy hiệu (năm tuổi Đảng)", "milestone", INT, required=True, width=10),
        _col(BadgeAward, "Ngày trao", "awarded_on", DATE, required=True, width=12),
        _col(BadgeAward, "Số quyết định", "decision_ref", width=16),
        _bool(BadgeAward, "Truy tặng", "posthumous"),
    ),
    model=BadgeAward,
    key=("member", "milestone"),
    date="awarded_on",
)

FREE_INDICATORS = Sheet(
    "Chỉ số nhập tay",
    "chi_so_nhap_tay",
    (
        _org("Mã tổ chức", required=True),
        _col(FreeIndicator, "Mã chỉ số", "code", CODE, required=True, width=14),
        _col(FreeIndicator, "Tên chỉ số", "name", required=True, width=30),
        _col(FreeIndicator, "Đơn vị", "unit", width=8),
        _col(FreeIndicator, "Từ ngày", "period_start", DATE, required=True, width=12),
        _col(FreeIndicator, "Đến ngày", "period_end", DATE, required=True, width=12),
        _col(FreeIndicator, "Giá trị", "value", DECIMAL, required=True, width=12),
        _col(FreeIndicator, "Ghi chú", "note", width=30),
    ),
    model=FreeIndicator,
    key=("organization", "code", "period_start", "period_end"),
    date="period_start",
    ordered=(("period_start", "period_end"),),
    about="Số liệu hồ sơ đảng không có (tỷ lệ cử tri đi bầu …).",
)

PROGRAMMES = Sheet(
    "Chương trình toàn khóa",
    "chuong_trinh_toan_khoa",
    (
        _org("Mã tổ chức", required=True),
        _col(TermProgramme, "Nhiệm kỳ", "term", required=True, width=12),
        _col(TermProgramme, "Năm đầu", "first_year", INT, required=True, width=8),
        _col(TermProgramme, "Năm cuối", "last_year", INT, required=True, width=8),
        _col(TermProgramme, "Tên", "title", required=True, width=40),
        Column("Nghị quyết đại hội", "resolution", CODE, width=26, ref="document"),
        _col(TermProgramme, "Ngày đại hội", "congress_on", DATE, width=12),
        _col(TermProgramme, "Ngày đại hội nhiệm kỳ sau", "next_congress_on", DATE, width=12),
    ),
    model=TermProgramme,
    key=("organization", "term"),
    ordered=(("first_year", "last_year"), ("congress_on", "next_congress_on")),
    about="Nghị quyết đại hội của một nhiệm kỳ; khóa là mã tổ chức + nhiệm kỳ.",
)

PROGRAMME_ITEMS = Sheet(
    "Nội dung chương trình",
    "noi_dung_chuong_trinh",
    (
        _org("Mã tổ chức", required=True),
        Column("Nhiệm kỳ", "programme", TEXT, required=True, width=12, max_length=20, ref="programme"),
        _col(ProgrammeItem, "Loại", "kind", ENUM, enum="item", required=True, width=28),
        _col(ProgrammeItem, "Thứ tự", "order", INT, width=8, default=0),
        _col(ProgrammeItem, "Nội dung", "title", required=True, width=40),
    ),
    model=ProgrammeItem,
    key=("organization", "programme", "kind", "order"),
    about="Chương trình công tác, nhiệm vụ trọng tâm, khâu đột phá, nhóm chỉ tiêu của một chương trình toàn khóa.",
)

TARGETS = Sheet(
    "Chỉ tiêu nhiệm kỳ",
    "chi_tieu_nhiem_ky",
    (
        _org("Mã tổ chức", required=True),
        Column("Nhiệm kỳ chương trình", "programme", TEXT, width=12, max_length=20, ref="programme"),
        _col(Target, "Chỉ số", "indicator", ENUM, enum="indicator", required=True, width=30),
        _col(Target, "So sánh", "op", ENUM, enum="op", required=True, width=8),
        _col(Target, "Giá trị", "value", DECIMAL, required=True, width=10),
        _col(Target, "Tính theo", "per", ENUM, enum="per", required=True, width=12),
        _col(Target, "Năm đầu", "first_year", INT, required=True, width=8),
        _col(Target, "Năm cuối", "last_year", INT, required=True, width=8),
        _col(Target, "Chỉ tiêu như nghị quyết ghi", "title", width=40),
        _col(Target, "So với chỉ số", "of_indicator", ENUM, enum="indicator", width=30),
    ),
    model=Target,
    ordered=(("first_year", "last_year"),),
    about="Chỉ tiêu nghị quyết đại hội gắn với một chỉ số; tỷ lệ ghi dạng phân số (0,95 là 95%). Chỉ tiêu tính "
    "theo tỷ lệ so với một chỉ số khác (kết nạp từ 3% trở lên so với số đảng viên đầu năm): ghi 'So với chỉ số' "
    "(Đảng viên đầu kỳ) và Giá trị 0,03.",
)

PLANS = Sheet(
    "Kế hoạch năm",
    "ke_hoach_nam",
    (
        _org("Mã tổ chức", required=True),
        _col(Plan, "Chỉ số", "indicator", ENUM, enum="indicator", required=True, width=30),
        _col(Plan, "Năm", "year", INT, required=True, width=8),
        _col(Plan, "Giá trị", "value", DECIMAL, required=True, width=10),
        _col(Plan, "Cách gọi", "wording", width=12),
    ),
    model=Plan,
    key=("organization", "indicator", "year"),
    about="Kế hoạch (hay chỉ tiêu cấp trên giao) của một năm cho một chỉ số; Cách gọi: 'kế hoạch' hoặc 'chỉ tiêu'.",
)

WORK_SHEETS: tuple[Sheet, ...] = (
    DOCUMENTS,
    PROGRAMMES,
    PROGRAMME_ITEMS,
    TARGETS,
    PLANS,
    CANDIDATES,
    DISCIPLINES,
    INSPECTIONS,
    PETITIONS,
    POSTS,
    SUCCESSION,
    CADRE_MOVES,
    TRAINING,
    STUDY,
    COMMENDATIONS,
    BADGES,
    FREE_INDICATORS,
)
SHEETS: tuple[Sheet, ...] = (ORGS, ORG_EVENTS, MEMBERS, MEMBER_EVENTS, *WORK_SHEETS)

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
