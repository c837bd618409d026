"""A member's record in Chromium (issue 11, items 3, 6, 7): the department's staff open a member, record a transfer
choosing the branch with the picker and see it on the timeline; a discipline just recorded is on the profile; a
date after today is refused beside its field with everything else kept; the record prints on A4; the inspector
reads the profile with no write control. Every page passes axe (no serious or critical violation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

D = dt.date


@pytest.fixture
def inspector(scene: Any, django_user_model: Any) -> str:
    """kiemtra: the district's inspector, reads everything under H, changes nothing."""
    from dangvu.accounts.models import Role
    from dangvu.accounts.services import grant_role
    from dangvu.audit.services import Actor

    from .conftest import PASSWORD

    user = django_user_model.objects.create_user("kiemtra", password=PASSWORD)
    grant_role(
        user=user,
        role=Role.INSPECTOR,
        organization=scene.district.district,
        valid_from=D(2020, 1, 1),
        actor=Actor("thiết lập kiểm thử"),
    )
    return "kiemtra"


def pick(page: Any, selector: str, typed: str, expected: str) -> None:
    """Type a few letters into a picker, wait for the suggestion htmx brings, and choose it."""
    page.fill(selector, "")
    page.type(selector, typed, delay=30)
    list_id = page.get_attribute(selector, "list")
    option = page.locator(f"#{list_id} option[value^='{expected}']").first
    expect(option).to_be_attached()
    page.fill(selector, option.get_attribute("value") or "")


def test_staff_record_a_transfer_with_the_picker_and_see_it_on_the_timeline(
    page: Any, scene: Any, shot: Any, axe: Any
) -> None:
    scene.login(page, "canbo")
    page.goto(f"{scene.url}/dang-vien/{scene.an.code}/")
    page.wait_for_selector("#member-name")
    axe(page, "hồ sơ đảng viên")
    page.click("text=Chuyển sinh hoạt đến")
    page.wait_for_selector("#id_to")
    pick(page, "#id_to", "thon 2", "Chi bộ Thôn 2")
    assert page.input_value("#id_to") == "Chi bộ Thôn 2 (B2)"
    page.fill("#id_on", "02/04/2018")
    page.fill("#id_decision_ref", "7-QĐ/ĐU")
    axe(page, "chuyển sinh hoạt đến")
    shot(page, "members-transfer-form")
    page.click("#save-event")
    page.wait_for_selector(".messages >> text=Đã ghi: chuyển sinh hoạt đến.")
    timeline = page.inner_text("#timeline")
    assert "2/4/2018 — Chuyển sinh hoạt đảng chính thức đến · Chi bộ Thôn 2" in timeline
    assert "1/3/2010 — Kết nạp · Chi bộ Thôn 1" in timeline
    assert "Chi bộ Thôn 2" in page.inner_text("#standing")
    shot(page, "members-profile-after-transfer")


def test_a_discipline_just_recorded_is_on_the_profile(page: Any, scene: Any, shot: Any, axe: Any) -> None:
    from dangvu.audit.services import Actor
    from dangvu.work.services import discipline_record

    discipline_record(
        member=scene.binh,
        form="reprimand",
        decided_on=D(2024, 5, 5),
        decision_ref="12-QĐ/ĐU",
        deciding_body="Đảng ủy xã Thanh Sơn",
        violation="Vắng sinh hoạt chi bộ ba kỳ liền không có lý do",
        actor=Actor("canbo"),
    )
    scene.login(page, "canbo")
    page.goto(f"{scene.url}/dang-vien/{scene.binh.code}/")
    section = page.inner_text("#list-ky-luat")
    assert "5/5/2024 — Khiển trách · Chi bộ Thôn 1" in section
    assert "Quyết định số 12-QĐ/ĐU" in section and "Vắng sinh hoạt chi bộ ba kỳ liền" in section
    axe(page, "hồ sơ có kỷ luật")
    shot(page, "members-profile-discipline")


def test_a_date_after_today_is_refused_beside_its_field_and_the_rest_is_kept(
    page: Any, scene: Any, shot: Any, axe: Any
) -> None:
    from dangvu.members.models import MemberEvent
    from dangvu.members.services import today

    tomorrow = today() + dt.timedelta(days=1)
    scene.login(page, "canbo")
    page.goto(f"{scene.url}/dang-vien/{scene.an.code}/su-kien/suspension/")
    page.fill("#id_on", f"{tomorrow:%d/%m/%Y}")
    page.fill("#id_until", "abc")
    page.fill("#id_decision_ref", "9-QĐ/HU")
    page.fill("#id_note", "Chờ kết luận của Ủy ban Kiểm tra")
    page.click("#save-event")
    page.wait_for_selector("#id_on-loi")
    # Both errors at once, each beside its own field.
    assert "ở sau hôm nay" in page.inner_text("#id_on-loi")
    assert "Ngày không hợp lệ" in page.inner_text("#id_until-loi")
    assert page.input_value("#id_decision_ref") == "9-QĐ/HU"
    assert page.input_value("#id_note") == "Chờ kết luận của Ủy ban Kiểm tra"
    assert not MemberEvent.objects.filter(member=scene.an, kind="suspension").exists()
    axe(page, "đình chỉ sinh hoạt với lỗi")
    shot(page, "members-future-date-refused")
    # A new member: the profile's and the admission's errors together.
    page.goto(f"{scene.url}/dang-vien/moi/")
    page.fill("#id_p-occupation", "Kỹ sư xây dựng")
    pick(page, "#id_a-org", "thon 1", "Chi bộ Thôn 1")
    page.fill("#id_a-decided_on", f"05/05/{today().year + 1}")
    page.click("#save-member")
    page.wait_for_selector("#id_a-decided_on-loi")
    assert "ở sau hôm nay" in page.inner_text("#id_a-decided_on-loi")
    assert page.locator("#id_p-full_name-loi").is_visible() and page.locator("#id_p-birth_date-loi").is_visible()
    assert page.input_value("#id_p-occupation") == "Kỹ sư xây dựng"
    assert page.input_value("#id_a-org") == "Chi bộ Thôn 1 (B1)"
    axe(page, "kết nạp đảng viên mới với lỗi")
    shot(page, "members-new-all-errors")


def test_the_record_prints_on_a4_without_navigation(page: Any, scene: Any, shot: Any, axe: Any) -> None:
    scene.login(page, "canbo")
    page.goto(f"{scene.url}/dang-vien/{scene.an.code}/")
    page.click("#print-record")
    page.wait_for_selector("h1#member-name")
    assert page.locator("header.top, nav").count() == 0
    assert "Sơ yếu lý lịch" in page.inner_text("body") and "Quá trình sinh hoạt đảng".upper() in (
        page.inner_text("body").upper()
    )
    assert "001080001234" not in page.content()
    axe(page, "bản in hồ sơ")
    page.emulate_media(media="print")
    assert not page.locator(".no-print").is_visible()
    shot(page, "members-print")
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"


def test_the_inspector_reads_the_profile_with_no_write_control(
    page: Any, scene: Any, inspector: str, shot: Any, axe: Any
) -> None:
    scene.login(page, inspector)
    page.goto(f"{scene.url}/dang-vien/{scene.an.code}/")
    page.wait_for_selector("#member-name")
    assert page.locator("a.write, a[href*='/su-kien/']").count() == 0
    assert page.locator("#print-record").is_visible()
    page.click("#cid button")  # reading a masked identifier is allowed, and audited
    page.wait_for_selector("#cid >> text=001080001234")
    axe(page, "hồ sơ (thanh tra)")
    shot(page, "members-profile-inspector")
    page.goto(f"{scene.url}/dang-vien/")
    assert page.locator("text=Thêm đảng viên").count() == 0
    axe(page, "danh sách đảng viên (thanh tra)")
    shot(page, "members-list-inspector")
