"""The work lists and the alerts page, for the cast of tests/web/conftest.py (canbo writes H's subtree, kiemtra
reads it, canbo_khac is staff of another district).

Each of issue 11's problems on these pages has its test here: write controls shown to a read-only inspector,
codes instead of names, typed codes with no picker, lists without filters, paging or export, a future date
accepted, one error of two shown, alerts leading nowhere."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from django.utils import timezone
from fixtures.exports import exported, workbook_bytes

from dangvu.audit.services import Actor
from dangvu.web.views.work import KINDS
from dangvu.work.due import covers

D = dt.date
SETUP = Actor("thiết lập kiểm thử")
pytestmark = pytest.mark.django_db


def main(response: Any) -> str:
    """The page's own content (the header holds the language and logout forms of every page)."""
    html = response.content.decode()
    return html[html.index("<main>") : html.index("</main>")]


def discipline(member: Any, on: D, **fields: Any) -> Any:
    from dangvu.work.services import discipline_record

    return discipline_record(member=member, form="reprimand", decided_on=on, actor=SETUP, **fields)


# ---------------------------------------------------------------- read-only roles


@pytest.mark.parametrize("slug", list(KINDS))
def test_the_inspector_sees_no_write_control_on_a_work_list(cast: Any, slug: str) -> None:
    page = main(cast.client("kiemtra").get(f"/cong-tac/{slug}/"))
    assert 'method="post"' not in page and "Ghi mới" not in page and "Kết nạp</button>" not in page
    assert "Tải danh sách" in page or "Không có hồ sơ nào" in page  # the list itself is there
    # … and the department's staff, who write, see the form.
    assert "Ghi mới" in main(cast.client("canbo").get(f"/cong-tac/{slug}/"))


@pytest.mark.parametrize("slug", list(KINDS))
def test_a_post_by_the_inspector_is_refused_with_403(cast: Any, slug: str) -> None:
    assert cast.client("kiemtra").post(f"/cong-tac/{slug}/", {"org_code": "B1"}).status_code == 403


def test_the_inspector_sees_no_step_of_the_admission_pipeline(cast: Any) -> None:
    from dangvu.work.services import candidate_register

    candidate_register(
        actor=SETUP,
        full_name="Vũ Thị Hạnh",
        gender="female",
        birth_date=D(1995, 2, 2),
        organization=cast.district.b1,
        awareness_course_on=D(2024, 1, 10),
        dossier_complete=True,
    )
    assert "Chi bộ xét" not in main(cast.client("kiemtra").get("/cong-tac/ket-nap/"))
    assert "Chi bộ xét</button>" in main(cast.client("bithuchibo").get("/cong-tac/ket-nap/"))


# ---------------------------------------------------------------- names, not codes


def test_a_list_names_the_member_and_the_unit_as_it_was_called_on_the_records_day(cast: Any) -> None:
    from dangvu.orgs.services import org_rename

    discipline(cast.binh, D(2024, 5, 5), decision_ref="12-QĐ/ĐU")
    org_rename(org=cast.district.b1, name="Chi bộ Thôn Đông", on=D(2025, 1, 1), actor=SETUP)
    page = main(cast.client("canbo").get("/cong-tac/ky-luat/"))
    assert "Trần Thị Bình" in page and f"/dang-vien/{cast.binh.code}/" in page
    assert "Chi bộ Thôn 1" in page and "Chi bộ Thôn Đông" not in page  # the branch's name in May 2024
    assert "5/5/2024" in page and "Khiển trách" in page


def test_a_study_session_names_its_document_by_number_and_title(cast: Any) -> None:
    from dangvu.work.services import document_register

    doc = document_register(
        code="36-CTr/TU", term="2020–2025", issued_on=D(2021, 3, 1), subject="Chương trình chuyển đổi số", actor=SETUP
    )
    form = main(cast.client("bithu").get("/cong-tac/hoc-tap/"))
    assert "Văn bản học tập, quán triệt" in form and "36-CTr/TU — Chương trình chuyển đổi số</option>" in form
    r = cast.client("bithu").post(
        "/cong-tac/hoc-tap/",
        {"org_code": "B1", "document": doc.pk, "held_on": "01/04/2021", "expected": 10, "participants": 9},
    )
    assert r.status_code == 302 and doc.studies.get().organization == cast.district.b1
    page = main(cast.client("kiemtra").get("/cong-tac/hoc-tap/"))
    assert "36-CTr/TU — Chương trình chuyển đổi số" in page and "Chi bộ Thôn 1" in page
    assert main(cast.client("kiemtra").get("/cong-tac/van-ban/", {"q": "chuyen doi so"})).count("<tr id=") == 1


# ---------------------------------------------------------------- filters, pages, export


def test_the_list_filters_by_unit_year_kind_and_words_without_diacritics(cast: Any) -> None:
    discipline(cast.binh, D(2023, 5, 5), deciding_body="Ủy ban Kiểm tra Đảng ủy xã")
    discipline(cast.chi, D(2024, 6, 6))
    discipline(cast.dung, D(2024, 7, 7))
    c = cast.client("canbo")

    def names(**params: Any) -> set[str]:
        page = main(c.get("/cong-tac/ky-luat/", params))
        return {n for n in ("Trần Thị Bình", "Lê Minh Chi", "Phạm Văn Dũng") if n in page}

    assert names() == {"Trần Thị Bình", "Lê Minh Chi", "Phạm Văn Dũng"}
    assert names(year=2024) == {"Lê Minh Chi", "Phạm Văn Dũng"}
    assert names(unit="Đảng bộ xã Thanh Sơn (W)") == {"Trần Thị Bình", "Lê Minh Chi"}
    assert names(unit="W", year=2024) == {"Lê Minh Chi"}
    assert names(q="tran thi binh") == {"Trần Thị Bình"}
    assert names(q="UY BAN KIEM TRA") == {"Trần Thị Bình"}
    assert names(q="thon 2") == set()  # a member's unit is the record's, not searched by name here
    assert names(start="01/07/2024") == {"Phạm Văn Dũng"}
    assert names(kind="warning") == set() and names(kind="reprimand") == names()
    # A unit outside the person's scope is refused on the filter's field, not searched.
    page = main(cast.client("canbo_khac").get("/cong-tac/ky-luat/", {"unit": "W"}))
    assert "Không tìm thấy tổ chức này trong phạm vi của bạn" in page


def test_the_list_is_paged_fifty_at_a_time(cast: Any) -> None:
    from dangvu.work.models import Inspection
    from dangvu.work.services import records_load

    rows = [
        {"kind": "inspection", "organization": cast.district.b1, "started_on": D(2024, 1, 1) + dt.timedelta(days=i)}
        for i in range(55)
    ]
    records_load(Inspection, rows, actor=SETUP)
    c = cast.client("kiemtra")
    first = main(c.get("/cong-tac/kiem-tra/"))
    assert first.count("<tr id=") == 50 and "trang 1 / 2" in first and "page=2" in first
    assert main(c.get("/cong-tac/kiem-tra/", {"page": 2})).count("<tr id=") == 5


def test_the_export_is_the_filtered_list_with_names_audited_and_never_a_formula(cast: Any) -> None:
    from dangvu.audit.models import AuditEntry

    discipline(cast.binh, D(2024, 5, 5), decision_ref='=HYPERLINK("http://x","bấm")', violation="-1+1")
    discipline(cast.chi, D(2023, 5, 5))
    r, _ = exported(cast.client("kiemtra"), "/cong-tac/ky-luat/xuat/", {"year": "2024"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert re.fullmatch(r'attachment; filename="ky-luat-\d{8}-\d{4}\.xlsx"', r["Content-Disposition"])
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(r))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    texts = [str(c.value) for c in cells]
    assert "xuất bởi kiemtra" in texts[0] and "năm: 2024" in texts[0]
    assert f"Trần Thị Bình ({cast.binh.code})" in texts and "Chi bộ Thôn 1 (B1)" in texts
    assert not any("Lê Minh Chi" in t for t in texts)
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s" and formula.quotePrefix
    assert all(c.data_type != "f" for c in cells)
    entry = AuditEntry.objects.get(action="records_export")
    assert entry.actor_label == "kiemtra" and entry.after["số dòng"] == 1 and entry.after["bộ lọc"] == {"năm": "2024"}
    assert cast.client("dangvien").post("/cong-tac/ky-luat/xuat/").status_code == 403
    assert cast.client("kiemtra").get("/cong-tac/ky-luat/xuat/").status_code == 405  # a job is started by a POST


def test_the_export_holds_only_what_the_person_may_see(cast: Any) -> None:
    discipline(cast.binh, D(2024, 5, 5))
    r, _ = exported(cast.client("canbo_khac"), "/cong-tac/ky-luat/xuat/")
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(r))).active
    assert not any("Trần Thị Bình" in str(c.value) for row in ws.iter_rows() for c in row)


# ---------------------------------------------------------------- forms


def test_the_forms_ask_for_members_and_units_with_pickers(cast: Any) -> None:
    page = main(cast.client("canbo").get("/cong-tac/ky-luat/"))
    member = re.search(r'<input[^>]*name="member_code"[^>]*>', page)
    org = re.search(r'<input[^>]*name="org_code"[^>]*>', page)
    assert member and 'hx-get="/chon/dang-vien/' in member.group(0) and "list=" in member.group(0)
    assert org and 'hx-get="/chon/to-chuc/' in org.group(0)
    # What the picker puts in the input, "Name (CODE)", is what the form takes.
    r = cast.client("canbo").post(
        "/cong-tac/ky-luat/",
        {"member_code": f"Trần Thị Bình ({cast.binh.code})", "form": "reprimand", "decided_on": "05/05/2024"},
    )
    assert r.status_code == 302
    assert cast.binh.disciplines.get().decided_on == D(2024, 5, 5)


def test_a_decision_dated_after_today_is_refused_on_its_field(cast: Any) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    r = cast.client("canbo").post(
        "/cong-tac/ky-luat/",
        {"member_code": cast.binh.code, "form": "reprimand", "decided_on": tomorrow.strftime("%d/%m/%Y")},
    )
    page = main(r)
    assert r.status_code == 200 and "ở sau hôm nay" in page
    field = page[page.index('name="decided_on"') :]
    assert field.index("ở sau hôm nay") < field.index("<label")  # beside its own field, before the next one
    assert not cast.binh.disciplines.exists()


def test_a_form_shows_all_its_errors_at_once(cast: Any) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    r = cast.client("canbo").post(
        "/cong-tac/kiem-tra/",
        {"org_code": "", "kind": "", "started_on": tomorrow.strftime("%d/%m/%Y"), "concluded_on": "31/02/2024"},
    )
    page = main(r)
    assert page.count('class="has-error"') == 4  # the unit, the kind, the start in the future, an impossible day
    assert "ở sau hôm nay" in page and "Ngày không hợp lệ" in page and "This field" not in page
    r = cast.client("bithu").post(
        "/cong-tac/boi-duong/", {"org_code": "B1", "kind": "awareness", "title": "", "started_on": "32/01/2024"}
    )
    page = main(r)
    assert page.count('class="has-error"') == 3  # the title, the impossible day, the number of attendances
    assert "Chưa ghi được: sửa 3 chỗ" in page


def test_a_candidates_step_dated_after_today_is_refused(cast: Any) -> None:
    from dangvu.work.services import candidate_register

    cand = candidate_register(
        actor=SETUP,
        full_name="Vũ Thị Hạnh",
        gender="female",
        birth_date=D(1995, 2, 2),
        organization=cast.district.b1,
        awareness_course_on=D(2024, 1, 10),
        dossier_complete=True,
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    c = cast.client("bithuchibo")
    r = c.post(f"/cong-tac/ket-nap/{cand.pk}/vote/", {"on": tomorrow.strftime("%d/%m/%Y")}, follow=True)
    cand.refresh_from_db()
    assert cand.stage == "preparing" and "ở sau hôm nay" in main(r)
    back = f"/cong-tac/ket-nap/?id={cand.pk}"
    r = c.post(f"/cong-tac/ket-nap/{cand.pk}/vote/", {"on": "01/03/2024", "next": back})
    assert r["Location"] == back  # back to the list as it was filtered
    cand.refresh_from_db()
    assert cand.stage == "voted" and cand.branch_vote_on == D(2024, 3, 1)
    r = c.post(f"/cong-tac/ket-nap/{cand.pk}/admit/", {"on": "32/04/2024", "next": "https://example.com/"})
    assert r["Location"] == "/cong-tac/ket-nap/"  # never away from the site
    assert cast.client("kiemtra").post(f"/cong-tac/ket-nap/{cand.pk}/admit/", {"on": "01/04/2024"}).status_code == 403


# ---------------------------------------------------------------- alerts


@pytest.fixture(params=["computed", "stored"])
def due(cast: Any, request: Any) -> Any:
    """An admission the committee has not decided within 60 working days, and a member admitted this year whose
    ceremony is not yet held. Twice: computed whole per request (no stored alerts), and stored (work.due: rebuilt
    first, then kept by the services that record them)."""
    from dangvu.members.services import Admission, member_create
    from dangvu.work.due import rebuild
    from dangvu.work.services import candidate_register, candidate_vote

    today = timezone.localdate()
    if request.param == "stored":
        rebuild(on=today)
    cand = candidate_register(
        actor=SETUP,
        full_name="Vũ Thị Hạnh",
        gender="female",
        birth_date=D(1995, 2, 2),
        organization=cast.district.b1,
        awareness_course_on=today - dt.timedelta(days=400),
        dossier_complete=True,
    )
    candidate_vote(candidate=cand, voted_on=today - dt.timedelta(days=150), actor=SETUP)
    new = member_create(
        actor=SETUP,
        full_name="Đỗ Văn Mới",
        gender="male",
        birth_date=D(1996, 1, 1),
        admission=Admission(org=cast.district.b2, decided_on=today - dt.timedelta(days=60)),
    )
    return cand, new


def test_the_alerts_page_lists_every_alert_linking_to_its_record(cast: Any, due: Any) -> None:
    cand, new = due
    r = cast.client("kiemtra").get("/to-chuc/H/canh-bao/tat-ca/")
    page = main(r)
    assert r.status_code == 200 and 'method="post"' not in page
    assert "Cấp ủy quyết định kết nạp" in page and "Tổ chức lễ kết nạp" in page
    assert f'href="/cong-tac/ket-nap/?id={cand.pk}#ho-so-{cand.pk}"' in page
    assert f'href="/dang-vien/{new.code}/"' in page
    assert "Chi bộ Thôn 1" in page and "Chi bộ Thôn 2" in page  # each alert's unit, by name
    # The candidate's link opens the pipeline on that one record.
    linked = main(cast.client("canbo").get("/cong-tac/ket-nap/", {"id": cand.pk}))
    assert linked.count("<tr id=") == 1 and "Vũ Thị Hạnh" in linked and "Kết nạp</button>" in linked


def test_the_alerts_page_filters_by_kind_lateness_and_name(cast: Any, due: Any) -> None:
    c = cast.client("canbo")
    only = main(c.get("/to-chuc/H/canh-bao/tat-ca/", {"kind": "ceremony"}))
    assert "Đỗ Văn Mới" in only and "Vũ Thị Hạnh" not in only
    late = main(c.get("/to-chuc/H/canh-bao/tat-ca/", {"overdue": "on"}))
    assert "Vũ Thị Hạnh" in late
    by_name = main(c.get("/to-chuc/H/canh-bao/tat-ca/", {"q": "do van moi"}))
    assert "Đỗ Văn Mới" in by_name and "Vũ Thị Hạnh" not in by_name
    assert "Vũ Thị Hạnh" not in main(c.get("/to-chuc/A/canh-bao/tat-ca/"))  # another unit's subtree
    assert cast.client("canbo_khac").get("/to-chuc/H/canh-bao/tat-ca/").status_code == 404


def test_the_dashboards_alerts_end_with_a_link_to_the_alerts_page(cast: Any, due: Any) -> None:
    cand, new = due
    fragment = cast.client("canbo").get("/to-chuc/H/canh-bao/").content.decode()
    assert 'href="/to-chuc/H/canh-bao/tat-ca/' in fragment and "việc khác" not in fragment
    assert f'href="/dang-vien/{new.code}/"' in fragment and f"?id={cand.pk}" in fragment


def test_the_alerts_page_uses_the_dashboards_cache(cast: Any, due: Any, settings: Any) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.DANGVU_DASHBOARD_SECONDS = 60
    cache.clear()
    c = cast.client("canbo")
    c.get("/to-chuc/H/canh-bao/")  # the dashboard computed them
    with CaptureQueriesContext(connection) as q:
        assert c.get("/to-chuc/H/canh-bao/tat-ca/").status_code == 200
    sql = " ".join(x["sql"] for x in q.captured_queries)
    if covers(timezone.localdate()):  # stored: the rows are read, nothing is computed whole
        assert "work_due" in sql and "members_memberevent" not in sql
    else:
        assert "work_candidate" not in sql
    cache.clear()
