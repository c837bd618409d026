"""Department staff at work with the web and the job worker as separate processes (issue 14, items 3–4): gunicorn
(`dangvu serve --workers 2`) and `dangvu worker` on one database and one file storage. An import is uploaded, its
check's progress shown, applied; a report is generated while the web process is restarted, its DOCX and PDF
downloaded, and issued. Screenshots in var/screenshots/jobs-*.png."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from fixtures.import_files import branch_workbook
from fixtures.processes import PROCESSES, app_env, django, free_port, worker
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = PROCESSES

SETUP = """
import datetime as dt
from django.contrib.auth import get_user_model
from dangvu.accounts.models import Role
from dangvu.accounts.services import grant_role
from dangvu.audit.services import Actor
from dangvu.domain.orgtree import OrgKind, Sector
from dangvu.members.services import Admission, member_create
from dangvu.orgs.services import org_establish

a, on = Actor("thiết lập kiểm thử"), dt.date(2000, 1, 1)
p = org_establish(code="P", name="Đảng bộ tỉnh Hà Nam", kind=OrgKind.PROVINCE, sector=Sector.OTHER, parent=None,
                  on=on, actor=a)
h = org_establish(code="H", name="Đảng bộ huyện Kim Bảng", kind=OrgKind.DISTRICT, sector=Sector.OTHER, parent=p,
                  on=on, actor=a)
w = org_establish(code="W", name="Đảng bộ xã Thanh Sơn", kind=OrgKind.GRASSROOTS_COMMITTEE,
                  sector=Sector.COMMUNE_WARD, parent=h, on=on, actor=a)
u = get_user_model().objects.create_user("canbo", password="mat-khau-kiem-thu")
grant_role(user=u, role=Role.STAFF, organization=h, valid_from=dt.date(2020, 1, 1), actor=a)
print(json.dumps("ok"))
"""


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "dangvu.cli", "serve", "--workers", "2", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=5):
                return proc
        except OSError:
            assert proc.poll() is None, proc.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "the web process did not answer within 60 s"
            time.sleep(0.3)


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)


@pytest.fixture
def app(tmp_path: Path, request: Any) -> Any:
    env = app_env(tmp_path, request)
    django(env, SETUP)
    return env


def test_staff_import_and_report_with_web_and_worker_as_separate_processes(
    app: dict[str, str], page: Any, shot: Any, tmp_path: Path
) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice chưa được cài (scripts/system-deps.sh).")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    web, jobs = _serve(app, port), worker(app)
    try:
        page.goto(url + "/dang-nhap/")
        page.fill("#id_username", "canbo")
        page.fill("#id_password", "mat-khau-kiem-thu")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

        # An import: stored, checked by the worker (the page polls the check), applied by the worker.
        page.goto(url + "/nhap/")
        page.set_input_files("#import-file", str(branch_workbook(tmp_path / "dung.xlsx")))
        page.click("#import-check")
        page.wait_for_selector("#import-ok", timeout=60_000)
        shot(page, "jobs-import-checked")
        page.click("#import-apply")
        page.wait_for_selector("#job-state[data-state=done]", timeout=60_000)
        assert "Đã nhập: 1 tổ chức" in page.inner_text("#job")
        shot(page, "jobs-import-done")
        members = django(app, "from dangvu.members.models import Member\nprint(json.dumps(Member.objects.count()))")
        assert members == 1

        # A report with its PDF; the web process is restarted while the worker generates it.
        page.goto(url + "/bao-cao/")
        page.fill("#id_org", "H")
        page.select_option("#id_kind", "annual")
        page.fill("#id_period", "2025")
        page.check("input[name=formats][value=docx]")
        page.check("input[name=formats][value=pdf]")
        page.click("#report-generate")
        page.wait_for_selector("#job")
        job_url = page.url
        shot(page, "jobs-report-progress")
        _stop(web)
        states = "print(json.dumps(list(Job.objects.filter(handler='report_draft').values_list('state', flat=True))))"
        during = django(app, states)
        web = _serve(app, port)
        # The page's poll goes on across the restart and ends on the draft (htmx redirect); the job's page opened
        # after the job ended links to it.
        try:
            page.wait_for_selector("#report-state[data-state=draft]", timeout=90_000)
        except PlaywrightTimeout:
            page.goto(job_url)
            page.wait_for_selector("#report-state[data-state=draft], #job-document", timeout=60_000)
        if page.locator("#job-document").count():
            page.click("#job-document a")
            page.wait_for_selector("#report-state[data-state=draft]")
        shot(page, "jobs-report-done")
        for suffix in (".docx", ".pdf"):
            with page.expect_download() as info:
                page.click(f"#job-files a[href$='{suffix}']")
            path = tmp_path / info.value.suggested_filename
            info.value.save_as(path)
            assert path.suffix == suffix and path.read_bytes()[:4] in (b"PK\x03\x04", b"%PDF")
        # Issuing renders the files again with the number (and the PDF): a job of the worker; the page polls it and
        # ends on the issued document.
        page.click("#report-issue")
        page.wait_for_selector("#report-state[data-state=issued]", timeout=120_000)
        assert page.inner_text("#report-number") == "Số 01-BC/HU"
        assert [f.rsplit(".", 1)[-1] for f in page.locator("#job-files a").all_inner_texts()] == ["docx", "xlsx", "pdf"]
        shot(page, "jobs-report-issued")
        print("report job state while the web process was down:", during)
    finally:
        _stop(web)
        _stop(jobs)
