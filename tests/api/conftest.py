"""The web tests' cast (tests/web/conftest.py), each persona with an API token of their own.

  quantri administrator · canbo H's staff · kiemtra H's inspector (reads only) · bithu secretary of ward W (B1, B2)
  · bithuchibo secretary of branch B1 · canbo_khac staff of district K · dangvien member An (own record only)
Members: An and Bình in B1, Chi in B2, Dũng in the agency branch A, Én in K's branch KB."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from web.conftest import Cast, _inline_jobs, cast

from dangvu.api.services import token_create
from dangvu.audit.services import Actor

__all__ = ["Api", "Cast", "_inline_jobs", "api", "cast"]

PERSONAS = ("quantri", "canbo", "kiemtra", "bithu", "bithuchibo", "canbo_khac", "dangvien")


class Api:
    """A client that speaks to /api/v1/ with one persona's token (no session)."""

    def __init__(self, secrets: dict[str, str]) -> None:
        self.secrets = secrets

    def __call__(self, persona: str | None, method: str, path: str, body: Any = None, **params: Any) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.secrets[persona]}"} if persona else {}
        url = "/api/v1" + path
        c = Client()
        if method == "GET":
            return c.get(url, params, **headers)
        return c.generic(method, url, data=_json(body), content_type="application/json", **headers)


def _json(body: Any) -> str:
    import json

    return json.dumps(body if body is not None else {})


@pytest.fixture(autouse=True)
def _fast_enough_rate(settings: Any) -> None:
    settings.DANGVU_API_RATE = "10000/m"  # the throttle's own test lowers it


@pytest.fixture
def api(cast: Cast) -> Api:
    secrets = {}
    for persona in PERSONAS:
        user = cast.users[persona]
        _, secrets[persona] = token_create(user=user, name=f"kiểm thử {persona}", actor=Actor.of(user))
    return Api(secrets)
