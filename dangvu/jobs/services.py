"""One job queue (issue 14, item 3): imports, reports and their PDF conversion run as jobs of django-tasks' database
backend (settings.TASKS; no broker: the queue is a table of the application's own database, SQLite or PostgreSQL).

A Job row is what people see: state, percent, message, result, written by whichever process runs the job and read
by any web process. The work itself is a *handler* an app registers in its own jobs.py:

    @handler("report_draft", attempts=3)
    def draft(run: Run) -> dict: …   # run.params, run.progress(pct, msg), run.done(result) inside its transaction

One django-tasks task (run_job) runs any job by its id. `dangvu worker` runs the queue; tests and
DANGVU_JOBS_INLINE=1 run each job inside the request that starts it (django-tasks' immediate backend).

Jobs survive a restart: the worker writes a heartbeat on the job it holds (dangvu.jobs.worker); a RUNNING job whose
heartbeat is older than DANGVU_JOBS_STALE_SECONDS, or whose worker process on this machine no longer exists, was
held by a dead worker. recover_stale() — run by every worker and by every page that reads the job — queues it again
when its handler may run again (attempts > 1: the work commits once, in one transaction together with its result,
so a second run cannot do it twice), else marks it failed with a Vietnamese message. Never "running" for ever."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.db.models import F
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from dangvu.dbrouting import primary_until, writer_stamp
from dangvu.domain.errors import RuleError
from dangvu.locks import BUSY_MESSAGE, is_busy

from .models import Job

log = logging.getLogger("dangvu.jobs")

QUEUED_MESSAGE = "Đang chờ…"
RETRY_MESSAGE = "Tiến trình xử lý trước đã dừng giữa chừng; đang chờ chạy lại…"
LOST_MESSAGE = (
    "Công việc bị dừng giữa chừng vì tiến trình xử lý nền ngừng hoạt động (máy chủ khởi động lại hoặc mất điện). "
    "Hãy chạy lại."
)
BUG_MESSAGE = "Có lỗi hệ thống khi xử lý; lỗi đã được ghi lại để quản trị hệ thống kiểm tra. Hãy thử lại sau."
UNKNOWN_MESSAGE = "Phiên bản phần mềm này không biết loại công việc này; hãy chạy lại."


@dataclass(frozen=True)
class Handler:
    name: str
    fn: Callable[[Run], dict[str, Any] | None]
    attempts: int  # > 1 only for work that commits once, in one transaction with its result (Run.done)
    keep: str = "jobs"  # how long it is kept once finished: "jobs" or "exports" (dangvu.jobs.prune.Keep)


HANDLERS: dict[str, Handler] = {}
# The params key that carries the starter's read-your-writes window (dbrouting.writer_stamp) to the worker.
PRIMARY_UNTIL = "_primary_until"


def handler(
    name: str, *, attempts: int = 1, keep: str = "jobs"
) -> Callable[[Callable[[Run], Any]], Callable[[Run], Any]]:
    def register(fn: Callable[[Run], Any]) -> Callable[[Run], Any]:
        HANDLERS[name] = Handler(name, fn, attempts, keep)
        return fn

    return register


# The worker process's identity and the job it is running (read by its heartbeat thread, dangvu.jobs.worker).
HOST = socket.gethostname()[:40]
CURRENT: dict[str, str | None] = {"job": None, "worker": None}

# A job's own bookkeeping waits for a busy SQLite database (another process's write transaction) rather than failing:
# the page would otherwise show a job that never moves.
BUSY_RETRIES = 400
BUSY_PAUSE = 0.05


def _write(fn: Callable[[], Any]) -> Any:
    for attempt in range(BUSY_RETRIES):
        try:
            return fn()
        except OperationalError as e:
            if not is_busy(e) or attempt == BUSY_RETRIES - 1:
                raise
            time.sleep(BUSY_PAUSE)
    return None


class Run:
    """What a handler is given: the job's parameters, progress(), and done() to record the result — called inside
    the handler's own transaction, the result commits with the work or not at all."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.params: dict[str, Any] = dict(job.params)
        self.recorded = False

    def progress(self, percent: int, message: str) -> None:
        _write(
            lambda: Job.objects.filter(pk=self.job.pk, state=Job.State.RUNNING).update(
                percent=max(0, min(99, percent)), message=message[:255], heartbeat_at=timezone.now()
            )
        )

    def done(self, result: dict[str, Any]) -> None:
        Job.objects.filter(pk=self.job.pk).update(
            state=Job.State.DONE, percent=100, message="Xong.", result=result, finished_at=timezone.now()
        )
        self.recorded = True


def job_start(*, handler: str, owner_id: int | None, actor_label: str, params: dict[str, Any]) -> Job:
    """Record the job and put it on the queue. Under the immediate backend (tests) it has run when this returns."""
    if handler not in HANDLERS:
        raise RuleError(UNKNOWN_MESSAGE, field="handler")
    # Read-your-writes across processes (dangvu.dbrouting): a job started by a person who has just written reads the
    # primary until their window ends, like their own requests; the worker does not inherit the request's context.
    stamp = writer_stamp()
    job = Job.objects.create(
        handler=handler,
        owner_id=owner_id,
        actor_label=actor_label[:150],
        params={**params, PRIMARY_UNTIL: stamp} if stamp else params,
        message=QUEUED_MESSAGE,
        max_attempts=HANDLERS[handler].attempts,
    )
    _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: Job) -> None:
    result = run_job.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


@task()
def run_job(job_id: str) -> None:
    """The one django-tasks task: run the job's handler. Every outcome is written on the Job row; nothing is raised
    back to django-tasks (its own result only says the task ran)."""
    execute(job_id)


def execute(job_id: str) -> None:
    now = timezone.now()
    claimed = _write(
        lambda: Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            worker=CURRENT["worker"] or "",
            message="Đang xử lý…",
        )
    )
    if not claimed:  # done, failed, or taken by another worker after a recovery
        return
    job = Job.objects.get(pk=job_id)
    h = HANDLERS.get(job.handler)
    if h is None:
        _fail(job_id, UNKNOWN_MESSAGE)
        return
    CURRENT["job"] = job_id
    run = Run(job)
    try:
        with primary_until(float(run.params.pop(PRIMARY_UNTIL, 0) or 0)):
            result = h.fn(run)
        if not run.recorded:
            _write(lambda: run.done(result or {}))
    except RuleError as e:  # a refusal in words: the same work would be refused again
        _fail(job_id, e.message)
    except OperationalError as e:
        if is_busy(e) and job.attempts < job.max_attempts:
            _requeue(job, "Cơ sở dữ liệu đang bận; đang chờ chạy lại…")
        else:
            log.exception("job %s (%s) failed", job_id, job.handler)
            _fail(job_id, BUSY_MESSAGE if is_busy(e) else BUG_MESSAGE)
    except Exception:
        log.exception("job %s (%s) failed", job_id, job.handler)
        _fail(job_id, BUG_MESSAGE)
    finally:
        CURRENT["job"] = None


def _fail(job_id: Any, message: str) -> None:
    _write(
        lambda: Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILED, percent=100, message=message[:255], error=message, finished_at=timezone.now()
        )
    )


def _requeue(job: Job, message: str) -> None:
    n = _write(
        lambda: Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts).update(
            state=Job.State.QUEUED, percent=0, message=message, worker="", heartbeat_at=None
        )
    )
    if n:
        _enqueue(job)


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "DANGVU_JOBS_STALE_SECONDS", 120)))


def _gone(worker: str) -> bool:
    """A worker of this machine ('host:pid') whose process no longer exists: its jobs need not wait the stale time."""
    host, _, pid = worker.rpartition(":")
    if host != HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def recover_stale(*, job_id: Any = None) -> int:
    """Jobs a dead worker held: queued again when their handler may run again, else failed in words. Each recovery is
    a conditional update on the heartbeat that was read, so two recoverers never both act on one job."""
    limit = timezone.now() - stale_after()
    running = Job.objects.filter(state=Job.State.RUNNING)
    if job_id is not None:
        running = running.filter(pk=job_id)
    n = 0
    for job in running.only("pk", "heartbeat_at", "worker", "attempts", "max_attempts", "task_id", "handler"):
        if not (job.heartbeat_at is None or job.heartbeat_at < limit or _gone(job.worker)):
            continue
        retry = job.attempts < job.max_attempts
        won = _write(functools.partial(_recover, job, retry=retry))
        if won:
            _abandon(job.task_id)
            if retry:
                _enqueue(job)
        if won:
            log.warning("job %s (%s) held by a dead worker %s: recovered", job.pk, job.handler, job.worker)
            n += 1
    return n


def _recover(job: Job, *, retry: bool) -> int:
    same = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, heartbeat_at=job.heartbeat_at)
    if retry:
        return same.update(state=Job.State.QUEUED, percent=0, message=RETRY_MESSAGE, worker="")
    return same.update(
        state=Job.State.FAILED, percent=100, message=LOST_MESSAGE[:255], error=LOST_MESSAGE, finished_at=timezone.now()
    )


def _abandon(task_id: str) -> None:
    """The dead worker's django-tasks result stays RUNNING otherwise (django-tasks does not detect dead workers)."""
    if _uuid(task_id):
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(status="FAILED", finished_at=timezone.now())


def heartbeat() -> None:
    """The worker's heartbeat on the job it holds (called from its housekeeping thread)."""
    job_id = CURRENT["job"]
    if job_id:
        Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(heartbeat_at=timezone.now())


def job_for(owner_id: int | None, job_id: Any, handler: str) -> Job | None:
    """A person's own job of one kind, recovered first if a dead worker held it; None for anything else."""
    pk = _uuid(job_id)
    job = Job.objects.filter(pk=pk, owner_id=owner_id, handler=handler).first() if pk else None
    if job is not None and job.state == Job.State.RUNNING and recover_stale(job_id=job.pk):
        job.refresh_from_db()
    return job


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def status(job: Job) -> dict[str, Any]:
    """What the progress fragment (web/_job.html) shows."""
    failed = job.state == Job.State.FAILED and job.error
    message = job.error if failed else job.message or QUEUED_MESSAGE
    return {"state": job.state, "percent": job.percent, "message": message, "result": job.result}
