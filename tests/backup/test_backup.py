"""Backup and restore (issue 13, item 8): `dangvu backup PATH` writes one archive holding a consistent copy of the
database and the files the application keeps under var/, with a manifest; `dangvu restore PATH` verifies the
archive whole before it touches anything and checks counts and checksums after.

The database copy is taken and put back by other connections (SQLite's backup API, pg_dump and psql), which see
only committed rows: the tests run outside a transaction (django_db(transaction=True)).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from dangvu.audit.models import AuditEntry
from dangvu.audit.sentences import sentence
from dangvu.audit.services import Actor
from dangvu.backup import database
from dangvu.backup.services import BackupError, backup_create, backup_restore
from dangvu.members.models import Member, MemberEvent

D = dt.date
ADMIN = Actor("quản trị hệ thống")
pytestmark = pytest.mark.django_db(transaction=True)

# What the application keeps under var/ (in the archive) and what it does not (left out).
KEPT = {
    "uploads/5f2a.xlsx": b"PK\x03\x04 an uploaded workbook \x00\xff",
    "uploads/5f2a.name": "Danh sách đảng viên.xlsx".encode(),
    "reports/u1/H-annual-2024.docx": b"a generated report " * 100,
    "media/anh/chan-dung.png": b"\x89PNG...",
}
LEFT_OUT = {
    "node/lib/x.js": b"cache",
    "static/web/app.css": b"body{}",
    "jobs/1234.json": b"{}",
    "test.sqlite3": b"SQLite format 3\x00",
    "screenshots/a.png": b"png",
}


@pytest.fixture
def var(tmp_path: Path, settings: Any) -> Path:
    root = tmp_path / "var"
    for name, data in {**KEPT, **LEFT_OUT}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    settings.VAR_DIR = root
    return root


@pytest.fixture
def records(district: Any, make_member: Any, django_user_model: Any) -> list[Member]:
    django_user_model.objects.create_user("quantri", password="x")
    return [
        make_member(district.b1, D(2010, 3, 1), name="Nguyễn Văn An"),
        make_member(district.b2, D(2015, 6, 1), name="Trần Thị Bình"),
    ]


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _members() -> list[tuple[str, str, int]]:
    return [(m.code, m.full_name, m.events.count()) for m in Member.objects.order_by("code")]


def _empty_the_database_and_var(var: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for d in ("uploads", "reports", "media"):
        for p in sorted((var / d).rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
    assert not database.non_empty_tables()


def _round_trip(var: Path, tmp_path: Path, records: list[Member]) -> None:
    counts = database.table_counts()
    members = _members()
    kept = {k: v for k, v in _hashes(var).items() if k in KEPT}

    made = backup_create(path=tmp_path / "dangvu.tar.gz", actor=ADMIN)
    assert made.manifest.tables == counts
    with tarfile.open(made.path) as tar:
        names = set(tar.getnames())
    assert names == {"manifest.json", made.manifest.database, *(f"files/{k}" for k in KEPT)}
    entry = AuditEntry.objects.get(action="backup_create")
    assert entry.after["sha256"] == hashlib.sha256(made.path.read_bytes()).hexdigest()

    _empty_the_database_and_var(var)
    assert Member.objects.count() == 0

    result = backup_restore(path=made.path, actor=ADMIN)
    after = database.table_counts()
    # every table as it was, plus the restore's own audit entry (the backup's entry came after the copy)
    assert after == {**counts, "audit_auditentry": counts["audit_auditentry"] + 1}
    assert _members() == members and len(members) == 2
    assert {k: v for k, v in _hashes(var).items() if k in KEPT} == kept
    assert result.set_aside is None and not result.migrated
    restored = AuditEntry.objects.order_by("-id")[0]
    assert restored.action == "backup_restore"
    assert sentence(restored).startswith(
        "Quản trị hệ thống khôi phục cơ sở dữ liệu từ bản sao lưu “dangvu.tar.gz” lập lúc "
    )
    assert not list(var.glob(".restore-*")) and not list(var.glob(".backup-*"))


def test_a_sqlite_round_trip_gives_back_every_row_and_every_kept_file(
    var: Path, tmp_path: Path, records: list[Member]
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: the PostgreSQL round trip is its own test")
    _round_trip(var, tmp_path, records)


@pytest.mark.postgres_only
def test_a_postgresql_round_trip_gives_back_every_row_and_every_kept_file(
    var: Path, tmp_path: Path, records: list[Member]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: pg_dump and pg_restore")
    _round_trip(var, tmp_path, records)


def test_the_archive_carries_a_manifest_with_counts_checksums_schema_date_and_version(
    var: Path, tmp_path: Path, records: list[Member]
) -> None:
    made = backup_create(path=tmp_path, actor=ADMIN)  # a directory: a dated name inside it
    assert made.path.parent == tmp_path and made.path.name.startswith("dangvu-") and made.path.suffix == ".gz"
    with tarfile.open(made.path) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        upload = tar.extractfile("files/uploads/5f2a.xlsx").read()  # type: ignore[union-attr]
    assert manifest["tables"]["members_member"] == 2
    assert manifest["files"]["files/uploads/5f2a.xlsx"]["sha256"] == hashlib.sha256(upload).hexdigest()
    assert ["members", "0001_initial"] in manifest["migrations"]
    assert manifest["created_at"].startswith(str(dt.date.today().year)) and manifest["dangvu_version"]
    assert made.path.stat().st_mode & 0o077 == 0  # citizen IDs inside: the owner's alone


def _rewrite(archive: Path, out: Path, change: Any) -> Path:
    """A copy of the archive with change(name, bytes) applied to each member (the manifest included)."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            data = change(member.name, src.extractfile(member).read())  # type: ignore[union-attr]
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


def _state(var: Path) -> tuple[dict[str, int], list[tuple[str, str, int]], dict[str, str]]:
    return database.table_counts(), _members(), _hashes(var)


def test_a_corrupted_archive_is_refused_and_nothing_changes(var: Path, tmp_path: Path, records: list[Member]) -> None:
    made = backup_create(path=tmp_path / "b.tar.gz", actor=ADMIN)
    MemberEvent.objects.filter(member=records[1]).delete()  # the database moves on after the backup
    Member.objects.filter(pk=records[1].pk).delete()
    (var / "uploads" / "later.xlsx").write_bytes(b"uploaded after the backup")
    before = _state(var)

    raw = bytearray(made.path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(bytes(raw))
    with pytest.raises(BackupError) as refused:
        backup_restore(path=broken, actor=ADMIN, force=True)
    assert f"Tệp sao lưu {broken} bị hỏng" in refused.value.message
    assert "không khôi phục gì" in refused.value.message
    assert _state(var) == before
    assert not list(var.glob(".restore-*"))

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(made.path.read_bytes()[: made.size // 3])
    with pytest.raises(BackupError, match="bị hỏng"):
        backup_restore(path=truncated, actor=ADMIN, force=True)
    assert _state(var) == before


def test_a_file_changed_inside_the_archive_is_refused_by_its_checksum_naming_it(
    var: Path, tmp_path: Path, records: list[Member]
) -> None:
    made = backup_create(path=tmp_path / "b.tar.gz", actor=ADMIN)
    before = _state(var)
    tampered = _rewrite(
        made.path,
        tmp_path / "tampered.tar.gz",
        lambda name, data: b"=HYPERLINK()" if name == "files/uploads/5f2a.xlsx" else data,
    )
    with pytest.raises(BackupError) as refused:
        backup_restore(path=tampered, actor=ADMIN, force=True)
    assert "không khớp bản kê: tệp «files/uploads/5f2a.xlsx» khác bản kê" in refused.value.message
    assert _state(var) == before


def test_a_file_slipped_into_the_archive_or_a_path_leaving_var_is_refused(
    var: Path, tmp_path: Path, records: list[Member]
) -> None:
    made = backup_create(path=tmp_path / "b.tar.gz", actor=ADMIN)
    before = _state(var)
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(made.path) as src, tarfile.open(evil, "w:gz") as dst:
        for member in src:
            dst.addfile(member, src.extractfile(member))
        info = tarfile.TarInfo("../../outside.txt")
        info.size = 1
        dst.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(BackupError, match=re.escape("«../../outside.txt» không phải một tệp thường")):
        backup_restore(path=evil, actor=ADMIN, force=True)
    assert not (tmp_path.parent / "outside.txt").exists() and _state(var) == before


def test_an_archive_from_a_newer_schema_is_refused(var: Path, tmp_path: Path, records: list[Member]) -> None:
    made = backup_create(path=tmp_path / "b.tar.gz", actor=ADMIN)
    before = _state(var)

    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"].append(["members", "0099_next_year"])
        manifest["dangvu_version"] = "9.0.0"
        return json.dumps(manifest).encode()

    with pytest.raises(BackupError) as refused:
        backup_restore(path=_rewrite(made.path, tmp_path / "newer.tar.gz", newer), actor=ADMIN, force=True)
    assert "lập bằng phiên bản mới hơn (9.0.0)" in refused.value.message
    assert "members.0099_next_year" in refused.value.message
    assert _state(var) == before


def test_a_database_with_records_is_refused_unless_forced_and_forcing_sets_the_old_files_aside(
    var: Path, tmp_path: Path, records: list[Member]
) -> None:
    made = backup_create(path=tmp_path / "b.tar.gz", actor=ADMIN)
    members = _members()
    (var / "uploads" / "later.xlsx").write_bytes(b"uploaded after the backup")
    before = _state(var)
    with pytest.raises(BackupError) as refused:
        backup_restore(path=made.path, actor=ADMIN)
    assert "bảng members_member" in refused.value.message and "--force" in refused.value.message
    assert _state(var) == before

    result = backup_restore(path=made.path, actor=ADMIN, force=True)
    assert _members() == members
    assert not (var / "uploads" / "later.xlsx").exists()
    assert result.set_aside is not None and (result.set_aside / "uploads" / "later.xlsx").exists()
    assert AuditEntry.objects.order_by("-id")[0].after["forced"] is True


def test_an_archive_of_another_database_engine_is_refused_saying_which(
    var: Path, tmp_path: Path, records: list[Member]
) -> None:
    made = backup_create(path=tmp_path / "b.tar.gz", actor=ADMIN)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    names = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
    moved = tmp_path / "other.tar.gz"
    with tarfile.open(made.path) as src, tarfile.open(moved, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            name = names[other] if member.name == made.manifest.database else member.name
            if name == "manifest.json":
                manifest = json.loads(data)
                manifest["engine"] = other
                manifest["files"][names[other]] = manifest["files"].pop(made.manifest.database)
                data = json.dumps(manifest).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="đặt DANGVU_DATABASE_URL tới một cơ sở dữ liệu"):
        backup_restore(path=moved, actor=ADMIN, force=True)


def test_an_existing_file_is_never_overwritten_by_a_backup(var: Path, tmp_path: Path, records: list[Member]) -> None:
    (tmp_path / "b.tar.gz").write_bytes(b"last week's backup")
    with pytest.raises(BackupError, match="đã có: chọn tên khác"):
        backup_create(path=tmp_path / "b.tar.gz", actor=ADMIN)
    assert (tmp_path / "b.tar.gz").read_bytes() == b"last week's backup"
    assert not AuditEntry.objects.filter(action="backup_create").exists()


def test_without_the_postgresql_client_programs_the_message_says_what_to_install(monkeypatch: Any) -> None:
    monkeypatch.setattr(database.shutil, "which", lambda name: None)
    with pytest.raises(BackupError) as refused:
        database.require_tools("pg_dump")
    assert "Không tìm thấy chương trình pg_dump" in refused.value.message
    assert "postgresql-client" in refused.value.message


def test_the_commands_answer_in_vietnamese(var: Path, tmp_path: Path, records: list[Member], capsys: Any) -> None:
    call_command("backup", str(tmp_path / "c.tar.gz"))
    out = capsys.readouterr().out
    assert out.startswith(f"Đã ghi {tmp_path / 'c.tar.gz'} (") and "SHA-256 của tệp sao lưu:" in out
    with pytest.raises(CommandError, match=r"^Không có tệp sao lưu .*x\.tar\.gz\.$"):
        call_command("restore", str(tmp_path / "x.tar.gz"))
    with pytest.raises(CommandError, match="đang có dữ liệu"):
        call_command("restore", str(tmp_path / "c.tar.gz"))
    call_command("restore", "--force", str(tmp_path / "c.tar.gz"))
    out = capsys.readouterr().out
    assert "số dòng và mã SHA-256 khớp bản kê" in out and "được cất vào" in out


@pytest.mark.django_db(transaction=False)
def test_a_backup_inside_an_open_transaction_is_refused_rather_than_waiting(
    var: Path, tmp_path: Path, settings: Any
) -> None:
    with pytest.raises(BackupError, match="đang trong một giao dịch"):
        backup_create(path=tmp_path / "b.tar.gz", actor=ADMIN)
    assert not list(tmp_path.glob("*.tar.gz")) and not list(var.glob(".backup-*"))
