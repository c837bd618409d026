"""The names an audit page shows, loaded in bulk: one query per kind of object, whatever the number of entries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from dangvu.accounts.models import Account, Grant, Role
from dangvu.assessment.models import AssessmentCycle, Rating, Result
from dangvu.members.models import Member
from dangvu.orgs.models import LineageEvent, OrgVersion
from dangvu.targets.models import TermProgramme
from dangvu.work import models as work

from .models import AuditEntry

# ---------------------------------------------------------------- names for a page, resolved in bulk


@dataclass
class Names:
    """Everything a page of entries names, each loaded with one query."""

    orgs: dict[int, list[tuple[dt.date, dt.date, str]]] = field(default_factory=dict)
    org_codes: dict[str, int] = field(default_factory=dict)
    code_of_org: dict[int, str] = field(default_factory=dict)
    members: dict[int, tuple[str, str]] = field(default_factory=dict)
    member_codes: dict[str, int] = field(default_factory=dict)
    cycles: dict[int, dict[str, Any]] = field(default_factory=dict)
    ratings: dict[int, dict[str, Any]] = field(default_factory=dict)
    results: dict[int, dict[str, Any]] = field(default_factory=dict)
    lineage: dict[int, dict[str, Any]] = field(default_factory=dict)
    programmes: dict[int, dict[str, Any]] = field(default_factory=dict)
    documents: dict[int, str] = field(default_factory=dict)
    accounts: dict[int, int] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)

    def org(self, pk: Any, on: dt.date | None = None, *, bare: bool = False) -> str:
        """The organization's name as it stood on the day (its last name if it had ended), with its code."""
        try:
            key = int(pk)
        except (TypeError, ValueError):
            key = self.org_codes.get(str(pk), -1)
        versions = self.orgs.get(key)
        if not versions:
            return f"tổ chức mã {pk}" if pk not in (None, "") else "tổ chức đã xóa"
        name = versions[-1][2]
        if on is not None:
            for start, _end, n in versions:
                if start <= on:
                    name = n
        return name if bare else f"{name} ({self.code_of_org[key]})"

    def member(self, pk: Any) -> str:
        try:
            key = int(pk)
        except (TypeError, ValueError):
            key = self.member_codes.get(str(pk), -1)
        if key not in self.members:
            return "đảng viên đã xóa"
        code, name = self.members[key]
        return f"đảng viên {name} ({code})"

    def subject(self, member_id: Any, organization_id: Any, on: dt.date | None = None) -> str:
        if member_id:
            return self.member(member_id)
        if organization_id:
            return self.org(organization_id, on)
        return ""

    def cycle(self, pk: Any) -> str:
        c = self.cycles.get(int(pk)) if str(pk).isdigit() else None
        if c is None:
            return "một đợt đánh giá đã xóa"
        return f"đợt đánh giá năm {c['year']} của {self.org(c['committee_id'], dt.date(c['year'], 12, 31))}"

    def user(self, pk: Any) -> str:
        return self.users.get(int(pk), f"số {pk}") if str(pk).isdigit() else str(pk)

    def actor(self, e: AuditEntry) -> str:
        """'Cán bộ ban tổ chức canbo'; a system process by its label ('Trình sinh dữ liệu mẫu')."""
        if e.actor_id is None:
            label = {"dangvu demo": "lệnh tạo dữ liệu mẫu", "dòng lệnh": "lệnh dòng lệnh"}.get(
                e.actor_label, e.actor_label
            )
            return label[:1].upper() + label[1:]
        role = self.roles.get(e.actor_id, "Tài khoản")
        return f"{role} {e.actor_label}"


def _ids(values: Iterable[Any]) -> set[int]:
    out = set()
    for v in values:
        if v not in (None, "") and str(v).isdigit():
            out.add(int(v))
    return out


def _dicts(e: AuditEntry) -> list[dict[str, Any]]:
    out = []
    for part in (e.before, e.after):
        if isinstance(part, dict):
            out.append(part)
            # lineage entries keep the sources' snapshots keyed by id
            out.extend(v for v in part.values() if isinstance(v, dict))
    return out


def resolve(entries: Sequence[AuditEntry]) -> Names:
    """Load every name the entries need: one query per kind of object, whatever the number of entries."""
    n = Names()
    by_type: dict[str, set[int]] = defaultdict(set)
    org_ids: set[int] = set()
    org_codes: set[str] = set()
    member_ids: set[int] = set()
    member_codes: set[str] = set()
    user_ids: set[int] = set()
    doc_ids: set[int] = set()
    for e in entries:
        if e.object_id.isdigit():
            by_type[e.object_type].add(int(e.object_id))
        if e.actor_id is not None:
            user_ids.add(e.actor_id)
        for d in _dicts(e):
            org_ids |= _ids([d.get("organization_id"), d.get("parent_id"), d.get("leadership_of_id")])
            member_ids |= _ids([d.get("member_id")])
            user_ids |= _ids([d.get("user_id")])
            doc_ids |= _ids([d.get("document_id"), d.get("resolution_id")])
            for key in ("target", "members_to", "root"):
                if isinstance(d.get(key), str):
                    org_codes.add(d[key])
            org_codes |= {c for c in d.get("parts", []) if isinstance(c, str)}
            if isinstance(d.get("member"), str):
                member_codes.add(d["member"])
        if e.action == "result_decide" and isinstance(e.after, dict) and len(e.after.get("decisions", [])) == 1:
            subject = str(e.after["decisions"][0][0])
            (member_ids if subject.startswith("m") else org_ids).update(_ids([subject[1:]]))
    org_ids |= by_type["orgs.organization"]
    member_ids |= by_type["members.member"]
    user_ids |= by_type["auth.user"]
    if by_type["assessment.rating"]:
        for r in Rating.objects.filter(pk__in=by_type["assessment.rating"]).values(
            "id", "cycle_id", "member_id", "organization_id", "stage", "level"
        ):
            n.ratings[r["id"]] = dict(r)
            by_type["assessment.assessmentcycle"].add(r["cycle_id"])
            member_ids |= _ids([r["member_id"]])
            org_ids |= _ids([r["organization_id"]])
    if by_type["assessment.result"]:
        for res in Result.objects.filter(pk__in=by_type["assessment.result"]).values(
            "id", "cycle_id", "member_id", "organization_id", "year"
        ):
            n.results[res["id"]] = dict(res)
            member_ids |= _ids([res["member_id"]])
            org_ids |= _ids([res["organization_id"]])
    if by_type["assessment.assessmentcycle"]:
        for c in AssessmentCycle.objects.filter(pk__in=by_type["assessment.assessmentcycle"]).values(
            "id", "year", "committee_id"
        ):
            n.cycles[c["id"]] = dict(c)
            org_ids.add(c["committee_id"])
    if by_type["orgs.lineageevent"]:
        for ev in LineageEvent.objects.filter(pk__in=by_type["orgs.lineageevent"]).values(
            "id", "kind", "effective_on", "decision_ref"
        ):
            n.lineage[ev["id"]] = dict(ev)
    if by_type["targets.termprogramme"]:
        for p in TermProgramme.objects.filter(pk__in=by_type["targets.termprogramme"]).values(
            "id", "title", "term", "organization_id"
        ):
            n.programmes[p["id"]] = dict(p)
            org_ids.add(p["organization_id"])
    if by_type["accounts.account"]:
        n.accounts = dict(Account.objects.filter(pk__in=by_type["accounts.account"]).values_list("id", "user_id"))
        user_ids |= set(n.accounts.values())
    if doc_ids:
        n.documents = {d.pk: f"{d.number}-{d.type}/{d.issuer}" for d in work.Document.objects.filter(pk__in=doc_ids)}
    if org_ids or org_codes:
        rows = (
            OrgVersion.objects.filter(Q(organization_id__in=org_ids) | Q(organization__code__in=org_codes))
            .order_by("organization_id", "valid_from")
            .values_list("organization_id", "organization__code", "valid_from", "valid_to", "name")
        )
        for oid, code, start, end, name in rows:
            n.orgs.setdefault(oid, []).append((start, end, name))
            n.org_codes[code] = oid
            n.code_of_org[oid] = code
    if member_ids or member_codes:
        for mid, code, name in Member.objects.filter(Q(pk__in=member_ids) | Q(code__in=member_codes)).values_list(
            "id", "code", "full_name"
        ):
            n.members[mid] = (code, name)
            n.member_codes[code] = mid
    if user_ids:
        users = get_user_model().objects.filter(pk__in=user_ids).values_list("id", "username", "is_superuser")
        n.users = {pk: name for pk, name, _ in users}
        labels = dict(Role.choices)
        order = [r.value for r in Role]
        best: dict[int, str] = {}
        for uid, role in Grant.objects.filter(user_id__in=user_ids).values_list("user_id", "role"):
            if uid not in best or order.index(role) < order.index(best[uid]):
                best[uid] = role
        n.roles = {uid: labels[role].split(" (")[0] for uid, role in best.items()}
        for pk, _name, superuser in users:
            if superuser and pk not in n.roles:
                n.roles[pk] = "Quản trị hệ thống"
    return n
