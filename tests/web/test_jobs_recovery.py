"""Jobs a dead worker held, as the pages see them (no worker process here: tests/jobs/test_worker.py kills real
ones), and LibreOffice's slots shared by processes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from typing import Any

import pytest
from django.utils import timezone

from dangvu.domain.errors import RuleError
from dangvu.jobs.models import Job
from dangvu.jobs.services import LOST_MESSAGE, RETRY_MESSAGE, recover_stale
from dangvu.reports.render.pdf import BUSY, slots_dir, soffice_slot


def _running(owner: Any, handler: str, *, beat_ago: float, attempts: int = 1, max_attempts: int = 1) -> Job:
    return Job.objects.create(
        handler=handler,
        owner_id=owner.pk,
        actor_label=owner.username,
        state=Job.State.RUNNING,
        percent=30,
        message="Đang ghi…",
        attempts=attempts,
        max_attempts=max_attempts,
        worker="may-khac:4242",  # another machine: only the heartbeat tells
        heartbeat_at=timezone.now() - dt.timedelta(seconds=beat_ago),
    )


@pytest.mark.django_db
def test_a_job_whose_worker_stopped_beating_shows_failed_in_words_not_running(cast: Any, settings: Any) -> None:
    settings.DANGVU_JOBS_STALE_SECONDS = 60
    canbo = cast.users["canbo"]
    alive = _running(canbo, "import_apply", beat_ago=5)
    dead = _running(canbo, "import_apply", beat_ago=600)
    c = cast.client("canbo")
    assert "Đang ghi…" in c.get(f"/nhap/tien-trinh/{alive.pk.hex}/").content.decode()
    page = c.get(f"/nhap/tien-trinh/{dead.pk.hex}/").content.decode()
    assert 'data-state="failed"' in page and "Công việc bị dừng giữa chừng" in page and "hx-trigger" not in page
    assert Job.objects.get(pk=dead.pk).error == LOST_MESSAGE
    assert Job.objects.get(pk=alive.pk).state == Job.State.RUNNING
    assert cast.client("canbo_khac").get(f"/nhap/tien-trinh/{dead.pk.hex}/").status_code == 404


@pytest.mark.django_db
def test_a_job_that_may_run_again_is_queued_again_once(cast: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no one runs it here
    settings.DANGVU_JOBS_STALE_SECONDS = 60
    job = _running(cast.users["canbo"], "report_draft", beat_ago=600, max_attempts=3)
    assert recover_stale() == 1 and recover_stale() == 0  # a second recoverer finds nothing to do
    job.refresh_from_db()
    assert (job.state, job.message, job.attempts, job.worker) == ("queued", RETRY_MESSAGE, 1, "")


def test_libreoffice_slots_are_shared_by_processes_and_freed_when_one_dies(settings: Any) -> None:
    settings.DANGVU_SOFFICE_MAX = 1
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            f"f = open({str(slots_dir() / 'slot-0.lock')!r}, 'a+')\n"
            "fcntl.flock(f, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(120)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(RuleError) as refused, soffice_slot(wait_s=0.3):
            pass
        assert refused.value.message == BUSY
    finally:
        holder.kill()  # the kernel frees its lock: no lease to expire
        holder.wait()
    deadline = time.monotonic() + 10
    with soffice_slot(wait_s=10) as profile:
        assert profile.endswith("profile-0") and time.monotonic() < deadline
