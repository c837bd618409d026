"""Personal access tokens: made and revoked by their holder (audited), stored as a digest, shown once, expiring,
throttled per token; the API takes no session (a logged-in browser without a token is refused)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from dangvu.api.models import ApiToken, digest
from dangvu.api.services import token_create, token_revoke
from dangvu.audit.models import AuditEntry
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_as_a_digest_and_its_making_is_audited(cast: Any) -> None:
    user = cast.users["canbo"]
    token, secret = token_create(user=user, name="Hệ thống thống kê", actor=Actor.of(user))
    assert secret.startswith("dv_") and len(secret) > 40
    assert not ApiToken.objects.filter(digest=secret).exists()  # never the secret itself
    assert token.digest == digest(secret) and token.hint == secret[:7]
    assert token.expires_at - token.created_at == dt.timedelta(days=90)  # DANGVU_API_TOKEN_DAYS
    entry = AuditEntry.objects.get(action="api_token_create")
    assert entry.actor_id == user.pk and entry.object_id == str(token.pk)
    assert secret not in str(entry.after)


def test_a_token_without_a_name_or_longer_than_allowed_is_refused_on_its_field(cast: Any) -> None:
    user = cast.users["canbo"]
    with pytest.raises(RuleError) as e:
        token_create(user=user, name="  ", actor=Actor.of(user))
    assert e.value.field == "name"
    with pytest.raises(RuleError) as e:
        token_create(user=user, name="x", days=366, actor=Actor.of(user))
    assert e.value.field == "days" and "365" in e.value.message
    assert not ApiToken.objects.exists() and not AuditEntry.objects.filter(action="api_token_create").exists()


def test_without_a_token_the_api_answers_401_in_vietnamese_even_to_a_logged_in_browser(cast: Any, api: Any) -> None:
    assert api(None, "GET", "/me").status_code == 401
    browser = cast.client("canbo")  # a session cookie: the API does not take it (no CSRF to check)
    r = browser.get("/api/v1/me")
    assert r.status_code == 401 and "Thiếu khóa truy cập" in r.json()["detail"]
    assert r["WWW-Authenticate"] == "Bearer"
    r = browser.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer dv_khong-dung")
    assert r.status_code == 401


def test_a_token_reads_as_its_holder(api: Any) -> None:
    r = api("canbo", "GET", "/me")
    assert r.status_code == 200
    assert r.json()["username"] == "canbo" and r.json()["roles"] == ["staff"]


def test_an_expired_token_is_refused(cast: Any, api: Any) -> None:
    now = timezone.now()
    ApiToken.objects.filter(user=cast.users["canbo"]).update(
        created_at=now - dt.timedelta(days=90), expires_at=now - dt.timedelta(seconds=1)
    )
    assert api("canbo", "GET", "/me").status_code == 401
    assert api("kiemtra", "GET", "/me").status_code == 200


def test_a_revoked_token_is_refused_and_the_revocation_is_audited_once(cast: Any, api: Any) -> None:
    token = ApiToken.objects.get(user=cast.users["canbo"])
    token_revoke(token=token, actor=Actor.of(cast.users["canbo"]))
    token_revoke(token=token, actor=Actor.of(cast.users["canbo"]))  # again: nothing more
    assert api("canbo", "GET", "/me").status_code == 401
    assert AuditEntry.objects.filter(action="api_token_revoke", object_id=str(token.pk)).count() == 1


def test_the_throttle_counts_each_token_apart(settings: Any, api: Any) -> None:
    settings.DANGVU_API_RATE = "3/m"
    assert [api("canbo", "GET", "/me").status_code for _ in range(3)] == [200, 200, 200]
    r = api("canbo", "GET", "/me")
    assert r.status_code == 429 and "quá nhiều yêu cầu" in r.json()["detail"] and int(r["Retry-After"]) >= 1
    assert api("kiemtra", "GET", "/me").status_code == 200  # another token has its own count


# ---------------------------------------------------------------- the token page


def test_the_page_shows_a_new_secret_once_and_revokes_a_token(cast: Any) -> None:
    c = cast.client("kiemtra")
    page = c.get("/tai-khoan/khoa-api/")
    assert page.status_code == 200 and "Bạn chưa có khóa nào" in page.content.decode()
    r = c.post("/tai-khoan/khoa-api/", {"name": "Phần mềm thống kê", "days": "30"})
    body = r.content.decode()
    secret = re.search(r"dv_[A-Za-z0-9_-]{40,}", body)
    assert secret is not None and "chỉ hiện một lần" in body
    token = ApiToken.objects.get(user=cast.users["kiemtra"])
    assert token.digest == digest(secret.group(0))
    assert (token.expires_at - token.created_at).days == 30
    again = c.get("/tai-khoan/khoa-api/").content.decode()
    assert secret.group(0) not in again and "Phần mềm thống kê" in again and token.hint in again
    c.post("/tai-khoan/khoa-api/", {"revoke": str(token.pk)})
    token.refresh_from_db()
    assert token.revoked_at is not None and "Đã thu hồi" in c.get("/tai-khoan/khoa-api/").content.decode()


def test_nobody_revokes_or_sees_another_persons_token(cast: Any) -> None:
    token, _ = token_create(user=cast.users["canbo"], name="Của cán bộ", actor=Actor.of(cast.users["canbo"]))
    other = cast.client("quantri")
    assert other.post("/tai-khoan/khoa-api/", {"revoke": str(token.pk)}).status_code == 404
    assert "Của cán bộ" not in other.get("/tai-khoan/khoa-api/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_refuses_a_bad_term_beside_its_field(cast: Any) -> None:
    r = cast.client("canbo").post("/tai-khoan/khoa-api/", {"name": "x", "days": "400"})
    assert r.status_code == 200 and "Thời hạn dài nhất 365 ngày" in r.content.decode()
    assert not ApiToken.objects.exists()
