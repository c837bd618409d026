"""Changes of the API's tokens: one service each, one transaction, one audit entry (STYLE §2)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dangvu.audit.services import Actor, audit
from dangvu.domain.errors import RuleError
from dangvu.domain.vietnamese import nfc

from .models import PREFIX, ApiToken, digest

NAME_MAX = 80


@transaction.atomic
def token_create(*, user: Any, name: str, days: int | None = None, actor: Actor) -> tuple[ApiToken, str]:
    """A new token for `user`, valid `days` (default DANGVU_API_TOKEN_DAYS, at most DANGVU_API_TOKEN_MAX_DAYS).
    Returns the row and the secret, which is stored nowhere: the caller shows it once."""
    name = nfc(name or "").strip()
    if not name:
        raise RuleError("Đặt tên cho khóa (vd. tên hệ thống sẽ dùng khóa).", field="name")
    if len(name) > NAME_MAX:
        raise RuleError(f"Tên khóa dài tối đa {NAME_MAX} ký tự.", field="name")
    days = settings.DANGVU_API_TOKEN_DAYS if days is None else days
    longest = settings.DANGVU_API_TOKEN_MAX_DAYS
    if not 1 <= days <= longest:
        raise RuleError(f"Thời hạn của khóa từ 1 đến {longest} ngày.", field="days")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        hint=secret[: len(PREFIX) + 4],
        digest=digest(secret),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    audit(
        actor=actor,
        action="api_token_create",
        obj=token,
        after={"name": name, "user": user.pk, "expires_at": token.expires_at.isoformat()},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Actor) -> ApiToken:
    """End a token now. Revoking an ended token changes nothing (and writes nothing)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit(actor=actor, action="api_token_revoke", obj=token, after={"name": token.name, "user": token.user_id})
    return token


@transaction.atomic
def file_download(*, actor: Actor, kind: str, object_id: str, name: str) -> None:
    """A file taken out through the API (a report's DOCX, XLSX, PDF): who took which file."""
    audit(actor=actor, action="api_file_download", object_type=kind, object_id=object_id, after={"name": name})
