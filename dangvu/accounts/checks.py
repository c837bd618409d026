"""Start-up checks (issue 13, item 6): production refuses to start with a weak or default secret key, or with
Django's debug pages on (they show tracebacks, settings and every URL pattern to whoever causes an error).

Django's own check (security.W009) only warns, and only under `check --deploy`; a weak key signs every session
and CSRF token, so here it is an Error on every command that runs the checks (serve, migrate, check), and
settings.py refuses to load production settings with one at all (a WSGI server does not run the checks).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

# Django's own measure of a strong key (django.core.checks.security.base): at least 50 characters, at least 5
# different ones, not one of its generated "django-insecure-" development keys.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 5
DEV_SECRET = "dev-only-not-secret-change-me"


def secret_key_problem(key: str | None) -> str | None:
    """Why this key may not sign a production deployment's sessions, in Vietnamese; None when it may."""
    if not key or key == DEV_SECRET:
        return "DANGVU_SECRET_KEY chưa được đặt: cần một chuỗi ngẫu nhiên dài."
    if key.startswith("django-insecure") or len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE:
        return (
            f"DANGVU_SECRET_KEY quá yếu: cần ít nhất {SECRET_KEY_MIN_LENGTH} ký tự ngẫu nhiên "
            f"(ví dụ: python -c 'import secrets; print(secrets.token_urlsafe(60))')."
        )
    return None


@checks.register(checks.Tags.security)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    problem = secret_key_problem(settings.SECRET_KEY)
    return [checks.Error(problem, id="dangvu.E001")] if problem else []


@checks.register(checks.Tags.security)
def check_debug(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if getattr(settings, "PRODUCTION", False) and settings.DEBUG:
        return [checks.Error("DANGVU_ENV=production không chạy với DANGVU_DEBUG=1 (trang gỡ lỗi).", id="dangvu.E002")]
    return []
