"""Validate the members sheet and their events, with the same rules members_load applies when writing:
the profile (clean_profile), identifiers unique in the file and in the database, the unit of each event
(a chi bộ active on the date), the age on the branch's review date, and the whole history through
domain.membership.derive(). A broken lifecycle rule is reported on the row of the event that breaks it. A member
whose events place them in no unit is refused; an identifier held outside the importer's scope is refused without
saying why (members.identifiers)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
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

from .check_orgs import Directory, chunks, unknown_org
from .format import MEMBER_EVENTS, MEMBERS
from .read import Problem, Row

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
    rows: list[tuple[Row, list[Row]]]  # each member's row with its event rows, in file order
    # The derived history of each member whose rows passed (work records check statuses and party age on it).
    histories: dict[str, History] = field(default_factory=dict)


def event_order(r: Row) -> tuple[dt.date, int]:
    return r["on"], EVENT_ORDER[EventKind(r["kind"])]


def profile_of(r: Row) -> dict[str, object]:
    return {f: r[f] for f in PROFILE_FIELDS}


def _check_identity(rows: list[Row], problems: list[Problem], actor: Actor) -> None:
    """Codes and identifiers unique in the file and in the database. An identifier held by a member outside the
    importer's scope is refused without saying why, audited and rate-limited (members.identifiers)."""
    sheet, col = MEMBERS.name, MEMBERS.header_of
    first: dict[tuple[str, str], int] = {}
    for r in rows:
        for f in ("code", *IDENTIFIERS):
            value = r[f]
            if not value:
                continue
            if (f, value) in first:
                problems.append(Problem(sheet, r.number, col(f), f"'{value}' trùng với dòng {first[(f, value)]}."))
            else:
                first[(f, value)] = r.number
    codes = sorted(v for (g, v) in first if g == "code")
    taken: set[str] = set()
    for batch in chunks(codes):
        taken.update(Member.objects.filter(code__in=batch).values_list("code", flat=True))
    for v in sorted(taken):
        msg = f"mã đảng viên '{v}' đã có trong cơ sở dữ liệu; tệp nhập chỉ thêm đảng viên mới."
        problems.append(Problem(sheet, first[("code", v)], col("code"), msg))
    values = {f: [v for (g, v) in first if g == f] for f in IDENTIFIERS}
    for refusal in identifier_refusals(values, actor=actor):
        message = refusal.message
        problems.append(Problem(sheet, first[(refusal.field, refusal.value)], col(refusal.field), message))


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
    member_rows: list[Row],
    event_rows: list[Row],
    d: Directory,
    lineage_codes: set[str],
    problems: list[Problem],
    params: LifecycleParams = DEFAULT_PARAMS,
    *,
    actor: Actor = SYSTEM,
) -> MemberPlan:
    """`actor` is the person importing (the web passes the login; the command line reads the whole database)."""
    sheet = MEMBERS.name
    good = [r for r in member_rows if r.ok]
    _check_identity(good, problems, actor)
    for r in good:
        try:
            clean_profile(profile_of(r))
        except RuleError as e:
            problems.append(Problem(sheet, r.number, MEMBERS.header_of(e.field), str(e)))
            r.ok = False
    by_code: dict[str, Row] = {}
    for r in member_rows:
        if r["code"]:
            by_code.setdefault(r["code"], r)
    events: dict[str, list[Row]] = defaultdict(list)
    broken: set[str] = set()
    for r in event_rows:
        code = r["member"]
        if code and code not in by_code:
            problems.append(
                Problem(
                    MEMBER_EVENTS.name,
                    r.number,
                    MEMBER_EVENTS.header_of("member"),
                    f"không có đảng viên mã '{code}' trong sheet '{sheet}' (tệp nhập ghi đảng viên cùng toàn bộ "
                    "quá trình của họ).",
                )
            )
            continue
        if not r.ok or not _check_event_row(r, d, lineage_codes, problems):
            broken.add(code)
        events[code].append(r)
    org_ids: dict[str, int] = {}
    plan = MemberPlan([])
    for code, r in by_code.items():
        plan.rows.append((r, events.get(code, [])))
        if r.ok and code not in broken:
            history = _check_history(r, events.get(code, []), org_ids, problems, params)
            if history is not None and not history.spans:
                # No event places the member in a unit: they would belong to no organization (issue 13).
                problems.append(Problem(sheet, r.number, MEMBERS.header_of("code"), f"{code}: {NO_UNIT}"))
            elif history is not None:
                plan.histories[code] = history
    return plan
