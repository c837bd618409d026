"""Who sees what (STYLE §4): `visible_orgs(user, on)` is the one truth; objects are fetched through the scoped
getters below. Out of scope → 404 (the object does not exist for this person); in scope but read-only → 403.

Scope across time (issue 11):
* A grant covers its organization's subtree *as it stood on each day*, up to the end of the grant's term: the
  grant's [valid_from, valid_to) cut at the day the organization itself ended (a district on 01/07/2025). For a
  day `on` before that end the person reads the subtree of `on` — the unit's past before the grant began included
  (the staff appointed in 2020 write the report of the 2015–2020 term and read every member's history); for a day
  after it, nothing (404).
* A grant whose organization ended (ended, merged, absorbed, split — its grant running to that day or beyond) is
  kept for *reading* the organization's past. A grant ended earlier while its organization goes on was withdrawn
  (`grant_end`) and gives nothing any more.
* Staff of a successor read their predecessors' history: the sources of every lineage event (merge, absorption,
  split, move, dissolution with members sent) whose target lay in their subtree on the event's day, for the days
  before that event — and the predecessors' own predecessors, through the chain (`_predecessors`).
* Writing needs a grant in force today (its organization alive) and the object inside that grant's subtree on the
  day of the change (`writable_orgs(user, on)`), whatever that day (records of the unit's past are its current
  staff's to enter and correct); predecessors' history is read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangvu.domain.errors import RuleError
from dangvu.domain.vietnamese import fmt_date
from dangvu.members.models import Member, MembershipSpan
from dangvu.orgs.models import LineageLink, OrgAncestry, Organization, OrgVersion

from .models import OFFICE_ROLES, SUBTREE_ROLES, WRITE_ROLES, Grant, Role

ONE_DAY = dt.timedelta(days=1)
# Audit entries only the administrator reads (their sentence says what the person was not told).
PRIVATE_ACTIONS = ("identifier_conflict", "identifier_limit")


@dataclass(frozen=True)
class Term:
    """One grant as scope sees it: the organization, the days it covers [start, end) — the grant's term cut at the
    organization's own end — what it allows, and whether it is in force today (only then does it write)."""

    org: int
    start: dt.date
    end: dt.date
    write: bool
    office: bool
    current: bool

    def covers(self, day: dt.date) -> bool:
        """Reading: any day before the term's end (the unit's own past before the grant began is its staff's)."""
        return day < self.end


@dataclass(frozen=True)
class Access:
    """A user's grants, loaded once per request."""

    admin: bool
    read: frozenset[int]  # organizations whose subtree the user reads (on some days)
    write: frozenset[int]  # … and changes (grants in force today)
    office: frozenset[int]  # … and imports into / reads the audit log of (in force today)
    member_id: int | None  # the party member this login is
    roles: frozenset[str]
    terms: tuple[Term, ...] = ()

    def roots(self, on: dt.date, *, write: bool = False, office: bool = False) -> set[int]:
        """The organizations whose subtree of `on` the person reads on `on` — or changes, or runs the office of:
        then through a grant in force today, for any day up to its end (the unit's past before the grant began is
        still its staff's to record and correct: a recognition of 2011 entered under a grant of 2020)."""
        if not (write or office):
            return {t.org for t in self.terms if t.covers(on)}
        return {
            t.org
            for t in self.terms
            if t.current and on < t.end and (not write or t.write) and (not office or t.office)
        }


def today() -> dt.date:
    return timezone.localdate()


def _terms(user: Any, day: dt.date) -> list[tuple[str, Term]]:
    """The user's grants that count today: those in force, and those that ended with their organization."""
    rows = (
        Grant.objects.of(user)
        .filter(valid_from__lte=day)
        .annotate(unit_end=Max("organization__versions__valid_to"))
        .values_list("role", "organization_id", "valid_from", "valid_to", "unit_end")
    )
    out: list[tuple[str, Term]] = []
    for role, org, start, stop, unit_end in rows:
        end = min(stop, unit_end) if unit_end is not None else stop
        current = start <= day < end
        ended_with_unit = unit_end is not None and unit_end <= stop and end <= day
        if current or ended_with_unit:
            term = Term(org, start, end, role in WRITE_ROLES, role in OFFICE_ROLES, current)
            out.append((role, term))
    return out


def access(user: Any) -> Access:
    """Cached on the user object for the request."""
    cached = getattr(user, "_dangvu_access", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        acc = Access(False, frozenset(), frozenset(), frozenset(), None, frozenset())
    else:
        day = today()
        grants = _terms(user, day)
        roles = {r for r, t in grants if t.current}
        past_roles = {r for r, t in grants}
        member_id = None
        if Role.MEMBER in roles or not grants:
            member_id = Member.objects.filter(account__user=user).values_list("pk", flat=True).first()
        subtree = [t for r, t in grants if r in SUBTREE_ROLES and t.org is not None]
        acc = Access(
            admin=bool(user.is_superuser) or Role.ADMIN in roles,
            read=frozenset(t.org for t in subtree),
            write=frozenset(t.org for t in subtree if t.write and t.current),
            office=frozenset(t.org for t in subtree if t.office and t.current),
            member_id=member_id,
            roles=frozenset(past_roles),
            terms=tuple(subtree),
        )
    user._dangvu_access = acc
    return acc


# Predecessors of a set of organizations: the sources of every lineage event whose target lay in their subtree on
# the event's day, each with that day (readable before it), then the same for those sources' subtrees before their
# cutoff, and so on (cutoffs strictly decrease, so the chain ends). A granted unit's own move is not a predecessor
# of itself: its own past is read through its grant already. One statement; SQLite and PostgreSQL alike.
_PREDECESSORS_SQL = """
WITH RECURSIVE pred(org_id, cutoff) AS (
    SELECT s.organization_id, e.effective_on
      FROM orgs_organcestry a
      JOIN orgs_lineagelink t ON t.organization_id = a.organization_id AND t.role = %s
      JOIN orgs_lineageevent e ON e.id = t.event_id
      JOIN orgs_lineagelink s ON s.event_id = e.id AND s.role = %s
     WHERE a.ancestor_id IN ({roots}) AND e.effective_on <= %s
       AND a.valid_from <= e.effective_on AND a.valid_to > e.effective_on
       AND NOT (s.organization_id = a.ancestor_id AND t.organization_id = a.ancestor_id)
    UNION
    SELECT s.organization_id, e.effective_on
      FROM pred p
      JOIN orgs_organcestry a ON a.ancestor_id = p.org_id
      JOIN orgs_lineagelink t ON t.organization_id = a.organization_id AND t.role = %s
      JOIN orgs_lineageevent e ON e.id = t.event_id
      JOIN orgs_lineagelink s ON s.event_id = e.id AND s.role = %s
     WHERE e.effective_on < p.cutoff AND a.valid_from <= e.effective_on AND a.valid_to > e.effective_on
)
SELECT org_id, MAX(cutoff) FROM pred GROUP BY org_id
"""


def _predecessors(user: Any) -> dict[int, dt.date]:
    """{organization: the day before which the user reads its history as a predecessor of their own units}.
    One query, only for pages about a past day, cached for the request."""
    cached = getattr(user, "_dangvu_predecessors", None)
    if cached is not None:
        return cached
    roots = sorted(access(user).read)
    out: dict[int, dt.date] = {}
    if roots:
        src, tgt = LineageLink.Role.SOURCE.value, LineageLink.Role.TARGET.value
        sql = _PREDECESSORS_SQL.format(roots=", ".join(["%s"] * len(roots)))
        with connection.cursor() as cur:
            cur.execute(sql, [tgt, src, *roots, today(), tgt, src])
            for org_id, cutoff in cur.fetchall():
                day = cutoff if isinstance(cutoff, dt.date) else dt.date.fromisoformat(str(cutoff))
                out[org_id] = day
    user._dangvu_predecessors = out
    return out


def _subtree(roots: set[int] | frozenset[int], on: dt.date) -> QuerySet[Organization]:
    if not roots:
        return Organization.objects.none()
    units = OrgAncestry.objects.on(on).filter(ancestor_id__in=sorted(roots)).values("organization_id")
    return Organization.objects.filter(pk__in=units)


def read_roots(user: Any, on: dt.date) -> set[int]:
    """The organizations whose subtree of `on` the user reads on `on`: their grants' terms covering that day and,
    for a past day, their units' predecessors."""
    acc = access(user)
    roots = acc.roots(on)
    if acc.read and on < today():
        roots |= {org for org, cutoff in _predecessors(user).items() if on < cutoff}
    return roots


def visible_orgs(user: Any, on: dt.date | None = None) -> QuerySet[Organization]:
    """Organizations the user may see, as they stood on `on` (default today)."""
    acc = access(user)
    if acc.admin:
        return Organization.objects.all()
    if not acc.read:
        return Organization.objects.none()
    return _subtree(read_roots(user, on or today()), on or today())


def writable_orgs(user: Any, on: dt.date | None = None) -> QuerySet[Organization]:
    """Organizations the user may change something about on `on`: under a grant in force today whose term covers
    `on`, as the subtree stood that day."""
    acc = access(user)
    if acc.admin:
        return Organization.objects.all()
    if not acc.write:
        return Organization.objects.none()
    day = on or today()
    return _subtree(acc.roots(day, write=True), day)


def office_orgs(user: Any, on: dt.date | None = None) -> QuerySet[Organization]:
    acc = access(user)
    if acc.admin:
        return Organization.objects.all()
    if not acc.office:
        return Organization.objects.none()
    day = on or today()
    return _subtree(acc.roots(day, office=True), day)


def ever_visible_orgs(user: Any) -> QuerySet[Organization]:
    """Organizations the user sees on at least one day: inside a grant's subtree on a day of its term, or inside a
    predecessor's subtree before its cutoff. For what has no single day (a member's whole record, the audit log,
    a report job over a period); pages about a day use `visible_orgs(user, on)`."""
    acc = access(user)
    if acc.admin:
        return Organization.objects.all()
    if not acc.read:
        return Organization.objects.none()
    cond = Q()
    for t in acc.terms:
        cond |= Q(ancestor_id=t.org, valid_from__lt=t.end)
    by_cutoff: dict[dt.date, list[int]] = {}
    for org, cutoff in _predecessors(user).items():
        by_cutoff.setdefault(cutoff, []).append(org)
    for cutoff, orgs in by_cutoff.items():
        cond |= Q(ancestor_id__in=sorted(orgs), valid_from__lt=cutoff)
    return Organization.objects.filter(pk__in=OrgAncestry.objects.filter(cond).values("organization_id"))


def last_visible_day(user: Any, code: str) -> dt.date | None:
    """For a unit that ended and that the person saw: its last day (pages with no day of their own, like its
    history, open there). None while it goes on, or when the person never saw it."""
    org = ever_visible_orgs(user).filter(code=code).first()
    if org is None:
        return None
    end = OrgVersion.objects.filter(organization=org).aggregate(end=Max("valid_to"))["end"]
    if end is None or end > today():
        return None
    return end - ONE_DAY


def visible_members(user: Any, on: dt.date | None = None) -> QuerySet[Member]:
    """Members who belonged to a visible organization at some time (their history here stays readable), and the
    user's own record. With `on`, the organizations visible that day; without, those visible on any day."""
    acc = access(user)
    if acc.admin:
        return Member.objects.all()
    qs = Member.objects.none()
    if acc.read:
        orgs = visible_orgs(user, on) if on is not None else ever_visible_orgs(user)
        spans = MembershipSpan.objects.filter(organization_id__in=orgs.values("pk"))
        qs = Member.objects.filter(pk__in=spans.values("member_id"))
    if acc.member_id is not None:
        qs = qs | Member.objects.filter(pk=acc.member_id)
    return qs


def known_members(user: Any | None, member_ids: Iterable[int]) -> set[int]:
    """Of these members, those the person may know exist: any they see on some day (former members included), and
    their own record. None is the command line or a system process, which reads the whole database anyway."""
    ids = sorted(set(member_ids))
    if user is None or access(user).admin:
        return set(ids)
    out: set[int] = set()
    for i in range(0, len(ids), 500):  # a re-imported district names thousands: batches keep SQLite's limit
        out.update(visible_members(user).filter(pk__in=ids[i : i + 500]).values_list("pk", flat=True))
    return out


def current_members(user: Any, member_ids: Iterable[int]) -> set[int]:
    """Of these members, those inside the person's scope today: a span covering today in an organization they see
    today (one query)."""
    ids = sorted(set(member_ids))
    out: set[int] = set()
    for i in range(0, len(ids), 500):  # an export of 50 000 rows: batches keep SQLite's limit on parameters
        spans = MembershipSpan.objects.on(today()).filter(
            member_id__in=ids[i : i + 500], organization_id__in=visible_orgs(user, today()).values("pk")
        )
        out.update(spans.values_list("member_id", flat=True))
    return out


def identifiers_shown(user: Any, member_ids: Iterable[int]) -> set[int]:
    """Of these members, those whose citizen ID and card number the person may see (masked in lists, in full
    through the audited reveal). Members who left the person's scope — moved to a unit outside it, or out of the
    Party, or dead — keep their names and history readable, not their identifiers, unless one of the person's roles
    is in DANGVU_FORMER_MEMBER_IDENTIFIERS (default none). The administrator and the member themself see them."""
    ids = set(member_ids)
    acc = access(user)
    if acc.admin or acc.roles & set(settings.DANGVU_FORMER_MEMBER_IDENTIFIERS):
        return ids
    shown = current_members(user, ids) if acc.read else set()
    if acc.member_id in ids:
        shown.add(acc.member_id)
    return shown


def shows_identifiers(user: Any, member: Member) -> bool:
    return member.pk in identifiers_shown(user, [member.pk])


def require_identifiers(user: Any, member: Member) -> None:
    """The reveal's policy: 403 with the reason for a member who left the person's scope."""
    if not shows_identifiers(user, member):
        raise PermissionDenied(
            "Đảng viên này không còn sinh hoạt trong phạm vi của bạn: xem được họ tên và quá trình, không xem được "
            "số CCCD và số thẻ đảng viên."
        )


def home_orgs(user: Any) -> QuerySet[Organization]:
    """The organizations a user's grants name (their dashboards), those in force today first in mind."""
    acc = access(user)
    if acc.admin and not acc.read:
        return Organization.objects.filter(
            pk__in=OrgAncestry.objects.on(today()).filter(depth=0).values("organization_id")
        ).exclude(pk__in=OrgAncestry.objects.on(today()).filter(depth=1).values("organization_id"))
    return Organization.objects.filter(pk__in=acc.read)


def home_org(user: Any) -> Organization | None:
    """Where a person lands: the organization of their first grant (the order they were given), whether it still
    exists or not — the landing page says which (admin without a grant: the first top unit)."""
    g = (
        Grant.objects.of(user)
        .filter(role__in=list(SUBTREE_ROLES), organization_id__in=sorted(access(user).read))
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    if g is not None:
        return g.organization
    return home_orgs(user).order_by("code").first() if access(user).admin else None


def last_day(org: Organization | int) -> dt.date | None:
    """The organization's last day, if it has ended (None while it goes on)."""
    org_id = org if isinstance(org, int) else org.pk
    end = OrgVersion.objects.filter(organization_id=org_id).aggregate(end=Max("valid_to"))["end"]
    if end is None or end > today():
        return None
    return end - ONE_DAY


def can_write(user: Any, org: Organization | int, on: dt.date | None = None) -> bool:
    org_id = org if isinstance(org, int) else org.pk
    return writable_orgs(user, on).filter(pk=org_id).exists()


def can_run_office(user: Any) -> bool:
    acc = access(user)
    return acc.admin or bool(acc.office)


# ---------------------------------------------------------------- scoped getters


def get_org(user: Any, code: str, *, on: dt.date | None = None, write: bool = False) -> Organization:
    org = visible_orgs(user, on).filter(code=code).first()
    if org is None:
        raise Http404("Không có tổ chức này trong phạm vi của bạn.")
    if write and not can_write(user, org, on):
        raise PermissionDenied("Bạn chỉ có quyền xem tổ chức này.")
    return org


def period_day(code: str, start: dt.date, end: dt.date) -> dt.date | None:
    """The day a report or list over [start, end] looks at its organization: the period's last day, or the
    organization's own last day when it ended inside the period (None: it did not exist then)."""
    stop = OrgVersion.objects.filter(organization__code=code, valid_from__lte=end, valid_to__gt=start).aggregate(
        stop=Max("valid_to")
    )["stop"]
    if stop is None:
        return None
    return min(end, stop - ONE_DAY)


def get_org_during(user: Any, code: str, start: dt.date, end: dt.date) -> Organization:
    """An organization for a period (a report's): in scope on the last day of the period it existed."""
    day = period_day(code, start, end)
    if day is None:
        raise Http404("Không có tổ chức này trong phạm vi của bạn.")
    return get_org(user, code, on=day)


def member_unit_on(member: Member, on: dt.date) -> tuple[int, dt.date] | None:
    """The member's unit on the day of a change, and the day to look it up in the tree: the span covering `on`;
    else the last span before it (a member who left, died, was expelled), looked up on its last day; else the
    first span (a change dated before the admission is the services' to refuse)."""
    spans = list(
        MembershipSpan.objects.filter(member=member)
        .order_by("valid_from")
        .values_list("organization_id", "valid_from", "valid_to")
    )
    if not spans:
        return None
    for org_id, start, stop in reversed(spans):
        if start <= on:
            return (org_id, on) if on < stop else (org_id, stop - ONE_DAY)
    return spans[0][0], spans[0][1]


def can_change_member(user: Any, member: Member, on: dt.date | None = None) -> bool:
    """Write access follows the member's unit on the day of the change (not the day their span began): the unit
    must lie, that day, inside the subtree of a grant in force today whose term covers the day."""
    unit = member_unit_on(member, on or today())
    return unit is not None and can_write(user, unit[0], unit[1])


def check_change_member(user: Any, member: Member, on: dt.date | None, *, field: str = "on") -> None:
    """The same check on the day a form names, refused on the form (RuleError) rather than as a 403."""
    day = on or today()
    if not can_change_member(user, member, day):
        raise RuleError(
            f"Ngày {fmt_date(day)}, đảng viên {member.full_name} không sinh hoạt ở tổ chức nào trong phạm vi bạn "
            "được ghi; kiểm tra lại ngày.",
            field=field,
        )


def get_member(user: Any, code: str, *, write: bool = False, on: dt.date | None = None) -> Member:
    """A member the user sees on `on` (default today: anyone who was ever in the user's subtree on a day they
    read). With write=True, `on` is the day of the change and the member's unit that day must be writable."""
    member = visible_members(user, on).filter(code=code).first()
    if member is None and write and on is not None:
        # A change dated in the past for a member the person sees today (a successor's staff).
        member = visible_members(user).filter(code=code).first()
    if member is None:
        raise Http404("Không có đảng viên này trong phạm vi của bạn.")
    if write and not can_change_member(user, member, on):
        raise PermissionDenied("Bạn chỉ có quyền xem hồ sơ này.")
    return member


def require_office(user: Any) -> None:
    if not can_run_office(user):
        raise PermissionDenied("Chức năng dành cho cán bộ ban tổ chức.")


def require_reader(user: Any) -> None:
    """Lists are for those who read a subtree; a member's login has only their own pages."""
    acc = access(user)
    if not (acc.admin or acc.read):
        raise PermissionDenied("Tài khoản đảng viên chỉ xem hồ sơ và bản tự đánh giá của mình.")


def can_write_somewhere(user: Any) -> bool:
    """Whether the person changes anything at all (pages without one organization ask this to show forms)."""
    acc = access(user)
    return acc.admin or bool(acc.write)


def require_write_somewhere(user: Any) -> None:
    if not can_write_somewhere(user):
        raise PermissionDenied("Bạn chỉ có quyền xem.")


def is_own_member(user: Any, member: Member) -> bool:
    return access(user).member_id == member.pk


# ---------------------------------------------------------------- the review


def visible_cycles(user: Any, *, on: dt.date | None = None, ever: bool = False) -> QuerySet[Any]:
    """Cycles whose committee's subtree, on the rating day, holds an organization the user sees on `on`
    (a branch secretary sees the district's cycle that rates their branch); with `ever`, an organization the user
    sees on some day (the list of every year's cycles: an ended district's staff keep its past reviews)."""
    from django.db.models import Exists, OuterRef

    from dangvu.assessment.models import AssessmentCycle

    if access(user).admin:
        return AssessmentCycle.objects.all()
    vis = (ever_visible_orgs(user) if ever else visible_orgs(user, on)).values("pk")
    inside = OrgAncestry.objects.filter(
        ancestor_id=OuterRef("committee_id"),
        organization_id__in=vis,
        valid_from__lte=OuterRef("rated_on"),
        valid_to__gt=OuterRef("rated_on"),
    )
    return AssessmentCycle.objects.filter(Exists(inside))


def get_cycle(user: Any, pk: int, *, decide: bool = False) -> Any:
    from dangvu.assessment.models import AssessmentCycle

    cycle = AssessmentCycle.objects.filter(pk=pk).select_related("committee").first()
    if cycle is None or not visible_cycles(user, on=cycle.rated_on).filter(pk=pk).exists():
        raise Http404("Không có đợt đánh giá này trong phạm vi của bạn.")
    if decide and not can_decide(user, cycle):
        raise PermissionDenied("Chỉ cấp ủy của đợt đánh giá mới quyết định xếp loại.")
    return cycle


def can_decide(user: Any, cycle: Any) -> bool:
    """The committee decides (its staff and secretaries with write access on the committee itself)."""
    return can_write(user, cycle.committee_id, cycle.rated_on)


def can_propose(user: Any, unit: Organization, cycle: Any) -> bool:
    """The branch proposes for its members: write access on the unit."""
    return can_write(user, unit, cycle.rated_on)


def outside_office(user: Any, org_ids: set[int]) -> set[int]:
    """Of these organizations, the ones never inside the user's office subtree (an import may only touch, as
    parents or members' units, organizations the person manages — at whatever date the file speaks of)."""
    acc = access(user)
    if acc.admin or not org_ids:
        return set()
    inside = set(
        OrgAncestry.objects.filter(ancestor_id__in=acc.office, organization_id__in=org_ids).values_list(
            "organization_id", flat=True
        )
    )
    return org_ids - inside


def visible_audit(user: Any) -> QuerySet[Any]:
    """Audit entries about organizations, members and review cycles in the user's scope, and the user's own."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from dangvu.assessment.models import AssessmentCycle
    from dangvu.audit.models import AuditEntry

    if access(user).admin:
        return AuditEntry.objects.all()
    # A refused identifier check says why only to the administrator (members.identifiers): not in the person's log.
    own = Q(actor_id=user.pk) & ~Q(action__in=PRIVATE_ACTIONS)
    if not access(user).read:
        return AuditEntry.objects.filter(own)

    def ids(qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.annotate(s=Cast("pk", CharField())).values("s")

    orgs = ever_visible_orgs(user)
    return AuditEntry.objects.filter(
        own
        | Q(object_type="orgs.organization", object_id__in=ids(orgs))
        | Q(object_type="members.member", object_id__in=ids(visible_members(user)))
        | Q(
            object_type="assessment.assessmentcycle",
            object_id__in=ids(AssessmentCycle.objects.filter(committee_id__in=orgs.values("pk"))),
        )
    )


def can_grant(user: Any, role: str, org: Organization | None) -> bool:
    """The administrator grants anything; the department's staff grant the other roles inside their own subtree."""
    acc = access(user)
    if acc.admin:
        return True
    if role == Role.ADMIN or (org is None and role != Role.MEMBER):
        return False
    if org is None:
        return bool(acc.office)
    return office_orgs(user).filter(pk=org.pk).exists()


def visible_grants(user: Any) -> QuerySet[Grant]:
    """Grants on organizations of the user's office subtree (admin: all), and the user's own."""
    acc = access(user)
    if acc.admin:
        return Grant.objects.all()
    return Grant.objects.filter(Q(user=user) | Q(organization_id__in=office_orgs(user).values("pk")))
