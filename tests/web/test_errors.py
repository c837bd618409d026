"""The product's error pages (issue 11, item 6): Vietnamese, in the layout, with what the person can do next;
Django's debug pages only when asked for (DANGVU_DEBUG=1); the English switch is gone (item 5)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client, RequestFactory

ENGLISH = ("Page not found", "Forbidden", "Server Error", "Bad Request", "Using the URLconf", "CSRF verification")


def _in_layout(page: str) -> bool:
    return '<html lang="vi">' in page and 'class="brand"' in page and "<footer>" in page


def _main(page: str) -> str:
    return page[page.index("<main>") :]


def test_a_missing_address_gets_the_vietnamese_404_page_in_the_layout_and_no_url_list(cast: Any) -> None:
    r = cast.client("canbo").get("/khong-co-trang-nay/", HTTP_REFERER="http://testserver/cay/")
    page = r.content.decode()
    assert r.status_code == 404 and _in_layout(page)
    assert "Không tìm thấy trang này" in page and "/khong-co-trang-nay/" in page
    assert 'href="http://testserver/cay/">Quay lại trang trước' in page and 'href="/">Về trang chính' in page
    # Django's debug page lists every URL pattern; ours names none of them.
    assert "dang-vien/&lt;str:code&gt;" not in page and "danh-gia/<int:pk>" not in page
    assert not any(word in page for word in ENGLISH)


def test_an_organization_out_of_scope_says_so_in_the_scopes_words(cast: Any) -> None:
    r = cast.client("canbo_khac").get("/to-chuc/H/")
    page = r.content.decode()
    assert r.status_code == 404 and _in_layout(page)
    assert "Không có tổ chức này trong phạm vi của bạn." in page


def test_djangos_own_english_404_message_is_never_shown(cast: Any) -> None:
    from django.http import Http404

    from dangvu.web.views.errors import page_not_found

    request = RequestFactory().get("/dang-vien/X/")
    request.user = cast.users["canbo"]
    page = page_not_found(request, Http404("No Member matches the given query.")).content.decode()
    assert "No Member matches" not in page and "Không tìm thấy trang này" in page


def test_a_read_only_post_gets_the_403_page_with_the_scopes_reason(cast: Any) -> None:
    r = cast.client("kiemtra").post(f"/dang-vien/{cast.an.code}/su-kien/suspension/", {"decided_on": "01/02/2024"})
    page = r.content.decode()
    assert r.status_code == 403 and _in_layout(page)
    assert "Bạn không có quyền thực hiện việc này" in page and "Bạn chỉ có quyền xem hồ sơ này." in page
    assert "Không có gì bị thay đổi" in page and "403 Forbidden" not in page


def test_a_member_login_on_a_staff_page_gets_the_403_page(cast: Any) -> None:
    page = cast.client("dangvien").get("/dang-vien/").content.decode()
    assert "Tài khoản đảng viên chỉ xem hồ sơ và bản tự đánh giá của mình." in _main(page)


def test_a_stale_form_without_its_token_gets_a_page_saying_nothing_was_written(cast: Any) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(cast.users["canbo"])
    r = c.post(f"/dang-vien/{cast.an.code}/su-kien/suspension/", {"decided_on": "01/02/2024"})
    page = r.content.decode()
    assert r.status_code == 403 and _in_layout(page)
    assert "Trang này đã cũ, dữ liệu chưa được ghi" in page and "CSRF" not in _main(page)


def test_a_bad_host_gets_the_400_page() -> None:
    r = Client().get("/dang-nhap/", HTTP_HOST="tan-cong.example")
    page = r.content.decode()
    assert r.status_code == 400 and "Yêu cầu không hợp lệ" in page and "Bad Request" not in page


def test_a_server_error_gets_the_500_page_in_the_layout_without_the_requests_context(db: None) -> None:
    from dangvu import urls
    from dangvu.web.views.errors import server_error

    assert urls.handler500 is server_error
    r = server_error(RequestFactory().get("/"))
    page = r.content.decode()
    assert r.status_code == 500 and _in_layout(page)
    assert "Hệ thống gặp lỗi khi xử lý yêu cầu này" in page and "Thử lại sau ít phút" in page


def test_a_view_that_fails_answers_with_the_500_page(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("hỏng")

    monkeypatch.setattr("dangvu.web.views.orgs.render", broken)
    c = Client(raise_request_exception=False)
    c.force_login(cast.users["canbo"])
    r = c.get("/cay/")
    assert r.status_code == 500 and "Hệ thống gặp lỗi" in r.content.decode()


def test_the_login_lock_page_says_how_long_and_what_to_do(cast: Any, settings: Any) -> None:
    settings.AXES_ENABLED = True
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        c.post("/dang-nhap/", {"username": "canbo", "password": "sai"})
    r = c.post("/dang-nhap/", {"username": "canbo", "password": "sai"})
    page = r.content.decode()
    assert r.status_code == 429 and _in_layout(page)
    assert f"{settings.AXES_FAILURE_LIMIT} lần" in page and "30 phút" in page and "đăng nhập lại" in page


def _settings_value(name: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DANGVU_DEBUG") and k != "DANGVU_ENV"}
    out = subprocess.run(
        [sys.executable, "-c", f"import dangvu.settings as s; print(s.{name})"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return out.stdout.strip()


def test_debug_is_off_unless_asked_for_with_dangvu_debug() -> None:
    assert _settings_value("DEBUG") == "False"
    assert _settings_value("DEBUG", DANGVU_DEBUG="1") == "True"
    assert "127.0.0.1" in _settings_value("ALLOWED_HOSTS") and "localhost" in _settings_value("ALLOWED_HOSTS")


def test_with_debug_off_the_static_files_are_still_served(db: None, settings: Any) -> None:
    assert settings.DEBUG is False
    r = Client().get("/static/web/app.css")
    assert r.status_code == 200 and b".error-page" in b"".join(r.streaming_content)  # type: ignore[attr-defined]


def test_there_is_no_english_switch(cast: Any, settings: Any) -> None:
    c = cast.client("canbo")
    page = c.get("/to-chuc/H/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="vi">' in page and 'name="language"' not in page and "English" not in page
    assert c.post("/i18n/setlang/", {"language": "en"}).status_code == 404
    assert [code for code, _ in settings.LANGUAGES] == ["vi"]


def test_the_two_step_page_shows_the_key_and_no_raw_otpauth_address(cast: Any) -> None:
    c = cast.client("canbo")
    c.post("/tai-khoan/xac-thuc-hai-buoc/", {"start": "1"})  # the key is made on a POST, never on opening the page
    page = _main(c.get("/tai-khoan/xac-thuc-hai-buoc/").content.decode())
    visible = re.sub(r"<[^>]+>", " ", page)  # the text a person reads, without the tags' attributes
    assert "Khóa bí mật" in visible and 'href="otpauth://' in page  # the authenticator app still gets the link
    assert "otpauth" not in visible and "secret=" not in visible and "algorithm" not in visible
