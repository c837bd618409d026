"""PDF through LibreOffice headless (STACK_NOTES §5): one conversion per call, its own profile directory so runs
in parallel do not share a profile."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from dangvu.domain.errors import RuleError

TIMEOUT_S = 120


def soffice() -> str | None:
    return os.environ.get("DANGVU_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


MISSING = (
    "Không tìm thấy LibreOffice (soffice) để xuất PDF. Cài bằng 'sh scripts/system-deps.sh' "
    "(libreoffice-writer-nogui và phông chữ fonts-liberation2, fonts-croscore), hoặc bỏ định dạng pdf."
)


def render_pdf(docx: Path, out_dir: Path) -> Path:
    exe = soffice()
    if exe is None:
        raise RuleError(MISSING, field="formats")
    with tempfile.TemporaryDirectory(prefix="dangvu-lo-") as profile:
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
