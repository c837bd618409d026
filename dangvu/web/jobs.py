"""Imports as jobs of the one queue (dangvu.jobs): reading and checking an uploaded file (import_check) and writing it
(import_apply), in a worker, never inside a request. The uploaded file is a name in the storage (settings.STORAGES);
each job reads a temporary local copy of it.

Both are retried (attempts=3) when a worker dies holding them: the check writes nothing, and the apply writes the
file's rows, its audit entry and the job's result in one transaction — a second run after a crash before the commit
applies the file once; a crash after it finds the job done.

The list exports (the member list, a work list; issue 14, item 3) build their XLSX here, never inside a request: the
handler re-runs the list's own search AS ITS OWNER (scope and identifier masking evaluated for them, never wider),
stores the file through the storage API and commits the export's audit entry with the job's result. Retried like
the others (attempts=3): an export changes nothing but its audit entry, which commits with the result, so a second
run after a crash audits and delivers one file; a file stored by a killed run is never offered (only the committed
result names a file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from dangvu.accounts.scope import access, outside_office
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.imports.load import apply, validate
from dangvu.imports.read import Problem, Refused
from dangvu.jobs import files
from dangvu.jobs.models import Job
from dangvu.jobs.services import Run, handler, job_start

CHECK, APPLY = "import_check", "import_apply"
MEMBER_EXPORT, WORK_EXPORT = "member_export", "work_export"
EXPORTING = "Đang xuất danh sách…"
# The owner's scope or role changed between the click and the run: the list is not built wider or narrower in silence.
EXPORT_REFUSED = "Danh sách không còn trong phạm vi của bạn (quyền hoặc đơn vị đã thay đổi); không xuất được."
PROBLEMS_KEPT = 500  # the preview lists this many of a file's problems


def start_check(user: Any, *, stored: str, name: str) -> Job:
    return job_start(
        handler=CHECK, owner_id=user.pk, actor_label=Actor.of(user).label, params={"file": stored, "name": name}
    )


def start_apply(user: Any, check: Job) -> Job:
    return job_start(
        handler=APPLY,
        owner_id=user.pk,
        actor_label=Actor.of(user).label,
        params={**check.params, "check": str(check.pk)},
    )


def _owner(run: Run) -> Any:
    return get_user_model().objects.get(pk=run.job.owner_id or 0)


def _check(user: Any, stored: str, name: str) -> tuple[Any, Any, list[Problem]]:
    """Read and validate the upload, then the scope's own checks."""
    with files.local_copy(stored) as path:
        plan, report, problems = validate(path, name=name, actor=Actor.of(user))
    if plan is not None and not problems:
        problems = scope_problems(user, plan)
    return plan, report, problems


def scope_problems(user: Any, plan: Any) -> list[Problem]:
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


@handler(CHECK, attempts=3)
def check(run: Run) -> dict[str, Any]:
    run.progress(10, "Đang đọc và kiểm tra tệp…")
    plan, report, problems = _check(_owner(run), run.params["file"], run.params["name"])
    counts = None
    if plan is not None and not problems:
        counts = {"organizations": len(plan.orgs.codes), "members": len(plan.members.rows)}
    return {
        "name": run.params["name"],
        "notes": report.notes,
        "problems": [[p.sheet, p.row, p.column, p.message] for p in problems[:PROBLEMS_KEPT]],
        "n_problems": len(problems),
        "counts": counts,
    }


@handler(APPLY, attempts=3)
def write(run: Run) -> None:
    # The file is validated again here (the database may have changed since the preview).
    run.progress(10, "Đang kiểm tra lại tệp…")
    user = _owner(run)
    plan, report, problems = _check(user, run.params["file"], run.params["name"])
    if plan is None or problems:
        raise RuleError("; ".join(str(p) for p in problems[:5]))
    run.progress(30, "Đã kiểm tra tệp; đang ghi tổ chức và đảng viên…")
    try:
        with transaction.atomic():
            done = apply(plan, report, actor=Actor.of(user))
            run.done({"counts": done.counts()})
    except Refused as e:
        raise RuleError("; ".join(str(p) for p in e.problems[:5])) from None


def start_member_export(user: Any, *, query: str, on: dt.date) -> Job:
    return job_start(
        handler=MEMBER_EXPORT,
        owner_id=user.pk,
        actor_label=Actor.of(user).label,
        params={"query": query, "on": on.isoformat(), "at": timezone.now().isoformat()},
    )


def start_work_export(user: Any, *, slug: str, query: str) -> Job:
    return job_start(
        handler=WORK_EXPORT,
        owner_id=user.pk,
        actor_label=Actor.of(user).label,
        params={"slug": slug, "query": query, "at": timezone.now().isoformat()},
    )


def export_folder(owner_id: Any) -> str:
    """The storage folder of a person's exports."""
    return f"exports/u{owner_id}"


def _export(run: Run, build: Callable[[Any], tuple[bytes, str, int]]) -> None:
    """Build the workbook as the owner, store it, and record the result in the transaction of the export's audit
    entry (the services audit in the caller's transaction)."""
    run.progress(10, EXPORTING)
    user = _owner(run)
    try:
        with transaction.atomic():
            data, filename, rows = build(user)
            stored = files.storage().save(f"{export_folder(user.pk)}/{filename}", ContentFile(data, name=filename))
            run.done({"file": stored, "filename": filename, "rows": rows})
    except (Http404, PermissionDenied):
        raise RuleError(EXPORT_REFUSED) from None


@handler(MEMBER_EXPORT, attempts=3, keep="exports")
def member_export(run: Run) -> None:
    from dangvu.web.views.members import export_members  # the list's own search (the views start these jobs)

    p = run.params
    on, at = dt.date.fromisoformat(p["on"]), dt.datetime.fromisoformat(p["at"])
    _export(run, lambda user: export_members(user, p["query"], on, at))


@handler(WORK_EXPORT, attempts=3, keep="exports")
def work_export(run: Run) -> None:
    from dangvu.web.views.work import export_records  # the list's own filters (the views start these jobs)

    p = run.params
    _export(run, lambda user: export_records(user, p["slug"], p["query"], dt.datetime.fromisoformat(p["at"])))
