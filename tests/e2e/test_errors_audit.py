"""An inspector who posts a form they may not, a mistyped address, and the department's staff reading the audit
log, in Chromium (issue 11, items 5 and 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-kiem-thu"  # the password tests/e2e/conftest.py gives every login


@pytest.fixture
def inspector(scene: Any, django_user_model: Any) -> Any:
    """kiemtra: inspector of district H, read-only."""
    from dangvu.accounts.models import Role
    from dangvu.accounts.services import grant_role
    from dangvu.audit.services import Actor

    user = django_user_model.objects.create_user("kiemtra", password=PASSWORD)
    grant_role(
        user=user,
        role=Role.INSPECTOR,
        organization=scene.district.district,
        valid_from=dt.date(2020, 1, 1),
        actor=Actor("thiết lập kiểm thử"),
    )
    return user


def _post_from_the_page(page: Any, action: str, fields: dict[str, str]) -> None:
    """Submit a form as the browser would, with the page's CSRF token (from the body's hx-headers): a read-only
    person posting a form left open, or one another page offered."""
    page.evaluate(
        """([action, fields]) => {
            const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
            const form = document.createElement('form');
            form.method = 'post';
            form.action = action;
            for (const [name, value] of Object.entries({...fields, csrfmiddlewaretoken: token})) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        [action, fields],
    )


def test_a_read_only_post_lands_on_the_products_403_page(
    page: Any, scene: Any, inspector: Any, shot: Any, axe: Any
) -> None:
    scene.login(page, "kiemtra")
    page.goto(f"{scene.url}/dang-vien/{scene.an.code}/")
    with page.expect_navigation() as nav:
        _post_from_the_page(page, f"/dang-vien/{scene.an.code}/su-kien/suspension/", {"decided_on": "01/02/2024"})
    assert nav.value.status == 403
    expect(page.locator("h1")).to_have_text("Bạn không có quyền thực hiện việc này")
    expect(page.locator(".error-message")).to_have_text("Bạn chỉ có quyền xem hồ sơ này.")
    assert "Forbidden" not in page.content()
    expect(page.locator("header.top nav")).to_be_visible()  # in the product's layout, the menu still there
    shot(page, "vietnamese-403")
    axe(page, "403")
    page.click("text=Quay lại trang trước")
    page.wait_for_selector("#member-name")
    from dangvu.members.models import MemberEvent

    assert not MemberEvent.objects.filter(member=scene.an, kind="suspension").exists()


def test_a_mistyped_address_lands_on_the_404_page_with_a_way_home(page: Any, scene: Any, shot: Any, axe: Any) -> None:
    response = page.goto(scene.url + "/khong-co-trang-nay/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy trang này")
    assert "Using the URLconf" not in page.content() and "dang-vien/<str:code>" not in page.content()
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()  # not logged in: log in
    scene.login(page, "canbo")
    page.goto(scene.url + "/dang-vien/KHONGCO/")
    expect(page.locator(".error-message")).to_have_text("Không có đảng viên này trong phạm vi của bạn.")
    shot(page, "vietnamese-404")
    axe(page, "404")
    page.click("text=Về trang chính của bạn")
    page.wait_for_url("**/to-chuc/H/")


def test_staff_read_the_audit_log_as_sentences_and_filter_it(page: Any, scene: Any, shot: Any, axe: Any) -> None:
    from django.contrib.auth import get_user_model

    from dangvu.audit.services import Actor
    from dangvu.work.services import discipline_record

    canbo = get_user_model().objects.get(username="canbo")
    discipline_record(form="reprimand", decided_on=dt.date(2024, 5, 5), member=scene.an, actor=Actor.of(canbo))
    scene.login(page, "canbo")
    page.goto(scene.url + "/nhat-ky/")
    rows = page.locator(".audit-row .sentence")
    expect(rows.first).to_have_text(
        f"Cán bộ ban tổ chức canbo ghi kỷ luật khiển trách đảng viên Nguyễn Văn An ({scene.an.code}) ngày 5/5/2024."
    )
    text = page.locator("table").inner_text()
    assert "mở đợt đánh giá năm 2025 của Đảng bộ huyện Kim Bảng (H)" in text
    assert "assessment" not in text and "_" not in text.replace("Can_bo_to_chuc", "")
    shot(page, "vietnamese-audit-log")
    axe(page, "nhật ký")
    page.select_option("#id_action", label="Ghi kỷ luật")
    page.click("text=Lọc")
    expect(page.locator(".audit-row")).to_have_count(1)
    page.goto(scene.url + "/nhat-ky/")
    page.fill("#id_member", f"Nguyễn Văn An ({scene.an.code})")
    page.click("text=Lọc")
    assert all(
        scene.an.code in t or "Nguyễn Văn An" in t for t in page.locator(".audit-row .sentence").all_inner_texts()
    )
    shot(page, "vietnamese-audit-log-member")
