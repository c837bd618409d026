"""Imports as jobs of the one queue (dangvu.jobs): reading and checking an uploaded file (import_check) and writing it
(import_apply), in a worker, never inside a request. The uploaded file is a name in the storage (settings.STORAGES);
each job reads a temporary local copy of it.

Both are retried (attempts=3) when a worker dies holding them: the check writes nothing, and the apply writes the
file's rows, its audit entry and the job's result in one transaction — a second run after a crash before the commit
applies the file once; a crash after it finds the job done."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from dangvu.accounts.scope import access, outside_office
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.imports.load import apply, validate
from dangvu.imports.read import Problem, Refused
from dangvu.jobs import files
from dangvu.jobs.models import Job
from dangvu.jobs.services import Run, handler, job_start

CHECK, APPLY = "import_check", "import_apply"
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
