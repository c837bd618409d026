"""Reads of the work lists: a kind's records in a scope, filtered (unit on the record's date, year or period,
kind, words without diacritics), and shaped into rows that name members, units (as they were called on the
record's date) and documents, with the code beside where it helps.

The scope comes in as QuerySets from accounts.scope (the one truth); nothing here decides who sees what.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import DateField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangvu.domain.badges import MILESTONES
from dangvu.domain.vietnamese import fmt_date, fmt_decimal, fmt_int, fold
from dangvu.members.models import Member, MembershipSpan
from dangvu.members.search import name_condition
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion

from . import models as wm

# Columns that are not the model's own fields, and labels the models do not carry.
LABELS = {
    "member": "Đảng viên",
    "organization": "Đơn vị",
    "document": "Văn bản",
    "reference": "Số, ký hiệu",
    "stage": "Bước",
}
# Whole numbers that are not quantities: no thousands separator ("năm 2024", not "2.024").
PLAIN_NUMBERS = {"year", "milestone", "number"}


@dataclass(frozen=True)
class ListSpec:
    """What a work list shows and filters on."""

    model: type[models.Model]
    date: str  # the record's day: the year and period filters, the unit's name on that day, the order
    columns: tuple[str, ...]
    kind: str = ""  # the field the "loại" filter reads ("" for none)
    kind_label: str = "Loại"

    @property
    def fields(self) -> set[str]:
        return {f.name for f in self.model._meta.fields}

    def nullable(self, name: str) -> bool:
        return bool(getattr(self.model._meta.get_field(name), "null", False))

    def label(self, column: str) -> str:
        if column in LABELS:
            return LABELS[column]
        return str(self.model._meta.get_field(column).verbose_name).capitalize()  # type: ignore[union-attr]


SPECS: dict[str, ListSpec] = {
    "ket-nap": ListSpec(
        wm.Candidate,
        "awareness_course_on",
        ("full_name", "birth_date", "organization", "awareness_course_on", "branch_vote_on", "stage", "member"),
        kind="stage",
        kind_label="Bước",
    ),
    "ky-luat": ListSpec(
        wm.Discipline,
        "decided_on",
        ("decided_on", "member", "organization", "form", "deciding_body", "decision_ref"),
        kind="form",
        kind_label="Hình thức",
    ),
    "kiem-tra": ListSpec(
        wm.Inspection,
        "started_on",
        ("started_on", "kind", "organization", "member", "planned", "concluded_on", "violation_found"),
        kind="kind",
    ),
    "don-thu": ListSpec(
        wm.Petition,
        "received_on",
        ("received_on", "kind", "organization", "member", "handled_on", "concluded_on"),
        kind="kind",
    ),
    "can-bo": ListSpec(
        wm.CadreMove,
        "on",
        ("on", "kind", "person_name", "organization", "position", "decision_ref"),
        kind="kind",
        kind_label="Hình thức",
    ),
    "quy-hoach": ListSpec(
        wm.SuccessionPlan,
        "approved_on",
        ("member", "organization", "title", "term", "approved_on"),
        kind="title",
        kind_label="Chức danh",
    ),
    "boi-duong": ListSpec(
        wm.TrainingClass,
        "started_on",
        ("started_on", "kind", "title", "organization", "ended_on", "attendances"),
        kind="kind",
        kind_label="Loại lớp",
    ),
    "hoc-tap": ListSpec(
        wm.StudySession, "held_on", ("held_on", "organization", "document", "expected", "participants")
    ),
    "van-ban": ListSpec(
        wm.Document,
        "issued_on",
        ("issued_on", "reference", "term", "subject", "organization", "issuer_name", "programme_kind"),
        kind="type",
        kind_label="Loại văn bản",
    ),
    "khen-thuong": ListSpec(
        wm.Commendation,
        "decided_on",
        ("decided_on", "title", "kind", "member", "organization", "granted_by", "year"),
        kind="kind",
        kind_label="Hình thức",
    ),
    "huy-hieu": ListSpec(
        wm.BadgeAward,
        "awarded_on",
        ("awarded_on", "member", "milestone", "decision_ref", "posthumous"),
        kind="milestone",
        kind_label="Huy hiệu",
    ),
    "chi-tieu": ListSpec(
        wm.FreeIndicator, "period_start", ("period_start", "period_end", "name", "organization", "value", "unit")
    ),
}


@dataclass(frozen=True)
class WorkFilter:
    unit: Organization | None = None
    year: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    kind: str = ""
    q: str = ""
    record: int | None = None  # one record (an alert's link)

    def described(self) -> dict[str, str]:
        """The filters in words, for the export's title line and its audit entry."""
        out = {}
        if self.unit is not None:
            out["đơn vị"] = self.unit.code
        if self.year:
            out["năm"] = str(self.year)
        if self.start:
            out["từ ngày"] = fmt_date(self.start)
        if self.end:
            out["đến ngày"] = fmt_date(self.end)
        if self.kind:
            out["loại"] = self.kind
        if self.q:
            out["tìm"] = self.q
        return out


def kind_choices(spec: ListSpec) -> list[tuple[str, str]]:
    if not spec.kind:
        return []
    if spec.kind == "milestone":
        return [(str(m), f"Huy hiệu {m} năm tuổi Đảng") for m in MILESTONES]
    choices = spec.model._meta.get_field(spec.kind).choices  # type: ignore[union-attr]
    if choices:
        return [(str(v), str(label)) for v, label in choices]
    # Document types are open (NQ, CTr, KH …): the ones on record, by their names (HD 36's list, domain.documents).
    from dangvu.domain.documents import TYPES

    values = spec.model._default_manager.order_by(spec.kind).values_list(spec.kind, flat=True).distinct()
    return [(v, f"{TYPES[v]} ({v})" if v in TYPES else v) for v in values]


def records(spec: ListSpec, *, orgs: QuerySet[Organization], members: QuerySet[Member], f: WorkFilter) -> QuerySet[Any]:
    """The kind's records whose organization is in `orgs` or whose member is in `members` (documents of the
    centre and other issuers outside the tree are everybody's), filtered, newest first."""
    fields = spec.fields
    scope = Q(pk__in=[])
    if "organization" in fields:
        scope |= Q(organization_id__in=orgs.values("pk"))
    # A record always held by an organization is in scope by it (an inspection naming a member is still the
    # organization's); the members' subquery is only for records about a member alone.
    if "member" in fields and ("organization" not in fields or spec.nullable("organization")):
        scope |= Q(member_id__in=members.values("pk"))
    if spec.model is wm.Document:
        scope |= Q(organization__isnull=True)
    qs = spec.model._default_manager.filter(scope)
    if f.record is not None:
        qs = qs.filter(pk=f.record)
    if f.year:
        qs = qs.filter(**{f"{spec.date}__year": f.year})
    if f.start:
        qs = qs.filter(**{f"{spec.date}__gte": f.start})
    if f.end:
        qs = qs.filter(**{f"{spec.date}__lte": f.end})
    if f.kind and spec.kind:
        qs = qs.filter(**{spec.kind: f.kind})
    if f.unit is not None:
        qs = _under(qs, spec, f.unit)
    if f.q.strip():
        qs = qs.filter(_words(spec, f.q))
    related = [r for r in ("organization", "member", "document") if r in fields]
    return qs.select_related(*related).order_by(F(spec.date).desc(nulls_last=True), "-pk")


def _under(qs: QuerySet[Any], spec: ListSpec, unit: Organization) -> QuerySet[Any]:
    """Records of the unit's subtree as it stood on each record's day (a commune's record of 2020 belongs to the
    district it was in then); a member's record by the member's unit on that day. A record without a day (a
    candidate still being prepared) is taken on today."""
    qs = qs.annotate(_on=Coalesce(F(spec.date), Value(timezone.localdate(), output_field=DateField())))
    on_day = {"valid_from__lte": OuterRef("_on"), "valid_to__gt": OuterRef("_on")}
    cond: Any = Q(pk__in=[])
    if "organization" in spec.fields:
        cond |= Exists(OrgAncestry.objects.filter(organization_id=OuterRef("organization_id"), ancestor=unit, **on_day))
    if "member" in spec.fields:
        cond |= Exists(
            MembershipSpan.objects.filter(
                member_id=OuterRef("member_id"),
                organization_id__in=OrgAncestry.objects.filter(ancestor=unit).values("organization_id"),
                **on_day,
            )
        )
    return qs.filter(cond)


def _words(spec: ListSpec, q: str) -> Q:
    """Every word typed, without diacritics, in the record's own words, its member's or unit's name, or a code."""
    cond = Q()
    for word in fold(q).split():
        one = Q()
        if issubclass(spec.model, wm.Searchable):
            one |= Q(search_folded__contains=word)
        if "member" in spec.fields:
            # the member's name as the member search finds it (members.search: the start of a word, indexed)
            one |= name_condition((word,), prefix="member__") | Q(member__code__iexact=word)
        if "organization" in spec.fields:
            names = OrgVersion.objects.filter(name_folded__contains=word).values("organization_id")
            one |= Q(organization_id__in=names) | Q(organization__code__iexact=word)
        if "document" in spec.fields:
            one |= Q(document__search_folded__contains=word)
        cond &= one
    return cond


# ---------------------------------------------------------------- rows


@dataclass(frozen=True)
class Cell:
    text: str
    code: str = ""  # shown beside the name
    link: str = ""  # member | org | document: the template links the code (or pk) to its page
    key: str = ""

    def __str__(self) -> str:
        return f"{self.text} ({self.code})" if self.code and self.text != self.code else self.text


@dataclass
class Row:
    obj: Any
    cells: list[Cell] = field(default_factory=list)


class UnitNames:
    """Units' names on any day (the nearest version when the day falls outside the unit's life) and their codes,
    from one query for all the units."""

    def __init__(self, org_ids: set[int] | list[int]) -> None:
        self.versions: dict[int, list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
        self.codes: dict[int, str] = {}
        for oid, start, end, name, code in (
            OrgVersion.objects.filter(organization_id__in=list(org_ids))
            .order_by("organization_id", "valid_from")
            .values_list("organization_id", "valid_from", "valid_to", "name", "organization__code")
        ):
            self.versions[oid].append((start, end, name))
            self.codes[oid] = code

    def __call__(self, oid: int, day: dt.date | None) -> str:
        vs = self.versions.get(oid)
        if not vs:
            return ""
        if day is None:
            return vs[-1][2]
        for start, end, name in vs:
            if start <= day < end:
                return name
        before = [v for v in vs if v[0] <= day]
        return (before[-1] if before else vs[0])[2]


def unit_names(org_ids: set[int] | list[int]) -> UnitNames:
    return UnitNames(org_ids)


def rows(spec: ListSpec, objs: list[Any]) -> list[Row]:
    """The page's records as cells of text, in three queries whatever the number of rows: a record about a member
    alone (a discipline, a commendation) shows the member's unit on the record's day in its unit column."""
    alone = {o.member_id for o in objs if getattr(o, "member_id", None) and not getattr(o, "organization_id", 1)}
    spans: dict[int, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
    for mid, start, end, oid in MembershipSpan.objects.filter(member_id__in=list(alone)).values_list(
        "member_id", "valid_from", "valid_to", "organization_id"
    ):
        spans[mid].append((start, end, oid))

    def unit_of(o: Any, day: dt.date | None) -> int | None:
        if getattr(o, "organization_id", None):
            return int(o.organization_id)
        found = [
            oid for start, end, oid in spans.get(getattr(o, "member_id", 0) or 0, []) if day and start <= day < end
        ]
        return found[0] if found else None

    days = [(o, getattr(o, spec.date, None)) for o in objs]
    units = [unit_of(o, day) for o, day in days]
    names = unit_names({u for u in units if u})
    out = []
    for (o, day), unit in zip(days, units, strict=True):
        out.append(Row(o, [_cell(o, c, day, names, unit) for c in spec.columns]))
    return out


def _cell(o: Any, column: str, day: dt.date | None, names: UnitNames, unit: int | None) -> Cell:
    if column == "organization":
        if unit is None:
            return Cell("", key=column)
        code = names.codes.get(unit, "")
        return Cell(names(unit, day) or code, code, "org", column)
    if column == "member":
        m = o.member
        return Cell(m.full_name, m.code, "member", column) if m else Cell("", key=column)
    if column == "document":
        d = o.document
        if d is None:
            return Cell("", key=column)
        subject = d.subject if len(d.subject) <= 80 else d.subject[:79] + "…"
        return Cell(f"{d.reference} — {subject}" if subject else d.reference, "", "document", column)
    display = getattr(o, f"get_{column}_display", None)
    if display is not None:
        return Cell(str(display()), key=column)
    value = getattr(o, column, "")
    if column == "milestone":
        return Cell(f"{value} năm", key=column)
    if isinstance(value, dt.date):
        return Cell(fmt_date(value), key=column)
    if isinstance(value, bool):
        return Cell("có" if value else "", key=column)
    if isinstance(value, Decimal):
        return Cell(fmt_decimal(value, 2), key=column)
    if isinstance(value, int) and column not in PLAIN_NUMBERS:
        return Cell(fmt_int(value), key=column)
    return Cell("" if value is None else str(value), key=column)
