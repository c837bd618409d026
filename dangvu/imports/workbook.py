"""Writing the exchange format: one XLSX workbook, or a directory of CSV files (one per sheet).

Output is deterministic so that export → import → export gives identical bytes: rows arrive sorted,
workbook properties carry a fixed timestamp (the export's as-of date) and zip entries a fixed time
(xlsx.py). Dates are real date cells shown dd/mm/yyyy; identifiers are text cells in text-formatted
columns, so that Excel keeps leading zeros even when a user retypes them. A text a spreadsheet would run as a
formula is neutralized (domain.cells): quote-prefixed in XLSX, behind an apostrophe in CSV (read back without it).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dangvu.domain.cells import guarded

from . import xlsx
from .format import (
    BOOL,
    CATALOG,
    CODE,
    CODES,
    DATE,
    DECIMAL,
    DIGITS,
    ENUM,
    ENUMS,
    GUIDE_NAME,
    SHEETS,
    Column,
    Sheet,
    catalog_rows,
)

Dataset = Mapping[str, Sequence[Mapping[str, Any]]]  # sheet slug -> rows of canonical values


def written(col: Column, value: Any) -> Any:
    """A canonical value as it appears in the file: labels for enumerations, codes joined by '; '."""
    if value is None:
        return None
    if col.kind == ENUM:
        return ENUMS[col.enum].label(value) or None
    if col.kind == CODES:
        return "; ".join(value) or None
    if col.kind == DATE:
        return value
    if col.kind == BOOL:
        return "Có" if value else "Không"
    if col.kind == DECIMAL:
        # A number cell; at most 4 decimals (the models' scale), so the float's shortest text is exact.
        return int(value) if value == value.to_integral_value() else float(value)
    return value if value != "" else None


def write(
    dataset: Dataset,
    path: str | Path,
    *,
    stamp: dt.datetime,
    guide: Sequence[str] = (),
    sample: bool = False,
) -> Path:
    """XLSX if path ends with .xlsx, else a directory of CSV files. `guide` adds a 'Hướng dẫn' sheet;
    `sample` shows the data rows as sample rows (grey italics)."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        write_xlsx(dataset, p, stamp=stamp, guide=guide, sample=sample)
    else:
        write_csv(dataset, p, guide=guide)
    return p


def _sheets(dataset: Dataset) -> list[tuple[Sheet, Sequence[Mapping[str, Any]]]]:
    out: list[tuple[Sheet, Sequence[Mapping[str, Any]]]] = [(s, dataset.get(s.slug, [])) for s in SHEETS]
    out.append((CATALOG, catalog_rows()))
    return out


# ---------------------------------------------------------------- CSV


def _csv_value(col: Column, value: Any) -> str:
    v = written(col, value)
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, float):
        return str(v).replace(".", ",")  # the Vietnamese decimal comma; the reader takes both
    if isinstance(v, str):
        return guarded(v)  # a text a spreadsheet would run goes behind an apostrophe (domain.cells)
    return str(v)


def write_csv(dataset: Dataset, path: Path, *, guide: Sequence[str] = ()) -> None:
    """UTF-8 with a byte-order mark (Excel then reads Vietnamese correctly), one file per sheet."""
    path.mkdir(parents=True, exist_ok=True)
    for sheet, rows in _sheets(dataset):
        with (path / sheet.csv_name).open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(sheet.headers)
            for row in rows:
                w.writerow([_csv_value(c, row.get(c.field)) for c in sheet.columns])
    if guide:
        with (path / "huong_dan.csv").open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([GUIDE_NAME])
            for line in guide:
                w.writerow([guarded(line)])


# ---------------------------------------------------------------- XLSX


def write_xlsx(
    dataset: Dataset, path: Path, *, stamp: dt.datetime, guide: Sequence[str] = (), sample: bool = False
) -> None:
    sheets: list[xlsx.Worksheet] = []
    if guide:
        ws = xlsx.Worksheet(GUIDE_NAME, widths=[120], freeze_header=False)
        for i, line in enumerate(guide):
            ws.append([line], [xlsx.HEADER if i == 0 else xlsx.WRAP])
        sheets.append(ws)
    for sheet, rows in _sheets(dataset):
        column_styles = [
            xlsx.DATE if c.kind == DATE else xlsx.TEXT if c.kind in (CODE, DIGITS, CODES) else xlsx.PLAIN
            for c in sheet.columns
        ]
        styles = column_styles
        if sample and sheet is not CATALOG:
            styles = [{xlsx.DATE: xlsx.SAMPLE_DATE, xlsx.TEXT: xlsx.SAMPLE_TEXT}.get(s, xlsx.SAMPLE) for s in styles]
        ws = xlsx.Worksheet(sheet.name, widths=[c.width for c in sheet.columns], column_styles=column_styles)
        ws.append(sheet.headers, [xlsx.HEADER] * len(sheet.columns))
        for row in rows:
            ws.append([written(c, row.get(c.field)) for c in sheet.columns], styles)
        sheets.append(ws)
    xlsx.save(sheets, path, stamp=stamp, title="Dữ liệu trao đổi Đảng vụ")
