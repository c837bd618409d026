"""Members: the profile (phiếu đảng viên), dated lifecycle events, and derived membership spans.

Events are the record; spans are derived from them by domain.membership.derive() in the same
transaction as each change, so 'where did X belong on d' and 'how many members had Y on d' are
indexed lookups.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q

from dangvu.domain.membership import (
    ADMISSION_CATEGORY_LABELS,
    EVENT_LABELS,
    AdmissionCategory,
    EventKind,
    Status,
)
from dangvu.domain.periods import OPEN_END
from dangvu.domain.vietnamese import fmt_date, fold, person_sort_text
from dangvu.orgs.models import OrgAncestry, Organization, valid_on


class Member(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", "Nam"
        FEMALE = "female", "Nữ"

    class PoliticalTheory(models.TextChoices):
        NONE = "", "Chưa qua đào tạo"
        ELEMENTARY = "elementary", "Sơ cấp"
        INTERMEDIATE = "intermediate", "Trung cấp"
        ADVANCED = "advanced", "Cao cấp"
        BACHELOR = "bachelor", "Cử nhân"

    # A stable short key for exchange files and links (the dossier number can be missing or change).
    code = models.CharField("mã đảng viên", max_length=20, unique=True)
    # Identity (HD 12-HD/BTCTW, phiếu đảng viên 2-HSĐV; membership_orgs §3)
    full_name = models.CharField("họ và tên đang dùng", max_length=120)
    # "nguyen van an": search (members.search), through the indexes of migration 0005 — a btree on it served no
    # query (LIKE '%…%'), so it was dropped there.
    full_name_folded = models.CharField(max_length=120)
    # The Vietnamese order of people (given name first: domain.vietnamese.person_sort_text), compared bytewise:
    # the member list and the pickers sort and page on it in the database (members.search). PostgreSQL: the column
    # has COLLATE "C" (migration 0005), so its plain index serves ORDER BY.
    name_sort = models.TextField(editable=False, default="")
    birth_name = models.CharField("họ và tên khai sinh", max_length=120, blank=True)
    gender = models.CharField("giới tính", max_length=8, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    birth_place = models.CharField("nơi sinh", max_length=255, blank=True)
    ethnicity = models.CharField("dân tộc", max_length=40, default="Kinh")
    religion = models.CharField("tôn giáo", max_length=40, blank=True)
    hometown = models.CharField("quê quán", max_length=255, blank=True)
    hometown_old = models.CharField("quê quán (tên cũ)", max_length=255, blank=True)
    residence = models.CharField("nơi thường trú", max_length=255, blank=True)
    # Identifiers are text: leading zeros matter. Sensitive: masked in lists, shown only in scope.
    citizen_id = models.CharField("số CCCD", max_length=12, null=True, blank=True, unique=True)
    card_number = models.CharField("số thẻ đảng viên", max_length=8, null=True, blank=True, unique=True)
    dossier_number = models.CharField("số lý lịch", max_length=16, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    # Education and training
    general_education = models.CharField("giáo dục phổ thông", max_length=10, blank=True)  # "12/12"
    professional_education = models.CharField("chuyên môn nghiệp vụ", max_length=120, blank=True)
    degree = models.CharField("học hàm, học vị", max_length=60, blank=True)
    political_theory = models.CharField(
        "lý luận chính trị", max_length=16, choices=PoliticalTheory.choices, blank=True, default=""
    )
    occupation = models.CharField("nghề nghiệp", max_length=120, blank=True)
    youth_union_on = models.DateField("ngày vào Đoàn", null=True, blank=True)
    introducers = models.CharField("người giới thiệu", max_length=255, blank=True)
    # QĐ 24 4.5 / HD 01 [V]: the committee may confirm a party age that the records cannot derive.
    party_age_confirmed_from = models.DateField("tuổi đảng tính từ (cấp ủy xác nhận)", null=True, blank=True)

    class Meta:
        verbose_name = "đảng viên"
        indexes = [
            # members.search: the list and the pickers walk people in Vietnamese order, a page at a time (keyset).
            # PostgreSQL: with the folded name included, the walk tests a name without reading the table.
            models.Index(fields=["name_sort", "id"], include=["full_name_folded"], name="member_name_sort_idx"),
        ]
        # Indexes the models cannot declare for both databases (migration 0005): PostgreSQL, a pg_trgm GIN index on
        # ' ' || full_name_folded (member_name_trgm_idx); SQLite, the FTS5 table members_member_fts kept by
        # triggers. Both serve members.search's word prefixes.

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kw: Any) -> None:
        self.derive_names()
        fields = kw.get("update_fields")
        if fields is not None and "full_name" in fields:
            kw["update_fields"] = {*fields, "full_name_folded", "name_sort"}
        adding = self._state.adding
        super().save(*args, **kw)
        if not adding and (fields is None or "full_name" in fields):
            self.sync_span_names()

    def sync_span_names(self) -> int:
        """Copy the folded name and the sort key onto the member's spans that still carry another (a change of
        name: one UPDATE through span_member_idx, none written when the name did not change)."""
        return (
            MembershipSpan.objects.filter(member_id=self.pk)
            .exclude(name_folded=self.full_name_folded, name_sort=self.name_sort)
            .update(name_folded=self.full_name_folded, name_sort=self.name_sort)
        )

    def derive_names(self) -> None:
        """The folded name (search) and the sort key (order) follow the name, whoever writes the profile."""
        self.full_name_folded, self.name_sort = fold(self.full_name), person_sort_text(self.full_name)


class MemberEvent(models.Model):
    Kind = EventKind
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("sự kiện", max_length=24, choices=[(k.value, EVENT_LABELS[k]) for k in EventKind])
    on = models.DateField("ngày hiệu lực")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="member_events"
    )
    decision_ref = models.CharField("số quyết định", max_length=120, blank=True)
    decided_on = models.DateField("ngày quyết định", null=True, blank=True)
    ceremony_on = models.DateField("ngày lễ kết nạp", null=True, blank=True)
    reviewed_on = models.DateField("ngày chi bộ xét", null=True, blank=True)
    until = models.DateField("đến ngày", null=True, blank=True)
    category = models.CharField(
        "đối tượng kết nạp",
        max_length=32,
        blank=True,
        choices=[(c.value, ADMISSION_CATEGORY_LABELS[c]) for c in AdmissionCategory],
    )
    approval_ref = models.CharField("văn bản chấp thuận (trên 60 tuổi)", max_length=120, blank=True)
    counterpart = models.CharField("nơi đi / nơi đến ngoài hệ thống", max_length=255, blank=True)
    # Set when the event was caused by a merge, split, absorption or dissolution of the organization.
    lineage_event = models.ForeignKey(
        "orgs.LineageEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="member_events"
    )
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["member_id", "on", "id"]
        indexes = [
            # indicators: admissions in a period (work issue), events of a kind in a period.
            models.Index(fields=["kind", "on"], name="memberevent_kind_on_idx"),
            # indicators scoped to a subtree (orgs.queries.tally_by_root): a unit's events of a kind in a period,
            # probed once per unit of a province; the plain organization index read all of a unit's events.
            models.Index(fields=["organization", "kind", "on"], name="memberevent_org_kind_on_idx"),
            # a member's events of a kind (work.alerts: first admission and entries of a subtree's members, read
            # from the index alone; a province's alerts probe tens of thousands of members).
            models.Index(fields=["member", "kind", "on"], name="memberevent_member_kind_on_idx"),
        ]

    def __str__(self) -> str:
        return f"{EVENT_LABELS[self.kind]} {fmt_date(self.on)}"


class MembershipSpanQuerySet(models.QuerySet["MembershipSpan"]):
    def on(self, day: dt.date) -> MembershipSpanQuerySet:
        return self.filter(valid_on(day))

    def in_subtree(self, org: Organization | int, *, on: dt.date) -> MembershipSpanQuerySet:
        """Spans on `on` in the units that were inside org's subtree on that same date."""
        org_id = org if isinstance(org, int) else org.pk
        units = OrgAncestry.objects.on(on).filter(ancestor_id=org_id).values("organization_id")
        return self.on(on).filter(organization_id__in=units)

    def official(self) -> MembershipSpanQuerySet:
        return self.filter(status=Status.OFFICIAL)

    def probationary(self) -> MembershipSpanQuerySet:
        return self.filter(status=Status.PROBATIONARY)


class MembershipSpan(models.Model):
    """Derived: member belonged officially to organization, with status, over [valid_from, valid_to)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="spans")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="spans")
    status = models.CharField(max_length=16, choices=[(s.value, s.value) for s in Status])
    valid_from = models.DateField()
    valid_to = models.DateField(default=OPEN_END)
    # The member's Member.full_name_folded and Member.name_sort beside the span, so that a scope's search reads only
    # the scope's own spans (members.search, scope-first path; span_search_idx). Copied by whatever writes spans
    # (members.services.spans_write and members_load, the national generator's COPY) and by Member.save when the
    # name changes (sync_span_names). PostgreSQL: name_sort has COLLATE "C" like the member's (migration 0006).
    name_folded = models.CharField(max_length=120, default="", editable=False)
    name_sort = models.TextField(default="", editable=False)

    objects = MembershipSpanQuerySet.as_manager()

    class Meta:
        indexes = [
            # counts per organization on a date (tree, indicators): covering index.
            models.Index(fields=["valid_from", "valid_to", "organization", "status"], name="span_on_idx"),
            # a unit's members on a date (member lists); with status included, a subtree's counts on a date
            # (orgs.queries.direct_counts for a province's tree) are an index-only scan on PostgreSQL.
            models.Index(
                fields=["organization", "valid_from", "valid_to"], include=["status"], name="span_org_status_idx"
            ),
            models.Index(fields=["member", "valid_from"], name="span_member_idx"),
            # members.search: is this member in the scope on the day? Answered from the index alone (PostgreSQL).
            models.Index(
                fields=["member", "valid_to", "valid_from"],
                include=["organization", "status"],
                name="span_member_cover_idx",
            ),
            # members.search, scope-first: a unit's spans not ended by the day, with what the search tests and
            # sorts on, read from the index alone (PostgreSQL; SQLite ignores INCLUDE). A province reads its own
            # ~113 k rows instead of the trigram index's matches for the whole country.
            models.Index(
                fields=["organization", "valid_to"],
                include=["valid_from", "status", "member", "name_sort", "name_folded"],
                name="span_search_idx",
            ),
        ]
        constraints = [models.CheckConstraint(condition=Q(valid_from__lt=models.F("valid_to")), name="span_period")]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.organization_id} {self.status} {self.valid_from}–{self.valid_to}"
