"""`backup_create` and `backup_restore`: the archive out and back in, each audited (docs/operations.md).

The archive (.tar.gz, or .tar when the name says so) holds the database copy (database.sqlite3 or
database.pgdump), the files under var/ that the application keeps (settings.DANGVU_BACKUP_DIRS: uploaded imports,
generated reports, media; never caches, static files, var/node or test databases) under files/, and manifest.json
(manifest.py). Restore checks every byte against the manifest and the schema against the code before it touches
the database or var/; the files it replaces are set aside under var/.before-restore-*/, never deleted.
"""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.metadata
import os
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from dangvu.audit.services import Actor, audit
from dangvu.domain.vietnamese import fmt_int

from . import database
from .database import BackupError
from .manifest import (
    CHUNK,
    FILES_PREFIX,
    MANIFEST,
    FileEntry,
    HashingReader,
    Manifest,
    ManifestError,
    copy_hashing,
    describe,
    safe_member_name,
)

__all__ = ["BackupError", "BackupResult", "RestoreResult", "backup_create", "backup_restore"]

# What the directories' defaults are, and why, is in settings.py beside DANGVU_BACKUP_DIRS.


def var_dir() -> Path:
    return Path(settings.VAR_DIR)


# Staging directories under var/: `.backup-PID-…` (the database copy before it goes into the archive) and
# `.restore-PID-…` (the unpacked archive). Both hold citizen IDs; tempfile.mkdtemp makes them mode 0700. A run
# killed with SIGKILL cannot remove its own, so every backup and restore first removes those whose process is
# gone (the PID in the name; a directory without one, from an older version, is always stale).
STAGING_PREFIXES = (".backup-", ".restore-")


def _staging(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=var_dir()))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def clear_stale_staging() -> list[Path]:
    """Remove the staging directories left under var/ by killed backups and restores; returns what it removed.
    A directory of a process still running (another backup at this moment) is left alone."""
    root = var_dir()
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for d in sorted(root.iterdir()):
        prefix = next((p for p in STAGING_PREFIXES if d.name.startswith(p)), None)
        if prefix is None or not d.is_dir() or d.is_symlink():
            continue
        pid_text = d.name[len(prefix) :].split("-", 1)[0]
        if pid_text.isdigit() and (int(pid_text) == os.getpid() or _alive(int(pid_text))):
            continue
        shutil.rmtree(d, ignore_errors=True)
        removed.append(d)
    return removed


def backup_dirs() -> list[str]:
    dirs = [d.strip() for d in settings.DANGVU_BACKUP_DIRS if d.strip()]
    for d in dirs:
        if not safe_member_name(d) or "/" in d or d.startswith("."):
            raise BackupError(f"DANGVU_BACKUP_DIRS: '{d}' phải là tên một thư mục ngay dưới var/.")
    return dirs


def _version() -> str:
    try:
        return importlib.metadata.version("dangvu")
    except importlib.metadata.PackageNotFoundError:
        return "không rõ"


def _sha256(path: Path) -> FileEntry:
    with path.open("rb") as f:
        return copy_hashing(f)


def _kept_files(root: Path, name: str) -> list[tuple[Path, str]]:
    """(path, name in the archive) of every regular file under var/<name>; symbolic links are not followed."""
    base = root / name
    if not base.is_dir():
        return []
    out = []
    for p in sorted(base.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out.append((p, f"{FILES_PREFIX}/{name}/{p.relative_to(base).as_posix()}"))
    return out


# ---------------------------------------------------------------- backup


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    sha256: str
    size: int


def _target(path: Path, now: dt.datetime) -> Path:
    if path.is_dir():
        return path / f"dangvu-{now:%Y%m%d-%H%M%S}.tar.gz"
    if path.exists():
        raise BackupError(f"Tệp {path} đã có: chọn tên khác (bản sao lưu cũ không bị ghi đè).")
    if not path.parent.is_dir():
        raise BackupError(f"Không có thư mục {path.parent} để ghi tệp sao lưu {path.name}.")
    return path


def backup_create(*, path: Path | str, actor: Actor) -> BackupResult:
    """Write one archive at path (a file name, or an existing directory for a dated name inside it)."""
    now = timezone.localtime()
    target = _target(Path(path), now)
    dirs = backup_dirs()
    engine = database.engine()
    database.connect()
    root = var_dir()
    clear_stale_staging()
    staging = _staging(".backup-")
    partial = target.with_name(f".{target.name}.part")
    try:
        db_file = staging / ("database.sqlite3" if engine == "sqlite" else "database.pgdump")
        tables, migrations = database.dump(db_file)
        manifest = Manifest(
            created_at=now.isoformat(timespec="seconds"),
            dangvu_version=_version(),
            engine=engine,
            actor=actor.label,
            tables=tables,
            migrations=migrations,
            dirs=dirs,
        )
        # gzip level 6 (gzip's own default): tarfile's 9 took 2.4 times the CPU for a 1% smaller demo archive.
        gz: dict[str, Any] = {} if target.name.endswith(".tar") else {"compresslevel": 6}
        with tarfile.open(partial, "w:gz" if gz else "w", **gz) as tar:
            for src, name in [(db_file, manifest.database), *(f for d in dirs for f in _kept_files(root, d))]:
                info = tarfile.TarInfo(name)
                st = src.stat()
                info.size, info.mtime, info.mode = st.st_size, int(st.st_mtime), 0o600
                with src.open("rb") as f:
                    reader = HashingReader(f)
                    tar.addfile(info, reader)  # type: ignore[arg-type]
                manifest.files[name] = reader.entry()
            data = manifest.to_json().encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            tar.addfile(info, _BytesReader(data))  # type: ignore[arg-type]
        os.chmod(partial, 0o600)  # the archive holds citizen IDs: readable by its owner only
        partial.replace(target)
    except OSError as e:
        raise BackupError(f"Không ghi được tệp sao lưu {target}: {e.strerror or e}.") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        partial.unlink(missing_ok=True)
    whole = _sha256(target)
    with transaction.atomic():
        audit(
            actor=actor,
            action="backup_create",
            object_type="backup",
            object_id=target.name[:40],
            after={"file": str(target), "sha256": whole.sha256, "bytes": whole.size, **describe(manifest)},
        )
    return BackupResult(target, manifest, whole.sha256, whole.size)


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n < 0 else self.pos + n
        chunk, self.pos = self.data[self.pos : end], min(end, len(self.data))
        return chunk


# ---------------------------------------------------------------- restore


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    set_aside: Path | None  # where the files replaced were moved, if any
    migrated: bool  # the archive's schema was older: `migrate` brought it to this version's


def _check_compression(archive: Path) -> None:
    """Read a gzip archive to its end first: tarfile stops quietly at a damaged header, and the gzip checksum
    (CRC-32 of the whole stream) is only checked at the end of the stream."""
    with archive.open("rb") as f:
        if f.read(2) != b"\x1f\x8b":
            return
    with gzip.open(archive, "rb") as z:
        while z.read(CHUNK):
            pass


def _unpack(archive: Path, staging: Path) -> dict[str, FileEntry]:
    """Every member of the archive into staging, hashed on the way; refuses what is not a plain file inside it."""
    got: dict[str, FileEntry] = {}
    current = ""
    try:
        _check_compression(archive)
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                current = member.name
                if not member.isfile() or not safe_member_name(member.name):
                    raise BackupError(
                        f"Tệp sao lưu {archive}: mục «{member.name}» không phải một tệp thường nằm trong bản sao "
                        "lưu; không khôi phục gì."
                    )
                if member.name in got:
                    raise BackupError(f"Tệp sao lưu {archive}: mục «{member.name}» xuất hiện hai lần.")
                out = staging / member.name
                out.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(member)
                assert src is not None  # a regular file always has a body
                with out.open("wb") as f:
                    got[member.name] = copy_hashing(src, f)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as e:
        where = f" (hỏng từ mục «{current}»)" if current else ""
        raise BackupError(
            f"Tệp sao lưu {archive} bị hỏng hoặc không phải tệp sao lưu{where}: không giải nén được; "
            "không khôi phục gì."
        ) from e
    except OSError as e:
        raise BackupError(f"Không đọc được tệp sao lưu {archive}: {e.strerror or e}.") from None
    return got


def _verify(archive: Path, staging: Path, got: dict[str, FileEntry]) -> Manifest:
    if MANIFEST not in got:
        raise BackupError(f"Tệp sao lưu {archive} không có bản kê {MANIFEST}: không khôi phục gì.")
    try:
        manifest = Manifest.from_json((staging / MANIFEST).read_bytes())
    except ManifestError as e:
        raise BackupError(f"Tệp sao lưu {archive}: {e}; không khôi phục gì.") from None
    problems = []
    for name, want in sorted(manifest.files.items()):
        have = got.get(name)
        if have is None:
            problems.append(f"thiếu tệp «{name}»")
        elif have != want:
            problems.append(f"tệp «{name}» khác bản kê (mã SHA-256 hoặc kích thước không khớp)")
    extra = sorted(set(got) - set(manifest.files) - {MANIFEST})
    problems += [f"tệp «{n}» không có trong bản kê" for n in extra]
    if manifest.database not in manifest.files:
        problems.append(f"bản kê không ghi tệp cơ sở dữ liệu «{manifest.database}»")
    outside = [n for n in manifest.files if n != manifest.database and n.split("/")[:2] not in (
        [FILES_PREFIX, d] for d in manifest.dirs
    )]  # fmt: skip
    problems += [f"tệp «{n}» nằm ngoài các thư mục được sao lưu" for n in outside]
    if problems:
        shown = "; ".join(problems[:5]) + (f"; và {fmt_int(len(problems) - 5)} lỗi khác" if len(problems) > 5 else "")
        raise BackupError(f"Tệp sao lưu {archive} không khớp bản kê: {shown}. Không khôi phục gì.")
    for d in manifest.dirs:
        if not safe_member_name(d) or "/" in d or d.startswith("."):
            raise BackupError(f"Tệp sao lưu {archive}: thư mục «{d}» trong bản kê không hợp lệ.")
    return manifest


def _check_target(archive: Path, manifest: Manifest, *, force: bool) -> None:
    engine = database.engine()
    database.connect()
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    if manifest.engine != engine:
        raise BackupError(
            f"Tệp sao lưu {archive} chép từ cơ sở dữ liệu {names[manifest.engine]}, cơ sở dữ liệu đang dùng là "
            f"{names[engine]}: đặt DANGVU_DATABASE_URL tới một cơ sở dữ liệu {names[manifest.engine]} rồi chạy lại."
        )
    newer = sorted(set(manifest.migrations) - database.known_migrations())
    if newer:
        listed = ", ".join(f"{a}.{n}" for a, n in newer[:3]) + ("…" if len(newer) > 3 else "")
        raise BackupError(
            f"Tệp sao lưu {archive} lập bằng phiên bản mới hơn ({manifest.dangvu_version}) với {fmt_int(len(newer))} "
            f"bước cấu trúc dữ liệu mà phiên bản này ({_version()}) chưa có ({listed}): cài phiên bản mới hơn rồi "
            "khôi phục. Không khôi phục gì."
        )
    if engine == "postgresql":
        database.require_tools("pg_restore", "psql")
    if force:
        return
    occupied = [f"bảng {t}" for t in database.non_empty_tables()]
    occupied += [f"thư mục var/{d}" for d in manifest.dirs if any(p.is_file() for p in (var_dir() / d).rglob("*"))]
    if occupied:
        shown = ", ".join(occupied[:5]) + (f" và {fmt_int(len(occupied) - 5)} mục khác" if len(occupied) > 5 else "")
        raise BackupError(
            f"Cơ sở dữ liệu hoặc thư mục var/ đang có dữ liệu ({shown}). Khôi phục vào một cơ sở dữ liệu trống, "
            "hoặc thêm --force để thay toàn bộ dữ liệu hiện có bằng bản sao lưu (các tệp bị thay được cất vào "
            "var/.before-restore-…). Không khôi phục gì."
        )


def _place_files(staging: Path, manifest: Manifest, now: dt.datetime) -> Path | None:
    """var/<dir> becomes the archive's; what was there is moved aside, never deleted."""
    root = var_dir()
    aside = root / f".before-restore-{now:%Y%m%d-%H%M%S}"
    used = False
    for d in manifest.dirs:
        live = root / d
        if live.exists() or live.is_symlink():
            if live.is_dir() and not live.is_symlink() and not any(live.iterdir()):
                live.rmdir()
            else:
                aside.mkdir(exist_ok=True)
                live.rename(aside / d)
                used = True
        restored = staging / FILES_PREFIX / d
        if restored.is_dir():
            restored.rename(live)
    return aside if used else None


def backup_restore(*, path: Path | str, actor: Actor, force: bool = False) -> RestoreResult:
    """Verify the archive whole, then replace the database and the kept files under var/ by its copy, check the
    counts and the checksums, bring an older schema up to date, and write the audit entry in the restored database."""
    archive = Path(path)
    if not archive.is_file():
        raise BackupError(f"Không có tệp sao lưu {archive}.")
    now = timezone.localtime()
    clear_stale_staging()
    staging = _staging(".restore-")
    try:
        got = _unpack(archive, staging)
        manifest = _verify(archive, staging, got)
        _check_target(archive, manifest, force=force)
        # ---- from here on the database and var/ change
        database.load(staging / manifest.database, manifest.engine)
        counts = database.table_counts()
        if counts != manifest.tables:
            wrong = sorted(t for t in set(counts) | set(manifest.tables) if counts.get(t) != manifest.tables.get(t))
            t = wrong[0]
            raise BackupError(
                f"Sau khi khôi phục từ {archive}, bảng {t} có {fmt_int(counts.get(t, 0))} dòng, bản kê ghi "
                f"{fmt_int(manifest.tables.get(t, 0))} ({fmt_int(len(wrong))} bảng không khớp). Khôi phục lại, "
                "hoặc dùng một bản sao lưu khác."
            )
        set_aside = _place_files(staging, manifest, now)
        for name, want in manifest.files.items():
            if name == manifest.database:
                continue
            placed = var_dir() / name.removeprefix(FILES_PREFIX + "/")
            if not placed.is_file() or _sha256(placed) != want:
                raise BackupError(f"Sau khi khôi phục từ {archive}, tệp var/{placed.relative_to(var_dir())} khác "
                                  "bản kê. Khôi phục lại.")  # fmt: skip
        migrated = bool(database.known_migrations() - set(manifest.migrations))
        if migrated:
            call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic():
            audit(
                actor=actor,
                action="backup_restore",
                object_type="backup",
                object_id=archive.name[:40],
                after={
                    "file": str(archive),
                    "sha256": _sha256(archive).sha256,
                    "forced": force,
                    "set_aside": str(set_aside) if set_aside else "",
                    "migrated": migrated,
                    **describe(manifest),
                },
            )
        return RestoreResult(manifest, set_aside, migrated)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
