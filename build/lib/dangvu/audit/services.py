"""Writing audit entries. Called by every service inside its transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from .models import AuditEntry


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a user, or a named system process (import, generator)."""

    label: str
    user_id: int | None = None

    @classmethod
    def of(cls, user: Any) -> Actor:
        if isinstance(user, Actor):
            return user
        if user is None or not getattr(user, "is_authenticated", False):
            return cls("hệ thống")
        return cls(user.get_username(), user.pk)


SYSTEM = Actor("hệ thống")


def snapshot(obj: models.Model | None, fields: list[str] | None = None) -> dict[str, Any] | None:
    """A JSON-safe view of a row's concrete fields, for before/after."""
    if obj is None:
        return None
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        value = getattr(obj, f.attname)
        if isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        out[f.attname] = value
    return out


def audit(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEntry:
    """Record one change. Must run inside the caller's transaction (it refuses otherwise)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit() must be called inside the service's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditEntry.objects.create(
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        reason=reason,
    )


def audit_many(*, actor: Actor, entries: list[dict[str, Any]]) -> None:
    """Bulk form of audit() for batch services (a year close, an import): one entry per change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_many() must be called inside the service's transaction")
    AuditEntry.objects.bulk_create(
        [AuditEntry(actor_id=actor.user_id, actor_label=actor.label, **e) for e in entries], batch_size=2000
    )
