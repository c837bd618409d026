"""Audit entries as Vietnamese sentences: "Cán bộ ban tổ chức canbo ghi kỷ luật khiển trách đảng viên Nguyễn Văn
An (DV0001234) ngày 05/05/2024".

One renderer for every action the services write (`grep -rn "audit(" dangvu/`): the action names the verb, the
object and the entry's before/after name what was changed. Names are resolved for a whole page at once
(`render(entries)`: a fixed number of queries, none per row); an object gone since is named by its kind and
number. The names of actions and objects are in labels.py, the bulk loading of names in names.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.utils import timezone

from dangvu.accounts.models import Role
from dangvu.domain.assessment.levels import STAGE_LABELS
from dangvu.domain.membership import EventKind
from dangvu.domain.vietnamese import fmt_date, fmt_datetime, fmt_int, fmt_percent
from dangvu.members.models import Member
from dangvu.work import models as work

from .labels import (
    ACTION_LABELS,
    IMPORT_COUNTS,
    LEVELS,
    MEMBER_EVENT_ACTIONS,
    NOUNS,
    REPORT_KINDS,
    REVEAL_FIELDS,
    action_label,
    choice_label,
    date_text,
    dmy,
)
from .models import AuditEntry
from .names import Names, resolve

__all__ = ["ACTION_LABELS", "PHRASES", "Line", "action_label", "render", "resolve", "sentence"]

# ---------------------------------------------------------------- one sentence per action

Phrase = Callable[[AuditEntry, Names], str]


def _after(e: AuditEntry) -> dict[str, Any]:
    return e.after if isinstance(e.after, dict) else {}


def _before(e: AuditEntry) -> dict[str, Any]:
    return e.before if isinstance(e.before, dict) else {}


def _on(e: AuditEntry) -> dt.date:
    return timezone.localtime(e.at).date() if e.at else dt.date.today()


def _member_event(e: AuditEntry, n: Names) -> str:
    a = _after(e)
    kind = e.action.removeprefix("member_")
    m = n.member(e.object_id)
    day = date_text(a.get("on"))
    where = f" vào {n.org(a['organization_id'], _on(e))}" if a.get("organization_id") else ""
    at = f" tại {n.org(a['organization_id'], _on(e))}" if a.get("organization_id") else ""
    to = f" đến {a['counterpart']}" if a.get("counterpart") else ""
    phrases = {
        EventKind.ADMISSION: f"kết nạp {m}{where} ngày {day}",
        EventKind.READMISSION: f"kết nạp lại {m}{where} ngày {day}",
        EventKind.RECOGNITION: f"công nhận {m} là đảng viên chính thức ngày {day}",
        EventKind.TRANSFER_IN: f"ghi {m} chuyển sinh hoạt đảng chính thức đến{at or ' đảng bộ'} ngày {day}",
        EventKind.TRANSFER_OUT: f"ghi {m} chuyển sinh hoạt đảng chính thức đi{to} ngày {day}",
        EventKind.TEMPORARY_ATTACHMENT: f"ghi {m} sinh hoạt đảng tạm thời{at} từ ngày {day}",
        EventKind.EXEMPTION: f"ghi miễn công tác và sinh hoạt đảng cho {m} từ ngày {day}",
        EventKind.SUSPENSION: f"ghi đình chỉ sinh hoạt đảng đối với {m} từ ngày {day}",
        EventKind.REMOVAL: f"ghi xóa tên {m} ngày {day}",
        EventKind.EXPULSION: f"ghi khai trừ {m} ngày {day}",
        EventKind.RESIGNATION: f"ghi {m} xin ra khỏi Đảng ngày {day}",
        EventKind.DEATH: f"ghi {m} từ trần ngày {day}",
        EventKind.RESTORATION: f"ghi phục hồi đảng tịch cho {m} ngày {day}",
    }
    return phrases.get(kind, f"ghi sự kiện của {m} ngày {day}")  # type: ignore[call-overload]


def _member_update(e: AuditEntry, n: Names) -> str:
    fields = [f for f in _after(e) if f not in ("id",)]
    names = []
    for f in fields:
        try:
            names.append(str(getattr(Member._meta.get_field(f.removesuffix("_id")), "verbose_name", "")))
        except Exception:  # a field renamed since: say nothing of it
            continue
    what = f" ({', '.join(names)})" if names else ""
    return f"sửa hồ sơ {n.member(e.object_id)}{what}"


def _org_version(e: AuditEntry, n: Names) -> str:
    a, b = _after(e), _before(e)
    day = date_text(a.get("valid_from"))
    name = n.org(e.object_id, _on(e))
    if e.action == "org_establish":
        parent = f" trực thuộc {n.org(a['parent_id'], _on(e))}" if a.get("parent_id") else ""
        return f"thành lập {a.get('name') or name}{parent} từ ngày {day}"
    if e.action == "org_rename":
        return f"đổi tên {b.get('name', name)} thành {a.get('name', name)} từ ngày {day}"
    if e.action == "org_move":
        frm = f" từ {n.org(b['parent_id'], _on(e), bare=True)}" if b.get("parent_id") else ""
        to = n.org(a["parent_id"], _on(e), bare=True) if a.get("parent_id") else "cấp cao nhất"
        return f"chuyển giao {a.get('name') or name}{frm} về trực thuộc {to} từ ngày {day}"
    return f"đổi loại hình của {name} từ ngày {day}"


def _org_lineage(e: AuditEntry, n: Names) -> str:
    a, b = _after(e), _before(e)
    ev = n.lineage.get(int(e.object_id)) if e.object_id.isdigit() else None
    day = f" từ ngày {dmy(ev['effective_on'])}" if ev else ""
    ref = f" (theo {ev['decision_ref']})" if ev and ev["decision_ref"] else ""
    if e.action == "org_split":
        parts = ", ".join(n.org(c, _on(e)) for c in a.get("parts", []))
        return f"chia tách {b.get('name', 'một tổ chức')} thành {parts}{day}{ref}"
    sources = ", ".join(str(v.get("name", "")) for v in b.values() if isinstance(v, dict))
    target = n.org(a.get("target", ""), _on(e)) if a.get("target") else "một tổ chức"
    moved = f"; {fmt_int(a['members'])} đảng viên chuyển sinh hoạt" if a.get("members") else ""
    verb = {"org_merged": "hợp nhất", "org_absorbed": "sáp nhập"}.get(e.action, "sắp xếp")
    into = "thành" if e.action == "org_merged" else "vào"
    return f"{verb} {sources} {into} {target}{day}{ref}{moved}"


def _org_end(e: AuditEntry, n: Names) -> str:
    a, b = _after(e), _before(e)
    verb = "giải thể" if e.action == "org_dissolved" else "kết thúc hoạt động của"
    name = b.get("name") or n.org(e.object_id, _on(e))
    to = f"; đảng viên chuyển sinh hoạt về {n.org(a['members_to'], _on(e))}" if a.get("members_to") else ""
    return f"{verb} {name}{to}"


def _cycle(e: AuditEntry, n: Names) -> str:
    a = _after(e)
    c = n.cycle(e.object_id)
    if e.action == "cycle_open":
        return f"mở {c}"
    if e.action == "cycle_close":
        added = a.get("not_rated_added") or 0
        tail = f"; ghi {fmt_int(added)} trường hợp không xếp loại" if added else ""
        return f"kết thúc {c}{tail}"
    if e.action == "cycle_reopen":
        return f"mở lại {c}"
    if e.action == "cycle_propose":
        return f"lập {fmt_int(a.get('proposals') or 0)} đề xuất xếp loại theo các tiêu chí trong {c}"
    decisions = a.get("decisions") or []
    if len(decisions) == 1:
        subject, _before_level, level, exemplary, _reason = (list(decisions[0]) + [None] * 5)[:5]
        s = str(subject)
        who = n.member(s[1:]) if s.startswith("m") else n.org(s[1:], _on(e))
        star = ", tiêu biểu" if exemplary else ""
        return f"quyết định xếp loại {who} mức “{LEVELS.get(level, 'không xếp loại')}”{star} trong {c}"
    members = sum(1 for d in decisions if str(d[0]).startswith("m"))
    orgs = len(decisions) - members
    parts = [f"{fmt_int(members)} đảng viên" if members else "", f"{fmt_int(orgs)} tổ chức" if orgs else ""]
    return f"quyết định xếp loại {' và '.join(p for p in parts if p) or 'không trường hợp nào'} trong {c}"


def _rating(e: AuditEntry, n: Names) -> str:
    a = _after(e)
    r = n.ratings.get(int(e.object_id)) if e.object_id.isdigit() else None
    stage = STAGE_LABELS.get(a.get("stage", ""), "ý kiến").lower()
    level = LEVELS.get(a.get("level", ""), "")
    what = f" mức “{level}”" if level else ""
    if r is None:
        return f"ghi ý kiến “{stage}”{what}"
    who = n.subject(r["member_id"], r["organization_id"], _on(e))
    return f"ghi ý kiến “{stage}”{what} cho {who} trong {n.cycle(r['cycle_id'])}"


def _exemplary(e: AuditEntry, n: Names) -> str:
    r = n.results.get(int(e.object_id)) if e.object_id.isdigit() else None
    verb = "đánh dấu tiêu biểu" if _after(e).get("exemplary") else "bỏ đánh dấu tiêu biểu"
    if r is None:
        return f"{verb} một kết quả xếp loại"
    return f"{verb} {n.subject(r['member_id'], r['organization_id'], _on(e))} năm {r['year']}"


def _work(model: Any, phrase: Callable[[dict[str, Any], str], str]) -> Phrase:
    """A work record: its snapshot (after) names the member or organization and the dates."""

    def render(e: AuditEntry, n: Names) -> str:
        a = _after(e)
        who = n.subject(a.get("member_id"), a.get("organization_id"), _on(e))
        return phrase(a, who)

    return render


def _org_of(n: Names, e: AuditEntry) -> str:
    a = _after(e)
    return n.org(a["organization_id"], _on(e)) if a.get("organization_id") else ""


def _share(text: Any) -> str:
    """'0.95' (a share as the services store it) → '95%'."""
    try:
        return fmt_percent(Decimal(str(text)), 0) if text not in (None, "") else "—"
    except (InvalidOperation, ValueError):
        return str(text)


def _year_facts(e: AuditEntry, n: Names) -> str:
    a = _after(e)
    who = n.member(a["member_id"]) if a.get("member_id") else n.org(a.get("organization_id"), _on(e))
    year = f" năm {a['year']}" if a.get("year") else ""
    return (
        f"ghi số liệu{year} của {who}: hoàn thành {_share(a.get('tasks_completed'))}, "
        f"vượt mức {_share(a.get('tasks_exceeded'))} nhiệm vụ"
    )


def _backup(e: AuditEntry, n: Names) -> str:
    """dangvu backup / restore (dangvu/backup/services.py): the archive's name, its rows and files."""
    a = _after(e)
    name = str(a.get("file", "")).replace("\\", "/").rsplit("/", 1)[-1] or e.object_id
    what = f"{fmt_int(a.get('rows') or 0)} dòng dữ liệu, {fmt_int(a.get('files') or 0)} tệp"
    if e.action == "backup_create":
        return f"sao lưu cơ sở dữ liệu vào tệp “{name}” ({what})"
    try:
        made = " lập lúc " + fmt_datetime(timezone.localtime(dt.datetime.fromisoformat(a["created_at"])))
    except (KeyError, TypeError, ValueError):
        made = ""
    return f"khôi phục cơ sở dữ liệu từ bản sao lưu “{name}”{made} ({what})"


def _records_export(e: AuditEntry, n: Names) -> str:
    a = _after(e)
    return f"xuất danh sách “{a.get('danh sách', '')}” ({fmt_int(a.get('số dòng') or 0)} dòng) ra tệp Excel"


def _tables_export(e: AuditEntry, n: Names) -> str:
    """'xuất 14 biểu thống kê cơ bản của … có đến ngày 31/12/2024 ra tệp Excel' (dangvu.tables.services)."""
    a = _after(e)
    try:
        day = f" có đến ngày {fmt_date(dt.date.fromisoformat(a['ngày']))}"
    except (KeyError, TypeError, ValueError):
        day = ""
    return f"xuất {fmt_int(len(a.get('biểu') or []))} biểu thống kê cơ bản của {n.org(e.object_id)}{day} ra tệp Excel"


def _mapping_remember(e: AuditEntry, n: Names) -> str:
    """'ghi nhớ cách đọc danh sách “DS chi bộ” (12 cột)' (dangvu.imports.mapping_store)."""
    a = _after(e)
    verb = "ghi nhớ" if a.get("new", True) else "sửa"
    return f"{verb} cách đọc danh sách “{a.get('name') or 'không tên'}” ({fmt_int(len(a.get('columns') or {}))} cột)"


def _mapping_export(e: AuditEntry, n: Names) -> str:
    """'xuất 120 dòng danh sách đảng viên của H ngày 6/12/2026 theo mẫu của đơn vị ra tệp Excel'."""
    a = _after(e)
    try:
        day = f" ngày {fmt_date(dt.date.fromisoformat(a['on']))}"
    except (KeyError, TypeError, ValueError):
        day = ""
    full = ", số định danh đầy đủ" if a.get("full_identifiers") else ""
    return (
        f"xuất {fmt_int(a.get('rows') or 0)} dòng danh sách đảng viên của tổ chức {a.get('root', '')}{day} "
        f"theo mẫu của đơn vị ra tệp Excel{full}"
    )


def _jobs_prune(e: AuditEntry, n: Names) -> str:
    """'dọn dữ liệu hết hạn: 3 việc chạy nền, 5 tệp, tệp của 1 dự thảo' (dangvu.jobs.prune)."""
    a = _after(e)
    what = (
        f"{fmt_int(a.get('jobs_expired') or 0)} việc chạy nền, {fmt_int(a.get('files_deleted') or 0)} tệp, "
        f"tệp của {fmt_int(a.get('drafts') or 0)} dự thảo"
    )
    return f"{'chạy thử việc dọn' if a.get('dry_run') else 'dọn'} dữ liệu hết hạn: {what}"


def _admin(e: AuditEntry, verb: str) -> str:
    """'sửa người dùng “kiemtra” trong trang quản trị (mật khẩu, trạng thái nhân viên)': the fields by their names."""
    a = _after(e)
    fields = []
    try:
        model = apps.get_model(e.object_type)
    except (LookupError, ValueError):
        model = None
    for f in a.get("changed") or []:
        try:
            fields.append(str(model._meta.get_field(f).verbose_name) if model else f)
        except Exception:  # a form field that is not a model field (the password's): its own name
            fields.append("mật khẩu" if f == "password" else f)
    what = f" ({', '.join(fields)})" if fields else ""
    return f"{verb} {a.get('model', 'bản ghi')} “{a.get('object', '')}” trong trang quản trị{what}"


PHRASES: dict[str, Phrase] = {
    "year_facts_record": _year_facts,
    "org_year_facts_record": _year_facts,
    "records_export": _records_export,
    "tables_export": _tables_export,
    "import_mapping_remember": _mapping_remember,
    "import_mapping_export": _mapping_export,
    "jobs_prune": _jobs_prune,
    "backup_create": _backup,
    "backup_restore": _backup,
    "member_create": lambda e, n: f"tạo hồ sơ {n.member(e.object_id)}",
    "member_update": _member_update,
    **{action: _member_event for action in MEMBER_EVENT_ACTIONS},
    "member_reveal": lambda e, n: (
        f"xem {REVEAL_FIELDS.get(_after(e).get('field', ''), 'số định danh')} của {n.member(e.object_id)}"
    ),
    "member_identifier_search": lambda e, n: (
        f"tìm theo {REVEAL_FIELDS.get(_after(e).get('field', ''), 'số định danh')} và thấy {n.member(e.object_id)}"
    ),
    # Only the administrator and the holder's own staff read these (accounts.scope.PRIVATE_ACTIONS).
    "identifier_conflict": lambda e, n: (
        f"nhập {REVEAL_FIELDS.get(_after(e).get('field', ''), 'số định danh')} {_after(e).get('value', '')}"
        f" trùng với {n.member(e.object_id)}, ngoài phạm vi của mình: bị từ chối, không nêu lý do"
    ),
    "identifier_limit": lambda e, n: (
        f"vượt giới hạn {fmt_int(_after(e).get('limit') or 0)} số định danh trùng hồ sơ ngoài phạm vi trong "
        f"{_after(e).get('hours', '')} giờ: {fmt_int(_after(e).get('refused') or 0)} số bị từ chối, không nêu lý do"
    ),
    "member_export": lambda e, n: (
        f"xuất danh sách {fmt_int(_after(e).get('rows') or 0)} đảng viên ra tệp Excel"
        + (f" (ngày {date_text(_after(e)['on'])})" if _after(e).get("on") else "")
    ),
    "members_load": lambda e, n: (
        f"nạp {fmt_int(_after(e).get('members') or 0)} hồ sơ đảng viên"
        f" với {fmt_int(_after(e).get('events') or 0)} sự kiện"
    ),
    "org_establish": _org_version,
    "org_rename": _org_version,
    "org_move": _org_version,
    "org_reclassify": _org_version,
    "org_merged": _org_lineage,
    "org_absorbed": _org_lineage,
    "org_split": _org_lineage,
    "org_dissolved": _org_end,
    "org_ended": _org_end,
    "cycle_open": _cycle,
    "cycle_close": _cycle,
    "cycle_reopen": _cycle,
    "cycle_propose": _cycle,
    "result_decide": _cycle,
    "rating_record": _rating,
    "result_set_exemplary": _exemplary,
    "ratings_import": lambda e, n: (
        f"nhập kết quả đánh giá từ tệp {e.object_id}: {fmt_int(_after(e).get('decisions') or 0)} quyết định, "
        f"{fmt_int(_after(e).get('ratings') or 0)} ý kiến"
    ),
    "programme_create": lambda e, n: (
        lambda p: (
            f"ghi chương trình toàn khóa “{p['title']}” nhiệm kỳ {p['term']} của {n.org(p['organization_id'], _on(e))}"
            if p
            else "ghi một chương trình toàn khóa"
        )
    )(n.programmes.get(int(e.object_id)) if e.object_id.isdigit() else None),
    "discipline_record": _work(
        work.Discipline,
        lambda a, who: (
            f"ghi kỷ luật {choice_label(work.Discipline, 'form', a.get('form'))} {who} "
            f"ngày {date_text(a.get('decided_on'))}"
        ),
    ),
    "candidate_register": lambda e, n: (
        f"ghi quần chúng {_after(e).get('full_name', '')} vào danh sách cảm tình đảng của {_org_of(n, e)}"
    ),
    "candidate_vote": lambda e, n: (
        f"ghi chi bộ xét, đề nghị kết nạp quần chúng {_after(e).get('full_name', '')}"
        f" ngày {date_text(_after(e).get('branch_vote_on'))}"
    ),
    "candidate_admit": lambda e, n: (
        f"kết nạp quần chúng thành {n.member(n.member_codes.get(_after(e).get('member', ''), ''))}"
    ),
    "inspection_record": _work(
        work.Inspection,
        lambda a, who: (
            f"ghi cuộc {choice_label(work.Inspection, 'kind', a.get('kind'))} đối với {who} "
            f"bắt đầu ngày {date_text(a.get('started_on'))}"
        ),
    ),
    "petition_receive": _work(
        work.Petition,
        lambda a, who: (
            f"tiếp nhận đơn {choice_label(work.Petition, 'kind', a.get('kind'))} về {who} "
            f"ngày {date_text(a.get('received_on'))}"
        ),
    ),
    "petition_conclude": _work(
        work.Petition,
        lambda a, who: (
            f"ghi kết luận đơn {choice_label(work.Petition, 'kind', a.get('kind'))} về {who} "
            f"ngày {date_text(a.get('concluded_on'))}"
        ),
    ),
    "post_assign": lambda e, n: (
        f"ghi {n.member(_after(e).get('member_id'))} giữ chức "
        f"{choice_label(work.Post, 'title', _after(e).get('title'))} của {_org_of(n, e)} "
        f"nhiệm kỳ {_after(e).get('term', '')} từ ngày {date_text(_after(e).get('started_on'))}"
    ),
    "succession_plan_add": lambda e, n: (
        f"đưa {n.member(_after(e).get('member_id'))} vào quy hoạch chức "
        f"{choice_label(work.Post, 'title', _after(e).get('title'))} của {_org_of(n, e)} "
        f"nhiệm kỳ {_after(e).get('term', '')}"
    ),
    "cadre_move_record": lambda e, n: (
        f"ghi {choice_label(work.CadreMove, 'kind', _after(e).get('kind'))} cán bộ {_after(e).get('person_name', '')}"
        + (f" ({_after(e)['position']})" if _after(e).get("position") else "")
        + f" tại {_org_of(n, e)} ngày {date_text(_after(e).get('on'))}"
    ),
    "training_class_record": lambda e, n: (
        f"ghi lớp {choice_label(work.TrainingClass, 'kind', _after(e).get('kind'))} “{_after(e).get('title', '')}” "
        f"của {_org_of(n, e)} khai giảng ngày {date_text(_after(e).get('started_on'))}"
    ),
    "study_session_record": lambda e, n: (
        "ghi buổi học tập, quán triệt"
        + (f" văn bản {n.documents.get(_after(e)['document_id'], '')}" if _after(e).get("document_id") else "")
        + f" của {_org_of(n, e)} ngày {date_text(_after(e).get('held_on'))}: "
        f"{fmt_int(_after(e).get('participants') or 0)}/{fmt_int(_after(e).get('expected') or 0)} đảng viên dự"
    ),
    "document_register": lambda e, n: (
        f"đăng ký văn bản số {_after(e).get('number')}-{_after(e).get('type')}/{_after(e).get('issuer')}"
        f" nhiệm kỳ {_after(e).get('term', '')} ngày {date_text(_after(e).get('issued_on'))}"
        + (f" “{_after(e)['subject']}”" if _after(e).get("subject") else "")
    ),
    "commendation_grant": _work(
        work.Commendation,
        lambda a, who: (
            f"ghi {choice_label(work.Commendation, 'kind', a.get('kind'))} “{a.get('title', '')}” "
            f"năm {a.get('year', '')} cho {who}"
        ),
    ),
    "badge_award": _work(
        work.BadgeAward,
        lambda a, who: (
            f"ghi {'truy tặng' if a.get('posthumous') else 'trao'} Huy hiệu {a.get('milestone')} năm "
            f"tuổi Đảng cho {who} ngày {date_text(a.get('awarded_on'))}"
        ),
    ),
    "free_indicator_set": lambda e, n: (
        f"ghi chỉ tiêu “{_after(e).get('name', '')}” của {_org_of(n, e)} từ ngày "
        f"{date_text(_after(e).get('period_start'))} đến ngày {date_text(_after(e).get('period_end'))}"
    ),
    "target_set": lambda e, n: f"ghi chỉ tiêu {_after(e).get('said', '')} của {_org_of(n, e)}",
    "plan_set": lambda e, n: f"ghi kế hoạch {_after(e).get('said', '')} của {_org_of(n, e)}",
    "term_dates_set": lambda e, n: (
        f"ghi ngày đại hội nhiệm kỳ {_after(e).get('term', '')} của {_org_of(n, e)}: "
        f"{date_text(_after(e).get('congress_on'))}, nhiệm kỳ sau {date_text(_after(e).get('next_congress_on'))}"
    ),
    "records_load": lambda e, n: (
        f"nạp {fmt_int(_after(e).get('rows') or 0)} bản ghi {NOUNS.get(e.object_type, 'công tác đảng')}"
    ),
    "import": lambda e, n: (
        f"nhập dữ liệu từ tệp {_after(e).get('file') or e.object_id}: "
        + ", ".join(
            f"{fmt_int(v)} {IMPORT_COUNTS.get(k, NOUNS.get('work.' + k.replace('_', ''), k.replace('_', ' ')))}"
            for k, v in _after(e).items()
            if k != "file" and isinstance(v, int) and v
        )
    ).rstrip(": "),
    "report_generate": lambda e, n: (
        f"lập {REPORT_KINDS.get(_after(e).get('kind', ''), 'báo cáo')} {_after(e).get('period', '')} của "
        f"{n.org(_after(e).get('root', ''), _on(e))}"
        + (f", {_after(e)['number']}" if _after(e).get("number") else ", bản dự thảo")
    ),
    "report_issue": lambda e, n: (
        f"ban hành {REPORT_KINDS.get(_after(e).get('kind', ''), 'báo cáo')} {_after(e).get('period', '')} của "
        f"{n.org(_after(e).get('root', ''), _on(e))}, {_after(e).get('number', '')}"
    ),
    "grant_role": lambda e, n: (
        f"cấp vai trò {dict(Role.choices).get(_after(e).get('role', ''), '')} "
        + (f"trên {_org_of(n, e)} " if _after(e).get("organization_id") else "")
        + f"cho tài khoản {n.user(_after(e).get('user_id'))} từ ngày {date_text(_after(e).get('valid_from'))}"
    ),
    "grant_end": lambda e, n: (
        f"kết thúc vai trò {dict(Role.choices).get(_after(e).get('role', ''), '')} "
        + (f"trên {_org_of(n, e)} " if _after(e).get("organization_id") else "")
        + f"của tài khoản {n.user(_after(e).get('user_id'))} từ ngày {date_text(_after(e).get('valid_to'))}"
    ),
    "account_link_member": lambda e, n: (
        f"gắn tài khoản {n.user(n.accounts.get(int(e.object_id), '')) if e.object_id.isdigit() else ''} với "
        + (n.member(_after(e)["member_id"]) if _after(e).get("member_id") else "không đảng viên nào")
    ),
    "user_create": lambda e, n: f"tạo tài khoản {_after(e).get('username') or n.user(e.object_id)}",
    "totp_enable": lambda e, n: f"bật xác thực hai bước cho tài khoản {n.user(e.object_id)}",
    "admin_add": lambda e, n: _admin(e, "thêm"),
    "admin_change": lambda e, n: _admin(e, "sửa"),
    "admin_delete": lambda e, n: _admin(e, "xóa"),
    "totp_create": lambda e, n: f"tạo khóa xác thực hai bước (chưa xác nhận) cho tài khoản {n.user(e.object_id)}",
    "dataset_export": lambda e, n: (
        f"xuất dữ liệu của {n.org(_after(e).get('root', ''), _on(e))} ngày {date_text(_after(e).get('on'))} "
        f"ra tệp {_after(e).get('path', '')}: {fmt_int(_after(e).get('members') or 0)} đảng viên, số định danh "
        + ("đầy đủ" if _after(e).get("identifiers") else "đã che")
    ),
    "synth_national": lambda e, n: (
        f"sinh dữ liệu mẫu toàn quốc: {fmt_int(_after(e).get('members') or 0)} đảng viên, "
        f"{fmt_int(_after(e).get('organizations') or 0)} tổ chức"
    ),
}


def phrase(e: AuditEntry, n: Names) -> str:
    """What was done, after the actor: 'ghi kỷ luật khiển trách đảng viên … ngày 05/05/2024'."""
    render = PHRASES.get(e.action)
    if render is None and e.action.startswith("import_"):
        count = _after(e).get("rows") or 0
        return f"nhập {fmt_int(count)} bản ghi {NOUNS.get(e.object_type, 'công tác đảng')} từ tệp"
    if render is None:
        noun = NOUNS.get(e.object_type, "hồ sơ")
        return f"thay đổi {noun}" + (f" số {e.object_id}" if e.object_id.isdigit() else "")
    return render(e, n)


@dataclass(frozen=True)
class Line:
    """One entry as the log shows it."""

    at: str  # dd/mm/yyyy HH:MM, local time
    actor: str
    action: str  # the action's Vietnamese name
    sentence: str  # the whole sentence, actor first
    reason: str


def render(entries: Sequence[AuditEntry]) -> list[Line]:
    """Sentences for a page of entries, the names resolved in bulk (see resolve)."""
    names = resolve(entries)
    out = []
    for e in entries:
        actor = names.actor(e)
        out.append(
            Line(
                at=fmt_datetime(timezone.localtime(e.at)) if e.at else "",
                actor=actor,
                action=action_label(e.action),
                sentence=f"{actor} {phrase(e, names)}.",
                reason=e.reason,
            )
        )
    return out


def sentence(entry: AuditEntry) -> str:
    """One entry's sentence (a page should call render(), which resolves names for all its entries at once)."""
    return render([entry])[0].sentence
