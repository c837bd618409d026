"""`dangvu prune` (dangvu.jobs.prune): finished jobs and the files they own, old exports and the files of report drafts
go after their days; queued and running jobs, recent ones and issued reports (records) stay; one audit entry a run;
a page or a download of what went says in Vietnamese that it expired — never an error page."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fixtures.exports import exported
from fixtures.races import Meeting, race, together

from dangvu.audit.models import AuditEntry
from dangvu.jobs import files
from dangvu.jobs.models import Job
from dangvu.jobs.prune import Keep, prune
from dangvu.web import jobs

pytestmark = pytest.mark.django_db

NOW = timezone.now()
KEEP = Keep(jobs=30, exports=7, drafts=30, expired=90)


def days_ago(n: float) -> dt.datetime:
    return NOW - dt.timedelta(days=n)


def stored(name: str) -> str:
    return files.storage().save(name, ContentFile(b"PK-test", name=name.rsplit("/", 1)[-1]))


def job(handler: str, state: str, finished: float | None, **kw: Any) -> Job:
    j = Job.objects.create(handler=handler, actor_label="canbo", state=state, **kw)
    at = days_ago(finished) if finished is not None else None
    Job.objects.filter(pk=j.pk).update(finished_at=at, created_at=at or NOW)
    j.refresh_from_db()
    return j


def test_an_export_past_its_seven_days_expires_and_its_workbook_goes() -> None:
    name = stored("exports/u1/danh-sach.xlsx")
    old = job(jobs.MEMBER_EXPORT, Job.State.DONE, 8, result={"file": name, "filename": "danh-sach.xlsx", "rows": 3})
    young = job(jobs.MEMBER_EXPORT, Job.State.DONE, 6, result={"file": stored("exports/u1/b.xlsx"), "rows": 1})
    p = prune(now=NOW, keep=KEEP)
    old.refresh_from_db()
    young.refresh_from_db()
    assert (p.jobs_expired, p.files_deleted) == (1, 1)
    assert (
        old.state == Job.State.EXPIRED and old.result == {} and "Đã hết hạn" in old.message and "7 ngày" in old.message
    )
    assert not files.storage().exists(name)
    assert young.state == Job.State.DONE and files.storage().exists(young.result["file"])


def test_queued_and_running_jobs_are_never_pruned_however_old() -> None:
    upload = stored("uploads/tep-nhap.xlsx")
    queued = job(jobs.CHECK, Job.State.QUEUED, None, params={"file": upload, "name": "a.xlsx"})
    running = job(jobs.APPLY, Job.State.RUNNING, None, params={"file": upload, "name": "a.xlsx"})
    Job.objects.filter(pk__in=[queued.pk, running.pk]).update(created_at=days_ago(400))
    # An old check whose upload a running apply still reads: the check expires, the upload stays.
    check = job(jobs.CHECK, Job.State.DONE, 40, params={"file": upload, "name": "a.xlsx"})
    p = prune(now=NOW, keep=KEEP)
    assert p.jobs_expired == 1 and p.files_deleted == 0 and files.storage().exists(upload)
    states = dict(Job.objects.values_list("pk", "state"))
    assert states == {queued.pk: "queued", running.pk: "running", check.pk: "expired"}


def test_a_finished_import_past_thirty_days_takes_its_upload_with_it() -> None:
    upload = stored("uploads/chi-bo.xlsx")
    check = job(jobs.CHECK, Job.State.DONE, 31, params={"file": upload, "name": "chi-bo.xlsx"})
    failed = job(jobs.APPLY, Job.State.FAILED, 31, params={"file": upload, "name": "chi-bo.xlsx"}, error="Lỗi")
    recent = job(jobs.CHECK, Job.State.DONE, 29, params={"file": stored("uploads/moi.xlsx"), "name": "moi.xlsx"})
    p = prune(now=NOW, keep=KEEP)
    assert (p.jobs_expired, p.files_deleted) == (2, 1)
    assert not files.storage().exists(upload) and files.storage().exists(recent.params["file"])
    assert {Job.objects.get(pk=j.pk).state for j in (check, failed)} == {Job.State.EXPIRED}


def test_an_expired_row_is_deleted_after_its_grace_and_each_run_is_audited_once() -> None:
    gone = job(jobs.CHECK, Job.State.EXPIRED, 30 + 91)
    kept = job(jobs.CHECK, Job.State.EXPIRED, 30 + 89)
    p = prune(now=NOW, keep=KEEP)
    assert p.job_rows_deleted == 1
    assert not Job.objects.filter(pk=gone.pk).exists() and Job.objects.filter(pk=kept.pk).exists()
    entry = AuditEntry.objects.get(action="jobs_prune")
    assert entry.after["job_rows_deleted"] == 1 and entry.after["keep_days"]["exports"] == 7
    prune(now=NOW, keep=KEEP)
    assert AuditEntry.objects.filter(action="jobs_prune").count() == 2


def test_a_dry_run_counts_and_changes_nothing() -> None:
    name = stored("exports/u1/c.xlsx")
    j = job(jobs.WORK_EXPORT, Job.State.DONE, 10, result={"file": name, "rows": 1})
    out = StringIO()
    call_command("prune", dry_run=True, stdout=out)
    assert "Sẽ dọn: 1 công việc hết hạn" in out.getvalue()
    j.refresh_from_db()
    assert j.state == Job.State.DONE and files.storage().exists(name)
    assert not AuditEntry.objects.filter(action="jobs_prune").exists()
    out = StringIO()
    call_command("prune", stdout=out)
    assert "Đã dọn: 1 công việc hết hạn" in out.getvalue() and "1 tệp" in out.getvalue()


def test_an_old_drafts_files_go_an_issued_reports_never(district: Any, actor: Any) -> None:
    from dangvu.reports.models import ReportDocument
    from dangvu.reports.services import report_draft, report_issue

    kw = {"root": district.district, "kind": "annual", "period": "2024", "folder": "reports", "actor": actor}
    draft = report_draft(formats=("json",), **kw)
    issued = report_issue(document=report_draft(formats=("json",), **kw), actor=actor)
    ReportDocument.objects.update(created_at=days_ago(45))
    issued.refresh_from_db()
    assert issued.is_issued and issued.draft_files and issued.files
    p = prune(now=NOW, keep=KEEP)
    assert p.drafts == 1 and p.files_deleted == len(draft.files)
    assert not any(files.storage().exists(n) for n in draft.files)
    assert all(files.storage().exists(n) for n in [*issued.files, *issued.draft_files])
    assert ReportDocument.objects.filter(pk=draft.pk).exists()  # the draft stays, and can still be issued
    again = report_issue(document=draft.pk, actor=actor)
    assert again.is_issued and all(files.storage().exists(n) for n in again.files)


# ---------------------------------------------------------------- what the owner sees


@pytest.fixture
def staff(district: Any, django_user_model: Any, actor: Any) -> Client:
    from dangvu.accounts.models import Role
    from dangvu.accounts.services import grant_role

    user = django_user_model.objects.create_user("canbo", password="mat-khau-kiem-thu")
    grant_role(user=user, role=Role.STAFF, organization=district.district, valid_from=dt.date(2020, 1, 1), actor=actor)
    c = Client()
    c.force_login(user)
    return c


def test_an_expired_exports_page_and_download_say_so_in_vietnamese(staff: Client) -> None:
    r, link = exported(staff, "/dang-vien/xuat/")
    assert r.status_code == 200
    j = Job.objects.get(handler=jobs.MEMBER_EXPORT)
    Job.objects.filter(pk=j.pk).update(finished_at=days_ago(8))
    prune(now=NOW, keep=KEEP)
    page = staff.get(link.removesuffix("tai/")).content.decode()
    assert "Đã hết hạn" in page and "Tải tệp Excel" not in page
    r = staff.get(link)
    body = r.content.decode()
    assert r.status_code == 410 and "Tệp đã hết hạn" in body and "Hãy xuất lại danh sách" in body


def test_a_download_whose_file_went_meanwhile_is_the_expired_page_not_an_error(staff: Client) -> None:
    """The download read the job before the pruning committed; the file is gone when it opens it."""
    r, link = exported(staff, "/dang-vien/xuat/")
    j = Job.objects.get(handler=jobs.MEMBER_EXPORT)
    files.storage().delete(j.result["file"])
    r = staff.get(link)
    assert r.status_code == 410 and "Tệp đã hết hạn" in r.content.decode()


def test_a_report_drafts_page_says_its_files_expired(staff: Client, district: Any, actor: Any) -> None:
    from dangvu.reports.models import ReportDocument
    from dangvu.reports.services import report_draft

    doc = report_draft(
        root=district.district, kind="annual", period="2024", folder="reports", formats=("json",), actor=actor
    )
    ReportDocument.objects.filter(pk=doc.pk).update(created_at=days_ago(31))
    prune(now=NOW, keep=KEEP)
    page = staff.get(reverse("report_document", args=[doc.pk]))
    assert page.status_code == 200 and "đã hết hạn" in page.content.decode()
    name = files.basename(doc.files[0])
    r = staff.get(reverse("report_document_download", args=[doc.pk, name]))
    assert r.status_code == 410 and "Tệp dự thảo" in r.content.decode()


@race
def test_two_runs_at_once_expire_each_job_once(monkeypatch: Any) -> None:
    """Two timers, or a timer and a person at the console, stood at the same step (each has read the jobs to expire):
    the named lock keeps the second out until the first has committed; each job expires once, each file is removed
    once, both runs are audited."""
    from dangvu.jobs import prune as module

    names = [stored(f"exports/u1/{i}.xlsx") for i in range(6)]
    for n in names:
        job(jobs.MEMBER_EXPORT, Job.State.DONE, 9, result={"file": n, "rows": 1})
    meeting = Meeting()
    monkeypatch.setattr(module, "_names_kept", meeting.after(module._names_kept))
    outcomes = together(lambda: prune(now=NOW, keep=KEEP), lambda: prune(now=NOW, keep=KEEP))
    assert not [o.error for o in outcomes if o.error]
    assert sorted(o.value.jobs_expired for o in outcomes) == [0, 6]
    assert sorted(o.value.files_deleted for o in outcomes) == [0, 6]
    assert not any(files.storage().exists(n) for n in names)
    assert Job.objects.filter(state=Job.State.EXPIRED).count() == 6
    assert AuditEntry.objects.filter(action="jobs_prune").count() == 2


def test_an_expired_import_check_asks_for_the_file_again_and_offers_no_write(staff: Client) -> None:
    upload = stored("uploads/chi-bo.xlsx")
    check = job(
        jobs.CHECK,
        Job.State.DONE,
        31,
        params={"file": upload, "name": "chi-bo.xlsx"},
        result={"n_problems": 0, "counts": {"organizations": 1}},
        owner_id=get_user_model().objects.get(username="canbo").pk,
    )
    prune(now=NOW, keep=KEEP)
    page = staff.get(reverse("import_preview", args=[check.pk.hex])).content.decode()
    assert "Đã hết hạn" in page and "Tải tệp lên lại" in page and "import-apply" not in page
    r = staff.post(reverse("import_apply", args=[check.pk.hex]))
    assert r.status_code == 302 and not Job.objects.filter(handler=jobs.APPLY).exists()
