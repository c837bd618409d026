"""Pruning (issue 14's operations): finished jobs and the files they own, exports, and the files of report drafts
never issued are removed after a number of days; nothing else is.

What is kept for ever: a queued or running job; an ISSUED report (a record: its number, its frozen files and the
draft files it was issued from — reports.models.ReportDocument) and every report row, draft or issued (a draft is
issued again from its sealed content, never from its files: reports.services.report_issue renders them anew).

What goes, and when (settings, each an environment variable of the same name):
  DANGVU_PRUNE_JOBS_DAYS (30)     a finished job (imports, reports, …) and the files it owns (an import's upload),
  DANGVU_PRUNE_EXPORTS_DAYS (7)   a finished list export and its workbook (handlers registered with keep="exports"),
  DANGVU_PRUNE_DRAFTS_DAYS (30)   the files of a report draft not issued (the draft itself stays, and can be issued),
  DANGVU_PRUNE_EXPIRED_DAYS (90)  how long an expired job's row stays after that, so its page says it expired.

A job expires in two steps: its row is marked EXPIRED (result cleared, message in words) and the audit entry of the
run written, in one transaction; the files are removed after it commits. So a page that reads the job after the
commit says it expired, and a download that read it before finds no file and says the same — never an error page.
A file still named by a job that is kept (an apply that reuses its check's upload) is not removed. Two runs at once
wait for each other (a named lock). Run by dangvu-prune.timer (deploy/systemd) or cron: `dangvu prune`."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dangvu.audit.services import Actor, audit
from dangvu.locks import serialize
from dangvu.reports.models import ReportDocument

from . import files
from .models import Job
from .services import HANDLERS

log = logging.getLogger("dangvu.jobs")

PRUNER = Actor("dọn dẹp định kỳ (dangvu prune)")
EXPIRED_MESSAGE = "Đã hết hạn: kết quả và tệp của công việc này được giữ {days} ngày rồi xóa. Hãy chạy lại nếu cần."
FINISHED = (Job.State.DONE, Job.State.FAILED)


@dataclass(frozen=True)
class Keep:
    """Days kept, from the settings (docs/deployment.md, "Pruning and the timers")."""

    jobs: int
    exports: int
    drafts: int
    expired: int

    @classmethod
    def from_settings(cls) -> Keep:
        return cls(
            jobs=int(getattr(settings, "DANGVU_PRUNE_JOBS_DAYS", 30)),
            exports=int(getattr(settings, "DANGVU_PRUNE_EXPORTS_DAYS", 7)),
            drafts=int(getattr(settings, "DANGVU_PRUNE_DRAFTS_DAYS", 30)),
            expired=int(getattr(settings, "DANGVU_PRUNE_EXPIRED_DAYS", 90)),
        )

    def for_handler(self, name: str) -> int:
        h = HANDLERS.get(name)
        return self.exports if h is not None and h.keep == "exports" else self.jobs


@dataclass
class Pruned:
    jobs_expired: int = 0
    job_rows_deleted: int = 0
    task_rows_deleted: int = 0
    files_deleted: int = 0
    drafts: int = 0  # drafts whose files were removed


def owned_files(job: Job) -> list[str]:
    """The stored files a job owns: an import's upload (params "file"), an export's workbook (result "file"). A
    report job's files (result "files") belong to its ReportDocument, never to the job."""
    return [n for n in (job.params.get("file"), job.result.get("file")) if isinstance(n, str) and n]


def prune(*, now: dt.datetime | None = None, keep: Keep | None = None, dry_run: bool = False) -> Pruned:
    now = now or timezone.now()
    keep = keep or Keep.from_settings()
    out = Pruned()
    doomed: list[str] = []
    with transaction.atomic():
        serialize("jobs-prune")
        # Finished jobs past their days: the oldest cut-off first selects the candidates, each checked by its kind.
        candidates = Job.objects.filter(state__in=FINISHED, finished_at__lt=now - dt.timedelta(days=min_days(keep)))
        expiring = [
            j for j in candidates.only("pk", "handler", "params", "result", "finished_at")
            if j.finished_at is not None and j.finished_at < now - dt.timedelta(days=keep.for_handler(j.handler))
        ]  # fmt: skip
        ids = [j.pk for j in expiring]
        kept_names = _names_kept(exclude=ids)
        doomed = sorted({n for j in expiring for n in owned_files(j)} - kept_names)
        for days in sorted({keep.for_handler(j.handler) for j in expiring}):
            batch = [j.pk for j in expiring if keep.for_handler(j.handler) == days]
            # Conditional on the state read: a job recovered or re-queued meanwhile is left alone.
            out.jobs_expired += Job.objects.filter(pk__in=batch, state__in=FINISHED).update(
                state=Job.State.EXPIRED, result={}, message=EXPIRED_MESSAGE.format(days=days)[:255], percent=100
            )
        old_rows = Job.objects.filter(
            state=Job.State.EXPIRED, finished_at__lt=now - dt.timedelta(days=min_days(keep) + keep.expired)
        )
        out.job_rows_deleted = sum(
            1 for j in old_rows.only("pk", "handler", "finished_at")
            if j.finished_at is not None
            and j.finished_at < now - dt.timedelta(days=keep.for_handler(j.handler) + keep.expired)
            and Job.objects.filter(pk=j.pk, state=Job.State.EXPIRED).delete()[0]
        )  # fmt: skip
        # django-tasks' own rows of finished tasks: the queue's history, read by nothing once the job is finished.
        out.task_rows_deleted = DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
            finished_at__lt=now - dt.timedelta(days=keep.jobs),
        ).delete()[0]
        drafts = list(
            ReportDocument.objects.filter(
                state=ReportDocument.State.DRAFT, created_at__lt=now - dt.timedelta(days=keep.drafts)
            ).values_list("pk", "files", "draft_files")
        )
        issued_names = _issued_names()
        for _pk, current, draft in drafts:
            names = {n for n in [*current, *draft] if n} - issued_names - kept_names
            present = [n for n in names if files.storage().exists(n)]
            if present:
                out.drafts += 1
                doomed += present
        out.files_deleted = len(doomed)
        audit(
            actor=PRUNER,
            action="jobs_prune",
            object_type="jobs.job",
            object_id=now.date().isoformat(),
            after={**asdict(out), "keep_days": asdict(keep), "dry_run": dry_run},
        )
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        _delete(doomed)
    return out


def min_days(keep: Keep) -> int:
    return min(keep.jobs, keep.exports)


def _names_kept(*, exclude: Iterable[Any]) -> set[str]:
    """Files named by a job that stays (any state but expired, other than those expiring now)."""
    names: set[str] = set()
    for j in Job.objects.exclude(state=Job.State.EXPIRED).exclude(pk__in=list(exclude)).only("params", "result"):
        names.update(owned_files(j))
    return names


def _issued_names() -> set[str]:
    """Every file an issued report names: its own and the draft files it was issued from (records, kept)."""
    names: set[str] = set()
    for current, draft in ReportDocument.objects.filter(state=ReportDocument.State.ISSUED).values_list(
        "files", "draft_files"
    ):
        names.update(n for n in [*current, *draft] if n)
    return names


def _delete(names: list[str]) -> None:
    """After the commit. A file already gone (removed by hand, or by a run that stopped halfway) is no error."""
    s = files.storage()
    for name in names:
        try:
            s.delete(name)
        except FileNotFoundError:
            pass
        except OSError:
            log.warning("prune: could not delete %s", name, exc_info=True)
