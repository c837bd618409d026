"""Cells that a spreadsheet would run: the one rule every XLSX and CSV writer applies (CSV/formula injection).

A spreadsheet program reads a cell that starts with = + - or @ as a formula, and so does one that starts with a
tab or a carriage return followed by one (OWASP, "CSV Injection"): a name typed as "=HYPERLINK(…)" would run on
the reader's machine when the file is opened. The full-width forms (＝ ＋ － ＠), which some spreadsheet programs
take for the ASCII ones, count too. Spaces before such a character count as well: some readers trim them.

* XLSX: the cell stays the text typed, stored as a string and marked with the quote prefix (Excel's own way of
  saying "this is text"), so it is neither run on opening nor after an edit (`needs_guard` decides).
* CSV has no cell types: the text is written behind an apostrophe, as OWASP recommends (`guarded`). The exchange
  format's reader takes it off again (`unguarded`), so export → import → export keeps every name as typed; a
  text that itself begins with apostrophes before a formula character gets one more, so the two are inverse.

Numbers and dates are never touched: only text is neutralized (a negative number stays a number).
"""

from __future__ import annotations

# The characters that start a formula, ASCII and full-width; tab and carriage return start one too.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\t\r")
# Leading characters some readers trim before deciding what a cell is.
_TRIMMED = " \u00a0\u3000\n"
GUARD = "'"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula."""
    head = text.lstrip(_TRIMMED)
    return head[:1] in FORMULA_STARTS if head else False


def needs_guard(text: str) -> bool:
    """Whether a text cell must be neutralized: formula-like, possibly behind apostrophes (so that `guarded` and
    `unguarded` stay inverse for a text that already starts with the guard)."""
    return is_formula_like(text.lstrip(GUARD))


def guarded(value: str) -> str:
    """The text as written into a CSV cell: behind an apostrophe when a spreadsheet could run it."""
    return GUARD + value if needs_guard(value) else value


def unguarded(value: str) -> str:
    """The inverse of `guarded`, for readers of CSV files this product wrote."""
    return value[1:] if value.startswith(GUARD) and needs_guard(value) else value
