"""Benchmark: a report through the job queue (django-tasks' database backend and a `dangvu worker` process) against
the yardstick, the same report_draft() called in this process. The difference is what the queue costs a person
waiting: the worker's pick-up (its --interval), claiming the job, progress writes, the result.

    .venv/bin/python bench/jobs_queue.py                          # SQLite file in a temporary folder
    .venv/bin/python bench/jobs_queue.py --db postgresql://postgres@127.0.0.1:5432/dangvu_bench_jobs  (empty db)
    options: --runs 10 --interval 0.2 --formats json (or docx, xlsx, pdf; repeat)

Prints the medians and the load average; BENCHMARKS.md ("Job queue") records the results."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=None)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--interval", type=float, default=0.2)
    ap.add_argument("--formats", action="append", default=None)
    o = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dangvu-bench-jobs-"))
    os.environ["DANGVU_DATABASE_URL"] = o.db or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DANGVU_MEDIA_DIR"] = str(tmp / "media")
    os.environ["DANGVU_JOBS_INLINE"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from dangvu.audit.services import Actor
    from dangvu.domain.orgtree import OrgKind, Sector
    from dangvu.jobs.models import Job
    from dangvu.orgs.models import Organization
    from dangvu.orgs.services import org_establish
    from dangvu.reports.api import draft, start_job

    call_command("migrate", verbosity=0)
    actor = Actor("đo hiệu năng")
    if not Organization.objects.filter(code="P").exists():
        org_establish(
            code="P", name="Đảng bộ tỉnh Hà Nam", kind=OrgKind.PROVINCE, sector=Sector.OTHER, parent=None,
            on=dt.date(2000, 1, 1), actor=actor,
        )  # fmt: skip
    formats = tuple(o.formats or ["json"])
    kw = {"root": "P", "kind": "annual", "period": "2024", "formats": formats, "actor": actor}
    kw["issued_on"] = dt.date(2025, 1, 12)

    direct = []
    for _ in range(o.runs):
        t = time.perf_counter()
        draft(folder="bench/direct", **kw)  # type: ignore[arg-type]
        direct.append(time.perf_counter() - t)

    worker = subprocess.Popen(
        [sys.executable, "-m", "dangvu.cli", "worker", "--interval", str(o.interval)],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
    )
    queued = []
    try:
        time.sleep(3)  # the worker is up
        for _ in range(o.runs):
            t = time.perf_counter()
            job = start_job(folder="bench/queue", **kw)  # type: ignore[arg-type]
            while Job.objects.filter(pk=job.pk, state__in=["queued", "running"]).exists():
                time.sleep(0.01)
            queued.append(time.perf_counter() - t)
            assert Job.objects.get(pk=job.pk).state == "done", Job.objects.get(pk=job.pk).error
    finally:
        worker.terminate()
        worker.wait()
    d, q = statistics.median(direct), statistics.median(queued)
    load = Path("/proc/loadavg").read_text().split()[:3]
    engine = "PostgreSQL" if os.environ["DANGVU_DATABASE_URL"].startswith("postgres") else "SQLite"
    what = f"formats {','.join(formats)}, {o.runs} runs, worker --interval {o.interval}"
    print(f"{engine}, {what}, load {' '.join(load)}")
    print(f"  report_draft() in this process (yardstick)  {d * 1000:8.0f} ms")
    extra = f"{q / d:.2f}×, {(q - d) * 1000:+.0f} ms"
    print(f"  through the queue and a worker process      {q * 1000:8.0f} ms   ({extra})")


if __name__ == "__main__":
    main()
