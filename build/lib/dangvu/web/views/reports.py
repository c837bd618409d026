"""Reports: choose an organization in scope, a kind and a period; generate in the background (dangvu.reports.api)
with progress polled by htmx; download DOCX, XLSX, PDF. A job and its files belong to the person who started it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms as djforms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from dangvu.accounts.scope import get_org, home_orgs, require_reader, today, visible_orgs
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.web.htmx import is_htmx

KINDS = [
    ("annual", "Báo cáo tổng kết công tác xây dựng Đảng năm"),
    ("review", "Báo cáo kết quả đánh giá, xếp loại"),
    ("interim", "Báo cáo sơ kết"),
    ("term", "Báo cáo tổng kết nhiệm kỳ"),
    ("thematic", "Báo cáo chuyên đề (sơ kết, tổng kết một văn bản)"),
    ("list", "Danh sách (HTXS nhiều năm liền, Huy hiệu Đảng …)"),
]
FORMATS = [("docx", "Word (DOCX)"), ("xlsx", "Excel (XLSX)"), ("pdf", "PDF")]


class ReportForm(djforms.Form):
    org = djforms.CharField(label="Mã tổ chức", max_length=32)
    kind = djforms.ChoiceField(label="Loại báo cáo", choices=KINDS)
    period = djforms.CharField(label="Kỳ báo cáo (2024 · 2020-2025 · 1/1/2024..30/6/2024)", max_length=60)
    formats = djforms.MultipleChoiceField(
        label="Định dạng", choices=FORMATS, initial=["docx", "xlsx"], widget=djforms.CheckboxSelectMultiple
    )
    document = djforms.CharField(label="Văn bản (báo cáo chuyên đề, vd. 36-CTr/TU)", required=False, max_length=60)


def out_dir(user: Any) -> Path:
    d = Path(settings.VAR_DIR) / "reports" / f"u{user.pk}"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _retry_locked(read: Any) -> Any:
    """SQLite may answer 'table is locked' while the report thread writes its progress (the tests' shared-cache
    database; a WAL file database does not): read again shortly. Other databases never take this path."""
    import time

    from django.db import OperationalError

    for attempt in range(50):
        try:
            return read()
        except OperationalError as e:
            if "locked" not in str(e) or attempt == 49:
                raise
            time.sleep(0.1)


def _job(user: Any, job_id: int) -> Any:
    """The person's own job on an organization still in their scope; anything else does not exist for them."""
    from dangvu.reports.models import ReportJob

    job = _retry_locked(
        lambda: (
            ReportJob.objects.select_related("root")
            .filter(pk=job_id, actor_id=user.pk, root_id__in=visible_orgs(user).values("pk"))
            .first()
        )
    )
    if job is None:
        raise Http404
    return job


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    from dangvu.reports.api import start_job
    from dangvu.reports.models import ReportJob

    first = home_orgs(request.user).first()
    form = ReportForm(
        request.POST or None,
        initial={"org": request.GET.get("org") or (first.code if first else ""), "period": str(today().year - 1)},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = get_org(request.user, d["org"].strip())
        options = {"document": d["document"]} if d["document"] else {}
        try:
            job = start_job(
                root=org,
                kind=d["kind"],
                period=d["period"].strip(),
                out_dir=out_dir(request.user),
                formats=d["formats"],
                actor=Actor.of(request.user),
                **options,
            )
        except RuleError as e:
            form.add_error(None, e.message)
        else:
            return redirect("report_job", job.pk)
    recent = ReportJob.objects.filter(actor_id=request.user.pk).select_related("root")[:10]
    return render(request, "web/reports.html", {"form": form, "recent": recent, "kinds": dict(KINDS)})


def _status(job: Any) -> dict[str, Any]:
    from dangvu.reports.api import job_status

    s = _retry_locked(lambda: job_status(job.pk))
    labels = {"docx": "Tải DOCX", "xlsx": "Tải XLSX", "pdf": "Tải PDF", "json": "Tải JSON"}
    files = [
        {"name": Path(p).name, "label": f"{labels.get(Path(p).suffix[1:], 'Tải')} — {Path(p).name}"} for p in s["paths"]
    ]
    state = {"queued": "queued", "running": "running", "done": "done", "failed": "failed"}[s["status"]]
    return {
        "state": state,
        "percent": s["progress"],
        "message": s["error"] or s["message"] or "Đang chờ…",
        "result": {"files": files},
    }


@login_required
def report_job(request: HttpRequest, job: int) -> HttpResponse:
    j = _job(request.user, job)
    template = "web/_job.html" if is_htmx(request) else "web/report_job.html"
    version = j.root.versions.order_by("-valid_from").first()
    return render(
        request,
        template,
        {
            "job": j.pk,
            "s": _status(j),
            "poll": "report_job",
            "j": j,
            "kind": dict(KINDS).get(j.kind, j.kind),
            "root_name": version.name if version else j.root.code,
        },
    )


@login_required
def report_download(request: HttpRequest, job: str, name: str) -> HttpResponseBase:
    if not job.isdigit():
        raise Http404
    j = _job(request.user, int(job))
    for p in j.result:
        path = Path(p)
        if path.name == name and path.exists():
            return FileResponse(path.open("rb"), as_attachment=True, filename=name)
    raise Http404
