"""Remembering an office's list layout: the header row's signature → the mapping its person confirmed.

`mapping_remember` is the one change of state (one transaction, its audit entry); `mapping_recall` finds the
person's own layout first, then one kept for an organization they may see (a colleague's of the same unit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from dangvu.accounts.scope import visible_orgs
from dangvu.audit.services import Actor, audit
from dangvu.orgs.models import Organization

from .mapping import signature
from .models import SourceMapping


def mapping_recall(*, user: Any, headers: Sequence[str], target: str) -> SourceMapping | None:
    sig = signature(headers)
    own = SourceMapping.objects.filter(owner_id=user.pk, signature=sig, target=target).first()
    if own is not None:
        return own
    return (
        SourceMapping.objects.filter(signature=sig, target=target, organization__in=visible_orgs(user))
        .order_by("-updated_at")
        .first()
    )


def mapping_remember(
    *,
    user: Any,
    name: str,
    sheet: str,
    target: str,
    headers: Sequence[str],
    columns: Mapping[str, int],
    default_organization: str = "",
) -> SourceMapping:
    """Keep (or replace) the person's mapping for this header row. Columns are kept by their header text, so the
    same list with a column added or moved is still recognized field by field."""
    by_header = {key: headers[i] for key, i in columns.items() if 0 <= i < len(headers) and headers[i]}
    org = Organization.objects.filter(code=default_organization).first() if default_organization else None
    with transaction.atomic():
        kept, created = SourceMapping.objects.select_for_update().update_or_create(
            owner_id=user.pk,
            signature=signature(headers),
            target=target,
            defaults={
                "name": name[:200],
                "sheet": sheet[:100],
                "headers": list(headers),
                "columns": by_header,
                "organization": org,
                "default_organization": default_organization[:30],
            },
        )
        audit(
            actor=Actor.of(user),
            action="import_mapping_remember",
            obj=kept,
            after={"name": kept.name, "target": target, "columns": by_header, "new": created},
        )
    return kept
