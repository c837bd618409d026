"""Outputs beyond the figures: PDF through LibreOffice, templates that staff edit (and break), numbering within
the term, background jobs, the command."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from fixtures.report_files import ACTOR, make, text

from dangvu.domain.errors import RuleError
from dangvu.jobs import files
from dangvu.jobs.models import Job
from dangvu.reports import jobs
from dangvu.reports.api import draft, generate, issue, job_status
from dangvu.reports.docx_templates import default_template
from dangvu.reports.models import ReportDocument, ReportNumber

pytestmark = pytest.mark.django_db


def needs_soffice() -> None:
    if shutil.which("soffice") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true: LibreOffice (soffice) phải được cài (scripts/system-deps.sh) để kiểm tra PDF.")
        pytest.skip("LibreOffice (soffice) chưa được cài: bỏ qua kiểm tra PDF (scripts/system-deps.sh cài nó).")


def test_the_pdf_is_written_by_libreoffice_with_the_vietnamese_text(tmp_path: Path, district, make_member) -> None:  # type: ignore[no-untyped-def]
    needs_soffice()
    make_member(district.b1, dt.date(2024, 3, 1))
    files = make(tmp_path, "H", "annual", "2024", "pdf", issued_on=dt.date(2025, 1, 12))
    assert list(files) == ["pdf"] and files["pdf"].read_bytes()[:5] == b"%PDF-"
    assert not (tmp_path / (files["pdf"].stem + ".docx")).exists()  # only what was asked for
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(files["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in out and "HUYỆN ỦY KIM BẢNG" in out
        assert "Kim Bảng, ngày 12 tháng 01 năm 2025" in out


def test_a_missing_libreoffice_is_said_before_any_work(tmp_path: Path, district, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dangvu.reports.render import pdf

    monkeypatch.delenv("DANGVU_SOFFICE", raising=False)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(RuleError, match="Không tìm thấy LibreOffice"):
        make(tmp_path, "H", "annual", "2024", "docx", "pdf")
    assert not ReportNumber.objects.exists()


def test_an_edited_template_is_used_and_a_broken_one_is_named(tmp_path: Path, district) -> None:  # type: ignore[no-untyped-def]
    doc = Document(str(default_template("annual")))
    doc.add_paragraph("Ghi chú của Văn phòng: {{ root_name }} — {{ figures['2024.admissions'] }} đảng viên mới.")
    edited = tmp_path / "mau-sua.docx"
    doc.save(str(edited))
    body = text(make(tmp_path, "H", "annual", "2024", "docx", template=edited, issued_on=dt.date(2025, 1, 12))["docx"])
    assert "Ghi chú của Văn phòng: Đảng bộ huyện Kim Bảng — 0 đảng viên mới." in body

    doc.add_paragraph("{{ root_name ")  # an unclosed tag
    broken = tmp_path / "mau-hong.docx"
    doc.save(str(broken))
    with pytest.raises(RuleError, match=r"Mẫu báo cáo 'mau-hong.docx' bị lỗi ở thẻ Jinja"):
        make(tmp_path, "H", "annual", "2024", "docx", template=broken, issued_on=dt.date(2025, 1, 12))


def test_issued_reports_are_numbered_per_type_within_the_term_and_drafts_are_not(tmp_path: Path, district) -> None:  # type: ignore[no-untyped-def]
    import json

    def issued(folder: str, kind: str, period: str, day: dt.date) -> str:
        doc = draft(root="H", kind=kind, period=period, folder=folder, formats=("json",), actor=ACTOR, issued_on=day)
        assert json.loads(files.storage().open(doc.files[0]).read())["number"] == "Số      -BC/HU"
        doc = issue(doc, actor=ACTOR)
        return str(json.loads(files.storage().open(doc.files[0]).read())["number"])

    numbers = [
        issued("a", "annual", "2023", dt.date(2024, 1, 10)),
        issued("b", "review", "2023", dt.date(2024, 1, 20)),
        issued("c", "annual", "2025", dt.date(2026, 1, 10)),  # a new term
    ]
    assert numbers == ["Số 01-BC/HU", "Số 02-BC/HU", "Số 01-BC/HU"]
    assert list(ReportNumber.objects.order_by("id").values_list("term", flat=True)) == [
        "2020–2025",
        "2020–2025",
        "2025–2030",
    ]


def test_unknown_roots_kinds_and_formats_are_refused(tmp_path: Path, district) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleError, match="Không có tổ chức đảng mã 'XX'"):
        make(tmp_path, "XX", "annual", "2024")
    with pytest.raises(RuleError, match="Không có loại báo cáo"):
        make(tmp_path, "H", "yearly", "2024")
    with pytest.raises(RuleError, match="Định dạng không hỗ trợ: odt"):
        generate(root="H", kind="annual", period="2024", out_dir=tmp_path, formats=("odt",), actor=ACTOR)


@pytest.mark.django_db(transaction=True)
def test_a_background_job_reports_progress_and_its_files(tmp_path: Path, district) -> None:  # type: ignore[no-untyped-def]
    job = jobs.start(
        root="H",
        kind="review",
        period="2024",
        folder="reports/t",
        formats=("docx", "xlsx"),
        actor=ACTOR,
        options={"issued_on": dt.date(2025, 1, 5)},
    )
    st = job_status(job.pk)
    assert st["status"] == "done" and st["progress"] == 100, st["error"]
    assert [Path(p).suffix for p in st["paths"]] == [".docx", ".xlsx"]
    assert all(files.storage().exists(p) for p in st["paths"])
    assert ReportDocument.objects.get(pk=st["document"]).files == st["paths"]
    bad = jobs.start(
        root="H", kind="review", period="20x4", folder="reports/t", formats=("docx",), actor=ACTOR, options={}
    )
    assert Job.objects.get(pk=bad.pk).state == "failed"
    assert "Kỳ báo cáo không hợp lệ" in job_status(bad.pk)["error"]


def test_the_command_writes_the_files_and_prints_their_paths(tmp_path: Path, district) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command(
        "report",
        "--root",
        "H",
        "--kind",
        "review",
        "--period",
        "2024",
        "--out",
        str(tmp_path),
        "--format",
        "docx",
        "--format",
        "xlsx",
        "--date",
        "5/1/2025",
        stdout=out,
        stderr=StringIO(),
    )
    paths = [Path(p) for p in out.getvalue().split()]
    assert [p.name for p in paths] == ["H-danh-gia-xep-loai-2024-du-thao.docx", "H-danh-gia-xep-loai-2024-du-thao.xlsx"]
    assert all(p.exists() for p in paths)
    # The draft is issued by its id: the number, the files again in a folder of their own.
    doc = ReportDocument.objects.get()
    out, err = StringIO(), StringIO()
    call_command("report", "--issue", str(doc.pk), "--actor", "van_phong", stdout=out, stderr=err)
    issued = [Path(p) for p in out.getvalue().split()]
    assert [p.name for p in issued] == ["H-danh-gia-xep-loai-2024-so-01.docx", "H-danh-gia-xep-loai-2024-so-01.xlsx"]
    assert err.getvalue().strip() == "Đã ban hành: Số 01-BC/HU, ngày 5/1/2025."
    from openpyxl import load_workbook

    info = [load_workbook(p)["Thông tin"] for p in (paths[1], issued[1])]
    assert [ws["A4"].value for ws in info] == ["Số", "Số"]
    assert [ws["B4"].value for ws in info] == ["Chưa cấp số (bản dự thảo)", "Số 01-BC/HU"]
    with pytest.raises(CommandError, match=r"Báo cáo này đã được ban hành \(Số 01-BC/HU\) bởi van_phong"):
        call_command("report", "--issue", str(doc.pk), stdout=StringIO(), stderr=StringIO())


def test_the_annual_builder_issues_as_many_queries_for_a_bigger_tree(district, make_member, actor) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangvu.orgs.services import org_establish
    from dangvu.reports.builders import build

    make_member(district.b1, dt.date(2023, 3, 1))
    with CaptureQueriesContext(connection) as small:
        build(root="H", kind="annual", period="2024", issued_on=dt.date(2025, 1, 12))
    for i in range(4):  # more units, more members: the same grouped queries
        unit = org_establish(
            code=f"X{i}",
            name=f"Chi bộ Thôn {i + 3}",
            kind="branch",
            sector="residential",
            parent=district.ward,
            on=dt.date(2010, 1, 1),
            actor=actor,
        )
        for k in range(3):
            make_member(unit, dt.date(2024, 2 + k, 1))
    with CaptureQueriesContext(connection) as big:
        build(root="H", kind="annual", period="2024", issued_on=dt.date(2025, 1, 12))
    assert len(big) == len(small) < 120
