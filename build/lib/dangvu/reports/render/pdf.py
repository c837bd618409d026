"""PDF through LibreOffice headless (STACK_NOTES §5). Each conversion has a profile of its own: the process keeps
one warm profile (a first start spends about a second creating it) and a conversion that finds it busy — another
thread converting — takes a fresh temporary one, so two LibreOffice instances never share a profile."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dangvu.domain.errors import RuleError

TIMEOUT_S = 120


def soffice() -> str | None:
    return os.environ.get("DANGVU_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


MISSING = (
    "Không tìm thấy LibreOffice (soffice) để xuất PDF. Cài bằng 'sh scripts/system-deps.sh' "
    "(libreoffice-writer-nogui và phông chữ fonts-liberation2, fonts-croscore), hoặc bỏ định dạng pdf."
)


_WARM = {"dir": ""}
_WARM_LOCK = threading.Lock()


@contextmanager
def profile_dir() -> Iterator[str]:
    if _WARM_LOCK.acquire(blocking=False):
        try:
            if not _WARM["dir"] or not Path(_WARM["dir"]).exists():
                _WARM["dir"] = tempfile.mkdtemp(prefix="dangvu-lo-warm-")
            yield _WARM["dir"]
        finally:
            _WARM_LOCK.release()
    else:
        with tempfile.TemporaryDirectory(prefix="dangvu-lo-") as fresh:
            yield fresh


def render_pdf(docx: Path, out_dir: Path) -> Path:
    exe = soffice()
    if exe is None:
        raise RuleError(MISSING, field="formats")
    with profile_dir() as profile:
        cmd = [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as e:
            raise RuleError(f"LibreOffice không xuất được PDF sau {TIMEOUT_S} giây.", field="formats") from e
    pdf = out_dir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise RuleError(
            f"LibreOffice không xuất được PDF: {(done.stderr or done.stdout).strip()[:300]}", field="formats"
        )
    return pdf
