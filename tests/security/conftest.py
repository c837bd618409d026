"""The web tests' cast (tests/web/conftest.py): the same personas and members, for the security tests."""

from __future__ import annotations

from web.conftest import Cast, _inline_jobs, cast

__all__ = ["Cast", "_inline_jobs", "cast"]
