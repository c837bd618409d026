"""Concurrent writers: named locks, and database conflicts turned into messages.

PostgreSQL runs transactions side by side: a service that reads, decides, then writes takes a row lock
(select_for_update) or a named lock here first, so that what it read is still true when it writes. SQLite runs
one writer at a time: its transactions begin IMMEDIATE (settings.DATABASES), so a second writer waits for the
first (up to the connection's timeout) before it reads anything, and the named locks are nothing to do there.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, OperationalError, connection

from dangvu.domain.errors import RuleError

# What a person reads when another change holds the database too long (SQLite's "database is locked", a
# PostgreSQL deadlock or lock timeout): nothing was written, the same action can be tried again.
BUSY_MESSAGE = "Cơ sở dữ liệu đang bận ghi một thay đổi khác nên chưa ghi được; xin thử lại sau ít phút."


def serialize(name: str) -> None:
    """Wait until no other transaction holds the lock `name`, then hold it until this transaction ends.
    PostgreSQL: a transaction-level advisory lock (two names sharing a checksum only wait for each other more
    often). SQLite: nothing, its writers already run one after the other."""
    if not connection.in_atomic_block:
        raise RuntimeError("serialize() holds its lock until the transaction ends: call it inside one")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(name.encode())])


def is_busy(error: Exception) -> bool:
    """A conflict between transactions (try again later), not a broken database."""
    text = str(error).lower()
    return any(s in text for s in ("database is locked", "database table is locked", "deadlock", "lock timeout"))


@contextmanager
def conflicts_as_messages(message: str, *, field: str = "") -> Iterator[None]:
    """Around a service's transaction: a unique or check constraint that another session's write broke first
    becomes `message`, a busy database BUSY_MESSAGE; both as a RuleError, never an error page."""
    try:
        yield
    except IntegrityError as e:
        raise RuleError(message, field=field) from e
    except OperationalError as e:
        if is_busy(e):
            raise RuleError(BUSY_MESSAGE, field=field) from e
        raise
