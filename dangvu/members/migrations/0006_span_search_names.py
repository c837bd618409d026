"""Member search, scope first (issue 14, item 1): the member's folded name and sort key beside each membership span,
and span_search_idx (organization_id, valid_to) INCLUDE (valid_from, status, member_id, name_sort, name_folded), so
that a province's search reads the province's own spans instead of the trigram index's matches for the country.

* The two columns are added empty (PostgreSQL 11+: a constant default, no table rewrite), then filled from
  members_member by one set-based UPDATE … FROM (SQLite: correlated subqueries; the embedded database is small).
* PostgreSQL: name_sort gets COLLATE "C" like Member.name_sort (ORDER BY on it compares bytewise, as Python does).
* PostgreSQL, national size (15,0 million spans, 6,8 million members): updating every span with the table's seven
  indexes in place would write each new row version into all of them at random (migration 0005 measured it on the
  member table: unfinished after 25 minutes). So the span table's secondary indexes are dropped first and rebuilt
  after the fill with maintenance_work_mem 512 MB, as the national generator builds them after its COPY. Measured on
  the national copy (dangvu_nat_search, 06/12/2026, the machine's two cores shared with six other sessions, load
  average 6–8): see FILL_SECONDS_NATIONAL below.
* The table is locked for the migration's length (one transaction: nothing half written if it stops). Migration
  0007 then vacuums the table outside a transaction (index-only scans need the visibility map the UPDATE cleared).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

# Measured on the national copy (see the module's docstring): add + fill + rebuild of the eight indexes, seconds.
FILL_SECONDS_NATIONAL = 1459  # 0006 and 0007 together: 24 min 19 s, load average 5–14 (others working)


def _drop_secondary(cur: Any, table: str) -> list[str]:
    """PostgreSQL: drop `table`'s indexes other than the primary key and those of constraints, and return the
    statements that make them again (the same approach as 0005 for members_member)."""
    cur.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
        "WHERE indrelid = %s::regclass AND NOT indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [table],
    )
    indexes = cur.fetchall()
    for name, _ in indexes:
        cur.execute(f"DROP INDEX {name}")
    return [d for _, d in indexes]


def collate_c(apps: Any, schema_editor: Any) -> None:
    """PostgreSQL: the sort key compares bytewise, as Member.name_sort (a change of collation, no table rewrite)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE members_membershipspan ALTER COLUMN name_sort TYPE text COLLATE "C"')


def fill_span_names(apps: Any, schema_editor: Any) -> None:
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor != "postgresql":
            cur.execute(
                "UPDATE members_membershipspan SET "
                "name_folded = (SELECT m.full_name_folded FROM members_member m WHERE m.id = member_id), "
                "name_sort = (SELECT m.name_sort FROM members_member m WHERE m.id = member_id)"
            )
            return
        cur.execute("SELECT EXISTS (SELECT 1 FROM members_membershipspan)")
        if not cur.fetchone()[0]:
            return  # a new database: nothing to fill, nothing to rebuild
        # For this migration's transaction: the hash join of the fill and the index builds sort in memory.
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cur.execute("SET LOCAL work_mem = '256MB'")
        remake = _drop_secondary(cur, "members_membershipspan")
        cur.execute(
            "UPDATE members_membershipspan s SET name_folded = m.full_name_folded, name_sort = m.name_sort "
            "FROM members_member m WHERE m.id = s.member_id"
        )
        for sql in remake:
            cur.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_member_name_search")]

    operations = [
        migrations.AddField(
            model_name="membershipspan",
            name="name_folded",
            field=models.CharField(default="", editable=False, max_length=120),
        ),
        migrations.AddField(
            model_name="membershipspan",
            name="name_sort",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(collate_c, migrations.RunPython.noop),
        migrations.RunPython(fill_span_names, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="membershipspan",
            index=models.Index(
                fields=["organization", "valid_to"],
                include=["valid_from", "status", "member", "name_sort", "name_folded"],
                name="span_search_idx",
            ),
        ),
    ]
