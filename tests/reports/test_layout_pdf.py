"""The report as a committee signs it, read back from the PDF LibreOffice makes of the DOCX: no number or word
broken in a table, no heading or table caption ending a page, no chart caption parted from its chart, wide tables
on landscape pages; and in the DOCX: the committee's draft paragraphs highlighted under a note, rows kept whole,
header rows repeated. The tree is Quận 1 2012–2016 (seed 000) loaded from its raw records (tests/fixtures)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from fixtures.report_files import ACTOR, paragraphs
from fixtures.seed_records import load

from dangvu.domain.reports.model import Section, Table
from dangvu.jobs import files
from dangvu.reports.api import draft
from dangvu.reports.builders import build
from dangvu.reports.render.docx import DRAFT_NOTE, render_docx

pytestmark = pytest.mark.django_db
DAY = dt.date(2017, 1, 12)


def needs_poppler() -> None:
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice hoặc poppler chưa được cài (scripts/system-deps.sh).")


def pdf_pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def images_per_page(pdf: Path) -> Counter[int]:
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return Counter(int(line.split()[0]) for line in out.splitlines()[2:] if line.strip())


def test_the_annual_report_of_a_real_tree_prints_without_broken_numbers_or_stranded_headings(tmp_path: Path) -> None:
    needs_poppler()
    load("seed000")
    doc = draft(root="Q1", kind="annual", period="2016", formats=("docx", "pdf"), actor=ACTOR,
                issued_on=DAY)  # fmt: skip
    docx_path, pdf_path = (Path(files.storage().path(p)) for p in doc.files)
    document = Document(str(docx_path))
    pages = pdf_pages(pdf_path)
    assert len(pages) >= 3

    # Every word and number of every table cell is found whole in the PDF, as often as the DOCX has it: a cell
    # that broke "2020" into "202/0" or "Không" into "Khôn g" loses an occurrence of the whole token.
    in_pdf = Counter(w for page in pages for w in page.split())
    in_docx = Counter(w for p in paragraphs(document) for w in p.text.split())
    cells = {w for t in document.tables[1:-1] for row in t.rows for c in row.cells for w in c.text.split()}
    assert cells, "the annual report has tables"
    broken = {w: (in_pdf[w], in_docx[w]) for w in cells if in_pdf[w] < in_docx[w]}
    assert not broken, broken

    # No section heading and no table caption is the last line of a page; no chart caption the first line.
    headings = {p.text.strip() for p in paragraphs(document) if p.runs and p.runs[0].bold and p.text.strip()}
    headings = {h for h in headings if re.match(r"^([IVX]+|\d+)\. ", h) or h.startswith("Bảng ")}
    assert any(h.startswith("Bảng ") for h in headings) and any(h.startswith("I. ") for h in headings)
    for n, page in enumerate(pages[:-1], start=1):
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        last = lines[-1]
        assert not any(h.startswith(last) or last in h for h in headings if len(last) > 3), (n, last)
    # Every chart caption is on the page of its chart (the image: pdftotext does not show it, pdfimages does).
    images = images_per_page(pdf_path)
    for n, page in enumerate(pages, start=1):
        captions = len(re.findall(r"Biểu đồ \d+\.", page))
        assert images.get(n, 0) >= captions, (n, captions, images.get(n, 0))
    assert sum(images.values()) >= 2

    # The wide table of levels by year is on a landscape page; the first page is portrait A4.
    sizes = page_sizes(pdf_path)
    assert sizes[0][0] < sizes[0][1] and round(sizes[0][0] / 72 * 25.4) == 210
    wide = [i for i, page in enumerate(pages) if "Kết quả xếp loại chất lượng theo năm" in page]
    assert wide and all(sizes[i][0] > sizes[i][1] for i in wide)
    # Shares print as the report prints them.
    assert re.search(r"\b41,07%", "\n".join(pages))


def test_every_table_row_is_kept_whole_and_its_header_repeats(tmp_path: Path) -> None:
    load("seed000")
    doc = draft(root="Q1", kind="annual", period="2016", formats=("docx",), actor=ACTOR,
                issued_on=DAY)  # fmt: skip
    document = Document(files.storage().path(doc.files[0]))
    data_tables = document.tables[1:-1]  # the HD 36 header and the signature are layout tables
    assert data_tables
    for t in data_tables:
        rows = t._tbl.findall(qn("w:tr"))
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
        assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        widths = [int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert all(w > 0 for w in widths)


def test_the_committees_own_paragraphs_are_highlighted_under_a_note(tmp_path: Path) -> None:
    load("seed000")
    rep = build(root="Q1", kind="annual", period="2016", issued_on=DAY)
    lessons = Section("IV. BÀI HỌC KINH NGHIỆM")
    lessons.para("Năm 2016 có 56 tổ chức cơ sở đảng được đánh giá, xếp loại.")
    lessons.draft("Cấp ủy các cấp phải thường xuyên chăm lo xây dựng tổ chức cơ sở đảng.")
    lessons.draft("Người đứng đầu phải nêu gương.")
    rep.sections = [lessons]
    out = render_docx(rep, tmp_path / "a.docx", actor="t", at=dt.datetime(2017, 1, 12, 9, 0))
    body = [p for p in Document(str(out)).paragraphs if p.text.strip()]
    texts = [p.text for p in body]
    start = texts.index("IV. BÀI HỌC KINH NGHIỆM")
    assert texts[start + 1 : start + 5] == [
        "Năm 2016 có 56 tổ chức cơ sở đảng được đánh giá, xếp loại.",
        DRAFT_NOTE,
        "Cấp ủy các cấp phải thường xuyên chăm lo xây dựng tổ chức cơ sở đảng.",
        "Người đứng đầu phải nêu gương.",
    ]
    assert DRAFT_NOTE == "(Phần dự thảo, đề nghị cấp ủy thảo luận, bổ sung, hoàn chỉnh)"
    finding, note, first, second = body[start + 1 : start + 5]
    assert all(r.font.highlight_color is None for r in finding.runs)  # a finding is printed as such
    assert all(r.font.italic for r in note.runs)
    assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in first.runs + second.runs)
    assert texts.count(DRAFT_NOTE) == 1  # once per section, at its first draft paragraph


def test_a_table_too_wide_for_a_landscape_page_is_split_repeating_its_first_column(tmp_path: Path) -> None:
    load("seed000")
    rep = build(root="Q1", kind="review", period="2016", issued_on=DAY)
    units = next(t for t in rep.tables if len(t.rows) > 20)  # one row per grassroots organization
    years = list(range(1977, 2017))  # a table of 40 years: members each year (the same count, wide)
    wide = Table(
        code="wide",
        title="Đảng viên theo năm",
        columns=["Tổ chức cơ sở đảng", *[str(y) for y in years]],
        rows=[[r[0], *[1246 for _ in years]] for r in units.rows[:5]],
    )
    heading = Section("II. SỐ LIỆU")
    heading.table(wide)
    rep.sections = [heading]
    out = render_docx(rep, tmp_path / "w.docx", actor="t", at=dt.datetime(2017, 1, 12, 9, 0))
    document = Document(str(out))
    parts = [t for t in document.tables if t.rows[0].cells[0].text == "Tổ chức cơ sở đảng"]
    assert len(parts) >= 2
    assert [r.cells[0].text for r in parts[1].rows[1:]] == [str(r[0]) for r in wide.rows]  # the key repeated
    heads = [c.text for t in parts for c in t.rows[0].cells[1:]]
    assert heads == [str(y) for y in years]  # every year once, in order
    captions = [p.text for p in document.paragraphs if p.text.startswith("Bảng 1. Đảng viên theo năm")]
    assert captions[1] == f"Bảng 1. Đảng viên theo năm (tiếp theo, phần 2/{len(parts)})"
    orient = [s.orientation for s in document.sections]
    assert WD_ORIENT.LANDSCAPE in orient and orient[-1] == WD_ORIENT.PORTRAIT
