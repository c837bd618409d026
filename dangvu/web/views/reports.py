"""Reports: choose an organization in scope, a kind and a period; generate in the background (dangvu.reports.api)
with progress polled by htmx; download DOCX, XLSX, PDF. A job and its files belong to the person who started it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangvu.accounts.scope import (
    can_write,
    ever_visible_orgs,
    get_org_during,
    home_org,
    last_day,
    period_day,
    require_reader,
    today,
    visible_orgs,
)
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.domain.periods import OPEN_END
from dangvu.domain.reports.header import report_date_problem
from dangvu.domain.reports.periods import Period, parse_period
from dangvu.domain.vietnamese import fmt_date
from dangvu.jobs import files
from dangvu.jobs.models import Job
from dangvu.jobs.services import job_for, status
from dangvu.orgs.models import Organization, OrgVersion
from dangvu.orgs.queries import lineage_named
from dangvu.reports.jobs import HANDLER, ISSUE, start_issue
from dangvu.reports.models import ReportDocument
from dangvu.web import reads
from dangvu.web.expired import serve_or_expired
from dangvu.web.forms import date_field
from dangvu.web.htmx import is_htmx
from dangvu.web.pickers import OrgField, PickerForm

KINDS = [
    ("annual", "Báo cáo tổng kết công tác xây dựng Đảng năm"),
    ("review", "Báo cáo kết quả đánh giá, xếp loại"),
    ("interim", "Báo cáo sơ kết"),
    ("term", "Báo cáo tổng kết nhiệm kỳ"),
    ("thematic", "Báo cáo chuyên đề (sơ kết, tổng kết một văn bản)"),
    ("list", "Danh sách (HTXS nhiều năm liền, Huy hiệu Đảng …)"),
]
FORMATS = [("docx", "Word (DOCX)"), ("xlsx", "Excel (XLSX)"), ("pdf", "PDF")]


class ReportForm(PickerForm):
    """Built with on= (the period's last day, for the suggestions) and no user: get_org_during checks scope."""

    org = OrgField(label="Tổ chức")
    kind = djforms.ChoiceField(label="Loại báo cáo", choices=KINDS)
    period = djforms.CharField(label="Kỳ báo cáo (2024 · 2020-2025 · 1/1/2024..30/6/2024)", max_length=60)
    formats = djforms.MultipleChoiceField(
        label="Định dạng", choices=FORMATS, initial=["docx", "xlsx"], widget=djforms.CheckboxSelectMultiple
    )
    document = djforms.CharField(label="Văn bản (báo cáo chuyên đề, vd. 36-CTr/TU)", required=False, max_length=60)
    report_date = date_field("Ngày báo cáo (ngày ghi trên văn bản; để trống: hôm nay)", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") and data.get("kind"):
            try:
                data["span"] = parse_period(data["period"].strip(), kind=data["kind"], today=today())
            except RuleError as e:
                self.add_error("period", e.message)
        if data.get("span") and data.get("report_date"):
            problem = report_date_problem(data["report_date"], period_start=data["span"].start, today=today())
            if problem:
                self.add_error("report_date", problem)
        return data


def folder(user: Any) -> str:
    """The storage folder of a person's drafts."""
    return f"reports/u{user.pk}"


def _period(text: str, kind: str) -> Period | None:
    try:
        return parse_period(text, kind=kind, today=today())
    except RuleError:
        return None


def own_job(user: Any, job_id: str) -> tuple[Job, Organization]:
    """The person's own job on an organization in their scope on the day its period looks at (a district's 2024
    report stays theirs after the district ended); anything else does not exist for them."""
    job = job_for(user.pk, job_id, HANDLER) or job_for(user.pk, job_id, ISSUE)
    root = Organization.objects.filter(pk=job.params.get("root_id")).first() if job is not None else None
    period = _period(job.params["period"], job.params["kind"]) if job is not None and root is not None else None
    day = period_day(root.code, period.start, period.end) if root is not None and period is not None else None
    if job is None or root is None or day is None or not visible_orgs(user, day).filter(pk=root.pk).exists():
        raise Http404
    return job, root


def _defaults(user: Any, request: HttpRequest) -> dict[str, str]:
    """The form opens on the organization asked for, else the person's own; the period on the last full year the
    organization existed (2024 for a district that ended on 01/07/2025)."""
    year = today().year - 1
    org = home_org(user)
    last = last_day(org) if org is not None else None
    if last is not None:
        year = min(year, last.year if (last.month, last.day) == (12, 31) else last.year - 1)
    return {
        "org": request.GET.get("org") or (org.code if org else ""),
        "period": request.GET.get("period") or str(year),
        "report_date": fmt_date(today()),
    }


def _outside_life(user: Any, form: ReportForm) -> bool:
    """A unit the person reads, asked for a period it did not exist in (a commune established on 01/07/2025, asked
    for 2024): said on the period, with when it existed and the units it came from that the person reads — not the
    scope's 404. A unit the person never read stays the scope's 404 (get_org_during), which tells nothing."""
    d = form.cleaned_data
    code, span = d["org"], d["span"]
    if period_day(code, span.start, span.end) is not None:
        return False
    org = ever_visible_orgs(user).filter(code=code).first()
    if org is None:
        return False
    versions = list(org.versions.order_by("valid_from"))
    if not versions:
        return False
    first, last = versions[0], versions[-1]
    name = f"{last.name} ({org.code})"
    life = f"được thành lập ngày {fmt_date(first.valid_from)}"
    if last.valid_to != OPEN_END:
        life += f", hoạt động đến ngày {fmt_date(last.valid_to - dt.timedelta(days=1))}"
    steps = [(o, s.day) for s in lineage_named(org)["came_from"] for o in s.others]
    ok = reads.readable(user, [(o.code, day) for o, day in steps])
    before = sorted({f"{o.name} ({o.code})" for o, day in steps if (o.code, day) in ok})
    message = f"{name} {life}: kỳ báo cáo này không có tổ chức ấy."
    if before:
        message += " Báo cáo của kỳ này lập cho tổ chức tiền thân: " + ", ".join(before) + "."
    form.add_error("period", message)
    return True


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """The report form: the organization is looked up on the last day of the period it existed (so the staff of a
    district that ended read its past), through the person's scope like every page."""
    require_reader(request.user)
    from dangvu.reports.api import start_job

    initial = _defaults(request.user, request)
    period = _period(request.POST.get("period", "") if request.method == "POST" else initial["period"], "annual")
    day = period.end if period is not None else None
    # The picker suggests the organizations of the period's last day; the scope check is get_org_during's (an
    # organization that ended inside the period is looked up on its own last day).
    form = ReportForm(request.POST or None, initial=initial, on=day)
    if request.method == "POST" and form.is_valid() and not _outside_life(request.user, form):
        d = form.cleaned_data
        org = get_org_during(request.user, d["org"], d["span"].start, d["span"].end)  # out of scope: 404
        options: dict[str, Any] = {"issued_on": d["report_date"]} if d["report_date"] else {}  # else today
        if d["document"]:
            options["document"] = d["document"]
        try:
            job = start_job(
                root=org,
                kind=d["kind"],
                period=d["period"].strip(),
                folder=folder(request.user),
                formats=d["formats"],
                actor=Actor.of(request.user),
                **options,
            )
        except RuleError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            return redirect("report_job", job.pk.hex)
    recent = list(Job.objects.filter(owner_id=request.user.pk, handler=HANDLER)[:10])
    docs = list(
        ReportDocument.objects.filter(root__in=ever_visible_orgs(request.user))
        .select_related("root")
        .defer("content")[:DOCUMENTS_LISTED]
    )
    names = _names([j.params["root_id"] for j in recent] + [d.root_id for d in docs])
    rows = [
        (j, names.get(j.params["root_id"], j.params["root"]), dict(KINDS).get(j.params["kind"], j.params["kind"]))
        for j in recent
    ]
    documents = [(d, names.get(d.root_id, d.root.code), dict(KINDS).get(d.kind, d.kind)) for d in docs]
    return render(request, "web/reports.html", {"form": form, "recent": rows, "documents": documents})


def _names(org_ids: list[int]) -> dict[int, str]:
    """Each organization's latest name (a job's unit may have ended since)."""
    rows = OrgVersion.objects.filter(organization_id__in=org_ids).order_by("valid_from")
    return dict(rows.values_list("organization_id", "name"))


def _status(job: Job) -> dict[str, Any]:
    s = status(job)
    s["result"] = {"files": [{"name": files.basename(n), "label": _file_label(n)} for n in job.result.get("files", [])]}
    return s


@login_required
def report_job(request: HttpRequest, job: str) -> HttpResponse:
    j, root = own_job(request.user, job)
    document = j.result.get("document") if j.state == Job.State.DONE else None
    if document and not is_htmx(request):
        return redirect("report_document", document)  # a finished job's page is its document's
    template = "web/_job.html" if is_htmx(request) else "web/report_job.html"
    version = root.versions.order_by("-valid_from").first()
    response = render(
        request,
        template,
        {
            "job": j.pk.hex,
            "s": _status(j),
            "poll": "report_job",
            "j": j,
            "period": j.params["period"],
            "root": root,
            "document": document,
            "kind": dict(KINDS).get(j.params["kind"], j.params["kind"]),
            "root_name": version.name if version else root.code,
        },
    )
    if document and is_htmx(request):
        response["HX-Redirect"] = reverse("report_document", args=[document])  # the poll ends on the draft
    return response


def _serve(request: HttpRequest, names: list[str], name: str, *, draft: bool = True) -> HttpResponseBase:
    """One of the listed stored files, by its base name; any other name is 404. A listed file that is gone (a draft's
    files removed by `dangvu prune`) is the expired page: the draft itself stays and can be generated or issued."""
    for stored in names:
        if files.basename(stored) == name:
            return serve_or_expired(
                request,
                stored,
                name,
                what=f"Tệp dự thảo “{name}”" if draft else f"Tệp “{name}”",
                again="Bản dự thảo vẫn được lưu: tạo lại báo cáo để có tệp mới, hoặc ban hành (tệp được lập lại)."
                if draft
                else "",
            )
    raise Http404


@login_required
def report_download(request: HttpRequest, job: str, name: str) -> HttpResponseBase:
    j, _root = own_job(request.user, job)
    return _serve(request, list(j.result.get("files", [])), name)


DOCUMENTS_LISTED = 30  # the latest drafts and issued reports on the reports page


def _document(user: Any, pk: int) -> tuple[ReportDocument, dt.date]:
    """A draft or issued report of an organization in the person's scope on the day its period looks at (anyone
    of the committee's office sees its drafts, not only who made them); anything else does not exist for them."""
    doc = ReportDocument.objects.select_related("root", "number").filter(pk=pk).first()
    period = _period(doc.period, doc.kind) if doc is not None else None
    day = period_day(doc.root.code, period.start, period.end) if doc is not None and period is not None else None
    if doc is None or day is None or not visible_orgs(user, day).filter(pk=doc.root_id).exists():
        raise Http404
    return doc, day


def _may_issue(user: Any, doc: ReportDocument, day: dt.date) -> bool:
    """Issuing is a change made for the committee: who may write in its scope (its office staff, the secretary of
    a grassroots committee for its own reports) may issue."""
    return can_write(user, doc.root, on=day)


@login_required
def report_document(request: HttpRequest, pk: int) -> HttpResponse:
    doc, day = _document(request.user, pk)
    names = _names([doc.root_id])
    present = [n for n in doc.files if files.storage().exists(n)]  # a draft's files go after some days (prune)
    listed = [{"name": files.basename(n), "label": _file_label(n)} for n in present]
    return render(
        request,
        "web/report_document.html",
        {
            "doc": doc,
            "kind": dict(KINDS).get(doc.kind, doc.kind),
            "root_name": names.get(doc.root_id, doc.root.code),
            "files": listed,
            "files_expired": len(present) < len(doc.files),
            "may_issue": not doc.is_issued and _may_issue(request.user, doc, day),
        },
    )


def _file_label(name: str) -> str:
    labels = {"docx": "Tải DOCX", "xlsx": "Tải XLSX", "pdf": "Tải PDF", "json": "Tải JSON"}
    base = files.basename(name)
    return f"{labels.get(Path(base).suffix[1:], 'Tải')} — {base}"


@login_required
@require_POST
def report_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    doc, day = _document(request.user, pk)
    if not _may_issue(request.user, doc, day):
        raise PermissionDenied
    # Issuing renders the files again (LibreOffice for the PDF): a job of the queue; its page polls it and ends on
    # the document. Run inline (DANGVU_JOBS_INLINE, the tests) it has ended when it returns.
    job = start_issue(document=doc, actor=Actor.of(request.user))
    if job.state == job.State.FAILED:
        messages.error(request, job.error)
    elif job.state == job.State.DONE:
        messages.success(request, "Đã ban hành báo cáo; số văn bản đã được cấp.")
    else:
        return redirect("report_job", job.pk.hex)
    return redirect("report_document", doc.pk)


@login_required
def report_document_download(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    doc, _day = _document(request.user, pk)
    return _serve(request, list(doc.files), name, draft=not doc.is_issued)
