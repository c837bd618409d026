"""Reads of the audit log: the log page's filters, on a QuerySet already scoped (accounts.scope.visible_audit)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from .models import AuditEntry


def entries_filtered(
    qs: QuerySet[AuditEntry],
    *,
    action: str = "",
    actor: str = "",
    member_id: int | None = None,
    org_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """`action` is one action, or "import" for every import (the file and each of its sheets). A member or an
    organization selects the entries about it and the work records naming it (discipline, posts, classes…)."""
    if action == "import":
        qs = qs.filter(Q(action="import") | Q(action__startswith="import_"))
    elif action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_label__icontains=actor.strip())
    if member_id is not None:
        qs = qs.filter(Q(object_type="members.member", object_id=str(member_id)) | Q(after__member_id=member_id))
    if org_id is not None:
        qs = qs.filter(Q(object_type="orgs.organization", object_id=str(org_id)) | Q(after__organization_id=org_id))
    if since is not None:
        qs = qs.filter(at__date__gte=since)
    if until is not None:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")
