"""The one change of state the tables make: an export, audited (who, which unit, which date, which tables)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from dangvu.audit.services import Actor, audit
from dangvu.orgs.models import Organization

from .builder import Unit, build
from .definitions import Table
from .xlsx import render


def tables_export(*, root: Organization, on: dt.date, tables: list[Table], actor: Any, issuer: Unit) -> bytes:
    """The tables for the root as at the date, as an XLSX workbook; the export is audited in one transaction."""
    figures = build(root, on, tables, by_unit=False)
    data = render(figures, issuer=issuer, on=on)
    with transaction.atomic():
        audit(
            actor=Actor.of(actor),
            action="tables_export",
            obj=root,
            after={"ngày": on.isoformat(), "biểu": [t.code for t in tables]},
        )
    return data
