"""The document register in the browser, as the district's department staff use it: a document is the issuing
organization + type + number + term (Hướng dẫn 36-HD/VPTW II.1: numbers restart for each type in each committee
term). The staff register the district's resolution with the organization picker, a commune's resolution of the
same number and term, are refused the district's again (the term typed with spaces), and register the action
programme that implements it; a commune's staff and a branch secretary cannot name the district as issuer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangvu.audit.services import Actor

pytestmark = pytest.mark.django_db(transaction=True)
D = dt.date
SETUP = Actor("thiết lập kiểm thử")
URL = "/cong-tac/van-ban/"


@pytest.fixture
def commune_staff(scene: Any, django_user_model: Any) -> Any:
    """canboxa: staff of the commune committee W (under district H)."""
    from dangvu.accounts.models import Role
    from dangvu.accounts.services import grant_role

    from .conftest import PASSWORD

    user = django_user_model.objects.create_user("canboxa", password=PASSWORD)
    grant_role(user=user, role=Role.STAFF, organization=scene.district.ward, valid_from=D(2020, 1, 1), actor=SETUP)
    return user


def pick_org(page: Any, letters: str) -> list[str]:
    """Types a few letters in the issuer picker and returns the suggestions shown."""
    picker = page.locator("#id_org_code")
    picker.fill("")
    picker.press_sequentially(letters, delay=40)
    page.wait_for_timeout(600)  # the picker waits 250 ms after the last key, then asks the server
    page.wait_for_load_state("networkidle")
    return [o.get_attribute("value") for o in page.locator("#id_org_code-goi-y option").all()]


def fill_document(page: Any, *, code: str, term: str, issued_on: str, subject: str) -> None:
    page.fill("#id_code", code)
    page.fill("#id_term", term)
    page.fill("#id_issued_on", issued_on)
    page.fill("#id_subject", subject)


def save(page: Any) -> None:
    page.get_by_role("button", name="Ghi", exact=True).click()
    page.wait_for_load_state("networkidle")


def row_texts(page: Any, reference: str) -> list[list[str]]:
    rows = page.locator("main table tbody tr", has_text=reference)
    return [[c.strip() for c in r.locator("td").all_inner_texts()] for r in rows.all()]


def test_the_staff_register_a_resolution_by_its_issuer_and_term(scene: Any, page: Any, shot: Any, axe: Any) -> None:
    from dangvu.audit.models import AuditEntry
    from dangvu.work.models import Document

    h, w = scene.district.district, scene.district.ward
    scene.login(page, "canbo")
    page.goto(scene.url + URL)
    page.get_by_text("Ghi mới").click()
    axe(page, "văn bản, ghi mới (canbo)")
    shot(page, "documents-new-form")
    # The district's resolution: the issuer chosen with the picker from a few letters without diacritics.
    choices = pick_org(page, "huyen kim")
    assert choices == ["Đảng bộ huyện Kim Bảng (H)"]
    page.fill("#id_org_code", choices[0])
    fill_document(
        page, code="1-NQ/HU", term="2020-2025", issued_on="15/10/2020", subject="Về phát triển kinh tế nông nghiệp"
    )
    save(page)
    assert page.locator(".messages").inner_text().strip() == "Đã ghi: văn bản."
    assert page.locator("main table thead th").all_inner_texts() == [
        "Ngày ban hành",
        "Số, ký hiệu",
        "Nhiệm kỳ",
        "Trích yếu",
        "Cấp ủy ban hành",
        "Tên cơ quan ban hành (ngoài hệ thống)",
        "Loại chương trình",
    ]
    assert row_texts(page, "1-NQ/HU") == [
        ["15/10/2020", "1-NQ/HU", "2020–2025", "Về phát triển kinh tế nông nghiệp", "Đảng bộ huyện Kim Bảng H", "", ""]
    ]
    shot(page, "documents-district-resolution")
    # A commune committee's resolution of the same number and term is another document.
    page.get_by_text("Ghi mới").click()
    assert pick_org(page, "thanh son") == ["Đảng bộ xã Thanh Sơn (W)"]
    page.fill("#id_org_code", "Đảng bộ xã Thanh Sơn (W)")
    fill_document(page, code="1-NQ/ĐU", term="2020-2025", issued_on="20/09/2020", subject="Về xây dựng nông thôn mới")
    save(page)
    assert row_texts(page, "1-NQ/ĐU") == [
        ["20/9/2020", "1-NQ/ĐU", "2020–2025", "Về xây dựng nông thôn mới", "Đảng bộ xã Thanh Sơn W", "", ""]
    ]
    # The district's 1-NQ/HU again, the term typed with spaces around the dash: refused beside the number, in
    # words, with what was typed kept; nothing written, not even an audit entry.
    documents, entries = Document.objects.count(), AuditEntry.objects.count()
    page.get_by_text("Ghi mới").click()
    page.fill("#id_org_code", pick_org(page, "huyen kim")[0])
    fill_document(page, code="1-NQ/HU", term="2020 – 2025", issued_on="16/10/2020", subject="Bản ghi trùng")
    save(page)
    assert page.locator("main p.errorlist[role=alert]").inner_text() == (
        "Chưa ghi được: sửa 1 chỗ được đánh dấu bên dưới."
    )
    error = page.locator("div.has-error")
    assert error.count() == 1 and error.locator("input").get_attribute("id") == "id_code"
    assert error.locator(".errorlist").inner_text() == (
        "Văn bản 1-NQ/HU của Đảng bộ huyện Kim Bảng (H) nhiệm kỳ 2020–2025 đã có (số văn bản chỉ dùng một lần "
        "cho mỗi loại trong một nhiệm kỳ cấp ủy)."
    )
    assert page.input_value("#id_term") == "2020 – 2025" and page.input_value("#id_subject") == "Bản ghi trùng"
    assert (Document.objects.count(), AuditEntry.objects.count()) == (documents, entries)
    axe(page, "văn bản trùng bị từ chối (canbo)")
    shot(page, "documents-duplicate-refused")
    # The district's action programme carrying out its resolution: the resolution chosen by number, term and
    # issuer (the commune's 1-NQ/ĐU of the same term is told apart).
    page.fill("#id_org_code", "Đảng bộ huyện Kim Bảng (H)")
    fill_document(
        page,
        code="2-CTr/HU",
        term="2020–2025",
        issued_on="05/11/2020",
        subject="Thực hiện Nghị quyết về phát triển kinh tế nông nghiệp",
    )
    page.select_option("#id_programme_kind", label="Chương trình hành động")
    options = page.locator("#id_implements option").all_inner_texts()
    assert options == [
        "—",
        "1-NQ/HU, nhiệm kỳ 2020–2025, Đảng bộ huyện Kim Bảng",
        "1-NQ/ĐU, nhiệm kỳ 2020–2025, Đảng bộ xã Thanh Sơn",
    ]
    page.select_option("#id_implements", label=options[1])
    save(page)
    assert page.locator(".messages").inner_text().strip() == "Đã ghi: văn bản."
    assert page.locator("main table tbody tr").count() == 3
    assert row_texts(page, "2-CTr/HU")[0][-1] == "Chương trình hành động"  # its kind, in the list
    shot(page, "documents-action-programme")
    programme = Document.objects.get(organization=h, type="CTr", number=2, term="2020–2025")
    assert programme.get_programme_kind_display() == "Chương trình hành động"
    assert [d.reference for d in programme.implements.all()] == ["1-NQ/HU"]
    assert Document.objects.filter(organization=w, type="NQ", number=1).count() == 1


@pytest.mark.parametrize("username", ["canboxa", "bithuchibo"])
def test_a_user_out_of_scope_cannot_name_the_district_as_issuer(
    scene: Any, commune_staff: Any, username: str, page: Any, shot: Any
) -> None:
    from dangvu.work.models import Document

    scene.login(page, username)
    page.goto(scene.url + URL)
    page.get_by_text("Ghi mới").click()
    # The picker does not offer the district.
    assert pick_org(page, "huyen kim") == []
    # Typed anyway, as the picker would write it: refused on the issuer's field, nothing written.
    page.fill("#id_org_code", "Đảng bộ huyện Kim Bảng (H)")
    fill_document(page, code="1-NQ/HU", term="2020-2025", issued_on="15/10/2020", subject="Về nông nghiệp")
    save(page)
    error = page.locator("div.has-error")
    assert error.count() == 1 and error.locator("input").get_attribute("id") == "id_org_code"
    assert error.locator(".errorlist").inner_text() == (
        "Không tìm thấy tổ chức này trong phạm vi của bạn: gõ vài chữ của tên rồi chọn trong danh sách."
    )
    assert not Document.objects.exists()
    shot(page, f"documents-out-of-scope-{username}")
