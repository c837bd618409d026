"""Token authentication and per-token throttling. The API takes no session cookie (so no CSRF to check): a request
carries `Authorization: Bearer dv_…`, and is then the token holder's, scoped as on the web (accounts.scope)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from dangvu.audit.services import Actor

from .models import PREFIX, ApiToken, digest


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        if not token.startswith(PREFIX) or len(token) > 100:
            return None
        found = ApiToken.objects.active().select_related("user").filter(digest=digest(token)).first()
        if found is None or not found.user.is_active:
            return None
        # The views and the scope functions read request.user, as on the web.
        request.user = found.user
        return found


class TokenThrottle(SimpleRateThrottle):
    """DANGVU_API_RATE requests per token, counted in the shared cache (one count for every server process)."""

    scope = "api-token"

    def __init__(self) -> None:
        self.cache = caches["shared"]
        super().__init__(settings.DANGVU_API_RATE)

    def get_rate(self) -> str | None:
        return settings.DANGVU_API_RATE

    def allow_request(self, request: HttpRequest) -> bool:
        # The rate is read on each request, so that a changed setting (a test's) takes effect without a restart.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        return f"throttle_{self.scope}_{token.pk}" if isinstance(token, ApiToken) else None


def actor(request: HttpRequest) -> Actor:
    """Who acts: the token's holder, named with the token so that the audit log tells API use from the web's."""
    token: Any = getattr(request, "auth", None)
    user: Any = request.user
    label = user.get_username()
    if isinstance(token, ApiToken):
        label = f"{label} (khóa API «{token.name}»)"[:150]
    return Actor(label, user.pk)
