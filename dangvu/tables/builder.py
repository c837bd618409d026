"""The statistics tables for a root and a date: the definitions (the package's folder and the office's), the figures
(plain data, for the XLSX renderer, the page and the API) and each cell's records.

The figures of a root and of each unit directly under it are counted in the same statements (tally_by_root over
every root at once), so the page can show that the root's figure is its units' summed (HD 11-HD/BTCTW I.2 [V]).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from dangvu.dbrouting import heavy_reads
from dangvu.domain.vietnamese import sort_key
from dangvu.orgs.models import Organization, OrgVersion, valid_on

from .definitions import DefinitionError, Grid, Table, load_files
from .evaluate import derive, evaluate, takes_cell
from .sources import (
    Record,
    facts_by_root,
    member_facts,
    member_keys,
    member_prepare,
    member_rows,
    records,
    roots_of_units,
)

PACKAGE_DIR = Path(__file__).with_name("bieu")


def definition_files() -> list[Path]:
    """The package's files, then the office's (settings.DANGVU_TABLES_DIR, optional), each folder by name."""
    files = sorted(PACKAGE_DIR.glob("*.toml"))
    extra = getattr(settings, "DANGVU_TABLES_DIR", "")
    if extra:
        folder = Path(extra)
        if not folder.is_dir():
            raise DefinitionError(f"Thư mục biểu thống kê '{folder}' (DANGVU_TABLES_DIR) không có.")
        files += sorted(folder.glob("*.toml"))
    return files


def all_tables() -> list[Table]:
    return load_files(definition_files())


def table_by_code(code: str) -> Table | None:
    return next((t for t in all_tables() if t.code == code), None)


def previous_year_end(on: dt.date) -> dt.date:
    return dt.date(on.year - 1, 12, 31)


@dataclass
class Unit:
    org_id: int
    code: str
    name: str


@dataclass
class Figures:
    """One table for a root on a date: the root's grid and each direct unit's."""

    table: Table
    root: Unit
    on: dt.date
    grid: Grid
    units: list[tuple[Unit, Grid]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        t = self.table
        return {
            "code": t.code,
            "title": t.title,
            "form": t.form,
            "unit": t.unit,
            "as_of": self.on.isoformat(),
            "root": self.root.code,
            "rows": [{"key": r.key, "label": r.label} for r in t.rows],
            "columns": [{"key": c.key, "label": c.label} for c in t.columns],
            "cells": self.grid.cells,
            "units": [{"code": u.code, "name": u.name, "cells": g.cells} for u, g in self.units],
        }


def units_under(root: Organization, on: dt.date) -> list[Unit]:
    """The units directly under the root on the date, in Vietnamese order."""
    rows = OrgVersion.objects.filter(valid_on(on), parent=root).values_list(
        "organization_id", "organization__code", "name"
    )
    return sorted((Unit(*r) for r in rows), key=lambda u: sort_key(u.name))


def root_unit(root: Organization, on: dt.date) -> Unit:
    v = root.versions.filter(valid_on(on)).first() or root.versions.order_by("-valid_from").first()
    return Unit(root.pk, root.code, v.name if v else root.code)


@heavy_reads()  # statistics: the replica when there is one (dangvu/dbrouting.py)
def build(root: Organization, on: dt.date, tables: list[Table] | None = None, *, by_unit: bool = True) -> list[Figures]:
    """Every table (or those given) for the root as at the date; with by_unit, each direct unit's grid as well,
    from the same statements."""
    tables = all_tables() if tables is None else tables
    top = root_unit(root, on)
    units = units_under(root, on) if by_unit else []
    ids = [root.pk, *(u.org_id for u in units)]
    prev_day = previous_year_end(on)
    # The members' tables share one read of the root's members per date (sources.member_rows).
    paths = member_keys(tables)
    shared: dict[dt.date, Any] = {}

    def facts(t: Table, day: dt.date) -> dict[int, Any]:
        if t.source != "members":
            return facts_by_root(t, ids, day)
        if day not in shared:
            rows = member_rows(root.pk, day, paths)
            shared[day] = member_prepare(rows, paths, roots_of_units(root.pk, ids[1:], day), day)
        return member_facts(t, shared[day])

    out = []
    for t in tables:
        now = facts(t, on)
        prev = facts(t, prev_day) if t.needs_previous_year() else {}

        memo: dict[Any, Any] = {}

        def grid(org_id: int, t: Table = t, now: Any = now, prev: Any = prev, memo: Any = memo) -> Grid:
            facts = [(derive(f, on=on, age_rule=t.age_rule), n) for f, n in now.get(org_id, [])]
            before = [(derive(f, on=prev_day, age_rule=t.age_rule), n) for f, n in prev.get(org_id, [])]
            return evaluate(t, facts, before, memo)

        out.append(Figures(t, top, on, grid(root.pk), [(u, grid(u.org_id)) for u in units]))
    return out


@dataclass
class CellList:
    table: Table
    row_label: str
    column_label: str
    records: list[Record]
    on: dt.date  # the day the records were counted on (previous_year columns: 31/12 of the year before)


@heavy_reads()
def cell_records(root: Organization, on: dt.date, table: Table, row_key: str, column_key: str) -> CellList | None:
    """The records one cell counts, through the same derive/evaluate as the figure; None for an unknown cell.
    A difference column lists nothing (it counts no records of its own)."""
    row, col = table.row(row_key), table.column(column_key)
    if row is None or col is None:
        return None
    day = previous_year_end(on) if col.on == "previous_year" else on
    got: list[Record] = []
    if not col.difference:
        for rec, raw in records(table, root.pk, day):
            if takes_cell(table, row, col, derive(raw, on=day, age_rule=table.age_rule)):
                got.append(rec)
    got.sort(key=lambda r: (sort_key(r.name), r.code))
    return CellList(table, row.label, col.label, got, day)
