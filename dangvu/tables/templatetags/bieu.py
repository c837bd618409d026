"""Template filters of the tables' pages: a cell of a grid, a change printed with its sign."""

from __future__ import annotations

from typing import Any

from django import template

from dangvu.domain.vietnamese import fmt_int

register = template.Library()


@register.filter
def cell(cells: Any, key: str) -> Any:
    """cells|cell:row|cell:column, for Grid.cells (a dict of dicts)."""
    return cells.get(key, {}) if isinstance(cells, dict) else 0


@register.filter
def signed(n: Any) -> str:
    """ "+1", "−2", "0": a change from the year before."""
    if not isinstance(n, int):
        return ""
    return f"+{fmt_int(n)}" if n > 0 else (f"−{fmt_int(-n)}" if n < 0 else "0")
