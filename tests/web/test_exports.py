"""The list exports as jobs of the queue (issue 14, item 3): the button starts a job, the job re-runs the list's
search as its owner, the file is the owner's alone, the audit entry commits with the job's result."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from fixtures.exports import exported, start, workbook_bytes

from dangvu.audit.models import AuditEntry
from dangvu.jobs.models import Job
from dangvu.web import jobs

pytestmark = pytest.mark.django_db


def _cells(response: Any) -> list[str]:
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(response))).active
    assert ws is not None
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize("url", ["/dang-vien/xuat/", "/cong-tac/ky-luat/xuat/"])
def test_no_one_but_the_owner_fetches_the_export_or_sees_its_job(cast: Any, url: str) -> None:
    r, link = exported(cast.client("canbo"), url)
    assert r.status_code == 200
    job_page = link.removesuffix("tai/")
    for persona in ("kiemtra", "canbo_khac", "bithu", "quantri"):
        c = cast.client(persona)
        assert c.get(link).status_code == 404, persona
        assert c.get(job_page).status_code == 404, persona
    assert cast.client("canbo").get("/xuat/" + "0" * 32 + "/tai/").status_code == 404


def test_the_job_page_polls_then_offers_the_file_in_vietnamese(cast: Any) -> None:
    c = cast.client("canbo")
    r = start(c, "/dang-vien/xuat/", {"q": "an"})
    page = c.get(r["Location"]).content.decode()
    assert "Xuất danh sách" in page and "Danh sách đảng viên tại ngày" in page
    assert "Tải tệp Excel" in page and "/dang-vien/?q=an" in page
    fragment = c.get(r["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'id="job"' in fragment and "Tải tệp Excel" in fragment and "<html" not in fragment


def test_the_member_export_runs_as_its_owner_in_their_scope(cast: Any) -> None:
    """The job re-runs the search as the person who started it: another district's staff get their own members,
    never H's, whatever the query string asks."""
    r, _ = exported(cast.client("canbo_khac"), "/dang-vien/xuat/")
    cells = _cells(r)
    assert "Hoàng Thị Én" in cells and "Nguyễn Văn An" not in cells and "Trần Thị Bình" not in cells
    assert start(cast.client("canbo_khac"), "/dang-vien/xuat/", {"org": "H"}).status_code == 404
    job = Job.objects.filter(owner_id=cast.users["canbo_khac"].pk, handler=jobs.MEMBER_EXPORT).first()
    assert job is not None and job.actor_label == "canbo_khac"
    # A branch secretary's export is their branch: An and Bình, not Chi (B2) nor Dũng (A).
    cells = _cells(exported(cast.client("bithuchibo"), "/dang-vien/xuat/")[0])
    assert "Nguyễn Văn An" in cells and "Trần Thị Bình" in cells
    assert "Lê Minh Chi" not in cells and "Phạm Văn Dũng" not in cells


def test_an_export_whose_owner_lost_the_scope_fails_in_words_and_audits_nothing(cast: Any) -> None:
    """The owner's scope is checked again when the job runs (here: the job's query names an organization out of their
    scope, as when a grant ended between the click and the run)."""
    owner = cast.users["canbo_khac"]
    job = jobs.start_member_export(owner, query="org=B1", on=_day())
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error == jobs.EXPORT_REFUSED and not job.result
    assert not AuditEntry.objects.filter(action="member_export").exists()


def _day() -> Any:
    from dangvu.members.services import today

    return today()


def test_the_audit_entry_commits_with_the_jobs_result_or_not_at_all(cast: Any, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> str:
        raise OSError("disk full")

    monkeypatch.setattr("django.core.files.storage.FileSystemStorage.save", broken)
    r = start(cast.client("kiemtra"), "/cong-tac/ky-luat/xuat/")
    job = Job.objects.get(owner_id=cast.users["kiemtra"].pk, handler=jobs.WORK_EXPORT)
    assert r.status_code == 302 and job.state == Job.State.FAILED and not job.result
    assert not AuditEntry.objects.filter(action="records_export").exists()
    page = cast.client("kiemtra").get(r["Location"]).content.decode()
    assert "Không thành công" in page and "Tải tệp" not in page
