"""The job queue for real (issue 14, item 3): django-tasks' database backend and `dangvu worker` processes, on the
database the tests run on (a SQLite file, or PostgreSQL's test database). Every other test runs jobs inline.

A worker killed (SIGKILL) in the middle of a job: the next worker takes the job again when its handler may run
again, or marks it failed with a Vietnamese message when it may not — never "running" for ever."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from fixtures.processes import PROCESSES, app_env, django, worker

pytestmark = PROCESSES


@pytest.fixture
def env(tmp_path: Path, request: Any) -> dict[str, str]:
    return app_env(tmp_path, request)


def job(env: dict[str, str], job_id: str) -> dict[str, Any]:
    return django(
        env,
        f"""
        j = Job.objects.get(pk={job_id!r})
        print(json.dumps({{"state": j.state, "attempts": j.attempts, "message": j.message, "result": j.result,
                           "percent": j.percent, "worker": j.worker}}))
        """,
    )


def wait_for(env: dict[str, str], job_id: str, states: set[str], proc: subprocess.Popen[str]) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        j = job(env, job_id)
        if j["state"] in states:
            return j
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert time.monotonic() < deadline, j
        time.sleep(0.3)


def start(env: dict[str, str], handler: str) -> str:
    return str(
        django(
            env,
            f"""
            from dangvu.jobs.services import job_start
            j = job_start(handler={handler!r}, owner_id=None, actor_label="kiểm thử", params={{}})
            print(json.dumps(str(j.pk)))
            """,
        )
    )


def stop(proc: subprocess.Popen[str]) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    out, _err = proc.communicate(timeout=60)
    return out


def test_a_report_goes_through_the_database_queue_and_a_worker_process(env: dict[str, str]) -> None:
    queued = django(
        env,
        """
        import datetime as dt
        from dangvu.audit.services import Actor
        from dangvu.domain.orgtree import OrgKind, Sector
        from dangvu.orgs.services import org_establish
        from dangvu.reports.api import start_job
        from django_tasks_db.models import DBTaskResult

        a = Actor("cán bộ kiểm thử")
        org_establish(code="P", name="Đảng bộ tỉnh Hà Nam", kind=OrgKind.PROVINCE, sector=Sector.OTHER,
                      parent=None, on=dt.date(2000, 1, 1), actor=a)
        j = start_job(root="P", kind="annual", period="2024", folder="reports/t", formats=("json",), actor=a,
                      issued_on=dt.date(2025, 1, 12))
        print(json.dumps({"id": str(j.pk), "state": j.state, "tasks": DBTaskResult.objects.count()}))
        """,
    )
    assert queued["state"] == "queued" and queued["tasks"] == 1  # on the queue, not run by the process that asked
    w = worker(env)
    try:
        done = wait_for(env, queued["id"], {"done", "failed"}, w)
    finally:
        out = stop(w)
    assert done["state"] == "done", done
    assert done["percent"] == 100 and done["result"]["files"] == ["reports/t/P-tong-ket-2024-du-thao.json"]
    stored = Path(env["DANGVU_MEDIA_DIR"]) / done["result"]["files"][0]
    assert json.loads(stored.read_text(encoding="utf-8"))["number"] == "Số      -BC/TU"  # a draft: no number
    assert "Tiến trình xử lý nền" in out and "Đã dừng tiến trình xử lý nền." in out


def test_a_job_held_by_a_killed_worker_is_run_again_or_failed_in_words(env: dict[str, str]) -> None:
    retried = start(env, "test_slow_retried")
    first = worker(env)
    try:
        held = wait_for(env, retried, {"running"}, first)
        assert held["percent"] == 30 and held["worker"].endswith(f":{first.pid}")
    finally:
        first.kill()  # SIGKILL: no clean-up, the job stays "running" in the database
        first.wait()
    assert job(env, retried)["state"] == "running"
    second = worker(env)  # finds the job of a dead worker of this machine at start: takes it again
    try:
        again = wait_for(env, retried, {"done", "failed"}, second)
        assert again["state"] == "done" and again["result"] == {"attempt": 2} and again["attempts"] == 2
        once = start(env, "test_slow_once")
        wait_for(env, once, {"running"}, second)
    finally:
        second.kill()
        second.wait()
    third = worker(env)
    try:
        lost = wait_for(env, once, {"done", "failed"}, third)
    finally:
        stop(third)
    assert lost["state"] == "failed" and lost["attempts"] == 1
    assert lost["message"].startswith("Công việc bị dừng giữa chừng vì tiến trình xử lý nền ngừng hoạt động")
    tasks = django(
        env,
        """
        from django_tasks_db.models import DBTaskResult
        print(json.dumps(sorted(DBTaskResult.objects.values_list("status", flat=True))))
        """,
    )
    # the dead workers' tasks are closed (django-tasks does not see dead workers), none left RUNNING
    assert "RUNNING" not in tasks and tasks.count("FAILED") == 2, tasks
