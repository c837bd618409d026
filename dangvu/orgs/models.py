"""Organizations with history: a stable row, versions over date ranges, lineage events.

Versions never overwrite the past (STYLE §8): a rename or a move closes the current version
and opens a new one. OrgAncestry is derived from the versions (domain.orgtree.AncestryBuilder)
and rebuilt by the services; it makes 'subtree of X on d' a single indexed lookup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connections, models
from django.db.models import Q
from django.db.models.functions import Collate

from dangvu.domain.orgtree import (
    GRASSROOTS,
    LINEAGE_LABELS,
    ORG_KIND_LABELS,
    SECTOR_LABELS,
    LineageKind,
    OrgKind,
    Sector,
)
from dangvu.domain.periods import OPEN_END
from dangvu.domain.vietnamese import fmt_date, fold, sort_key

KIND_CHOICES = [(k.value, ORG_KIND_LABELS[k]) for k in OrgKind]
SECTOR_CHOICES = [(s.value, SECTOR_LABELS[s]) for s in Sector]
LINEAGE_CHOICES = [(k.value, LINEAGE_LABELS[k]) for k in LineageKind]


def valid_on(day: dt.date, prefix: str = "") -> Q:
    """valid_from <= day < valid_to, for a model (or a relation, with prefix 'rel__')."""
    return Q(**{f"{prefix}valid_from__lte": day, f"{prefix}valid_to__gt": day})


class Organization(models.Model):
    """One party organization, stable across renames, moves and kind changes."""

    code = models.CharField("mã", max_length=32, unique=True)

    class Meta:
        verbose_name = "tổ chức đảng"

    def __str__(self) -> str:
        return self.code

    def version_on(self, day: dt.date) -> OrgVersion | None:
        return self.versions.filter(valid_on(day)).first()


class LineageEvent(models.Model):
    """A change in the map, with its effective date and deciding document."""

    Kind = LineageKind
    kind = models.CharField("loại", max_length=16, choices=LINEAGE_CHOICES)
    effective_on = models.DateField("ngày hiệu lực")
    decision_ref = models.CharField("văn bản quyết định", max_length=120, blank=True)
    decision_on = models.DateField("ngày quyết định", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{LINEAGE_LABELS[self.kind]} {fmt_date(self.effective_on)} {self.decision_ref}"


class LineageLink(models.Model):
    """Which organizations an event took (sources) and gave (targets)."""

    class Role(models.TextChoices):
        SOURCE = "source", "trước"
        TARGET = "target", "sau"

    event = models.ForeignKey(LineageEvent, on_delete=models.CASCADE, related_name="links")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="lineage_links")
    role = models.CharField(max_length=8, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "organization", "role"], name="lineage_link_unique")]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.role}:{self.organization_id}"


class OrgVersionQuerySet(models.QuerySet["OrgVersion"]):
    def on(self, day: dt.date) -> OrgVersionQuerySet:
        return self.filter(valid_on(day))

    def by_name(self) -> OrgVersionQuerySet:
        """In Vietnamese order with numbers by value ("Thôn 2" before "Thôn 10"), the same order as
        sorted(key=domain.vietnamese.sort_key): the stored key compared bytewise (SQLite's default BINARY;
        PostgreSQL's database collation may be a language's, so COLLATE "C" is asked for)."""
        key: Any = "name_sort"
        if connections[self.db].vendor == "postgresql":
            key = Collate("name_sort", "C")
        return self.order_by(key, "organization_id", "valid_from")

    def bulk_create(self, objs: Iterable[OrgVersion], *args: Any, **kw: Any) -> list[OrgVersion]:
        objs = list(objs)
        for v in objs:
            v.derive_names()
        return super().bulk_create(objs, *args, **kw)


class OrgVersion(models.Model):
    """What an organization was over [valid_from, valid_to)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField()
    valid_to = models.DateField(default=OPEN_END)
    name = models.CharField("tên", max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True)  # search without diacritics
    # domain.vietnamese.sort_key(name): ORDER BY it for Vietnamese order with numbers by value (by_name()).
    name_sort = models.TextField(editable=False, default="")
    parent = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="child_versions"
    )
    kind = models.CharField("cấp", max_length=24, choices=KIND_CHOICES)
    sector = models.CharField("loại hình", max_length=24, choices=SECTOR_CHOICES, default=Sector.OTHER)
    # The lineage event that opened this version (None for data loaded without one).
    event = models.ForeignKey(LineageEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = OrgVersionQuerySet.as_manager()

    class Meta:
        ordering = ["organization_id", "valid_from"]
        indexes = [
            # tree_on(): children of a parent on a date.
            models.Index(fields=["parent", "valid_from", "valid_to"], name="orgversion_parent_idx"),
            # version_on(): an organization's version on a date.
            models.Index(fields=["organization", "valid_from", "valid_to"], name="orgversion_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_from__lt=models.F("valid_to")), name="orgversion_period")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({fmt_date(self.valid_from)}–)"

    def save(self, *args: Any, **kw: Any) -> None:
        self.derive_names()
        fields = kw.get("update_fields")
        if fields is not None and "name" in fields:
            kw["update_fields"] = {*fields, "name_folded", "name_sort"}
        super().save(*args, **kw)

    def derive_names(self) -> None:
        """The folded name (search) and the sort key (order) follow the name, whoever writes the version."""
        self.name_folded, self.name_sort = fold(self.name), sort_key(self.name)

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS


class OrgAncestryQuerySet(models.QuerySet["OrgAncestry"]):
    def on(self, day: dt.date) -> OrgAncestryQuerySet:
        return self.filter(valid_on(day))


class OrgAncestry(models.Model):
    """Derived: ancestor (depth 0 = itself) of organization over [valid_from, valid_to)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="ancestry")
    ancestor = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="descendancy")
    depth = models.PositiveSmallIntegerField()
    ancestor_kind = models.CharField(max_length=24, choices=KIND_CHOICES)
    valid_from = models.DateField()
    valid_to = models.DateField(default=OPEN_END)

    objects = OrgAncestryQuerySet.as_manager()

    class Meta:
        indexes = [
            # subtree_on(): descendants of X on a date.
            models.Index(fields=["ancestor", "valid_from", "valid_to"], name="ancestry_anc_idx"),
            # counts per grassroots organization: map each unit to its grassroots ancestor on d.
            models.Index(
                fields=["organization", "ancestor_kind", "valid_from", "valid_to", "ancestor"],
                name="ancestry_org_kind_idx",
            ),
            # indicators (orgs.queries.tally_by_root): "was this event's unit under root on the event's date",
            # probed once per event by (unit, root); without it SQLite walks root's whole subtree per event.
            models.Index(fields=["organization", "ancestor", "valid_from", "valid_to"], name="ancestry_org_anc_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ancestor_id}>{self.organization_id} ({self.valid_from}–{self.valid_to})"
