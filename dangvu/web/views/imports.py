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
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangvu.accounts.scope import home_org, require_office, today
from dangvu.domain.vietnamese import fmt_date, parse_date
from dangvu.imports import jobs as list_jobs
from dangvu.imports import limits
from dangvu.imports.mapping import suggest, targets
from dangvu.imports.mapping_read import SheetMapping
from dangvu.imports.mapping_store import mapping_remember
from dangvu.imports.models import SourceMapping as SourceMapping_
from dangvu.imports.read import Problem
from dangvu.imports.xlsx import col_letter
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


def _upload(request: HttpRequest) -> tuple[str, str, str]:
    """(stored name, the person's file name, '') for an upload within bounds, else ('', '', the refusal)."""
    f = request.FILES.get("file")
    suffix = Path(f.name).suffix.lower() if f and f.name else ""
    name = Path(f.name or "").name[:200] if f else ""
    bounds = limits.Limits.from_settings()
    if f is None or suffix not in ALLOWED:
        return "", "", "Chọn một tệp .xlsx (hoặc .csv)."
    if f.size is not None and f.size > bounds.upload_bytes:
        message = f"dài hơn giới hạn {bounds.upload_bytes // limits.MB} MB của một tệp nhập; hãy chia tệp."
        return "", "", str(Problem("", None, "", message, name))
    stored, error = _store(f, suffix, name)
    return stored, name, error


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    error = ""
    if request.method == "POST":
        stored, name, error = _upload(request)
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


# ---------------------------------------------------------------- an office's own list (issue 15, item 2)
# upload → mapping (suggested from the headers, or the layout remembered) → the first rows as they will be read and
# the check → apply; each step a job of the queue (dangvu.imports.jobs), each page the owner's only.


def _require_lists(user: Any) -> None:
    if not list_jobs.may_import_lists(user):
        raise PermissionDenied("Chức năng dành cho cán bộ ban tổ chức và bí thư tổ chức cơ sở đảng.")


def _own(user: Any, token: str, handler: str) -> Job:
    job = job_for(user.pk, token, handler)
    if job is None:
        raise Http404
    return job


@login_required
def list_upload(request: HttpRequest) -> HttpResponse:
    _require_lists(request.user)
    error = ""
    if request.method == "POST":
        stored, name, error = _upload(request)
        if not error:
            job = list_jobs.start_read(request.user, stored=stored, name=name)
            return redirect("import_list_mapping", job.pk.hex)
    return render(request, "web/import_list_upload.html", {"error": error})


def _columns(sheet: dict[str, Any]) -> list[dict[str, Any]]:
    """Each column of the sheet as the page offers it: letter, header, a few values under it."""
    samples = sheet.get("samples", [])
    return [
        {
            "index": i,
            "label": f"Cột {col_letter(i)}: {h or '(không có tiêu đề)'}",
            "samples": ", ".join(v for v in (samples[i] if i < len(samples) else []) if v)[:120],
        }
        for i, h in enumerate(sheet.get("headers", []))
    ]


def _sheet_forms(sheets: list[dict[str, Any]], post: Any | None) -> list[dict[str, Any]]:
    """The mapping form of each sheet: the target (the one posted, else the one guessed), and each field's column
    (posted, else remembered or suggested), with the chosen column's values."""
    forms = []
    for n, s in enumerate(sheets):
        if not s.get("headers"):
            continue
        slug = (post.get(f"target-{n}") if post else None) or s["target"]
        if slug not in (*targets(), "skip"):
            slug = s["target"]
        target = targets()[slug if slug != "skip" else s["target"]]
        shown = post.get(f"shown-{n}") if post else None
        chosen: dict[str, int] = {}
        if post is not None and shown == slug:
            for f in target.fields:
                v = post.get(f"col-{n}-{f.key}", "")
                if v.isdigit() and int(v) < len(s["headers"]):
                    chosen[f.key] = int(v)
        elif slug == s["target"]:
            chosen = {k: int(v) for k, v in s["suggested"].items()}
        else:
            chosen = suggest(target, s["headers"])
        columns = _columns(s)
        fields = [
            {
                "key": f.key,
                "label": f.label,
                "required": f.required,
                "column": chosen.get(f.key),
                "samples": columns[chosen[f.key]]["samples"] if f.key in chosen else "",
            }
            for f in target.fields
        ]
        org = (post.get(f"org-{n}", "") if post else s.get("organization", "")).strip()[:30]
        forms.append(
            {
                "n": n,
                "sheet": s["sheet"],
                "target": slug,
                "targets": [(t.slug, t.label) for t in targets().values()],
                "header_row": s.get("header_row"),
                "remembered": s.get("remembered", False),
                "columns": columns,
                "fields": fields,
                "chosen": chosen,
                "organization": org,
                "changed": post is not None and shown != slug,
            }
        )
    return forms


@login_required
def list_mapping(request: HttpRequest, token: str) -> HttpResponse:
    """The suggestion, for the person to confirm or change; confirmed, it is remembered and the check starts."""
    _require_lists(request.user)
    job = _own(request.user, token, list_jobs.LIST_READ)
    result = job.result or {}
    sheets = result.get("sheets", [])
    post = request.POST if request.method == "POST" else None
    forms = _sheet_forms(sheets, post) if job.finished else []
    error = ""
    if post is not None and job.state == Job.State.DONE:
        used = [f for f in forms if f["target"] != "skip"]
        if not used:
            error = "Chọn ít nhất một sheet để nhập."
        elif not any(f["changed"] for f in forms):
            mappings = []
            for f in used:
                s = sheets[f["n"]]
                mappings.append(SheetMapping(f["sheet"], f["target"], f["chosen"], f["organization"]))
                mapping_remember(
                    user=request.user,
                    name=result.get("name", ""),
                    sheet=f["sheet"],
                    target=f["target"],
                    headers=s["headers"],
                    columns=f["chosen"],
                    default_organization=f["organization"],
                )
            check = list_jobs.start_check(request.user, job, mappings)
            return redirect("import_list_check", check.pk.hex)
    return render(
        request,
        "web/import_list_mapping.html",
        {
            "token": token,
            "s": status(job),
            "reading": not job.finished,
            "name": result.get("name") or job.params.get("name", ""),
            "forms": forms,
            "problems": [Problem(*p) for p in result.get("problems", [])],
            "no_header": job.state == Job.State.DONE and not forms and not result.get("problems"),
            "error": error,
        },
    )


@login_required
def list_check(request: HttpRequest, token: str) -> HttpResponse:
    """The first rows as they will be read, and every problem of the check (nothing written yet)."""
    _require_lists(request.user)
    job = _own(request.user, token, list_jobs.LIST_CHECK)
    result = job.result or {}
    return render(
        request,
        "web/import_list_check.html",
        {
            "token": token,
            "s": status(job),
            "checking": not job.finished,
            "name": job.params.get("name", ""),
            "preview": result.get("preview", []),
            "problems": [Problem(*p) for p in result.get("problems", [])],
            "n_problems": result.get("n_problems", 0),
            "counts": result.get("counts"),
        },
    )


@require_POST
@login_required
def list_apply(request: HttpRequest, token: str) -> HttpResponse:
    _require_lists(request.user)
    check = _own(request.user, token, list_jobs.LIST_CHECK)
    checked = check.result or {}
    if check.state != Job.State.DONE or checked.get("n_problems") or not checked.get("counts"):
        return redirect("import_list_check", token)
    job = list_jobs.start_apply(request.user, check)
    return redirect("import_list_job", job.pk.hex)


@login_required
def list_job(request: HttpRequest, job: str) -> HttpResponse:
    _require_lists(request.user)
    j = _own(request.user, job, list_jobs.LIST_APPLY)
    template = "web/_job.html" if is_htmx(request) else "web/import_job.html"
    return render(request, template, {"job": job, "s": status(j), "poll": "import_list_job"})


@login_required
def list_layouts(request: HttpRequest) -> HttpResponse:
    """The person's remembered layouts; each exports the members of a subtree on a date back in that layout."""
    _require_lists(request.user)
    kept = SourceMapping_.objects.filter(owner_id=request.user.pk, target=SourceMapping_.Target.MEMBERS).order_by(
        "-updated_at"
    )
    error = ""
    if request.method == "POST":
        chosen = kept.filter(pk=request.POST.get("mapping", "0") if request.POST.get("mapping", "").isdigit() else 0)
        root = request.POST.get("root", "").strip()[:30]
        try:
            on = parse_date(request.POST.get("on", ""))
        except ValueError as e:
            error = str(e)
        else:
            if not chosen.exists():
                error = "Chọn một mẫu danh sách."
            elif not root:
                error = "Ghi mã tổ chức cần xuất."
            else:
                job = list_jobs.start_export(request.user, chosen.get(), root=root, on=on)
                return redirect("import_list_export_job", job.pk.hex)
    home = home_org(request.user)
    return render(
        request,
        "web/import_list_layouts.html",
        {"kept": kept, "error": error, "root": home.code if home else "", "on": fmt_date(today())},
    )


@login_required
def list_export_job(request: HttpRequest, job: str) -> HttpResponse:
    _require_lists(request.user)
    j = _own(request.user, job, list_jobs.LIST_EXPORT)
    s = status(j)
    if j.state == Job.State.DONE:
        s["result"] = {"download": reverse("import_list_export_download", args=[j.pk.hex]), "rows": j.result["rows"]}
    template = "web/_job.html" if is_htmx(request) else "web/import_job.html"
    return render(request, template, {"job": job, "s": s, "poll": "import_list_export_job"})


@login_required
def list_export_download(request: HttpRequest, job: str) -> HttpResponseBase:
    _require_lists(request.user)
    j = _own(request.user, job, list_jobs.LIST_EXPORT)
    stored = j.result.get("file", "") if j.state == Job.State.DONE and j.result else ""
    if not stored or not files.storage().exists(stored):
        raise Http404
    return FileResponse(files.storage().open(stored, "rb"), as_attachment=True, filename=j.result["filename"])
