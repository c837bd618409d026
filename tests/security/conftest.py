"""The web tests' cast (tests/web/conftest.py): the same personas and members, for the security tests."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from web.conftest import Cast, _inline_jobs, cast

__all__ = ["Cast", "_inline_jobs", "cast"]


@pytest.fixture(autouse=True)
def _fresh_limits(request: pytest.FixtureRequest) -> None:
    """An empty cache for each test. A cache outside the database (Redis) outlives a test's database: emptied
    always. The default, a table of the database, needs the database: emptied when the test uses it (a test that
    does not cannot have filled it)."""
    in_database = settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    uses_database = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_database or not in_database:
        cache.clear()
