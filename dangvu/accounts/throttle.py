"""Login throttling that fits a real deployment (issue 13, item 5): three limits over django-axes' records.

axes counts failures per one set of parameters with one limit and one cool-off. One limit does not fit:
  * per (user name, address) alone, a guesser moves to another address and carries on, and one password
    sprayed over many user names is never counted;
  * per user name alone, a stranger locks the real person out for as long as the lock lasts.
So three limits, each with its own window (settings, documented defaults in settings.py):

  pair     5 failures of one user name from one address in 30 minutes lock that pair (the guesser, not the
           person at another desk);
  user     20 failures of one user name from any addresses in 15 minutes lock that name from every address
           where it has not logged in successfully in the last 30 days: a distributed guesser is slowed to
           20 guesses a quarter hour, and the real person at their usual desk is not locked out by a stranger;
  address  30 failures from one address over any user names in 30 minutes lock that address: a sprayer.

A lock lasts until the failures that caused it are older than the window (a failure while locked restarts it,
axes' AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT). A success resets only its own (user name, address) pair:
logging in to one's own account from an address must not wipe that address's failures for other names.

The client's address comes from `client_address`: REMOTE_ADDR, or with DANGVU_TRUSTED_PROXIES = N proxies in
front of the application, the address the outermost trusted proxy saw (X-Forwarded-For, N-th from the right).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


@dataclass(frozen=True)
class Tier:
    """One limit: `limit` failures matching `fields` within `window` lock what they match."""

    name: str  # "pair" | "user" | "address"
    fields: tuple[str, ...]
    limit: int
    window: dt.timedelta


def tiers() -> list[Tier]:
    return [
        Tier("pair", ("username", "ip_address"), settings.AXES_FAILURE_LIMIT, settings.DANGVU_LOGIN_PAIR_WINDOW),
        Tier("user", ("username",), settings.DANGVU_LOGIN_USER_FAILURES, settings.DANGVU_LOGIN_USER_WINDOW),
        Tier("address", ("ip_address",), settings.DANGVU_LOGIN_ADDRESS_FAILURES, settings.DANGVU_LOGIN_ADDRESS_WINDOW),
    ]


def client_address(request: HttpRequest) -> str | None:
    """The client's address behind DANGVU_TRUSTED_PROXIES reverse proxies (0: the connection's own address).

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so with N proxies
    the client is the N-th entry from the right; anything to its left was written by the client and is not
    trusted. A request carrying fewer entries (it did not come through every proxy) gets the leftmost one there
    is; a value that is not an IP address falls back to the connection's address."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.DANGVU_TRUSTED_PROXIES
    if count <= 0:
        return remote
    chain = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if not chain:
        return remote
    candidate = chain[-count] if len(chain) >= count else chain[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class TieredAxesHandler(AxesDatabaseHandler):
    """axes' database handler with the three limits above (settings.AXES_HANDLER)."""

    def locking_tier(self, request: Any, credentials: dict[str, Any] | None = None) -> Tier | None:
        username = get_client_username(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        values = {"username": username, "ip_address": address}
        for tier in tiers():
            if any(values[f] is None for f in tier.fields):
                continue
            if tier.name == "user" and self.is_known_address(username, address, now):
                continue
            failures = (
                AccessAttempt.objects.filter(
                    attempt_time__gte=now - tier.window, **{f: values[f] for f in tier.fields}
                ).aggregate(n=Sum("failures_since_start"))["n"]
                or 0
            )
            if failures >= tier.limit:
                return tier
        return None

    @staticmethod
    def is_known_address(username: str, address: str | None, now: dt.datetime) -> bool:
        """This user name logged in successfully from this address within DANGVU_LOGIN_KNOWN_ADDRESS_DAYS."""
        days = settings.DANGVU_LOGIN_KNOWN_ADDRESS_DAYS
        if not days or address is None:
            return False
        since = now - dt.timedelta(days=days)
        return AccessLog.objects.filter(username=username, ip_address=address, attempt_time__gte=since).exists()

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """axes compares this with AXES_FAILURE_LIMIT: the limit when any tier locks, else the pair's count."""
        tier = self.locking_tier(request, credentials)
        request.dangvu_lock_tier = tier
        if tier is not None:
            return int(get_failure_limit(request, credentials))
        return min(super().get_failures(request, credentials), int(get_failure_limit(request, credentials)) - 1)

    def get_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> list[Any]:
        # The pair's own window (AXES_COOLOFF_TIME is the longest window, for the clean-up).
        since = (getattr(request, "axes_attempt_time", None) or timezone.now()) - settings.DANGVU_LOGIN_PAIR_WINDOW
        return [qs.filter(attempt_time__gte=since) for qs in self.filter_user_attempts(request, credentials)]
