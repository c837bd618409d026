"""A small production-like WSGI server for the load benchmark: a fixed pool of threads, each keeping its database
connections (CONN_MAX_AGE), as gunicorn's gthread worker does. runserver starts a thread and new connections per
request instead. Standard library only (wsgiref + a thread pool).

    DJANGO_SETTINGS_MODULE=web_settings python bench/web_serve.py 127.0.0.1:8124 --threads 8
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import threading
from pathlib import Path
from socketserver import BaseServer
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

HERE = Path(__file__).resolve().parent


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # the benchmark counts; no access log
        pass


class PoolServer(WSGIServer):
    """Requests are queued to N long-lived threads."""

    request_queue_size = 128

    def __init__(self, address: tuple[str, int], threads: int) -> None:
        super().__init__(address, QuietHandler)
        self.jobs: queue.Queue[Any] = queue.Queue()
        for _ in range(threads):
            threading.Thread(target=self.worker, daemon=True).start()

    def worker(self) -> None:
        while True:
            request, client = self.jobs.get()
            try:
                self.finish_request(request, client)
            except Exception:
                self.handle_error(request, client)
            finally:
                self.shutdown_request(request)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.jobs.put((request, client_address))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("addrport", default="127.0.0.1:8124")
    p.add_argument("--threads", type=int, default=8)
    args = p.parse_args()
    sys.path[:0] = [str(HERE), str(HERE.parent)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web_settings")
    os.environ.setdefault("DANGVU_CONN_MAX_AGE", "60")
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    host, port = args.addrport.rsplit(":", 1)
    server: BaseServer = PoolServer((host, int(port)), args.threads)
    server.set_app(app)  # type: ignore[attr-defined]
    server.serve_forever()


if __name__ == "__main__":
    main()
