"""Member lifecycle: the events, the rules they must obey, and what follows from them.

Plain Python. A member's history is a list of dated events; from it we derive where the member
officially belonged over which dates (spans) and the party age. Every rule cites its source;
the values the research could not pin down are parameters (LifecycleParams) with defaults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import RuleError
from .periods import OPEN_END, Period
from .vietnamese import add_months, fmt_date, months_between


class EventKind(StrEnum):
    ADMISSION = "admission"
    RECOGNITION = "recognition"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    TEMPORARY_ATTACHMENT = "temporary_attachment"
    EXEMPTION = "exemption"
    SUSPENSION = "suspension"
    REMOVAL = "removal"
    EXPULSION = "expulsion"
    RESIGNATION = "resignation"
    DEATH = "death"
    READMISSION = "readmission"
    RESTORATION = "restoration"


EVENT_LABELS: dict[str, str] = {
    EventKind.ADMISSION: "Kết nạp",
    EventKind.RECOGNITION: "Công nhận đảng viên chính thức",
    EventKind.TRANSFER_IN: "Chuyển sinh hoạt đảng chính thức đến",
    EventKind.TRANSFER_OUT: "Chuyển sinh hoạt đảng chính thức đi",
    EventKind.TEMPORARY_ATTACHMENT: "Sinh hoạt đảng tạm thời",
    EventKind.EXEMPTION: "Miễn công tác và sinh hoạt đảng",
    EventKind.SUSPENSION: "Đình chỉ sinh hoạt đảng",
    EventKind.REMOVAL: "Xóa tên",
    EventKind.EXPULSION: "Khai trừ",
    EventKind.RESIGNATION: "Xin ra khỏi Đảng",
    EventKind.DEATH: "Từ trần",
    EventKind.READMISSION: "Kết nạp lại",
    EventKind.RESTORATION: "Phục hồi đảng tịch",
}

# Leaving the party ends membership; death ends everything.
EXITS = frozenset({EventKind.REMOVAL, EventKind.EXPULSION, EventKind.RESIGNATION, EventKind.DEATH})
ENTRIES = frozenset({EventKind.ADMISSION, EventKind.READMISSION})
# Events that need the person to be a member on the date.
WHILE_MEMBER = frozenset(
    {
        EventKind.RECOGNITION,
        EventKind.TRANSFER_OUT,
        EventKind.TEMPORARY_ATTACHMENT,
        EventKind.EXEMPTION,
        EventKind.SUSPENSION,
        EventKind.REMOVAL,
        EventKind.EXPULSION,
        EventKind.RESIGNATION,
    }
)


class AdmissionCategory(StrEnum):
    """Admission categories the reports count (SEED_FIGURES F18; HD 12-HD/BTCTW statistics forms)."""

    GENERAL = "general"
    HIGH_SCHOOL_STUDENT = "high_school_student"
    STUDENT = "student"
    PRE_ENLISTMENT = "pre_enlistment"
    PRIVATE_ENTERPRISE_WORKER = "private_enterprise_worker"
    ETHNIC_MINORITY = "ethnic_minority"
    RELIGIOUS = "religious"


ADMISSION_CATEGORY_LABELS: dict[str, str] = {
    AdmissionCategory.GENERAL: "Quần chúng ưu tú",
    AdmissionCategory.HIGH_SCHOOL_STUDENT: "Học sinh trung học phổ thông",
    AdmissionCategory.STUDENT: "Sinh viên",
    AdmissionCategory.PRE_ENLISTMENT: "Công dân ưu tú chuẩn bị nhập ngũ",
    AdmissionCategory.PRIVATE_ENTERPRISE_WORKER: "Người lao động trong doanh nghiệp ngoài nhà nước",
    AdmissionCategory.ETHNIC_MINORITY: "Người dân tộc thiểu số",
    AdmissionCategory.RELIGIOUS: "Người có đạo",
}


class Status(StrEnum):
    PROBATIONARY = "probationary"
    OFFICIAL = "official"


@dataclass(frozen=True)
class LifecycleParams:
    """Values of the lifecycle rules. Defaults from membership_orgs.md; tags say how sure we are."""

    # [V] Điều lệ Đ.1; HD 01-HD/TW 3.1: 18 to 60 years, counted in months, on the day the branch reviews.
    min_age_months: int = 18 * 12
    max_age_months: int = 60 * 12
    # [V] Điều lệ Đ.5: 12 months' probation from the ceremony.
    probation_months: int = 12
    # [V] QĐ 24-QĐ/TW 3.5.3 (membership_orgs §2): readmission at least 36 months after leaving, once only.
    readmission_min_months: int = 36
    readmission_max_times: int = 1
    # [I] A member admitted before the branch's review date is a data error; we accept the decision
    # date as review date when none is given.


DEFAULT_PARAMS = LifecycleParams()


@dataclass(frozen=True)
class AdmissionDeadlines:
    """The admission pipeline's deadlines, in working days unless said otherwise (work.alerts)."""

    # [V] HD 01-HD/TW 3.2 (membership_orgs §2): the committee decides within 60 working days of the branch's
    # resolution.
    decision_working_days: int = 60
    # [V] HD 01-HD/TW 3.3: the ceremony within 30 working days of the decision.
    ceremony_working_days: int = 30
    # [V] Điều lệ Đảng 2011 Đ.5; HD 01-HD/TW 4: recognition reviewed within 30 working days after the 12 months.
    recognition_working_days: int = 30
    # [P] the awareness-course certificate is valid 5 years (local guidance; not found in a central text).
    certificate_years: int = 5
    # [I] how far ahead (working days) a deadline counts as "due soon" on the dashboard.
    soon_working_days: int = 10


DEFAULT_DEADLINES = AdmissionDeadlines()


@dataclass(frozen=True)
class Event:
    kind: str
    on: dt.date
    org_id: int | None = None
    ceremony_on: dt.date | None = None
    until: dt.date | None = None
    approval_ref: str = ""
    reviewed_on: dt.date | None = None  # admission: the branch's review date (age is checked there)
    ref: int | None = None  # the stored event's id, for spans to point back


class LifecycleError(RuleError):
    """A rule the history breaks. The message is Vietnamese and names the event."""


@dataclass(frozen=True)
class Span:
    org_id: int
    status: str
    period: Period
    start_ref: int | None = None
    end_ref: int | None = None


@dataclass
class History:
    spans: list[Span] = field(default_factory=list)
    first_admitted_on: dt.date | None = None
    gaps: list[Period] = field(default_factory=list)  # time outside the party (for party age)
    died_on: dt.date | None = None


_ORDER = {k: i for i, k in enumerate(EventKind)}


def age_check(
    birth_date: dt.date, reviewed_on: dt.date, *, approval_ref: str = "", params: LifecycleParams = DEFAULT_PARAMS
) -> None:
    """Điều lệ Đảng 2011, Điều 1; HD 01-HD/TW 3.1 [V]: age 18–60 counted in months on the day the branch
    reviews the case; older needs the written approval of the provincial standing committee."""
    months = months_between(birth_date, reviewed_on)
    src = "Điều lệ Đảng 2011, Điều 1; Hướng dẫn 01-HD/TW, 3.1"
    if months < params.min_age_months:
        raise LifecycleError(
            f"Chưa đủ 18 tuổi vào ngày chi bộ xét ({fmt_date(reviewed_on)}): mới {months // 12} tuổi "
            f"{months % 12} tháng.",
            field="birth_date",
            source=src,
        )
    if months > params.max_age_months and not approval_ref:
        raise LifecycleError(
            f"Quá 60 tuổi vào ngày chi bộ xét ({fmt_date(reviewed_on)}): {months // 12} tuổi {months % 12} tháng; "
            "cần văn bản đồng ý của Ban Thường vụ tỉnh ủy, thành ủy.",
            field="approval_ref",
            source=src,
        )


def official_date(ceremony_on: dt.date, params: LifecycleParams = DEFAULT_PARAMS) -> dt.date:
    """Điều lệ Đ.5; HD 01-HD/TW 4.2 [V]: official status dates from the end of the 12 months of
    probation counted from the ceremony, even when the decision comes later."""
    return add_months(ceremony_on, params.probation_months)


def derive(events: Sequence[Event], params: LifecycleParams = DEFAULT_PARAMS) -> History:
    """Check a whole history and derive its spans. Raises LifecycleError on the first broken rule."""
    evs = sorted(events, key=lambda e: (e.on, _ORDER[EventKind(e.kind)]))
    h = History()
    member = False  # in the party now (possibly outside this system's organizations)
    org: int | None = None
    status = Status.PROBATIONARY
    start: dt.date | None = None
    start_ref: int | None = None
    ceremony: dt.date | None = None
    left_on: dt.date | None = None
    last_exit: str | None = None
    readmissions = 0
    pre_exit_status = Status.PROBATIONARY

    def close(day: dt.date, ref: int | None) -> None:
        nonlocal start
        if org is not None and start is not None and start < day:
            h.spans.append(Span(org, status, Period(start, day), start_ref, ref))
        start = None

    def open_(day: dt.date, new_org: int | None, ref: int | None) -> None:
        nonlocal org, start, start_ref
        org, start, start_ref = new_org, day, ref

    for e in evs:
        label = f"{EVENT_LABELS[e.kind]} ngày {fmt_date(e.on)}"
        if h.died_on is not None:
            raise LifecycleError(
                f"{label}: đảng viên đã từ trần ngày {fmt_date(h.died_on)}, không thể ghi sự kiện sau đó.", field="on"
            )
        if e.kind in WHILE_MEMBER and not member:
            raise LifecycleError(f"{label}: vào ngày này người này không phải là đảng viên.", field="on")

        if e.kind == EventKind.ADMISSION:
            if h.first_admitted_on is not None:
                raise LifecycleError(
                    f"{label}: đã có quyết định kết nạp ngày {fmt_date(h.first_admitted_on)}; "
                    "vào lại Đảng là kết nạp lại.",
                    field="kind",
                )
            h.first_admitted_on = e.on
            member, status, ceremony = True, Status.PROBATIONARY, e.ceremony_on
            _check_ceremony(e, label)
            open_(e.on, e.org_id, e.ref)
        elif e.kind == EventKind.READMISSION:
            src = "Quy định 24-QĐ/TW, 3.5.3"
            if member or left_on is None:
                raise LifecycleError(f"{label}: chỉ kết nạp lại người đã ra khỏi Đảng.", field="kind", source=src)
            if readmissions >= params.readmission_max_times:
                raise LifecycleError(f"{label}: chỉ được kết nạp lại một lần.", field="kind", source=src)
            gap = months_between(left_on, e.on)
            if gap < params.readmission_min_months:
                raise LifecycleError(
                    f"{label}: mới {gap} tháng kể từ khi ra khỏi Đảng ({fmt_date(left_on)}); phải sau ít nhất "
                    f"{params.readmission_min_months} tháng.",
                    field="on",
                    source=src,
                )
            _check_ceremony(e, label)
            readmissions += 1
            if h.gaps and h.gaps[-1].end == OPEN_END:
                h.gaps[-1] = Period(left_on, e.on)
            member, status, ceremony, left_on = True, Status.PROBATIONARY, e.ceremony_on, None
            open_(e.on, e.org_id, e.ref)
        elif e.kind == EventKind.RECOGNITION:
            if status == Status.OFFICIAL:
                raise LifecycleError(f"{label}: đã là đảng viên chính thức.", field="kind")
            if ceremony is None:
                raise LifecycleError(f"{label}: thiếu ngày lễ kết nạp để tính 12 tháng dự bị.", field="ceremony_on")
            due = official_date(ceremony, params)
            if e.on != due:
                raise LifecycleError(
                    f"{label}: ngày công nhận chính thức phải là ngày hết 12 tháng dự bị ({fmt_date(due)}, tính "
                    f"từ lễ kết nạp {fmt_date(ceremony)}).",
                    field="on",
                    source="Điều lệ Đảng 2011, Điều 5",
                )
            close(e.on, e.ref)
            status = Status.OFFICIAL
            open_(e.on, org, e.ref)
        elif e.kind == EventKind.TRANSFER_IN:
            if not member:
                raise LifecycleError(f"{label}: vào ngày này người này không phải là đảng viên.", field="on")
            if e.org_id is None:
                raise LifecycleError(f"{label}: thiếu tổ chức đảng nơi chuyển đến.", field="organization")
            close(e.on, e.ref)
            open_(e.on, e.org_id, e.ref)
        elif e.kind == EventKind.TRANSFER_OUT:
            close(e.on, e.ref)
            open_(e.on, None, e.ref)
        elif e.kind in EXITS:
            if e.kind == EventKind.DEATH:
                h.died_on = e.on
            if member:
                close(e.on, e.ref)
                if e.kind != EventKind.DEATH:  # open gap until a readmission or restoration closes it
                    h.gaps.append(Period(e.on, OPEN_END))
                pre_exit_status, member, left_on, last_exit = status, False, e.on, e.kind
                org = None
        elif e.kind == EventKind.RESTORATION:
            # QĐ 117-QĐ/TW (2023): membership wrongly taken away is restored; party age is continuous.
            if member or left_on is None or last_exit not in (EventKind.EXPULSION, EventKind.REMOVAL):
                raise LifecycleError(
                    f"{label}: chỉ phục hồi đảng tịch cho người bị khai trừ hoặc xóa tên.",
                    field="kind",
                    source="Quy định 117-QĐ/TW",
                )
            if e.org_id is None:
                raise LifecycleError(f"{label}: thiếu tổ chức đảng nơi sinh hoạt lại.", field="organization")
            if h.gaps and h.gaps[-1].end == OPEN_END:
                h.gaps.pop()
            member, status, left_on = True, pre_exit_status, None
            open_(e.on, e.org_id, e.ref)
        # exemption, suspension, temporary attachment: the member stays where they are.

    if start is not None and org is not None and member:
        h.spans.append(Span(org, status, Period(start, OPEN_END), start_ref, None))
    return h


def _check_ceremony(e: Event, label: str) -> None:
    # HD 01-HD/TW 3.3 [V]: the ceremony follows the decision (within 30 working days; the deadline is an alert,
    # not a refusal, see work.admissions).
    if e.ceremony_on is not None and e.ceremony_on < e.on:
        raise LifecycleError(
            f"{label}: ngày lễ kết nạp ({fmt_date(e.ceremony_on)}) trước ngày quyết định.",
            field="ceremony_on",
            source="Hướng dẫn 01-HD/TW, 3.3",
        )


def party_age_days(history: History, on: dt.date) -> int:
    """QĐ 24-QĐ/TW 4.5; HD 01-HD/TW [V]: from the first admission decision, minus time outside the party
    (readmitted members count from the first decision, minus the gaps; restored members are continuous)."""
    if history.first_admitted_on is None or on < history.first_admitted_on:
        return 0
    total = (on - history.first_admitted_on).days
    for gap in history.gaps:
        clipped = gap.intersect(Period(history.first_admitted_on, on))
        if clipped:
            total -= (clipped.end - clipped.start).days
    return max(total, 0)


def party_age_years(history: History, on: dt.date) -> int:
    """Whole years of party age on a date (badges are due at 30, 40, 45 … years)."""
    if history.first_admitted_on is None:
        return 0
    # Count whole years by calendar: shift the start by the total gap length, then compare dates.
    gap_days = (on - history.first_admitted_on).days - party_age_days(history, on)
    effective_start = history.first_admitted_on + dt.timedelta(days=gap_days)
    return max(months_between(effective_start, on) // 12, 0)


def check_identifier(value: str | None, *, digits: int, label: str, field: str) -> str | None:
    """Citizen ID (12 digits) and card number (8 digits) are text of exactly that many digits.
    [V] membership_orgs §2 (card: 8 digits since Chỉ thị 29-CT/TW); CCCD 12 digits [I, Luật Căn cước 2023]."""
    if value is None:
        return None
    v = str(value).strip()
    if not v:
        return None
    if not (v.isascii() and v.isdigit() and len(v) == digits):
        raise RuleError(f"{label} phải gồm đúng {digits} chữ số (giữ cả số 0 ở đầu), nhận được '{v}'.", field=field)
    return v


# Members belong officially to a chi bộ: a branch under a committee, or a grassroots branch.
# Điều lệ Đảng 2011, Điều 24 (chi bộ là nơi đảng viên sinh hoạt); a tổ đảng is part of its chi bộ.
MEMBER_HOLDING_KINDS = frozenset({"branch", "grassroots_branch"})


# The day an event happened, as each field of a member's record names it (messages and form fields).
EVENT_DATE_LABELS: dict[str, str] = {
    "on": "Ngày hiệu lực",
    "decided_on": "Ngày quyết định",
    "ceremony_on": "Ngày lễ kết nạp",
    "reviewed_on": "Ngày chi bộ xét",
    "birth_date": "Ngày sinh",
    "youth_union_on": "Ngày vào Đoàn",
    "party_age_confirmed_from": "Tuổi đảng tính từ",
}


def no_future_dates(dates: dict[str, dt.date | None], *, today: dt.date) -> None:
    """A record says what has happened: a decision, a ceremony, a transfer or a birth after today is a typing
    error (a year 2027 for 2017), refused on the field that carries it. `until` (the end of a suspension or an
    exemption) is not an event and may lie ahead; callers leave it out."""
    for name, day in dates.items():
        if day is not None and day > today:
            label = EVENT_DATE_LABELS.get(name, "Ngày")
            raise RuleError(
                f"{label} {day:%d/%m/%Y} ở sau hôm nay ({today:%d/%m/%Y}): không ghi được điều chưa xảy ra.",
                field=name,
            )
