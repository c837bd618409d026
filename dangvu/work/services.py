"""Changes to work records: one service each, validated, in one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import Q

from dangvu.audit.services import Actor, audit, snapshot
from dangvu.domain.documents import HD36, IMPLEMENTING_PROGRAMME_KIND, PROGRAMME, normalize_term, parse_code, type_name
from dangvu.domain.errors import RuleError
from dangvu.domain.membership import History, Status
from dangvu.domain.vietnamese import fmt_date, nfc
from dangvu.members.models import Member, MembershipSpan
from dangvu.orgs.models import Organization

from . import due
from .export import workbook
from .models import (
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
    Searchable,
    StudySession,
    SuccessionPlan,
    TrainingClass,
)

M = TypeVar("M", bound=models.Model)

# Điều lệ Đảng 2011 Đ.35–36; QĐ 69-QĐ/TW [V membership_orgs §2]: official members: reprimand, warning, dismissal,
# expulsion; probationary members: reprimand and warning only; organizations: reprimand, warning, disbandment.
MEMBER_FORMS = {
    Status.OFFICIAL: {"reprimand", "warning", "dismissal", "expulsion"},
    Status.PROBATIONARY: {"reprimand", "warning"},
}
ORG_FORMS = {"reprimand", "warning", "disbandment"}


def discipline_check(*, form: str, decided_on: dt.date, member_status: str | None = "") -> None:
    """The forms allowed for the subject (pure; discipline_record and the import share it). member_status is the
    member's status on the decision date, None when the person was not a member then; "" for an organization."""
    label = dict(Discipline.Form.choices).get(form, form)
    if member_status is None:
        raise RuleError(
            f"Vào ngày {fmt_date(decided_on)} người này không sinh hoạt trong tổ chức nào của hệ thống.",
            field="decided_on",
        )
    if member_status:
        if form not in MEMBER_FORMS[Status(member_status)]:
            raise RuleError(
                f"Đảng viên {'dự bị' if member_status == Status.PROBATIONARY else 'chính thức'} không thể bị "
                f"kỷ luật bằng hình thức '{label}'.",
                field="form",
                source="Điều lệ Đảng 2011, Điều 35; Quy định 69-QĐ/TW",
            )
    elif form not in ORG_FORMS:
        raise RuleError(
            f"Tổ chức đảng không thể bị kỷ luật bằng hình thức '{label}'.",
            field="form",
            source="Điều lệ Đảng 2011, Điều 35",
        )


def _create(model: type[M], *, actor: Actor, action: str, **fields: Any) -> M:
    obj = model(**{k: nfc(v) if isinstance(v, str) else v for k, v in fields.items()})
    obj.full_clean(exclude=[f.name for f in model._meta.fields if f.name not in fields])
    obj.save()
    audit(actor=actor, action=action, obj=obj, after=snapshot(obj))
    return obj


@transaction.atomic
def discipline_record(
    *,
    form: str,
    decided_on: dt.date,
    actor: Actor,
    member: Member | None = None,
    organization: Organization | None = None,
    **fields: Any,
) -> Discipline:
    if (member is None) == (organization is None):
        raise RuleError("Kỷ luật một đảng viên hoặc một tổ chức đảng.", field="member")
    if member is not None:
        span = MembershipSpan.objects.on(decided_on).filter(member=member).first()
        discipline_check(form=form, decided_on=decided_on, member_status=span.status if span else None)
    else:
        discipline_check(form=form, decided_on=decided_on)
    return _create(
        Discipline,
        actor=actor,
        action="discipline_record",
        member=member,
        organization=organization,
        form=form,
        decided_on=decided_on,
        **fields,
    )


@transaction.atomic
def candidate_register(*, actor: Actor, **fields: Any) -> Candidate:
    c = _create(Candidate, actor=actor, action="candidate_register", **fields)
    due.refresh_candidates([c.pk])
    return c


@transaction.atomic
def candidate_vote(*, candidate: Candidate, voted_on: dt.date, actor: Actor) -> Candidate:
    """The branch reviews and proposes the admission: from here the committee has 60 working days to decide."""
    if not candidate.dossier_complete:
        raise RuleError("Hồ sơ chưa đủ: chưa thể đưa ra chi bộ xét.", field="dossier_complete")
    if candidate.awareness_course_on is None:
        raise RuleError("Chưa có giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng.", field="awareness_course_on")
    before = snapshot(candidate)
    candidate.branch_vote_on, candidate.stage = voted_on, Candidate.Stage.VOTED
    candidate.save(update_fields=["branch_vote_on", "stage"])
    audit(actor=actor, action="candidate_vote", obj=candidate, before=before, after=snapshot(candidate))
    due.refresh_candidates([candidate.pk])
    return candidate


@transaction.atomic
def candidate_admit(
    *,
    candidate: Candidate,
    decided_on: dt.date,
    ceremony_on: dt.date | None,
    actor: Actor,
    decision_ref: str = "",
    **profile: Any,
) -> Member:
    """The committee's decision: the candidate becomes a member through the membership services."""
    from dangvu.members.services import Admission, member_create

    if candidate.stage != Candidate.Stage.VOTED or candidate.branch_vote_on is None:
        raise RuleError("Chi bộ chưa xét, đề nghị kết nạp.", field="stage")
    member = member_create(
        actor=actor,
        full_name=candidate.full_name,
        gender=candidate.gender,
        birth_date=candidate.birth_date,
        introducers=candidate.introducers,
        admission=Admission(
            org=candidate.organization,
            decided_on=decided_on,
            ceremony_on=ceremony_on,
            category=candidate.category or "general",
            decision_ref=decision_ref,
            reviewed_on=candidate.branch_vote_on,
        ),
        **profile,
    )
    candidate.member, candidate.stage = member, Candidate.Stage.ADMITTED
    candidate.save(update_fields=["member", "stage"])
    audit(actor=actor, action="candidate_admit", obj=candidate, after={"member": member.code})
    due.refresh_candidates([candidate.pk])
    return member


@transaction.atomic
def inspection_record(*, actor: Actor, **fields: Any) -> Inspection:
    return _create(Inspection, actor=actor, action="inspection_record", **fields)


@transaction.atomic
def petition_receive(*, actor: Actor, **fields: Any) -> Petition:
    return _create(Petition, actor=actor, action="petition_receive", **fields)


@transaction.atomic
def petition_conclude(*, petition: Petition, concluded_on: dt.date, outcome: str, actor: Actor) -> Petition:
    if concluded_on < petition.received_on:
        raise RuleError("Ngày kết luận trước ngày nhận đơn.", field="concluded_on")
    before = snapshot(petition)
    petition.concluded_on, petition.outcome = concluded_on, nfc(outcome)
    petition.save(update_fields=["concluded_on", "outcome"])
    audit(actor=actor, action="petition_conclude", obj=petition, before=before, after=snapshot(petition))
    return petition


@transaction.atomic
def post_assign(*, actor: Actor, **fields: Any) -> Post:
    return _create(Post, actor=actor, action="post_assign", **fields)


@transaction.atomic
def succession_plan_add(*, actor: Actor, **fields: Any) -> SuccessionPlan:
    return _create(SuccessionPlan, actor=actor, action="succession_plan_add", **fields)


@transaction.atomic
def cadre_move_record(*, actor: Actor, **fields: Any) -> CadreMove:
    return _create(CadreMove, actor=actor, action="cadre_move_record", **fields)


@transaction.atomic
def training_class_record(*, actor: Actor, attendees: list[Member] | None = None, **fields: Any) -> TrainingClass:
    """A class; for political-theory classes the attendees' theory level is raised when it is lower."""
    cls = _create(TrainingClass, actor=actor, action="training_class_record", **fields)
    if attendees:
        cls.attendees.set(attendees)
        if not cls.attendances:
            cls.attendances = len(attendees)
            cls.save(update_fields=["attendances"])
        theory_raise(cls, attendees, actor=actor)
    return cls


THEORY_ORDER = ["", "elementary", "intermediate", "advanced", "bachelor"]


def theory_raise(cls: TrainingClass, attendees: list[Member], *, actor: Actor) -> int:
    """After a political-theory class, raise each attendee's theory level when it is lower; returns how many."""
    if cls.kind not in ("elementary", "intermediate"):
        return 0
    raised = 0
    for m in attendees:
        if THEORY_ORDER.index(m.political_theory) < THEORY_ORDER.index(cls.kind):
            before = m.political_theory
            m.political_theory = cls.kind
            m.save(update_fields=["political_theory"])
            audit(
                actor=actor,
                action="member_update",
                obj=m,
                before={"political_theory": before},
                after={"political_theory": cls.kind},
                reason=f"Tốt nghiệp lớp {cls.title}",
            )
            raised += 1
    return raised


@transaction.atomic
def study_session_record(*, actor: Actor, attendees: list[Member] | None = None, **fields: Any) -> StudySession:
    """A session studying a document; with the attendees named, their number is the participants' unless given."""
    if attendees and fields.get("participants") is None:
        fields["participants"] = len(attendees)
    if fields.get("participants", 0) > fields.get("expected", 0):
        raise RuleError("Số đảng viên dự nhiều hơn số phải dự.", field="participants")
    if attendees and len(attendees) > fields["participants"]:
        raise RuleError(f"Số đảng viên dự ít hơn số người ghi tên ({len(attendees)}).", field="participants")
    session = _create(StudySession, actor=actor, action="study_session_record", **fields)
    if attendees:
        session.attendees.set(attendees)
    return session


def document_identity(
    *, organization: Organization | None, issuer: str, issuer_name: str, type: str, number: int, term: str
) -> Q:
    """The stored documents that are this one: the same issuing organization, type, number and term (HD 36
    II.1: numbers restart for each type in each committee term); outside the system, the same symbol and name."""
    if organization is not None:
        return Q(organization=organization, type=type, number=number, term=term)
    return Q(organization__isnull=True, issuer=issuer, issuer_name=issuer_name, type=type, number=number, term=term)


@transaction.atomic
def document_register(
    *,
    code: str,
    term: str,
    actor: Actor,
    issued_on: dt.date | None = None,
    subject: str = "",
    organization: Organization | None = None,
    issuer_name: str = "",
    programme_kind: str = "",
    implements: list[Document] | None = None,
) -> Document:
    """Register 'Số 36-CTr/TU, ngày 5/5/2008' issued by `organization` (None for an issuer outside the system,
    named by `issuer_name`). The term is kept in one form ('2015-2020' → '2015–2020'); '…-CTHĐ/…' is read as
    the action programme '…-CTr/…' (HD 36 has no CTHĐ)."""
    c = parse_code(code)
    when = issued_on or c.issued_on
    if when is None:
        raise RuleError(f"Thiếu ngày ban hành của văn bản {c.code}.", field="issued_on")
    term = normalize_term(term)
    kind = programme_kind or c.kind
    if kind and c.type != PROGRAMME:
        raise RuleError(
            f"Chỉ chương trình (CTr) mới có loại chương trình; {c.code} là {type_name(c.type).lower()}.",
            field="programme_kind",
        )
    if c.type == PROGRAMME and not kind and implements:
        kind = IMPLEMENTING_PROGRAMME_KIND
    issuer_name = "" if organization is not None else nfc(issuer_name)
    same = document_identity(
        organization=organization, issuer=c.issuer, issuer_name=issuer_name, type=c.type, number=c.number, term=term
    )
    if Document.objects.filter(same).exists():
        whose = ""
        if organization is not None:  # the committee by name and code, as on every refusal
            version = organization.version_on(when)
            whose = f" của {version.name} ({organization.code})" if version else f" của {organization.code}"
        raise RuleError(
            f"Văn bản {c.code}{whose} nhiệm kỳ {term} đã có (số văn bản chỉ dùng một lần cho mỗi loại trong một "
            "nhiệm kỳ cấp ủy).",
            field="code",
            source=HD36,
        )
    doc = _create(
        Document,
        actor=actor,
        action="document_register",
        issuer=c.issuer,
        type=c.type,
        programme_kind=kind,
        number=c.number,
        term=term,
        issued_on=when,
        subject=subject,
        organization=organization,
        issuer_name=issuer_name,
    )
    if implements:
        doc.implements.set(implements)
    return doc


@transaction.atomic
def commendation_grant(*, actor: Actor, **fields: Any) -> Commendation:
    if (fields.get("member") is None) == (fields.get("organization") is None):
        raise RuleError("Khen thưởng một đảng viên hoặc một tổ chức.", field="member")
    return _create(Commendation, actor=actor, action="commendation_grant", **fields)


def badge_check(
    h: History,
    *,
    confirmed_from: dt.date | None,
    milestone: int,
    awarded_on: dt.date,
    posthumous: bool = False,
    ill: bool = False,
) -> None:
    """Huy hiệu Đảng only at a milestone the party age reaches by the awarding date (pure; badge_award and the
    import share it). Early for the ill or deceased, Hướng dẫn 01-HD/TW, 18."""
    from dangvu.domain.badges import MILESTONES, eligible_from, milestone_due

    if milestone not in MILESTONES:
        raise RuleError(
            f"Không có Huy hiệu {milestone} năm tuổi Đảng ({', '.join(map(str, MILESTONES))}).", field="milestone"
        )
    if h.first_admitted_on is None:
        raise RuleError("Chưa có quyết định kết nạp.", field="member")
    gap_days = sum((min(g.end, awarded_on) - g.start).days for g in h.gaps if g.start < awarded_on)
    start = confirmed_from or h.first_admitted_on + dt.timedelta(days=gap_days)
    due = milestone_due(start, milestone)
    earliest = eligible_from(due, milestone, ill=ill, deceased=posthumous)
    if awarded_on < earliest:
        raise RuleError(
            f"Đến ngày {fmt_date(awarded_on)} chưa đủ {milestone} năm tuổi Đảng (đủ ngày {fmt_date(due)}).",
            field="awarded_on",
            source="Hướng dẫn 01-HD/TW, 18",
        )


@transaction.atomic
def badge_award(
    *,
    member: Member,
    milestone: int,
    awarded_on: dt.date,
    actor: Actor,
    decision_ref: str = "",
    posthumous: bool = False,
    ill: bool = False,
) -> BadgeAward:
    """Huy hiệu Đảng: only at a milestone the party age reaches (early for the ill or deceased, HD 01 §18)."""
    from dangvu.members.services import history_of

    badge_check(
        history_of(member),
        confirmed_from=member.party_age_confirmed_from,
        milestone=milestone,
        awarded_on=awarded_on,
        posthumous=posthumous,
        ill=ill,
    )
    if BadgeAward.objects.filter(member=member, milestone=milestone).exists():
        raise RuleError(f"Đã trao Huy hiệu {milestone} năm.", field="milestone")
    award = _create(
        BadgeAward,
        actor=actor,
        action="badge_award",
        member=member,
        milestone=milestone,
        awarded_on=awarded_on,
        decision_ref=decision_ref,
        posthumous=posthumous,
    )
    due.refresh_members([member.pk])
    return award


@transaction.atomic
def free_indicator_set(*, actor: Actor, **fields: Any) -> FreeIndicator:
    return _create(FreeIndicator, actor=actor, action="free_indicator_set", **fields)


@transaction.atomic
def records_load(
    model: type[M],
    rows: list[dict[str, Any]],
    *,
    actor: Actor,
    action: str = "records_load",
    numbers: list[int] | None = None,
) -> list[M]:
    """Bulk path for imports and the generator: every row validated like the one-by-one services (full_clean),
    then one bulk insert and one audit entry naming the count. `numbers` names the rows as the caller counts
    them (an import's Excel rows; the error's field is then that number)."""
    objs = []
    for i, fields in enumerate(rows, start=1):
        obj = model(**{k: nfc(v) if isinstance(v, str) else v for k, v in fields.items()})
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except Exception as e:  # ValidationError: name the row
            n = numbers[i - 1] if numbers else i
            raise RuleError(f"{model._meta.verbose_name} dòng {n}: {e}", field=str(n)) from e
        if isinstance(obj, Searchable):
            obj.refresh_search()  # bulk_create does not call save()
        objs.append(obj)
    model._default_manager.bulk_create(objs, batch_size=2000)
    # The stored alerts of what was loaded (work.due): candidates' deadlines, members' badges.
    if model is Candidate:
        due.refresh_candidates(o.pk for o in objs)
    elif model is BadgeAward:
        due.refresh_members(o.member_id for o in objs)  # type: ignore[attr-defined]
    audit(
        actor=actor,
        action=action,
        object_type=model._meta.label_lower,
        object_id=f"{len(objs)} rows",
        after={"rows": len(objs)},
    )
    return objs


@transaction.atomic
def records_export(
    *,
    list_title: str,
    slug: str,
    header: list[str],
    rows: list[list[str]],
    filters: dict[str, str],
    actor: Actor,
    on: dt.datetime,
) -> bytes:
    """A work list as filtered, as an XLSX file naming who exported it and when; the export is audited (what,
    with which filters, how many rows) in the same transaction."""
    described = ", ".join(f"{k}: {v}" for k, v in filters.items())
    title = (
        f"{list_title}{' (' + described + ')' if described else ''} — xuất bởi {actor.label} lúc {on:%H:%M} "
        f"ngày {fmt_date(on.date())}"
    )
    data = workbook(sheet=list_title, title=title, header=header, rows=rows)
    audit(
        actor=actor,
        action="records_export",
        object_type="work.list",
        object_id=slug,
        after={"danh sách": list_title, "bộ lọc": filters, "số dòng": len(rows)},
    )
    return data
