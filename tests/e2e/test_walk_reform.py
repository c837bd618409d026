"""The walk (issue 14's last proof): each of the product's people doing their real task in Chromium, on a day before
the reform of 01/07/2025 (15/3/2024) and today, on a compact scene built through the services.

The scene — tests/conftest.py's SmallDistrict with the reform replayed (as tests/web/test_scope_time.py):
  P "Đảng bộ tỉnh Hà Nam" → H "Đảng bộ huyện Kim Bảng" → W "Đảng bộ xã Thanh Sơn" (B1 Thôn 1, B2 Thôn 2), and the
  agency branch A "Chi bộ Phòng Tư pháp" under H. On 01/07/2025 commune X "Đảng bộ xã Kim Thanh" is established
  under P, absorbs W (its branches come under X) and takes A; H ends.
Members, hand-counted (admitted on 1/3 of the year, recognized 400 days later — but Dũng, whose recognition was
never recorded): An (B1, 2010), Bình (B1, 2011), Chi (B2, 2012), Dũng (A, 2013): on 15/3/2024 in H 4, 3 official
and 1 probationary; 3 in W; 2 in B1; today the same 4 in X; Hạnh, admitted on the web today in B1 by the commune's
secretary: 5 in X, 2 probationary.
People (password of tests/e2e/conftest.py):
  canbo       department staff of H from 2020 (H ended under the grant) and of X from the reform
  kiemtra     inspector of X from the reform: reads X today and, on past days, the units X took over
  bithu       secretary of commune X from the reform: decides the review, admits
  bithuchibo  secretary of branch B1 from 2020: proposes, the branch votes on a candidate
  dangvien    An, on a phone: own profile, self-review
  quantri     administrator: people, roles, the audit log
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

D = dt.date
REFORM = D(2025, 7, 1)
PASSWORD = "mat-khau-kiem-thu"  # tests/e2e/conftest.py's
PHONE = {"width": 390, "height": 844}


@dataclass
class Walk:
    d: Any  # SmallDistrict
    x: Any
    an: Any
    binh: Any
    chi: Any
    dung: Any
    cycle: Any  # X's review of this year, open
    today: dt.date
    url: str

    def login(self, page: Any, username: str) -> None:
        page.context.clear_cookies()
        page.goto(self.url + "/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

    @staticmethod
    def cards(page: Any) -> dict[str, str]:
        """The dashboard's figures, by their label."""
        return {c.locator(".label").inner_text(): c.locator(".big").inner_text() for c in page.locator(".card").all()}

    def go(self, page: Any, path: str) -> str:
        """Opens a page; it must answer 200 and carry no English word a person would meet."""
        response = page.goto(self.url + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        text = page.inner_text("main")
        for word in ("None", "True", "False", "grassroots", "branch", "official", "probationary", "pending"):
            assert f" {word} " not in f" {text} ", (path, word)
        return text


@pytest.fixture
def walk(live_server: Any, district: Any, make_member: Any, django_user_model: Any) -> Walk:
    from django.db import connection
    from django.utils import timezone

    from dangvu.accounts.models import Role
    from dangvu.accounts.services import account_link_member, grant_role
    from dangvu.assessment.models import MemberYearFacts
    from dangvu.assessment.services import cycle_open
    from dangvu.audit.services import Actor
    from dangvu.domain.orgtree import OrgKind, Sector
    from dangvu.members.services import member_recognize
    from dangvu.orgs.services import Decision, org_absorb, org_end, org_establish, org_move
    from dangvu.work.services import candidate_register

    setup = Actor("thiết lập kiểm thử")
    d = district
    an = make_member(d.b1, D(2010, 3, 1), name="Nguyễn Văn An", citizen_id="001080001234")
    binh = make_member(d.b1, D(2011, 3, 1), name="Trần Thị Bình", gender="female")
    chi = make_member(d.b2, D(2012, 3, 1), name="Lê Minh Chi", gender="female")
    dung = make_member(d.agency, D(2013, 3, 1), name="Phạm Văn Dũng")
    for m in (an, binh, chi):  # Dũng's recognition was never recorded: still probationary in the records
        member_recognize(member=m, decided_on=m.events.get(kind="admission").on + dt.timedelta(days=400), actor=setup)
    x = org_establish(
        code="X",
        name="Đảng bộ xã Kim Thanh",
        kind=OrgKind.COMMUNE,
        sector=Sector.COMMUNE_WARD,
        parent=d.province,
        on=REFORM,
        actor=setup,
        decision=Decision("1201-QĐ/TU"),
    )
    org_absorb(source=d.ward, into=x, on=REFORM, actor=setup, decision=Decision("31-HD/BTCTW"))
    org_move(org=d.agency, parent=x, on=REFORM, actor=setup)
    org_end(org=d.district, on=REFORM, actor=setup)

    today = timezone.localdate()
    candidate_register(
        actor=setup,
        full_name="Vũ Thị Hạnh",
        gender="female",
        birth_date=D(1995, 2, 2),
        organization=d.b1,
        awareness_course_on=today - dt.timedelta(days=400),
        dossier_complete=True,
    )
    cycle = cycle_open(committee=x, year=today.year, actor=setup)
    MemberYearFacts.objects.create(member=an, year=today.year, tasks_completed=Decimal(1))

    def user(name: str, **flags: Any) -> Any:
        return django_user_model.objects.create_user(name, password=PASSWORD, **flags)

    start = D(2020, 1, 1)
    canbo = user("canbo")
    grant_role(user=canbo, role=Role.STAFF, organization=d.district, valid_from=start, actor=setup)
    grant_role(user=canbo, role=Role.STAFF, organization=x, valid_from=REFORM, actor=setup)
    grant_role(user=user("kiemtra"), role=Role.INSPECTOR, organization=x, valid_from=REFORM, actor=setup)
    grant_role(user=user("bithu"), role=Role.GRASSROOTS_SECRETARY, organization=x, valid_from=REFORM, actor=setup)
    grant_role(user=user("bithuchibo"), role=Role.BRANCH_SECRETARY, organization=d.b1, valid_from=start, actor=setup)
    member_user = user("dangvien")
    account_link_member(user=member_user, member=an, actor=setup)
    grant_role(user=member_user, role=Role.MEMBER, organization=None, valid_from=start, actor=setup)
    user("quantri", is_superuser=True, is_staff=True)
    if connection.vendor == "sqlite":
        # As tests/e2e/conftest.py's scene: the live server's reads take no locks while a job's thread writes.
        with connection.cursor() as c:
            c.execute("PRAGMA read_uncommitted = 1")
    return Walk(d, x, an, binh, chi, dung, cycle, today, live_server.url)


def test_the_department_staff_walk_the_district_before_the_reform_and_the_commune_today(
    page: Any, walk: Walk, shot: Any, tmp_path: Path
) -> None:
    walk.login(page, "canbo")
    # They land on the district that ended, with the commune that took its units over, theirs today.
    assert page.inner_text("#ended-title") == "Đảng bộ huyện Kim Bảng đã kết thúc hoạt động"
    # (listed twice: as the successor and as the unit they hold today)
    expect(page.locator("#ended-successors").get_by_role("link", name="Đảng bộ xã Kim Thanh").first).to_be_visible()
    shot(page, "walk-staff-landing")

    # 15/3/2024: the district's dashboard counts its 4 members, all official; the tree has the ward and the agency.
    walk.go(page, "/to-chuc/H/?as_of=15/03/2024")
    assert page.inner_text("h1").startswith("Đảng bộ huyện Kim Bảng")
    assert walk.cards(page) == {"Đảng viên": "4", "Chính thức": "3", "Dự bị": "1", "Tổ chức trực thuộc": "2"}
    assert "Đảng bộ tỉnh Hà Nam" in page.inner_text(".crumbs")  # named: the province is not theirs
    assert page.locator(".crumbs a").count() == 0
    shot(page, "walk-staff-dashboard-2024")
    tree = walk.go(page, "/cay/?as_of=15/03/2024")
    for name in ("Đảng bộ huyện Kim Bảng", "Đảng bộ xã Thanh Sơn", "Chi bộ Thôn 1", "Chi bộ Phòng Tư pháp"):
        assert name in tree, name
    assert "Đảng bộ xã Kim Thanh" not in tree  # the commune did not exist yet
    # Member search without diacritics on that day, then An's record across the reform.
    walk.go(page, "/dang-vien/?q=tran+binh&as_of=15/03/2024")
    rows = page.inner_text("#member-rows")
    assert "Trần Thị Bình" in rows and "Chi bộ Thôn 1" in rows and "Nguyễn Văn An" not in rows
    walk.go(page, f"/dang-vien/{walk.an.code}/")
    record = page.inner_text("main")
    assert "Chi bộ Thôn 1" in record and "1/3/2010" in record
    assert "001080001234" not in record  # masked until revealed
    shot(page, "walk-staff-member")

    # Today: the commune's dashboard counts the same 4 members, now under the commune; its tree has both branches
    # and the agency branch, and no ward committee.
    walk.go(page, "/to-chuc/X/")
    assert walk.cards(page)["Đảng viên"] == "4"
    tree = walk.go(page, "/cay/")
    assert "Đảng bộ xã Kim Thanh" in tree and "Chi bộ Thôn 2" in tree and "Chi bộ Phòng Tư pháp" in tree
    assert "Đảng bộ xã Thanh Sơn" not in tree and "Đảng bộ huyện Kim Bảng" not in tree
    # The commune's alerts: the candidate registered in B1 has the branch's vote due.
    walk.go(page, "/to-chuc/X/canh-bao/tat-ca/")
    shot(page, "walk-staff-alerts")

    # The district's report for the first half of 2025, the last months it existed.
    walk.go(page, "/bao-cao/?org=H&period=1/1/2025..30/6/2025")
    assert page.input_value("#id_org") == "Đảng bộ huyện Kim Bảng (H)"
    page.select_option("#id_kind", "annual")
    page.check("input[name=formats][value=docx]")
    page.click("#report-generate")
    page.wait_for_selector("#job-state[data-state=done], #job-state[data-state=failed]", timeout=120_000)
    assert page.get_attribute("#job-state", "data-state") == "done", page.inner_text("#job")
    with page.expect_download() as info:
        page.click("#job-files a[href$='.docx']")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    with zipfile.ZipFile(path) as z:
        text = z.read("word/document.xml").decode("utf-8")
    assert "Kim Bảng" in text and "30/6/2025" in text
    shot(page, "walk-staff-report")


def test_the_inspector_reads_the_units_the_commune_took_over_as_they_stood_and_writes_nothing(
    page: Any, walk: Walk, shot: Any
) -> None:
    walk.login(page, "kiemtra")
    # Before the commune existed, their tree is the ward committee and the agency branch as they stood.
    tree = walk.go(page, "/cay/?as_of=15/03/2024")
    assert "Không có tổ chức nào" not in tree
    for name in ("Đảng bộ xã Thanh Sơn", "Chi bộ Thôn 1", "Chi bộ Thôn 2", "Chi bộ Phòng Tư pháp"):
        assert name in tree, name
    assert "Đảng bộ huyện Kim Bảng" not in tree  # the district ended with no successor of theirs
    shot(page, "walk-inspector-tree-2024")
    walk.go(page, "/to-chuc/W/?as_of=15/03/2024")
    assert walk.cards(page)["Đảng viên"] == "3"  # An, Bình, Chi
    # Today, read only: a member's record offers no change, the admissions list no step.
    walk.go(page, f"/dang-vien/{walk.binh.code}/")
    assert page.locator(f"a[href^='/dang-vien/{walk.binh.code}/su-kien/']").count() == 0
    walk.go(page, "/cong-tac/ket-nap/")
    assert "Vũ Thị Hạnh" in page.inner_text("main")
    assert page.get_by_role("button", name="Chi bộ xét").count() == 0
    shot(page, "walk-inspector-admissions")
    # The commune's 2024 report: it did not exist; the form says so and names the ward committee to ask for.
    walk.go(page, "/bao-cao/?org=X&period=2024")
    page.check("input[name=formats][value=docx]")
    page.click("#report-generate")
    page.wait_for_selector(".errorlist")
    form = page.inner_text("main")
    assert "Đảng bộ xã Kim Thanh (X) được thành lập ngày 1/7/2025" in form and "Đảng bộ xã Thanh Sơn (W)" in form
    shot(page, "walk-inspector-report-2024")


def test_the_secretaries_run_the_admission_and_the_review_of_this_year(page: Any, walk: Walk, shot: Any) -> None:
    from dangvu.members.models import Member

    # The branch secretary: their branch today, under the commune (named, not theirs to open).
    walk.login(page, "bithuchibo")
    walk.go(page, "/to-chuc/B1/")
    assert "Đảng bộ xã Kim Thanh" in page.inner_text(".crumbs") and page.locator(".crumbs a").count() == 0
    assert walk.cards(page)["Đảng viên"] == "2"
    # The branch votes on the candidate.
    walk.go(page, "/cong-tac/ket-nap/")
    row = page.locator("tr", has_text="Vũ Thị Hạnh")
    row.locator("input[name=on]").fill(walk.today.strftime("%d/%m/%Y"))
    row.get_by_role("button", name="Chi bộ xét").click()
    expect(page.locator(".messages")).to_contain_text("Chi bộ đã xét, đề nghị kết nạp Vũ Thị Hạnh")
    # The branch's review sheet of this year: both members, An's facts entered.
    walk.go(page, f"/danh-gia/{walk.cycle.pk}/don-vi/B1/")
    sheet = page.inner_text("main")
    assert "Nguyễn Văn An" in sheet and "Trần Thị Bình" in sheet and "Lê Minh Chi" not in sheet
    shot(page, "walk-branch-secretary-review")

    # The commune's secretary admits her, then sees five members.
    walk.login(page, "bithu")
    walk.go(page, "/cong-tac/ket-nap/")
    row = page.locator("tr", has_text="Vũ Thị Hạnh")
    row.locator("input[name=on]").fill(walk.today.strftime("%d/%m/%Y"))
    row.locator("input[name=decision_ref]").fill("15-QĐ/ĐU")
    row.get_by_role("button", name="Kết nạp").click()
    expect(page.locator(".messages")).to_contain_text("Đã kết nạp Vũ Thị Hạnh")
    hanh = Member.objects.get(full_name="Vũ Thị Hạnh")
    walk.go(page, "/to-chuc/X/")
    figures = walk.cards(page)
    assert figures["Đảng viên"] == "5" and figures["Dự bị"] == "2"
    walk.go(page, f"/dang-vien/{hanh.code}/")
    assert "Chi bộ Thôn 1" in page.inner_text("main")
    # Their review of this year: the commune's cycle, its branches listed.
    walk.go(page, f"/danh-gia/{walk.cycle.pk}/")
    review = page.inner_text("main")
    assert "Đảng bộ xã Kim Thanh" in review and str(walk.today.year) in review
    shot(page, "walk-secretary-cycle")


def test_the_member_writes_the_self_review_on_a_phone(page: Any, walk: Walk, shot: Any) -> None:
    from dangvu.assessment.models import Rating

    page.set_viewport_size(PHONE)
    walk.login(page, "dangvien")
    assert page.url.endswith(f"/dang-vien/{walk.an.code}/")  # their own record
    record = page.inner_text("main")
    assert "Nguyễn Văn An" in record and "Chi bộ Thôn 1" in record
    assert "001080001234" not in record
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "walk-member-phone-record")
    walk.go(page, "/danh-gia/tu-danh-gia/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill("#id_pt_general", "27")
    page.fill("#id_pt_tasks", "60")
    page.select_option("#id_level", "good")
    page.fill("#id_comment", "Hoàn thành tốt nhiệm vụ được giao.")
    page.click("#send-self-review")
    page.wait_for_selector("#my-level")
    assert "87" in page.inner_text("#my-score")
    shot(page, "walk-member-phone-self-review")
    assert Rating.objects.get(stage="self", member=walk.an).score == 87
    # Staff pages are not theirs.
    response = page.goto(walk.url + "/cay/")
    assert response is not None and response.status == 403


def test_the_administrator_reads_people_roles_and_the_audit_in_words(page: Any, walk: Walk, shot: Any) -> None:
    walk.login(page, "quantri")
    # The forest of 15/3/2024: the province and the district, not today's commune.
    tree = walk.go(page, "/cay/?as_of=15/03/2024")
    assert "Đảng bộ tỉnh Hà Nam" in tree and "Đảng bộ huyện Kim Bảng" in tree and "Đảng bộ xã Kim Thanh" not in tree
    grants = walk.go(page, "/phan-quyen/")
    for who in ("canbo", "kiemtra", "bithu", "bithuchibo"):
        assert who in grants, who
    assert "Đảng bộ huyện Kim Bảng" in grants and "Đảng bộ xã Kim Thanh" in grants
    shot(page, "walk-admin-grants")
    log = walk.go(page, "/nhat-ky/")
    assert "Đảng bộ xã Kim Thanh" in log  # the reform's entries read as sentences naming the units
    assert "org_establish" not in log and "grant_role" not in log
    shot(page, "walk-admin-audit")
