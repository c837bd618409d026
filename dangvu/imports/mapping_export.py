"""A list back in the office's own layout: the remembered mapping's headers, in their order (issue 15, item 2).

The rows are the exchange format's export of the subtree on the date (export.export_dataset: the same scope and
the same records), laid out as the office's sheet: each mapped column filled from its field, any other column left
blank under its header. Admission and recognition come from the member's events; the organization is the one of
their latest event carrying one. Citizen IDs and card numbers are masked unless asked in full, and a text a
spreadsheet would run is written as text (xlsx.Worksheet: domain.cells) — a name typed '=HYPERLINK(…)' stays a
name. The export is one audit entry, in the transaction that writes the file."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.db import transaction

from dangvu.audit.services import Actor, audit
from dangvu.domain.membership import EventKind
from dangvu.members.queries import mask

from . import xlsx
from .export import export_dataset
from .format import CODE, CODES, DATE, DIGITS, MEMBER_EVENTS, MEMBERS
from .mapping import targets, words
from .models import SourceMapping
from .workbook import written

IDENTIFIERS = ("citizen_id", "card_number")


def _member_rows(dataset: dict[str, list[dict[str, Any]]], full: bool) -> list[dict[str, Any]]:
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in dataset[MEMBER_EVENTS.slug]:
        events[e["member"]].append(e)
    out = []
    for m in dataset[MEMBERS.slug]:
        row = dict(m)
        if not full:
            for f in IDENTIFIERS:
                if row.get(f):
                    row[f] = mask(row[f])
        evs = events.get(m["code"], [])
        admission = next((e for e in evs if e["kind"] == EventKind.ADMISSION), None)
        recognition = next((e for e in evs if e["kind"] == EventKind.RECOGNITION), None)
        if admission is not None:
            row.update(
                admitted_on=admission["on"],
                admission_ref=admission["decision_ref"],
                admission_decided_on=admission["decided_on"],
                ceremony_on=admission["ceremony_on"],
                category=admission["category"],
            )
        if recognition is not None:
            row["recognized_on"] = recognition["on"]
        row["organization"] = next((e["organization"] for e in reversed(evs) if e["organization"]), "")
        out.append(row)
    return out


def rows_in_layout(kept: SourceMapping, dataset: dict[str, list[dict[str, Any]]], *, full: bool) -> list[list[Any]]:
    """The header row as the office writes it, then one row per record in its columns."""
    target = targets()[kept.target]
    headers = [str(h or "") for h in kept.headers]
    at = {words(h): i for i, h in enumerate(headers) if h}
    fields = {at[words(h)]: target.field(key) for key, h in kept.columns.items() if words(h) in at}
    records = _member_rows(dataset, full) if kept.target == "members" else dataset[MEMBER_EVENTS.slug]
    out: list[list[Any]] = [headers]
    for r in records:
        line: list[Any] = [None] * len(headers)
        for i, f in fields.items():
            line[i] = written(f.column, r.get(f.key))
        out.append(line)
    return out


def export_office(
    kept: SourceMapping, *, root: str, on: dt.date, path: str | Path, actor: Actor, full_identifiers: bool = False
) -> int:
    """Write the subtree's list on `on` in the remembered layout as .xlsx; the number of rows written."""
    target = targets()[kept.target]
    data = rows_in_layout(kept, export_dataset(root, on).dataset, full=full_identifiers)
    styles_of = {words(h): f for key, h in kept.columns.items() for f in [target.field(key)]}
    styles = [
        xlsx.DATE
        if (f := styles_of.get(words(str(h or "")))) and f.column.kind == DATE
        else xlsx.TEXT
        if f and f.column.kind in (CODE, CODES, DIGITS)
        else xlsx.PLAIN
        for h in data[0]
    ]
    ws = xlsx.Worksheet((kept.sheet or "Danh sách")[:31], widths=[18] * len(data[0]), column_styles=styles)
    ws.append(data[0], [xlsx.HEADER] * len(data[0]))
    for line in data[1:]:
        ws.append(line, styles)
    with transaction.atomic():
        xlsx.save([ws], Path(path), stamp=dt.datetime.combine(on, dt.time()), title=kept.name or "Danh sách")
        audit(
            actor=actor,
            action="import_mapping_export",
            # A layout remembered on the web, or one read from a list given on the command line (not stored).
            obj=kept if kept.pk else None,
            object_type="" if kept.pk else "imports.sourcemapping",
            object_id="" if kept.pk else (kept.name or "?")[:40],
            after={"root": root, "on": on.isoformat(), "rows": len(data) - 1, "full_identifiers": full_identifiers},
        )
    return len(data) - 1
