"""A grassroots branch's own annual review in the browser (chi bộ cơ sở rates its own members, HD 21): its
secretary opens the year's cycle, sees the branch's own members in the cycle's progress, decides a member's level
and sees the result; a refusal names the member by code and name and says why."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangvu.audit.services import Actor

pytestmark = pytest.mark.django_db(transaction=True)
D = dt.date
SETUP = Actor("thiết lập kiểm thử")


@pytest.fixture
def secretary(scene: Any, django_user_model: Any) -> Any:
    """bithucoso: the secretary of the agency's grassroots branch A (Chi bộ Phòng Tư pháp, under district H)."""
    from dangvu.accounts.models import Role
    from dangvu.accounts.services import grant_role

    from .conftest import PASSWORD

    user = django_user_model.objects.create_user("bithucoso", password=PASSWORD)
    grant_role(
        user=user, role=Role.BRANCH_SECRETARY, organization=scene.district.agency, valid_from=D(2020, 1, 1), actor=SETUP
    )
    return user


def test_the_secretary_opens_the_branch_cycle_and_decides_a_member(
    scene: Any, secretary: Any, page: Any, shot: Any, axe: Any
) -> None:
    from dangvu.assessment.models import AssessmentCycle, Result

    a, dung = scene.district.agency, scene.dung
    scene.login(page, "bithucoso")
    page.goto(scene.url + "/danh-gia/")
    # The secretary may open a cycle for the branch only.
    assert page.locator("select[name=committee] option").all_inner_texts() == ["Chi bộ Phòng Tư pháp (A)"]
    page.fill("#id_year", "2025")
    page.get_by_role("button", name="Mở").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".messages").inner_text().strip() == "Đã mở đợt đánh giá năm 2025."
    assert page.locator("h1").inner_text() == "Đánh giá, xếp loại năm 2025 — Chi bộ Phòng Tư pháp"
    cycle = AssessmentCycle.objects.get(committee=a, year=2025)
    # The progress: the branch's own member, on the branch's own row; no empty cards of units it does not rate.
    assert page.locator("#progress .card .label").all_inner_texts() == ["Đảng viên đã có quyết định"]
    assert page.inner_text("#members-rated") == "0" and page.inner_text("#members-pending") == "1"
    assert page.locator("main h2").first.inner_text() == "Đảng viên của chi bộ"
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    assert [t.strip() for t in rows.first.locator("th, td").all_inner_texts()][:5] == [
        "Chi bộ Phòng Tư pháp A",
        "1",
        "0",
        "1",
        "—",
    ]
    axe(page, "đợt đánh giá của chi bộ cơ sở")
    shot(page, "branch-cycle-opened")
    # The branch's sheet lists its member; a level above what the rules allow is refused naming the member.
    page.get_by_role("link", name="Xếp loại Chi bộ Phòng Tư pháp").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(f"#row-{dung.code}").count() == 1
    assert "Phạm Văn Dũng" in page.inner_text(f"#row-{dung.code}")
    assert page.get_by_role("heading", name="Tổ chức đảng").count() == 0  # the branch rates no unit
    axe(page, "trang xếp loại của chi bộ cơ sở")
    page.select_option(f"select[name=d-{dung.pk}]", "excellent")
    page.click("#save-decisions")
    page.wait_for_load_state("networkidle")
    refusal = page.locator(".messages .error, .messages [class*=error]").all_inner_texts()
    why = (
        "Không thể xếp 'HTXS': tối đa 'HTT' vì Mức 'Hoàn thành xuất sắc' cần hoàn thành 100% chỉ tiêu, nhiệm vụ và "
        "ít nhất 30% vượt mức (ghi nhận: hoàn thành —, vượt —). (Quy định 366-QĐ/TW, Điều 11.1)"
    )
    assert [t.strip() for t in refusal] == [f"{dung.code} – Phạm Văn Dũng: {why}"]
    assert page.inner_text(f"#error-{dung.code}").strip() == why
    assert page.input_value(f"select[name=d-{dung.pk}]") == "excellent"  # kept as chosen
    assert not Result.objects.filter(member=dung).exists()
    shot(page, "branch-cycle-refused")
    # The level the rules allow: recorded, and the result shown on the row and in the progress.
    page.select_option(f"select[name=d-{dung.pk}]", "good")
    page.click("#save-decisions")
    page.wait_for_load_state("networkidle")
    assert "1 quyết định xếp loại" in page.locator(".messages").inner_text()
    assert Result.objects.get(member=dung, year=2025).level == "good"
    assert page.input_value(f"select[name=d-{dung.pk}]") == "good"
    shot(page, "branch-cycle-decided")
    page.goto(f"{scene.url}/danh-gia/{cycle.pk}/")
    assert page.inner_text("#members-rated") == "1" and page.inner_text("#members-pending") == "0"
    shot(page, "branch-cycle-progress-done")
