"""The member sheets of an import kept on disk, not in memory (issue 13: a 200.000-member file in ≤ 400 MB).

A province's file holds hundreds of thousands of member and member-event rows; kept as Python objects from the
read to the write they cost over a gigabyte. Each typed row of those two sheets is written, as it is read, into a
temporary SQLite file (stdlib sqlite3, in a private temporary directory, mode 0700, removed when the import ends),
with the few values a cross-row check needs as indexed columns: the member's code (the key a member's events are
found by) and, for the members sheet, the identifiers that must be unique. The checks then ask the spool for what
they need — one member's events, the duplicates of a column, the distinct values in batches — and the writer reads
the members back a batch at a time. Nothing of the spool reaches the application's database.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .row import Row

__all__ = ["Spool", "SpooledRows"]

FLUSH = 5000  # rows written to the spool in one executemany
BATCH = 1000  # distinct values handed out at a time


class Spool:
    """One import's spooled sheets. Up to three indexed columns per sheet (`indexed` field names, the first being
    the key rows are grouped by)."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="dangvu-nhap-")  # mkdtemp: mode 0700
        self.db = sqlite3.connect(
            str(Path(self._dir.name) / "rows.sqlite3"), check_same_thread=False, isolation_level=None
        )
        self.db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE; PRAGMA cache_size=-16000;"
            "CREATE TABLE r (slug TEXT, number INTEGER, ok INTEGER, k0 TEXT, k1 TEXT, k2 TEXT, cells BLOB);"
        )
        self.fields: dict[str, Mapping[str, int]] = {}
        self.indexed: dict[str, tuple[str, ...]] = {}
        self._indexed_done = False

    def sink(self, slug: str, fields: Mapping[str, int], indexed: Sequence[str]) -> Callable[[Row | None], None]:
        """A function taking the sheet's rows one by one (None: the sheet is done)."""
        self.fields[slug] = fields
        self.indexed[slug] = tuple(indexed)
        positions = [fields[f] for f in indexed]
        buffer: list[tuple[Any, ...]] = []

        def flush() -> None:
            self.db.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?, ?, ?)", buffer)
            buffer.clear()

        def take(row: Row | None) -> None:
            if row is None:
                flush()
                return
            keys = [_text(row.cells[i]) for i in positions] + [""] * (3 - len(positions))
            cells = pickle.dumps(row.cells, protocol=pickle.HIGHEST_PROTOCOL)
            buffer.append((slug, row.number, int(row.ok), *keys, cells))
            if len(buffer) >= FLUSH:
                flush()

        return take

    def _ready(self) -> None:
        if not self._indexed_done:
            self.db.execute("CREATE INDEX r_k0 ON r (slug, k0, number)")
            self._indexed_done = True

    def _row(self, slug: str, number: int, ok: int, cells: bytes) -> Row:
        return Row(number, pickle.loads(cells), self.fields[slug], bool(ok))

    # ------------------------------------------------------------------ reading back

    def rows(self, slug: str) -> SpooledRows:
        return SpooledRows(self, slug)

    def iterate(self, slug: str, *, offset: int = 0, limit: int = -1) -> Iterator[Row]:
        # A sheet's rows are inserted in file order, so rowid order is file order (a scan, no sort of the blobs).
        cur = self.db.execute(
            "SELECT number, ok, cells FROM r WHERE slug = ? ORDER BY rowid LIMIT ? OFFSET ?", (slug, limit, offset)
        )
        for number, ok, cells in cur:
            yield self._row(slug, number, ok, cells)

    def count(self, slug: str) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM r WHERE slug = ?", (slug,)).fetchone()[0])

    def keyed(self, slug: str, key: str) -> list[Row]:
        """The rows whose first indexed column is `key`, in file order."""
        self._ready()
        cur = self.db.execute("SELECT number, ok, cells FROM r WHERE slug = ? AND k0 = ? ORDER BY number", (slug, key))
        return [self._row(slug, n, ok, c) for n, ok, c in cur]

    def has_key(self, slug: str, key: str) -> bool:
        self._ready()
        return self.db.execute("SELECT 1 FROM r WHERE slug = ? AND k0 = ? LIMIT 1", (slug, key)).fetchone() is not None

    def _column(self, slug: str, field: str) -> str:
        return f"k{self.indexed[slug].index(field)}"  # one of k0, k1, k2: never text from the file

    def repeats(self, slug: str, field: str, *, only_ok: bool = True) -> list[tuple[int, str, int]]:
        """(row, value, first row with that value) of every row repeating an earlier row's value of `field`."""
        k = self._column(slug, field)
        ok = "AND ok = 1" if only_ok else ""
        cur = self.db.execute(
            f"SELECT r.number, r.{k}, f.first FROM r JOIN (SELECT {k} AS v, MIN(number) AS first FROM r "
            f"WHERE slug = ? AND {k} != '' {ok} GROUP BY {k} HAVING COUNT(*) > 1) f ON r.{k} = f.v "
            f"WHERE r.slug = ? AND r.number > f.first {ok} ORDER BY r.number",
            (slug, slug),
        )
        return [(n, v, first) for n, v, first in cur]

    def firsts(self, slug: str, field: str, *, only_ok: bool = False) -> Iterator[dict[str, int]]:
        """The distinct non-empty values of `field` with the first row holding each, BATCH values at a time."""
        k = self._column(slug, field)
        ok = "AND ok = 1" if only_ok else ""
        cur = self.db.execute(
            f"SELECT {k}, MIN(number) FROM r WHERE slug = ? AND {k} != '' {ok} GROUP BY {k} ORDER BY {k}",
            (slug,),
        )
        while batch := cur.fetchmany(BATCH):
            yield dict(batch)

    def distinct(self, slug: str, field: str) -> int:
        """How many distinct non-empty values of `field` the sheet holds."""
        k = self._column(slug, field)
        return int(
            self.db.execute(f"SELECT COUNT(DISTINCT {k}) FROM r WHERE slug = ? AND {k} != ''", (slug,)).fetchone()[0]
        )

    def first_row(self, slug: str, field: str, value: str) -> int | None:
        k = self._column(slug, field)
        got = self.db.execute(f"SELECT MIN(number) FROM r WHERE slug = ? AND {k} = ?", (slug, value)).fetchone()
        return None if got is None or got[0] is None else int(got[0])

    def orphans(self, slug: str, parent: str) -> list[tuple[int, str]]:
        """(row, key) of the rows of `slug` whose non-empty key no row of `parent` has."""
        self._ready()
        cur = self.db.execute(
            "SELECT e.number, e.k0 FROM r e WHERE e.slug = ? AND e.k0 != '' AND NOT EXISTS "
            "(SELECT 1 FROM r m WHERE m.slug = ? AND m.k0 = e.k0) ORDER BY e.number",
            (slug, parent),
        )
        return [(n, k) for n, k in cur]

    def close(self) -> None:
        self.db.close()
        self._dir.cleanup()


def _text(v: Any) -> str:
    return v if isinstance(v, str) else ("" if v is None else str(v))


class SpooledRows:
    """A spooled sheet's rows, read back in file order each time they are iterated (a sized iterable)."""

    def __init__(self, spool: Spool, slug: str) -> None:
        self.spool, self.slug = spool, slug
        self._len: int | None = None

    def __iter__(self) -> Iterator[Row]:
        return self.spool.iterate(self.slug)

    def __len__(self) -> int:
        if self._len is None:
            self._len = self.spool.count(self.slug)
        return self._len

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, i: int) -> Row:
        if i < 0:
            i += len(self)
        found = list(self.spool.iterate(self.slug, offset=i, limit=1))
        if not found:
            raise IndexError(i)
        return found[0]

    def keyed(self, key: str) -> list[Row]:
        return self.spool.keyed(self.slug, key)

    def __contains__(self, key: object) -> bool:
        """Whether a row's key (first indexed column: the member's code) is `key`."""
        return isinstance(key, str) and self.spool.has_key(self.slug, key)
