"""People and access: roles granted on an organization and its subtree for a term, and the link from a
login to the party member it belongs to.

A grant never overwrites the past (STYLE §8): ending one sets valid_to; the audit log keeps who did it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangvu.domain.periods import OPEN_END
from dangvu.members.models import Member
from dangvu.orgs.models import Organization, valid_on


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    STAFF = "staff", "Cán bộ ban tổ chức"  # department staff: read-write on the subtree
    GRASSROOTS_SECRETARY = "grassroots_secretary", "Bí thư tổ chức cơ sở đảng"
    BRANCH_SECRETARY = "branch_secretary", "Bí thư chi bộ"
    INSPECTOR = "inspector", "Cán bộ kiểm tra (chỉ xem)"
    MEMBER = "member", "Đảng viên"


# Roles that see a subtree, and those of them that may change it.
SUBTREE_ROLES = {Role.ADMIN, Role.STAFF, Role.GRASSROOTS_SECRETARY, Role.BRANCH_SECRETARY, Role.INSPECTOR}
WRITE_ROLES = {Role.ADMIN, Role.STAFF, Role.GRASSROOTS_SECRETARY, Role.BRANCH_SECRETARY}
# Roles that run an import or read the whole audit log of their subtree.
OFFICE_ROLES = {Role.ADMIN, Role.STAFF}


class GrantQuerySet(models.QuerySet["Grant"]):
    def on(self, day: dt.date) -> GrantQuerySet:
        return self.filter(valid_on(day))

    def of(self, user: Any) -> GrantQuerySet:
        return self.filter(user=user)


class Grant(models.Model):
    """A role held by a user on an organization's subtree over [valid_from, valid_to).

    The organization is empty only for the system administrator (the whole tree)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField("vai trò", max_length=24, choices=Role.choices)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến ngày", default=OPEN_END)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = "phân quyền"
        indexes = [
            # visible_orgs(): a user's grants on a date, on every request.
            models.Index(fields=["user", "valid_from", "valid_to"], name="grant_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_from__lt=models.F("valid_to")), name="grant_period"),
            models.CheckConstraint(
                condition=Q(role="admin") | Q(role="member") | Q(organization__isnull=False),
                name="grant_org_unless_admin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} {self.organization_id} {self.valid_from}–{self.valid_to}"


class Account(models.Model):
    """What a login is besides its password: the party member it is (for the member's own pages)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    member = models.OneToOneField(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="account")

    class Meta:
        verbose_name = "tài khoản"

    def __str__(self) -> str:
        return f"{self.user_id}→{self.member_id}"
