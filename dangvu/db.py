"""Database housekeeping shared by the bulk paths (generator, imports)."""

from __future__ import annotations

from django.db import connection


def refresh_statistics(*tables: str) -> None:
    """ANALYZE after a bulk load (every table, or those named). SQLite keeps no statistics until ANALYZE runs, and
    without them it joins the ancestry table first and walks a whole subtree for each event (the demo district's
    indicators for 2010–today: 16 s without, 2 s with). PostgreSQL's autovacuum would get there too, later; the
    next query should not wait."""
    with connection.cursor() as cur:
        if not tables:
            cur.execute("ANALYZE")
        for table in tables:
            cur.execute(f"ANALYZE {connection.ops.quote_name(table)}")  # a model's table name, not user input
