"""Import: upload → preview with every row's error (nothing written) → apply in the background with progress;
the empty template to download. The same parse → validate → apply as `dangvu import`.

The request only stores the file and checks its bounds (dangvu.imports.limits: size, inflated size, ratio, rows,
columns, cell length, encoding) without parsing it; reading and validating a file of any size is a background
job (dangvu.web.jobs) whose result the preview page polls, and applying validates again inside its own job."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.accounts.scope import access, outside_office, require_office
from dangvu.audit.services import Actor
from dangvu.imports import limits
from dangvu.imports.load import apply, validate
from dangvu.imports.read import Problem, Refused
from dangvu.web import jobs
from dangvu.web.htmx import is_htmx

ALLOWED = (".xlsx", ".csv")


def upload_dir() -> Path:
    d = Path(settings.VAR_DIR) / "uploads"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _path(token: str) -> Path:
    if not token.replace("-", "").isalnum():
        raise Http404
    matches = [m for m in upload_dir().glob(f"{token}.*") if m.suffix in ALLOWED]
    if not matches:
        raise Http404
    return matches[0]


def _owner(token: str) -> int | None:
    meta = upload_dir() / f"{token}.owner"
    return int(meta.read_text()) if meta.exists() else None


def _original_name(token: str) -> str:
    meta = upload_dir() / f"{token}.name"
    return meta.read_text() if meta.exists() else ""


def _check(user: Any, token: str) -> tuple[Any, Any, list[Problem], str]:
    """Read and validate the upload (in a job: never inside a request), then the scope's own checks."""
    path = _path(token)
    if _owner(token) != user.pk:
        raise Http404
    name = _original_name(token) or path.name
    plan, report, problems = validate(path, name=name, actor=Actor.of(user))
    if plan is not None and not problems:
        problems = list(_scope_problems(user, plan))
    return plan, report, problems, name


def _bounds(path: Path, name: str) -> str:
    """'' when the stored upload is within every limit, else the Vietnamese refusal (the file is then deleted)."""
    try:
        if path.suffix == ".xlsx":
            limits.check_xlsx(path, name)
        else:
            limits.check_csv(path, name)
    except limits.TooLarge as e:
        path.unlink(missing_ok=True)
        return str(e.problem)
    return ""


def _start_check(user: Any, token: str) -> str:
    """The validation job of an upload; its id is kept beside the file for the preview page."""
    owner = user.pk

    def work(progress: Any) -> dict[str, Any]:
        progress(10, "Đang đọc và kiểm tra tệp…")
        plan, report, problems, name = _check(user, token)
        counts = None
        if plan is not None and not problems:
            counts = {"organizations": len(plan.orgs.codes), "members": len(plan.members.rows)}
        return {
            "name": name,
            "notes": report.notes,
            "problems": [[p.sheet, p.row, p.column, p.message] for p in problems[:500]],
            "n_problems": len(problems),
            "counts": counts,
        }

    job = jobs.start(int(owner or 0), work)
    (upload_dir() / f"{token}.check").write_text(job)
    return job


def _scope_problems(user: Any, plan: Any) -> list[Problem]:
    """The file may only attach to organizations the person manages; new top-level units are the administrator's.
    Organizations are named by their latest name, the code beside it."""
    out = []
    d = plan.directory

    def named(code: str) -> str:
        versions = d.versions(code)
        return f"'{versions[-1].name}' ({code})" if versions else f"'{code}'"

    outside = outside_office(user, set(d.db_ids.values()))
    for code in sorted(c for c, i in d.db_ids.items() if i in outside):
        out.append(Problem("", None, "", f"Tổ chức {named(code)} nằm ngoài phạm vi quản lý của bạn."))
    if not access(user).admin:
        for code, versions in d.file.items():
            if any(not v.parent for v in versions):
                message = f"{named(code)}: chỉ quản trị hệ thống được tạo tổ chức cấp cao nhất."
                out.append(Problem("", None, "", message))
    return out


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
            token = uuid.uuid4().hex
            stored = upload_dir() / f"{token}{suffix}"
            with stored.open("wb") as out:
                for chunk in f.chunks():
                    out.write(chunk)
            error = _bounds(stored, name)
            if not error:
                (upload_dir() / f"{token}.owner").write_text(str(request.user.pk))
                (upload_dir() / f"{token}.name").write_text(name)
                _start_check(request.user, token)
                return redirect("import_preview", token)
    return render(request, "web/import_upload.html", {"error": error})


@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The validation job's result; while it runs, its progress (the page polls itself through htmx)."""
    require_office(request.user)
    _path(token)
    if _owner(token) != request.user.pk:
        raise Http404
    marker = upload_dir() / f"{token}.check"
    status = jobs.read_status(marker.read_text()) if marker.exists() else None
    if status is None:
        _start_check(request.user, token)
        status = jobs.read_status(marker.read_text())
    result = (status or {}).get("result") or {}
    problems = [Problem(*p) for p in result.get("problems", [])]
    return render(
        request,
        "web/import_preview.html",
        {
            "token": token,
            "s": status,
            "checking": (status or {}).get("state") in ("queued", "running"),
            "problems": problems,
            "n_problems": result.get("n_problems", 0),
            "notes": result.get("notes", []),
            "counts": result.get("counts"),
            "name": _original_name(token),
        },
    )


@require_POST
@login_required
def import_apply(request: HttpRequest, token: str) -> HttpResponse:
    require_office(request.user)
    _path(token)
    if _owner(token) != request.user.pk:
        raise Http404
    marker = upload_dir() / f"{token}.check"
    status = jobs.read_status(marker.read_text()) if marker.exists() else None
    checked = (status or {}).get("result") or {}
    if (status or {}).get("state") != "done" or checked.get("n_problems") or not checked.get("counts"):
        return redirect("import_preview", token)
    actor = Actor.of(request.user)
    user = request.user

    def work(progress: Any) -> dict[str, Any]:
        # The file is validated again here (the database may have changed since the preview), in the job.
        progress(10, "Đang kiểm tra lại tệp…")
        plan, report, problems, _name = _check(user, token)
        if plan is None or problems:
            raise RuntimeError("; ".join(str(p) for p in problems[:5]))
        progress(30, "Đã kiểm tra tệp; đang ghi tổ chức và đảng viên…")
        try:
            done = apply(plan, report, actor=actor)
        except Refused as e:
            raise RuntimeError("; ".join(str(p) for p in e.problems[:5])) from None
        return {"counts": done.counts()}

    job = jobs.start(int(request.user.pk or 0), work)
    return redirect("import_job", job)


@login_required
def import_job(request: HttpRequest, job: str) -> HttpResponse:
    require_office(request.user)
    status = jobs.read_status(job)
    if status is None or status.get("owner") != request.user.pk:
        raise Http404
    template = "web/_job.html" if is_htmx(request) else "web/import_job.html"
    return render(request, template, {"job": job, "s": status, "poll": "import_job"})


@login_required
def import_template(request: HttpRequest) -> HttpResponseBase:
    from dangvu.imports.template import write_template

    require_office(request.user)
    path = upload_dir() / "mau-nhap-du-lieu.xlsx"
    write_template(path)
    return FileResponse(path.open("rb"), as_attachment=True, filename="mau-nhap-du-lieu-dang-vu.xlsx")
