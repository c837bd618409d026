"""The fixtures' reports print the seed figures exactly (F1–F13, F15–F18), from the raw records of
tests/fixtures (the same builders as tests/assessment and tests/work), through `dangvu.reports.api.generate`;
each output is opened again (python-docx, openpyxl) and checked for structure and format."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document
from docx.shared import Pt
from fixtures.report_files import make, paragraph, text
from fixtures.seed_records import hoang_mai_2016_work, load, tay_ho_admissions_since_2010, tay_ho_review_2022
from openpyxl import load_workbook

from dangvu.audit.models import AuditEntry
from dangvu.reports.builders import build

pytestmark = pytest.mark.django_db


def test_quan_1_2016_review_prints_f1_to_f5_in_the_party_document_format(tmp_path: Path) -> None:
    load("seed000")
    call_command("assess", "close", "--root", "Q1", "--year", "2016", stdout=StringIO())
    files = make(tmp_path, "Q1", "review", "2016")
    body = text(files["docx"])
    # F1 (seed 000 prints "có 41,07% …") and the count behind it, said once.
    assert "có 23/56 tổ chức cơ sở đảng (41,07%) đạt “Trong sạch, vững mạnh”, trong đó có" in body
    assert "78/333 chi bộ trực thuộc đạt “Trong sạch, vững mạnh”" in body  # F2
    assert "trên 71% đảng viên hoàn thành xuất sắc nhiệm vụ và hoàn thành tốt nhiệm vụ" in body  # F3
    assert "3 tập thể đạt “Trong sạch, vững mạnh” tiêu biểu năm 2016" in body  # F4
    assert "12 cá nhân “Hoàn thành xuất sắc nhiệm vụ” 5 năm liền (2012 – 2016)" in body  # F5
    assert unicodedata.is_normalized("NFC", body)
    # Every share keeps its numerator and denominator (23/56 prints 41,07%).
    rep = build(root="Q1", kind="review", period="2016", issued_on=dt.date(2017, 1, 12))
    f1 = rep.figure("review.2016.grassroots.top")
    assert (f1.numerator, f1.denominator, f1.printed) == (23, 56, "41,07%")
    assert rep.figure("review.2016.members.good_or_better").printed == "trên 71%"

    # HD 36-HD/VPTW: the header, the number, the place and date, the title, the signature, the recipients.
    doc = Document(str(files["docx"]))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)  # A4
    assert (round(sec.left_margin.mm), round(sec.right_margin.mm), round(sec.top_margin.mm)) == (30, 15, 20)
    head = paragraph(doc, "ĐẢNG CỘNG SẢN VIỆT NAM").runs[0]
    assert head.bold and head.underline and head.font.size == Pt(15) and head.font.name == "Times New Roman"
    issuer = paragraph(doc, "QUẬN ỦY QUẬN 1").runs[0]
    assert issuer.bold and issuer.font.size == Pt(14)
    assert paragraph(doc, "ĐẢNG BỘ THÀNH PHỐ HỒ CHÍ MINH").runs[0].bold is not True  # the superior body
    assert paragraph(doc, "*").text == "*"
    assert paragraph(doc, "Số ").text == "Số      -BC/QU"  # a draft: the number is given when it is issued
    place = paragraph(doc, "Quận 1, ngày")
    assert place.text == "Quận 1, ngày 12 tháng 01 năm 2017" and all(r.italic for r in place.runs)
    assert paragraph(doc, "BÁO CÁO").runs[0].font.size == Pt(16)
    assert "KẾT QUẢ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG" in body
    for heading in ("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO", "III. KẾT QUẢ XẾP LOẠI", "V. KIẾN NGHỊ"):
        assert paragraph(doc, heading).runs[0].bold
    assert "T/M BAN THƯỜNG VỤ" in body and "BÍ THƯ" in body and "Nơi nhận:" in body
    assert "- Thành ủy Hồ Chí Minh (để báo cáo)," in body
    # The level table: 2016 grassroots row (56 rated, 23 at the top level, 23/56 as a share).
    [levels] = [t for t in doc.tables if t.rows[0].cells[0].text == "Năm"]
    row = next(r for r in levels.rows if r.cells[0].text == "2016" and r.cells[1].text == "Tổ chức cơ sở đảng")
    assert [c.text for c in row.cells[2:5]] == ["56", "23", "41,07%"]
    assert doc.core_properties.author == "can_bo_to_chuc"

    # XLSX: numbers as numbers, shares as percentages, Vietnamese headers, frozen header, fitted widths, who/when.
    wb = load_workbook(files["xlsx"])
    assert wb.sheetnames[0] == "Thông tin"
    ws = wb[next(n for n in wb.sheetnames if n.startswith("Kết quả xếp loại"))]
    assert ws["A3"].value == "Năm" and ws["C3"].value == "Số được xếp loại"
    assert ws.freeze_panes == "A4"
    data = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    grass = next(r for r in data if r[0] == 2016 and r[1] == "Tổ chức cơ sở đảng")
    assert grass[2:4] == [56, 23] and isinstance(grass[2], int)
    assert grass[4] == pytest.approx(23 / 56) and ws.cell(4 + data.index(grass), 5).number_format == "0.00%"
    assert ws.column_dimensions["B"].width >= len("Tổ chức cơ sở đảng")
    figs = wb["Số liệu"]
    row1 = next(r for r in figs.iter_rows(min_row=2, values_only=True) if r[0] == "review.2016.grassroots.top")
    assert row1[5:8] == (23, 56, "41,07%")
    orgs = wb["Kết quả xếp loại năm 2016 th"]  # one row per grassroots organization
    assert orgs.max_row - 3 == 57 and orgs["F3"].value == "Đảng viên được xếp loại"
    assert sum(r[5] for r in orgs.iter_rows(min_row=4, values_only=True)) == 1246  # the members rated (F3's base)
    assert "can_bo_to_chuc" in ws.oddFooter.left.text and "can_bo_to_chuc" in str(wb["Thông tin"]["B8"].value)
    # The generation is in the audit log, naming who and the files.
    entry = AuditEntry.objects.get(action="report_generate")
    assert entry.actor_label == "can_bo_to_chuc" and entry.after["number"] == ""
    assert f"reports/{files['docx'].name}" in entry.after["files"]  # the stored name (settings.STORAGES)


def test_hoang_mai_2016_prints_f9_from_the_review(tmp_path: Path) -> None:
    load("seed001")
    body = text(make(tmp_path, "HM", "review", "2016", "docx")["docx"])
    # F9 (seed 001 prints "27/54 … được xếp loại …, trong đó có 6 … tiêu biểu"), with its share, said once.
    assert "có 27/54 tổ chức cơ sở đảng (50,00%) đạt “Trong sạch, vững mạnh”, trong đó có 6 tiêu biểu" in body


def test_hoang_mai_2016_annual_prints_the_work_figures_f7_f8_f10_to_f13(tmp_path: Path) -> None:
    hoang_mai_2016_work()
    files = make(tmp_path, "HM", "annual", "2016")
    body = text(files["docx"])
    assert "thành lập mới 6 tổ chức Đảng trong các DN ngoài khu vực Nhà nước (đạt 120% chỉ tiêu)" in body  # F7
    assert "kết nạp 209 đảng viên mới (đạt 116% kế hoạch)" in body  # F8
    assert "điều động, luân chuyển, bổ nhiệm, bổ nhiệm lại 126 đồng chí" in body  # F10
    assert "mở 64 lớp bồi dưỡng với trên 10,6 nghìn lượt cán bộ tham dự" in body  # F11
    assert "thi hành kỷ luật 4 đảng viên vi phạm" in body  # F12
    assert (
        "khen thưởng 6 tổ chức cơ sở đảng đạt danh hiệu “Trong sạch vững mạnh tiêu biểu”, "
        "21 tổ chức cơ sở đảng đạt danh hiệu “Trong sạch vững mạnh”"
    ) in body  # F13
    assert "tỷ lệ cử tri đi bầu đạt 99,35%" in body  # F14, entered by hand
    for heading in (
        "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "II. KẾT QUẢ ĐẠT ĐƯỢC",
        "III. HẠN CHẾ, NGUYÊN NHÂN",
        "IV. BÀI HỌC KINH NGHIỆM",
        "V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2017",
    ):
        assert heading in body
    doc = Document(str(files["docx"]))
    # Charts are embedded images: admissions against plan, targets against results.
    images = [r for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(images) >= 2
    assert "Biểu đồ 1. Kết nạp đảng viên so với kế hoạch" in body or "Kết nạp đảng viên so với kế hoạch" in body
    wb = load_workbook(files["xlsx"])
    ind = wb[next(n for n in wb.sheetnames if n.startswith("Các chỉ số"))]
    rows = {r[0]: r for r in ind.iter_rows(min_row=4, values_only=True)}
    adm = rows["Kết nạp đảng viên mới"]
    assert adm[2] == 209 and adm[4] == 180 and adm[5] == pytest.approx(209 / 180)


def test_tay_ho_term_prints_f15_and_f16_against_the_congress_targets(tmp_path: Path) -> None:
    tay_ho_review_2022()
    body = text(make(tmp_path, "TX", "term", "2020-2025", "docx", issued_on=dt.date(2025, 2, 28))["docx"])
    # F15: 96/100 against ≥ 95%; F16: 9/10 against ≥ 90% (met, not exceeded).
    assert (
        "tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên đạt trên 95% (vượt chỉ tiêu Nghị quyết Đại hội đề ra)" in body
    )
    assert (
        "tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên đạt 90% trở lên (đạt chỉ tiêu Nghị quyết Đại hội "
        "đề ra)" in body
    )
    rep = build(root="TX", kind="term", period="2020-2025", issued_on=dt.date(2025, 2, 28))
    f15 = rep.figure("period.review.members_good_or_better")
    assert (f15.numerator, f15.denominator, f15.status) == (96, 100, "exceeded")
    assert "TỔNG KẾT CÔNG TÁC XÂY DỰNG ĐẢNG NHIỆM KỲ 2020 – 2025" in body


def test_tay_ho_since_2010_prints_f17_and_f18_across_the_2025_reform(tmp_path: Path) -> None:
    tay_ho_admissions_since_2010()
    body = text(make(tmp_path, "TH", "thematic", "since:1/1/2010", "docx", issued_on=dt.date(2026, 11, 22))["docx"])
    assert "Từ năm 2010 đến nay, toàn quận đã kết nạp được 1.382 đảng viên" in body  # F17
    assert "4 học sinh trung học phổ thông và 3 công dân ưu tú chuẩn bị nhập ngũ" in body  # F18
    # The per-year counts of the trend (one grouped query) agree with the indicator, year by year.
    from dangvu.orgs.models import Organization
    from dangvu.reports.builders.common import admissions_by_year
    from dangvu.targets.indicators import compute

    th = Organization.objects.get(code="TH")
    by_year = admissions_by_year(th, dt.date(2010, 1, 1), dt.date(2026, 11, 22))
    for y in (2010, 2023, 2024, 2025):
        [v] = compute(th, dt.date(y, 1, 1), dt.date(y, 12, 31), ["admissions"])
        assert by_year.get(y, 0) == v.value
    assert sum(by_year.values()) == 1382
    assert "QUẬN ỦY TÂY HỒ" in body  # the district ended on 1/7/2025: it reports under its last name
    assert re.search(r"Tổng kết 17 năm", body, re.IGNORECASE)


def test_a_thematic_review_cites_the_document_and_what_it_implements_f6(tmp_path: Path, district, actor) -> None:  # type: ignore[no-untyped-def]
    from dangvu.work.services import document_register

    nq = document_register(code="Số 15-NQ/TW, ngày 30/7/2007", term="khóa X", actor=actor)
    # The city committee of seed 000 is outside this district's tree: its name is recorded with the document.
    document_register(
        code="36-CTr/TU, ngày 5/5/2008", term="2005–2010", actor=actor, implements=[nq], issuer_name="Thành ủy"
    )
    body = text(
        make(
            tmp_path,
            "H",
            "thematic",
            "since:5/5/2008..16/3/2017",
            "docx",
            document="36-CTr/TU",
            issued_on=dt.date(2017, 3, 16),
        )["docx"]
    )
    assert (
        "TỔNG KẾT 10 NĂM THỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG SỐ 36-CTR/TU, NGÀY 5/5/2008 CỦA THÀNH ỦY THỰC HIỆN "
        "NGHỊ QUYẾT SỐ 15-NQ/TW, NGÀY 30/7/2007"
    ) in body
    assert (
        "Chương trình hành động số 36-CTr/TU, ngày 5/5/2008 của Thành ủy thực hiện Nghị quyết số 15-NQ/TW, "
        "ngày 30/7/2007" in body
    )
