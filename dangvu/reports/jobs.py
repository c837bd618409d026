"""Reports as jobs of the one queue (dangvu.jobs): a draft (start(), the worker runs draft()) and the issue of a
draft (start_issue(), the worker runs issue(): the number, the files rendered again with their PDF).

Both are retried (attempts=3) when a worker dies holding them: the record, its audit entry and the job's result
commit in one transaction (the services' `saved`), so a second run after a crash before that commit does the work
once, and a crash after it finds the job done. Files a killed run stored without its record are never listed (a
draft's) or cleared by the next attempt (an issue's folder)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dangvu.audit.services import Actor
from dangvu.jobs.models import Job
from dangvu.jobs.services import Run, handler, job_start
from dangvu.orgs.models import Organization

from .builders.common import root_of
from .models import ReportDocument
from .services import report_draft, report_issue

HANDLER, ISSUE = "report_draft", "report_issue"


def start(
    *,
    root: Organization | str,
    kind: str,
    period: str,
    folder: str,
    formats: Sequence[str],
    actor: Actor,
    options: dict[str, Any],
) -> Job:
    org = root_of(root)
    options = {
        k: (v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, Path) else v)
        for k, v in options.items()
    }
    return job_start(
        handler=HANDLER,
        owner_id=actor.user_id,
        actor_label=actor.label,
        params={
            "root_id": org.pk,
            "root": org.code,
            "kind": kind,
            "period": period,
            "folder": folder,
            "formats": list(formats),
            "options": options,
        },
    )


@handler(HANDLER, attempts=3)
def draft(run: Run) -> None:
    p = run.params
    opts = dict(p["options"])
    if opts.get("issued_on"):
        opts["issued_on"] = dt.date.fromisoformat(opts["issued_on"])
    if opts.get("template"):
        opts["template"] = Path(opts["template"])
    report_draft(
        root=Organization.objects.get(pk=p["root_id"]),
        kind=p["kind"],
        period=p["period"],
        folder=p["folder"],
        formats=tuple(p["formats"]),
        actor=Actor(run.job.actor_label, run.job.owner_id),
        progress=run.progress,
        saved=lambda doc: run.done({"document": doc.pk, "files": list(doc.files)}),
        **opts,
    )


def start_issue(*, document: ReportDocument, actor: Actor) -> Job:
    return job_start(
        handler=ISSUE,
        owner_id=actor.user_id,
        actor_label=actor.label,
        params={
            "document": document.pk,
            "root_id": document.root_id,
            "root": document.root.code,
            "kind": document.kind,
            "period": document.period,
        },
    )


@handler(ISSUE, attempts=3)
def issue(run: Run) -> None:
    report_issue(
        document=run.params["document"],
        actor=Actor(run.job.actor_label, run.job.owner_id),
        saved=lambda doc: run.done({"document": doc.pk, "files": list(doc.files), "number": doc.number_line}),
    )
