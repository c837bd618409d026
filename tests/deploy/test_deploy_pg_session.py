"""pgbouncer-safe sessions (issue 14, item 5): no libpq startup option by default (pgbouncer in transaction mode
refuses them); JIT is off as a setting of the database itself (migration backup 0001_database_jit_off), so a new
connection that passes no option at all runs with jit = off."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection


def test_no_startup_options_are_passed_by_default() -> None:
    assert "options" not in settings.DATABASES["default"].get("OPTIONS", {})


@pytest.mark.django_db
def test_a_new_connection_without_startup_options_has_jit_off() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT")
    import psycopg

    params = connection.get_connection_params()
    params.pop("options", None)
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.pop("server_side_binding", None)
    assert "options" not in params
    # A connection opened now, as pgbouncer would open it: only the database, user, host and port.
    with psycopg.connect(**params) as fresh, fresh.cursor() as cur:
        cur.execute("SHOW jit")
        assert cur.fetchone() == ("off",)
        cur.execute("SELECT current_database()")
        assert cur.fetchone() == (settings.DATABASES["default"]["NAME"],)
