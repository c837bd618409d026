"""DOCX through docxtpl: the template holds the HD 36 layout and the wording around the body; the builder's
sections fill it. Tables become sub-documents, charts inline images."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from pathlib import Path
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError

from dangvu.domain.errors import RuleError
from dangvu.domain.reports.model import ChartRef, Paragraph, Report, Table, TableRef
from dangvu.domain.vietnamese import fmt_decimal, fmt_int, fmt_percent, nfc

from ..docx_templates import default_template
from .charts import chart_png
from .layout import LAYOUT, Layout
from .measure import CELL_PAD_TWIPS, is_unbreakable
from .measure import plan as measure_plan

PLAIN = ("Năm", "STT", "Mã")  # columns printed as they are: years are not "2.016"


def cell_text(value: Any, percent: bool, plain: bool = False) -> str:
    if value is None:
        return ""
    if plain:
        return str(value)
    if isinstance(value, bool):
        return "x" if value else ""
    if percent and isinstance(value, Fraction | Decimal | float | int):
        return fmt_percent(value)
    if isinstance(value, int):
        return fmt_int(value)
    if isinstance(value, Fraction | Decimal | float):
        return fmt_decimal(value, 2)
    if isinstance(value, dt.date):
        return f"{value.day}/{value.month}/{value.year}"
    return nfc(str(value))


def _font(run: Any, layout: Layout, size: float, bold: bool = False) -> None:
    run.font.name = layout.font
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), layout.font)


# What a draft says of itself: a mark on every page, and a note above the paragraphs the committee writes.
DRAFT_MARK = "DỰ THẢO"
DRAFT_NOTE = "(Phần dự thảo, đề nghị cấp ủy thảo luận, bổ sung, hoàn chỉnh)"

MARKER = "⟦bảng {n}⟧"  # where the template's {{ b.marker }} put a table; replaced after rendering


def _cell_margins(table: Any) -> None:
    margins = table._tbl.tblPr.makeelement(qn("w:tblCellMar"), {})
    for side in ("left", "right"):  # narrow cell padding (0,8 mm) so that more fits on a line
        m = margins.makeelement(qn(f"w:{side}"), {qn("w:w"): str(CELL_PAD_TWIPS), qn("w:type"): "dxa"})
        margins.append(m)
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:  # the schema's order: tblCellMar before tblLook (Word refuses it otherwise)
        look.addprevious(margins)
    else:
        table._tbl.tblPr.append(margins)


def _keep(p: Any) -> None:
    """The paragraph stays on the page of the one after it (headings, captions, a chart above its caption)."""
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.keep_together = True


def add_table(
    doc: Any, t: Table, texts: list[list[str]], columns: list[int], widths_pt: list[float], size: float
) -> Any:
    """One table (or one part of a split table: `columns` of t) at fixed widths: the header row repeats on every
    page, no row breaks across pages, a number or a year is never broken (the widths come from measure.plan)."""
    layout = LAYOUT
    table = doc.add_table(rows=1 + len(t.rows), cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table)
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_pt, strict=True):
        col.set(qn("w:w"), str(int(w * 20)))
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        for cell, w in zip(row.cells, widths_pt, strict=True):
            cell.width = Pt(w)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))  # repeated on each page
    for k, j in enumerate(columns):
        p = table.rows[0].cells[k].paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _keep(p)  # the header row stays with the first data row
        _font(p.add_run(t.columns[j]), layout, size, bold=True)
    for i, row in enumerate(t.rows, start=1):
        cells = table.rows[i].cells
        for k, j in enumerate(columns):
            value = row[j]
            p = cells[k].paragraphs[0]
            is_number = isinstance(value, int | float | Fraction | Decimal) and not isinstance(value, bool)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if is_number else WD_ALIGN_PARAGRAPH.LEFT
            _font(p.add_run(texts[i - 1][j]), layout, size)
    return table


def _end_section(doc: Any, last: Any, *, landscape: bool) -> Any:
    """Make the paragraph `last` the end of a section (OOXML keeps a section's properties in its last paragraph),
    its pages turned `landscape` or not; the next section starts on a new page and takes the body's orientation
    back unless its own end says otherwise. When `last` is not a paragraph, an empty one is added after it."""
    if last.tag != qn("w:p") or last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
        p = OxmlElement("w:p")
        last.addnext(p)
        last = p
    sect = copy.deepcopy(doc.element.body.sectPr)
    size = sect.find(qn("w:pgSz"))
    w, h = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
    if landscape != (w > h):
        size.set(qn("w:w"), str(h))
        size.set(qn("w:h"), str(w))
    if landscape:
        size.set(qn("w:orient"), "landscape")
    elif size.get(qn("w:orient")) is not None:
        del size.attrib[qn("w:orient")]
    kind = sect.find(qn("w:type"))
    if kind is None:
        kind = OxmlElement("w:type")
        sect.insert(0, kind)
    kind.set(qn("w:val"), "nextPage")
    last.get_or_add_pPr().append(sect)
    return last


def table_texts(t: Table) -> list[list[str]]:
    return [[cell_text(v, j in t.percent_columns, t.columns[j] in PLAIN) for j, v in enumerate(r)] for r in t.rows]


def place_tables(tpl: DocxTemplate, tables: dict[str, Table], layout: Layout) -> None:
    """Move each table to its marker paragraph (python-docx builds it at the end of the body, then it is moved).
    A table too wide for portrait A4 goes on landscape pages of its own, its caption with it; one too wide even
    there is split into parts, each repeating the first column under a caption saying which part it is."""
    doc = tpl.docx
    landscape_ends: list[Any] = []  # the paragraphs ending a landscape section (kept referenced)
    for p in list(doc.paragraphs):
        t = tables.get(p.text.strip())
        if t is None:
            continue
        texts = table_texts(t)
        whole = [
            (bool(t.rows) and all(is_unbreakable(r[j]) or r[j] is None for r in t.rows)) or t.columns[j] in PLAIN
            for j in range(len(t.columns))
        ]
        plan = measure_plan(t.columns, texts, whole, layout)
        caption = p._p.getprevious()  # the template's caption paragraph, just above the marker
        for n, (columns, widths) in enumerate(zip(plan.parts, plan.widths_pt, strict=True), start=1):
            if n > 1:
                cont = doc.add_paragraph()
                _keep(cont)
                cont.paragraph_format.space_before = Pt(layout.space_after_pt)
                run = cont.add_run(f"{_caption_of(caption)} (tiếp theo, phần {n}/{len(plan.parts)})")
                _font(run, layout, layout.table_pt, bold=True)
                p._p.addprevious(cont._p)
            table = add_table(doc, t, texts, columns, widths, plan.size)
            p._p.addprevious(table._tbl)
        if plan.landscape:
            first = caption if caption is not None and caption.tag == qn("w:p") else p._p
            before = first.getprevious()
            while before is not None and _kept_with_next(before):  # a heading just above goes with its table
                before = before.getprevious()
            merged = False
            for e in landscape_ends:
                if before is e:  # two wide tables in a row share one landscape section
                    sect = e.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
                    sect.getparent().remove(sect)
                    merged = True
            if not merged and before is not None:
                _end_section(doc, before, landscape=False)  # what came before stays portrait
            landscape_ends.append(_end_section(doc, p._p, landscape=True))  # the marker's paragraph ends it
        for r in list(p.runs):  # the marker's paragraph stays, empty, as the space after the table
            r._r.getparent().remove(r._r)


def _kept_with_next(e: Any) -> bool:
    ppr = e.find(qn("w:pPr")) if e.tag == qn("w:p") else None
    return ppr is not None and ppr.find(qn("w:keepNext")) is not None and ppr.find(qn("w:sectPr")) is None


def _caption_of(caption: Any) -> str:
    if caption is None or caption.tag != qn("w:p"):
        return ""
    return "".join(x.text or "" for x in caption.iter(qn("w:t")))


def keep_with_signature(doc: Any) -> None:
    """The signature (the body's last table) never stands alone on a page: the last paragraph of text before it,
    and the blank ones between, are kept with it."""
    body = doc.element.body
    tables = body.findall(qn("w:tbl"))
    if not tables:
        return
    prev = tables[-1].getprevious()
    while prev is not None and prev.tag == qn("w:p"):
        if prev.get_or_add_pPr().find(qn("w:sectPr")) is not None:
            return  # a section ends here: the signature starts a page of its own section anyway
        DocxParagraph(prev, doc).paragraph_format.keep_with_next = True  # python-docx keeps the schema's order
        if "".join(t.text or "" for t in prev.iter(qn("w:t"))).strip():
            return
        prev = prev.getprevious()


def mark_draft(doc: Any, layout: Layout) -> None:
    """'DỰ THẢO' at the top right of every page (the first section's header; later sections inherit it): HD 36's
    "chỉ dẫn về dự thảo văn bản" (component 11b of its layout, S93). A draft has no number yet: issuing renders
    the document again without the mark."""
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(p.add_run(DRAFT_MARK), layout, layout.number_pt, bold=True)


def context(tpl: DocxTemplate, rep: Report, layout: Layout) -> dict[str, Any]:
    h = rep.header
    n_table = n_chart = 0
    tables: dict[str, Table] = {}
    sections = []
    for s in rep.sections:
        blocks: list[dict[str, Any]] = []
        drafted = False
        for b in s.blocks:
            if isinstance(b, Paragraph) and b.is_draft:
                # The committee's own judgement, offered to edit: the first of a section says so (item 5).
                blocks.append({"kind": "draft", "text": b.text, "note": "" if drafted else DRAFT_NOTE})
                drafted = True
            elif isinstance(b, Paragraph):
                blocks.append({"kind": "para", "text": b.text})
            elif isinstance(b, TableRef):
                n_table += 1
                marker = MARKER.format(n=n_table)
                tables[marker] = b.table
                blocks.append({"kind": "table", "caption": f"Bảng {n_table}. {b.table.title}", "marker": marker})
            elif isinstance(b, ChartRef):
                n_chart += 1
                png = chart_png(b.chart)
                blocks.append(
                    {
                        "kind": "chart",
                        "caption": f"Biểu đồ {n_chart}. {b.chart.title}",
                        "image": InlineImage(tpl, BytesIO(png), width=Mm(150)),
                    }
                )
        sections.append({"heading": s.heading, "level": s.level, "blocks": blocks})
    return {
        "superior": h.superior,
        "issuer": h.issuer,
        "number_line": h.number_line,
        "place_date": h.place_date,
        "doc_type": rep.doc_type_title,
        "subject": rep.subject.upper() if rep.kind != "list" else rep.subject,
        "title": rep.title,
        "intro": rep.intro,
        "sections": sections,
        "authority": h.authority,
        "signer_title": h.signer_title,
        "signer_name": h.signer_name,
        "recipients": h.recipients,
        "root_code": rep.root_code,
        "root_name": rep.root_name,
        "period": rep.period.printed(),
        "year": rep.period.last_year,
        "figures": {f.code: f.printed or str(f.value) for f in rep.figures},
        "sentences": {f.code: f.sentence for f in rep.figures if f.sentence},
        "draft": rep.header.number is None,
        "_tables": tables,
    }


def render_docx(
    rep: Report, out: Path, *, actor: str, at: dt.datetime, template: Path | None = None, layout: Layout = LAYOUT
) -> Path:
    path = template or default_template(rep.kind)
    if not path.exists():
        raise RuleError(f"Không tìm thấy mẫu báo cáo '{path}'.", field="template")
    try:
        tpl = DocxTemplate(str(path))
        ctx = context(tpl, rep, layout)
        tpl.render(ctx, autoescape=True)
    except TemplateError as e:
        lineno = getattr(e, "lineno", None)
        line = f", dòng {lineno}" if lineno else ""
        raise RuleError(
            f"Mẫu báo cáo '{path.name}' bị lỗi ở thẻ Jinja{line}: {e.message or e}. Sửa thẻ {{{{ … }}}} hoặc "
            "{%p … %} trong Word (xem docs/reports.md).",
            field="template",
        ) from e
    place_tables(tpl, ctx["_tables"], layout)
    keep_with_signature(tpl.docx)
    if ctx["draft"]:
        mark_draft(tpl.docx, layout)
    props = tpl.docx.core_properties
    props.author = actor
    props.last_modified_by = actor
    props.created = props.modified = at.replace(tzinfo=None)
    props.title = rep.subject
    props.subject = f"{rep.header.number_line} — {rep.root_name}"
    props.comments = f"Tạo bởi {actor} lúc {at:%d/%m/%Y %H:%M} bằng Đảng vụ"
    props.keywords = rep.kind
    tpl.save(str(out))
    return out
