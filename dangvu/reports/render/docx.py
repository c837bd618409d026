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
    for j, head in enumerate(t.columns):
        p = table.rows[0].cells[j].paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(head), layout, layout.table_pt, bold=True)
    for i, row in enumerate(t.rows, start=1):
        cells = table.rows[i].cells
        for j, value in enumerate(row):
            p = cells[j].paragraphs[0]
            numeric = isinstance(value, int | float | Fraction | Decimal) and not isinstance(value, bool)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
            _font(p.add_run(cell_text(value, j in t.percent_columns, t.columns[j] in PLAIN)), layout, layout.table_pt)
    return table


def place_tables(tpl: DocxTemplate, tables: dict[str, Table], layout: Layout) -> None:
    """Move each table to its marker paragraph (python-docx builds it at the end of the body, then it is moved)."""
    doc = tpl.docx
    for p in list(doc.paragraphs):
        t = tables.get(p.text.strip())
        if t is None:
            continue
        table = add_table(doc, t, layout)
        p._p.addnext(table._tbl)
        p._p.getparent().remove(p._p)


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
