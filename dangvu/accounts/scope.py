"""Who sees what (STYLE §4): `visible_orgs(user)` is the one truth; objects are fetched through the scoped
getters below. Out of scope → 404 (the object does not exist for this person); in scope but read-only → 403.

A grant is read on the day of the request (the term the person holds now); the subtree is taken as it stood on
the as-of date of the page (`on`), through the derived OrgAncestry table (one indexed subquery).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from dangvu.members.models import Member, MembershipSpan
from dangvu.orgs.models import OrgAncestry, Organization

from .models import OFFICE_ROLES, SUBTREE_ROLES, WRITE_ROLES, Grant, Role


@dataclass(frozen=True)
class Access:
    """A user's grants valid today, loaded once per request."""

    admin: bool
    read: frozenset[int]  # organizations whose subtree the user reads
    write: frozenset[int]  # … and changes
    office: frozenset[int]  # … and imports into / reads the audit log of
    member_id: int | None  # the party member this login is
    roles: frozenset[str]


def today() -> dt.date:
    return timezone.localdate()


def access(user: Any) -> Access:
    """Cached on the user object for the request."""
    cached = getattr(user, "_dangvu_access", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        acc = Access(False, frozenset(), frozenset(), frozenset(), None, frozenset())
    else:
        grants = list(Grant.objects.of(user).on(today()).values_list("role", "organization_id"))
        roles = {r for r, _ in grants}
        member_id = None
        if Role.MEMBER in roles or not grants:
            member_id = Member.objects.filter(account__user=user).values_list("pk", flat=True).first()
        acc = Access(
            admin=bool(user.is_superuser) or Role.ADMIN in roles,
            read=frozenset(o for r, o in grants if r in SUBTREE_ROLES and o is not None),
            write=frozenset(o for r, o in grants if r in WRITE_ROLES and o is not None),
            office=frozenset(o for r, o in grants if r in OFFICE_ROLES and o is not None),
            member_id=member_id,
            roles=frozenset(roles),
        )
    user._dangvu_access = acc
    return acc


def _subtree(roots: frozenset[int], on: dt.date) -> QuerySet[Organization]:
    units = OrgAncestry.objects.on(on).filter(ancestor_id__in=roots).values("organization_id")
    return Organization.objects.filter(pk__in=units)


def visible_orgs(user: Any, on: dt.date | None = None) -> QuerySet[Organization]:
    """Organizations the user may see, as they stood on `on` (default today)."""
    acc = access(user)
    if acc.admin:
        return Organization.objects.all()
    if not acc.read:
        return Organization.objects.none()
    return _subtree(acc.read, on or today())


def writable_orgs(user: Any, on: dt.date | None = None) -> QuerySet[Organization]:
    acc = access(user)
    if acc.admin:
        return Organization.objects.all()
    if not acc.write:
        return Organization.objects.none()
    return _subtree(acc.write, on or today())


def office_orgs(user: Any, on: dt.date | None = None) -> QuerySet[Organization]:
    acc = access(user)
    if acc.admin:
        return Organization.objects.all()
    if not acc.office:
        return Organization.objects.none()
    return _subtree(acc.office, on or today())


def visible_members(user: Any, on: dt.date | None = None) -> QuerySet[Member]:
    """Members who belonged to a visible organization at some time (their history here stays readable), and the
    user's own record."""
    acc = access(user)
    if acc.admin:
        return Member.objects.all()
    qs = Member.objects.none()
    if acc.read:
        spans = MembershipSpan.objects.filter(organization_id__in=visible_orgs(user, on).values("pk"))
        qs = Member.objects.filter(pk__in=spans.values("member_id"))
    if acc.member_id is not None:
        qs = qs | Member.objects.filter(pk=acc.member_id)
    return qs


def home_orgs(user: Any) -> QuerySet[Organization]:
    """The organizations a user's grants name (their dashboards), today."""
    acc = access(user)
    if acc.admin and not acc.read:
        return Organization.objects.filter(
            pk__in=OrgAncestry.objects.on(today()).filter(depth=0).values("organization_id")
        ).exclude(pk__in=OrgAncestry.objects.on(today()).filter(depth=1).values("organization_id"))
    return Organization.objects.filter(pk__in=acc.read)


def home_org(user: Any) -> Organization | None:
    """Where a person lands: the organization of their first grant still valid (admin: the first top unit)."""
    g = (
        Grant.objects.of(user)
        .on(today())
        .filter(role__in=list(SUBTREE_ROLES), organization__isnull=False)
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    if g is not None:
        return g.organization
    return home_orgs(user).order_by("code").first() if access(user).admin else None


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


def get_member(user: Any, code: str, *, write: bool = False, on: dt.date | None = None) -> Member:
    member = visible_members(user, on).filter(code=code).first()
    if member is None:
        raise Http404("Không có đảng viên này trong phạm vi của bạn.")
    if write:
        span = MembershipSpan.objects.filter(member=member).order_by("-valid_from").first()
        if span is None or not can_write(user, span.organization_id, span.valid_from):
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


def visible_cycles(user: Any, *, on: dt.date | None = None) -> QuerySet[Any]:
    """Cycles whose committee's subtree, on the rating day, holds an organization the user sees on `on`
    (a branch secretary sees the district's cycle that rates their branch)."""
    from django.db.models import Exists, OuterRef

    from dangvu.assessment.models import AssessmentCycle

    if access(user).admin:
        return AssessmentCycle.objects.all()
    vis = visible_orgs(user, on).values("pk")
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
    from django.db.models import CharField, Q
    from django.db.models.functions import Cast

    from dangvu.assessment.models import AssessmentCycle
    from dangvu.audit.models import AuditEntry

    if access(user).admin:
        return AuditEntry.objects.all()
    own = Q(actor_id=user.pk)
    if not access(user).read:
        return AuditEntry.objects.filter(own)

    def ids(qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.annotate(s=Cast("pk", CharField())).values("s")

    orgs = visible_orgs(user)
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
    from django.db.models import Q

    acc = access(user)
    if acc.admin:
        return Grant.objects.all()
    return Grant.objects.filter(Q(user=user) | Q(organization_id__in=office_orgs(user).values("pk")))
