"""Heavy reads on a streaming replica, everything else on the primary (issue 14, item 5).

Every read and write goes to the primary ("default") unless code asks for the replica: the few entry points whose
reads are heavy and tolerate a replica's lag of a fraction of a second — report builders, indicators, review
statistics, exports — run under ``heavy_reads()`` (a context manager, or a decorator). Even there the primary
answers when

* no replica is configured (``DANGVU_REPLICA_URL`` unset: SQLite, or one PostgreSQL server), or
* the primary's connection is inside a transaction (what a transaction reads must be what it writes over), or
* the person has written in the last ``DANGVU_READ_YOUR_WRITES_SECONDS`` seconds (read-your-writes): a request
  with an unsafe method (POST, PUT, PATCH, DELETE) reads the primary for its whole length and leaves a signed
  cookie "wrote at T" that keeps the person's next requests on the primary until T + N.

Why: a replica replays the primary's changes a little later. Measured on the loopback pair (deploy/loopback.py,
BENCHMARKS.md "Deployment"): a row read on the replica right after its insert on the primary was missing 441
times in 500 before this router existed; a person who has just written never reads the replica.

The window N must exceed the replica's replay lag; deploy/README.md says how to watch it (pg_stat_replication).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connections
from django.http import HttpRequest, HttpResponse

DEFAULT = "default"
REPLICA = "replica"
# The cookie that carries "wrote at T" (signed with SECRET_KEY, so it cannot be forged to the primary's cost or
# removed to the person's own confusion only).
COOKIE = "dangvu_ghi"
SALT = "dangvu.dbrouting"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Set by heavy_reads(): the code running now may read the replica.
_heavy: ContextVar[bool] = ContextVar("dangvu_heavy_reads", default=False)
# Until when (time.time()) the code running now must read the primary: the person's last write + N.
_primary_until: ContextVar[float] = ContextVar("dangvu_primary_until", default=0.0)


def window() -> float:
    """N, the seconds after a write during which the writer reads the primary only."""
    return float(getattr(settings, "DANGVU_READ_YOUR_WRITES_SECONDS", 5))


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def heavy_reads() -> Iterator[None]:
    """Reads inside may go to the replica (see the module's text for when they do not). Also a decorator:
    ``@heavy_reads()``."""
    token = _heavy.set(True)
    try:
        yield
    finally:
        _heavy.reset(token)


@contextmanager
def primary_until(until: float) -> Iterator[None]:
    """Read the primary only, until the time `until` (time.time()); e.g. a job started by a person who had just
    written carries their stamp (``pinned_until()``) to the worker."""
    token = _primary_until.set(max(until, _primary_until.get()))
    try:
        yield
    finally:
        _primary_until.reset(token)


def pinned_until() -> float:
    """Until when the code running now reads the primary only (0: not pinned)."""
    return _primary_until.get()


def writer_stamp() -> float:
    """For a job started now (a report, an export): until when it must read the primary — the end of the person's
    window if they have written within it (a writing request included), else 0. The job queue stores it with the
    job and runs the job under ``primary_until(stamp)``: threads and worker processes do not inherit the request's
    context."""
    pinned = _primary_until.get()
    return min(pinned, time.time() + window()) if pinned > time.time() else 0.0


def read_alias() -> str:
    """Where a read made now goes: the replica only for a heavy read, outside any transaction on the primary, of a
    person who has not written in the last N seconds."""
    if not (_heavy.get() and has_replica()):
        return DEFAULT
    if connections[DEFAULT].in_atomic_block:
        return DEFAULT
    if time.time() < _primary_until.get():
        return DEFAULT
    return REPLICA


def read_connection() -> Any:
    """The connection for a raw SQL read made now (routers only see the ORM's): as read_alias() says."""
    return connections[read_alias()]


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads as read_alias() says, every write and every migration on the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same rows on both servers

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT  # a replica is read-only: it receives the primary's schema by replication


def wrote_at(request: HttpRequest) -> float:
    """The time of the person's last write (0: none within the window), from the signed cookie."""
    try:
        value = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=dt.timedelta(seconds=window()))
    except signing.BadSignature:
        return 0.0
    try:
        return float(value) if value else 0.0
    except ValueError:
        return 0.0


def read_your_writes(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: a writing request reads the primary, and so do the same person's requests for N seconds after."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not has_replica():
            return get_response(request)  # one server: nothing to choose, no cookie
        writes = request.method in UNSAFE
        until = float("inf") if writes else wrote_at(request) + window()
        token = _primary_until.set(until)
        try:
            response = get_response(request)
        finally:
            _primary_until.reset(token)
        if writes:
            response.set_signed_cookie(
                COOKIE,
                f"{time.time():.3f}",
                salt=SALT,
                max_age=max(1, round(window())),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    return middleware
