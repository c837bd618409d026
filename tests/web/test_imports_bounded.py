"""Through the web, an upload is only stored and bounded in the request: a hostile file is refused there with a
Vietnamese message naming it, and reading and validating a file is a background job the preview polls
(issue 13: the preview validated a 3 MB file inside the request, 2 GB in 2 s)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fixtures import hostile_files as hostile

from dangvu.imports import limits
from dangvu.web import jobs
from dangvu.web.views import imports as views

pytestmark = pytest.mark.django_db


def post(c: Any, path: Path) -> Any:
    return c.post("/nhap/", {"file": SimpleUploadedFile(path.name, path.read_bytes())}, follow=True)


def test_a_zip_bomb_is_refused_at_upload_naming_the_file_and_nothing_is_kept(
    cast: Any, tmp_path: Path, settings
) -> None:
    settings.DANGVU_IMPORT_LIMITS = {"inflated_bytes": 16 * limits.MB}
    before = set(views.upload_dir().iterdir())
    page = post(cast.client("canbo"), hostile.zip_bomb(tmp_path / "bom.xlsx", 32 * limits.MB)).content.decode()
    assert "Tệp bom.xlsx: giải nén ra 32 MB, quá giới hạn 16 MB" in page
    assert set(views.upload_dir().iterdir()) == before


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
    settings.DANGVU_JOBS_INLINE = False
    started: list[Any] = []
    monkeypatch.setattr(jobs, "start", lambda owner, work: started.append(work) or "0" * 32)
    monkeypatch.setattr(views, "validate", lambda *a, **k: pytest.fail("validated inside the request"))
    c = cast.client("canbo")
    path = hostile.far_cell(tmp_path / "hop-le.xlsx", 3)
    r = c.post("/nhap/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert r.status_code == 302 and len(started) == 1
    jobs.write_status("0" * 32, owner=cast.users["canbo"].pk, state="running", percent=10, message="Đang đọc…")
    page = c.get(r["Location"]).content.decode()
    assert 'id="check"' in page and "hx-trigger" in page and "Đang đọc" in page
