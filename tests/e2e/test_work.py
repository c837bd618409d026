"""The work lists and the alerts page in the browser (issue 11, items 3, 4, 8): the inspector reads every list
and the alerts without one write control; the staff record a discipline decision with the member picker, find it
by name, filter, export the list and open the file; an alert leads to its record."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest

from dangvu.audit.services import Actor

pytestmark = pytest.mark.django_db(transaction=True)
D = dt.date
SETUP = Actor("thiết lập kiểm thử")


@pytest.fixture
def inspector(scene: Any, django_user_model: Any) -> Any:
    """kiemtra: the district's inspector, read-only on H's subtree; and something due there: a candidate the
    committee has not decided on within 60 working days of the branch's vote."""
    from django.utils import timezone

    from dangvu.accounts.models import Role
    from dangvu.accounts.services import grant_role
    from dangvu.work.services import candidate_register, candidate_vote

    from .conftest import PASSWORD

    user = django_user_model.objects.create_user("kiemtra", password=PASSWORD)
    grant_role(
        user=user, role=Role.INSPECTOR, organization=scene.district.district, valid_from=D(2020, 1, 1), actor=SETUP
    )
    today = timezone.localdate()
    cand = candidate_register(
        actor=SETUP,
        full_name="Vũ Thị Hạnh",
        gender="female",
        birth_date=D(1995, 2, 2),
        organization=scene.district.b1,
        awareness_course_on=today - dt.timedelta(days=400),
        dossier_complete=True,
    )
    candidate_vote(candidate=cand, voted_on=today - dt.timedelta(days=150), actor=SETUP)
    return cand


def no_write_control(page: Any) -> None:
    # data-read: a POST that only reads (it starts an export job, an audited read the inspector may make)
    assert page.locator("main form[method=post]:not([data-read])").count() == 0
    assert page.get_by_text("Ghi mới").count() == 0
    assert page.get_by_role("button", name="Kết nạp").count() == 0
    assert page.get_by_role("button", name="Chi bộ xét").count() == 0


def test_the_inspector_walks_every_work_list_and_the_alerts_without_a_write_control(
    scene: Any, inspector: Any, page: Any, shot: Any, axe: Any
) -> None:
    from dangvu.web.views.work import KINDS

    scene.login(page, "kiemtra")
    for slug, kind in KINDS.items():
        page.goto(f"{scene.url}/cong-tac/{slug}/")
        assert page.locator("h1").inner_text() == kind.title
        no_write_control(page)
        axe(page, f"công tác {slug} (kiemtra)")
        if slug == "ket-nap":
            assert page.get_by_text("Vũ Thị Hạnh").count() == 1
            shot(page, "work-inspector-ket-nap")
    page.goto(f"{scene.url}/to-chuc/H/canh-bao/tat-ca/")
    assert page.get_by_role("link", name="Vũ Thị Hạnh").count() == 1
    no_write_control(page)
    axe(page, "việc đến hạn (kiemtra)")
    shot(page, "work-inspector-alerts")
    # A write sent anyway (with a valid CSRF token) is the product's 403.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    r = page.request.post(
        f"{scene.url}/cong-tac/ky-luat/",
        form={"member_code": scene.binh.code, "form": "reprimand", "decided_on": "05/05/2024"},
        headers={"X-CSRFToken": token, "Referer": scene.url + "/cong-tac/ky-luat/"},
    )
    assert r.status == 403
    r = page.request.post(
        f"{scene.url}/cong-tac/ket-nap/{inspector.pk}/admit/",
        form={"on": "05/05/2024"},
        headers={"X-CSRFToken": token, "Referer": scene.url + "/cong-tac/ket-nap/"},
    )
    assert r.status == 403


def test_the_staff_record_a_discipline_with_the_member_picker_find_it_and_export_it(
    scene: Any, page: Any, shot: Any, axe: Any
) -> None:
    from dangvu.work.models import Discipline

    scene.login(page, "canbo")
    page.goto(f"{scene.url}/cong-tac/ky-luat/")
    page.get_by_text("Ghi mới").click()
    axe(page, "kỷ luật, ghi mới (canbo)")
    # The member picker: a few letters without diacritics, the suggestions come, the person picks one.
    picker = page.locator("#id_member_code")
    picker.press_sequentially("tran thi", delay=40)
    option = page.locator("#id_member_code-goi-y option").first
    option.wait_for(state="attached")
    choice = option.get_attribute("value")
    assert choice == f"Trần Thị Bình ({scene.binh.code})"
    picker.fill(choice)
    page.select_option("#id_form", "reprimand")
    # A day after today first: refused beside its field, with what was typed kept.
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    page.fill("#id_decided_on", tomorrow.strftime("%d/%m/%Y"))
    page.fill("#id_decision_ref", "15-QĐ/UBKT")
    page.get_by_role("button", name="Ghi", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".has-error").count() == 1 and page.get_by_text("ở sau hôm nay").count() == 1
    assert page.locator("#id_member_code").input_value() == choice
    shot(page, "work-staff-future-date")
    page.fill("#id_decided_on", "05/05/2024")
    page.get_by_role("button", name="Ghi", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert Discipline.objects.filter(member=scene.binh, decision_ref="15-QĐ/UBKT").exists()
    row = page.locator("main table tbody tr", has_text="15-QĐ/UBKT")
    assert row.count() == 1 and "Trần Thị Bình" in row.inner_text() and "Chi bộ" in row.inner_text()
    # Filter by the name without diacritics and the year, then export what is shown.
    page.fill("#id_q", "tran thi binh")
    page.fill("#id_year", "2024")
    page.get_by_role("button", name="Lọc", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("main table tbody tr[id]").count() == 1
    axe(page, "kỷ luật, đã lọc (canbo)")
    shot(page, "work-staff-discipline-filtered")
    # The export is a job: its page says so in Vietnamese, then offers the file.
    page.get_by_role("button", name="Tải danh sách đã lọc (XLSX)").click()
    page.locator("#job-download a").wait_for()
    assert "/xuat/" in page.url and page.locator("h1").inner_text() == "Xuất danh sách"
    assert page.locator("#job-state").inner_text() == "Xong." and "Kỷ luật" in page.locator("main").inner_text()
    axe(page, "xuất danh sách kỷ luật (canbo)")
    shot(page, "work-export-job")
    with page.expect_download() as dl:
        page.locator("#job-download a").click()
    assert re.fullmatch(r"ky-luat-\d{8}-\d{4}\.xlsx", dl.value.suggested_filename)
    path = dl.value.path()
    ws = openpyxl.load_workbook(io.BytesIO(open(path, "rb").read())).active
    texts = [str(c.value) for r in ws.iter_rows() for c in r if c.value is not None]
    assert "xuất bởi canbo" in texts[0] and "tìm: tran thi binh" in texts[0]
    assert f"Trần Thị Bình ({scene.binh.code})" in texts and "15-QĐ/UBKT" in texts and "5/5/2024" in texts


def test_an_alert_leads_to_its_record(scene: Any, inspector: Any, page: Any, shot: Any, axe: Any) -> None:
    scene.login(page, "canbo")
    page.goto(f"{scene.url}/to-chuc/H/")
    page.locator("#alerts-summary").wait_for()
    page.locator("#alerts").get_by_role("link", name="Xem danh sách việc đến hạn").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Việc đến hạn")
    axe(page, "việc đến hạn (canbo)")
    page.get_by_role("link", name="Cấp ủy quyết định kết nạp (1, 1 quá hạn)").click()
    page.wait_for_load_state("networkidle")
    shot(page, "work-alerts")
    page.get_by_role("link", name="Vũ Thị Hạnh").click()
    page.wait_for_load_state("networkidle")
    assert "/cong-tac/ket-nap/" in page.url
    chosen = page.locator("tr.chosen")
    assert chosen.count() == 1 and "Vũ Thị Hạnh" in chosen.inner_text()
    assert chosen.get_by_role("button", name="Kết nạp").count() == 1  # the staff take the next step there
    axe(page, "kết nạp, một hồ sơ (canbo)")
    shot(page, "work-alert-record")
