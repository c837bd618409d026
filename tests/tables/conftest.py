"""The web tests' cast of personas and their settings (tests/web/conftest.py), for the tables' pages."""

from web.conftest import _inline_jobs, cast  # noqa: F401
