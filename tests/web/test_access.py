"""Every page for the cast of tests/web/conftest.py: allowed (200), read-only (403), out of scope (404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangvu.accounts.scope import visible_orgs

pytestmark = pytest.mark.django_db

OK, RO, OUT = 200, 403, 404


def status(cast: Any, persona: str, url: str, method: str = "get", **data: Any) -> int:
    c = cast.client(persona)
    r = c.post(url, data) if method == "post" else c.get(url, data)
    return r.status_code


def test_visible_orgs_is_the_subtree_of_each_grant_on_the_date(cast: Any) -> None:
    codes = lambda p: set(visible_orgs(cast.users[p]).values_list("code", flat=True))  # noqa: E731
    assert codes("canbo") == {"H", "W", "B1", "B2", "A"}
    assert codes("kiemtra") == {"H", "W", "B1", "B2", "A"}
    assert codes("bithu") == {"W", "B1", "B2"}
    assert codes("bithuchibo") == {"B1"}
    assert codes("canbo_khac") == {"K", "KB"}
    assert codes("dangvien") == set()
    assert {"P", "H", "K"} <= codes("quantri")
    # Before the units existed, nothing of them is visible.
    assert set(visible_orgs(cast.users["canbo"], on=dt.date(1999, 1, 1))) == set()


def test_a_grant_outside_its_term_gives_nothing(cast: Any, django_user_model: Any) -> None:
    from dangvu.accounts.services import grant_end
    from dangvu.audit.models import AuditEntry
    from dangvu.audit.services import Actor

    grant = cast.users["canbo"].grants.get()
    grant_end(grant=grant, on=dt.date(2021, 1, 1), actor=Actor("quản trị"), reason="nghỉ hưu")
    fresh = django_user_model.objects.get(pk=cast.users["canbo"].pk)
    assert not visible_orgs(fresh).exists()
    assert AuditEntry.objects.filter(action="grant_end", reason="nghỉ hưu").exists()
    assert AuditEntry.objects.filter(action="grant_role").count() >= 6


@pytest.mark.parametrize(
    "persona, code, expected",
    [
        ("canbo", "W", OK),
        ("kiemtra", "W", OK),  # reading is allowed
        ("bithu", "W", OK),
        ("bithuchibo", "W", OUT),  # the branch secretary sees B1 only
        ("bithuchibo", "B1", OK),
        ("canbo_khac", "W", OUT),
        ("dangvien", "B1", OUT),
        ("quantri", "K", OK),
    ],
)
def test_dashboard(cast: Any, persona: str, code: str, expected: int) -> None:
    assert status(cast, persona, f"/to-chuc/{code}/") == expected
    assert status(cast, persona, f"/to-chuc/{code}/lich-su/") == expected
    assert status(cast, persona, f"/to-chuc/{code}/canh-bao/") == expected
    assert status(cast, persona, f"/to-chuc/{code}/chi-tieu/") == expected


def test_the_dashboard_counts_members_and_home_lands_on_it(cast: Any) -> None:
    c = cast.client("canbo")
    r = c.get("/")
    assert r.status_code == 302 and r["Location"] == "/to-chuc/H/"
    page = c.get("/to-chuc/H/").content.decode()
    assert 'id="members-total">4<' in page  # An, Bình, Chi, Dũng; Én is in district K
    assert cast.client("dangvien").get("/")["Location"] == f"/dang-vien/{cast.an.code}/"


def test_the_tree_shows_only_the_subtree(cast: Any) -> None:
    page = cast.client("canbo_khac").get("/cay/").content.decode()
    assert "Chi bộ Xóm Đông" in page and "Chi bộ Thôn 1" not in page
    assert status(cast, "canbo_khac", "/cay/?root=W") == OUT
    assert status(cast, "dangvien", "/cay/") == RO


@pytest.mark.parametrize(
    "persona, expected",
    [("canbo", OK), ("kiemtra", OK), ("bithuchibo", OK), ("canbo_khac", OUT), ("dangvien", OK), ("bithu", OK)],
)
def test_member_profile(cast: Any, persona: str, expected: int) -> None:
    assert status(cast, persona, f"/dang-vien/{cast.an.code}/") == expected


def test_a_member_sees_only_their_own_profile(cast: Any) -> None:
    assert status(cast, "dangvien", f"/dang-vien/{cast.binh.code}/") == OUT
    assert status(cast, "dangvien", "/dang-vien/") == RO
    assert status(cast, "bithuchibo", f"/dang-vien/{cast.chi.code}/") == OUT  # B2 is not B1


@pytest.mark.parametrize(
    "persona, expected",
    [("canbo", OK), ("bithuchibo", OK), ("kiemtra", RO), ("dangvien", RO), ("canbo_khac", OUT)],
)
def test_lifecycle_form(cast: Any, persona: str, expected: int) -> None:
    assert status(cast, persona, f"/dang-vien/{cast.an.code}/su-kien/suspension/") == expected


def test_a_lifecycle_event_goes_through_the_service_with_its_message(cast: Any) -> None:
    from dangvu.members.models import MemberEvent

    c = cast.client("canbo")
    # Recognition is dated from the ceremony; An was admitted in 2010, so it is accepted.
    r = c.post(f"/dang-vien/{cast.an.code}/su-kien/recognition/", {"decided_on": "2011-06-01"})
    assert r.status_code == 302
    assert MemberEvent.objects.filter(member=cast.an, kind="recognition").exists()
    # Recognized before the 12 months of probation: the service's Vietnamese message comes back on the form.
    r = c.post(f"/dang-vien/{cast.binh.code}/su-kien/recognition/", {"decided_on": "2011-06-01"})
    assert r.status_code == 200 and "Chưa hết 12 tháng dự bị" in r.content.decode()


def test_members_list_search_ignores_diacritics_and_case(cast: Any) -> None:
    page = cast.client("canbo").get("/dang-vien/", {"q": "NGUYEN van an"}).content.decode()
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" not in page
    # Masked in the list: the last digits only.
    assert "001080001234" not in page and "•••••••••234" in page


def test_members_list_is_in_scope_and_sorted_by_given_name(cast: Any) -> None:
    page = cast.client("canbo").get("/dang-vien/").content.decode()
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Chi", "Phạm Văn Dũng"]
    assert [page.index(n) for n in names] == sorted(page.index(n) for n in names)
    assert "Hoàng Thị Én" not in page
    other = cast.client("canbo_khac").get("/dang-vien/").content.decode()
    assert "Hoàng Thị Én" in other and "Nguyễn Văn An" not in other
    assert status(cast, "canbo_khac", "/dang-vien/", org="H") == OUT


def test_members_list_filters(cast: Any) -> None:
    page = cast.client("canbo").get("/dang-vien/", {"gender": "female"}).content.decode()
    assert "Lê Minh Chi" in page and "Nguyễn Văn An" not in page
    page = cast.client("canbo").get("/dang-vien/", {"unit": "B1"}).content.decode()
    assert "Trần Thị Bình" in page and "Lê Minh Chi" not in page
    fragment = cast.client("canbo").get("/dang-vien/", {"q": "chi"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "Lê Minh Chi" in fragment


def test_revealing_an_identifier_is_audited(cast: Any) -> None:
    from dangvu.audit.models import AuditEntry

    r = cast.client("kiemtra").post(f"/dang-vien/{cast.an.code}/hien/citizen_id/")
    assert r.status_code == 200 and "001080001234" in r.content.decode()
    entry = AuditEntry.objects.get(action="member_reveal")
    assert entry.actor_label == "kiemtra" and entry.after == {"field": "citizen_id"}
    assert status(cast, "canbo_khac", f"/dang-vien/{cast.an.code}/hien/citizen_id/", "post") == OUT
    assert status(cast, "kiemtra", f"/dang-vien/{cast.an.code}/hien/password/", "post") == OUT


@pytest.mark.parametrize(
    "persona, expected",
    [("canbo", OK), ("quantri", OK), ("kiemtra", RO), ("bithu", RO), ("dangvien", RO)],
)
def test_import_pages_are_for_the_department(cast: Any, persona: str, expected: int) -> None:
    assert status(cast, persona, "/nhap/") == expected
    assert status(cast, persona, "/nhap/mau.xlsx") == expected


@pytest.mark.parametrize("persona, expected", [("canbo", OK), ("kiemtra", OK), ("dangvien", RO)])
def test_audit_reports_and_work_pages(cast: Any, persona: str, expected: int) -> None:
    for url in ("/nhat-ky/", "/bao-cao/", "/cong-tac/", "/cong-tac/ky-luat/", "/danh-gia/"):
        assert status(cast, persona, url) == expected, url


def test_the_audit_log_is_in_scope(cast: Any) -> None:
    cast.client("kiemtra").post(f"/dang-vien/{cast.an.code}/hien/card_number/")
    cast.client("canbo_khac").post(f"/dang-vien/{cast.en.code}/hien/card_number/")
    mine = cast.client("canbo").get("/nhat-ky/", {"action": "member_reveal"}).content.decode()
    assert mine.count('class="audit-row"') == 1 and "kiemtra" in mine
    theirs = cast.client("canbo_khac").get("/nhat-ky/", {"action": "member_reveal"}).content.decode()
    assert theirs.count('class="audit-row"') == 1 and "canbo_khac" in theirs


def test_work_records_are_created_through_the_services_in_scope(cast: Any) -> None:
    from dangvu.work.models import Discipline

    data = {"form": "reprimand", "decided_on": "2024-05-05", "member_code": cast.binh.code}
    r = cast.client("bithu").post("/cong-tac/ky-luat/", data)
    assert r.status_code == 302 and Discipline.objects.filter(member=cast.binh).exists()
    # The rule is the service's: a probationary member cannot be expelled … (here: an official one can't be
    # disciplined with an organization's form).
    r = cast.client("bithu").post("/cong-tac/ky-luat/", {**data, "form": "disbandment"})
    assert r.status_code == 200 and "không thể bị kỷ luật" in r.content.decode()
    # Out of scope: the member picker refuses the code, as if the member did not exist.
    r = cast.client("canbo_khac").post("/cong-tac/ky-luat/", data)
    assert r.status_code == 200 and "Không tìm thấy đảng viên này trong phạm vi của bạn" in r.content.decode()
    assert status(cast, "kiemtra", "/cong-tac/ky-luat/", "post", **data) == RO
    assert Discipline.objects.count() == 1
    listing = cast.client("canbo_khac").get("/cong-tac/ky-luat/").content.decode()
    assert "Trần Thị Bình" not in listing


def test_candidates_pipeline(cast: Any) -> None:
    from dangvu.work.models import Candidate

    c = cast.client("bithuchibo")
    r = c.post(
        "/cong-tac/ket-nap/",
        {
            "full_name": "Vũ Thị Hạnh",
            "gender": "female",
            "birth_date": "1995-02-02",
            "awareness_course_on": "2024-01-10",
            "dossier_complete": "on",
            "org_code": "B1",
        },
    )
    assert r.status_code == 302
    cand = Candidate.objects.get()
    c.post(f"/cong-tac/ket-nap/{cand.pk}/vote/", {"on": "2024-03-01"})
    c.post(f"/cong-tac/ket-nap/{cand.pk}/admit/", {"on": "2024-04-01", "ceremony_on": "2024-04-15"})
    cand.refresh_from_db()
    assert cand.stage == "admitted" and cand.member is not None
    assert status(cast, "canbo_khac", f"/cong-tac/ket-nap/{cand.pk}/vote/", "post", on="2024-03-01") == OUT


def test_every_work_kind_lists_and_shows_its_form(cast: Any) -> None:
    from dangvu.web.views.work import KINDS

    c = cast.client("canbo")
    for slug in KINDS:
        assert c.get(f"/cong-tac/{slug}/", {"org": "H"}).status_code == OK, slug
    assert c.get("/cong-tac/khong-co/").status_code == OUT


def test_the_department_grants_roles_inside_its_subtree(cast: Any) -> None:
    from dangvu.accounts.models import Grant
    from dangvu.audit.models import AuditEntry

    c = cast.client("canbo")
    assert c.get("/phan-quyen/").status_code == OK
    r = c.post(
        "/phan-quyen/", {"username": "bithu", "role": "branch_secretary", "org": "B2", "valid_from": "2026-01-01"}
    )
    assert r.status_code == 302
    g = Grant.objects.get(user=cast.users["bithu"], organization=cast.district.b2)
    assert AuditEntry.objects.filter(action="grant_role", object_id=str(g.pk), actor_label="canbo").exists()
    # Not above their subtree, not the administrator's role, not in another district.
    assert c.post("/phan-quyen/", {"username": "bithu", "role": "admin", "valid_from": "2026-01-01"}).status_code == RO
    # Another district's unit is refused on the organization picker's field, in the same words as a code that
    # does not exist (the page must not tell what lies outside the scope).
    r = c.post("/phan-quyen/", {"username": "bithu", "role": "staff", "org": "K", "valid_from": "2026-01-01"})
    assert r.status_code == OK and "Không tìm thấy tổ chức này trong phạm vi của bạn" in r.content.decode()
    assert not Grant.objects.filter(user=cast.users["bithu"], organization=cast.other).exists()
    assert status(cast, "kiemtra", "/phan-quyen/") == RO
    assert status(cast, "canbo_khac", f"/phan-quyen/{g.pk}/ket-thuc/", "post") == OUT
    assert c.post(f"/phan-quyen/{g.pk}/ket-thuc/", {"reason": "điều động"}).status_code == 302
    assert AuditEntry.objects.filter(action="grant_end", reason="điều động").exists()


def test_the_member_export_is_masked_in_scope_and_audited(cast: Any) -> None:
    import io

    import openpyxl
    from fixtures.exports import exported, workbook_bytes

    from dangvu.audit.models import AuditEntry

    r, _ = exported(cast.client("kiemtra"), "/dang-vien/xuat/", {"q": "an"})
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(r))).active
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "xuất bởi kiemtra" in cells[0]
    assert "Nguyễn Văn An" in cells and "001080001234" not in cells and "•••••••••234" in cells
    assert "Hoàng Thị Én" not in cells
    assert AuditEntry.objects.filter(action="member_export", actor_label="kiemtra").exists()
    assert status(cast, "dangvien", "/dang-vien/xuat/", "post") == RO
    assert status(cast, "canbo_khac", "/dang-vien/xuat/?org=H", "post") == OUT
