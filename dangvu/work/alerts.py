"""What is due or overdue on a date, for a subtree: the deadlines of the admission pipeline (working days) and
the party badges due at the next awarding occasion."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass

from django.db.models import Q

from dangvu.domain.alerts import (
    Window,
    ceremony_window,
    certificate_window,
    decision_window,
    recognition_window,
)
from dangvu.domain.badges import MILESTONES, next_occasion
from dangvu.domain.calendar import DEFAULT_CALENDAR, Calendar
from dangvu.domain.membership import DEFAULT_DEADLINES, AdmissionDeadlines, EventKind, official_date
from dangvu.domain.vietnamese import add_months, fmt_date, fold
from dangvu.members.models import Member, MemberEvent, MembershipSpan
from dangvu.orgs.models import Organization
from dangvu.orgs.queries import subtree_ids

from .models import AlertKind, BadgeAward, Candidate

# In the order the alerts page groups them: the admission pipeline first, then the members' milestones.
KIND_LABELS = {
    k: str(k.label)
    for k in (AlertKind.DECISION, AlertKind.CERTIFICATE, AlertKind.CEREMONY, AlertKind.RECOGNITION, AlertKind.BADGE)
}
SOURCES = {
    AlertKind.DECISION: "Hướng dẫn 01-HD/TW, 3.2",
    AlertKind.CERTIFICATE: "hướng dẫn địa phương",
    AlertKind.CEREMONY: "Hướng dẫn 01-HD/TW, 3.3",
    AlertKind.RECOGNITION: "Điều lệ Đảng 2011, Điều 5",
    AlertKind.BADGE: "Hướng dẫn 01-HD/TW, 18",
}


@dataclass(frozen=True)
class Alert:
    kind: str  # AlertKind
    overdue: bool
    due_on: dt.date
    subject: str
    message: str
    source: str = ""
    # What the alert is about, for its link: a member's profile, or a candidate's step in the admission pipeline.
    member_code: str = ""
    candidate_id: int | None = None
    org_id: int | None = None  # the unit it concerns (the candidate's, or the member's on the day)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(AlertKind(self.kind), "")


def alert_of(
    kind: str,
    window: Window,
    on: dt.date,
    name: str,
    *,
    starts_on: dt.date,
    milestone: int | None = None,
    deadlines: AdmissionDeadlines = DEFAULT_DEADLINES,
    member_code: str = "",
    candidate_id: int | None = None,
    org_id: int | None = None,
) -> Alert:
    """One alert as the pages show it, from its window (domain.alerts) and the date its rule counts from: the
    branch's vote, the admission decision, the end of probation, the course, the milestone day. Both the computed
    and the stored paths build their alerts here."""
    dl = deadlines
    due = window.due_on or next_occasion(on)
    if kind == AlertKind.DECISION:
        message = (
            f"{name}: chi bộ đề nghị kết nạp ngày {fmt_date(starts_on)}, cấp ủy phải "
            f"quyết định trước {fmt_date(due)} ({dl.decision_working_days} ngày làm việc)."
        )
    elif kind == AlertKind.CERTIFICATE:
        message = f"{name}: giấy chứng nhận lớp nhận thức về Đảng đã quá {dl.certificate_years} năm."
    elif kind == AlertKind.CEREMONY:
        message = (
            f"{name}: chưa tổ chức lễ kết nạp; hạn {fmt_date(due)} "
            f"({dl.ceremony_working_days} ngày làm việc từ quyết định)."
        )
    elif kind == AlertKind.RECOGNITION:
        message = (
            f"{name}: hết 12 tháng dự bị ngày {fmt_date(starts_on)}; xét công nhận chính thức trước {fmt_date(due)}."
        )
    else:
        message = (
            f"{name}: đủ {milestone} năm tuổi Đảng trước dịp trao {fmt_date(due)}; "
            f"đề nghị tặng Huy hiệu {milestone} năm."
        )
    return Alert(
        kind,
        window.overdue(on),
        due,
        name,
        message,
        SOURCES[AlertKind(kind)],
        member_code=member_code,
        candidate_id=candidate_id,
        org_id=org_id,
    )


def alerts(
    root: Organization,
    on: dt.date,
    calendar: Calendar = DEFAULT_CALENDAR,
    deadlines: AdmissionDeadlines = DEFAULT_DEADLINES,
) -> list[Alert]:
    """Deadlines of the admission pipeline (domain.membership.AdmissionDeadlines, counted on the working-day
    calendar) due within the next few working days or overdue, and the badges due, for root's subtree on `on`.
    Computed whole from the records; work.due keeps the same alerts stored (the pages read those)."""
    dl = deadlines
    # The subtree's units as a list, not a subquery: PostgreSQL then probes each unit's spans by index instead of
    # scanning every span of the country (a province's alerts: 2,4 s → see BENCHMARKS.md).
    units = subtree_ids(root, on)
    out: list[Alert] = []
    for c in Candidate.objects.filter(organization_id__in=units).exclude(stage__in=["admitted", "dropped"]):
        for kind, w, starts in candidate_windows(c, calendar, dl):
            if w.shows(on):
                out.append(
                    alert_of(
                        kind,
                        w,
                        on,
                        c.full_name,
                        starts_on=starts,
                        deadlines=dl,
                        candidate_id=c.pk,
                        org_id=c.organization_id,
                    )
                )
    members = MembershipSpan.objects.on(on).filter(organization_id__in=units)
    # Ceremonies not yet held, and probation ending or overdue for recognition.
    # Read as a list first: as a subquery PostgreSQL took a province's probationary members (3% of them) for a
    # quarter and scanned every admission of the country (Hanoi: 3,4 s).
    unit_of = dict(members.filter(status="probationary").values_list("member_id", "organization_id"))
    probationary = list(unit_of)
    entries = (
        MemberEvent.objects.filter(member_id__in=probationary, kind__in=[EventKind.ADMISSION, EventKind.READMISSION])
        .select_related("member")
        .order_by("member_id", "on")
    )
    latest = {e.member_id: e for e in entries}  # a readmitted member: only the latest entry counts
    for e in latest.values():
        kind, w, starts = entry_window(e.on, e.ceremony_on, calendar, dl)
        if w.shows(on):
            out.append(
                alert_of(
                    kind,
                    w,
                    on,
                    e.member.full_name,
                    starts_on=starts,
                    deadlines=dl,
                    member_code=e.member.code,
                    org_id=unit_of.get(e.member_id),
                )
            )
    out += badges_due(root, on)
    return sorted(out, key=lambda a: (not a.overdue, a.due_on, a.kind))


def candidate_windows(
    c: Candidate, calendar: Calendar = DEFAULT_CALENDAR, deadlines: AdmissionDeadlines = DEFAULT_DEADLINES
) -> list[tuple[str, Window, dt.date]]:
    """A candidate's deadlines still open: the committee's decision after the branch's vote, the certificate."""
    out = []
    if c.stage == Candidate.Stage.VOTED and c.branch_vote_on:
        out.append((AlertKind.DECISION.value, decision_window(c.branch_vote_on, calendar, deadlines), c.branch_vote_on))
    if c.awareness_course_on:
        out.append(
            (AlertKind.CERTIFICATE.value, certificate_window(c.awareness_course_on, deadlines), c.awareness_course_on)
        )
    return out


def entry_window(
    decided_on: dt.date,
    ceremony_on: dt.date | None,
    calendar: Calendar = DEFAULT_CALENDAR,
    deadlines: AdmissionDeadlines = DEFAULT_DEADLINES,
) -> tuple[str, Window, dt.date]:
    """A probationary member's next step after their latest entry: the ceremony, or the recognition."""
    if ceremony_on is None:
        return AlertKind.CEREMONY.value, ceremony_window(decided_on, calendar, deadlines), decided_on
    return AlertKind.RECOGNITION.value, recognition_window(ceremony_on, calendar, deadlines), official_date(ceremony_on)


def badges_due(root: Organization, on: dt.date) -> list[Alert]:
    """Members in the subtree who reach a badge milestone by the next awarding occasion and have no badge for it.
    Party age from the first admission decision minus time outside (domain.membership.party_age_years)."""
    from dangvu.domain.membership import History, derive, party_age_years
    from dangvu.members.services import as_domain

    occasion = next_occasion(on)
    year_ago = on - dt.timedelta(days=365)
    units = subtree_ids(root, on)
    ids = MembershipSpan.objects.on(on).filter(organization_id__in=units).values("member_id")
    # Only a few members can cross a milestone this year; find them in the query, then derive only what must be
    # (a province has hundreds of thousands of members). Party age never exceeds the time since the admission (one
    # per member: derive() refuses a second), and equals it unless the member was readmitted (the gap is not
    # counted). So a member is a candidate when admitted within a milestone's window (a margin of a month either
    # side), or when readmitted and admitted at least the first milestone ago.
    readmitted = set(
        MemberEvent.objects.filter(member_id__in=ids, kind=EventKind.READMISSION).values_list("member_id", flat=True)
    )
    margin = dt.timedelta(days=31)
    windows = [(add_months(year_ago, -12 * m) - margin, add_months(occasion, -12 * m) + margin) for m in MILESTONES]
    first_milestone = add_months(occasion, -12 * MILESTONES[0])
    in_a_window = functools.reduce(operator.or_, (Q(on__range=w) for w in windows))
    first = dict(
        MemberEvent.objects.filter(member_id__in=ids, kind=EventKind.ADMISSION)
        .filter(in_a_window | Q(member_id__in=list(readmitted), on__lte=first_milestone))
        .order_by("-on")  # should a history hold two admissions, the first one is kept
        .values_list("member_id", "on")
    )

    def may_cross(mid: int, admitted: dt.date) -> bool:
        if mid in readmitted:
            return admitted <= first_milestone
        return any(a <= admitted <= b for a, b in windows)

    candidates = [mid for mid, admitted in first.items() if may_cross(mid, admitted)]
    # A member in the party today who was never readmitted has no time outside it (an exit followed by a
    # restoration leaves none, QĐ 24 4.5): the party age runs from the admission, no history to derive. Only the
    # readmitted members' histories are derived (a province has tens of thousands of candidates).
    ages: dict[int, History] = {
        mid: History(first_admitted_on=first[mid]) for mid in candidates if mid not in readmitted
    }
    events: dict[int, list[MemberEvent]] = {}
    for e in MemberEvent.objects.filter(member_id__in=[m for m in candidates if m in readmitted]).order_by(
        "member_id", "on"
    ):
        events.setdefault(e.member_id, []).append(e)
    ages.update({mid: derive([as_domain(e) for e in evs]) for mid, evs in events.items()})
    given = set(BadgeAward.objects.filter(member_id__in=candidates).values_list("member_id", "milestone"))
    due: dict[int, int] = {}
    for mid, history in ages.items():
        years, before = party_age_years(history, occasion), party_age_years(history, year_ago)
        # Newly due: a milestone crossed between a year ago and the next occasion, not yet awarded.
        reached = [m for m in MILESTONES if before < m <= years and (mid, m) not in given]
        if reached:
            due[mid] = reached[-1]
    names = {
        pk: (name, code)
        for pk, name, code in Member.objects.filter(pk__in=list(due)).values_list("pk", "full_name", "code")
    }
    unit_of = dict(
        MembershipSpan.objects.on(on)
        .filter(member_id__in=list(due), organization_id__in=units)
        .values_list("member_id", "organization_id")
    )
    out = []
    for mid, m in sorted(due.items()):
        name, code = names[mid]
        # The window of the milestone crossed (a year back, up to the next occasion): shown on `on`, never overdue.
        w = Window(None, on, occasion)
        out.append(
            alert_of(
                AlertKind.BADGE, w, on, name, starts_on=occasion, milestone=m, member_code=code, org_id=unit_of.get(mid)
            )
        )
    return out


def select(found: list[Alert], *, kind: str = "", overdue: bool = False, q: str = "") -> list[Alert]:
    """The alerts page's filters, in the order it groups them: by kind (KIND_LABELS' order), the overdue
    first, then by due date."""
    words = fold(q).split()
    order = {k: i for i, k in enumerate(KIND_LABELS)}
    chosen = [
        a
        for a in found
        if (not kind or a.kind == kind) and (not overdue or a.overdue) and all(w in fold(a.subject) for w in words)
    ]
    return sorted(chosen, key=lambda a: (order.get(AlertKind(a.kind), 99), not a.overdue, a.due_on, a.subject))


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    count: int
    overdue: int


def groups(found: list[Alert]) -> list[Group]:
    """How many alerts of each kind (and how many of them overdue), in KIND_LABELS' order; empty kinds left out."""
    out = []
    for k, label in KIND_LABELS.items():
        of_kind = [a for a in found if a.kind == k]
        if of_kind:
            out.append(Group(k.value, label, len(of_kind), sum(1 for a in of_kind if a.overdue)))
    return out
