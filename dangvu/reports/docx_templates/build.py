"""Write the default templates (python -m dangvu.reports.docx_templates.build). Reproducible: the same layout and
text every run (core properties fixed; only the zip entries' timestamps differ)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from ..render.layout import LAYOUT, Layout
from . import HERE, KINDS


def set_font(
    run_or_style: object,
    layout: Layout,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = layout.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.underline = underline
    el = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element  # type: ignore[attr-defined]
    rpr = el.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), layout.font)


def para(
    container: object,
    text: str,
    layout: Layout,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: object = WD_ALIGN_PARAGRAPH.CENTER,
    indent: bool = False,
    after: float = 0,
) -> Paragraph:
    p: Paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = align  # type: ignore[assignment]
    fmt = p.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    if indent:
        fmt.first_line_indent = Mm(layout.first_line_indent_mm)
        fmt.line_spacing = layout.line_spacing
    if text:
        set_font(p.add_run(text), layout, size, bold=bold, italic=italic, underline=underline)
    return p


def no_borders(table: object) -> None:
    tbl = table._tbl  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tbl.tblPr.append(borders)


def keep(p: Paragraph) -> Paragraph:
    """Kept with the next paragraph (or table) on one page: a heading or a caption never ends a page."""
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.keep_together = True
    return p


def widths(table: object, *mm: float) -> None:
    """Fixed column widths (Word and LibreOffice read the grid, not only the cells)."""
    table.autofit = False  # type: ignore[attr-defined]
    grid = table._tbl.tblGrid  # type: ignore[attr-defined]
    for col, w in zip(grid.findall(qn("w:gridCol")), mm, strict=True):
        col.set(qn("w:w"), str(int(w / 25.4 * 1440)))
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, w in zip(row.cells, mm, strict=True):
            cell.width = Mm(w)


def cell_para(cell: _Cell, text: str, layout: Layout, size: float, **kw: object) -> Paragraph:
    """The cell's first (empty) paragraph is used once, then new ones are added."""
    p = cell.paragraphs[0]
    if p.text or getattr(cell, "_used", False):
        return para(cell, text, layout, size, **kw)  # type: ignore[arg-type]
    cell._used = True  # type: ignore[attr-defined]
    p.alignment = kw.pop("align", WD_ALIGN_PARAGRAPH.CENTER)  # type: ignore[assignment]
    p.paragraph_format.space_after = Pt(0)
    if text:
        set_font(p.add_run(text), layout, size, **kw)  # type: ignore[arg-type]
    return p


def build(kind: str, out: Path, layout: Layout = LAYOUT) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(layout.page_width_mm), Mm(layout.page_height_mm)
    sec.top_margin, sec.bottom_margin = Mm(layout.margin_top_mm), Mm(layout.margin_bottom_mm)
    sec.left_margin, sec.right_margin = Mm(layout.margin_left_mm), Mm(layout.margin_right_mm)
    normal = doc.styles["Normal"]
    set_font(normal, layout, layout.body_pt)
    normal.paragraph_format.space_after = Pt(0)  # type: ignore[union-attr]

    # Header: issuing body top left with "*", party header top right underlined (HD 36 [V]).
    head = doc.add_table(rows=1, cols=2)
    no_borders(head)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    widths(head, 70, layout.text_width_mm - 70)
    cell_para(left, "{%p if superior %}", layout, layout.issuer_pt)
    cell_para(left, "{{ superior }}", layout, layout.issuer_pt)
    cell_para(left, "{%p endif %}", layout, layout.issuer_pt)
    cell_para(left, "{{ issuer }}", layout, layout.issuer_pt, bold=True)
    cell_para(left, "*", layout, layout.issuer_pt)
    cell_para(left, "{{ number_line }}", layout, layout.number_pt)
    cell_para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", layout, layout.header_pt, bold=True, underline=True)
    cell_para(right, "", layout, layout.place_date_pt)
    cell_para(right, "{{ place_date }}", layout, layout.place_date_pt, italic=True)

    para(doc, "", layout, layout.body_pt)
    para(doc, "{{ doc_type }}", layout, layout.doc_type_pt, bold=True)
    para(doc, "{{ subject }}", layout, layout.subject_pt, bold=True)
    para(doc, "-----", layout, layout.subject_pt, after=layout.space_after_pt)
    para(doc, "{%p if intro %}", layout, layout.body_pt)
    para(
        doc,
        "{{ intro }}",
        layout,
        layout.body_pt,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent=True,
        after=layout.space_after_pt,
    )
    para(doc, "{%p endif %}", layout, layout.body_pt)
    # The body: sections of paragraphs, tables (sub-documents) and charts (images), in the builder's order.
    para(doc, "{%p for s in sections %}", layout, layout.body_pt)
    para(doc, "{%p if s.heading %}", layout, layout.body_pt)
    keep(
        para(
            doc,
            "{{ s.heading }}",
            layout,
            layout.body_pt,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            indent=True,
            after=layout.space_after_pt,
        )
    )
    para(doc, "{%p endif %}", layout, layout.body_pt)
    para(doc, "{%p for b in s.blocks %}", layout, layout.body_pt)
    para(doc, "{%p if b.kind == 'para' %}", layout, layout.body_pt)
    para(
        doc,
        "{{ b.text }}",
        layout,
        layout.body_pt,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent=True,
        after=layout.space_after_pt,
    )
    # The committee's own judgement (causes, lessons, tasks): highlighted, the section's first under a note.
    para(doc, "{%p elif b.kind == 'draft' %}", layout, layout.body_pt)
    para(doc, "{%p if b.note %}", layout, layout.body_pt)
    keep(para(doc, "{{ b.note }}", layout, layout.body_pt, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, indent=True))
    para(doc, "{%p endif %}", layout, layout.body_pt)
    text = para(
        doc,
        "{{ b.text }}",
        layout,
        layout.body_pt,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent=True,
        after=layout.space_after_pt,
    )
    text.runs[0].font.highlight_color = WD_COLOR_INDEX.YELLOW
    para(doc, "{%p elif b.kind == 'chart' %}", layout, layout.body_pt)
    keep(para(doc, "{{ b.image }}", layout, layout.body_pt))  # a chart above its caption, on one page
    para(doc, "{{ b.caption }}", layout, layout.table_pt, italic=True, after=layout.space_after_pt)
    para(doc, "{%p else %}", layout, layout.body_pt)
    keep(para(doc, "{{ b.caption }}", layout, layout.table_pt, bold=True))  # a table's caption with its table
    para(doc, "{{ b.marker }}", layout, layout.table_pt)
    para(doc, "{%p endif %}", layout, layout.body_pt)
    para(doc, "{%p endfor %}", layout, layout.body_pt)
    para(doc, "{%p endfor %}", layout, layout.body_pt)
    para(doc, "", layout, layout.body_pt)

    # Signature and recipients (HD 36: "thẩm quyền ký", "nơi nhận" [V]).
    sig = doc.add_table(rows=1, cols=2)
    no_borders(sig)
    nosplit = OxmlElement("w:cantSplit")  # the signature block stays on one page
    sig.rows[0]._tr.get_or_add_trPr().append(nosplit)
    to, sign = sig.rows[0].cells
    widths(sig, 80, layout.text_width_mm - 80)
    cell_para(to, "Nơi nhận:", layout, 12, bold=True, italic=True, underline=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_para(to, "{%p for r in recipients %}", layout, layout.recipients_pt, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_para(
        to,
        "- {{ r }}{% if loop.last %}.{% else %},{% endif %}",
        layout,
        layout.recipients_pt,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    cell_para(to, "{%p endfor %}", layout, layout.recipients_pt, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_para(sign, "{{ authority }}", layout, layout.body_pt, bold=True)
    cell_para(sign, "{{ signer_title }}", layout, layout.body_pt, bold=True)
    for _ in range(3):
        cell_para(sign, "", layout, layout.body_pt)
    cell_para(sign, "{{ signer_name }}", layout, layout.body_pt, bold=True)

    props = doc.core_properties
    props.title = f"Mẫu báo cáo ({kind})"
    props.author = "Đảng vụ"
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.last_modified_by = "Đảng vụ"
    props.revision = 1
    doc.save(str(out))
    return out


def main(argv: list[str] | None = None) -> None:
    folder = Path(argv[0]) if argv else HERE
    for kind in KINDS:
        print(build(kind, folder / f"{kind}.docx"))


if __name__ == "__main__":
    main(sys.argv[1:])
