"""Import (upload → preview with row errors → apply as a job) and reports (start → progress → download), in scope."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fixtures.import_files import branch_workbook

pytestmark = pytest.mark.django_db


def upload(c: Any, path: Path) -> Any:
    f = SimpleUploadedFile(path.name, path.read_bytes())
    return c.post("/nhap/", {"file": f}, follow=True)


def test_a_file_with_an_error_is_previewed_with_its_row_and_nothing_is_written(cast: Any, tmp_path: Path) -> None:
    from dangvu.members.models import Member

    page = upload(cast.client("canbo"), branch_workbook(tmp_path / "sai.xlsx", birth="31/02/1990")).content.decode()
    assert 'id="import-errors"' in page and "Đảng viên" in page and 'class="problem"' in page
    assert "import-apply" not in page
    assert not Member.objects.filter(code="DV9").exists()


def test_a_good_file_is_applied_as_a_job(cast: Any, tmp_path: Path) -> None:
    from dangvu.members.models import Member

    c = cast.client("canbo")
    page = upload(c, branch_workbook(tmp_path / "dung.xlsx")).content.decode()
    assert 'id="import-ok"' in page
    token = re.search(r"/nhap/([0-9a-f]{32})/ghi/", page).group(1)  # type: ignore[union-attr]
    r = c.post(f"/nhap/{token}/ghi/", follow=True)
    body = r.content.decode()
    assert 'data-state="done"' in body and 'id="job-done"' in body
    assert Member.objects.get(code="DV9").spans.get().organization.code == "B9"
    # The job and the upload belong to who started them.
    job = r.redirect_chain[-1][0].rstrip("/").split("/")[-1]
    assert cast.client("quantri").get(f"/nhap/tien-trinh/{job}/").status_code == 404
    assert cast.client("quantri").get(f"/nhap/{token}/").status_code == 404


def test_a_file_touching_another_subtree_is_refused(cast: Any, tmp_path: Path) -> None:
    page = upload(cast.client("canbo_khac"), branch_workbook(tmp_path / "ngoai.xlsx")).content.decode()
    assert "ngoài phạm vi quản lý" in page and "import-apply" not in page


def test_only_the_administrator_creates_top_level_units(cast: Any, tmp_path: Path) -> None:
    page = upload(cast.client("canbo"), branch_workbook(tmp_path / "dinh.xlsx", parent="")).content.decode()
    assert "chỉ quản trị hệ thống" in page or 'id="import-errors"' in page


def test_the_template_downloads(cast: Any) -> None:
    r = cast.client("canbo").get("/nhap/mau.xlsx")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")


def test_a_report_is_generated_and_downloaded_by_who_asked(cast: Any) -> None:
    from dangvu.jobs.models import Job

    c = cast.client("canbo")
    r = c.post("/bao-cao/", {"org": "H", "kind": "annual", "period": "2025", "formats": ["docx", "xlsx"]})
    job = Job.objects.get(handler="report_draft")
    assert r["Location"] == f"/bao-cao/{job.pk.hex}/" and job.state == "done"
    page = c.get(r["Location"], follow=True)  # a finished job's page is its draft's
    body = page.content.decode()
    assert 'data-state="done"' in body and page.redirect_chain[-1][0].startswith("/bao-cao/van-ban/"), body[-2000:]
    links = [f"/bao-cao/{job.pk.hex}/tai/{Path(n).name}" for n in job.result["files"]]
    assert {Path(u).suffix for u in links} == {".docx", ".xlsx"}
    got = c.get(links[0])
    assert got.status_code == 200 and b"".join(got.streaming_content)[:2] == b"PK"
    assert cast.client("canbo_khac").get(links[0]).status_code == 404
    assert cast.client("kiemtra").get(links[0]).status_code == 404  # someone else's job
    assert cast.client("kiemtra").get(r["Location"]).status_code == 404


def test_a_report_outside_the_scope_is_not_found(cast: Any) -> None:
    r = cast.client("canbo_khac").post(
        "/bao-cao/", {"org": "H", "kind": "annual", "period": "2025", "formats": ["docx"]}
    )
    assert r.status_code == 404
