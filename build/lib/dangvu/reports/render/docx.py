"""DOCX through docxtpl: the template holds the HD 36 layout and the wording around the body; the builder's
sections fill it. Tables become sub-documents, charts inline images."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from pathlib import Path
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError

from dangvu.domain.errors import RuleError
from dangvu.domain.reports.model import ChartRef, Paragraph, Report, Table, TableRef
from dangvu.domain.vietnamese import fmt_decimal, fmt_int, fmt_percent, nfc

from ..docx_templates import default_template
from .charts import chart_png
from .layout import LAYOUT, Layout

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


MARKER = "⟦bảng {n}⟧"  # where the template's {{ b.marker }} put a table; replaced after rendering


def add_table(doc: Any, t: Table, layout: Layout) -> Any:
    table = doc.add_table(rows=1 + len(t.rows), cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    size = layout.table_pt if len(t.columns) <= 8 else layout.table_pt - 2  # wide tables a size smaller [I]
    margins = table._tbl.tblPr.makeelement(qn("w:tblCellMar"), {})
    for side in ("left", "right"):  # narrow cell padding (0,8 mm) so numbers do not wrap
        m = margins.makeelement(qn(f"w:{side}"), {qn("w:w"): "45", qn("w:type"): "dxa"})
        margins.append(m)
    table._tbl.tblPr.append(margins)
    texts = [[cell_text(v, j in t.percent_columns, t.columns[j] in PLAIN) for j, v in enumerate(r)] for r in t.rows]
    if len(t.columns) > 8:  # wide tables: the header says "%", the cells carry the number only
        texts = [[x.removesuffix("%") if j in t.percent_columns else x for j, x in enumerate(r)] for r in texts]
    # Widths follow the content: numeric columns get what their longest cell (or header word) needs, text columns
    # share the rest by their length; a character is about half the size in width, plus the cell's padding [I].
    char_mm, pad_mm = size * 0.353 * 0.62, 2.4
    need = [
        max([len(w) for w in head.split()] + [len(r[j]) for r in texts] + [1]) * char_mm + pad_mm
        for j, head in enumerate(t.columns)
    ]
    numeric = [
        bool(t.rows) and all(isinstance(r[j], int | float | Fraction | Decimal) or r[j] is None for r in t.rows)
        for j in range(len(t.columns))
    ]
    fixed = sum(n for n, num in zip(need, numeric, strict=True) if num)
    text_need = sum(n for n, num in zip(need, numeric, strict=True) if not num) or 1
    room = max(layout.text_width_mm - fixed, 0)
    if fixed + text_need <= layout.text_width_mm or room < 20 * (len(need) - sum(numeric)):
        scale = layout.text_width_mm / (fixed + text_need)
        width_mm = [n * scale for n in need]
    else:
        width_mm = [n if num else room * n / text_need for n, num in zip(need, numeric, strict=True)]
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), width_mm, strict=True):
        col.set(qn("w:w"), str(int(w / 25.4 * 1440)))
    for row in table.rows:
        for cell, w in zip(row.cells, width_mm, strict=True):
            cell.width = Mm(w)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {}))  # repeated on each page
    for j, head in enumerate(t.columns):
        p = table.rows[0].cells[j].paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(head), layout, size, bold=True)
    for i, row in enumerate(t.rows, start=1):
        cells = table.rows[i].cells
        for j, value in enumerate(row):
            p = cells[j].paragraphs[0]
            is_number = isinstance(value, int | float | Fraction | Decimal) and not isinstance(value, bool)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if is_number else WD_ALIGN_PARAGRAPH.LEFT
            _font(p.add_run(texts[i - 1][j]), layout, size)
    return table


def place_tables(tpl: DocxTemplate, tables: dict[str, Table], layout: Layout) -> None:
    """Move each table to its marker paragraph (python-docx builds it at the end of the body, then it is moved)."""
    doc = tpl.docx
    for p in list(doc.paragraphs):
        t = tables.get(p.text.strip())
        if t is None:
            continue
        table = add_table(doc, t, layout)
        p._p.addprevious(table._tbl)
        for r in list(p.runs):  # the marker's paragraph stays, empty, as the space after the table
            r._r.getparent().remove(r._r)


def context(tpl: DocxTemplate, rep: Report, layout: Layout) -> dict[str, Any]:
    h = rep.header
    n_table = n_chart = 0
    tables: dict[str, Table] = {}
    sections = []
    for s in rep.sections:
        blocks: list[dict[str, Any]] = []
        for b in s.blocks:
            if isinstance(b, Paragraph):
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
