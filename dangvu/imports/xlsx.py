"""A small, fast and deterministic XLSX (SpreadsheetML) writer for the exchange format.

Why not openpyxl here: without lxml, openpyxl serializes cells through a pure-Python XML writer at about
35,000 cells a second, so a district's export (~700,000 cells) took 15 s; this writer streams the same
markup as text in about a tenth of that. It writes only what the format needs: inline strings, dates as
serial numbers with a dd/mm/yyyy style, text-formatted identifier columns, a bold frozen header row,
column widths. Every byte depends only on the data and the given timestamp (fixed zip entry times too),
so export → import → export gives identical files. Files are read back with python-calamine and
openpyxl in the tests.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from dangvu.domain.cells import needs_guard

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 in the 1900 date system (past the 1900 leap-year bug)

# Cell styles (indexes into cellXfs below)
PLAIN, HEADER, DATE, TEXT, SAMPLE, SAMPLE_DATE, SAMPLE_TEXT, WRAP = range(8)

_STYLES_TEMPLATE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>\
<fonts count="3">\
<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><i/><sz val="11"/><color rgb="FF808080"/><name val="Calibri"/><family val="2"/></font>\
</fonts>\
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
<fill><patternFill patternType="solid"><fgColor rgb="FFDDE6F0"/><bgColor indexed="64"/></patternFill></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
{cell_xfs}<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""
# Each style above, and the same with the quote prefix (QUOTED + style): a text cell a spreadsheet could read as a
# formula is marked as text, so it stays the letters typed even after an edit (domain.cells).
_XFS = [
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"{q}/>',
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"{q}/>',
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"{q}/>',
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"{q}/>',
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"{q}/>',
    '<xf numFmtId="164" fontId="2" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"{q}/>',
    '<xf numFmtId="49" fontId="2" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"{q}/>',
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"{q}>'
    '<alignment vertical="top" wrapText="1"/></xf>',
]
QUOTED = len(_XFS)
_CELL_XFS = [x.format(q="") for x in _XFS] + [x.format(q=' quotePrefix="1"') for x in _XFS]
_STYLES = _STYLES_TEMPLATE.replace("{cell_xfs}", f'<cellXfs count="{len(_CELL_XFS)}">{"".join(_CELL_XFS)}</cellXfs>')


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
# Characters XML 1.0 cannot carry (control characters other than tab, newline, carriage return).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def col_letter(i: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


@dataclass
class Worksheet:
    name: str
    widths: Sequence[float] = ()
    column_styles: Sequence[int] = ()  # style for cells typed later in the column (text, date)
    freeze_header: bool = True
    rows: list[str] = field(default_factory=list)

    def append(self, values: Sequence[Any], styles: Sequence[int]) -> None:
        """One row; a value is str, dt.date, int/float or None (empty); styles[i] applies to values[i]."""
        r = len(self.rows) + 1
        cells = []
        for i, (v, s) in enumerate(zip(values, styles, strict=True)):
            if v is None or v == "":
                continue
            ref = f"{col_letter(i)}{r}"
            style = f' s="{s}"' if s else ""
            if isinstance(v, str):
                if needs_guard(v):
                    style = f' s="{QUOTED + s}"'
                text = escape(_ILLEGAL.sub("", v)).replace("\r", "&#13;")  # XML readers turn a bare CR into LF
                space = ' xml:space="preserve"' if text != text.strip() or "\n" in text or "&#13;" in text else ""
                cells.append(f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif isinstance(v, dt.date):
                day = v.date() if isinstance(v, dt.datetime) else v
                cells.append(f'<c r="{ref}"{style}><v>{(day - EPOCH).days}</v></c>')
            elif isinstance(v, bool):
                cells.append(f'<c r="{ref}"{style} t="b"><v>{int(v)}</v></c>')
            else:
                cells.append(f'<c r="{ref}"{style}><v>{v}</v></c>')
        self.rows.append(f'<row r="{r}">{"".join(cells)}</row>')

    def xml(self) -> Iterable[str]:
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
        if self.freeze_header:
            yield (
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            )
        yield '<sheetFormatPr defaultRowHeight="15"/>'
        if self.widths:
            cols = []
            for i, w in enumerate(self.widths, start=1):
                s = self.column_styles[i - 1] if i - 1 < len(self.column_styles) else PLAIN
                style = f' style="{s}"' if s else ""
                cols.append(f'<col min="{i}" max="{i}" width="{w}"{style} customWidth="1"/>')
            yield f"<cols>{''.join(cols)}</cols>"
        yield "<sheetData>"
        yield from self.rows
        yield '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        yield "</worksheet>"


def _core(stamp: dt.datetime, title: str) -> str:
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>Đảng vụ</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{iso}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{iso}</dcterms:modified></cp:coreProperties>'
    )


def save(sheets: Sequence[Worksheet], path: Path, *, stamp: dt.datetime, title: str) -> None:
    n = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>'
        f"{overrides}"
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/>'
        "</Types>"
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    )
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Đảng vụ</Application></Properties>"
    )
    book_sheets = "".join(
        f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{book_sheets}</sheets></workbook>'
    )
    book_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1)
    )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">{book_rels}'
        f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
    )
    parts: list[tuple[str, Iterable[str]]] = [
        ("[Content_Types].xml", [content_types]),
        ("_rels/.rels", [root_rels]),
        ("docProps/app.xml", [app]),
        ("docProps/core.xml", [_core(stamp, title)]),
        ("xl/workbook.xml", [workbook]),
        ("xl/_rels/workbook.xml.rels", [workbook_rels]),
        ("xl/styles.xml", [_STYLES]),
    ]
    parts += [(f"xl/worksheets/sheet{i}.xml", s.xml()) for i, s in enumerate(sheets, start=1)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, chunks in parts:
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            with z.open(entry, "w") as fh:
                for chunk in chunks:
                    fh.write(chunk.encode("utf-8"))
