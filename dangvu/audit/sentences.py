"""Audit entries as Vietnamese sentences: "Cán bộ ban tổ chức canbo ghi kỷ luật khiển trách đảng viên Nguyễn Văn
An (DV0001234) ngày 05/05/2024".

One renderer for every action the services write (`grep -rn "audit(" dangvu/`): the action names the verb, the
object and the entry's before/after name what was changed. Names are resolved for a whole page at once
(`render(entries)`: a fixed number of queries, none per row); an object gone since is named by its kind and
number. ACTION_LABELS gives each action its Vietnamese name for the log's filter.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from dangvu.accounts.models import Account, Grant, Role
from dangvu.assessment.models import AssessmentCycle, Rating, Result
from dangvu.domain.assessment.levels import NEW_LABELS, OLD_ORG_LABELS, STAGE_LABELS
from dangvu.domain.membership import EVENT_LABELS, EventKind
from dangvu.domain.orgtree import LINEAGE_LABELS
from dangvu.domain.vietnamese import fmt_int
from dangvu.members.models import Member
from dangvu.orgs.models import LineageEvent, OrgVersion
from dangvu.targets.models import TermProgramme
from dangvu.work import models as work

from .models import AuditEntry

# ---------------------------------------------------------------- names of actions and objects

_MEMBER_EVENT_ACTIONS = {
    f"member_{k.value}": f"Ghi sự kiện: {EVENT_LABELS[k][:1].lower()}{EVENT_LABELS[k][1:]}" for k in EventKind
}
_ORG_LINEAGE_ACTIONS = {f"org_{k}": f"{label} tổ chức" for k, label in LINEAGE_LABELS.items()}

ACTION_LABELS: dict[str, str] = {
    "member_create": "Tạo hồ sơ đảng viên",
    "member_update": "Sửa hồ sơ đảng viên",
    **_MEMBER_EVENT_ACTIONS,
    "member_reveal": "Xem số định danh",
    "member_export": "Xuất danh sách đảng viên",
    "members_load": "Nạp hồ sơ đảng viên hàng loạt",
    "org_establish": "Thành lập tổ chức",
    "org_rename": "Đổi tên tổ chức",
    "org_reclassify": "Đổi loại hình tổ chức",
    "org_move": "Chuyển giao tổ chức",
    **{k: v for k, v in _ORG_LINEAGE_ACTIONS.items() if k not in ("org_established", "org_renamed", "org_moved")},
    "cycle_open": "Mở đợt đánh giá",
    "rating_record": "Ghi ý kiến đánh giá",
    "result_decide": "Quyết định xếp loại",
    "result_set_exemplary": "Đánh dấu tiêu biểu",
    "cycle_propose": "Lập đề xuất xếp loại",
    "cycle_close": "Kết thúc đợt đánh giá",
    "cycle_reopen": "Mở lại đợt đánh giá",
    "ratings_import": "Nhập kết quả đánh giá",
    "programme_create": "Ghi chương trình toàn khóa",
    "discipline_record": "Ghi kỷ luật",
    "candidate_register": "Ghi quần chúng cảm tình đảng",
    "candidate_vote": "Ghi chi bộ xét kết nạp",
    "candidate_admit": "Kết nạp quần chúng",
    "inspection_record": "Ghi kiểm tra, giám sát",
    "petition_receive": "Tiếp nhận đơn thư",
    "petition_conclude": "Kết luận đơn thư",
    "post_assign": "Ghi chức danh",
    "succession_plan_add": "Ghi quy hoạch",
    "cadre_move_record": "Ghi điều động, bổ nhiệm",
    "training_class_record": "Ghi lớp bồi dưỡng",
    "study_session_record": "Ghi học tập nghị quyết",
    "document_register": "Đăng ký văn bản",
    "commendation_grant": "Ghi khen thưởng",
    "badge_award": "Trao Huy hiệu Đảng",
    "free_indicator_set": "Ghi chỉ tiêu",
    "records_load": "Nạp hồ sơ công tác hàng loạt",
    "import": "Nhập dữ liệu từ tệp",
    "report_generate": "Lập báo cáo",
    "grant_role": "Phân quyền",
    "grant_end": "Kết thúc phân quyền",
    "account_link_member": "Gắn tài khoản với đảng viên",
    "user_create": "Tạo tài khoản",
    "totp_enable": "Bật xác thực hai bước",
    "synth_national": "Sinh dữ liệu mẫu toàn quốc",
}

# What one row of each table is called, for bulk loads and for an object whose row is gone.
NOUNS: dict[str, str] = {
    "members.member": "hồ sơ đảng viên",
    "orgs.organization": "tổ chức đảng",
    "orgs.lineageevent": "sự kiện sắp xếp tổ chức",
    "assessment.assessmentcycle": "đợt đánh giá",
    "assessment.rating": "ý kiến đánh giá",
    "assessment.result": "kết quả xếp loại",
    "accounts.grant": "phân quyền",
    "accounts.account": "tài khoản",
    "auth.user": "tài khoản",
    "targets.termprogramme": "chương trình toàn khóa",
    "reports.reportnumber": "báo cáo",
    "work.discipline": "quyết định kỷ luật",
    "work.candidate": "hồ sơ quần chúng cảm tình đảng",
    "work.inspection": "cuộc kiểm tra, giám sát",
    "work.petition": "đơn thư",
    "work.post": "chức danh",
    "work.successionplan": "quy hoạch cán bộ",
    "work.cademove": "điều động, bổ nhiệm cán bộ",
    "work.cadremove": "điều động, bổ nhiệm cán bộ",
    "work.trainingclass": "lớp bồi dưỡng",
    "work.document": "văn bản",
    "work.studysession": "buổi học tập, quán triệt",
    "work.commendation": "khen thưởng",
    "work.badgeaward": "trao Huy hiệu Đảng",
    "work.freeindicator": "chỉ tiêu",
    "file": "tệp",
}

OBJECT_TYPE_LABELS: dict[str, str] = {
    "orgs.organization": "Tổ chức đảng",
    "members.member": "Đảng viên",
    "assessment.assessmentcycle": "Đợt đánh giá",
}

REPORT_KINDS = {
    "annual": "báo cáo tổng kết công tác xây dựng Đảng năm",
    "review": "báo cáo kết quả đánh giá, xếp loại",
    "interim": "báo cáo sơ kết",
    "term": "báo cáo tổng kết nhiệm kỳ",
    "thematic": "báo cáo chuyên đề",
    "list": "danh sách",
}
REVEAL_FIELDS = {"citizen_id": "số căn cước công dân", "card_number": "số thẻ đảng viên"}
# import's counts (dangvu/imports/load.py Report.counts): what each is called
IMPORT_COUNTS = {
    "organizations": "tổ chức",
    "versions": "phiên bản tổ chức",
    "lineage_events": "sự kiện sắp xếp",
    "members": "đảng viên",
    "member_events": "sự kiện của đảng viên",
}
LEVELS = {**OLD_ORG_LABELS, **NEW_LABELS}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    if action.startswith("import_"):
        return "Nhập dữ liệu từ tệp"
    return "Thay đổi khác"


def _choice(model: Any, name: str, value: Any) -> str:
    """The Vietnamese label of a choice field's value (lower case, for the middle of a sentence)."""
    label = dict(model._meta.get_field(name).flatchoices).get(value, value or "")
    return str(label)[:1].lower() + str(label)[1:] if label else ""


def _dmy(d: dt.date) -> str:
    """dd/mm/yyyy, as the web pages type and show dates (dangvu/web/forms.py)."""
    return d.strftime("%d/%m/%Y")


def _date(value: Any) -> str:
    if isinstance(value, dt.date):
        return _dmy(value)
    try:
        return _dmy(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return ""


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
    day = _date(a.get("on"))
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
    day = _date(a.get("valid_from"))
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
    day = f" từ ngày {_dmy(ev['effective_on'])}" if ev else ""
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


PHRASES: dict[str, Phrase] = {
    "member_create": lambda e, n: f"tạo hồ sơ {n.member(e.object_id)}",
    "member_update": _member_update,
    **{action: _member_event for action in _MEMBER_EVENT_ACTIONS},
    "member_reveal": lambda e, n: (
        f"xem {REVEAL_FIELDS.get(_after(e).get('field', ''), 'số định danh')} của {n.member(e.object_id)}"
    ),
    "member_export": lambda e, n: (
        f"xuất danh sách {fmt_int(_after(e).get('rows') or 0)} đảng viên ra tệp Excel"
        + (f" (ngày {_date(_after(e)['on'])})" if _after(e).get("on") else "")
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
            f"ghi kỷ luật {_choice(work.Discipline, 'form', a.get('form'))} {who} ngày {_date(a.get('decided_on'))}"
        ),
    ),
    "candidate_register": lambda e, n: (
        f"ghi quần chúng {_after(e).get('full_name', '')} vào danh sách cảm tình đảng của {_org_of(n, e)}"
    ),
    "candidate_vote": lambda e, n: (
        f"ghi chi bộ xét, đề nghị kết nạp quần chúng {_after(e).get('full_name', '')}"
        f" ngày {_date(_after(e).get('branch_vote_on'))}"
    ),
    "candidate_admit": lambda e, n: (
        f"kết nạp quần chúng thành {n.member(n.member_codes.get(_after(e).get('member', ''), ''))}"
    ),
    "inspection_record": _work(
        work.Inspection,
        lambda a, who: (
            f"ghi cuộc {_choice(work.Inspection, 'kind', a.get('kind'))} đối với {who} "
            f"bắt đầu ngày {_date(a.get('started_on'))}"
        ),
    ),
    "petition_receive": _work(
        work.Petition,
        lambda a, who: (
            f"tiếp nhận đơn {_choice(work.Petition, 'kind', a.get('kind'))} về {who} ngày {_date(a.get('received_on'))}"
        ),
    ),
    "petition_conclude": _work(
        work.Petition,
        lambda a, who: (
            f"ghi kết luận đơn {_choice(work.Petition, 'kind', a.get('kind'))} về {who} "
            f"ngày {_date(a.get('concluded_on'))}"
        ),
    ),
    "post_assign": lambda e, n: (
        f"ghi {n.member(_after(e).get('member_id'))} giữ chức "
        f"{_choice(work.Post, 'title', _after(e).get('title'))} của {_org_of(n, e)} "
        f"nhiệm kỳ {_after(e).get('term', '')} từ ngày {_date(_after(e).get('started_on'))}"
    ),
    "succession_plan_add": lambda e, n: (
        f"đưa {n.member(_after(e).get('member_id'))} vào quy hoạch chức "
        f"{_choice(work.Post, 'title', _after(e).get('title'))} của {_org_of(n, e)} "
        f"nhiệm kỳ {_after(e).get('term', '')}"
    ),
    "cadre_move_record": lambda e, n: (
        f"ghi {_choice(work.CadreMove, 'kind', _after(e).get('kind'))} cán bộ {_after(e).get('person_name', '')}"
        + (f" ({_after(e)['position']})" if _after(e).get("position") else "")
        + f" tại {_org_of(n, e)} ngày {_date(_after(e).get('on'))}"
    ),
    "training_class_record": lambda e, n: (
        f"ghi lớp {_choice(work.TrainingClass, 'kind', _after(e).get('kind'))} “{_after(e).get('title', '')}” "
        f"của {_org_of(n, e)} khai giảng ngày {_date(_after(e).get('started_on'))}"
    ),
    "study_session_record": lambda e, n: (
        "ghi buổi học tập, quán triệt"
        + (f" văn bản {n.documents.get(_after(e)['document_id'], '')}" if _after(e).get("document_id") else "")
        + f" của {_org_of(n, e)} ngày {_date(_after(e).get('held_on'))}: "
        f"{fmt_int(_after(e).get('participants') or 0)}/{fmt_int(_after(e).get('expected') or 0)} đảng viên dự"
    ),
    "document_register": lambda e, n: (
        f"đăng ký văn bản số {_after(e).get('number')}-{_after(e).get('type')}/{_after(e).get('issuer')}"
        f" nhiệm kỳ {_after(e).get('term', '')} ngày {_date(_after(e).get('issued_on'))}"
        + (f" “{_after(e)['subject']}”" if _after(e).get("subject") else "")
    ),
    "commendation_grant": _work(
        work.Commendation,
        lambda a, who: (
            f"ghi {_choice(work.Commendation, 'kind', a.get('kind'))} “{a.get('title', '')}” "
            f"năm {a.get('year', '')} cho {who}"
        ),
    ),
    "badge_award": _work(
        work.BadgeAward,
        lambda a, who: (
            f"ghi {'truy tặng' if a.get('posthumous') else 'trao'} Huy hiệu {a.get('milestone')} năm "
            f"tuổi Đảng cho {who} ngày {_date(a.get('awarded_on'))}"
        ),
    ),
    "free_indicator_set": lambda e, n: (
        f"ghi chỉ tiêu “{_after(e).get('name', '')}” của {_org_of(n, e)} từ ngày "
        f"{_date(_after(e).get('period_start'))} đến ngày {_date(_after(e).get('period_end'))}"
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
        f"{n.org(_after(e).get('root', ''), _on(e))}" + (f", {_after(e)['number']}" if _after(e).get("number") else "")
    ),
    "grant_role": lambda e, n: (
        f"cấp vai trò {dict(Role.choices).get(_after(e).get('role', ''), '')} "
        + (f"trên {_org_of(n, e)} " if _after(e).get("organization_id") else "")
        + f"cho tài khoản {n.user(_after(e).get('user_id'))} từ ngày {_date(_after(e).get('valid_from'))}"
    ),
    "grant_end": lambda e, n: (
        f"kết thúc vai trò {dict(Role.choices).get(_after(e).get('role', ''), '')} "
        + (f"trên {_org_of(n, e)} " if _after(e).get("organization_id") else "")
        + f"của tài khoản {n.user(_after(e).get('user_id'))} từ ngày {_date(_after(e).get('valid_to'))}"
    ),
    "account_link_member": lambda e, n: (
        f"gắn tài khoản {n.user(n.accounts.get(int(e.object_id), '')) if e.object_id.isdigit() else ''} với "
        + (n.member(_after(e)["member_id"]) if _after(e).get("member_id") else "không đảng viên nào")
    ),
    "user_create": lambda e, n: f"tạo tài khoản {_after(e).get('username') or n.user(e.object_id)}",
    "totp_enable": lambda e, n: f"bật xác thực hai bước cho tài khoản {n.user(e.object_id)}",
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
                at=timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M") if e.at else "",
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
