"""A backup or restore killed with SIGKILL leaves its staging directory under var/ (the unpacked archive: citizen
IDs included). The next backup or restore removes those of processes that are gone and leaves a running one's
alone; staging directories are readable by their owner only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dangvu.backup import services
from dangvu.backup.services import backup_create, clear_stale_staging


@pytest.fixture
def var(tmp_path: Path, settings: Any) -> Path:
    root = tmp_path / "var"
    (root / "uploads").mkdir(parents=True)
    settings.VAR_DIR = root
    return root


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def _left(var: Path, name: str) -> Path:
    d = var / name
    (d / "files" / "uploads").mkdir(parents=True)
    (d / "database.sqlite3").write_bytes(b"SQLite format 3\x00 001080001234")
    return d


def test_staging_left_by_a_killed_run_is_removed_and_a_running_ones_is_kept(var: Path) -> None:
    dead = _dead_pid()
    killed_restore = _left(var, f".restore-{dead}-abc123")
    killed_backup = _left(var, f".backup-{dead}-def456")
    older_version = _left(var, ".restore-q8x_1z")  # the name before the PID was in it
    running = _left(var, f".restore-{os.getppid()}-ghi789")  # a live process (this test's parent)
    other = var / ".before-restore-20261205-010000"  # files set aside by a forced restore: never removed
    other.mkdir()
    removed = clear_stale_staging()
    assert sorted(removed) == sorted([killed_restore, killed_backup, older_version])
    assert not killed_restore.exists() and not killed_backup.exists() and not older_version.exists()
    assert running.is_dir() and other.is_dir() and (var / "uploads").is_dir()


@pytest.mark.django_db(transaction=True)
def test_a_backup_clears_what_a_killed_run_left_and_stages_in_a_private_directory(
    var: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    left = _left(var, f".restore-{_dead_pid()}-abc123")
    modes: list[int] = []
    real = services._staging

    def watched(prefix: str) -> Path:
        d = real(prefix)
        modes.append(stat.S_IMODE(d.stat().st_mode))
        assert d.name.startswith(f"{prefix}{os.getpid()}-")
        return d

    monkeypatch.setattr(services, "_staging", watched)
    backup_create(path=tmp_path / "b.tar.gz", actor=services.Actor("kiểm thử"))
    assert not left.exists()
    assert modes == [0o700]
    assert not [p for p in var.iterdir() if p.name.startswith((".restore-", ".backup-"))]
