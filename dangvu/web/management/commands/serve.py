"""dangvu serve [ĐỊA_CHỈ:CỔNG]: the web application on 127.0.0.1:8000 (Django's server, for the demo and one office;
a WSGI server in front of dangvu.wsgi for production, README).

When the port is taken, it says so in Vietnamese with the command to choose another, instead of Django's English
"Error: That port is already in use."; its start-up lines are Vietnamese too.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import socket
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.runserver import Command as RunServer

DEFAULT = "127.0.0.1:8000"


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
        super().run(**options)

    def on_bind(self, server_port: int) -> None:
        now = dt.datetime.now().strftime("%d/%m/%Y %H:%M")
        mode = "có trang gỡ lỗi (DANGVU_DEBUG=1)" if settings.DEBUG else "không hiện trang gỡ lỗi"
        self.stdout.write(
            f"{now} — Đảng vụ chạy tại {self.protocol}://{self.addr}:{server_port}/ ({mode}).\n"
            "Dừng bằng Ctrl+C. Máy chủ này dành cho dùng thử và một văn phòng; khi triển khai thật, "
            "dùng một máy chủ WSGI (README)."
        )
