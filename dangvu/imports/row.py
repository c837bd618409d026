"""One typed data row of an import (read.py makes them; spool.py keeps the member sheets' on disk)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Row"]


@dataclass(slots=True)
class Row:
    """One data row. Its cells are a list in the sheet's column order, the field → position map shared by every
    row of the sheet: a 200.000-member file has over a million rows, and a dict per row cost more than the data."""

    number: int
    cells: list[Any]
    fields: Mapping[str, int]
    ok: bool = True  # False when a cell could not be read (the problem is already reported)

    def __getitem__(self, name: str) -> Any:
        return self.cells[self.fields[name]]

    @property
    def values(self) -> dict[str, Any]:
        return {f: self.cells[i] for f, i in self.fields.items()}
