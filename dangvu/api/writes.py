"""Write endpoints: lifecycle events and work records through the web's own forms and services (one transaction and
one audit entry each, inside the service), and report jobs on the one job queue. Nothing here writes a model."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms as djforms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, QueryDict
from ninja import Body, Query, Router, Status

from dangvu.accounts.scope import (
    check_change_member,
    get_member,
    get_org_during,
    require_reader,
    require_write_somewhere,
)
from dangvu.domain.errors import RuleError
from dangvu.jobs import files
from dangvu.reports.api import start_job
from dangvu.web import member_forms as mf
from dangvu.web.pickers import bind_pickers
from dangvu.web.views import reports as web_reports
from dangvu.web.views import work as web_work
from dangvu.web.views.members import LIFECYCLE_FORMS
from dangvu.work import queries as wq

from . import schemas as s
from .auth import actor
from .errors import FormRefused
from .services import file_download

router = Router(tags=["Ghi"])
ERRORS = s.ERRORS


@router.post(
    "/members/{code}/events/{kind}",
    response={201: s.Created, **ERRORS},
    summary="Ghi một sự kiện sinh hoạt đảng (kết nạp, chuyển đi, từ trần …)",
)
def member_event(request: HttpRequest, code: str, kind: str, body: s.EventIn) -> Any:
    """`kind`: one of the web's lifecycle forms (recognition, transfer_in, transfer_out, exemption, suspension,
    removal, expulsion, resignation, death, readmission, restoration, admission); the fields are the form's."""
    if kind not in LIFECYCLE_FORMS:
        raise Http404
    m = get_member(request.user, code, write=True)
    title, form_class, run = LIFECYCLE_FORMS[kind]
    form = mf.event_form(form_class, body.model_dump(exclude_none=True), user=request.user)
    if not form.is_valid():
        raise FormRefused(form)
    data = {
        k: v for k, v in form.cleaned_data.items() if v not in (None, "") or k in ("on", "decided_on", "ceremony_on")
    }
    day_field = "on" if "on" in data else "decided_on"
    try:
        check_change_member(request.user, m, data.get(day_field), field=day_field)
        event = run(m, data, actor(request), request.user)
    except RuleError as e:
        form.add_error(form.field_for(e.field), e.message)
        raise FormRefused(form) from e
    return Status(201, {"id": event.pk, "message": f"Đã ghi: {title.lower()}."})


def _kind(slug: str) -> web_work.WorkKind:
    kind = web_work.KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


@router.get("/work/{slug}", response={200: s.WorkRows, **ERRORS}, summary="Hồ sơ công tác đảng một loại (theo trang)")
def work_list(
    request: HttpRequest,
    slug: str,
    unit: str = "",
    year: int | None = Query(None, ge=1930, le=2100),  # type: ignore[type-arg]
    q: str = Query("", max_length=100),  # type: ignore[type-arg]
    page: int = Query(1, ge=1, le=100_000),  # type: ignore[type-arg]
) -> Any:
    """`slug` as on the web (ky-luat, khen-thuong, kiem-tra, …): the records the holder sees, 50 a page."""
    require_reader(request.user)
    kind = _kind(slug)
    params = QueryDict(urlencode({k: v for k, v in {"unit": unit, "year": year or "", "q": q}.items() if v}))
    _, f = web_work.filters_of(request.user, params, kind)
    paged = Paginator(web_work.records_of(request.user, kind, f), web_work.PAGE)
    if page > paged.num_pages:
        return {"columns": web_work.column_labels(kind), "rows": [], "next_page": None}
    current = paged.page(page)
    columns = web_work.column_labels(kind)
    rows = wq.rows(kind.spec, list(current.object_list))
    return {
        "columns": columns,
        "rows": [{"id": r.obj.pk, **{c: str(cell) for c, cell in zip(columns, r.cells, strict=False)}} for r in rows],
        "next_page": page + 1 if current.has_next() else None,
    }


@router.post("/work/{slug}", response={201: s.Created, **ERRORS}, summary="Ghi một hồ sơ công tác đảng")
def work_create(request: HttpRequest, slug: str, body: dict[str, Any] = Body(...)) -> Any:  # noqa: B008
    """The fields of the web's form for the kind (org_code, member_code, and the record's own; dates dd/mm/yyyy)."""
    require_write_somewhere(request.user)
    kind = _kind(slug)
    odd = sorted(k for k, v in body.items() if v is not None and not isinstance(v, str | int | float | bool))
    if odd:
        raise RuleError(f"Trường {odd[0]}: cần một chuỗi, một số hoặc true/false.", field=odd[0])
    data = {k: v for k, v in body.items() if v is not None}
    form = bind_pickers(web_work.form_class(kind)(data), user=request.user)
    valid = form.is_valid()
    fields = web_work.resolve_fields(request.user, form, dict(form.cleaned_data))
    if not valid or form.errors:
        raise FormRefused(form)
    try:
        record = kind.service(actor=actor(request), **fields)
    except RuleError as e:
        target = {"member": "member_code", "organization": "org_code"}.get(e.field or "", e.field)
        form.add_error(target if target in form.fields else None, e.message)
        raise FormRefused(form) from e
    except djforms.ValidationError as e:
        form.add_error(None, e)
        raise FormRefused(form) from e
    return Status(201, {"id": getattr(record, "pk", 0) or 0, "message": f"Đã ghi: {kind.title.lower()}."})


# ---------------------------------------------------------------- report jobs (dangvu.reports.api, dangvu.jobs)


def _job_out(job: Any) -> dict[str, Any]:
    failed = job.state == job.State.FAILED
    return {
        "id": job.pk.hex,
        "status": job.state,
        "progress": job.percent,
        "message": job.error if failed and job.error else job.message,
        "files": [files.basename(n) for n in job.result.get("files", [])],
        "document": job.result.get("document"),
        "error": job.error,
    }


@router.post("/reports", response={202: s.Job, **ERRORS}, summary="Lập một báo cáo (dự thảo) trong hàng đợi")
def report_start(request: HttpRequest, body: s.ReportIn) -> Any:
    require_reader(request.user)
    data = body.model_dump(exclude_none=True)
    form = web_reports.ReportForm(data)
    if not form.is_valid():
        raise FormRefused(form)
    d = form.cleaned_data
    unit = get_org_during(request.user, d["org"], d["span"].start, d["span"].end)  # out of scope: 404
    options: dict[str, Any] = {"issued_on": d["report_date"]} if d.get("report_date") else {}
    if d.get("document"):
        options["document"] = d["document"]
    try:
        job = start_job(
            root=unit,
            kind=d["kind"],
            period=d["period"].strip(),
            folder=web_reports.folder(request.user),
            formats=d["formats"],
            actor=actor(request),
            **options,
        )
    except RuleError as e:
        form.add_error(e.field if e.field in form.fields else None, e.message)
        raise FormRefused(form) from e
    return Status(202, _job_out(job))


@router.get("/reports/{job}", response={200: s.Job, **ERRORS}, summary="Tình trạng một báo cáo đang lập")
def report_status(request: HttpRequest, job: str) -> Any:
    found, _root = web_reports.own_job(request.user, job)  # the holder's own job, its unit in scope; else 404
    return _job_out(found)


@router.get(
    "/reports/{job}/files/{name}",
    response={200: bytes, **ERRORS},
    summary="Tải một tệp của báo cáo (ghi nhật ký)",
    openapi_extra={
        "responses": {
            200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
        }
    },
)
def report_file(request: HttpRequest, job: str, name: str) -> Any:
    found, _root = web_reports.own_job(request.user, job)
    for stored in found.result.get("files", []):
        if files.basename(stored) == name and files.storage().exists(stored):
            file_download(actor=actor(request), kind="jobs.job", object_id=found.pk.hex, name=name)
            return FileResponse(files.storage().open(stored, "rb"), as_attachment=True, filename=name)
    raise Http404
