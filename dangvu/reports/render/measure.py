"""How wide a table must be: each column measured in the font the document prints, and the page it goes on.

The rule a committee signs by: a number, a year or a share is never broken across lines ("202/0"), a word is
never split ("Khôn g xếp loại"); a table that cannot hold its columns on portrait A4 goes on a landscape page,
and one too wide even there is split into parts that repeat the key (first) column. Widths are measured with
the font's own metrics (Liberation Serif / Tinos are metric-compatible with Times New Roman, STACK_NOTES §5);
without any of those fonts a conservative estimate is used.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from .layout import Layout

# Fonts with Times New Roman's metrics, in the order tried [V STACK_NOTES §5: metric-compatible].
METRIC_FONTS = ("Times New Roman", "Liberation Serif", "Tinos")
# A cell's left and right padding, in twentieths of a point (0,8 mm each side), written into the table.
CELL_PAD_TWIPS = 45
# Room kept besides the measured text: renderers differ a little in kerning and rounding [I].
SLACK_PT = 2.0
# Without a font file, a character is taken as this share of the size (generous for Vietnamese capitals) [I].
FALLBACK_EM = 0.62
MM_PER_PT = 25.4 / 72
# A table that does not fit is first tried one point smaller before it turns the page [I].
TABLE_SHRINK_PT = 1.0


@functools.cache
def _font(bold: bool, size: float) -> object | None:
    """A Pillow font with the metrics of the document's font, or None when no such font is installed."""
    try:
        from matplotlib import font_manager
        from PIL import ImageFont
    except ImportError:  # pragma: no cover - both are dependencies of the charts
        return None
    for family in METRIC_FONTS:
        prop = font_manager.FontProperties(family=family, weight="bold" if bold else "normal")
        try:
            path = font_manager.findfont(prop, fallback_to_default=False)
        except ValueError:
            continue
        # 10x the size then divided: Pillow rounds to whole units, this keeps a tenth of a point.
        return ImageFont.truetype(path, int(size * 10))
    return None


def text_pt(text: str, size: float, *, bold: bool = False) -> float:
    """The width of `text` on one line, in points."""
    font = _font(bold, size)
    if font is None:
        return len(text) * size * FALLBACK_EM * (1.08 if bold else 1.0)
    return float(font.getlength(text)) / 10  # type: ignore[attr-defined]


def is_unbreakable(value: object) -> bool:
    """Numbers (and what prints as one: a year, a share, '23/56') stay on one line whole."""
    return isinstance(value, int | float) or type(value).__name__ in ("Fraction", "Decimal")


def tokens(text: str, whole: bool) -> list[str]:
    return [text] if whole else text.split()


@dataclass(frozen=True)
class Column:
    least_pt: float  # the longest thing that may not be broken, with padding
    cells_pt: float  # the longest cell on one line (the rows read best unwrapped; a header may take two lines)
    wish_pt: float  # the header on one line too


def measure(header: Sequence[str], rows: Sequence[Sequence[str]], whole: Sequence[bool], size: float) -> list[Column]:
    """Each column's least and wished width at `size`. `whole[j]`: the column's cells are never broken."""
    pad = 2 * CELL_PAD_TWIPS / 20 + SLACK_PT
    out = []
    for j, head in enumerate(header):
        least = max([text_pt(w, size, bold=True) for w in head.split()] + [0.0])
        cells = 0.0
        for r in rows:
            cell = r[j]
            for t in tokens(cell, whole[j] or _looks_numeric(cell)):
                least = max(least, text_pt(t, size))
            cells = max(cells, text_pt(cell, size))
        cells = max(cells, least)
        out.append(Column(least + pad, cells + pad, max(cells, text_pt(head, size, bold=True)) + pad))
    return out


def _looks_numeric(cell: str) -> bool:
    """'1.382', '41,07%', '23/56', '2016': digits with their separators stay whole even in a text column."""
    s = cell.strip()
    return bool(s) and all(ch.isdigit() or ch in ".,%/–-+ " for ch in s) and any(ch.isdigit() for ch in s)


def spread(cols: Sequence[Column], room_pt: float) -> list[float]:
    """Widths filling `room_pt`: every column its least; then toward each longest cell on one line; then toward
    each header on one line; each step shared by how much more a column wants. What is left when every wish is
    met goes to the columns in proportion to their width."""
    widths = [c.least_pt for c in cols]
    for target in ([c.cells_pt for c in cols], [c.wish_pt for c in cols]):
        left = room_pt - sum(widths)
        want = [max(t - w, 0.0) for t, w in zip(target, widths, strict=True)]
        if left <= 0 or not sum(want):
            continue
        k = min(1.0, left / sum(want))
        widths = [w + x * k for w, x in zip(widths, want, strict=True)]
    left = room_pt - sum(widths)
    if left > 0:
        total = sum(widths)
        widths = [w + left * w / total for w in widths]
    return widths


@dataclass(frozen=True)
class Plan:
    """How a table goes on paper: its type size, the page's orientation, and the column groups (one part each;
    the first column in every part)."""

    size: float
    landscape: bool
    parts: list[list[int]]
    widths_pt: list[list[float]]  # each part's column widths, in points

    @property
    def split(self) -> bool:
        return len(self.parts) > 1


def room_pt(layout: Layout, landscape: bool) -> float:
    width = layout.page_height_mm if landscape else layout.page_width_mm
    return (width - layout.margin_left_mm - layout.margin_right_mm) / MM_PER_PT


def plan(header: Sequence[str], rows: Sequence[Sequence[str]], whole: Sequence[bool], layout: Layout) -> Plan:
    """The first of: portrait at the table's size, portrait one point smaller, landscape at either size, then
    landscape split into parts repeating the key column."""
    sizes = (layout.table_pt, layout.table_pt - TABLE_SHRINK_PT)
    for landscape in (False, True):
        for size in sizes:
            cols = measure(header, rows, whole, size)
            if sum(c.least_pt for c in cols) <= room_pt(layout, landscape):
                widths = spread(cols, room_pt(layout, landscape))
                return Plan(size, landscape, [list(range(len(header)))], [widths])
    size = sizes[-1]
    cols = measure(header, rows, whole, size)
    room = room_pt(layout, True)
    parts: list[list[int]] = []
    current: list[int] = [0]
    for j in range(1, len(cols)):
        if len(current) > 1 and sum(cols[i].least_pt for i in [*current, j]) > room:
            parts.append(current)
            current = [0]
        current.append(j)
    parts.append(current)
    return Plan(size, True, parts, [spread([cols[i] for i in part], room) for part in parts])
