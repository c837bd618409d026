"""Member search at a province's size (issue 14, item 1): the stored Vietnamese sort key and the name indexes.

* The btree on full_name_folded is dropped (no query used it).
* Member.name_sort (domain.vietnamese.person_sort_text), filled here once per distinct name, and its index
  (name_sort, id): the list and the pickers page people in Vietnamese order without sorting a province.
  PostgreSQL: the column has COLLATE "C" so that its plain index orders bytewise, as Python compares the key.
* PostgreSQL: pg_trgm and a GIN trigram index on ' ' || full_name_folded. A typed word is the start of a word of
  the name ("% ng%"): the leading space makes the start of the first word look like every other one, and pg_trgm
  keeps the word start in its trigrams ("  n", " ng"), so even a one-letter word narrows the index scan.
* SQLite: an FTS5 table over full_name_folded (external content: members_member), kept current by triggers on
  members_member, whoever writes it (services, bulk loads, imports, raw SQL). Django rebuilds a SQLite table for
  some later AlterField operations, which drops its triggers: such a migration must create them again
  (tests/members/test_search.py finds a new member by name on SQLite, so a lost trigger fails a test).
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from dangvu.domain.vietnamese import person_sort_text

FTS_SQL = [
    "CREATE VIRTUAL TABLE members_member_fts USING fts5(full_name_folded, content='members_member', "
    "content_rowid='id', prefix='2 3', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER members_member_fts_ai AFTER INSERT ON members_member BEGIN "
    "INSERT INTO members_member_fts(rowid, full_name_folded) VALUES (new.id, new.full_name_folded); END",
    "CREATE TRIGGER members_member_fts_ad AFTER DELETE ON members_member BEGIN "
    "INSERT INTO members_member_fts(members_member_fts, rowid, full_name_folded) "
    "VALUES ('delete', old.id, old.full_name_folded); END",
    "CREATE TRIGGER members_member_fts_au AFTER UPDATE OF full_name_folded ON members_member BEGIN "
    "INSERT INTO members_member_fts(members_member_fts, rowid, full_name_folded) "
    "VALUES ('delete', old.id, old.full_name_folded); "
    "INSERT INTO members_member_fts(rowid, full_name_folded) VALUES (new.id, new.full_name_folded); END",
    "INSERT INTO members_member_fts(members_member_fts) VALUES ('rebuild')",
]
FTS_DROP = [
    "DROP TRIGGER IF EXISTS members_member_fts_au",
    "DROP TRIGGER IF EXISTS members_member_fts_ad",
    "DROP TRIGGER IF EXISTS members_member_fts_ai",
    "DROP TABLE IF EXISTS members_member_fts",
]
TRGM_SQL = (
    "CREATE INDEX member_name_trgm_idx ON members_member USING gin ((' ' || full_name_folded) gin_trgm_ops)"
)


def _run(vendor: str, forward: list[str], backward: list[str]) -> migrations.RunPython:
    """SQL for one database only: a no-op on the other."""

    def run(statements: list[str]) -> Any:
        def go(apps: Any, schema_editor: Any) -> None:
            if schema_editor.connection.vendor == vendor:
                for sql in statements:
                    schema_editor.execute(sql)

        return go

    return migrations.RunPython(run(forward), run(backward))


class _Trigram(TrigramExtension):
    """pg_trgm, on PostgreSQL only: Django guards the forward step by the database, not the backward one."""

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _drop_secondary(cur: Any) -> list[str]:
    """PostgreSQL: drop members_member's unique constraints and indexes other than the primary key, and return the
    statements that make them again. Updating every row of a national table (6,8 million) with them in place
    rewrote index pages at random for half an hour and more (measured); rebuilt after the update, a minute or two
    each, as the national generator does after its COPY."""
    cur.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'members_member'::regclass AND contype = 'u' ORDER BY conname"
    )
    constraints = cur.fetchall()
    cur.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
        "WHERE indrelid = 'members_member'::regclass AND NOT indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1"
    )
    indexes = cur.fetchall()
    for name, _ in constraints:
        cur.execute(f'ALTER TABLE members_member DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cur.execute(f"DROP INDEX {name}")
    return [f'ALTER TABLE members_member ADD CONSTRAINT "{n}" {d}' for n, d in constraints] + [d for _, d in indexes]


def fill_name_sort(apps: Any, schema_editor: Any) -> None:
    """One key per distinct name (a country has far fewer names than members), applied by one UPDATE … FROM."""
    conn = schema_editor.connection
    with conn.cursor() as cur:
        cur.execute("SELECT DISTINCT full_name FROM members_member")
        keys = [(name, person_sort_text(name)) for (name,) in cur.fetchall()]
        if not keys:
            return
        remake: list[str] = []
        if conn.vendor == "postgresql":
            # For this migration's transaction: the index builds here and below (the GIN index) sort in memory.
            cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
            remake = _drop_secondary(cur)
        cur.execute("CREATE TEMPORARY TABLE member_name_keys (full_name varchar(120) PRIMARY KEY, name_sort text)")
        for i in range(0, len(keys), 5000):
            cur.executemany("INSERT INTO member_name_keys (full_name, name_sort) VALUES (%s, %s)", keys[i : i + 5000])
        cur.execute(
            "UPDATE members_member SET name_sort = k.name_sort FROM member_name_keys k "
            "WHERE members_member.full_name = k.full_name"
        )
        cur.execute("DROP TABLE member_name_keys")
        for sql in remake:
            cur.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_event_member_kind_on_index")]

    operations = [
        # The btree on the folded name served no query (LIKE '%…%'): dropped, which spares the national generator
        # two index builds and the fill below two indexes to keep. Before the FTS5 triggers: SQLite rebuilds the
        # table for this change.
        migrations.AlterField(
            model_name="member",
            name="full_name_folded",
            field=models.CharField(max_length=120),
        ),
        migrations.AddField(
            model_name="member",
            name="name_sort",
            field=models.TextField(default="", editable=False),
        ),
        _run("postgresql", ['ALTER TABLE members_member ALTER COLUMN name_sort TYPE text COLLATE "C"'], []),
        migrations.RunPython(fill_name_sort, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["name_sort", "id"], include=["full_name_folded"], name="member_name_sort_idx"),
        ),
        migrations.AddIndex(
            model_name="membershipspan",
            index=models.Index(
                fields=["member", "valid_to", "valid_from"], include=["organization", "status"], name="span_member_cover_idx"
            ),
        ),
        _Trigram(),
        # Statistics for the new column and the index expression: without them a search for "nguyen" in a province
        # took 94 s on the national copy (measured, cold), 0,7 s after ANALYZE.
        _run("postgresql", [TRGM_SQL, "ANALYZE members_member"], ["DROP INDEX IF EXISTS member_name_trgm_idx"]),
        _run("sqlite", FTS_SQL, FTS_DROP),
    ]
