"""Party-building work records: one list per kind (filters, pages of 50, XLSX export) with its create form,
each create through its work service; the alerts of a unit's subtree, each linking to its record.

Organizations and members are chosen with the scoped pickers (dangvu.web.pickers) and fetched through the
scoped getters with write access, so a form can never attach a record outside the person's subtree. Whether a
write control shows is asked of the same policy functions the views enforce (accounts.scope)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.forms import modelform_factory
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from dangvu.accounts.scope import (
    can_write,
    can_write_somewhere,
    ever_visible_orgs,
    get_member,
    get_org,
    require_reader,
    require_write_somewhere,
    visible_members,
    visible_orgs,
    writable_orgs,
)
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.web import jobs, reads
from dangvu.web.forms import date_field, event_date_field
from dangvu.web.pickers import MemberField, OrgField, PickerForm, bind_pickers
from dangvu.web.views.orgs import as_of
from dangvu.work import alerts as wa
from dangvu.work import due
from dangvu.work import models as wm
from dangvu.work import queries as wq
from dangvu.work import services as ws

PAGE = 50
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class WorkKind:
    slug: str
    title: str
    fields: list[str]  # the model's own fields on the create form
    service: Callable[..., Any]
    org: str = "required"  # required | optional | none
    member: str = "none"  # required | optional | none
    org_label: str = "Tổ chức đảng"

    @property
    def spec(self) -> wq.ListSpec:
        return wq.SPECS[self.slug]

    @property
    def model(self) -> type[models.Model]:
        return self.spec.model


KINDS: dict[str, WorkKind] = {
    k.slug: k
    for k in [
        WorkKind(
            "ket-nap",
            "Phát triển đảng viên (quần chúng ưu tú)",
            ["full_name", "gender", "birth_date", "category", "awareness_course_on", "introducers", "dossier_complete"],
            ws.candidate_register,
            org_label="Chi bộ",
        ),
        WorkKind(
            "ky-luat",
            "Kỷ luật",
            ["form", "decided_on", "deciding_body", "decision_ref", "violation", "self_fixed"],
            ws.discipline_record,
            org="optional",
            member="optional",
            org_label="Tổ chức đảng (khi kỷ luật một tổ chức)",
        ),
        WorkKind(
            "kiem-tra",
            "Kiểm tra, giám sát",
            ["kind", "planned", "started_on", "concluded_on", "violation_found", "conclusion"],
            ws.inspection_record,
            member="optional",
        ),
        WorkKind(
            "don-thu",
            "Đơn thư tố cáo, khiếu nại",
            ["kind", "received_on", "handled_on", "concluded_on", "outcome"],
            ws.petition_receive,
            member="optional",
        ),
        WorkKind(
            "can-bo",
            "Điều động, luân chuyển, bổ nhiệm cán bộ",
            ["kind", "person_name", "on", "position", "decision_ref"],
            ws.cadre_move_record,
            member="optional",
        ),
        WorkKind(
            "quy-hoach",
            "Quy hoạch cán bộ",
            ["title", "term", "approved_on"],
            ws.succession_plan_add,
            member="required",
        ),
        WorkKind(
            "boi-duong",
            "Đào tạo, bồi dưỡng",
            ["kind", "title", "started_on", "ended_on", "attendances"],
            ws.training_class_record,
        ),
        WorkKind(
            "hoc-tap",
            "Học tập, quán triệt nghị quyết",
            ["document", "held_on", "expected", "participants"],
            ws.study_session_record,
        ),
        WorkKind(
            "van-ban",
            "Văn bản",
            [],
            ws.document_register,
            org="optional",
            org_label="Cấp ủy ban hành (để trống khi là cơ quan ngoài hệ thống)",
        ),
        WorkKind(
            "khen-thuong",
            "Khen thưởng",
            ["title", "kind", "granted_by", "year", "decided_on", "decision_ref"],
            ws.commendation_grant,
            org="optional",
            member="optional",
            org_label="Tổ chức đảng (khi khen một tổ chức)",
        ),
        WorkKind("huy-hieu", "Huy hiệu Đảng", [], ws.badge_award, org="none", member="required"),
        WorkKind(
            "chi-tieu",
            "Chỉ tiêu tự định nghĩa",
            ["code", "name", "unit", "period_start", "period_end", "value", "note"],
            ws.free_indicator_set,
        ),
    ]
}

# Dates that name a period or a planned end, not something that happened: they may lie after today.
FUTURE_ALLOWED = {"period_start", "period_end", "ended_on"}


class DocumentForm(djforms.Form):
    """A document: its number and symbol, the committee that issued it (the org picker, added by form_class) or
    the name of an issuer outside the system, the term, and a programme's kind."""

    code = djforms.CharField(label="Số, ký hiệu (vd. 36-CTr/TU)", max_length=60)
    programme_kind = djforms.ChoiceField(
        label="Loại chương trình (khi là chương trình, CTr)",
        required=False,
        choices=[("", "—"), *wm.Document.ProgrammeKind.choices],
    )
    # A programme or plan carries out a resolution ("Chương trình hành động thực hiện Nghị quyết số …"): any
    # registered document may be named, a commune's programme most often carries out the district's resolution.
    implements = djforms.TypedChoiceField(
        label="Thực hiện văn bản (khi là chương trình, kế hoạch thực hiện một văn bản)",
        required=False,
        coerce=int,
        empty_value=None,
    )
    issuer_name = djforms.CharField(
        label="Tên cơ quan ban hành ngoài hệ thống (vd. Thành ủy Hà Nội)", required=False, max_length=120
    )
    term = djforms.CharField(label="Nhiệm kỳ (vd. 2020–2025)", max_length=20)
    issued_on = event_date_field("Ngày ban hành", required=False)
    subject = djforms.CharField(label="Trích yếu", required=False, widget=djforms.Textarea)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["implements"].choices = [("", "—"), *_document_choices()]  # type: ignore[attr-defined]


def _document_choices() -> list[tuple[int, str]]:
    """Every registered document, newest first, named so that two committees' '1-NQ/ĐU' tell apart: the number
    and symbol, the term and the issuer (as it was called on the day it issued the document)."""
    docs = list(wm.Document.objects.order_by("-issued_on", "-pk"))
    names = wq.unit_names({d.organization_id for d in docs if d.organization_id})
    out = []
    for d in docs:
        issuer = names(d.organization_id, d.issued_on) if d.organization_id else d.issuer_name
        out.append((d.pk, ", ".join(x for x in (d.reference, f"nhiệm kỳ {d.term}", issuer) if x)))
    return out


# The document list's columns as a reader names them (the unit of a document is the committee that issued it).
DOCUMENT_LABELS = {"organization": "Cấp ủy ban hành"}


def column_labels(kind: WorkKind) -> list[str]:
    own = DOCUMENT_LABELS if kind.slug == "van-ban" else {}
    return [own.get(c) or kind.spec.label(c) for c in kind.spec.columns]


class BadgeForm(djforms.Form):
    milestone = djforms.IntegerField(label="Huy hiệu (năm tuổi Đảng)")
    awarded_on = event_date_field("Ngày trao")
    decision_ref = djforms.CharField(label="Số quyết định", required=False, max_length=120)
    posthumous = djforms.BooleanField(label="Truy tặng", required=False)


class DocumentChoice(djforms.ModelChoiceField):  # type: ignore[type-arg]
    """A document by number and title, newest first."""

    def label_from_instance(self, obj: Any) -> str:
        subject = obj.subject if len(obj.subject) <= 70 else obj.subject[:69] + "…"
        return f"{obj.reference} — {subject}" if subject else obj.reference


def _formfield(f: models.Field[Any, Any], **kw: Any) -> djforms.Field | None:
    """Dates typed dd/mm/yyyy; the day of an event never after today."""
    if f.name == "document":
        return DocumentChoice(
            wm.Document.objects.order_by("-issued_on", "-pk"), required=False, label="Văn bản học tập, quán triệt"
        )
    if isinstance(f, models.DateField):
        make = date_field if f.name in FUTURE_ALLOWED else event_date_field
        return make(capfirst(str(f.verbose_name)), not f.blank)
    field = f.formfield(**kw)
    if field is not None:
        field.label = capfirst(str(f.verbose_name))
    return field


def form_class(kind: WorkKind) -> type[djforms.Form]:
    if kind.slug == "van-ban":
        base: type[djforms.Form] = DocumentForm
    elif kind.slug == "huy-hieu":
        base = BadgeForm
    else:
        base = modelform_factory(kind.model, fields=kind.fields, formfield_callback=_formfield)  # type: ignore[arg-type,assignment]
    extra: dict[str, Any] = {}
    first = []
    if kind.member != "none":
        extra["member_code"] = MemberField(label="Đảng viên", required=kind.member == "required")
        first.append("member_code")
    if kind.org != "none":
        extra["org_code"] = OrgField(label=kind.org_label, required=kind.org == "required")
        first.append("org_code")
    extra["field_order"] = first + list(base.base_fields)
    return type(f"{kind.model.__name__}WebForm", (base,), extra)


class WorkFilterForm(PickerForm):
    q = djforms.CharField(label="Tìm (tên, số quyết định, nội dung)", required=False, max_length=100)
    unit = OrgField(label="Đơn vị", required=False)
    year = djforms.IntegerField(label="Năm", required=False, min_value=1930, max_value=2100)
    start = date_field("Từ ngày", required=False)
    end = date_field("Đến ngày", required=False)
    kind = djforms.ChoiceField(label="Loại", required=False)

    def __init__(self, *args: Any, spec: wq.ListSpec, **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = wq.kind_choices(spec)
        if choices:
            self.fields["kind"].choices = [("", "Tất cả"), *choices]  # type: ignore[attr-defined]
            self.fields["kind"].label = spec.kind_label
        else:
            del self.fields["kind"]
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "class": "year"})


def _filters(request: HttpRequest, kind: WorkKind) -> tuple[WorkFilterForm, wq.WorkFilter]:
    """The list's filters from the query string; ?org= (from a dashboard) stands for the unit."""
    return filters_of(request.user, request.GET, kind)


def filters_of(user: Any, params: Any, kind: WorkKind) -> tuple[WorkFilterForm, wq.WorkFilter]:
    """_filters for a person and a query string (the export job re-runs the list as its owner)."""
    data = params.copy()
    if params.get("org") and not params.get("unit"):
        data["unit"] = params["org"]
    form = WorkFilterForm(data, spec=kind.spec, user=user)
    form.is_valid()
    c = form.cleaned_data
    unit = get_org(user, c["unit"]) if c.get("unit") else None
    record = params.get("id", "")
    f = wq.WorkFilter(
        unit=unit,
        year=c.get("year"),
        start=c.get("start"),
        end=c.get("end"),
        kind=c.get("kind") or "",
        q=c.get("q") or "",
        record=int(record) if record.isdigit() else None,
    )
    return form, f


def _records(request: HttpRequest, kind: WorkKind, f: wq.WorkFilter) -> Any:
    return records_of(request.user, kind, f)


def records_of(user: Any, kind: WorkKind, f: wq.WorkFilter) -> Any:
    # A list spans years: the units the person sees on some day (the staff of a district that ended keep its records).
    return wq.records(kind.spec, orgs=ever_visible_orgs(user), members=visible_members(user), f=f)


def _query(request: HttpRequest, *drop: str) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in ("page", *drop) and v])


@login_required
def work_index(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    org = get_org(request.user, request.GET["org"]) if request.GET.get("org") else None
    name = wq.unit_names([org.pk])(org.pk, timezone.localdate()) if org else ""
    return render(request, "web/work_index.html", {"kinds": KINDS.values(), "org": org, "org_name": name})


@login_required
def work_list(request: HttpRequest, slug: str) -> HttpResponse:
    require_reader(request.user)
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    if request.method == "POST":
        require_write_somewhere(request.user)
    filter_form, f = _filters(request, kind)
    writer = can_write(request.user, f.unit) if f.unit else can_write_somewhere(request.user)
    form = None
    if writer or request.method == "POST":
        form = bind_pickers(
            form_class(kind)(request.POST or None, initial={"org_code": f.unit.code if f.unit else ""}),
            user=request.user,
        )
        if request.method == "POST" and _create(request, kind, form):
            return redirect(request.get_full_path())
    page = Paginator(_records(request, kind, f), PAGE).get_page(request.GET.get("page"))
    rows = wq.rows(kind.spec, list(page.object_list))
    pipeline = slug == "ket-nap"
    steps = set()
    if pipeline and writer:
        ids = {r.obj.organization_id for r in rows}
        steps = set(writable_orgs(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    return render(
        request,
        "web/work_list.html",
        {
            "kind": kind,
            "form": form,
            "writer": writer,
            "filter_form": filter_form,
            "filter": f,
            "columns": column_labels(kind),
            "rows": rows,
            "page": page,
            "query": _query(request),
            "pipeline": pipeline,
            "steps": steps,
            "step_form": CandidateStepForm(),
        },
    )


def _create(request: HttpRequest, kind: WorkKind, form: djforms.BaseForm) -> bool:
    """Every error at once, each beside its field: the form's own, then the pickers' write access, then the
    service's rule (only when nothing else is wrong)."""
    valid = form.is_valid()
    data = dict(form.cleaned_data)
    fields = resolve_fields(request.user, form, data)
    if not valid or form.errors:
        return False
    try:
        kind.service(actor=Actor.of(request.user), **fields)
    except RuleError as e:
        target = {"member": "member_code", "organization": "org_code"}.get(e.field or "", e.field)
        form.add_error(target if target in form.fields else None, e.message)
        return False
    except djforms.ValidationError as e:
        form.add_error(None, e)
        return False
    messages.success(request, f"Đã ghi: {kind.title.lower()}.")
    return True


def resolve_fields(user: Any, form: djforms.BaseForm, data: dict[str, Any]) -> dict[str, Any]:
    """The chosen organization and member, with write access (the pickers checked they are in sight)."""
    org_code = data.pop("org_code", "") or ""
    member_code = data.pop("member_code", "") or ""
    if org_code:
        try:
            data["organization"] = get_org(user, org_code, write=True)
        except (Http404, PermissionDenied):
            form.add_error("org_code", "Bạn chỉ có quyền xem tổ chức này: không ghi được hồ sơ cho tổ chức này.")
    if member_code:
        try:
            data["member"] = get_member(user, member_code, write=True)
        except (Http404, PermissionDenied):
            form.add_error("member_code", "Bạn chỉ có quyền xem hồ sơ đảng viên này: không ghi được.")
    if "code" in data and "term" in data:  # a document: the service's defaults stand for what was left empty
        implements = data.pop("implements", None)
        if implements:
            data["implements"] = list(wm.Document.objects.filter(pk=implements))
        return {k: v for k, v in data.items() if v is not None and v != ""}
    return data


@require_POST
@login_required
def work_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The list as filtered (the query string), as an XLSX file made by a job of the queue (dangvu.web.jobs); the
    filters are checked here (a unit out of scope is 404 now), the job's page offers the file to its owner."""
    require_reader(request.user)
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    _filters(request, kind)
    job = jobs.start_work_export(request.user, slug=slug, query=request.GET.urlencode())
    return redirect("export_job", job.pk.hex)


def export_records(user: Any, slug: str, query: str, at: dt.datetime) -> tuple[bytes, str, int]:
    """The work list's workbook as `user` may read it, audited in the caller's transaction (the job records its
    result in it): the file's bytes, the name the person gets, rows."""
    require_reader(user)
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    _, f = filters_of(user, QueryDict(query), kind)
    rows = wq.rows(kind.spec, list(records_of(user, kind, f)[:EXPORT_LIMIT]))
    now = timezone.localtime(at)
    data = ws.records_export(
        list_title=kind.title,
        slug=slug,
        header=["STT", *column_labels(kind)],
        rows=[[str(i), *(str(c) for c in r.cells)] for i, r in enumerate(rows, start=1)],
        filters=f.described(),
        actor=Actor.of(user),
        on=now,
    )
    return data, f"{slug}-{now:%Y%m%d-%H%M}.xlsx", len(rows)


class CandidateStepForm(djforms.Form):
    on = event_date_field("Ngày")
    ceremony_on = event_date_field("Ngày lễ kết nạp", required=False)
    decision_ref = djforms.CharField(label="Số quyết định", required=False, max_length=120)


@require_POST
@login_required
def candidate_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """The admissions pipeline: the branch votes, then the committee admits (through the membership services)."""
    c = wm.Candidate.objects.filter(pk=pk, organization_id__in=visible_orgs(request.user).values("pk")).first()
    if c is None or step not in ("vote", "admit"):
        raise Http404
    if not can_write(request.user, c.organization_id):
        raise PermissionDenied("Bạn chỉ có quyền xem.")
    back = request.POST.get("next", "")
    if not back.startswith("/cong-tac/ket-nap/") or not url_has_allowed_host_and_scheme(back, None):
        back = reverse("work_list", args=["ket-nap"])  # back to the list as it was filtered
    form = CandidateStepForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{c.full_name} — {label}: {' '.join(str(e) for e in errors)}")
        return redirect(back)
    actor = Actor.of(request.user)
    d = form.cleaned_data
    try:
        if step == "vote":
            ws.candidate_vote(candidate=c, voted_on=d["on"], actor=actor)
            messages.success(request, f"Chi bộ đã xét, đề nghị kết nạp {c.full_name}.")
        else:
            member = ws.candidate_admit(
                candidate=c,
                decided_on=d["on"],
                ceremony_on=d["ceremony_on"],
                actor=actor,
                decision_ref=d["decision_ref"],
            )
            messages.success(request, f"Đã kết nạp {member.full_name} ({member.code}).")
    except RuleError as e:
        messages.error(request, f"{c.full_name}: {e.message}")
    return redirect(back)


# ---------------------------------------------------------------- alerts


class AlertFilterForm(djforms.Form):
    q = djforms.CharField(label="Tìm theo họ tên", required=False, max_length=100)
    kind = djforms.ChoiceField(
        label="Loại việc", required=False, choices=[("", "Tất cả"), *((k.value, v) for k, v in wa.KIND_LABELS.items())]
    )
    overdue = djforms.BooleanField(label="Chỉ việc quá hạn", required=False)


@login_required
def alerts_page(request: HttpRequest, code: str) -> HttpResponse:
    """Every alert of the unit's subtree, grouped by kind, filtered, 50 a page: from the stored alerts (work.due,
    filtered, counted and paged in the database); a day they do not hold is computed whole, as the dashboard's."""
    on = as_of(request)
    org = get_org(request.user, code, on=on)
    form = AlertFilterForm(request.GET)
    form.is_valid()
    c = form.cleaned_data
    kind, overdue, q = str(c.get("kind") or ""), bool(c.get("overdue")), str(c.get("q") or "")
    if due.covers(on):
        rows = due.listed(org, on)
        groups = due.kind_groups(rows)
        chosen = due.with_names(due.page_rows(rows, on, kind=kind, overdue=overdue, q=q))
        page: Any = Paginator(chosen, PAGE).get_page(request.GET.get("page"))
        items = due.as_alerts(page.object_list, on)
    else:
        found = reads.cached("alerts", org, on, lambda: wa.alerts(org, on))
        groups = wa.groups(found)
        page = Paginator(wa.select(found, kind=kind, overdue=overdue, q=q), PAGE).get_page(request.GET.get("page"))
        items = list(page.object_list)
    name_on = wq.unit_names({a.org_id for a in items if a.org_id})
    return render(
        request,
        "web/alerts.html",
        {
            "org": org,
            "org_name": wq.unit_names([org.pk])(org.pk, on),
            "on": on,
            "form": form,
            "groups": groups,
            "total": sum(g.count for g in groups),
            "overdue": sum(g.overdue for g in groups),
            "page": page,
            "items": [(a, name_on(a.org_id, on) if a.org_id else "") for a in items],
            "query": _query(request),
            "kind_query": _query(request, "kind"),
        },
    )
