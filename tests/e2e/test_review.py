"""The annual review in Chromium, as the people who do it: the member on a phone, the branch secretary, the
committee's staff. District H's 2025 review (QĐ 366) on the scene of tests/e2e/conftest.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

PHONE = {"width": 390, "height": 844}


def self_review(page: Any, scene: Any, general: str, tasks: str, level: str, comment: str) -> None:
    page.goto(scene.url + "/danh-gia/tu-danh-gia/")
    page.fill("#id_pt_general", general)
    page.fill("#id_pt_tasks", tasks)
    page.select_option("#id_level", level)
    page.fill("#id_comment", comment)
    page.click("#send-self-review")
    page.wait_for_selector("#my-level")


def test_the_member_writes_the_self_review_on_a_phone(page: Any, scene: Any, shot: Any, axe: Any) -> None:
    from dangvu.assessment.models import Rating

    page.set_viewport_size(PHONE)
    scene.login(page, "dangvien")
    page.goto(scene.url + "/danh-gia/tu-danh-gia/")
    # Nothing is chosen for the member: the level select starts empty.
    assert page.input_value("#id_level") == ""
    axe(page, "tự đánh giá (điện thoại)")
    shot(page, "review-self-phone-empty")
    # The form fits the phone's width: no sideways scrolling.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("#send-self-review")  # sent without anything: refused, said on the fields
    page.wait_for_selector(".errorlist")
    self_review(page, scene, "28", "64,5", "excellent", "Hoàn thành 100% nhiệm vụ, vượt 50% chỉ tiêu được giao.")
    assert "92,5" in page.inner_text("#my-score")
    shot(page, "review-self-phone-sent")
    axe(page, "tự đánh giá đã gửi (điện thoại)")
    assert Rating.objects.get(stage="self").score == 92.5


def test_a_2025_review_decided_on_the_web_with_a_member_at_the_top_level(
    page: Any, scene: Any, shot: Any, axe: Any
) -> None:
    from dangvu.assessment.models import AssessmentCycle, MemberYearFacts, Rating, Result

    an, binh, chi, dung = scene.an, scene.binh, scene.chi, scene.dung
    d = scene.district
    # The member's self-review with points.
    scene.login(page, "dangvien")
    self_review(page, scene, "28", "64", "excellent", "Hoàn thành xuất sắc, vượt 50% chỉ tiêu.")
    scene.logout(page)
    # The branch secretary enters Bình's facts and points, and proposes both members.
    scene.login(page, "bithuchibo")
    page.goto(f"{scene.url}/danh-gia/{scene.cycle.pk}/don-vi/B1/")
    assert "Hoàn thành xuất sắc" in page.inner_text(f"#row-{an.code}")  # An's self-review is shown
    assert page.input_value(f"select[name=p-{an.pk}]") == ""  # nothing preselected
    page.fill(f"input[name=tc-{binh.pk}]", "100")
    page.fill(f"input[name=te-{binh.pk}]", "10")
    page.fill(f"input[name=pt-general-{binh.pk}]", "25")
    page.fill(f"input[name=pt-tasks-{binh.pk}]", "57")
    page.select_option(f"select[name=p-{an.pk}]", "excellent")
    page.select_option(f"select[name=p-{binh.pk}]", "good")
    axe(page, "trang xếp loại của chi bộ")
    shot(page, "review-branch-proposals")
    page.click("#save-decisions")
    page.wait_for_selector(".messages >> text=đề xuất của 2 đảng viên")
    assert MemberYearFacts.objects.get(member=binh, year=2025).tasks_exceeded == Decimal("0.1")
    assert Rating.objects.get(member=binh, stage="proposal").score == 82
    scene.logout(page)
    # The committee: Chi's level chosen on the page, the rest from the branch's proposals.
    scene.login(page, "canbo")
    page.goto(f"{scene.url}/danh-gia/{scene.cycle.pk}/don-vi/W/")
    page.select_option(f"select[name=d-{chi.pk}]", "good")
    page.select_option(f"select[name=d-{an.pk}]", "excellent")
    page.wait_for_selector("#quota-warning")  # the meter turns red before anything is saved
    assert "1 HTXS / tối đa 0" in page.inner_text("#quota")
    page.select_option(f"select[name=d-{an.pk}]", "")
    page.wait_for_selector("#quota .badge.ok")
    page.click("#accept-proposals")
    # An's proposal is over the quota without a reason: refused on its row, the other two saved.
    page.wait_for_selector(f"#row-{an.code} .errorlist")
    assert "Vượt hạn mức HTXS" in page.inner_text(f"#row-{an.code}")
    assert page.input_value(f"select[name=d-{an.pk}]") == "excellent"
    assert "#quota-warning" and page.is_visible("#quota-warning")
    assert dict(Result.objects.values_list("member_id", "level")) == {binh.pk: "good", chi.pk: "good"}
    shot(page, "review-committee-refused-row")
    axe(page, "trang xếp loại của cấp ủy, một dòng bị từ chối")
    page.fill(f"input[name=r-{an.pk}]", "Có thành tích đột xuất, được Tỉnh ủy tặng bằng khen.")
    page.select_option(f"select[name=o-{d.b1.pk}]", "good")
    page.select_option(f"select[name=o-{d.b2.pk}]", "good")
    page.select_option(f"select[name=o-{d.ward.pk}]", "good")
    page.click("#save-decisions")
    page.wait_for_selector(".messages >> text=4 quyết định xếp loại")
    assert Result.objects.get(member=an).level == "excellent"
    assert "đã ghi lý do" in page.inner_text("#quota")
    shot(page, "review-committee-decided")
    # The list to sign, as a page and as a PDF.
    page.click("#print-list")
    page.wait_for_selector("text=DANH SÁCH KẾT QUẢ XẾP LOẠI")
    assert "Nguyễn Văn An" in page.inner_text("table.list")
    shot(page, "review-list-to-sign")
    axe(page, "danh sách kết quả để ký")
    page.go_back()
    with page.expect_download() as dl:
        page.click("#download-pdf")
    assert dl.value.suggested_filename == "ket-qua-xep-loai-2025-W.pdf"
    # The agency branch, then the close.
    page.goto(f"{scene.url}/danh-gia/{scene.cycle.pk}/don-vi/A/")
    page.select_option(f"select[name=d-{dung.pk}]", "good")
    page.click("#save-decisions")
    page.wait_for_selector(".messages >> text=1 quyết định")
    page.select_option(f"select[name=o-{d.agency.pk}]", "good")
    page.click("#save-decisions")
    page.wait_for_selector(".messages >> text=1 quyết định")
    page.goto(f"{scene.url}/danh-gia/{scene.cycle.pk}/")
    assert page.inner_text("#members-rated") == "4" and page.inner_text("#members-pending") == "0"
    page.click("#close-cycle")
    page.wait_for_selector(".messages >> text=Đã kết thúc đợt đánh giá năm 2025")
    shot(page, "review-cycle-closed")
    axe(page, "trang đợt đánh giá")
    scene.cycle.refresh_from_db()
    assert scene.cycle.status == AssessmentCycle.Status.CLOSED


def test_a_refused_row_keeps_what_was_typed_and_the_rest_is_saved(page: Any, scene: Any, shot: Any, axe: Any) -> None:
    from dangvu.assessment.models import Result

    binh, chi = scene.binh, scene.chi
    scene.login(page, "canbo")
    page.goto(f"{scene.url}/danh-gia/{scene.cycle.pk}/don-vi/W/")
    # Bình at the top level without the facts QĐ 366 asks for; a reason typed; Chi at HTT.
    page.select_option(f"select[name=d-{binh.pk}]", "excellent")
    page.fill(f"input[name=r-{binh.pk}]", "Thành tích đột xuất.")
    page.fill(f"input[name=pt-general-{binh.pk}]", "29")
    page.fill(f"input[name=pt-tasks-{binh.pk}]", "66")
    page.select_option(f"select[name=d-{chi.pk}]", "good")
    page.click("#save-decisions")
    page.wait_for_selector(f"#row-{binh.code} .errorlist")
    row = page.inner_text(f"#row-{binh.code}")
    assert "100% chỉ tiêu" in row and "Quy định 366-QĐ/TW, Điều 11.1" in row
    # What was typed on the refused row is still there; Chi's decision is saved.
    assert page.input_value(f"select[name=d-{binh.pk}]") == "excellent"
    assert page.input_value(f"input[name=r-{binh.pk}]") == "Thành tích đột xuất."
    assert page.input_value(f"input[name=pt-general-{binh.pk}]") == "29"
    assert dict(Result.objects.values_list("member_id", "level")) == {chi.pk: "good"}
    assert "Hoàn thành tốt nhiệm vụ" in page.inner_text(f"#row-{chi.code}")
    shot(page, "review-refused-row-kept")
    axe(page, "dòng bị từ chối")
    # The facts entered on the same row, the decision passes.
    page.fill(f"input[name=tc-{binh.pk}]", "100")
    page.fill(f"input[name=te-{binh.pk}]", "35")
    page.click("#save-decisions")
    page.wait_for_selector(".messages >> text=1 quyết định xếp loại")
    assert Result.objects.get(member=binh).level == "excellent"
