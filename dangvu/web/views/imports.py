"""Import: upload → preview with every row's error (nothing written) → apply in the background with progress;
the empty template to download. The same parse → validate → apply as `dangvu import`."""

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
    path = _path(token)
    if _owner(token) != user.pk:
        raise Http404
    plan, report, problems = validate(path, actor=Actor.of(user))
    if plan is not None and not problems:
        problems = list(_scope_problems(user, plan))
    return plan, report, problems, path.name


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
        if f is None or suffix not in ALLOWED:
            error = "Chọn một tệp .xlsx (hoặc .csv)."
        else:
            token = uuid.uuid4().hex
            with (upload_dir() / f"{token}{suffix}").open("wb") as out:
                for chunk in f.chunks():
                    out.write(chunk)
            (upload_dir() / f"{token}.owner").write_text(str(request.user.pk))
            (upload_dir() / f"{token}.name").write_text(Path(f.name or "").name[:200])
            return redirect("import_preview", token)
    return render(request, "web/import_upload.html", {"error": error})


@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    require_office(request.user)
    plan, report, problems, name = _check(request.user, token)
    counts = None
    if plan is not None and not problems:
        counts = {
            "organizations": len(plan.orgs.codes),
            "members": len(plan.members.rows),
        }
    return render(
        request,
        "web/import_preview.html",
        {
            "token": token,
            "problems": problems[:500],
            "n_problems": len(problems),
            "report": report,
            "counts": counts,
            "name": name,
        },
    )


@require_POST
@login_required
def import_apply(request: HttpRequest, token: str) -> HttpResponse:
    require_office(request.user)
    plan, report, problems, _name = _check(request.user, token)
    if plan is None or problems:
        return redirect("import_preview", token)
    actor = Actor.of(request.user)

    def work(progress: Any) -> dict[str, Any]:
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
