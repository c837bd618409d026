"""Review changes: open a cycle, record a stage, decide, flag exemplary, close, reopen.

Every decision — one from a form, thousands from an import or the generator — goes through
`decide_many`: facts are loaded in bulk, each decision is checked against the regime's caps, the
quota and the rating order, and nothing is written unless all pass.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from dangvu.audit.services import Actor, audit
from dangvu.db import refresh_statistics
from dangvu.domain.assessment.levels import Stage, is_bottom, is_top
from dangvu.domain.assessment.quota import quota_verdict
from dangvu.domain.assessment.regimes import REGIMES, regime_for_year
from dangvu.domain.assessment.rules import (
    OrgFacts,
    Outcome,
    assess_member,
    assess_org,
    check_decision,
    org_not_rated,
    score_from_points,
)
from dangvu.domain.errors import RuleError
from dangvu.domain.orgtree import ABOVE_GRASSROOTS, GRASSROOTS, ORG_KIND_LABELS
from dangvu.domain.vietnamese import fmt_date
from dangvu.locks import conflicts_as_messages
from dangvu.orgs.models import Organization, OrgVersion

from .facts import ORG_ORDER, OrgFactsBuilder, Roster, build_roster, cycle_regime, member_facts, org_facts
from .models import AssessmentCycle, MemberYearFacts, OrgYearFacts, Rating, Result, ResultTally
from .subjects import out_of_scope, subject_names
from .tallies import tallies_remove, tallies_write

# [I] The day of rating when a committee does not set one: mid-December (state ratings are due before
# 15 December, assessment_rules §7).
DEFAULT_RATED_ON = (12, 15)
# Who decides the year's levels and so opens a cycle (HD 21 [V], assessment_rules §7): the grassroots committee or
# grassroots branch for its members and branches, the committees above for the organizations under them. A branch
# under a grassroots committee, a partial committee and a cell propose; they do not decide.
DECIDING_KINDS = frozenset({*GRASSROOTS, *ABOVE_GRASSROOTS})


class DecisionErrors(RuleError):
    """Several refused decisions at once: [(index in the batch, message)]."""

    def __init__(self, errors: list[tuple[int, str]], *, outside: set[int] | None = None) -> None:
        self.errors = errors
        self.outside = outside or set()  # indices of subjects that are not the cycle's to decide
        super().__init__(
            "; ".join(m for _, m in errors[:20]) + (f" … (+{len(errors) - 20})" if len(errors) > 20 else "")
        )


@dataclass(frozen=True)
class Decision:
    subject: str  # "m" member | "o" organization
    subject_id: int
    level: str
    exemplary: bool = False
    override_reason: str = ""
    comment: str = ""
    grades: dict[str, str] = field(default_factory=dict)
    score: Decimal | None = None


# What a person reads when another session's write got there first and broke a constraint (a result recorded for
# the same member or organization of the year): nothing of theirs was written.
CONFLICT_MESSAGE = (
    "Một phiên làm việc khác vừa ghi kết quả xếp loại cho cùng đối tượng nên thay đổi này chưa được ghi; "
    "xin tải lại trang và thử lại."
)
# Subjects whose results are locked by one statement (PostgreSQL's parameter limit is far above).
LOCK_BATCH = 5000


def _lock(cycle: AssessmentCycle, *, share: bool = False) -> AssessmentCycle:
    """Take the cycle's row lock and read its status under it, into the caller's object.

    Every service that decides, closes or reopens takes it exclusively first, so on one cycle they run one after
    the other: what they read (the cycle's status, the results, the quota) is what they write over. Stage opinions
    and the year's facts take it shared (PostgreSQL's FOR SHARE): they run side by side, never during a decision,
    a close or a reopen. SQLite: transactions begin IMMEDIATE, one writer at a time."""
    if share and connection.vendor == "postgresql":
        with connection.cursor() as cur:
            table = connection.ops.quote_name(AssessmentCycle._meta.db_table)
            cur.execute(f"SELECT status, closed_at FROM {table} WHERE id = %s FOR SHARE", [cycle.pk])
            row = cur.fetchone()
        if row is None:
            raise AssessmentCycle.DoesNotExist
        cycle.status, cycle.closed_at = row
        return cycle
    fresh = AssessmentCycle.objects.select_for_update().only("status", "closed_at").get(pk=cycle.pk)
    cycle.status, cycle.closed_at = fresh.status, fresh.closed_at
    return cycle


def _lock_results(cycle: AssessmentCycle, decisions: list[Decision]) -> None:
    """Lock the year's results of the subjects decided, in the order of their ids (a fixed order: two sessions
    locking overlapping sets never wait for each other in a circle). The cycle's lock already orders the sessions
    of one cycle; these keep a nested cycle (a city's, over a district's organizations) from changing them too.
    SQLite has no row locks (one writer at a time already): nothing to read."""
    if not connection.features.has_select_for_update:
        return
    for kind, name in (("m", "member_id"), ("o", "organization_id")):
        ids = sorted({d.subject_id for d in decisions if d.subject == kind})
        for i in range(0, len(ids), LOCK_BATCH):
            list(
                Result.objects.select_for_update()
                .filter(year=cycle.year, **{f"{name}__in": ids[i : i + LOCK_BATCH]})
                .order_by("pk")
                .values_list("pk", flat=True)
            )


def _open(cycle: AssessmentCycle) -> None:
    if cycle.status != AssessmentCycle.Status.OPEN:
        raise RuleError(
            f"Đợt đánh giá năm {cycle.year} đã kết thúc; cần mở lại (có lý do) trước khi sửa.", field="cycle"
        )


OPEN_CONFLICT = "Năm này vừa có đợt đánh giá của cấp ủy được mở từ một phiên làm việc khác."


@conflicts_as_messages(OPEN_CONFLICT, field="committee")
@transaction.atomic
def cycle_open(
    *, committee: Organization, year: int, actor: Actor, regime: str | None = None, rated_on: dt.date | None = None
) -> AssessmentCycle:
    """Open the year's review for a committee's subtree. The year picks the regime; a committee can pin
    another (e.g. the armed forces' own rules)."""
    code = regime or regime_for_year(year).code
    if code not in REGIMES:
        raise RuleError(f"Không có quy định '{code}'.", field="regime")
    on = rated_on or dt.date(year, *DEFAULT_RATED_ON)
    version = committee.version_on(on)
    if version is None:
        raise RuleError(f"Tổ chức '{committee.code}' không hoạt động vào ngày {fmt_date(on)}.", field="committee")
    if version.kind not in DECIDING_KINDS:
        raise RuleError(
            f"{ORG_KIND_LABELS.get(version.kind, 'Tổ chức')} {committee.code} – {version.name} không quyết định xếp "
            "loại: đảng ủy cơ sở, chi bộ cơ sở hoặc cấp ủy cấp trên mở đợt đánh giá.",
            field="committee",
        )
    if AssessmentCycle.objects.filter(year=year, committee=committee).exists():
        raise RuleError(
            f"Năm {year} đã có đợt đánh giá của {committee.code} – {version.name}.",
            field="committee",
        )
    cycle = AssessmentCycle.objects.create(year=year, committee=committee, regime=code, rated_on=on)
    audit(actor=actor, action="cycle_open", obj=cycle, after={"year": year, "regime": code, "rated_on": on.isoformat()})
    return cycle


@conflicts_as_messages(CONFLICT_MESSAGE)
@transaction.atomic
def rating_record(
    *,
    cycle: AssessmentCycle,
    stage: str,
    actor: Actor,
    member_id: int | None = None,
    organization_id: int | None = None,
    level: str = "",
    grades: dict[str, str] | None = None,
    score: Decimal | None = None,
    points: dict[str, Decimal | None] | None = None,
    comment: str = "",
) -> Rating:
    """Store one stage's opinion (self-review, branch proposal, review). Decisions go through decide_many.
    In a scored regime (QĐ 366) the points per criterion group give the score."""
    _lock(cycle, share=True)
    _open(cycle)
    if points:
        score = score_from_points(points, cycle_regime(cycle).member_criteria)
    if level and level not in cycle_regime(cycle).member_levels + cycle_regime(cycle).org_levels:
        raise RuleError("Mức xếp loại không thuộc thang của quy định áp dụng.", field="level")
    if stage == Stage.DECISION:
        raise RuleError("Quyết định xếp loại ghi qua bước quyết định của cấp ủy.", field="stage")
    subject = {"member_id": member_id} if member_id is not None else {"organization_id": organization_id}
    if Result.objects.filter(year=cycle.year, **subject).exclude(level="", not_rated="").exists():
        raise RuleError("Đã có quyết định xếp loại; không ghi thêm ý kiến các bước trước.", field="stage")
    r = Rating.objects.create(
        cycle=cycle,
        member_id=member_id,
        organization_id=organization_id,
        stage=stage,
        level=level,
        grades=grades or {},
        score=score,
        points={k: str(v) for k, v in (points or {}).items() if v is not None},
        comment=comment,
        actor_label=actor.label,
    )
    audit(actor=actor, action="rating_record", obj=r, after={"stage": stage, "level": level, "score": str(score or "")})
    return r


@dataclass(frozen=True)
class YearFacts:
    """What a member's year brings that the party records do not hold (MemberYearFacts)."""

    tasks_completed: Decimal | None = None  # share 0..1
    tasks_exceeded: Decimal | None = None  # share 0..1
    sick_leave_months: int = 0
    civil_servant: bool = False
    state_rating: str = ""


@conflicts_as_messages(CONFLICT_MESSAGE)
@transaction.atomic
def year_facts_record(*, cycle: AssessmentCycle, member_id: int, facts: YearFacts, actor: Actor) -> MemberYearFacts:
    """Record a member's facts for the cycle's year (the share of tasks completed and exceeded, sick leave, the
    state rating): the caps of the rules read them (HD 21 II.B.2.3, II.6; QĐ 124/366 Art. 11)."""
    _lock(cycle, share=True)
    _open(cycle)
    if Result.objects.filter(year=cycle.year, member_id=member_id).exclude(level="", not_rated="").exists():
        raise RuleError("Đã có quyết định xếp loại; không sửa số liệu của năm.", field="facts")
    for name, value in (("tasks_completed", facts.tasks_completed), ("tasks_exceeded", facts.tasks_exceeded)):
        if value is not None and not Decimal(0) <= value <= Decimal(1):
            raise RuleError("Tỷ lệ phải từ 0% đến 100%.", field=name)
    if facts.tasks_exceeded and (facts.tasks_completed is None or facts.tasks_exceeded > facts.tasks_completed):
        raise RuleError("Tỷ lệ nhiệm vụ vượt mức không lớn hơn tỷ lệ hoàn thành.", field="tasks_exceeded")
    if not 0 <= facts.sick_leave_months <= 12:
        raise RuleError("Số tháng nghỉ ốm phải từ 0 đến 12.", field="sick_leave_months")
    if facts.state_rating and facts.state_rating not in cycle_regime(cycle).member_levels:
        raise RuleError("Mức xếp loại bên chính quyền không hợp lệ.", field="state_rating")
    # Read under the row's lock: the audit's "before" is what this change replaces.
    row, _ = MemberYearFacts.objects.select_for_update().get_or_create(member_id=member_id, year=cycle.year)
    before = {
        "tasks_completed": str(row.tasks_completed or ""),
        "tasks_exceeded": str(row.tasks_exceeded or ""),
        "sick_leave_months": row.sick_leave_months,
        "state_rating": row.state_rating,
    }
    row.tasks_completed, row.tasks_exceeded = facts.tasks_completed, facts.tasks_exceeded
    row.sick_leave_months = facts.sick_leave_months
    row.civil_servant = facts.civil_servant or bool(facts.state_rating)
    row.state_rating = facts.state_rating
    row.save()
    audit(
        actor=actor,
        action="year_facts_record",
        obj=row,
        before=before,
        after={
            "member_id": member_id,
            "year": cycle.year,
            "tasks_completed": str(row.tasks_completed or ""),
            "tasks_exceeded": str(row.tasks_exceeded or ""),
            "sick_leave_months": row.sick_leave_months,
            "state_rating": row.state_rating,
        },
    )
    return row


def outcomes(roster: Roster, results: dict[tuple[str, int], Any]) -> tuple[dict[int, Outcome], dict[int, Outcome]]:
    """The rules' verdict for every member and organization of the roster."""
    mf = member_facts(roster)
    m_out = {mid: assess_member(f, roster.regime) for mid, f in mf.items()}
    of = org_facts(roster, results)
    o_out = {oid: assess_org(f, roster.regime) for oid, f in of.items()}
    return m_out, o_out


@dataclass
class Prior:
    """An existing result, loaded as values (a district has tens of thousands)."""

    pk: int
    level: str
    exemplary: bool
    override_reason: str


def _existing(cycle: AssessmentCycle) -> dict[tuple[str, int], Prior]:
    out: dict[tuple[str, int], Prior] = {}
    for pk, mid, oid, level, ex, reason in Result.objects.filter(cycle=cycle).values_list(
        "pk", "member_id", "organization_id", "level", "exemplary", "override_reason"
    ):
        out[("m", mid) if mid is not None else ("o", oid)] = Prior(pk, level, ex, reason)
    return out


def nested_results(roster: Roster) -> dict[tuple[str, int], Prior]:
    """Results of the year for the sub-units of this roster's organizations that a nested cycle decides (the
    grassroots organizations under a district that the city rates), and for the members of a nested grassroots
    branch (chi bộ cơ sở) that rates its own members."""
    outside = {k for oid in roster.orgs for k in roster.children.get(oid, []) if k not in roster.orgs}
    out: dict[tuple[str, int], Prior] = {}
    if outside:
        for pk, oid, level, ex, reason in Result.objects.filter(
            year=roster.cycle.year, organization_id__in=outside
        ).values_list("pk", "organization_id", "level", "exemplary", "override_reason"):
            out[("o", oid)] = Prior(pk, level, ex, reason)
    if roster.nested_member_unit:
        for pk, mid, level, ex, reason in Result.objects.filter(
            year=roster.cycle.year, member_id__in=list(roster.nested_member_unit)
        ).values_list("pk", "member_id", "level", "exemplary", "override_reason"):
            out[("m", mid)] = Prior(pk, level, ex, reason)
    return out


@conflicts_as_messages(CONFLICT_MESSAGE)
@transaction.atomic
def org_year_facts_record(
    *,
    cycle: AssessmentCycle,
    organization_id: int,
    tasks_completed: Decimal | None,
    tasks_exceeded: Decimal | None,
    actor: Actor,
) -> OrgYearFacts:
    """Record an organization's share of tasks completed and exceeded for the cycle's year: QĐ 366 Art. 11.1 [V]
    asks 100% done and at least 30% beyond for the top level."""
    _lock(cycle, share=True)
    _open(cycle)
    if Result.objects.filter(year=cycle.year, organization_id=organization_id).exclude(level="", not_rated="").exists():
        raise RuleError("Đã có quyết định xếp loại; không sửa số liệu của năm.", field="facts")
    for value in (tasks_completed, tasks_exceeded):
        if value is not None and not Decimal(0) <= value <= Decimal(1):
            raise RuleError("Tỷ lệ phải từ 0% đến 100%.", field="tasks")
    if tasks_exceeded and (tasks_completed is None or tasks_exceeded > tasks_completed):
        raise RuleError("Tỷ lệ nhiệm vụ vượt mức không lớn hơn tỷ lệ hoàn thành.", field="tasks_exceeded")
    row, _ = OrgYearFacts.objects.select_for_update().get_or_create(organization_id=organization_id, year=cycle.year)
    before = {"tasks_completed": str(row.tasks_completed or ""), "tasks_exceeded": str(row.tasks_exceeded or "")}
    row.tasks_completed, row.tasks_exceeded = tasks_completed, tasks_exceeded
    row.save()
    audit(
        actor=actor,
        action="org_year_facts_record",
        obj=row,
        before=before,
        after={
            "organization_id": organization_id,
            "year": cycle.year,
            "tasks_completed": str(tasks_completed or ""),
            "tasks_exceeded": str(tasks_exceeded or ""),
        },
    )
    return row


@dataclass
class SaveReport:
    """What a partial save did: the results written, and the decisions refused with why (index in the batch)."""

    saved: list[Result]
    refused: list[tuple[int, str]]


def decide_many(*, cycle: AssessmentCycle, decisions: list[Decision], actor: Actor) -> list[Result]:
    """All or nothing (imports, the generator, the CLI): every decision passes, or none is written."""
    with conflicts_as_messages(CONFLICT_MESSAGE), transaction.atomic():
        _lock(cycle)
        _open(cycle)
        _lock_results(cycle, decisions)
        roster = build_roster(cycle)
        existing = _existing(cycle)
        errors = _refusals(cycle, roster, decisions, existing)
        if errors:
            # Refusals read on their own (an import, the command line): each names its member or unit.
            outside = {
                i
                for i, d in enumerate(decisions)
                if d.subject_id not in (roster.member_unit if d.subject == "m" else roster.orgs)
            }
            raise DecisionErrors(labelled(roster, decisions, errors), outside=outside)
        return _write(cycle, roster, decisions, existing, actor)


def decisions_save(*, cycle: AssessmentCycle, decisions: list[Decision], actor: Actor) -> SaveReport:
    """Partial save (the web's table): the decisions that pass are written, the refused ones are returned with
    their reasons. Refusing one decision can change another's verdict (the quota counts the batch, organizations
    follow their members), so the checks run again on what is left until nothing more is refused."""
    with conflicts_as_messages(CONFLICT_MESSAGE), transaction.atomic():
        _lock(cycle)
        _open(cycle)
        _lock_results(cycle, decisions)
        roster = build_roster(cycle)
        existing = _existing(cycle)
        left = list(range(len(decisions)))
        refused: list[tuple[int, str]] = []
        while left:
            errors = _refusals(cycle, roster, [decisions[i] for i in left], existing)
            if not errors:
                break
            bad = {j for j, _ in errors}
            seen: set[int] = set()
            for j, msg in errors:
                if j not in seen:
                    refused.append((left[j], msg))
                    seen.add(j)
            left = [i for j, i in enumerate(left) if j not in bad]
        saved = _write(cycle, roster, [decisions[i] for i in left], existing, actor) if left else []
        return SaveReport(saved, sorted(refused))


def _refusals(
    cycle: AssessmentCycle, roster: Roster, decisions: list[Decision], existing: dict[tuple[str, int], Prior]
) -> list[tuple[int, str]]:
    """Every refused decision of the batch with why: caps and exemptions, the quota, the rating order."""
    regime = roster.regime
    errors: list[tuple[int, str]] = []

    def rank_of(i: int) -> int:
        d = decisions[i]
        if d.subject == "m":
            return 0
        return ORG_ORDER.get(roster.orgs[d.subject_id].kind, 9) if d.subject_id in roster.orgs else 9

    order = sorted(range(len(decisions)), key=rank_of)
    levels: dict[tuple[str, int], Any] = {**nested_results(roster), **existing}
    for i in order:
        d = decisions[i]
        if (d.subject == "m" and d.subject_id not in roster.member_unit) or (
            d.subject == "o" and d.subject_id not in roster.orgs
        ):
            errors.append((i, out_of_scope(roster, d.subject, d.subject_id)))
            continue
        levels[(d.subject, d.subject_id)] = d.level
    m_out = {mid: assess_member(f, regime) for mid, f in member_facts(roster).items()}
    if roster.nested_member_unit:
        # A nested grassroots branch's members: only whether the rules leave them unrated matters here.
        nested = Roster(roster.cycle, regime, member_unit=dict(roster.nested_member_unit), orgs=roster.orgs)
        m_out.update({mid: assess_member(f, regime) for mid, f in member_facts(nested).items()})
    # Members: caps and exemptions.
    for i in order:
        d = decisions[i]
        if d.subject != "m" or d.subject_id not in m_out:
            continue
        try:
            check_decision(d.level, m_out[d.subject_id], regime.member_levels)
        except RuleError as e:
            errors.append((i, e.message))
        if d.exemplary and not is_top(d.level):
            errors.append((i, "'Tiêu biểu' chỉ dành cho kết quả ở mức cao nhất."))
    # Quota per grassroots organization (HD 21 II.B.2.3): top ≤ 20% of good. The committee may exceed it only
    # with a recorded reason: the top-level results without a reason must stay within the limit.
    reasons: dict[tuple[str, int], str] = {k: v.override_reason for k, v in existing.items()}
    reasons.update({("m", d.subject_id): d.override_reason for d in decisions if d.subject == "m"})
    by_scope: dict[int | None, list[tuple[str, int]]] = defaultdict(list)
    for key in levels:
        if key[0] == "m" and key[1] in roster.member_unit:
            by_scope[roster.quota_scope(key[1])].append(key)
    for keys in by_scope.values():
        lv = {k: levels[k].level if isinstance(levels[k], Prior) else levels[k] for k in keys}
        verdict = quota_verdict(((lv[k], reasons.get(k, "")) for k in keys), regime.member_quota)
        if verdict.acceptable:
            continue
        for i, d in enumerate(decisions):
            if d.subject == "m" and is_top(d.level) and not d.override_reason.strip() and ("m", d.subject_id) in lv:
                errors.append(
                    (
                        i,
                        f"Vượt hạn mức HTXS: {verdict.top} HTXS trên {verdict.base} HTT (tối đa {verdict.limit}, "
                        f"theo {verdict.citation}); cần ghi lý do nếu cấp ủy vẫn quyết định.",
                    )
                )
    if errors:
        return sorted(errors)
    # Organizations, in order, each from its members' and sub-units' levels (decided earlier in this batch too).
    build = OrgFactsBuilder(roster)
    not_rated_orgs = {o for o in roster.orgs if org_not_rated(build(o, levels), regime)}
    not_rated_orgs |= _too_new_outside(roster, levels)
    for i in order:
        d = decisions[i]
        if d.subject != "o" or d.subject_id not in roster.orgs:
            continue
        out = assess_org(build(d.subject_id, levels), regime)
        missing = _undecided_below(roster, d.subject_id, levels, m_out, not_rated_orgs)
        if missing:
            errors.append(
                (
                    i,
                    f"chưa thể xếp loại: còn {missing} chưa có quyết định (xếp loại đảng viên, rồi chi bộ, "
                    "đảng bộ bộ phận, rồi tổ chức cơ sở đảng).",
                )
            )
            continue
        try:
            check_decision(d.level, out, regime.org_levels)
        except RuleError as e:
            errors.append((i, e.message))
        if d.exemplary and not is_top(d.level):
            errors.append((i, "'Tiêu biểu' chỉ dành cho kết quả ở mức cao nhất."))
    return sorted(errors)


def labelled(roster: Roster, decisions: list[Decision], errors: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Each refusal prefixed with its subject as a reader knows it: 'Đảng viên DV0001 – Nguyễn Văn An: …',
    'Chi bộ Thôn 1 (mã B1): …' — never an internal id."""
    names = subject_names([(decisions[i].subject, decisions[i].subject_id) for i, _ in errors], roster.cycle.rated_on)
    return [(i, f"{names[(decisions[i].subject, decisions[i].subject_id)]}: {msg}") for i, msg in errors]


def _too_new_outside(roster: Roster, done: dict[tuple[str, int], Any]) -> set[int]:
    """Sub-units a nested cycle rates that have no result yet because they are too new to be rated (HD 21 II.6
    [V], rules.org_not_rated): a committee rating their parent does not wait for them."""
    outside = {
        k
        for oid in roster.orgs
        for k in roster.children.get(oid, [])
        if k not in roster.orgs and not done.get(("o", k))
    }
    if not outside:
        return set()
    first = (
        OrgVersion.objects.filter(organization_id__in=outside)
        .values("organization_id")
        .annotate(first=Min("valid_from"))
        .values_list("organization_id", "first")
    )
    on, year = roster.cycle.rated_on, roster.cycle.year
    return {
        oid
        for oid, established in first
        if org_not_rated(
            OrgFacts(year=year, rated_on=on, holds_members=False, established_on=established), roster.regime
        )
    }


def _undecided_below(
    roster: Roster, org_id: int, done: dict[tuple[str, int], Any], m_out: dict[int, Outcome], not_rated_orgs: set[int]
) -> str:
    members = [
        m
        for m in (*roster.members_of(org_id), *(k for k, u in roster.nested_member_unit.items() if u == org_id))
        if m in m_out and m_out[m].not_rated is None and not done.get(("m", m))
    ]
    # Sub-units must be decided first — here, or in a nested cycle — unless the rules leave them unrated.
    kids = [k for k in roster.children.get(org_id, []) if not done.get(("o", k)) and k not in not_rated_orgs]
    parts = []
    if members:
        parts.append(f"{len(members)} đảng viên")
    if kids:
        parts.append(f"{len(kids)} tổ chức trực thuộc")
    return ", ".join(parts)


def _write(
    cycle: AssessmentCycle,
    roster: Roster,
    decisions: list[Decision],
    existing: dict[tuple[str, int], Prior],
    actor: Actor,
) -> list[Result]:
    now = timezone.now()
    ratings: list[Rating] = []
    new: list[Result] = []
    changed: list[Result] = []
    log: list[list[Any]] = []
    for d in decisions:
        key = (d.subject, d.subject_id)
        unit = roster.member_unit[d.subject_id] if d.subject == "m" else d.subject_id
        kw = {"member_id": d.subject_id} if d.subject == "m" else {"organization_id": d.subject_id}
        ratings.append(
            Rating(
                cycle=cycle,
                stage=Stage.DECISION,
                level=d.level,
                grades=d.grades,
                score=d.score,
                comment=d.comment,
                actor_label=actor.label,
                **kw,
            )
        )
        prior = existing.get(key)
        res = Result(
            pk=prior.pk if prior else None,
            cycle=cycle,
            year=cycle.year,
            unit_id=unit,
            grassroots_id=roster.grassroots_of.get(unit),
            unit_kind=roster.units[unit].kind,
            level=d.level,
            not_rated="",
            exemplary=d.exemplary,
            override_reason=d.override_reason,
            decided_by=actor.label,
            decided_at=now,
            **kw,
        )
        (changed if prior else new).append(res)
        log.append(
            [d.subject + str(d.subject_id), prior.level if prior else None, d.level, d.exemplary, d.override_reason]
        )
    Rating.objects.bulk_create(ratings, batch_size=2000)
    Result.objects.bulk_create(new, batch_size=2000)
    Result.objects.bulk_update(
        changed,
        [
            "unit",
            "grassroots",
            "unit_kind",
            "level",
            "not_rated",
            "exemplary",
            "override_reason",
            "decided_by",
            "decided_at",
        ],
        batch_size=2000,
    )
    # One entry per batch: [subject, level before, level after, exemplary, override reason] for each decision.
    audit(actor=actor, action="result_decide", obj=cycle, after={"decisions": log})
    return new + changed


def result_decide(
    *,
    cycle: AssessmentCycle,
    actor: Actor,
    level: str,
    member_id: int | None = None,
    organization_id: int | None = None,
    exemplary: bool = False,
    override_reason: str = "",
    comment: str = "",
) -> Result:
    subject = ("m", member_id) if member_id is not None else ("o", organization_id)
    assert subject[1] is not None
    [res] = decide_many(
        cycle=cycle,
        actor=actor,
        decisions=[
            Decision(
                subject[0], subject[1], level, exemplary=exemplary, override_reason=override_reason, comment=comment
            )
        ],
    )
    return res


@conflicts_as_messages(CONFLICT_MESSAGE)
@transaction.atomic
def result_set_exemplary(*, result: Result, exemplary: bool, actor: Actor) -> Result:
    """Tiêu biểu: a flag the committee sets on a top-level result, never a level of its own."""
    _lock(result.cycle)
    _open(result.cycle)
    # The level and flag as they are now, under the row's lock (another session may have changed them).
    fresh = Result.objects.select_for_update().get(pk=result.pk)
    result.level, result.exemplary = fresh.level, fresh.exemplary
    if exemplary and not is_top(result.level):
        raise RuleError("'Tiêu biểu' chỉ dành cho kết quả ở mức cao nhất.", field="exemplary")
    before = result.exemplary
    result.exemplary = exemplary
    result.save(update_fields=["exemplary"])
    audit(
        actor=actor,
        action="result_set_exemplary",
        obj=result,
        before={"exemplary": before},
        after={"exemplary": exemplary},
    )
    return result


@conflicts_as_messages(CONFLICT_MESSAGE)
@transaction.atomic
def cycle_propose(*, cycle: AssessmentCycle, actor: Actor) -> int:
    """Proposals from facts where the regime allows: the grades' or score's level under the caps, or the
    cap itself where the facts already decide it (e.g. disciplined in the year → KHTNV)."""
    _lock(cycle)
    _open(cycle)
    roster = build_roster(cycle)
    existing = _existing(cycle)
    m_out, _ = outcomes(roster, dict(existing))
    rows = []
    for mid, out in m_out.items():
        if ("m", mid) in existing or out.not_rated:
            continue
        level = out.proposed or (out.cap if is_bottom(out.cap) else None)
        if level:
            rows.append(
                Rating(
                    cycle=cycle,
                    member_id=mid,
                    stage=Stage.PROPOSAL,
                    level=level,
                    actor_label=actor.label,
                    comment="; ".join(str(r) for r in out.reasons),
                )
            )
    Rating.objects.bulk_create(rows, batch_size=2000)
    audit(actor=actor, action="cycle_propose", obj=cycle, after={"proposals": len(rows)})
    return len(rows)


@dataclass
class CloseReport:
    not_rated: int
    quota_warnings: list[str]


@conflicts_as_messages(CONFLICT_MESSAGE)
@transaction.atomic
def cycle_close(*, cycle: AssessmentCycle, actor: Actor) -> CloseReport:
    """Close the year: every rateable subject decided, not-rated ones recorded with their reason, the quota
    holding everywhere (or overridden with a reason). The closed cycle is locked. Under the cycle's row lock:
    a decision under way finishes first (and is counted) or waits and then finds the cycle closed."""
    _lock(cycle)
    _open(cycle)
    roster = build_roster(cycle)
    existing = _existing(cycle)
    m_out, o_out = outcomes(roster, dict(existing))
    missing_m = [m for m, out in m_out.items() if out.not_rated is None and ("m", m) not in existing]
    missing_o = [o for o, out in o_out.items() if out.not_rated is None and ("o", o) not in existing]
    if missing_m or missing_o:
        raise RuleError(
            f"Chưa thể kết thúc: còn {len(missing_m)} đảng viên và {len(missing_o)} tổ chức chưa có quyết "
            "định xếp loại.",
            field="cycle",
        )
    new = []
    for kind, outs in (("m", m_out), ("o", o_out)):
        for sid, out in outs.items():
            if out.not_rated and (kind, sid) not in existing:
                unit = roster.member_unit[sid] if kind == "m" else sid
                kw = {"member_id": sid} if kind == "m" else {"organization_id": sid}
                new.append(
                    Result(
                        cycle=cycle,
                        year=cycle.year,
                        unit_id=unit,
                        grassroots_id=roster.grassroots_of.get(unit),
                        unit_kind=roster.units[unit].kind,
                        not_rated=out.not_rated,
                        decided_by=actor.label,
                        **kw,
                    )
                )
    Result.objects.bulk_create(new, batch_size=2000)
    warnings = quota_report(cycle, roster)
    hard = [w for w, ok_overridden in warnings if not ok_overridden]
    if hard:
        raise RuleError("Vượt hạn mức HTXS chưa có lý do: " + "; ".join(hard[:10]), field="quota")
    warnings += [(w, True) for w in org_quota_warnings(cycle, roster)]
    cycle.status, cycle.closed_at = AssessmentCycle.Status.CLOSED, timezone.now()
    cycle.save(update_fields=["status", "closed_at"])
    # The closed cycle's results counted per unit: what the year's statistics sum once it is closed.
    tallies_write(year=cycle.year, cycle=cycle)
    audit(actor=actor, action="cycle_close", obj=cycle, after={"not_rated_added": len(new)})
    # A closed year is a year of results written at once: refresh their statistics, or SQLite, which has none
    # for a table analyzed while empty, walks the whole year's results for each unit when a subtree's figures
    # are counted (a district's statistics: 459 ms instead of 15 ms).
    refresh_statistics(Result._meta.db_table, ResultTally._meta.db_table)
    return CloseReport(len(new), [w for w, _ in warnings])


def quota_report(cycle: AssessmentCycle, roster: Roster | None = None) -> list[tuple[str, bool]]:
    """Per quota scope over the member quota: (message, acceptable). Acceptable when the top-level results
    without a recorded reason stay within the limit (domain.assessment.quota, as decide_many applies it live)."""
    roster = roster or build_roster(cycle)
    regime = roster.regime
    per_committee = regime.member_quota.scope == "deciding_committee"
    scopes: dict[int | None, list[tuple[str, str]]] = defaultdict(list)
    for g, level, reason in Result.objects.filter(cycle=cycle, member__isnull=False).values_list(
        "grassroots_id", "level", "override_reason"
    ):
        scopes[cycle.committee_id if per_committee else g].append((level, reason))
    out = []
    for scope, levels in scopes.items():
        verdict = quota_verdict(levels, regime.member_quota)
        if not verdict.ok:
            name = (
                roster.units[scope].name
                if scope is not None and scope in roster.units
                else (cycle.committee_name if per_committee else f"{cycle.committee_name} (các chi bộ trực thuộc)")
            )
            message = f"{name}: {verdict.top} HTXS / tối đa {verdict.limit} ({verdict.share})"
            out.append((message, verdict.acceptable))
    return out


def org_quota_warnings(cycle: AssessmentCycle, roster: Roster) -> list[str]:
    """Organizations at the top level against those at good, per grassroots committee (its branches) and for
    the grassroots organizations of the cycle. HD 21's sentence on organizations is cut off in every source [U]:
    a warning, never a refusal."""
    quota = roster.regime.org_quota
    if quota is None:
        return []
    groups: dict[int | None, list[str]] = defaultdict(list)
    for oid, level, kind in (
        Result.objects.filter(cycle=cycle, organization__isnull=False)
        .exclude(level="")
        .values_list("organization_id", "level", "unit_kind")
    ):
        parent = roster.orgs[oid].parent_id if oid in roster.orgs else None
        groups[parent if kind == "branch" else None].append(level)
    out = []
    for parent, levels in groups.items():
        st = quota_verdict(((x, "") for x in levels), quota)
        if not st.ok:
            name = roster.orgs[parent].name if parent in roster.orgs else "Tổ chức cơ sở đảng"
            out.append(
                f"{name}: {st.top} tổ chức mức cao nhất / tối đa {st.limit} (tham chiếu {st.share}, theo {st.citation})"
            )
    return out


@conflicts_as_messages(CONFLICT_MESSAGE)
@transaction.atomic
def cycle_reopen(*, cycle: AssessmentCycle, reason: str, actor: Actor) -> AssessmentCycle:
    _lock(cycle)
    if cycle.status != AssessmentCycle.Status.CLOSED:
        raise RuleError("Đợt đánh giá đang mở.", field="cycle")
    if not reason.strip():
        raise RuleError("Mở lại đợt đánh giá đã kết thúc cần ghi lý do.", field="reason")
    cycle.status, cycle.closed_at = AssessmentCycle.Status.OPEN, None
    cycle.save(update_fields=["status", "closed_at"])
    # Its results may change again: the statistics count them one by one until it closes again.
    tallies_remove(year=cycle.year, cycle=cycle)
    audit(actor=actor, action="cycle_reopen", obj=cycle, reason=reason)
    return cycle
