"""Citizen ID and card numbers are unique across the whole database, so checking one could tell anyone that a
citizen is a party member somewhere (issue 13). The check says no more than the person may know:

* a value held by a member the person sees (in their scope on some day, or their own record) is refused naming
  that member, as before; the administrator and the command line see every holder;
* a value held by a member outside the person's scope is refused in the same words as any other refusal of that
  field — "Số CCCD không dùng được: liên hệ quản trị hệ thống." — and the check is audited (who, which field, the
  masked value; the entry names the holder for the administrator and the holder's own staff, not for the person);
* once DANGVU_IDENTIFIER_CONFLICTS distinct such values were met in DANGVU_IDENTIFIER_WINDOW_SECONDS (per user,
  the shared cache, so every process of the server counts alike), every new value the person cannot see is
  refused in those words, held or not, and the limit is audited; so nothing more is learned by trying (one check
  that would pass the limit is refused whole alike).

The audit entries are written in a transaction of their own, before the change's (the caller refuses after them),
so a refused change does not take its audit entry with it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import transaction

from dangvu.accounts.scope import access, known_members
from dangvu.audit.services import Actor, audit
from dangvu.domain.errors import RuleError

from .models import Member
from .queries import mask

LABELS = {"citizen_id": "Số CCCD", "card_number": "Số thẻ đảng viên"}
BATCH = 500


def unusable(field: str) -> str:
    """The one refusal that says nothing of why."""
    return f"{LABELS[field]} không dùng được: liên hệ quản trị hệ thống."


@dataclass(frozen=True)
class Refusal:
    """A value that cannot be used; `holder` is the member holding it when the person may know them."""

    field: str
    value: str
    holder: Member | None = None

    @property
    def message(self) -> str:
        if self.holder is None:
            return unusable(self.field)
        h = self.holder
        return f"{LABELS[self.field]} {self.value} đã thuộc về đảng viên {h.full_name} ({h.code})."


def person(actor: Actor) -> Any | None:
    """The login behind an actor; None for the command line and system processes (which read everything)."""
    if actor.user_id is None:
        return None
    return get_user_model().objects.filter(pk=actor.user_id).first()


class Budget:
    """The distinct values a person met held outside their scope, in the window. Kept in the shared cache
    (settings.CACHES["shared"]: the database's own table, or Redis): with several server processes a per-process
    cache would give each its own limit. Only keyed digests are stored, never the numbers."""

    def __init__(self, user_id: int) -> None:
        self.key = f"dangvu:identifiers:{user_id}"
        self.limit = int(settings.DANGVU_IDENTIFIER_CONFLICTS)
        self.window = int(settings.DANGVU_IDENTIFIER_WINDOW_SECONDS)
        now = time.time()
        self.cache = caches["shared"]
        stored = self.cache.get(self.key) or {}
        self.seen: dict[str, float] = {k: t for k, t in stored.items() if t > now}

    @staticmethod
    def digest(field: str, value: str) -> str:
        key = str(settings.SECRET_KEY).encode()
        return hmac.new(key, f"{field}:{value}".encode(), hashlib.sha256).hexdigest()[:24]

    @property
    def exhausted(self) -> bool:
        return len(self.seen) >= self.limit

    def fits(self, digests: set[str]) -> bool:
        return len(self.seen) + len(digests - set(self.seen)) <= self.limit

    def spend(self, digests: set[str]) -> None:
        expires = time.time() + self.window
        for d in digests:
            self.seen.setdefault(d, expires)
        self.cache.set(self.key, self.seen, self.window)

    def close(self) -> None:
        """Past the limit: every further value is refused until the window's oldest entries expire."""
        expires = time.time() + self.window
        for i in range(len(self.seen), self.limit):
            self.seen[f"limit-{i}"] = expires
        self.cache.set(self.key, self.seen, self.window)


def _holders(values: Mapping[str, list[str]], exclude: int | None) -> dict[tuple[str, str], Member]:
    out: dict[tuple[str, str], Member] = {}
    for f, vs in values.items():
        for i in range(0, len(vs), BATCH):
            qs = Member.objects.filter(**{f"{f}__in": vs[i : i + BATCH]}).only("pk", "code", "full_name", f)
            if exclude is not None:
                qs = qs.exclude(pk=exclude)
            for m in qs:
                out[(f, getattr(m, f))] = m
    return out


def identifier_refusals(
    values: Mapping[str, Iterable[str]], *, actor: Actor, exclude: int | None = None
) -> list[Refusal]:
    """The values (by field: citizen_id, card_number) that cannot be used, each with what the person may be told.
    `exclude` is the member being corrected (their own numbers are not a conflict)."""
    wanted = {f: sorted({v for v in vs if v}) for f, vs in values.items() if f in LABELS}
    holders = _holders(wanted, exclude)
    user = person(actor)
    known = known_members(user, {m.pk for m in holders.values()})
    told = [Refusal(f, v, m) for (f, v), m in sorted(holders.items()) if m.pk in known]
    if user is None or access(user).admin:
        return told
    hidden = {key: m for key, m in holders.items() if m.pk not in known}
    budget = Budget(user.pk)
    digests = {key: Budget.digest(*key) for key in hidden}
    shown = {(r.field, r.value) for r in told}
    # Values whose answer the person does not have yet (a held value they met before is no news).
    fresh = [
        (f, v) for f, vs in wanted.items() for v in vs if (f, v) not in shown and digests.get((f, v)) not in budget.seen
    ]
    if (budget.exhausted and fresh) or not budget.fits(set(digests.values())):
        # Nothing more is learned past the limit: every value the person cannot see reads the same.
        refused = [(f, v) for f, vs in wanted.items() for v in vs if (f, v) not in shown]
        _audit_limit(actor, budget, refused)
        budget.close()
        return told + [Refusal(f, v) for f, v in refused]
    budget.spend(set(digests.values()))
    _audit_conflicts(actor, hidden)
    return told + [Refusal(f, v) for f, v in sorted(hidden)]


def _audit_conflicts(actor: Actor, hidden: Mapping[tuple[str, str], Member]) -> None:
    if not hidden:
        return
    with transaction.atomic():
        for (f, v), m in sorted(hidden.items()):
            audit(actor=actor, action="identifier_conflict", obj=m, after={"field": f, "value": mask(v)})


def _audit_limit(actor: Actor, budget: Budget, refused: list[tuple[str, str]]) -> None:
    if not refused:
        return
    with transaction.atomic():
        audit(
            actor=actor,
            action="identifier_limit",
            object_type="auth.user",
            object_id=actor.user_id or "",
            after={
                "limit": budget.limit,
                "hours": round(budget.window / 3600, 1),
                "refused": len(refused),
                "values": [{"field": f, "value": mask(v)} for f, v in refused[:20]],
            },
        )


def refuse_taken(data: Mapping[str, Any], *, actor: Actor, exclude: int | None = None) -> None:
    """For one profile: raise the first refusal, on its field."""
    refusals = identifier_refusals({f: [data[f]] for f in LABELS if data.get(f)}, actor=actor, exclude=exclude)
    if refusals:
        raise RuleError(refusals[0].message, field=refusals[0].field)
