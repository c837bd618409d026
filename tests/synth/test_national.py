"""The national profile on a small number of members (PostgreSQL: it loads with COPY). The indexes and constraints
are rebuilt after the load commits, on two sessions at once (dangvu.synth.national_indexes): the same records as the
generator wrote when it built them one after the other in the loading transaction, and the same schema.

The counts and sample checksums below were taken from the generator as it was before that change (commit 86c9110,
seed 3, 20.000 members, today 01/12/2026). A change that alters the generated records on purpose updates them, and
says so in its commit."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.db import connection
from fixtures.races import ON_POSTGRES

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not ON_POSTGRES, reason="Cần PostgreSQL: hồ sơ toàn quốc nạp bằng COPY."),
    pytest.mark.django_db(transaction=True),
]

COUNTS = {
    "orgs_organization": 321_061,
    "orgs_lineageevent": 366_055,
    "orgs_lineagelink": 411_187,
    "orgs_orgversion": 549_269,
    "orgs_organcestry": 2_181_309,
    "members_member": 24_275,
    "members_memberevent": 62_594,
    "members_membershipspan": 53_408,
    "work_due": 2_546,
}
MEMBER = (
    "id, code, full_name, full_name_folded, birth_name, gender, birth_date, birth_place, ethnicity, religion, "
    "hometown, "
    "hometown_old, residence, citizen_id, card_number, dossier_number, phone, general_education, "
    "professional_education, degree, political_theory, occupation, youth_union_on, introducers, "
    "party_age_confirmed_from, name_sort"
)
EVENT = (
    'id, kind, "on", decision_ref, decided_on, ceremony_on, reviewed_on, until, category, approval_ref, counterpart, '
    "note, lineage_event_id, member_id, organization_id"
)
# The columns as they stood (a column added later does not change what these rows say).
SAMPLES = {  # (rows, first 16 hex digits of the SHA-256 of their repr)
    f"SELECT {MEMBER} FROM members_member WHERE id % 997 = 1 ORDER BY id": (25, "383ac2a56456a40e"),
    f"SELECT {EVENT} FROM members_memberevent WHERE member_id % 997 = 1 ORDER BY id": (56, "c681f4f26ae0f3da"),
    "SELECT id, status, valid_from, valid_to, member_id, organization_id FROM members_membershipspan "
    "WHERE member_id % 997 = 1 ORDER BY id": (50, "cbe5bf9b8230d7fb"),
    "SELECT id, valid_from, valid_to, name, name_folded, kind, sector, event_id, organization_id, parent_id, name_sort "
    "FROM orgs_orgversion WHERE id % 97 = 1 ORDER BY id": (5663, "0941bd12c4640c71"),
    "SELECT id, depth, ancestor_kind, valid_from, valid_to, ancestor_id, organization_id FROM orgs_organcestry "
    "WHERE id % 97 = 1 ORDER BY id": (22488, "50a0cc9f27dfbb40"),
    "SELECT kind, member_id, candidate_id, organization_id, starts_on, due_on, milestone, shows_from, shows_until, "
    "overdue_from FROM work_due WHERE member_id % 97 = 1 ORDER BY 1, 2, 4, 5, 7, 8": (27, "fd21e2b2bc0a9b04"),
}
SCHEMA = [
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
    "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
    "SELECT pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
    "WHERE c.relnamespace = 'public'::regnamespace ORDER BY 1",
]


def _rows(sql: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def test_the_same_seed_gives_the_same_records_and_the_same_schema() -> None:
    from dangvu.synth.national import generate_national

    schema = [_rows(q) for q in SCHEMA]
    s = generate_national(seed=3, members=20_000, today=dt.date(2026, 12, 1), workers=2, out=StringIO())
    assert s.alerts == COUNTS["work_due"]
    assert {t: _rows(f"SELECT count(*) FROM {t}")[0][0] for t in COUNTS} == COUNTS
    for sql, (n, digest) in SAMPLES.items():
        rows = _rows(sql)
        assert (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:16]) == (n, digest), sql
    # Every index and constraint is back, defined as before, and every foreign key validated.
    assert [_rows(q) for q in SCHEMA] == schema
    assert all(validated for *_, validated in schema[0])
