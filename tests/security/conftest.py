"""The web tests' cast (tests/web/conftest.py): the same personas and members, for the security tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from web.conftest import Cast, _inline_jobs, cast

__all__ = ["Cast", "_inline_jobs", "cast"]


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    """The per-process cache outlives a test's database (the shared one, a table of it, is rolled back with it)."""
    cache.clear()
