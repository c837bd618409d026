"""Issue 13, items 5–7: login throttling that fits a real deployment, no server error on any input, a production
secret key that must be strong, every write audited (the administrator's pages, `dangvu export`, the two-step
page). The cast is tests/web/conftest.py's."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from dangvu.audit.models import AuditEntry
from dangvu.audit.sentences import sentence

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-kiem-thu"


def _login(username: str, password: str, address: str, forwarded: str | None = None) -> int:
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post("/dang-nhap/", {"username": username, "password": password}, **extra).status_code


# ---------------------------------------------------------------- 5. throttling


@pytest.fixture
def limits(settings: Any) -> Any:
    settings.AXES_FAILURE_LIMIT = 3
    settings.DANGVU_LOGIN_USER_FAILURES = 6
    settings.DANGVU_LOGIN_ADDRESS_FAILURES = 8
    return settings


def test_a_guesser_moving_to_other_addresses_is_stopped_by_the_per_name_limit(cast: Any, limits: Any) -> None:
    for i in range(limits.DANGVU_LOGIN_USER_FAILURES):
        _login("canbo", "sai", f"203.0.113.{i // limits.AXES_FAILURE_LIMIT + 1}")
    # A fresh address, the right password: still refused, with a Vietnamese page saying why.
    r = Client().post("/dang-nhap/", {"username": "canbo", "password": PASSWORD}, REMOTE_ADDR="198.51.100.9")
    assert r.status_code == 429
    assert "từ nhiều máy" in r.content.decode() and "15 phút" in r.content.decode()


def test_a_stranger_does_not_lock_the_real_person_out_at_their_usual_address(cast: Any, limits: Any) -> None:
    assert _login("canbo", PASSWORD, "192.0.2.10") == 302  # the person's own desk
    for i in range(limits.DANGVU_LOGIN_USER_FAILURES + 2):
        _login("canbo", "sai", f"203.0.113.{i}")
    assert _login("canbo", PASSWORD, "198.51.100.9") == 429  # an address the name never logged in from
    assert _login("canbo", PASSWORD, "192.0.2.10") == 302  # the usual desk is not locked by the stranger


def test_one_password_sprayed_over_many_names_locks_the_address(cast: Any, limits: Any) -> None:
    for i in range(limits.DANGVU_LOGIN_ADDRESS_FAILURES):
        _login(f"nguoi{i}", "MatKhau@2025", "203.0.113.50")
    r = Client().post("/dang-nhap/", {"username": "canbo", "password": PASSWORD}, REMOTE_ADDR="203.0.113.50")
    assert r.status_code == 429 and "cho nhiều tên đăng nhập" in r.content.decode()
    assert _login("canbo", PASSWORD, "203.0.113.51") == 302  # another address is not concerned


def test_behind_the_tls_proxy_a_strangers_failures_do_not_lock_the_person(cast: Any, limits: Any) -> None:
    limits.DANGVU_TRUSTED_PROXIES = 1
    proxy = "10.0.0.1"
    for _ in range(limits.AXES_FAILURE_LIMIT + 1):
        _login("canbo", "sai", proxy, forwarded="203.0.113.66")
    assert _login("canbo", PASSWORD, proxy, forwarded="203.0.113.66") == 429  # the guesser is locked
    assert _login("canbo", PASSWORD, proxy, forwarded="192.0.2.10") == 302  # the person, same proxy, is not


def test_the_client_address_is_the_one_the_trusted_proxy_saw_not_what_the_client_wrote(settings: Any) -> None:
    from django.test import RequestFactory

    from dangvu.accounts.throttle import client_address

    rf = RequestFactory()
    spoofed = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.DANGVU_TRUSTED_PROXIES = 0
    assert client_address(spoofed) == "10.0.0.1"  # no proxy trusted: the header is ignored
    settings.DANGVU_TRUSTED_PROXIES = 1
    assert client_address(spoofed) == "203.0.113.7"  # the entry our proxy appended, not the client's 6.6.6.6
    settings.DANGVU_TRUSTED_PROXIES = 2
    two = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.1")
    assert client_address(two) == "203.0.113.7"
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    settings.DANGVU_TRUSTED_PROXIES = 1
    assert client_address(garbage) == "10.0.0.1"


def test_a_success_does_not_wipe_the_addresss_failures_for_other_names(cast: Any, limits: Any) -> None:
    for i in range(limits.DANGVU_LOGIN_ADDRESS_FAILURES - 1):
        _login(f"nguoi{i}", "sai", "203.0.113.70")
    assert _login("canbo", PASSWORD, "203.0.113.70") == 302  # a sprayer with one account of their own
    _login("nguoi-khac", "sai", "203.0.113.70")
    assert _login("kiemtra", PASSWORD, "203.0.113.70") == 429


# ---------------------------------------------------------------- 6. no server error on any input

HOSTILE_PARAMS: list[dict[str, str]] = [
    {"year": "10000", "page": "99999999999999999999", "as_of": "31/02/2024", "on": "0000-00-00"},
    {"year": "-1", "page": "-5", "as_of": "1800-01-01", "from": "9999-12-31", "to": "01/01/0001"},
    {"year": "٣٣٣٣", "page": "abc", "as_of": "x" * 5000, "q": "%" * 3000, "kind": "\x00", "period": "since:99/99"},
    {"year": "0", "unit": "'; drop table x; --", "org": "9" * 40, "member": "-1", "actor": "𝔘" * 300, "status": "?"},
]


def _patterns(resolver: Any = None, prefix: str = "") -> list[str]:
    """Every URL pattern of the product (the admin's are Django's own, swept separately below)."""
    out: list[str] = []
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            continue
        if isinstance(p, URLPattern):
            out.append(prefix + str(p.pattern))
    return out


def _fill(pattern: str, cast: Any) -> list[str]:
    """Each pattern with its parameters filled: an object in scope where the route names one, and hostile values."""
    values = {"code": ["H", cast.an.code if "dang-vien" in pattern else "H", "x" * 300, "%00"], "pk": ["0", "9" * 18]}
    values["job"] = ["0", "9" * 18, "../../etc/passwd"]
    values["token"] = ["khong-co", "x" * 300]
    values["name"] = ["..%2F..%2Fsettings.py", "x" * 300]
    values["field"] = ["citizen_id", "password"]
    values["kind"] = ["death", "khong-co"]
    values["step"] = ["vote", "khong-co"]
    values["slug"] = ["ky-luat", "khong-co"]
    names = re.findall(r"<(?:\w+:)?(\w+)>", pattern)
    urls = []
    for i in range(max((len(values.get(n, ["x"])) for n in names), default=1)):
        url = pattern
        for n in names:
            choices = values.get(n, ["x"])
            url = re.sub(rf"<(?:\w+:)?{n}>", choices[i % len(choices)], url, count=1)
        if "<int:" not in pattern or all(re.fullmatch(r"\d+", v) for v in re.findall(r"/(\d+)/", url)):
            urls.append("/" + url)
    return urls


@pytest.mark.parametrize("pattern", _patterns())
def test_no_url_answers_a_server_error_to_hostile_parameters(cast: Any, pattern: str) -> None:
    failures = []
    for persona in ("anonymous", "quantri", "canbo", "kiemtra", "bithuchibo", "dangvien"):
        c = Client() if persona == "anonymous" else cast.client(persona)
        for url in _fill(pattern, cast):
            for params in HOSTILE_PARAMS:
                try:
                    status = c.get(url, params).status_code
                except Exception as e:  # the test client re-raises what would have been a 500
                    failures.append(f"{persona} {url} {sorted(params)}: {type(e).__name__}: {str(e)[:200]}")
                    continue
                if status >= 500:
                    failures.append(f"{persona} {url} {sorted(params)}: {status}")
    assert not failures, "\n".join(failures[:20])


def test_a_review_list_for_a_year_out_of_range_says_so(cast: Any) -> None:
    r = cast.client("canbo").get("/danh-gia/", {"year": "10000"}, follow=True)
    assert r.status_code == 200 and "Năm không hợp lệ" in r.content.decode()


def test_the_admins_two_step_pages_for_a_missing_device_are_not_found(cast: Any) -> None:
    c = cast.client("quantri")
    for url in ("/admin/otp_totp/totpdevice/999999/config/", "/admin/otp_totp/totpdevice/999999/qrcode/"):
        assert c.get(url).status_code == 404


def test_production_refuses_a_weak_secret_key_as_an_error(settings: Any) -> None:
    from django.core import checks

    from dangvu.accounts.checks import check_secret_key

    settings.PRODUCTION = True
    for weak in ("dev-only-not-secret-change-me", "abc123", "django-insecure-" + "k" * 60, "a" * 80):
        settings.SECRET_KEY = weak
        errors = check_secret_key()
        assert errors and errors[0].level == checks.ERROR and "DANGVU_SECRET_KEY" in errors[0].msg
    settings.SECRET_KEY = "Zq8-" + "".join(chr(65 + i % 26) + str(i % 10) for i in range(40))
    assert check_secret_key() == []


def test_production_refuses_to_run_with_debug_pages(settings: Any) -> None:
    from django.core import checks

    from dangvu.accounts.checks import check_debug

    settings.PRODUCTION, settings.DEBUG = True, True
    errors = check_debug()
    assert errors and errors[0].level == checks.ERROR and "DANGVU_DEBUG" in errors[0].msg
    settings.DEBUG = False
    assert check_debug() == []


# ---------------------------------------------------------------- 7. every write audited


def test_the_admins_link_of_an_account_to_a_member_is_audited(cast: Any) -> None:
    from dangvu.accounts.models import Account

    c = cast.client("quantri")
    acc = Account.objects.get(user=cast.users["dangvien"])
    r = c.post(f"/admin/accounts/account/{acc.pk}/change/", {"member": cast.binh.pk})
    assert r.status_code == 302
    entry = AuditEntry.objects.filter(action="account_link_member").latest("pk")
    assert entry.actor_label == "quantri" and entry.after == {"member_id": cast.binh.pk}
    acc.refresh_from_db()
    assert acc.member_id == cast.binh.pk


def test_the_admins_changes_to_a_user_are_audited_without_the_password(cast: Any) -> None:
    c = cast.client("quantri")
    user = cast.users["kiemtra"]
    r = c.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "Mot-mat-khau-moi-dai", "password2": "Mot-mat-khau-moi-dai", "usable_password": "true"},
    )
    assert r.status_code == 302
    entry = AuditEntry.objects.filter(action="admin_change", object_id=str(user.pk)).latest("pk")
    assert entry.actor_label == "quantri" and entry.after is not None
    assert entry.after["changed"] == ["password"] and "Mot-mat-khau" not in str(entry.after)
    assert sentence(entry).endswith("trong trang quản trị (Mật khẩu).")

    data = {"username": "kiemtra", "is_active": "on", "is_staff": "on", "date_joined_0": "2024-01-01"}
    data["date_joined_1"] = "00:00:00"
    assert c.post(f"/admin/auth/user/{user.pk}/change/", data).status_code == 302
    entry = AuditEntry.objects.filter(action="admin_change", object_id=str(user.pk)).latest("pk")
    assert entry.after is not None and "is_staff" in entry.after["changed"]
    text = sentence(entry)
    assert "sửa người dùng “kiemtra” trong trang quản trị" in text and "Staff" not in text, text
    user.refresh_from_db()
    assert user.is_staff


def test_deleting_in_the_admin_is_audited(cast: Any) -> None:
    from django.contrib.auth.models import Group

    g = Group.objects.create(name="nhom thu")
    c = cast.client("quantri")
    assert c.post(f"/admin/auth/group/{g.pk}/delete/", {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(action="admin_delete")
    assert entry.after is not None and entry.after["object"] == "nhom thu"


def _export(cast: Any, tmp_path: Path, *flags: str) -> str:
    out = tmp_path / "xuat"
    call_command("export", "--root", "H", "--as-of", dt.date.today().isoformat(), *flags, str(out))
    return "\n".join(p.read_text(encoding="utf-8-sig") for p in sorted(out.iterdir()))


def test_dangvu_export_masks_citizen_ids_and_is_audited(cast: Any, tmp_path: Path) -> None:
    text = _export(cast, tmp_path)
    assert "001080001234" not in text and "•••••••••234" in text
    assert "12345678" not in text
    entry = AuditEntry.objects.get(action="dataset_export")
    assert entry.after is not None and entry.after["identifiers"] is False and entry.after["root"] == "H"
    assert "số định danh đã che" in sentence(entry)


def test_dangvu_export_writes_full_identifiers_only_when_asked_and_says_so_in_the_log(
    cast: Any, tmp_path: Path
) -> None:
    text = _export(cast, tmp_path, "--full-identifiers")
    assert "001080001234" in text
    entry = AuditEntry.objects.get(action="dataset_export")
    assert entry.after is not None and entry.after["identifiers"] is True


def test_opening_the_two_step_page_changes_nothing(cast: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    c = cast.client("canbo")
    assert c.get("/tai-khoan/xac-thuc-hai-buoc/").status_code == 200
    assert not TOTPDevice.objects.exists()
    c.post("/tai-khoan/xac-thuc-hai-buoc/", {"start": "1"})
    assert TOTPDevice.objects.filter(user=cast.users["canbo"], confirmed=False).count() == 1
    assert AuditEntry.objects.filter(action="totp_create", object_id=str(cast.users["canbo"].pk)).exists()


def test_no_admin_page_answers_a_server_error_to_missing_ids_or_hostile_parameters(cast: Any) -> None:
    from django.contrib import admin

    c = cast.client("quantri")
    failures = []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls = [
            base + f"{i}/{page}"
            for i in ("999999", "abc", "-1", "x" * 300)
            for page in ("change/", "history/", "delete/")
        ]
        for url in [base, *urls, base + "add/"]:
            for params in [
                {},
                {"q": "%" * 500, "o": "abc", "p": "-1"},
                {"id__gte": "abc", "e": "1", "_to_field": "password"},
            ]:
                try:
                    status = c.get(url, params).status_code
                except Exception as e:
                    failures.append(f"{url} {sorted(params)}: {type(e).__name__}: {str(e)[:200]}")
                    continue
                if status >= 500:
                    failures.append(f"{url} {sorted(params)}: {status}")
    assert not failures, "\n".join(failures[:20])


def test_a_nul_byte_in_the_address_or_a_parameter_is_a_bad_request(cast: Any) -> None:
    c = cast.client("canbo")
    assert c.get("/to-chuc/%00/").status_code == 400
    r = c.get("/cong-tac/ky-luat/", {"q": "a\x00b"})
    assert r.status_code == 400 and "Lỗi 400" in r.content.decode()
    form = "username=canbo%00&password=x"
    assert Client().post("/dang-nhap/", form, content_type="application/x-www-form-urlencoded").status_code == 400
