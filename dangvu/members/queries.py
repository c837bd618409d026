"""Reads for a member's record (lý lịch đảng viên): the profile grouped as the party member's profile form groups
it, and the history of every record about the member — lifecycle, posts, discipline, commendations, badges,
training, study, review results — each in date order, with the units' names as they were on each date.

One query per kind of record and one for all the units' names: the profile page and its printable form read the
same `MemberRecord`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from dangvu.assessment.models import Result
from dangvu.domain.membership import EVENT_LABELS, EventKind, Status
from dangvu.domain.vietnamese import fmt_date
from dangvu.orgs.models import Organization, OrgVersion
from dangvu.work.models import BadgeAward, Commendation, Discipline, Post, StudySession, TrainingClass

from .models import Member, MemberEvent, MembershipSpan

# What a withheld identifier reads (a member who left the person's scope).
WITHHELD = "Không hiển thị (đảng viên không còn sinh hoạt trong phạm vi của bạn)"


@dataclass(frozen=True)
class Line:
    """One line of the profile: a label and its value; `reveal` names a masked identifier ('citizen_id')."""

    label: str
    value: str
    reveal: str = ""

    @property
    def anchor(self) -> str:
        """The element the revealed value replaces (ids the pages and their tests have always used)."""
        return {"citizen_id": "cid", "card_number": "card"}.get(self.reveal, "")


@dataclass(frozen=True)
class Group:
    title: str
    lines: list[Line]


@dataclass(frozen=True)
class Entry:
    """One dated record about the member: what, where (the unit's name on that day), and the details."""

    on: dt.date | None
    title: str
    unit: str = ""
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class YearResult:
    year: int
    level: str
    unit: str
    exemplary: bool


@dataclass
class MemberRecord:
    member: Member
    groups: list[Group]
    timeline: list[Entry]
    posts: list[Entry]
    disciplines: list[Entry]
    commendations: list[Entry]
    badges: list[Entry]
    training: list[Entry]
    study: list[Entry]
    results: list[YearResult]

    def without_identifiers(self) -> MemberRecord:
        """The record for a person who may not see this member's identifiers (accounts.scope.identifiers_shown):
        the same names and history, the citizen ID and card number neither shown nor revealable."""
        groups = [
            Group(g.title, [Line(line.label, WITHHELD) if line.reveal else line for line in g.lines])
            for g in self.groups
        ]
        return replace(self, groups=groups)

    @property
    def sections(self) -> list[tuple[str, str, list[Entry]]]:
        """The dated histories after the lifecycle, in the order the profile prints them (id, title, entries)."""
        return [
            ("chuc-vu", "Chức vụ trong tổ chức đảng", self.posts),
            ("ky-luat", "Kỷ luật", self.disciplines),
            ("khen-thuong", "Khen thưởng", self.commendations),
            ("huy-hieu", "Huy hiệu Đảng", self.badges),
            ("boi-duong", "Bồi dưỡng, đào tạo", self.training),
            ("hoc-tap", "Học tập, quán triệt nghị quyết", self.study),
        ]


def mask(value: str | None, keep: int = 3) -> str:
    """'001203004567' → '•••••••••567': enough to tell two people apart, not enough to use."""
    if not value:
        return ""
    return "•" * max(len(value) - keep, 0) + value[-keep:]


def day(d: dt.date | None) -> str:
    """The day as the reports print it ("5/5/2008"), or nothing."""
    return fmt_date(d) if d else ""


class UnitNames:
    """The names of a set of units on given days, from one query over their versions."""

    def __init__(self, org_ids: Iterable[int | None]) -> None:
        self.versions: dict[int, list[OrgVersion]] = defaultdict(list)
        ids = {i for i in org_ids if i is not None}
        for v in OrgVersion.objects.filter(organization_id__in=ids).only(
            "organization_id", "valid_from", "valid_to", "name"
        ):
            self.versions[v.organization_id].append(v)

    def on(self, org_id: int | None, d: dt.date | None) -> str:
        """The name the unit bore on d; before it existed or after it ended, its nearest name."""
        vs = self.versions.get(org_id or 0, [])
        if not vs:
            return ""
        if d is not None:
            for v in vs:
                if v.valid_from <= d < v.valid_to:
                    return v.name
            earlier = [v for v in vs if v.valid_from <= d]
            if earlier:
                return max(earlier, key=lambda v: v.valid_from).name
        return min(vs, key=lambda v: v.valid_from).name


def _ref(ref: str, on: dt.date | None = None) -> str:
    if not ref:
        return ""
    return f"Quyết định số {ref}" + (f" ngày {day(on)}" if on else "")


def _joined(*parts: str) -> list[str]:
    return [p for p in parts if p]


def profile_groups(m: Member, events: list[MemberEvent]) -> list[Group]:
    """The profile as the lý lịch đảng viên groups it (HD 12-HD/BTCTW, mẫu 2-HSĐV): identity, origins and
    residence; education; joining the Youth Union and the Party."""
    entries = [e for e in events if e.kind in (EventKind.ADMISSION, EventKind.READMISSION)]
    first = entries[0] if entries else None
    official = next((e for e in events if e.kind == EventKind.RECOGNITION), None)
    hometown = m.hometown + (f" (tên cũ: {m.hometown_old})" if m.hometown_old else "")
    return [
        Group(
            "Sơ yếu lý lịch",
            [
                Line("Họ và tên đang dùng", m.full_name),
                Line("Họ và tên khai sinh", m.birth_name or m.full_name),
                Line("Giới tính", m.get_gender_display()),
                Line("Ngày sinh", day(m.birth_date)),
                Line("Nơi sinh", m.birth_place),
                Line("Quê quán", hometown),
                Line("Nơi thường trú", m.residence),
                Line("Dân tộc", m.ethnicity),
                Line("Tôn giáo", m.religion or "Không"),
                Line("Nghề nghiệp", m.occupation),
                Line("Số CCCD", mask(m.citizen_id), reveal="citizen_id" if m.citizen_id else ""),
                Line("Điện thoại", m.phone),
            ],
        ),
        Group(
            "Trình độ",
            [
                Line("Giáo dục phổ thông", m.general_education),
                Line("Chuyên môn nghiệp vụ", m.professional_education),
                Line("Học hàm, học vị", m.degree),
                Line("Lý luận chính trị", m.get_political_theory_display()),
            ],
        ),
        Group(
            "Vào Đoàn, vào Đảng",
            [
                Line("Ngày vào Đoàn", day(m.youth_union_on)),
                Line("Ngày vào Đảng", day(first.on) if first else ""),
                Line("Ngày lễ kết nạp", day(first.ceremony_on) if first else ""),
                Line("Ngày chính thức", day(official.on) if official else ""),
                Line("Người giới thiệu", m.introducers),
                Line("Tuổi đảng tính từ (cấp ủy xác nhận)", day(m.party_age_confirmed_from)),
                Line("Số thẻ đảng viên", mask(m.card_number), reveal="card_number" if m.card_number else ""),
                Line("Số lý lịch", m.dossier_number),
            ],
        ),
    ]


# What the counterpart of an event is (a place outside the organizations this system holds).
COUNTERPART: dict[str, str] = {
    EventKind.TRANSFER_IN: "Nơi đi",
    EventKind.TRANSFER_OUT: "Nơi đến",
    EventKind.TEMPORARY_ATTACHMENT: "Nơi sinh hoạt tạm thời",
}


def _timeline(events: list[MemberEvent], names: UnitNames) -> list[Entry]:
    out = []
    for e in events:
        where = names.on(e.organization_id, e.on)
        details = _joined(
            f"{COUNTERPART.get(e.kind, 'Nơi liên quan')}: {e.counterpart}" if e.counterpart else "",
            f"Lễ kết nạp ngày {day(e.ceremony_on)}" if e.ceremony_on else "",
            _ref(e.decision_ref, e.decided_on if e.decided_on != e.on else None)
            or (f"Quyết định ngày {day(e.decided_on)}" if e.decided_on and e.decided_on != e.on else ""),
            f"Đến ngày {day(e.until)}" if e.until else "",
            e.note,
        )
        out.append(Entry(e.on, EVENT_LABELS.get(e.kind, ""), where, details))
    return out


def member_record(member: Member) -> MemberRecord:
    """Everything recorded about one member, for the profile page and its printable form."""
    m = member
    events = list(MemberEvent.objects.filter(member=m).order_by("on", "id"))
    posts = list(Post.objects.filter(member=m).order_by("started_on", "id"))
    disciplines = list(Discipline.objects.filter(member=m).order_by("decided_on", "id"))
    commendations = list(Commendation.objects.filter(member=m).order_by("decided_on", "id"))
    badges = list(BadgeAward.objects.filter(member=m).order_by("awarded_on", "id"))
    classes = list(TrainingClass.objects.filter(attendees=m).order_by("started_on", "id"))
    sessions = list(StudySession.objects.filter(attendees=m).select_related("document").order_by("held_on", "id"))
    results = list(Result.objects.filter(member=m).select_related("cycle").order_by("year"))
    spans = list(
        MembershipSpan.objects.filter(member=m)
        .order_by("valid_from")
        .values_list("organization_id", "valid_from", "valid_to")
    )
    names = UnitNames(
        [o for o, _, _ in spans]
        + [e.organization_id for e in events]
        + [p.organization_id for p in posts]
        + [d.leadership_of_id for d in disciplines]
        + [c.organization_id for c in classes]
        + [s.organization_id for s in sessions]
        + [r.unit_id for r in results]
    )

    def unit_on(d: dt.date) -> str:
        """The member's branch on a day (for records that do not name one)."""
        for org_id, start, end in spans:
            if start <= d < end:
                return names.on(org_id, d)
        return ""

    return MemberRecord(
        member=m,
        groups=profile_groups(m, events),
        timeline=_timeline(events, names),
        posts=[
            Entry(
                p.started_on,
                f"{p.get_title_display()} nhiệm kỳ {p.term}",
                names.on(p.organization_id, p.started_on),
                _joined(f"Đến ngày {day(p.ended_on)}" if p.ended_on else "Đang giữ"),
            )
            for p in posts
        ],
        disciplines=[
            Entry(
                d.decided_on,
                d.get_form_display(),
                unit_on(d.decided_on),
                _joined(
                    f"Cấp quyết định: {d.deciding_body}" if d.deciding_body else "",
                    _ref(d.decision_ref),
                    f"Nội dung vi phạm: {d.violation}" if d.violation else "",
                    f"Khi là cấp ủy viên {names.on(d.leadership_of_id, d.decided_on)}" if d.leadership_of_id else "",
                    "Tự phát hiện và khắc phục xong hậu quả" if d.self_fixed else "",
                ),
            )
            for d in disciplines
        ],
        commendations=[
            Entry(
                c.decided_on,
                f"{c.get_kind_display()}: {c.title} ({c.year})",
                unit_on(c.decided_on),
                _joined(f"Cấp khen: {c.granted_by}" if c.granted_by else "", _ref(c.decision_ref)),
            )
            for c in commendations
        ],
        badges=[
            Entry(
                b.awarded_on,
                f"Huy hiệu {b.milestone} năm tuổi Đảng" + (" (truy tặng)" if b.posthumous else ""),
                unit_on(b.awarded_on),
                _joined(_ref(b.decision_ref)),
            )
            for b in badges
        ],
        training=[
            Entry(
                c.started_on,
                f"{c.get_kind_display()}: {c.title}",
                names.on(c.organization_id, c.started_on),
                _joined(f"Đến ngày {day(c.ended_on)}" if c.ended_on else ""),
            )
            for c in classes
        ],
        study=[
            Entry(
                s.held_on,
                f"Học tập {s.document} — {s.document.subject}"
                if s.document and s.document.subject
                else (f"Học tập {s.document}" if s.document else "Học tập, quán triệt nghị quyết"),
                names.on(s.organization_id, s.held_on),
            )
            for s in sessions
        ],
        results=[
            YearResult(
                r.year,
                r.get_level_display() or f"Không xếp loại ({r.get_not_rated_display()})",
                names.on(r.unit_id, r.cycle.rated_on),
                r.exemplary,
            )
            for r in results
        ],
    )


def org_name(org: Organization | int, on: dt.date) -> str:
    """The organization's name on a day (its nearest name outside its life)."""
    org_id = org if isinstance(org, int) else org.pk
    return UnitNames([org_id]).on(org_id, on)


def latest_span(member: Member) -> MembershipSpan | None:
    """The member's last period in a unit (the unit whose people may record the next event)."""
    return MembershipSpan.objects.filter(member=member).order_by("-valid_from").first()


@dataclass(frozen=True)
class Standing:
    unit: str
    official: bool


def unit_on(member: Member, on: dt.date) -> Standing | None:
    """Where the member belonged on a day, and whether officially; None when not a member here that day."""
    span = MembershipSpan.objects.on(on).filter(member=member).first()
    if span is None:
        return None
    return Standing(org_name(span.organization_id, on), span.status == Status.OFFICIAL)
