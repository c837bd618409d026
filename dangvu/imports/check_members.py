"""Validate the members sheet and their events, with the same rules members_load applies when writing:
the profile (clean_profile), identifiers unique in the file and in the database, the unit of each event
(a chi bộ active on the date), the age on the branch's review date, and the whole history through
domain.membership.derive(). A broken lifecycle rule is reported on the row of the event that breaks it. A member
whose events place them in no unit is refused; an identifier held outside the importer's scope is refused without
saying why (members.identifiers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from dangvu.audit.services import SYSTEM, Actor
from dangvu.domain.errors import RuleError
from dangvu.domain.membership import (
    DEFAULT_PARAMS,
    ENTRIES,
    MEMBER_HOLDING_KINDS,
    Event,
    EventKind,
    History,
    LifecycleParams,
    age_check,
    derive,
    official_date,
)
from dangvu.domain.orgtree import ORG_KIND_LABELS
from dangvu.domain.vietnamese import fmt_date
from dangvu.members.identifiers import identifier_refusals
from dangvu.members.models import Member
from dangvu.members.services import NO_UNIT, PROFILE_FIELDS, clean_profile

from .check_orgs import Directory, unknown_org
from .format import MEMBER_EVENTS, MEMBERS
from .read import Problem, Row
from .spool import SpooledRows

IDENTIFIERS = ("citizen_id", "card_number")
EVENT_ORDER = {k: i for i, k in enumerate(EventKind)}  # derive()'s order for events on the same day
# A lifecycle error's field, as the column of the event row that shows it.
_EVENT_COLUMN = {
    "on": "on",
    "kind": "kind",
    "ceremony_on": "ceremony_on",
    "organization": "organization",
    "approval_ref": "approval_ref",
    "birth_date": "reviewed_on",
}


@dataclass
class MemberPlan:
    """The checked members: read back from the spool (one member and their events at a time) by `pairs()`."""

    members: SpooledRows
    events: SpooledRows
    skipped: set[int] = field(default_factory=set)  # member rows repeating an earlier row's code
    # The derived history of each member whose rows passed and whom the file's work records name (they check
    # statuses and party age on it); the others' are not kept.
    histories: dict[str, History] = field(default_factory=dict)

    def pairs(self) -> Iterator[tuple[Row, list[Row]]]:
        """Each member's row with its event rows, in file order."""
        for r in self.members:
            if r["code"] and r.number not in self.skipped:
                yield r, self.events.keyed(r["code"])

    @property
    def rows(self) -> _Pairs:
        return _Pairs(self)


class _Pairs:
    """`plan.rows`: the pairs as a sized iterable (len: the members to write)."""

    def __init__(self, plan: MemberPlan) -> None:
        self.plan = plan

    def __iter__(self) -> Iterator[tuple[Row, list[Row]]]:
        return self.plan.pairs()

    def __len__(self) -> int:  # one member per distinct code (a repeated code's later rows are skipped)
        members = self.plan.members
        return members.spool.distinct(members.slug, "code")


def event_order(r: Row) -> tuple[dt.date, int]:
    return r["on"], EVENT_ORDER[EventKind(r["kind"])]


def profile_of(r: Row) -> dict[str, object]:
    return {f: r[f] for f in PROFILE_FIELDS}


def _check_identity(rows: SpooledRows, problems: list[Problem], actor: Actor) -> None:
    """Codes and identifiers unique in the file and in the database. An identifier held by a member outside the
    importer's scope is refused without saying why, audited and rate-limited (members.identifiers). The file's
    values are compared in the spool, not held in memory."""
    sheet, col = MEMBERS.name, MEMBERS.header_of
    spool, slug = rows.spool, rows.slug
    for f in ("code", *IDENTIFIERS):
        for number, value, first in spool.repeats(slug, f):
            problems.append(Problem(sheet, number, col(f), f"'{value}' trùng với dòng {first}."))
    for batch in spool.firsts(slug, "code", only_ok=True):
        for v in sorted(Member.objects.filter(code__in=list(batch)).values_list("code", flat=True)):
            msg = f"mã đảng viên '{v}' đã có trong cơ sở dữ liệu; tệp nhập chỉ thêm đảng viên mới."
            problems.append(Problem(sheet, batch[v], col("code"), msg))
    values = {f: [v for batch in spool.firsts(slug, f, only_ok=True) for v in batch] for f in IDENTIFIERS}
    for refusal in identifier_refusals(values, actor=actor):
        message = refusal.message
        problems.append(
            Problem(sheet, spool.first_row(slug, refusal.field, refusal.value), col(refusal.field), message)
        )


def _check_event_row(r: Row, d: Directory, lineage_codes: set[str], problems: list[Problem]) -> bool:
    sheet, col = MEMBER_EVENTS.name, MEMBER_EVENTS.header_of
    ok = True
    code = r["organization"]
    if code:
        v = d.on(code, r["on"]) if d.known(code) else None
        if not d.known(code):
            problems.append(Problem(sheet, r.number, col("organization"), unknown_org(code)))
            ok = False
        elif v is None:
            problems.append(
                Problem(
                    sheet,
                    r.number,
                    col("organization"),
                    f"tổ chức '{code}' không hoạt động vào ngày {fmt_date(r['on'])}.",
                )
            )
            ok = False
        elif v.kind not in MEMBER_HOLDING_KINDS:
            problems.append(
                Problem(
                    sheet,
                    r.number,
                    col("organization"),
                    f"Đảng viên sinh hoạt tại chi bộ; '{v.name}' là {ORG_KIND_LABELS[v.kind].lower()} "
                    "(Điều lệ Đảng 2011, Điều 24).",
                )
            )
            ok = False
    if r["lineage_event"] and r["lineage_event"] not in lineage_codes:
        problems.append(
            Problem(sheet, r.number, col("lineage_event"), f"không có sự kiện tổ chức mã '{r['lineage_event']}'.")
        )
    return ok


def _check_history(
    member: Row, events: list[Row], org_ids: dict[str, int], problems: list[Problem], params: LifecycleParams
) -> History | None:
    sheet, col = MEMBER_EVENTS.name, MEMBER_EVENTS.header_of
    ordered = sorted(events, key=event_order)
    born = member["birth_date"]
    early = [(r, f) for r in ordered for f in ("on", "reviewed_on") if born and r[f] and r[f] < born]
    for r, f in early:  # derive() and age_check() would count a negative age ("mới -5 tuổi")
        problems.append(
            Problem(
                sheet,
                r.number,
                col(f),
                f"ngày {fmt_date(r[f])} trước ngày sinh của đảng viên ({fmt_date(born)}, "
                f"sheet '{MEMBERS.name}' dòng {member.number}); kiểm tra lại ngày sự kiện hoặc ngày sinh.",
            )
        )
    if early:
        return None
    ceremony: dt.date | None = None
    for r in ordered:
        if r["kind"] in ENTRIES:
            ceremony = r["ceremony_on"]
            try:
                reviewed = r["reviewed_on"] or r["on"]
                age_check(member["birth_date"], reviewed, approval_ref=r["approval_ref"], params=params)
            except RuleError as e:
                name = _EVENT_COLUMN.get(e.field, "on")
                if name == "reviewed_on" and not r["reviewed_on"]:
                    name = "on"
                problems.append(Problem(sheet, r.number, col(name), str(e)))
        elif r["kind"] == EventKind.RECOGNITION and ceremony and r["decided_on"]:
            due = official_date(ceremony, params)
            if r["decided_on"] < due:
                problems.append(
                    Problem(
                        sheet,
                        r.number,
                        col("decided_on"),
                        f"chưa hết 12 tháng dự bị: lễ kết nạp ngày {fmt_date(ceremony)}, sớm nhất được công nhận "
                        f"chính thức từ ngày {fmt_date(due)} (Điều lệ Đảng 2011, Điều 5).",
                    )
                )
    domain = [
        Event(
            kind=r["kind"],
            on=r["on"],
            org_id=org_ids.setdefault(r["organization"], len(org_ids) + 1) if r["organization"] else None,
            ceremony_on=r["ceremony_on"],
            until=r["until"],
            approval_ref=r["approval_ref"],
            reviewed_on=r["reviewed_on"],
            ref=r.number,
        )
        for r in ordered
    ]
    try:
        return derive(domain, params)
    except RuleError:
        pass
    # The first prefix (in derive's order) that fails ends with the event that breaks the rule.
    for i in range(1, len(domain) + 1):
        try:
            derive(domain[:i], params)
        except RuleError as e:
            name = _EVENT_COLUMN.get(e.field, "on")
            problems.append(Problem(sheet, ordered[i - 1].number, col(name), str(e)))
            return None
    return None


def check_members(
    member_rows: SpooledRows,
    event_rows: SpooledRows,
    d: Directory,
    lineage_codes: set[str],
    problems: list[Problem],
    params: LifecycleParams = DEFAULT_PARAMS,
    *,
    actor: Actor = SYSTEM,
    keep: Collection[str] | None = None,
) -> MemberPlan:
    """`actor` is the person importing (the web passes the login; the command line reads the whole database).
    `keep`: the members whose derived histories the plan keeps (those the work records name; None: all).
    One member and their events are in memory at a time (the spool finds a member's events by code)."""
    sheet = MEMBERS.name
    _check_identity(member_rows, problems, actor)
    plan = MemberPlan(member_rows, event_rows)
    for number, code in event_rows.spool.orphans(event_rows.slug, member_rows.slug):
        problems.append(
            Problem(
                MEMBER_EVENTS.name,
                number,
                MEMBER_EVENTS.header_of("member"),
                f"không có đảng viên mã '{code}' trong sheet '{sheet}' (tệp nhập ghi đảng viên cùng toàn bộ "
                "quá trình của họ).",
            )
        )
    seen: set[int] = {n for n, _v, _f in member_rows.spool.repeats(member_rows.slug, "code", only_ok=False)}
    plan.skipped = seen
    org_ids: dict[str, int] = {}
    for r in member_rows:
        ok = r.ok
        if ok:
            try:
                clean_profile(profile_of(r))
            except RuleError as e:
                problems.append(Problem(sheet, r.number, MEMBERS.header_of(e.field), str(e)))
                ok = False
        code = r["code"]
        if not code or r.number in seen:
            continue
        events = event_rows.keyed(code)
        broken = False
        for ev in events:
            if not ev.ok or not _check_event_row(ev, d, lineage_codes, problems):
                broken = True
        if ok and not broken:
            history = _check_history(r, events, org_ids, problems, params)
            if history is not None and not history.spans:
                # No event places the member in a unit: they would belong to no organization (issue 13).
                problems.append(Problem(sheet, r.number, MEMBERS.header_of("code"), f"{code}: {NO_UNIT}"))
            elif history is not None and (keep is None or code in keep):
                plan.histories[code] = history
    return plan
