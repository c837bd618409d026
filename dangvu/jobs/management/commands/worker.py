"""dangvu worker: runs the job queue (imports, reports, PDF) — django-tasks' database worker with the heartbeat and
the recovery of jobs a dead worker held (dangvu.jobs.worker). Run one or more beside the web processes, on this
machine or another sharing the database and the file storage (settings.STORAGES)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.base import DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from dangvu.jobs import worker as housekeeping


class Command(BaseCommand):
    help = "Chạy các công việc nền (nhập dữ liệu, tạo báo cáo, xuất PDF) từ hàng đợi trong cơ sở dữ liệu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="số giây chờ giữa hai lần xem hàng đợi khi rỗng (mặc định 1)"
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="dừng sau chừng này công việc")
        parser.add_argument("--batch", action="store_true", help="chạy hết các công việc đang chờ rồi dừng")

    def handle(self, *args: Any, **o: Any) -> None:
        from django.core.management.base import CommandError

        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            raise CommandError(
                "Hàng đợi đang đặt chạy ngay trong tiến trình web (DANGVU_JOBS_INLINE=1): không cần tiến trình nền."
            )
        logging.getLogger("dangvu.jobs").setLevel(logging.INFO)
        logging.getLogger("django_tasks_db").setLevel(logging.ERROR)  # its English shutdown lines; ours follow
        keeper = housekeeping.start()
        self.stdout.write(f"Tiến trình xử lý nền {housekeeping.worker_id()} đã chạy; dừng bằng Ctrl+C.")
        self.stdout.flush()
        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=o["interval"],
            batch=o["batch"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=o["max_tasks"],
            worker_id=housekeeping.worker_id(),
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            keeper.stopping.set()
            self.stdout.write("Đã dừng tiến trình xử lý nền.")
