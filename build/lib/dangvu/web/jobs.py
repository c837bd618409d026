"""Background jobs for the web (imports): a thread per job, status in a JSON file under var/jobs/ so that any
process can poll it. Tests run jobs inline (settings.DANGVU_JOBS_INLINE)."""

from __future__ import annotations

import json
import threading
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection


def jobs_dir() -> Path:
    d = Path(settings.VAR_DIR) / "jobs"
    d.mkdir(parents=True, exist_ok=True)
    return d


def write_status(job_id: str, **status: Any) -> None:
    path = jobs_dir() / f"{job_id}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(status, ensure_ascii=False, default=str))
    tmp.replace(path)


def read_status(job_id: str) -> dict[str, Any] | None:
    if not job_id.replace("-", "").isalnum():
        return None
    path = jobs_dir() / f"{job_id}.json"
    return json.loads(path.read_text()) if path.exists() else None


def start(owner_id: int, work: Callable[[Callable[[int, str], None]], dict[str, Any]]) -> str:
    """Run work(progress) in the background; progress(percent, message) updates the status file."""
    job_id = uuid.uuid4().hex
    base = {"owner": owner_id}

    def progress(percent: int, message: str) -> None:
        write_status(job_id, **base, state="running", percent=percent, message=message)

    def run() -> None:
        try:
            result = work(progress)
            write_status(job_id, **base, state="done", percent=100, message="Xong.", result=result)
        except Exception as e:  # reported to the page; the traceback stays in the status file
            write_status(
                job_id, **base, state="failed", percent=100, message=str(e), trace=traceback.format_exc(limit=5)
            )
        finally:
            if not getattr(settings, "DANGVU_JOBS_INLINE", False):
                connection.close()

    write_status(job_id, **base, state="queued", percent=0, message="Đang chờ…")
    if getattr(settings, "DANGVU_JOBS_INLINE", False):
        run()
    else:
        threading.Thread(target=run, daemon=True, name=f"job-{job_id[:8]}").start()
    return job_id
