"""The list exports' jobs (dangvu.web.jobs): the page that polls one, then offers its file. A job and its file belong
to the person who started it: anyone else's, or one that does not exist, is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from dangvu.accounts.scope import require_reader
from dangvu.domain.vietnamese import fmt_date
from dangvu.jobs.models import Job
from dangvu.jobs.services import job_for, status
from dangvu.web import jobs
from dangvu.web.expired import serve_or_expired
from dangvu.web.htmx import is_htmx
from dangvu.web.views.work import KINDS


def _job(user: Any, job_id: str) -> Job:
    require_reader(user)
    job = job_for(user.pk, job_id, jobs.MEMBER_EXPORT) or job_for(user.pk, job_id, jobs.WORK_EXPORT)
    if job is None:
        raise Http404
    return job


def _described(job: Job) -> tuple[str, str]:
    """The export's title and the list it came from (with its filters)."""
    p = job.params
    query = f"?{p['query']}" if p.get("query") else ""
    if job.handler == jobs.MEMBER_EXPORT:
        return f"Danh sách đảng viên tại ngày {fmt_date(dt.date.fromisoformat(p['on']))}", reverse("members") + query
    kind = KINDS.get(p.get("slug", ""))
    return (kind.title if kind else "Danh sách"), reverse("work_list", args=[p.get("slug", "")]) + query


@login_required
def export_job(request: HttpRequest, job: str) -> HttpResponse:
    j = _job(request.user, job)
    s = status(j)
    done = j.state == Job.State.DONE
    s["result"] = (
        {"download": reverse("export_download", args=[j.pk.hex]), "rows": j.result.get("rows", 0)} if done else {}
    )
    if is_htmx(request):
        return render(request, "web/_job.html", {"job": j.pk.hex, "s": s, "poll": "export_job"})
    title, back = _described(j)
    return render(
        request, "web/export_job.html", {"job": j.pk.hex, "s": s, "poll": "export_job", "title": title, "back": back}
    )


@login_required
def export_download(request: HttpRequest, job: str) -> HttpResponseBase:
    j = _job(request.user, job)
    if j.state not in (Job.State.DONE, Job.State.EXPIRED):
        raise Http404
    title, back = _described(j)
    stored = j.result.get("file", "") if j.state == Job.State.DONE else ""
    return serve_or_expired(
        request,
        stored,
        j.result.get("filename", ""),
        what=f"Tệp Excel “{title}”",
        again="Hãy xuất lại danh sách.",
        back=back,
    )
