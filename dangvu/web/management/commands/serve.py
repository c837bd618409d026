"""dangvu serve [ĐỊA_CHỈ:CỔNG] [--workers N]: the web application on 127.0.0.1:8000.

Without --workers: Django's single-process server, for the demo and one office. With --workers N: gunicorn, the
production server, with N worker processes (issue 14, item 4: stateless web processes — the cache is shared through
the database or Redis, settings.CACHES). Static files are served by whitenoise's middleware in both.

When the port is taken, it says so in Vietnamese with the command to choose another, instead of Django's English
"Error: That port is already in use."; its start-up lines are Vietnamese too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import socket
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.runserver import Command as RunServer

DEFAULT = "127.0.0.1:8000"
# gunicorn's threads per worker (gthread): a worker keeps answering while one of its requests waits on the database,
# as the single-process server does with a thread per request. [I] sized for 2-core machines; --threads changes it.
THREADS = 4
# Seconds a request may take before gunicorn restarts its worker: a report's or an export's request (issue 14,
# item 3 moves them to the job queue) must not be cut. [I]; --timeout changes it.
TIMEOUT = 120


def positive(value: str) -> int:
    """argparse type: a whole number ≥ 1, refused in Vietnamese otherwise."""
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"cần một số nguyên từ 1 trở lên, không phải {value!r}")
    return n


def port_problem(addr: str, port: int) -> str:
    """'' when the server can listen on addr:port, else why not, in Vietnamese."""
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Django's server does
        try:
            s.bind((addr, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                return f"Cổng {port} trên {addr} đang được một chương trình khác dùng."
            if e.errno == errno.EACCES:
                return f"Không có quyền mở cổng {port} (cổng dưới 1024 cần quyền quản trị)."
            if e.errno == errno.EADDRNOTAVAIL:
                return f"Máy này không có địa chỉ {addr}."
            return f"Không mở được {addr}:{port} ({e.strerror})."
    return ""


def free_port(addr: str, after: int) -> int | None:
    """The first port after `after` that is free, to suggest (None if none of the next 20 is)."""
    for port in range(after + 1, after + 21):
        if not port_problem(addr, port):
            return port
    return None


def refuse(addr: str, port: int, problem: str) -> CommandError:
    """The error to raise: what is wrong and how to choose another port."""
    other = free_port(addr, port) or port + 1
    return CommandError(
        f"{problem}\n"
        f"Chọn cổng khác, ví dụ cổng {other}:\n"
        f"  make demo PORT={other}\n"
        f"  dangvu demo --addrport {addr}:{other}\n"
        f"  dangvu serve {addr}:{other}"
    )


class Command(RunServer):
    help = (
        "Chạy ứng dụng web tại ĐỊA_CHỈ:CỔNG (mặc định 127.0.0.1:8000). Không hiện trang gỡ lỗi của Django trừ khi "
        "đặt DANGVU_DEBUG=1."
    )
    default_addr = "127.0.0.1"
    default_port = "8000"
    addr: str  # set by runserver's handle() from addrport
    port: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT, help="địa chỉ và cổng, vd 127.0.0.1:8001 hoặc 8001")
        parser.add_argument(
            "--workers",
            type=positive,
            default=None,
            help="chạy bằng gunicorn với N tiến trình xử lý (triển khai thật); bỏ trống: một tiến trình",
        )
        parser.add_argument(
            "--threads", type=positive, default=THREADS, help=f"số luồng mỗi tiến trình gunicorn (mặc định {THREADS})"
        )
        parser.add_argument(
            "--timeout",
            type=positive,
            default=TIMEOUT,
            help=f"số giây tối đa cho một yêu cầu trước khi gunicorn khởi động lại tiến trình (mặc định {TIMEOUT})",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        os.environ["DJANGO_RUNSERVER_HIDE_WARNING"] = "true"  # our own lines below say what it is
        opts.update(
            use_ipv6=False,
            use_threading=True,
            use_reloader=False,
            skip_checks=True,
            shutdown_message="Đã dừng ứng dụng web.",
        )
        super().handle(*args, **opts)

    def run(self, **options: Any) -> None:
        problem = port_problem(self.addr, int(self.port))
        if problem:
            raise refuse(self.addr, int(self.port), problem)
        self.check(display_num_errors=False)
        if options.get("workers"):
            self.run_gunicorn(options["workers"], options["threads"], options["timeout"])
            return
        super().run(**options)

    def run_gunicorn(self, workers: int, threads: int, timeout: int) -> None:
        """gunicorn's master in this process, `workers` worker processes forked from it, each with the application
        loaded once here (preloaded). Stops on SIGTERM or Ctrl+C, letting running requests finish."""
        from django.core.wsgi import get_wsgi_application
        from django.db import connections
        from gunicorn.app.base import BaseApplication

        application = get_wsgi_application()
        connections.close_all()  # no database connection shared by the forked workers
        out = self.stdout
        ready = (
            self.started_line(int(self.port), f"gunicorn, {workers} tiến trình × {threads} luồng")
            + "Dừng bằng Ctrl+C.\n"
        )

        def when_ready(server: Any) -> None:
            out.write(ready)
            out.flush()

        def on_exit(server: Any) -> None:
            out.write("Đã dừng ứng dụng web.")
            out.flush()

        config: dict[str, Any] = {
            "bind": [f"{self.addr}:{self.port}"],
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": timeout,
            "preload_app": True,
            "loglevel": "warning",  # gunicorn's English start-up lines; ours above says what runs where
            "when_ready": when_ready,
            "on_exit": on_exit,
        }

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        Server().run()

    def started_line(self, server_port: int, server: str) -> str:
        now = dt.datetime.now().strftime("%d/%m/%Y %H:%M")
        mode = "có trang gỡ lỗi (DANGVU_DEBUG=1)" if settings.DEBUG else "không hiện trang gỡ lỗi"
        return f"{now} — Đảng vụ chạy tại {self.protocol}://{self.addr}:{server_port}/ ({server}; {mode}).\n"

    def on_bind(self, server_port: int) -> None:
        self.stdout.write(
            self.started_line(server_port, "một tiến trình")
            + "Dừng bằng Ctrl+C. Máy chủ này dành cho dùng thử và một văn phòng; khi triển khai thật, "
            "chạy nhiều tiến trình: dangvu serve --workers N (docs/operations.md)."
        )
