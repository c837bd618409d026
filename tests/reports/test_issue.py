"""A report's life: drafts without a number, issuing that numbers once and freezes the files, the place and the
signer of the HD 36 header, the report date. Fixtures are raw records made through the services (tests/conftest.py
district: province P → district H → ward committee W → branches, agency branch A)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from docx import Document
from fixtures.races import race
from fixtures.report_files import ACTOR, paragraph, text

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.domain.reports.header import CENTRAL_PLACE, place_of, report_date_problem, signer_of
from dangvu.jobs import files as stored
from dangvu.locks import BUSY_MESSAGE
from dangvu.orgs.services import org_establish
from dangvu.reports import services
from dangvu.reports.api import draft
from dangvu.reports.api import issue as issue_stored
from dangvu.reports.models import ReportDocument, ReportNumber
from dangvu.work.services import post_assign

D = dt.date
ISSUER = Actor("van_phong_cap_uy")


REPORT_DAY = D(2025, 1, 12)


@pytest.fixture(autouse=True)
def _files_under_tmp_path(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # the storage's folder: a folder under tmp_path is a folder of the storage


def _local(doc: ReportDocument) -> ReportDocument:
    """The record with its files as local paths (filesystem storage), for reading them back; not saved."""
    doc.files = [stored.storage().path(n) for n in doc.files]
    doc.draft_files = [stored.storage().path(n) for n in doc.draft_files]
    return doc


def _draft(tmp: Path, root: str = "H", *formats: str, day: dt.date = REPORT_DAY) -> ReportDocument:
    from django.conf import settings

    folder = tmp.relative_to(settings.MEDIA_ROOT).as_posix().strip(".")
    doc = draft(
        root=root, kind="annual", period="2024", folder=folder, formats=formats or ("docx",), actor=ACTOR, issued_on=day
    )
    return _local(doc)


def issue(doc: ReportDocument | int, *, actor: Actor) -> ReportDocument:
    return _local(issue_stored(doc.pk if isinstance(doc, ReportDocument) else doc, actor=actor))


# ---- place and signer: pure ----------------------------------------------------------------------------------


def test_the_place_is_the_locality_where_the_committee_sits_for_every_kind_of_organization() -> None:
    hcm = ("Đảng bộ Thành phố Hồ Chí Minh", "province")
    q1 = ("Đảng bộ Quận 1", "district")
    assert place_of(*q1[:1], kind=q1[1], above=[hcm]) == "Quận 1"
    assert place_of(hcm[0], kind=hcm[1]) == "Hồ Chí Minh"
    assert place_of("Đảng bộ tỉnh Hà Nam", kind="province") == "Hà Nam"
    assert place_of("Đảng bộ thị xã Sơn Tây", kind="district") == "Sơn Tây"
    assert place_of("Đảng bộ phường 5", kind="commune", above=[q1, hcm]) == "Phường 5"
    assert place_of("Đảng bộ xã Thanh Sơn", kind="grassroots_committee") == "Thanh Sơn"
    assert place_of("Đảng bộ thị trấn Quế", kind="grassroots_committee") == "Quế"
    assert place_of("Đảng bộ đặc khu Phú Quốc", kind="commune") == "Phú Quốc"
    # Not a locality: the place of the committee above (the issue's "cơ quan Đảng, đoàn thể Quận 1").
    assert place_of("Đảng bộ cơ quan Đảng, đoàn thể Quận 1", kind="grassroots_committee", above=[q1, hcm]) == "Quận 1"
    bloc = ("Đảng bộ các cơ quan Đảng tỉnh Hà Nam", "bloc")
    assert place_of(bloc[0], kind=bloc[1], above=[("Đảng bộ tỉnh Hà Nam", "province")]) == "Hà Nam"
    province = ("Đảng bộ tỉnh Hà Nam", "province")
    assert place_of("Đảng bộ Công ty Điện lực", kind="grassroots_committee", above=[bloc, province]) == "Hà Nam"
    assert place_of("Chi bộ Thôn 1", kind="branch", above=[("Đảng bộ xã Thanh Sơn", "grassroots_committee")]) == (
        "Thanh Sơn"
    )
    # A central bloc has no locality above it: the capital (a parameter).
    assert place_of("Đảng bộ Khối các cơ quan Trung ương", kind="bloc") == CENTRAL_PLACE == "Hà Nội"


def test_the_secretary_signs_and_a_deputy_when_the_post_is_vacant() -> None:
    both = [("deputy_secretary", "Trần Văn Bình"), ("secretary", "Nguyễn Thị An")]
    assert signer_of(both) == ("BÍ THƯ", "Nguyễn Thị An")
    assert signer_of([("deputy_secretary", "Trần Văn Bình"), ("deputy_secretary", "Lê Văn Cường")]) == (
        "PHÓ BÍ THƯ",
        "Trần Văn Bình",
    )
    assert signer_of([("standing_member", "Phạm Văn Dũng")]) == ("BÍ THƯ", "")


def test_a_report_date_before_the_period_or_far_ahead_is_refused_in_words() -> None:
    today = D(2025, 1, 5)
    assert report_date_problem(D(2025, 1, 12), period_start=D(2024, 1, 1), today=today) == ""
    assert report_date_problem(D(2023, 12, 31), period_start=D(2024, 1, 1), today=today) == (
        "Ngày báo cáo 31/12/2023 trước ngày đầu kỳ báo cáo (1/1/2024)."
    )
    assert report_date_problem(D(2025, 6, 1), period_start=D(2024, 1, 1), today=today).startswith(
        "Ngày báo cáo 1/6/2025 quá xa sau hôm nay"
    )


# ---- the document: the header from the records -------------------------------------------------------------


pytestmark = pytest.mark.django_db


def test_an_agency_committee_reports_from_the_district_it_sits_in_and_its_secretary_signs(
    tmp_path: Path, district: Any, make_member: Any, actor: Actor
) -> None:
    org_establish(
        code="CQ",
        name="Đảng bộ cơ quan Đảng, đoàn thể huyện",
        kind="grassroots_committee",
        sector="agency",
        parent=district.district,
        on=D(2000, 1, 1),
        actor=actor,
    )
    # Secretary of H until 30/6/2024, then vacant: the deputy signs a report dated after.
    sec = make_member(district.b1, D(2010, 3, 1), name="Nguyễn Thị An")
    dep = make_member(district.b1, D(2011, 3, 1), name="Trần Văn Bình")
    post_assign(
        actor=actor,
        member=sec,
        organization=district.district,
        title="secretary",
        term="2020–2025",
        started_on=D(2020, 7, 1),
        ended_on=D(2024, 6, 30),
    )
    post_assign(
        actor=actor, member=dep, organization=district.district, title="deputy_secretary", term="2020–2025",
        started_on=D(2020, 7, 1),
    )  # fmt: skip
    before = Document(str(_draft(tmp_path / "a", "H", day=D(2024, 6, 1)).files[0]))
    cells = [p.text for p in before.tables[-1].rows[0].cells[1].paragraphs]
    assert [c for c in cells if c] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Thị An"]
    after_doc = _draft(tmp_path / "b", "H", day=D(2025, 1, 12))
    after = Document(str(after_doc.files[0]))
    cells = [p.text for p in after.tables[-1].rows[0].cells[1].paragraphs]
    assert [c for c in cells if c] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Văn Bình"]
    assert (after_doc.signer_title, after_doc.signer_name) == ("PHÓ BÍ THƯ", "Trần Văn Bình")
    # The agency committee: the district's place, its own (empty) signature left to sign by hand.
    cq = _draft(tmp_path / "c", "CQ")
    doc = Document(str(cq.files[0]))
    assert paragraph(doc, "Kim Bảng, ngày").text == "Kim Bảng, ngày 12 tháng 01 năm 2025"
    assert paragraph(doc, "ĐẢNG BỘ HUYỆN KIM BẢNG").text == "ĐẢNG BỘ HUYỆN KIM BẢNG"
    assert cq.signer_name == ""


# ---- draft and issue -----------------------------------------------------------------------------------------


def test_drafts_take_no_number_and_issuing_numbers_once_and_freezes_the_files(
    tmp_path: Path, district: Any, make_member: Any
) -> None:
    make_member(district.b1, D(2024, 3, 1))
    first = _draft(tmp_path, "H", "docx", "pdf")
    second = _draft(tmp_path, "H", "docx")
    assert [Path(p).name for p in first.files] == ["H-tong-ket-2024-du-thao.docx", "H-tong-ket-2024-du-thao.pdf"]
    assert [Path(p).name for p in second.files] == ["H-tong-ket-2024-du-thao-2.docx"]
    assert not ReportNumber.objects.exists()
    body = Document(first.files[0])
    assert paragraph(body, "Số ").text == "Số      -BC/HU"
    assert [p.text for p in body.sections[0].header.paragraphs] == ["DỰ THẢO"]
    assert AuditEntry.objects.filter(action="report_generate").count() == 2

    issued = issue(second.pk, actor=ISSUER)
    assert (issued.state, issued.number_line, issued.issued_by) == ("issued", "Số 01-BC/HU", "van_phong_cap_uy")
    files = [Path(p) for p in issued.files]
    assert [p.name for p in files] == ["H-tong-ket-2024-so-01.docx"] and files[0].parent.name == f"ban-hanh-{second.pk}"
    doc = Document(str(files[0]))
    assert paragraph(doc, "Số ").text == "Số 01-BC/HU"
    assert all(not p.text for p in doc.sections[0].header.paragraphs)  # no "DỰ THẢO" once issued
    # Same body as the draft the committee read (the content kept with the draft, not rebuilt).
    draft_body = text(Path(second.draft_files[0])).replace("Số      -BC/HU", "Số 01-BC/HU")
    assert text(files[0]) == draft_body
    entry = AuditEntry.objects.get(action="report_issue")
    assert entry.actor_label == "van_phong_cap_uy" and entry.after["number"] == "Số 01-BC/HU"
    assert [stored.storage().path(n) for n in entry.after["files"]] == [str(files[0])]
    assert entry.before["state"] == "draft"

    # Issuing again is refused, naming the number; nothing changes.
    stamp = files[0].stat().st_mtime_ns
    with pytest.raises(RuleError, match=r"Báo cáo này đã được ban hành \(Số 01-BC/HU\) bởi van_phong_cap_uy"):
        issue(second.pk, actor=ACTOR)
    assert ReportNumber.objects.count() == 1 and files[0].stat().st_mtime_ns == stamp
    # A new generation is a new draft without a number; the issued files are untouched.
    third = _draft(tmp_path, "H", "docx")
    assert Path(third.files[0]).name == "H-tong-ket-2024-du-thao-3.docx" and third.number_line == ""
    assert files[0].stat().st_mtime_ns == stamp
    # The next issue takes the next number of the type in the term.
    assert issue(first, actor=ISSUER).number_line == "Số 02-BC/HU"
    assert [Path(p).suffix for p in ReportDocument.objects.get(pk=first.pk).files] == [".docx", ".pdf"]


def test_an_issue_that_fails_leaves_no_number_no_files_and_the_draft_as_it_was(
    tmp_path: Path, district: Any, monkeypatch: Any
) -> None:
    doc = _draft(tmp_path, "H", "docx")

    def broken_audit(**kw: Any) -> None:  # the last step of the transaction fails: all of it is undone
        raise RuntimeError("ổ đĩa đầy")

    monkeypatch.setattr(services, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        issue(doc.pk, actor=ISSUER)
    doc.refresh_from_db()
    assert (doc.state, doc.number_id, doc.number_line) == ("draft", None, "")
    assert not ReportNumber.objects.exists()
    assert not list(tmp_path.glob(f"ban-hanh-{doc.pk}/*"))  # a storage keeps no empty folder's files
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["H-tong-ket-2024-du-thao.docx"]


def test_a_folder_left_by_a_killed_issue_is_cleared_by_the_next(tmp_path: Path, district: Any) -> None:
    doc = _draft(tmp_path, "H", "docx")
    stale = tmp_path / f"ban-hanh-{doc.pk}"
    stale.mkdir()
    (stale / "H-tong-ket-2024-so-07.docx").write_bytes(b"half written")  # a process killed before its commit
    issued = issue(doc.pk, actor=ISSUER)
    assert [p.name for p in stale.iterdir()] == ["H-tong-ket-2024-so-01.docx"]
    assert issued.files == [str(stale / "H-tong-ket-2024-so-01.docx")]


def test_a_report_date_outside_the_period_is_refused_before_anything_is_written(tmp_path: Path, district: Any) -> None:
    with pytest.raises(RuleError, match=r"Ngày báo cáo 12/1/2017 trước ngày đầu kỳ báo cáo \(1/1/2024\)"):
        _draft(tmp_path, "H", day=D(2017, 1, 12))
    assert not ReportDocument.objects.exists() and not list(tmp_path.iterdir())


@pytest.mark.django_db(transaction=True)
def test_two_people_issuing_the_same_draft_at_once_get_one_number(tmp_path: Path, district: Any) -> None:
    doc = _draft(tmp_path, "H", "docx")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(who: str) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(issue(doc.pk, actor=Actor(who)).number_line)
        except RuleError as e:
            outcomes.append(e.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(w,)) for w in ("an", "binh")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert "Số 01-BC/HU" in outcomes, outcomes
    [other] = [o for o in outcomes if o != "Số 01-BC/HU"]
    # PostgreSQL: the second waits for the first's row lock, then reads it issued. SQLite's test database (shared
    # cache in memory) answers "locked" at once instead of waiting: the busy message, nothing written either.
    assert other.startswith("Báo cáo này đã được ban hành (Số 01-BC/HU) bởi ") or (
        connection.vendor == "sqlite" and other == BUSY_MESSAGE
    ), other
    assert ReportNumber.objects.count() == 1
    assert AuditEntry.objects.filter(action="report_issue").count() == 1


@race
def test_an_issue_killed_midway_leaves_no_number_and_the_next_issue_numbers_it(tmp_path: Path, district: Any) -> None:
    """A real kill -9 of `dangvu report --issue` after it wrote the DOCX, while LibreOffice makes the PDF."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice chưa được cài (scripts/system-deps.sh).")
    doc = _draft(tmp_path, "H", "docx", "pdf")
    s = connection.settings_dict
    url = f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    scratch = tmp_path / "tmp"  # where it renders (a temporary folder) before the files go to the storage
    scratch.mkdir()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "dangvu"), "report", "--skip-checks", "--issue", str(doc.pk)],
        env={**os.environ, "DANGVU_DATABASE_URL": url, "DANGVU_MEDIA_DIR": str(tmp_path), "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its LibreOffice dies with it
    )
    folder = tmp_path / f"ban-hanh-{doc.pk}"
    deadline = time.monotonic() + 60
    while not list(scratch.glob("dangvu-report-*/*.docx")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the issue ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    doc.refresh_from_db()
    assert (doc.state, doc.number_id) == ("draft", None)
    assert not ReportNumber.objects.exists() and not AuditEntry.objects.filter(action="report_issue").exists()
    issued = issue(doc.pk, actor=ISSUER)  # the next attempt clears what the killed one left and numbers it
    assert issued.number_line == "Số 01-BC/HU"
    assert sorted(p.name for p in folder.iterdir()) == ["H-tong-ket-2024-so-01.docx", "H-tong-ket-2024-so-01.pdf"]
