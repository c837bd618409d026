"""Party-building work records: one list + create page per kind, each create through its work service.

Organizations and members are named by code and fetched through the scoped getters (write access), so a form
can never attach a record outside the person's subtree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import Q
from django.forms import modelform_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.accounts.scope import (
    can_write,
    get_member,
    get_org,
    require_reader,
    require_write_somewhere,
    visible_members,
    visible_orgs,
)
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.web.forms import DateInput, date_field
from dangvu.work import models as wm
from dangvu.work import services as ws


@dataclass(frozen=True)
class WorkKind:
    slug: str
    title: str
    model: type[models.Model]
    fields: list[str]  # the model's own fields on the form
    columns: list[str]  # shown in the list
    service: Callable[..., Any]
    order: str
    org: str = "required"  # required | optional | none
    member: str = "none"  # required | optional | none


KINDS: dict[str, WorkKind] = {
    k.slug: k
    for k in [
        WorkKind(
            "ket-nap",
            "Phát triển đảng viên (quần chúng ưu tú)",
            wm.Candidate,
            ["full_name", "gender", "birth_date", "category", "awareness_course_on", "introducers", "dossier_complete"],
            ["full_name", "birth_date", "organization", "awareness_course_on", "branch_vote_on", "stage"],
            ws.candidate_register,
            "-id",
        ),
        WorkKind(
            "ky-luat",
            "Kỷ luật",
            wm.Discipline,
            ["form", "decided_on", "deciding_body", "decision_ref", "violation", "self_fixed"],
            ["decided_on", "member", "organization", "form", "deciding_body", "decision_ref"],
            ws.discipline_record,
            "-decided_on",
            org="optional",
            member="optional",
        ),
        WorkKind(
            "kiem-tra",
            "Kiểm tra, giám sát",
            wm.Inspection,
            ["kind", "planned", "started_on", "concluded_on", "violation_found", "conclusion"],
            ["started_on", "kind", "organization", "member", "planned", "violation_found"],
            ws.inspection_record,
            "-started_on",
            member="optional",
        ),
        WorkKind(
            "don-thu",
            "Đơn thư tố cáo, khiếu nại",
            wm.Petition,
            ["kind", "received_on", "handled_on", "concluded_on", "outcome"],
            ["received_on", "kind", "organization", "member", "concluded_on"],
            ws.petition_receive,
            "-received_on",
            member="optional",
        ),
        WorkKind(
            "can-bo",
            "Điều động, luân chuyển, bổ nhiệm cán bộ",
            wm.CadreMove,
            ["kind", "person_name", "on", "position", "decision_ref"],
            ["on", "kind", "person_name", "organization", "position", "decision_ref"],
            ws.cadre_move_record,
            "-on",
            member="optional",
        ),
        WorkKind(
            "quy-hoach",
            "Quy hoạch cán bộ",
            wm.SuccessionPlan,
            ["title", "term", "approved_on"],
            ["member", "organization", "title", "term", "approved_on"],
            ws.succession_plan_add,
            "-id",
            member="required",
        ),
        WorkKind(
            "boi-duong",
            "Đào tạo, bồi dưỡng",
            wm.TrainingClass,
            ["kind", "title", "started_on", "ended_on", "attendances"],
            ["started_on", "kind", "title", "organization", "attendances"],
            ws.training_class_record,
            "-started_on",
        ),
        WorkKind(
            "hoc-tap",
            "Học tập, quán triệt nghị quyết",
            wm.StudySession,
            ["held_on", "expected", "participants"],
            ["held_on", "organization", "document", "expected", "participants"],
            ws.study_session_record,
            "-held_on",
        ),
        WorkKind(
            "van-ban",
            "Văn bản",
            wm.Document,
            [],
            ["issued_on", "number", "type", "issuer", "term", "subject"],
            ws.document_register,
            "-issued_on",
            org="optional",
        ),
        WorkKind(
            "khen-thuong",
            "Khen thưởng",
            wm.Commendation,
            ["title", "kind", "granted_by", "year", "decided_on", "decision_ref"],
            ["decided_on", "title", "kind", "member", "organization", "granted_by", "year"],
            ws.commendation_grant,
            "-decided_on",
            org="optional",
            member="optional",
        ),
        WorkKind(
            "huy-hieu",
            "Huy hiệu Đảng",
            wm.BadgeAward,
            [],
            ["awarded_on", "member", "milestone", "decision_ref", "posthumous"],
            ws.badge_award,
            "-awarded_on",
            org="none",
            member="required",
        ),
        WorkKind(
            "chi-tieu",
            "Chỉ tiêu tự định nghĩa",
            wm.FreeIndicator,
            ["code", "name", "unit", "period_start", "period_end", "value", "note"],
            ["period_start", "period_end", "code", "name", "organization", "value", "unit"],
            ws.free_indicator_set,
            "-period_start",
        ),
    ]
}


class DocumentForm(djforms.Form):
    code = djforms.CharField(label="Số, ký hiệu (vd. 36-CTr/TU)", max_length=60)
    term = djforms.CharField(label="Nhiệm kỳ (vd. 2020–2025)", max_length=20)
    issued_on = date_field("Ngày ban hành", required=False)
    subject = djforms.CharField(label="Trích yếu", required=False, widget=djforms.Textarea)


class BadgeForm(djforms.Form):
    milestone = djforms.IntegerField(label="Huy hiệu (năm tuổi Đảng)")
    awarded_on = date_field("Ngày trao")
    decision_ref = djforms.CharField(label="Số quyết định", required=False, max_length=120)
    posthumous = djforms.BooleanField(label="Truy tặng", required=False)


def form_class(kind: WorkKind) -> type[djforms.Form]:
    if kind.slug == "van-ban":
        base: type[djforms.Form] = DocumentForm
    elif kind.slug == "huy-hieu":
        base = BadgeForm
    else:
        widgets = {f.name: DateInput() for f in kind.model._meta.fields if isinstance(f, models.DateField)}
        base = modelform_factory(kind.model, fields=kind.fields, widgets=widgets)  # type: ignore[arg-type,assignment]
    extra: dict[str, Any] = {}
    if kind.org != "none":
        extra["org_code"] = djforms.CharField(label="Mã tổ chức", required=kind.org == "required", max_length=32)
    if kind.member != "none":
        extra["member_code"] = djforms.CharField(
            label="Mã đảng viên", required=kind.member == "required", max_length=20
        )
    return type(f"{kind.model.__name__}WebForm", (base,), extra)


def scoped_records(kind: WorkKind, user: Any, org: Any | None) -> Any:
    """A kind's records whose organization (or member) is in the person's scope; under org when given."""
    vis = visible_orgs(user).values("pk")
    model_fields = {f.name for f in kind.model._meta.fields}
    qs = kind.model._default_manager.all()
    cond = Q()
    if "organization" in model_fields:
        cond |= Q(organization_id__in=vis)
    if "member" in model_fields:
        cond |= Q(member_id__in=visible_members(user).values("pk"))
    qs = qs.filter(cond)
    if org is not None and "organization" in model_fields:
        from dangvu.accounts.scope import today
        from dangvu.orgs.models import OrgAncestry

        qs = qs.filter(
            organization_id__in=OrgAncestry.objects.on(today()).filter(ancestor=org).values("organization_id")
        )
    related = [f for f in ("organization", "member", "document") if f in model_fields]
    return qs.select_related(*related).order_by(kind.order)


@login_required
def work_index(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    org = get_org(request.user, request.GET["org"]) if request.GET.get("org") else None
    return render(request, "web/work_index.html", {"kinds": KINDS.values(), "org": org})


@login_required
def work_list(request: HttpRequest, slug: str) -> HttpResponse:
    require_reader(request.user)
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    org = get_org(request.user, request.GET["org"]) if request.GET.get("org") else None
    if request.method == "POST":
        require_write_somewhere(request.user)
    Form = form_class(kind)
    form = Form(request.POST or None, initial={"org_code": org.code if org else ""})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            fields = _resolve(kind, request.user, data)
            kind.service(actor=Actor.of(request.user), **fields)
        except RuleError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        except djforms.ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"Đã ghi: {kind.title.lower()}.")
            return redirect(request.get_full_path())
    rows = list(scoped_records(kind, request.user, org)[:200])
    columns = [(c, _label(kind.model, c)) for c in kind.columns]
    table = [[_cell(obj, c) for c, _ in columns] + [obj] for obj in rows]
    return render(
        request,
        "web/work_list.html",
        {
            "kind": kind,
            "form": form,
            "columns": columns,
            "table": table,
            "org": org,
            "pipeline": slug == "ket-nap",
            "today": dt.date.today(),
        },
    )


def _resolve(kind: WorkKind, user: Any, data: dict[str, Any]) -> dict[str, Any]:
    from django.core.exceptions import PermissionDenied

    org_code = data.pop("org_code", "") or ""
    member_code = data.pop("member_code", "") or ""
    if org_code:
        try:
            data["organization"] = get_org(user, org_code.strip(), write=True)
        except (Http404, PermissionDenied):
            raise RuleError(
                f"Không ghi được cho tổ chức '{org_code}' (ngoài phạm vi hoặc chỉ được xem).", field="org_code"
            ) from None
    if member_code:
        try:
            data["member"] = get_member(user, member_code.strip(), write=True)
        except (Http404, PermissionDenied):
            raise RuleError(
                f"Không ghi được cho đảng viên '{member_code}' (ngoài phạm vi hoặc chỉ được xem).", field="member_code"
            ) from None
    if kind.slug not in ("van-ban", "huy-hieu", "khen-thuong", "ky-luat") and "organization" not in data:
        raise RuleError("Cần mã tổ chức.", field="org_code")
    if kind.slug in ("van-ban", "huy-hieu") and not (data.get("organization") or data.get("member")):
        # A document of the centre is in nobody's subtree: only who writes somewhere may register it.
        require_write_somewhere(user)
    if kind.slug == "kiem-tra" and data.get("member") and "organization" not in data:
        raise RuleError("Cần mã tổ chức.", field="org_code")
    return {k: v for k, v in data.items() if v is not None and v != ""} if kind.slug in ("van-ban",) else data


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except Exception:
        return name


def _cell(obj: Any, name: str) -> Any:
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None:
        return display()
    value = getattr(obj, name, "")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "có" if value else ""
    return "" if value is None else value


@require_POST
@login_required
def candidate_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """The admissions pipeline: the branch votes, then the committee admits (through the membership services)."""
    vis = visible_orgs(request.user).values("pk")
    c = wm.Candidate.objects.filter(pk=pk, organization_id__in=vis).first()
    if c is None:
        raise Http404
    if not can_write(request.user, c.organization_id):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    from dangvu.domain.vietnamese import parse_date

    actor = Actor.of(request.user)
    try:
        on = parse_date(request.POST.get("on", ""))
        if step == "vote":
            ws.candidate_vote(candidate=c, voted_on=on, actor=actor)
            messages.success(request, f"Chi bộ đã xét, đề nghị kết nạp {c.full_name}.")
        elif step == "admit":
            ceremony = request.POST.get("ceremony_on")
            member = ws.candidate_admit(
                candidate=c,
                decided_on=on,
                ceremony_on=parse_date(ceremony) if ceremony else None,
                actor=actor,
                decision_ref=request.POST.get("decision_ref", ""),
            )
            messages.success(request, f"Đã kết nạp {member.full_name} ({member.code}).")
        else:
            raise Http404
    except (RuleError, ValueError) as e:
        messages.error(request, getattr(e, "message", str(e)))
    return redirect("work_list", "ket-nap")
