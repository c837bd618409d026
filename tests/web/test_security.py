"""Login (our own page, throttled by django-axes, TOTP when turned on), sessions, CSRF, headers, and the
production settings passing `check --deploy`."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_need_a_login_on_our_own_page(cast: Any) -> None:
    r = Client().get("/dang-vien/")
    assert r.status_code == 302 and r["Location"].startswith("/dang-nhap/?next=")


def test_login_then_the_dashboard(cast: Any) -> None:
    c = Client()
    page = c.get("/dang-nhap/").content.decode()
    assert "csrfmiddlewaretoken" in page
    r = c.post("/dang-nhap/", {"username": "canbo", "password": "mat-khau-kiem-thu"})
    assert r.status_code == 302 and r["Location"] == "/"
    assert c.get("/")["Location"] == "/to-chuc/H/"


def test_wrong_passwords_lock_the_login(cast: Any, settings: Any) -> None:
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        r = c.post("/dang-nhap/", {"username": "canbo", "password": "sai"})
        assert "không đúng" in r.content.decode()
    assert c.post("/dang-nhap/", {"username": "canbo", "password": "sai"}).status_code == 429
    r = c.post("/dang-nhap/", {"username": "canbo", "password": "mat-khau-kiem-thu"})
    assert r.status_code == 429 and "Tạm khóa" in r.content.decode()


def test_a_confirmed_totp_device_is_required_at_login(cast: Any) -> None:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=cast.users["canbo"], name="điện thoại", confirmed=True)
    c = Client()
    r = c.post("/dang-nhap/", {"username": "canbo", "password": "mat-khau-kiem-thu"})
    assert r.status_code == 200 and "xác thực hai bước" in r.content.decode()
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    r = c.post("/dang-nhap/", {"username": "canbo", "password": "mat-khau-kiem-thu", "otp_token": f"{token:06d}"})
    assert r.status_code == 302


def test_totp_setup_page(cast: Any) -> None:
    c = cast.client("canbo")
    c.post("/tai-khoan/xac-thuc-hai-buoc/", {"start": "1"})  # the key is made on a POST, never on opening the page
    page = c.get("/tai-khoan/xac-thuc-hai-buoc/").content.decode()
    assert "otpauth://" in page
    assert "Mã không đúng" in c.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": "000000"}).content.decode()


def test_csrf_is_enforced(cast: Any) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(cast.users["canbo"])
    assert c.post(f"/dang-vien/{cast.an.code}/hien/citizen_id/").status_code == 403


def test_security_headers_and_session_expiry(cast: Any, settings: Any) -> None:
    r = cast.client("canbo").get("/to-chuc/H/")
    assert "default-src 'self'" in r["Content-Security-Policy"] and "script-src 'self'" in r["Content-Security-Policy"]
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.PASSWORD_HASHERS  # PBKDF2 in settings.py; the tests swap in MD5 only for speed


def test_the_production_settings_pass_the_deploy_check(tmp_path: Any) -> None:
    env = {
        **os.environ,
        "DANGVU_ENV": "production",
        "DANGVU_SECRET_KEY": secrets.token_urlsafe(60),
        "DANGVU_ALLOWED_HOSTS": "dangvu.example.vn",
        "DANGVU_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by tests/e2e/conftest.py for the live server, never in production
    out = subprocess.run(
        [sys.executable, "-m", "dangvu.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_production_refuses_the_development_secret_key(tmp_path: Any) -> None:
    env = {**os.environ, "DANGVU_ENV": "production", "DANGVU_VAR_DIR": str(tmp_path)}
    env.pop("DANGVU_SECRET_KEY", None)
    out = subprocess.run(
        [sys.executable, "-m", "dangvu.cli", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode != 0 and "DANGVU_SECRET_KEY" in out.stderr
