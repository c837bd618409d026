"""The review in the browser's terms: self-review → branch proposal → committee decision with the quota meter →
close → reopen with a reason. District H's committee runs the 2025 cycle."""

from __future__ import annotations

from typing import Any

import pytest

from dangvu.audit.services import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(cast: Any) -> Any:
    from decimal import Decimal

    from dangvu.assessment.models import MemberYearFacts
    from dangvu.assessment.services import cycle_open

    # QĐ 366 lets An reach HTXS only with every task done and 30% beyond (facts the party records do not hold).
    MemberYearFacts.objects.create(member=cast.an, year=2025, tasks_completed=Decimal(1), tasks_exceeded=Decimal("0.5"))
    return cycle_open(committee=cast.district.district, year=2025, actor=Actor("canbo"))


def test_a_member_sends_their_self_review(cast: Any, cycle: Any) -> None:
    from dangvu.assessment.models import Rating

    c = cast.client("dangvien")
    assert "năm 2025" in c.get("/danh-gia/tu-danh-gia/").content.decode()
    r = c.post("/danh-gia/tu-danh-gia/", {"level": "excellent", "comment": "Hoàn thành tốt mọi nhiệm vụ được giao."})
    assert r.status_code == 302
    rating = Rating.objects.get(stage="self")
    assert rating.member == cast.an and rating.level == "excellent"
    assert 'id="my-level"' in c.get("/danh-gia/tu-danh-gia/").content.decode()
    # A member's login cannot reach the committee's screens.
    assert c.get(f"/danh-gia/{cycle.pk}/").status_code == 404


def test_the_branch_proposes_but_does_not_decide(cast: Any, cycle: Any) -> None:
    from dangvu.assessment.models import Rating

    c = cast.client("bithuchibo")
    url = f"/danh-gia/{cycle.pk}/don-vi/B1/"
    page = c.get(url).content.decode()
    assert "Nguyễn Văn An" in page and 'name="p-' in page and 'name="d-' not in page
    r = c.post(url, {"action": "propose", f"p-{cast.an.pk}": "excellent", f"p-{cast.binh.pk}": "good"})
    assert r.status_code == 302
    assert Rating.objects.filter(stage="proposal").count() == 2
    assert c.post(url, {"action": "decide", f"d-{cast.an.pk}": "good"}).status_code == 403
    assert c.get(f"/danh-gia/{cycle.pk}/don-vi/B2/").status_code == 404


def test_the_inspector_reads_the_screen_and_changes_nothing(cast: Any, cycle: Any) -> None:
    c = cast.client("kiemtra")
    url = f"/danh-gia/{cycle.pk}/don-vi/W/"
    page = c.get(url).content.decode()
    assert "Nguyễn Văn An" in page and 'name="d-' not in page and 'name="p-' not in page
    assert c.post(url, {"action": "propose", f"p-{cast.an.pk}": "good"}).status_code == 403
    assert c.post(f"/danh-gia/{cycle.pk}/ket-thuc/").status_code == 403
    assert cast.client("canbo_khac").get(url).status_code == 404


def decide_all(cast: Any, c: Any, cycle: Any, **extra: str) -> Any:
    d = cast.district
    data = {
        "action": "decide",
        f"d-{cast.an.pk}": "excellent",
        f"d-{cast.binh.pk}": "good",
        f"d-{cast.chi.pk}": "good",
        **extra,
    }
    return c.post(f"/danh-gia/{cycle.pk}/don-vi/{d.ward.code}/", data)


def test_the_committee_decides_within_the_quota_or_with_a_reason(cast: Any, cycle: Any) -> None:
    from dangvu.assessment.models import Result

    c = cast.client("canbo")
    # Live meter: 1 HTXS against 2 HTT is over 20% (limit 0): the warning shows before anything is saved.
    meter = c.post(
        f"/danh-gia/{cycle.pk}/han-muc/W/",
        {f"d-{cast.an.pk}": "excellent", f"d-{cast.binh.pk}": "good", f"d-{cast.chi.pk}": "good"},
    ).content.decode()
    assert 'id="quota-warning"' in meter and "1 HTXS / tối đa 0" in meter
    assert "Trong hạn mức" in c.post(f"/danh-gia/{cycle.pk}/han-muc/W/", {f"d-{cast.binh.pk}": "good"}).content.decode()
    # Saved without a reason: refused, the row says why, nothing written.
    page = decide_all(cast, c, cycle).content.decode()
    assert "Vượt hạn mức HTXS" in page and Result.objects.count() == 0
    # With the committee's reason: accepted.
    r = decide_all(cast, c, cycle, **{f"r-{cast.an.pk}": "Có thành tích đột xuất được tỉnh khen thưởng."})
    assert r.status_code == 302
    assert Result.objects.get(member=cast.an).level == "excellent"
    # The caps come from the rules: the screen shows each member's maximum and its reasons.
    assert "Mức tối đa theo quy định" in c.get(f"/danh-gia/{cycle.pk}/don-vi/W/").content.decode()


def test_close_needs_every_decision_then_reopen_needs_a_reason(cast: Any, cycle: Any) -> None:
    from dangvu.assessment.models import AssessmentCycle

    c = cast.client("canbo")
    r = c.post(f"/danh-gia/{cycle.pk}/ket-thuc/", follow=True)
    assert "Chưa thể kết thúc" in r.content.decode()
    decide_all(cast, c, cycle, **{f"r-{cast.an.pk}": "Thành tích đột xuất."})
    d = cast.district
    r = c.post(
        f"/danh-gia/{cycle.pk}/don-vi/A/", {"action": "decide", f"d-{cast.dung.pk}": "good", f"o-{d.agency.pk}": "good"}
    )
    assert r.status_code == 302
    r = c.post(
        f"/danh-gia/{cycle.pk}/don-vi/W/",
        {"action": "decide", f"o-{d.b1.pk}": "good", f"o-{d.b2.pk}": "good", f"o-{d.ward.pk}": "good"},
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    page = c.post(f"/danh-gia/{cycle.pk}/ket-thuc/", follow=True).content.decode()
    assert "Đã kết thúc đợt đánh giá năm 2025" in page
    cycle.refresh_from_db()
    assert cycle.status == AssessmentCycle.Status.CLOSED
    page = c.post(f"/danh-gia/{cycle.pk}/mo-lai/", {"reason": " "}, follow=True).content.decode()
    assert "cần ghi lý do" in page
    c.post(f"/danh-gia/{cycle.pk}/mo-lai/", {"reason": "Sai sót khi nhập kết quả chi bộ Thôn 2."})
    cycle.refresh_from_db()
    assert cycle.status == AssessmentCycle.Status.OPEN


def test_cycle_pages(cast: Any, cycle: Any) -> None:
    assert cast.client("canbo").get("/danh-gia/").status_code == 200
    assert "2025" in cast.client("bithuchibo").get("/danh-gia/").content.decode()
    assert cast.client("canbo").get(f"/danh-gia/{cycle.pk}/").status_code == 200
    assert cast.client("canbo_khac").get(f"/danh-gia/{cycle.pk}/").status_code == 404
    assert cast.client("bithu").post(f"/danh-gia/{cycle.pk}/ket-thuc/").status_code == 403
