"""The API against its own OpenAPI schema: the committed docs/api/openapi.json is the served one, and schemathesis
sends generated requests (a bounded, deterministic number per operation) with a staff token, on SQLite: no server
error, and every answer's status, content type and body as the schema says."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks

from dangvu.api.schema import schema_text

pytestmark = pytest.mark.django_db

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.json"


def test_the_committed_schema_is_the_served_one(client: Any) -> None:
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert json.loads(COMMITTED.read_text()) == served.json(), (
        "docs/api/openapi.json is stale: .venv/bin/python -m dangvu.api.schema > docs/api/openapi.json"
    )
    assert COMMITTED.read_text() == schema_text()


@pytest.fixture
def served_schema(cast: Any, api: Any, monkeypatch: Any) -> Iterator[Any]:
    """The schema as served, the application called in this thread and transaction (as Django's test client does:
    no connection closed between requests), reports queued and not generated."""
    monkeypatch.setattr("dangvu.jobs.services.execute", lambda job_id: None)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
        schema.token = api.secrets["canbo"]  # type: ignore[attr-defined]
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
EXAMPLES = 12  # per operation; derandomized: the same requests on every run


def test_the_api_answers_as_its_schema_says(served_schema: Any) -> None:
    """Each operation of the served schema in turn (schemathesis' own pytest plugin does not run under pytest 9)."""
    headers = {"Authorization": f"Bearer {served_schema.token}"}
    operations = [result.ok() for result in served_schema.get_all_operations()]
    assert len(operations) >= 15
    seen: set[int] = set()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            response = case.call(headers=headers)
            seen.add(response.status_code)
            case.validate_response(response, checks=CHECKS)

        run()
    assert {200, 404, 422} <= seen, seen  # the requests reached the application: read, not found, refused
