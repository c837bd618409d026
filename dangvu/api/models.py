"""Personal access tokens of the JSON API (issue 15, item 3).

A token belongs to one login and carries exactly that login's grants (accounts.scope, evaluated on each request):
it is a way in, not a role. Only a digest is stored (SHA-256 of the secret, which is 256 random bits: a slow hash
adds nothing against guessing, unlike a password); the secret is shown once, when it is made. A token ends at its
expiry or when its holder revokes it; an ended token is kept (the audit log names it)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The secret's visible prefix: says what it is in a config file or a leaked log ("dv_…"), like GitHub's "ghp_".
PREFIX = "dv_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self, at: dt.datetime | None = None) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now())

    def of(self, user: Any) -> ApiTokenQuerySet:
        return self.filter(user=user)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("tên khóa", max_length=80)
    # The first characters of the secret, shown in the list so that a holder tells two tokens apart.
    hint = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)  # TokenAuth looks a request's token up by it
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField("hết hạn")
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "khóa truy cập API"
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(created_at__lt=models.F("expires_at")), name="token_period")]

    def __str__(self) -> str:
        # ninja's throttles key on str(request.auth): the token's row, never its secret
        return f"api-token-{self.pk}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
