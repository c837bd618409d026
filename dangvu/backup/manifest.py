"""The archive's manifest: what the archive holds and how to check it (pure Python, no Django).

    manifest.json = {
      "format": "dangvu-backup", "format_version": 1,
      "created_at": "2026-12-05T00:30:00+07:00", "dangvu_version": "0.1.0", "engine": "sqlite" | "postgresql",
      "database": "database.sqlite3" | "database.pgdump",
      "tables": {"members_member": 4512, …},          # rows per table, counted in the copy's own snapshot
      "migrations": [["members", "0001_initial"], …],  # the schema's migration state (django_migrations)
      "dirs": ["uploads", "reports", "media"],         # the directories under var/ the archive stands for
      "files": {"database.sqlite3": {"sha256": "…", "size": 123}, "files/uploads/…": {…}, …}
    }
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

FORMAT = "dangvu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES_PREFIX = "files"
DATABASE_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class ManifestError(ValueError):
    """The manifest is missing, unreadable or not ours: the message is Vietnamese."""


@dataclass
class FileEntry:
    sha256: str
    size: int


@dataclass
class Manifest:
    created_at: str
    dangvu_version: str
    engine: str
    tables: dict[str, int]
    migrations: list[tuple[str, str]]
    dirs: list[str]
    files: dict[str, FileEntry] = field(default_factory=dict)
    actor: str = ""

    @property
    def database(self) -> str:
        return DATABASE_NAMES[self.engine]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": self.created_at,
                "dangvu_version": self.dangvu_version,
                "engine": self.engine,
                "actor": self.actor,
                "database": self.database,
                "tables": dict(sorted(self.tables.items())),
                "migrations": sorted([list(m) for m in self.migrations]),
                "dirs": self.dirs,
                "files": {k: {"sha256": v.sha256, "size": v.size} for k, v in sorted(self.files.items())},
            },
            ensure_ascii=False,
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Manifest:
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError):
            raise ManifestError("bản kê (manifest.json) không đọc được") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ManifestError("đây không phải tệp sao lưu của Đảng vụ")
        if data.get("format_version") != FORMAT_VERSION:
            raise ManifestError(
                f"tệp sao lưu theo định dạng phiên bản {data.get('format_version')}, phiên bản này chỉ đọc được "
                f"định dạng {FORMAT_VERSION}"
            )
        try:
            engine = str(data["engine"])
            if engine not in DATABASE_NAMES:
                raise ManifestError(f"loại cơ sở dữ liệu '{engine}' không được hỗ trợ")
            return cls(
                created_at=str(data["created_at"]),
                dangvu_version=str(data["dangvu_version"]),
                engine=engine,
                actor=str(data.get("actor", "")),
                tables={str(k): int(v) for k, v in data["tables"].items()},
                migrations=[(str(a), str(n)) for a, n in data["migrations"]],
                dirs=[str(d) for d in data["dirs"]],
                files={str(k): FileEntry(str(v["sha256"]), int(v["size"])) for k, v in data["files"].items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ManifestError("bản kê (manifest.json) thiếu mục hoặc sai kiểu dữ liệu") from None


def safe_member_name(name: str) -> bool:
    """A name inside the archive that stays inside the directory it is extracted to (no absolute path, no '..')."""
    p = PurePosixPath(name)
    return bool(name) and not p.is_absolute() and ".." not in p.parts and "\\" not in name and "\x00" not in name


def copy_hashing(src: IO[bytes], dst: IO[bytes] | None = None) -> FileEntry:
    """Copy src to dst (if given), returning the SHA-256 and size of exactly the bytes copied."""
    h = hashlib.sha256()
    size = 0
    while chunk := src.read(CHUNK):
        h.update(chunk)
        size += len(chunk)
        if dst is not None:
            dst.write(chunk)
    return FileEntry(h.hexdigest(), size)


class HashingReader:
    """A file object for tarfile.addfile: reads at most `size` bytes of the source and hashes what it gave, so the
    manifest describes exactly the bytes written into the archive even if the file changes meanwhile."""

    def __init__(self, src: IO[bytes]) -> None:
        self.src = src
        self.hash = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.src.read(n)
        self.hash.update(chunk)
        self.size += len(chunk)
        return chunk

    def entry(self) -> FileEntry:
        return FileEntry(self.hash.hexdigest(), self.size)


def describe(m: Manifest) -> dict[str, Any]:
    """A short summary for messages and the audit log."""
    return {
        "created_at": m.created_at,
        "version": m.dangvu_version,
        "engine": m.engine,
        "tables": len(m.tables),
        "rows": sum(m.tables.values()),
        "files": sum(1 for k in m.files if k.startswith(FILES_PREFIX + "/")),
    }
