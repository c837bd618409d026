"""Report generation as a job of the one queue (dangvu.jobs): start() records it, the worker runs draft().

Retried (attempts=3) when a worker dies holding it: the draft's record, its audit entry and the job's result commit
in one transaction (report_draft's `saved`), so a second run after a crash before that commit makes the one draft,
and a crash after it finds the job done. Files a killed run stored without its record are orphans, never listed."""

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
from .services import report_draft

HANDLER = "report_draft"


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
