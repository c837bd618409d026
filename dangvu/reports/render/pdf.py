"""PDF through LibreOffice headless (STACK_NOTES §5), at most settings.DANGVU_SOFFICE_MAX conversions at once on
one machine, across every process (workers, web): soffice_slot().

Why a lock file per slot rather than a database semaphore or the worker's own concurrency: what LibreOffice uses up
is the CPU and memory of the machine it runs on, so the bound belongs to the machine (two worker machines may each
convert N); the kernel releases a flock when its process dies, so a killed worker never keeps a slot (a database
lease would have to expire); and it works inside a transaction (report_issue renders while it holds its own), where
a database semaphore's claim would not be seen by others until the commit. Each slot keeps its own LibreOffice
profile, warm from one conversion to the next (a first start spends about a second creating it), and never shared
by two instances at once."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from dangvu.domain.errors import RuleError

TIMEOUT_S = 120
WAIT_S = 600  # how long a conversion waits for a free slot before saying the server is busy [I]


def soffice() -> str | None:
    return os.environ.get("DANGVU_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


MISSING = (
    "Không tìm thấy LibreOffice (soffice) để xuất PDF. Cài bằng 'sh scripts/system-deps.sh' "
    "(libreoffice-writer-nogui và phông chữ fonts-liberation2, fonts-croscore), hoặc bỏ định dạng pdf."
)
BUSY = "Máy chủ đang bận xuất PDF cho nhiều báo cáo cùng lúc; hãy thử lại sau ít phút."


def slots_dir() -> Path:
    d = Path(tempfile.gettempdir()) / f"dangvu-soffice-{os.getuid()}"
    d.mkdir(mode=0o700, exist_ok=True)
    return d


@contextmanager
def soffice_slot(wait_s: float = WAIT_S) -> Iterator[str]:
    """Hold one of the machine's DANGVU_SOFFICE_MAX slots; yields the slot's own profile directory."""
    n = max(1, int(getattr(settings, "DANGVU_SOFFICE_MAX", 2)))
    base = slots_dir()
    deadline = time.monotonic() + wait_s
    held: IO[str] | None = None
    slot = 0
    while held is None:
        for slot in range(n):
            f = open(base / f"slot-{slot}.lock", "a+")
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                f.close()
                continue
            held = f
            break
        if held is None:
            if time.monotonic() > deadline:
                raise RuleError(BUSY, field="formats")
            time.sleep(0.2)
    try:
        yield str(base / f"profile-{slot}")
    finally:
        fcntl.flock(held, fcntl.LOCK_UN)
        held.close()


class Conversion:
    """One DOCX → PDF conversion started now and collected later (LibreOffice works while the caller writes the
    XLSX): a child process, no thread. Holds its slot from start() until result() or discard()."""

    def __init__(self, docx: Path, out_dir: Path) -> None:
        self.docx, self.out_dir = docx, out_dir
        self.proc: subprocess.Popen[str] | None = None
        self._slot: Any = None

    def start(self) -> Conversion:
        exe = soffice()
        if exe is None:
            raise RuleError(MISSING, field="formats")
        self._slot = soffice_slot()
        profile = self._slot.__enter__()
        cmd = [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(self.out_dir),
            str(self.docx),
        ]
        try:
            self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except BaseException:
            self._release()
            raise
        return self

    def result(self) -> Path:
        assert self.proc is not None
        try:
            out, err = self.proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired as e:
            self.proc.kill()
            self.proc.communicate()
            raise RuleError(f"LibreOffice không xuất được PDF sau {TIMEOUT_S} giây.", field="formats") from e
        finally:
            self._release()
        pdf = self.out_dir / (self.docx.stem + ".pdf")
        if self.proc.returncode != 0 or not pdf.exists():
            raise RuleError(f"LibreOffice không xuất được PDF: {(err or out).strip()[:300]}", field="formats")
        return pdf

    def discard(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()
        self._release()
        (self.out_dir / (self.docx.stem + ".pdf")).unlink(missing_ok=True)

    def _release(self) -> None:
        if self._slot is not None:
            slot, self._slot = self._slot, None
            slot.__exit__(None, None, None)


def render_pdf(docx: Path, out_dir: Path) -> Path:
    return Conversion(docx, out_dir).start().result()
