"""PostgreSQL: VACUUM (ANALYZE) the span table after 0006 filled every row, outside a transaction (VACUUM cannot run
inside one). The fill cleared the visibility map: until the table is vacuumed, the scope-first search's index-only
scans of span_search_idx read the table for every row (autovacuum would come, later). Statistics for the new index's
columns come with it. SQLite: nothing to do."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def vacuum(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) members_membershipspan")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("members", "0006_span_search_names")]

    operations = [migrations.RunPython(vacuum, migrations.RunPython.noop)]
