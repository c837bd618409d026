"""Through the web, an upload is only stored and bounded in the request: a hostile file is refused there with a
Vietnamese message naming it, and reading and validating a file is a background job the preview polls
(issue 13: the preview validated a 3 MB file inside the request, 2 GB in 2 s)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from fixtures import hostile_files as hostile

from dangvu.imports import limits
from dangvu.jobs import files
from dangvu.jobs.models import Job
from dangvu.web import jobs

pytestmark = pytest.mark.django_db


def post(c: Any, path: Path) -> Any:
    return c.post("/nhap/", {"file": SimpleUploadedFile(path.name, path.read_bytes())}, follow=True)


def test_a_zip_bomb_is_refused_at_upload_naming_the_file_and_nothing_is_kept(
    cast: Any, tmp_path: Path, settings
) -> None:
    settings.DANGVU_IMPORT_LIMITS = {"inflated_bytes": 16 * limits.MB}
    page = post(cast.client("canbo"), hostile.zip_bomb(tmp_path / "bom.xlsx", 32 * limits.MB)).content.decode()
    assert "Tệp bom.xlsx: giải nén ra 32 MB, quá giới hạn 16 MB" in page
    assert not files.storage().exists("uploads") or files.storage().listdir("uploads") == ([], [])
    assert not Job.objects.exists()


def test_a_non_zip_upload_is_refused_in_vietnamese(cast: Any, tmp_path: Path) -> None:
    page = post(cast.client("canbo"), hostile.not_a_zip(tmp_path / "bang.xlsx")).content.decode()
    assert "Tệp bang.xlsx: không phải tệp Excel .xlsx" in page and "Zip" not in page


def test_an_upload_over_the_size_limit_is_refused_before_it_is_stored(cast: Any, tmp_path: Path, settings) -> None:
    settings.DANGVU_IMPORT_LIMITS = {"upload_bytes": limits.MB}
    path = tmp_path / "lon.xlsx"
    path.write_bytes(bytes(2 * limits.MB))
    page = post(cast.client("canbo"), path).content.decode()
    assert "Tệp lon.xlsx: dài hơn giới hạn 1 MB của một tệp nhập" in page


def test_the_upload_request_never_validates_the_file(cast: Any, tmp_path: Path, settings, monkeypatch) -> None:
    """The request stores the file and queues its check; the preview polls the job until a worker has run it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, never run here
    monkeypatch.setattr(jobs, "validate", lambda *a, **k: pytest.fail("validated inside the request"))
    c = cast.client("canbo")
    path = hostile.far_cell(tmp_path / "hop-le.xlsx", 3)
    r = c.post("/nhap/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert r.status_code == 302
    job = Job.objects.get()
    assert job.handler == jobs.CHECK and job.state == Job.State.QUEUED
    assert files.storage().exists(job.params["file"]) and job.params["name"] == "hop-le.xlsx"
    Job.objects.filter(pk=job.pk).update(state="running", percent=10, message="Đang đọc…", heartbeat_at=timezone.now())
    page = c.get(r["Location"]).content.decode()
    assert 'id="check"' in page and "hx-trigger" in page and "Đang đọc" in page
