"""The token page in Debian's Chromium (tests/e2e/conftest.py's browser and scene): reached from the account links,
a token made and shown once, then revoked; checked with axe-core and photographed (var/screenshots/)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from e2e.conftest import (  # the browser tests' fixtures, shared
    _web_settings,
    axe,
    browser_context_args,
    browser_type_launch_args,
    scene,
    shot,
)

from dangvu.api.models import ApiToken

__all__ = ["_web_settings", "axe", "browser_context_args", "browser_type_launch_args", "scene", "shot"]

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_staff_member_makes_a_token_sees_it_once_and_revokes_it(page: Any, scene: Any, shot: Any, axe: Any) -> None:
    scene.login(page, "canbo")
    page.click("text=Khóa API")
    page.wait_for_url("**/tai-khoan/khoa-api/")
    page.fill("#id_name", "Phần mềm thống kê của huyện")
    page.fill("#id_days", "30")
    page.click("button:has-text('Tạo khóa')")
    page.wait_for_load_state("networkidle")
    secret = page.inner_text("#token-secret")
    assert re.search(r"dv_[A-Za-z0-9_-]{40,}", secret) and "chỉ hiện một lần" in secret
    shot(page, "api-token-created")
    axe(page, "trang khóa API")
    page.goto(scene.url + "/tai-khoan/khoa-api/")
    assert page.locator("#token-secret").count() == 0  # once only
    page.click("button:has-text('Thu hồi')")
    page.wait_for_load_state("networkidle")
    assert "Đã thu hồi" in page.content()
    assert ApiToken.objects.get().revoked_at is not None
    shot(page, "api-token-revoked")
