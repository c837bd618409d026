"""Changes to access: grant a role, end a grant, link a login to a member. Each audited in its transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from dangvu.audit.services import Actor, audit, snapshot
from dangvu.domain.errors import RuleError
from dangvu.domain.periods import OPEN_END
from dangvu.domain.vietnamese import fmt_date
from dangvu.members.models import Member
from dangvu.orgs.models import Organization

from .models import Account, Grant, Role


@transaction.atomic
def grant_role(
    *,
    user: Any,
    role: str,
    organization: Organization | None,
    valid_from: dt.date,
    actor: Actor,
    valid_to: dt.date = OPEN_END,
    note: str = "",
) -> Grant:
    """Give a role on an organization's subtree for a term (the administrator's covers the whole tree)."""
    if role not in Role.values:
        raise RuleError(f"Không có vai trò '{role}'.", field="role")
    if organization is None and role not in (Role.ADMIN, Role.MEMBER):
        raise RuleError("Vai trò này cần một tổ chức đảng.", field="organization")
    if valid_to <= valid_from:
        raise RuleError("Ngày kết thúc phải sau ngày bắt đầu.", field="valid_to")
    if role == Role.MEMBER and not Account.objects.filter(user=user, member__isnull=False).exists():
        raise RuleError("Tài khoản chưa gắn với hồ sơ đảng viên nào.", field="user")
    g = Grant.objects.create(
        user=user, role=role, organization=organization, valid_from=valid_from, valid_to=valid_to, note=note
    )
    audit(actor=actor, action="grant_role", obj=g, after=snapshot(g))
    return g


@transaction.atomic
def grant_end(*, grant: Grant, on: dt.date, actor: Actor, reason: str = "") -> Grant:
    """End a grant from `on` (kept for the record, never deleted)."""
    if on <= grant.valid_from:
        raise RuleError(f"Phân quyền bắt đầu từ {fmt_date(grant.valid_from)}; ngày kết thúc phải sau đó.", field="on")
    before = snapshot(grant)
    grant.valid_to = min(on, grant.valid_to)
    grant.save(update_fields=["valid_to"])
    audit(actor=actor, action="grant_end", obj=grant, before=before, after=snapshot(grant), reason=reason)
    return grant


@transaction.atomic
def account_link_member(*, user: Any, member: Member | None, actor: Actor) -> Account:
    """This login is that party member (own profile, own self-review)."""
    acc, _ = Account.objects.get_or_create(user=user)
    before = acc.member_id
    acc.member = member
    acc.save(update_fields=["member"])
    audit(
        actor=actor,
        action="account_link_member",
        obj=acc,
        before={"member_id": before},
        after={"member_id": member.pk if member else None},
    )
    return acc


@transaction.atomic
def user_create(*, username: str, password: str | None, actor: Actor, full_name: str = "", email: str = "") -> Any:
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise RuleError(f"Tên đăng nhập '{username}' đã có.", field="username")
    user = User.objects.create_user(username=username, password=password, email=email, first_name=full_name)
    audit(actor=actor, action="user_create", obj=user, after={"username": username})
    return user


# What the administrator's pages (Django admin) change is audited here: the admin saves the row in its own
# transaction and calls this in it (dangvu/accounts/admin.py). Passwords and keys are never copied into the log,
# only the names of the fields that changed.
@transaction.atomic
def admin_record(*, verb: str, obj: Any, changed: list[str], actor: Actor) -> None:
    """One audit entry for one row added, changed or deleted on the administrator's pages."""
    after = {"model": str(obj._meta.verbose_name), "object": str(obj)[:200], "changed": changed}
    action = {"add": "admin_add", "change": "admin_change", "delete": "admin_delete"}[verb]
    audit(actor=actor, action=action, obj=obj, after=after)
