"""`dangvu serve --workers N` (issue 14, item 4): gunicorn with N worker processes on the address, static files
served as by the single-process server; it stops on SIGTERM with its Vietnamese line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DANGVU = str(ROOT / ".venv" / "bin" / "dangvu")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.read().decode("utf-8")


def test_serve_with_workers_runs_gunicorn_and_answers_in_vietnamese(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DANGVU_DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "DANGVU_VAR_DIR": str(tmp_path / "var"),
        "DANGVU_CACHE_URL": "",
        "DANGVU_REDIS_URL": "",
    }
    migrated = subprocess.run([DANGVU, "migrate"], env=env, capture_output=True, text=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()
    server = subprocess.Popen(
        [DANGVU, "serve", "--workers", "2", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, page = _get(f"http://127.0.0.1:{port}/dang-nhap/")
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.5)
        assert status == 200
        assert "Đăng nhập" in page
        # Two workers forked by gunicorn's master (this process's child), as asked. One may answer before the other
        # has forked (seen on a loaded machine): wait for both, a bounded time.
        deadline = time.monotonic() + 30
        while len(_children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(_children(server.pid)) == 2
        # Static files, as the single-process server serves them (whitenoise).
        css_status, _ = _get(f"http://127.0.0.1:{port}/static/web/htmx.min.js")
        assert css_status == 200
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    first, *_ = out.splitlines()
    assert first.endswith(
        f"— Đảng vụ chạy tại http://127.0.0.1:{port}/ (gunicorn, 2 tiến trình × 4 luồng; không hiện trang gỡ lỗi)."
    )
    assert out.splitlines()[1:] == ["Dừng bằng Ctrl+C.", "Đã dừng ứng dụng web."]


def test_workers_must_be_a_whole_number_from_one() -> None:
    done = subprocess.run(
        [DANGVU, "serve", "--workers", "0", "127.0.0.1:1"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "--workers: cần một số nguyên từ 1 trở lên, không phải '0'" in done.stderr
