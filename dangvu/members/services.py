"""Member changes. One service per change (STYLE §2), one transaction, one audit entry.

Each lifecycle service appends an event, re-derives the member's whole history through
domain.membership.derive() (so a rule broken anywhere in the history is refused, and nothing is
written), then replaces the member's derived spans.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from dangvu.audit.services import Actor, audit, snapshot
from dangvu.domain.errors import RuleError
from dangvu.domain.membership import (
    DEFAULT_PARAMS,
    MEMBER_HOLDING_KINDS,
    Event,
    EventKind,
    History,
    LifecycleParams,
    age_check,
    check_identifier,
    derive,
    no_future_dates,
    official_date,
)
from dangvu.domain.vietnamese import fmt_date, nfc
from dangvu.locks import conflicts_as_messages, serialize
from dangvu.orgs.models import LineageEvent, Organization, OrgVersion, valid_on

from .exports import ListRow, member_list_workbook
from .identifiers import identifier_refusals, refuse_taken
from .models import Member, MemberEvent, MembershipSpan

PROFILE_TEXT_FIELDS = [
    "code",
    "full_name",
    "birth_name",
    "birth_place",
    "ethnicity",
    "religion",
    "hometown",
    "hometown_old",
    "residence",
    "dossier_number",
    "phone",
    "general_education",
    "professional_education",
    "degree",
    "occupation",
    "introducers",
]
PROFILE_FIELDS = [
    "code",
    *PROFILE_TEXT_FIELDS,
    "gender",
    "birth_date",
    "citizen_id",
    "card_number",
    "political_theory",
    "youth_union_on",
    "party_age_confirmed_from",
]
PROFILE_DATES = ("birth_date", "youth_union_on", "party_age_confirmed_from")
# The days an event happened on (not `until`, the end of a suspension, which may lie ahead).
EVENT_DATES = ("decided_on", "ceremony_on", "reviewed_on", "on")


# A member whose events place them in no unit belongs to no organization (issue 13): refused by import and service.
NO_UNIT = (
    "không có sự kiện nào đưa đảng viên vào một chi bộ trong hệ thống (kết nạp tại chi bộ, chuyển đến, …): "
    "đảng viên sẽ không thuộc tổ chức nào."
)


def today() -> dt.date:
    return timezone.localdate()


def clean_profile(data: dict[str, Any]) -> dict[str, Any]:
    """NFC-normalize text, check the identifiers' form. Returns the cleaned fields. Whether an identifier is taken
    is `identifiers.refuse_taken`'s to say, for the person asking (no oracle)."""
    out = dict(data)
    unknown = set(out) - set(PROFILE_FIELDS)
    if unknown:
        raise RuleError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    for f in PROFILE_TEXT_FIELDS:
        if f in out:
            out[f] = nfc(out[f] or "")
    no_future_dates({f: out.get(f) for f in PROFILE_DATES}, today=today())
    if "full_name" in out and not out["full_name"]:
        raise RuleError("Thiếu họ và tên.", field="full_name")
    if "gender" in out and out["gender"] not in Member.Gender.values:
        raise RuleError(f"Giới tính không hợp lệ: '{out['gender']}' (Nam hoặc Nữ).", field="gender")
    if "citizen_id" in out:
        out["citizen_id"] = check_identifier(out["citizen_id"], digits=12, label="Số CCCD", field="citizen_id")
    if "card_number" in out:
        out["card_number"] = check_identifier(
            out["card_number"], digits=8, label="Số thẻ đảng viên", field="card_number"
        )
    return out


# The named lock every creation of members takes (dangvu.locks.serialize): the next code is read and the
# identifiers' uniqueness checked by one session at a time, so two people added at once get two codes.
MEMBERS_LOCK = "members.member:create"
CREATE_CONFLICT = (
    "Mã đảng viên, số CCCD hoặc số thẻ đảng viên vừa được một phiên làm việc khác dùng; đảng viên chưa được "
    "thêm, xin kiểm tra lại và thử lại."
)


@dataclass(frozen=True)
class Admission:
    """The event that places a new member in a unit: their admission into a chi bộ (member_admit's fields)."""

    org: Organization
    decided_on: dt.date
    ceremony_on: dt.date | None = None
    category: str = "general"
    decision_ref: str = ""
    reviewed_on: dt.date | None = None
    approval_ref: str = ""


def member_create(*, actor: Actor, admission: Admission | None = None, **profile: Any) -> Member:
    """A new profile and the admission that places it in a unit, in one transaction: a member no event places in
    a unit would belong to no organization, be invisible to whoever entered them and yet hold their citizen ID and
    card number (issue 13). A member admitted elsewhere arrives through an import, with their whole history.
    The identifiers are checked first, their refusals audited in a transaction of their own."""
    data = clean_profile(profile)
    for required, label in (("full_name", "họ và tên"), ("gender", "giới tính"), ("birth_date", "ngày sinh")):
        if not data.get(required):
            raise RuleError(f"Thiếu trường bắt buộc: {label}.", field=required)
    if admission is None or admission.org is None:
        raise RuleError(
            "Đảng viên mới cần quyết định kết nạp vào một chi bộ (hoặc được nhập từ tệp cùng quá trình sinh hoạt).",
            field="org",
        )
    refuse_taken(data, actor=actor)
    with conflicts_as_messages(CREATE_CONFLICT, field="code"), transaction.atomic():
        # The identifiers were checked above, their refusals audited in a transaction of their own; the code is
        # allocated under the lock, and a number another session took meanwhile ends in the constraint → message.
        serialize(MEMBERS_LOCK)
        # Again under the lock: another session may have taken a number since (its audit entry is then part of
        # this refused transaction; the first check above was audited on its own).
        refuse_taken(data, actor=actor)
        if not data.get("code"):
            data["code"] = next_member_code()
        if Member.objects.filter(code=data["code"]).exists():
            raise RuleError(f"Mã đảng viên '{data['code']}' đã được dùng.", field="code")
        m = Member.objects.create(**data)  # Member.save derives the folded name and the sort key
        audit(actor=actor, action="member_create", obj=m, after=snapshot(m))
        member_admit(member=m, actor=actor, **{f.name: getattr(admission, f.name) for f in fields(admission)})
    return m


def member_update(*, member: Member, actor: Actor, reason: str = "", **changes: Any) -> Member:
    """Profile corrections. A change of name or date of birth goes through HD 06-HD/TW's procedure: the
    reason (the deciding document) is required for those two."""
    data = clean_profile(changes)
    if {"full_name", "birth_date"} & set(data) and not reason:
        raise RuleError("Đổi họ tên hoặc ngày sinh cần ghi căn cứ (văn bản) theo Hướng dẫn 06-HD/TW.", field="reason")
    refuse_taken(data, actor=actor, exclude=member.pk)
    with transaction.atomic():
        return _member_update(member, data, actor=actor, reason=reason)


def _member_update(member: Member, data: dict[str, Any], *, actor: Actor, reason: str) -> Member:
    before = snapshot(member, list(data))
    for k, v in data.items():
        setattr(member, k, v)
    member.save()  # the folded name and the sort key follow the name (Member.derive_names)
    audit(
        actor=actor,
        action="member_update",
        obj=member,
        before=before,
        after=snapshot(member, list(data)),
        reason=reason,
    )
    return member


def next_member_code() -> str:
    """The code after the highest DV code. Race-free only under MEMBERS_LOCK (member_create takes it)."""
    last = Member.objects.filter(code__startswith="DV").order_by("-code").values_list("code", flat=True).first()
    n = int(last[2:]) + 1 if last and last[2:].isdigit() else 1
    return f"DV{n:07d}"


# ---------------------------------------------------------------- lifecycle


def as_domain(e: MemberEvent) -> Event:
    return Event(
        kind=e.kind,
        on=e.on,
        org_id=e.organization_id,
        ceremony_on=e.ceremony_on,
        until=e.until,
        approval_ref=e.approval_ref,
        reviewed_on=e.reviewed_on,
        ref=e.pk,
    )


def history_of(member: Member | int, params: LifecycleParams = DEFAULT_PARAMS) -> History:
    member_id = member if isinstance(member, int) else member.pk
    return derive([as_domain(e) for e in MemberEvent.objects.filter(member_id=member_id)], params)


def check_unit(org_id: int | None, on: dt.date, *, field: str = "organization") -> None:
    """The unit must exist on the date and be one where members belong (a chi bộ)."""
    if org_id is None:
        return
    v = OrgVersion.objects.filter(valid_on(on), organization_id=org_id).first()
    if v is None:
        code = Organization.objects.filter(pk=org_id).values_list("code", flat=True).first()
        raise RuleError(f"Tổ chức '{code}' không hoạt động vào ngày {fmt_date(on)}.", field=field)
    if v.kind not in MEMBER_HOLDING_KINDS:
        raise RuleError(
            f"Đảng viên sinh hoạt tại chi bộ; '{v.name}' là {v.get_kind_display().lower()}.",
            field=field,
            source="Điều lệ Đảng 2011, Điều 24",
        )


# Sent in the writing transaction when members' spans were rewritten (member_ids=[…]): work.due rewrites their
# stored alerts (a signal, so that members does not import work, which imports members).
spans_written = Signal()


def spans_write(member: Member, history: History) -> None:
    """The member's spans, rewritten from their history, each with the member's folded name and sort key (the
    scope-first search reads them there: members.search)."""
    member_id = member.pk
    MembershipSpan.objects.filter(member_id=member_id).delete()
    MembershipSpan.objects.bulk_create(
        [
            MembershipSpan(
                member_id=member_id,
                organization_id=s.org_id,
                status=s.status,
                valid_from=s.period.start,
                valid_to=s.period.end,
                name_folded=member.full_name_folded,
                name_sort=member.name_sort,
            )
            for s in history.spans
        ]
    )
    spans_written.send(sender=MembershipSpan, member_ids=[member_id])


def _record(
    member: Member | int,
    kind: str,
    on: dt.date,
    *,
    actor: Actor,
    audit_it: bool = True,
    params: LifecycleParams = DEFAULT_PARAMS,
    **fields: Any,
) -> MemberEvent:
    m = Member.objects.select_for_update().get(pk=member if isinstance(member, int) else member.pk)
    org = fields.pop("organization", None)
    fields = {k: nfc(v) if isinstance(v, str) else v for k, v in fields.items()}
    ev = MemberEvent(member=m, kind=kind, on=on, organization=org, **fields)
    no_future_dates({f: getattr(ev, f) for f in EVENT_DATES}, today=today())
    check_unit(ev.organization_id, on)
    if kind in (EventKind.ADMISSION, EventKind.READMISSION):
        age_check(m.birth_date, ev.reviewed_on or on, approval_ref=ev.approval_ref, params=params)
    existing = [as_domain(e) for e in MemberEvent.objects.filter(member=m)]
    history = derive([*existing, as_domain(ev)], params)  # raises before anything is written
    ev.save()
    spans_write(m, history)
    if audit_it:
        audit(actor=actor, action=f"member_{kind}", obj=m, after=snapshot(ev))
    return ev


@transaction.atomic
def member_admit(
    *,
    member: Member,
    org: Organization | None,
    decided_on: dt.date,
    ceremony_on: dt.date | None,
    actor: Actor,
    category: str = "general",
    decision_ref: str = "",
    reviewed_on: dt.date | None = None,
    approval_ref: str = "",
) -> MemberEvent:
    """Kết nạp. Party age runs from decided_on (QĐ 24 4.5); org None means admitted outside this system
    (the member then arrives by transfer_in)."""
    return _record(
        member,
        EventKind.ADMISSION,
        decided_on,
        actor=actor,
        organization=org,
        decided_on=decided_on,
        ceremony_on=ceremony_on,
        category=category,
        decision_ref=decision_ref,
        reviewed_on=reviewed_on,
        approval_ref=approval_ref,
    )


@transaction.atomic
def member_recognize(*, member: Member, decided_on: dt.date, actor: Actor, decision_ref: str = "") -> MemberEvent:
    """Công nhận chính thức: dated at the end of the 12 months even when decided later (Điều lệ Đ.5)."""
    entry = MemberEvent.objects.filter(member=member, kind__in=[EventKind.ADMISSION, EventKind.READMISSION]).last()
    if entry is None or entry.ceremony_on is None:
        raise RuleError("Chưa có ngày lễ kết nạp để tính thời gian dự bị.", field="ceremony_on")
    official_on = official_date(entry.ceremony_on)
    if decided_on < official_on:
        raise RuleError(
            f"Chưa hết 12 tháng dự bị: lễ kết nạp ngày {fmt_date(entry.ceremony_on)}, sớm nhất được "
            f"công nhận chính thức từ ngày {fmt_date(official_on)}.",
            field="decided_on",
            source="Điều lệ Đảng 2011, Điều 5",
        )
    return _record(
        member, EventKind.RECOGNITION, official_on, actor=actor, decided_on=decided_on, decision_ref=decision_ref
    )


@transaction.atomic
def member_transfer_in(
    *,
    member: Member | int,
    to: Organization,
    on: dt.date,
    actor: Actor,
    decision_ref: str = "",
    decided_on: dt.date | None = None,
    counterpart: str = "",
    lineage_event: LineageEvent | None = None,
    audit_it: bool = True,
) -> MemberEvent:
    """Chuyển sinh hoạt đảng chính thức đến `to` (from another unit here, or from outside: counterpart)."""
    return _record(
        member,
        EventKind.TRANSFER_IN,
        on,
        actor=actor,
        organization=to,
        decision_ref=decision_ref,
        decided_on=decided_on,
        counterpart=counterpart,
        lineage_event=lineage_event,
        audit_it=audit_it,
    )


@transaction.atomic
def member_transfer_out(
    *, member: Member, on: dt.date, counterpart: str, actor: Actor, decision_ref: str = ""
) -> MemberEvent:
    """Chuyển sinh hoạt đảng chính thức đi, outside the organizations this system holds."""
    if not nfc(counterpart):
        raise RuleError("Thiếu nơi chuyển đến.", field="counterpart")
    return _record(member, EventKind.TRANSFER_OUT, on, actor=actor, counterpart=counterpart, decision_ref=decision_ref)


@transaction.atomic
def member_attach_temporarily(
    *, member: Member, org: Organization, on: dt.date, until: dt.date | None, actor: Actor, note: str = ""
) -> MemberEvent:
    """Sinh hoạt tạm thời: the member is NOT counted in the host unit (membership_orgs §2)."""
    return _record(
        member,
        EventKind.TEMPORARY_ATTACHMENT,
        on,
        actor=actor,
        organization=None,
        until=until,
        counterpart=org.code,
        note=note,
    )


def _simple(kind: str):  # type: ignore[no-untyped-def]
    @transaction.atomic
    def service(
        *,
        member: Member,
        on: dt.date,
        actor: Actor,
        decision_ref: str = "",
        until: dt.date | None = None,
        note: str = "",
    ) -> MemberEvent:
        return _record(member, kind, on, actor=actor, decision_ref=decision_ref, until=until, note=note)

    service.__name__ = f"member_{kind}"
    return service


member_exempt = _simple(EventKind.EXEMPTION)  # miễn công tác và sinh hoạt đảng: stays counted, not rated
member_suspend = _simple(EventKind.SUSPENSION)  # đình chỉ sinh hoạt đảng
member_remove = _simple(EventKind.REMOVAL)  # xóa tên
member_expel = _simple(EventKind.EXPULSION)  # khai trừ
member_resign = _simple(EventKind.RESIGNATION)  # xin ra khỏi Đảng
member_die = _simple(EventKind.DEATH)  # từ trần


@transaction.atomic
def member_readmit(
    *,
    member: Member,
    org: Organization,
    decided_on: dt.date,
    ceremony_on: dt.date | None,
    actor: Actor,
    decision_ref: str = "",
    reviewed_on: dt.date | None = None,
    approval_ref: str = "",
) -> MemberEvent:
    return _record(
        member,
        EventKind.READMISSION,
        decided_on,
        actor=actor,
        organization=org,
        decided_on=decided_on,
        ceremony_on=ceremony_on,
        decision_ref=decision_ref,
        reviewed_on=reviewed_on,
        approval_ref=approval_ref,
    )


@transaction.atomic
def member_restore(
    *, member: Member, org: Organization, on: dt.date, actor: Actor, decision_ref: str = ""
) -> MemberEvent:
    return _record(member, EventKind.RESTORATION, on, actor=actor, organization=org, decision_ref=decision_ref)


# ---------------------------------------------------------------- bulk


def members_load(
    rows: Sequence[tuple[dict[str, Any], Sequence[dict[str, Any]]]],
    *,
    actor: Actor,
    params: LifecycleParams = DEFAULT_PARAMS,
    batch: int = 2000,
) -> list[Member]:
    """Bulk path for imports and the generator: the same checks as the one-by-one services (profile,
    identifiers, age, units, the whole history through derive()), then bulk inserts. Must run inside the
    caller's transaction; raises RuleError on the first bad row (the caller adds file/row context)."""
    if transaction.get_connection().in_atomic_block:
        # Codes and identifiers are checked against the stored ones below: no other creation in between.
        serialize(MEMBERS_LOCK)
    members: list[Member] = []
    histories: list[tuple[list[dict[str, Any]], History]] = []
    seen: dict[str, set[str]] = {"citizen_id": set(), "card_number": set()}
    # Each unit's versions are read once: a file's members are admitted on as many different days as there are
    # members, and one query per (unit, day) was most of a large import's time. check_unit still says what is wrong.
    unit_versions: dict[int, list[tuple[dt.date, dt.date, str]]] = {}

    def unit_ok(org_id: int, on: dt.date) -> bool:
        if org_id not in unit_versions:
            unit_versions[org_id] = list(
                OrgVersion.objects.filter(organization_id=org_id).values_list("valid_from", "valid_to", "kind")
            )
        return any(a <= on < b and kind in MEMBER_HOLDING_KINDS for a, b, kind in unit_versions[org_id])

    day = today()
    for profile, events in rows:
        data = clean_profile(profile)
        for f in seen:
            if data.get(f):
                if data[f] in seen[f]:
                    raise RuleError(
                        f"{'Số CCCD' if f == 'citizen_id' else 'Số thẻ đảng viên'} {data[f]} bị trùng.", field=f
                    )
                seen[f].add(data[f])
        evs = []
        for e in events:
            no_future_dates({f: e.get(f) for f in EVENT_DATES}, today=day)
            org_id = e.get("organization_id")
            if org_id is not None and not unit_ok(org_id, e["on"]):
                check_unit(org_id, e["on"])
            if e["kind"] in (EventKind.ADMISSION, EventKind.READMISSION):
                age_check(
                    data["birth_date"],
                    e.get("reviewed_on") or e["on"],
                    approval_ref=e.get("approval_ref", ""),
                    params=params,
                )
            evs.append(
                Event(
                    kind=e["kind"],
                    on=e["on"],
                    org_id=org_id,
                    ceremony_on=e.get("ceremony_on"),
                    until=e.get("until"),
                    approval_ref=e.get("approval_ref", ""),
                )
            )
        history = derive(evs, params)
        if not history.spans:
            raise RuleError(NO_UNIT, field="code")
        member = Member(**data)
        member.derive_names()  # bulk_create skips save()
        members.append(member)
        histories.append((list(events), history))
    refusals = identifier_refusals(seen, actor=actor)  # the imports checked already: only a race reaches here
    if refusals:
        raise RuleError(refusals[0].message, field=refusals[0].field)
    Member.objects.bulk_create(members, batch_size=batch)
    if members[:1] and members[0].pk is None:  # backends without RETURNING (none we support)
        raise RuntimeError("bulk_create did not return primary keys")
    events_out: list[MemberEvent] = []
    spans_out: list[MembershipSpan] = []
    for m, (events, history) in zip(members, histories, strict=True):
        for e in events:
            events_out.append(MemberEvent(member=m, **{k: (nfc(v) if isinstance(v, str) else v) for k, v in e.items()}))
        for s in history.spans:
            spans_out.append(
                MembershipSpan(
                    member=m,
                    organization_id=s.org_id,
                    status=s.status,
                    valid_from=s.period.start,
                    valid_to=s.period.end,
                    name_folded=m.full_name_folded,
                    name_sort=m.name_sort,
                )
            )
    MemberEvent.objects.bulk_create(events_out, batch_size=batch)
    MembershipSpan.objects.bulk_create(spans_out, batch_size=batch)
    spans_written.send(sender=MembershipSpan, member_ids=[m.pk for m in members])
    audit(
        actor=actor,
        action="members_load",
        object_type="members.member",
        object_id=f"{len(members)} rows",
        after={"members": len(members), "events": len(events_out)},
    )
    return members


# ---------------------------------------------------------------- exports


@transaction.atomic
def member_list_export(
    *, rows: Sequence[ListRow], on: dt.date, query: str, actor: Actor, who: str, at: dt.datetime
) -> bytes:
    """The member list as a workbook, and the audit entry saying who took it, with which filters."""
    data = member_list_workbook(rows, on=on, who=who, at=at)
    audit(
        actor=actor,
        action="member_export",
        object_type="members.member",
        object_id="list",
        after={"rows": len(rows), "query": query, "on": on.isoformat()},
    )
    return data


REVEALABLE = {"citizen_id": "số CCCD", "card_number": "số thẻ đảng viên"}


@transaction.atomic
def member_reveal(*, member: Member, field: str, actor: Actor) -> str:
    """One masked identifier in full, and the audit entry saying who looked at it."""
    if field not in REVEALABLE:
        raise RuleError("Chỉ xem được số CCCD và số thẻ đảng viên.", field="field")
    audit(actor=actor, action="member_reveal", obj=member, after={"field": field})
    return str(getattr(member, field) or "")


@transaction.atomic
def member_identifier_search(*, member: Member, field: str, actor: Actor) -> None:
    """A search by citizen ID or card number that found this member: audited like a reveal of that number (the
    person learned whose number it is). A search that found no one in the person's scope tells nothing and is not."""
    if field not in REVEALABLE:
        raise RuleError("Chỉ tìm theo số CCCD và số thẻ đảng viên.", field="field")
    audit(actor=actor, action="member_identifier_search", obj=member, after={"field": field})
