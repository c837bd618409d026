"""Background generation: a ReportJob row, a daemon thread running report_draft, progress written back.

A thread (not a process) keeps the web app's settings and database; it opens its own connection and closes it
at the end. Large trees (a province) take tens of seconds; the web page polls job_status()."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone

from dangvu.audit.services import Actor
from dangvu.locks import is_busy
from dangvu.orgs.models import Organization

from .models import ReportJob


def start(
    *,
    root: Organization | str,
    kind: str,
    period: str,
    out_dir: Path,
    formats: tuple[str, ...],
    actor: Actor,
    options: dict[str, Any],
    wait: bool = False,
) -> ReportJob:
    from .builders.common import root_of

    org = root_of(root)
    options = {
        k: (v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, Path) else v)
        for k, v in options.items()
    }
    job = ReportJob.objects.create(
        root=org,
        kind=kind,
        period=period,
        out_dir=str(out_dir),
        options={**options, "formats": list(formats)},
        actor_label=actor.label,
        actor_id=actor.user_id,
    )
    t = threading.Thread(target=run, args=(job.pk,), name=f"report-job-{job.pk}", daemon=True)
    t.start()
    if wait:
        t.join()
    return job


# A job's own bookkeeping (status, progress) waits for a busy database rather than dying with the thread: on SQLite
# another connection's write transaction (BEGIN IMMEDIATE) answers "locked" at once in shared-cache mode, and a
# job left "pending" for ever is what the page would show.
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


def run(job_id: int) -> None:
    from .services import report_draft

    close_old_connections()
    try:
        job = ReportJob.objects.select_related("root").get(pk=job_id)
        job.status, job.progress = ReportJob.Status.RUNNING, 0
        _write(lambda: job.save(update_fields=["status", "progress"]))

        def progress(pct: int, msg: str) -> None:
            _write(lambda: ReportJob.objects.filter(pk=job_id).update(progress=pct, message=msg[:255]))

        opts = dict(job.options)
        formats = tuple(opts.pop("formats", ("docx", "xlsx", "pdf")))
        if opts.get("issued_on"):
            opts["issued_on"] = dt.date.fromisoformat(opts["issued_on"])
        if opts.get("template"):
            opts["template"] = Path(opts["template"])
        doc = report_draft(
            root=job.root,
            kind=job.kind,
            period=job.period,
            out_dir=Path(job.out_dir),
            formats=formats,
            actor=Actor(job.actor_label, job.actor_id),
            progress=progress,
            **opts,
        )
        _write(
            lambda: ReportJob.objects.filter(pk=job_id).update(
                status=ReportJob.Status.DONE,
                progress=100,
                message="Xong",
                result=list(doc.files),
                document=doc,
                finished_at=timezone.now(),
            )
        )
    except Exception as e:  # the job records any failure for the page; nothing is raised in a thread
        error = str(e)[:2000]
        _write(
            lambda: ReportJob.objects.filter(pk=job_id).update(
                status=ReportJob.Status.FAILED, error=error, finished_at=timezone.now()
            )
        )
    finally:
        connection.close()
