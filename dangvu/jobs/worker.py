"""The worker's housekeeping beside django-tasks' own loop (django_tasks_db's Worker): a heartbeat on the job it
holds and, every few beats, recover_stale() for jobs a dead worker held. A thread of the worker process, never of
the web process: the work itself runs in the worker's main thread, one job at a time."""

from __future__ import annotations

import logging
import os
import threading

from django.conf import settings
from django.db import connection

from .services import CURRENT, HOST, heartbeat, recover_stale

log = logging.getLogger("dangvu.jobs")


def worker_id() -> str:
    return f"{HOST}:{os.getpid()}"[:64]


def beat_seconds() -> float:
    return float(getattr(settings, "DANGVU_JOBS_HEARTBEAT_SECONDS", 5))


class Housekeeping(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="dangvu-jobs-housekeeping", daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        beats = 0
        while not self.stopping.wait(beat_seconds()):
            try:
                heartbeat()
                if beats % 4 == 0:
                    recover_stale()
            except Exception:  # a busy or unreachable database: the next beat tries again
                log.warning("heartbeat failed", exc_info=True)
                connection.close()
            beats += 1
        connection.close()


def start() -> Housekeeping:
    CURRENT["worker"] = worker_id()
    recover_stale()  # a restarted worker takes back what its predecessor on this machine held, at once
    h = Housekeeping()
    h.start()
    return h
