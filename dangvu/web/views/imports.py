"""Import: upload → preview with every row's error (nothing written) → apply in the background with progress;
the empty template to download. The same parse → validate → apply as `dangvu import`.

The request only checks the file's bounds (dangvu.imports.limits: size, inflated size, ratio, rows, columns, cell
length, encoding) without parsing it and stores it (the storage API, settings.STORAGES); reading and validating a
file of any size is a job of the queue (dangvu.web.jobs) whose result the preview page polls, and applying validates
again inside its own job. A check and its file belong to the person who uploaded it: anyone else gets 404."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.accounts.scope import require_office
from dangvu.imports import limits
from dangvu.imports.read import Problem
from dangvu.jobs import files
from dangvu.jobs.models import Job
from dangvu.jobs.services import job_for, status
from dangvu.web import jobs
from dangvu.web.htmx import is_htmx

ALLOWED = (".xlsx", ".csv")


def _bounds(path: Path, name: str) -> str:
    """'' when the upload is within every limit, else the Vietnamese refusal."""
    try:
        if path.suffix == ".xlsx":
            limits.check_xlsx(path, name)
        else:
            limits.check_csv(path, name)
    except limits.TooLarge as e:
        return str(e.problem)
    return ""


def _store(f: UploadedFile, suffix: str, name: str) -> tuple[str, str]:
    """(stored name, '') for an upload within bounds — checked on a local copy before it reaches the storage — else
    ('', the refusal)."""
    with tempfile.TemporaryDirectory(prefix="dangvu-upload-") as tmp:
        local = Path(tmp) / f"upload{suffix}"
        with local.open("wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        error = _bounds(local, name)
        if error:
            return "", error
        return files.save(f"uploads/{uuid.uuid4().hex}{suffix}", local), ""


def _check_job(user: Any, token: str) -> Job:
    job = job_for(user.pk, token, jobs.CHECK)
    if job is None:
        raise Http404
    return job


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    error = ""
    if request.method == "POST":
        f = request.FILES.get("file")
        suffix = Path(f.name).suffix.lower() if f and f.name else ""
        name = Path(f.name or "").name[:200] if f else ""
        bounds = limits.Limits.from_settings()
        if f is None or suffix not in ALLOWED:
            error = "Chọn một tệp .xlsx (hoặc .csv)."
        elif f.size is not None and f.size > bounds.upload_bytes:
            error = str(
                Problem(
                    "",
                    None,
                    "",
                    f"dài hơn giới hạn {bounds.upload_bytes // limits.MB} MB của một tệp nhập; hãy chia tệp.",
                    name,
                )
            )
        else:
            stored, error = _store(f, suffix, name)
            if not error:
                job = jobs.start_check(request.user, stored=stored, name=name)
                return redirect("import_preview", job.pk.hex)
    return render(request, "web/import_upload.html", {"error": error})


@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The validation job's result; while it runs, its progress (the page polls itself through htmx)."""
    require_office(request.user)
    job = _check_job(request.user, token)
    result = job.result or {}
    return render(
        request,
        "web/import_preview.html",
        {
            "token": token,
            "s": status(job),
            "checking": not job.finished,
            "problems": [Problem(*p) for p in result.get("problems", [])],
            "n_problems": result.get("n_problems", 0),
            "notes": result.get("notes", []),
            "counts": result.get("counts"),
            "name": job.params.get("name", ""),
        },
    )


@require_POST
@login_required
def import_apply(request: HttpRequest, token: str) -> HttpResponse:
    require_office(request.user)
    check = _check_job(request.user, token)
    checked = check.result or {}
    if check.state != Job.State.DONE or checked.get("n_problems") or not checked.get("counts"):
        return redirect("import_preview", token)
    job = jobs.start_apply(request.user, check)
    return redirect("import_job", job.pk.hex)


@login_required
def import_job(request: HttpRequest, job: str) -> HttpResponse:
    require_office(request.user)
    j = job_for(request.user.pk, job, jobs.APPLY)
    if j is None:
        raise Http404
    template = "web/_job.html" if is_htmx(request) else "web/import_job.html"
    return render(request, template, {"job": job, "s": status(j), "poll": "import_job"})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    from dangvu.imports.template import write_template

    require_office(request.user)
    with tempfile.TemporaryDirectory(prefix="dangvu-template-") as tmp:
        path = Path(tmp) / "mau-nhap-du-lieu.xlsx"
        write_template(path)
        body = path.read_bytes()
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-du-lieu-dang-vu.xlsx"'
    return response
