"""An office's own list as jobs of the one queue (dangvu.jobs), like the exchange format's import (web/jobs.py):
reading its header and suggesting the mapping (LIST_READ), checking it through the mapping with the first rows as
they will be read (LIST_CHECK), and writing it (LIST_APPLY: checked again, then load.apply in one transaction with
the job's result). Each job reads a temporary local copy of the stored upload.

Who may: the department's staff (their office subtree) and a grassroots secretary (the subtree they write in): every
organization the list attaches members to must be inside it (`outside`)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404

from dangvu.accounts.models import Role
from dangvu.accounts.scope import access, get_org
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.jobs import files
from dangvu.jobs.models import Job
from dangvu.jobs.services import Run, handler, job_start
from dangvu.orgs.models import OrgAncestry

from .load import Plan, apply
from .mapping import mapping_from_headers, targets
from .mapping_export import export_office
from .mapping_read import SheetMapping, describe, open_office, preview, validate_office
from .mapping_store import mapping_recall
from .models import SourceMapping as SourceMappingModel
from .problems import Problem, Refused

LIST_READ, LIST_CHECK, LIST_APPLY = "import_list_read", "import_list_check", "import_list_apply"
LIST_EXPORT = "import_list_export"
PROBLEMS_KEPT = 500


def may_import_lists(user: Any) -> bool:
    """The department's staff, a grassroots secretary (issue 15, item 2); and the administrator."""
    acc = access(user)
    return acc.admin or bool(acc.office) or (Role.GRASSROOTS_SECRETARY in acc.roles and bool(acc.write))


def outside(user: Any, org_ids: set[int]) -> set[int]:
    """Of these organizations, those never under the person's office or, for a secretary, the subtree they write
    in."""
    acc = access(user)
    if acc.admin or not org_ids:
        return set()
    roots = acc.office | acc.write
    inside = set(
        OrgAncestry.objects.filter(ancestor_id__in=roots, organization_id__in=org_ids).values_list(
            "organization_id", flat=True
        )
    )
    return org_ids - inside


def _owner(run: Run) -> Any:
    return get_user_model().objects.get(pk=run.job.owner_id or 0)


def _start(user: Any, name: str, params: dict[str, Any]) -> Job:
    return job_start(handler=name, owner_id=user.pk, actor_label=Actor.of(user).label, params=params)


def start_read(user: Any, *, stored: str, name: str) -> Job:
    return _start(user, LIST_READ, {"file": stored, "name": name})


def start_check(user: Any, read: Job, mappings: list[SheetMapping]) -> Job:
    return _start(
        user,
        LIST_CHECK,
        {"file": read.params["file"], "name": read.params["name"], "mappings": [m.as_json() for m in mappings]},
    )


def start_apply(user: Any, check: Job) -> Job:
    return _start(user, LIST_APPLY, {**check.params, "check": str(check.pk)})


@handler(LIST_READ, attempts=3)
def read(run: Run) -> dict[str, Any]:
    run.progress(10, "Đang đọc tiêu đề các cột…")
    user = _owner(run)
    with files.local_copy(run.params["file"]) as path:
        office, problems = open_office(path, name=run.params["name"])
        sheets = describe(office) if not problems else []
    for s in sheets:
        kept = mapping_recall(user=user, headers=s["headers"], target=s["target"]) if s["headers"] else None
        s["remembered"] = kept is not None
        if kept is not None:
            s["suggested"] = mapping_from_headers(targets()[s["target"]], s["headers"], kept.columns)
            s["organization"] = kept.default_organization
    return {
        "name": run.params["name"],
        "sheets": sheets,
        "problems": [[p.sheet, p.row, p.column, p.message] for p in problems[:PROBLEMS_KEPT]],
    }


def _check(user: Any, stored: str, name: str, mappings: list[SheetMapping]) -> tuple[Plan | None, Any, list[Problem]]:
    with files.local_copy(stored) as path:
        plan, report, problems = validate_office(path, name=name, mappings=mappings, actor=Actor.of(user))
    if plan is not None and not problems:
        far = outside(user, set(plan.directory.db_ids.values()))
        names = {i: code for code, i in plan.directory.db_ids.items()}
        for i in sorted(far, key=lambda i: names[i]):
            problems.append(Problem("", None, "", f"Tổ chức '{names[i]}' nằm ngoài phạm vi quản lý của bạn.", name))
    return plan, report, problems


@handler(LIST_CHECK, attempts=3)
def check(run: Run) -> dict[str, Any]:
    run.progress(10, "Đang đọc và kiểm tra danh sách…")
    user = _owner(run)
    mappings = [SheetMapping.of(m) for m in run.params["mappings"]]
    plan, _, problems = _check(user, run.params["file"], run.params["name"], mappings)
    shown = []
    with files.local_copy(run.params["file"]) as path:
        office, _ = open_office(path, name=run.params["name"])
        for m in mappings:
            labels, rows = preview(office, m)
            shown.append({"sheet": m.sheet, "labels": labels, "rows": rows})
    counts = None
    if plan is not None:
        if not problems:
            counts = {"members": len(plan.members.members), "member_events": len(plan.members.events)}
        plan.close()
    return {
        "name": run.params["name"],
        "preview": shown,
        "problems": [[p.sheet, p.row, p.column, p.message, p.file] for p in problems[:PROBLEMS_KEPT]],
        "n_problems": len(problems),
        "counts": counts,
    }


@handler(LIST_APPLY, attempts=3)
def write(run: Run) -> None:
    run.progress(10, "Đang kiểm tra lại danh sách…")
    user = _owner(run)
    mappings = [SheetMapping.of(m) for m in run.params["mappings"]]
    plan, report, problems = _check(user, run.params["file"], run.params["name"], mappings)
    if plan is None or problems:
        raise RuleError("; ".join(str(p) for p in problems[:5]))
    run.progress(30, "Đã kiểm tra; đang ghi đảng viên…")
    try:
        with transaction.atomic():
            done = apply(plan, report, actor=Actor.of(user))
            run.done({"counts": done.counts()})
    except Refused as e:
        raise RuleError("; ".join(str(p) for p in e.problems[:5])) from None
    finally:
        plan.close()


def start_export(user: Any, kept: SourceMappingModel, *, root: str, on: dt.date) -> Job:
    return _start(user, LIST_EXPORT, {"mapping": kept.pk, "root": root, "on": on.isoformat()})


@handler(LIST_EXPORT, attempts=3)
def export(run: Run) -> None:
    """The members of a subtree the owner reads, in a layout they remembered; identifiers masked. The file is stored
    and the result recorded in the transaction of the export's audit entry."""
    user = _owner(run)
    run.progress(10, "Đang xuất danh sách…")
    kept = SourceMappingModel.objects.filter(pk=run.params["mapping"], owner_id=user.pk).first()
    on = dt.date.fromisoformat(run.params["on"])
    try:
        root = get_org(user, run.params["root"], on=on)
    except Http404:
        raise RuleError("Tổ chức không có hoặc nằm ngoài phạm vi của bạn; không xuất được.") from None
    if kept is None:
        raise RuleError("Mẫu danh sách không còn; không xuất được.")
    filename = f"{Path(kept.name).stem or 'danh-sach'}-{root.code}-{on.isoformat()}.xlsx"
    with tempfile.TemporaryDirectory(prefix="dangvu-xuat-") as tmp, transaction.atomic():
        local = Path(tmp) / "danh-sach.xlsx"
        rows = export_office(kept, root=root.code, on=on, path=local, actor=Actor.of(user))
        stored = files.save(f"exports/u{user.pk}/{filename}", local)
        run.done({"file": stored, "filename": filename, "rows": rows})
