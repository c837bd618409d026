"""The public entry point for reports. The web app, the CLI and the benchmarks call only this.

    from dangvu.reports.api import generate, start_job, job_status

    paths = generate(
        root="HM",                      # an Organization or its code
        kind="annual",                  # annual | review | interim | term | thematic | list
        period="2024",                  # "2024" | "2020-2025" | "since:5/5/2008" | "since:5/5/2008..16/3/2017"
                                        # | "1/1/2023..30/6/2024"  (see docs/reports.md)
        out_dir=Path("out"),            # a local folder: a copy of the files lands there (the CLI's --out)
        formats=("docx", "xlsx", "pdf"),  # any of docx, xlsx, pdf, json
        actor=Actor.of(request.user),   # who: written in the audit log and in the files
        progress=lambda pct, msg: …,    # optional: 0–100 and a Vietnamese message
        list_name="top-members",        # kind "list": top-members | exemplary-orgs | badges | not-rated
        years=5,                        # kind "list": N years running
        document="36-CTr/TU",           # kind "thematic": the document reviewed (optional)
        issued_on=date(2025, 1, 12),    # the date on the report (default today)
        template=None,                  # a .docx template path (default: the one shipped for the kind)
    )  # -> [Path("…/HM-annual-2024.docx"), Path("….xlsx"), Path("….pdf")]

The files themselves are stored through Django's storage API (storages["default"], settings.STORAGES) under
`folder` (default "reports"); a ReportDocument's .files are storage names, read with
dangvu.jobs.files.storage().open(name).

Every call writes a DRAFT: no number ("Số      -BC/QU", the blank an office leaves), "DỰ THẢO" on every page,
recorded as a ReportDocument with one audit entry (action 'report_generate': who, when, what, which files); the
files carry who and when (DOCX core properties, XLSX header/footer and a 'Thông tin' sheet). Drafts take no
number, as many as wanted:

    doc = draft(root="HM", kind="annual", period="2024", folder="reports/u3", formats=("docx", "pdf"), actor=…)
    doc = issue(doc, actor=…)   # the next number of the type in the term ('Số 12-BC/QU'), once; the files
                                # rendered again with it, frozen; audited ('report_issue'). Issuing an issued
                                # report is refused with a message naming its number and who issued it.

Errors are dangvu.domain.errors.RuleError with a Vietnamese message: an unknown root or kind, a bad period,
a broken template (the message names the template and the tag), LibreOffice missing for "pdf".

Background generation for large trees, through the one job queue (dangvu.jobs; `dangvu worker` runs it):

    job = start_job(root="01", kind="annual", period="2024", folder=…, actor=…)   # -> dangvu.jobs Job (queued)
    job_status(job.pk)  # -> {"id", "status": queued|running|done|failed, "progress": 0–100, "message",
                        #     "paths": [storage names], "document": draft id, "error"}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dangvu.audit.services import Actor
from dangvu.jobs.models import Job
from dangvu.jobs.services import recover_stale
from dangvu.orgs.models import Organization

from .models import ReportDocument

Progress = Callable[[int, str], None]
FORMATS = ("docx", "xlsx", "pdf", "json")


def generate(
    *,
    root: Organization | str,
    kind: str,
    period: str,
    out_dir: Path | str,
    formats: Sequence[str] = ("docx", "xlsx", "pdf"),
    actor: Actor,
    progress: Progress | None = None,
    list_name: str = "",
    years: int = 5,
    document: str = "",
    issued_on: dt.date | None = None,
    template: Path | str | None = None,
    folder: str = "reports",
) -> list[Path]:
    """Build the report from records, store the formats asked for under `folder`, copy them into the local folder
    out_dir, and return the copies' paths."""
    from .services import report_generate

    return report_generate(
        root=root,
        kind=kind,
        period=period,
        out_dir=Path(out_dir),
        folder=folder,
        formats=tuple(formats),
        actor=actor,
        progress=progress,
        list_name=list_name,
        years=years,
        document=document,
        issued_on=issued_on,
        template=Path(template) if template else None,
    )


def draft(
    *,
    root: Organization | str,
    kind: str,
    period: str,
    folder: str = "reports",
    formats: Sequence[str] = ("docx", "xlsx", "pdf"),
    actor: Actor,
    **options: Any,
) -> ReportDocument:
    """As generate(), returning the draft's record (its files' storage names in .files)."""
    from .services import report_draft

    if options.get("template"):
        options["template"] = Path(options["template"])
    return report_draft(
        root=root, kind=kind, period=period, folder=folder, formats=tuple(formats), actor=actor, **options
    )


def issue(document: ReportDocument | int, *, actor: Actor) -> ReportDocument:
    """Number a draft once, render it again with its number and freeze its files (see the module's text)."""
    from .services import report_issue

    return report_issue(document=document, actor=actor)


def start_job(
    *,
    root: Organization | str,
    kind: str,
    period: str,
    folder: str = "reports",
    formats: Sequence[str] = ("docx", "xlsx", "pdf"),
    actor: Actor,
    **options: Any,
) -> Job:
    """Queue a draft on the job queue; returns the Job to poll with job_status()."""
    from .jobs import start

    return start(
        root=root, kind=kind, period=period, folder=folder, formats=tuple(formats), actor=actor, options=options
    )


def job_status(job_id: Any) -> dict[str, Any]:
    recover_stale(job_id=job_id)
    job = Job.objects.get(pk=job_id)
    return {
        "id": job.pk,
        "status": job.state,
        "progress": job.percent,
        "message": job.message,
        "paths": list(job.result.get("files", [])),
        "document": job.result.get("document"),
        "error": job.error,
    }
