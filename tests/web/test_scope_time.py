"""Scope across time (issue 11, item 1): a grant covers its unit's subtree as it stood during the grant's term; the
staff of a unit that ended keep reading its past; a successor's staff read their predecessors' history; writing
follows the member's unit on the day of the change.

The scene: the shared SmallDistrict (P → H → W (B1, B2), A) and, on 01/07/2025, the reform replayed through the
services — commune X is established under P, takes ward committee W (absorbed) and agency branch A (moved), and
district H ends. Earlier, on 01/01/2019, W had absorbed a neighbouring ward committee W0 (branch B0).

Personas (password logins made by force_login):
  canbo_h      staff of H from 01/01/2020, grant never ended: H ended under it → reads H's past, writes nothing
  canbo_x      staff of commune X from 01/07/2025: writes X today; reads W, A (and W0) before the reform
  rut          staff of H whose grant was withdrawn on 01/01/2023 while H went on: nothing any more
  canbo_k      staff of another district K: none of this exists for them
Members: An in B1 (since 2010), Dũng in A (since 2013), Giang in B0 (since 2005).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dangvu.audit.services import Actor
from dangvu.domain.orgtree import OrgKind, Sector

pytestmark = pytest.mark.django_db

D = dt.date
REFORM = D(2025, 7, 1)
SETUP = Actor("thiết lập kiểm thử")


@dataclass
class Reform:
    district: Any
    commune: Any
    w0: Any
    b0: Any
    other: Any
    an: Any
    dung: Any
    giang: Any
    users: dict[str, Any]

    def client(self, persona: str) -> Client:
        c = Client()
        c.force_login(self.users[persona])
        return c


@pytest.fixture
def reform(district: Any, make_member: Any, django_user_model: Any) -> Reform:
    from dangvu.accounts.models import Role
    from dangvu.accounts.services import grant_end, grant_role
    from dangvu.orgs.services import Decision, org_absorb, org_end, org_establish, org_move

    d = district
    w0 = org_establish(
        code="W0",
        name="Đảng bộ xã Thanh Hà",
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE_WARD,
        parent=d.district,
        on=D(2000, 1, 1),
        actor=SETUP,
    )
    b0 = org_establish(
        code="B0",
        name="Chi bộ Thôn 5",
        kind=OrgKind.BRANCH,
        sector=Sector.RESIDENTIAL,
        parent=w0,
        on=D(2000, 1, 1),
        actor=SETUP,
    )
    k = org_establish(
        code="K",
        name="Đảng bộ huyện Thanh Liêm",
        kind=OrgKind.DISTRICT,
        sector=Sector.OTHER,
        parent=d.province,
        on=D(2000, 1, 1),
        actor=SETUP,
    )
    an = make_member(d.b1, D(2010, 3, 1), name="Nguyễn Văn An")
    dung = make_member(d.agency, D(2013, 3, 1), name="Phạm Văn Dũng")
    giang = make_member(b0, D(2005, 3, 1), name="Đỗ Thị Giang", gender="female")
    org_absorb(source=w0, into=d.ward, on=D(2019, 1, 1), actor=SETUP)
    x = org_establish(
        code="X",
        name="Đảng bộ xã Kim Thanh",
        kind=OrgKind.COMMUNE,
        sector=Sector.COMMUNE_WARD,
        parent=d.province,
        on=REFORM,
        actor=SETUP,
        decision=Decision("1201-QĐ/TU"),
    )
    org_absorb(source=d.ward, into=x, on=REFORM, actor=SETUP, decision=Decision("31-HD/BTCTW"))
    org_move(org=d.agency, parent=x, on=REFORM, actor=SETUP)
    org_end(org=d.district, on=REFORM, actor=SETUP)

    users: dict[str, Any] = {}

    def user(name: str) -> Any:
        users[name] = django_user_model.objects.create_user(name, password="mat-khau-kiem-thu")
        return users[name]

    start = D(2020, 1, 1)
    grant_role(user=user("canbo_h"), role=Role.STAFF, organization=d.district, valid_from=start, actor=SETUP)
    grant_role(user=user("canbo_x"), role=Role.STAFF, organization=x, valid_from=REFORM, actor=SETUP)
    withdrawn = grant_role(user=user("rut"), role=Role.STAFF, organization=d.district, valid_from=start, actor=SETUP)
    grant_end(grant=withdrawn, on=D(2023, 1, 1), actor=SETUP, reason="chuyển công tác")
    grant_role(user=user("canbo_k"), role=Role.STAFF, organization=k, valid_from=start, actor=SETUP)
    return Reform(d, x, w0, b0, k, an, dung, giang, users)


def status(client: Client, url: str, **params: Any) -> int:
    return client.get(url, params).status_code


# ---------------------------------------------------------------- the staff of the district that ended


def test_the_staff_of_an_ended_district_read_its_pages_on_any_day_of_their_term(reform: Reform) -> None:
    c = reform.client("canbo_h")
    assert status(c, "/to-chuc/H/", as_of="2024-12-31") == 200
    assert status(c, "/to-chuc/H/", as_of="2025-06-30") == 200
    assert status(c, "/cay/", root="H", as_of="2024-12-31") == 200
    assert status(c, "/to-chuc/H/lich-su/", as_of="2025-06-30") == 200
    r = c.get("/dang-vien/", {"org": "H", "as_of": "31/12/2024"})
    assert r.status_code == 200
    assert "Nguyễn Văn An" in r.content.decode() and "Phạm Văn Dũng" in r.content.decode()
    assert status(c, f"/dang-vien/{reform.an.code}/") == 200


def test_days_after_the_term_do_not_exist_for_them(reform: Reform) -> None:
    c = reform.client("canbo_h")
    assert status(c, "/to-chuc/H/") == 404  # today: the district is gone
    assert status(c, "/to-chuc/H/", as_of="2025-07-01") == 404
    # nor the commune that took the district's units over
    assert status(c, "/to-chuc/X/") == 404


def test_the_units_past_before_their_grant_began_is_theirs_to_read(reform: Reform) -> None:
    # Staff appointed in 2020 write the report of the 2015–2020 term: the district's 2019 is theirs.
    c = reform.client("canbo_h")
    assert status(c, "/to-chuc/H/", as_of="2019-12-31") == 200
    r = c.get("/dang-vien/", {"org": "H", "as_of": "31/12/2019"})
    assert r.status_code == 200 and "Nguyễn Văn An" in r.content.decode()


def test_the_staff_of_an_ended_district_never_write_after_its_end(reform: Reform) -> None:
    c = reform.client("canbo_h")
    assert status(c, f"/dang-vien/{reform.an.code}/su-kien/exemption/") == 403
    profile = c.get(f"/dang-vien/{reform.an.code}/").content.decode()
    assert f"/dang-vien/{reform.an.code}/su-kien/" not in profile


def test_they_land_on_a_page_saying_the_district_ended_with_its_successor_and_its_past(reform: Reform) -> None:
    r = reform.client("canbo_h").get("/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "Đảng bộ huyện Kim Bảng đã kết thúc hoạt động" in page
    assert "30/6/2025" in page
    assert "Đảng bộ xã Kim Thanh" in page  # the commune its units went to (outside their scope: a name, no link)
    assert "/to-chuc/X/" not in page
    assert "/dang-vien/?org=H&amp;as_of=2025-06-30" in page
    assert "/bao-cao/?org=H&amp;period=2024" in page
    # and every link to the past opens
    c = reform.client("canbo_h")
    for url in ("/to-chuc/H/?as_of=2025-06-30", "/dang-vien/?org=H&as_of=2025-06-30", "/danh-gia/?year=2024"):
        assert c.get(url).status_code == 200, url


def test_they_read_the_district_review_of_2024_but_decide_nothing(reform: Reform) -> None:
    from dangvu.assessment.services import cycle_open

    cycle = cycle_open(committee=reform.district.district, year=2024, actor=SETUP)
    c = reform.client("canbo_h")
    assert f'href="/danh-gia/{cycle.pk}/"' in c.get("/danh-gia/", {"year": 2024}).content.decode()
    # the list of every year keeps the district's past reviews for them
    assert f'href="/danh-gia/{cycle.pk}/"' in c.get("/danh-gia/").content.decode()
    assert f'href="/danh-gia/{cycle.pk}/"' not in reform.client("canbo_k").get("/danh-gia/").content.decode()
    assert status(c, f"/danh-gia/{cycle.pk}/") == 200
    r = c.get(f"/danh-gia/{cycle.pk}/don-vi/B1/")
    assert r.status_code == 200 and "Nguyễn Văn An" in r.content.decode()
    assert c.post(f"/danh-gia/{cycle.pk}/ket-thuc/").status_code == 403
    # the commune's staff read it too (W and its branches were their predecessors), and decide nothing either
    x = reform.client("canbo_x")
    assert status(x, f"/danh-gia/{cycle.pk}/don-vi/B1/") == 200
    assert x.post(f"/danh-gia/{cycle.pk}/ket-thuc/").status_code in (403, 404)
    assert reform.client("canbo_k").get(f"/danh-gia/{cycle.pk}/").status_code == 404


def test_they_produce_the_district_annual_report_for_2024_and_download_it(reform: Reform) -> None:
    c = reform.client("canbo_h")
    form = c.get("/bao-cao/").content.decode()
    assert 'value="Đảng bộ huyện Kim Bảng (H)"' in form and 'value="2024"' in form  # the form opens on it
    r = c.post(
        "/bao-cao/", {"org": "Đảng bộ huyện Kim Bảng (H)", "kind": "annual", "period": "2024", "formats": ["docx"]}
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    job = c.get(r["Location"], follow=True)  # a finished job shows its draft
    assert job.status_code == 200
    link = next(a for a in job.content.decode().split('"') if a.endswith(".docx") and "/tai/" in a)
    download = c.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"  # a real DOCX (a zip)
    # the job stays out of everyone else's reach
    assert reform.client("canbo_k").get(r["Location"]).status_code == 404


def test_a_report_for_a_period_after_the_district_ended_is_refused_on_the_form_saying_when_it_ended(
    reform: Reform,
) -> None:
    from dangvu.jobs.models import Job

    r = reform.client("canbo_h").post(
        "/bao-cao/", {"org": "H", "kind": "annual", "period": "2026", "formats": ["docx"]}
    )
    # their own district: the form says when it existed (no job), rather than a page saying it is out of scope
    assert r.status_code == 200
    assert "hoạt động đến ngày 30/6/2025: kỳ báo cáo này không có tổ chức ấy" in r.content.decode()
    assert not Job.objects.exists()
    # a neighbour district's staff learn nothing of it
    r = reform.client("canbo_k").post(
        "/bao-cao/", {"org": "H", "kind": "annual", "period": "2026", "formats": ["docx"]}
    )
    assert r.status_code == 404


def test_a_grant_withdrawn_while_the_district_went_on_gives_nothing(reform: Reform) -> None:
    c = reform.client("rut")
    assert status(c, "/to-chuc/H/", as_of="2022-06-30") == 404
    assert status(c, f"/dang-vien/{reform.an.code}/") == 404


# ---------------------------------------------------------------- the successor's staff


def test_the_commune_staff_read_their_predecessors_history(reform: Reform) -> None:
    c = reform.client("canbo_x")
    assert status(c, "/to-chuc/W/", as_of="2024-12-31") == 200  # absorbed into X
    assert status(c, "/to-chuc/A/", as_of="2015-06-30") == 200  # moved into X
    assert status(c, "/to-chuc/W0/", as_of="2018-06-30") == 200  # absorbed into W, itself absorbed into X
    r = c.get("/dang-vien/", {"org": "W", "as_of": "31/12/2024"})
    assert r.status_code == 200 and "Nguyễn Văn An" in r.content.decode() and "Đỗ Thị Giang" in r.content.decode()
    assert status(c, f"/dang-vien/{reform.giang.code}/") == 200


def test_the_commune_staff_tree_of_a_day_before_the_commune_existed_starts_at_its_predecessors(
    reform: Reform,
) -> None:
    # The commune did not exist on 31/12/2024: its staff's tree of that day is W (with W0's branch B0 in it since
    # 2019) and A, the units the commune took over, rather than "no organization in your scope".
    page = reform.client("canbo_x").get("/cay/", {"as_of": "31/12/2024"}).content.decode()
    assert "Không có tổ chức nào" not in page
    for code in ("W", "B1", "B2", "B0", "A"):
        assert f'href="/to-chuc/{code}/?as_of=31/12/2024"' in page, code
    assert 'href="/to-chuc/H/' not in page  # the district is not theirs
    # and the administrator's tree of that day is the whole forest of that day, not today's top units
    from django.contrib.auth import get_user_model

    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("quantri", password="mat-khau-kiem-thu"))
    page = admin.get("/cay/", {"as_of": "31/12/2024"}).content.decode()
    for code in ("P", "H", "W", "K"):
        assert f'href="/to-chuc/{code}/?as_of=31/12/2024"' in page, code


def test_the_commune_staff_do_not_read_the_district_nor_a_neighbour(reform: Reform) -> None:
    c = reform.client("canbo_x")
    assert status(c, "/to-chuc/H/", as_of="2024-12-31") == 404  # ended without a successor: not a predecessor
    assert status(c, "/to-chuc/K/", as_of="2024-12-31") == 404
    assert status(c, "/to-chuc/W/") == 404  # W does not exist after the reform
    assert reform.client("canbo_k").get("/to-chuc/W/", {"as_of": "2024-12-31"}).status_code == 404


def test_the_commune_staff_record_a_change_for_a_member_whose_span_began_before_the_reform(reform: Reform) -> None:
    from dangvu.members.models import MemberEvent

    c = reform.client("canbo_x")
    assert status(c, f"/dang-vien/{reform.an.code}/su-kien/exemption/") == 200
    assert f"/dang-vien/{reform.an.code}/su-kien/" in c.get(f"/dang-vien/{reform.an.code}/").content.decode()
    r = c.post(f"/dang-vien/{reform.an.code}/su-kien/exemption/", {"on": "15/01/2026", "note": "Tuổi cao"})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert MemberEvent.objects.filter(member=reform.an, kind="exemption", on=D(2026, 1, 15)).exists()


def test_a_change_dated_before_the_commune_took_the_member_over_is_refused_on_the_form(reform: Reform) -> None:
    from dangvu.members.models import MemberEvent

    c = reform.client("canbo_x")
    r = c.post(f"/dang-vien/{reform.an.code}/su-kien/exemption/", {"on": "15/01/2025"})
    assert r.status_code == 200
    assert "không sinh hoạt ở tổ chức nào trong phạm vi bạn được ghi" in r.content.decode()
    assert not MemberEvent.objects.filter(member=reform.an, kind="exemption").exists()


def test_predecessors_history_is_read_only(reform: Reform) -> None:
    from dangvu.accounts.scope import can_write

    user = reform.users["canbo_x"]
    assert can_write(user, reform.district.ward, D(2026, 1, 1)) is False  # W has ended
    assert can_write(user, reform.district.b1, D(2024, 6, 1)) is False  # B1 was W's then
    assert can_write(user, reform.district.b1, D(2026, 1, 1)) is True


# ---------------------------------------------------------------- pickers, the one truth, its cost


def test_the_pickers_suggest_a_unit_only_on_the_days_the_person_sees_it(reform: Reform) -> None:
    c = reform.client("canbo_h")
    assert (
        "Đảng bộ huyện Kim Bảng (H)" in c.get("/chon/to-chuc/", {"q": "kim bang", "on": "2024-12-31"}).content.decode()
    )
    assert "Kim Bảng" not in c.get("/chon/to-chuc/", {"q": "kim bang"}).content.decode()  # today
    assert "Kim Bảng" not in c.get("/chon/to-chuc/", {"q": "kim bang", "on": "2025-07-01"}).content.decode()
    other = reform.client("canbo_k")
    assert "Kim Bảng" not in other.get("/chon/to-chuc/", {"q": "kim bang", "on": "2024-12-31"}).content.decode()
    assert "Nguyễn Văn An" not in other.get("/chon/dang-vien/", {"q": "an", "on": "2024-12-31"}).content.decode()
    assert "Nguyễn Văn An" in c.get("/chon/dang-vien/", {"q": "nguyen van an", "on": "2024-12-31"}).content.decode()


def test_visible_orgs_stays_one_queryset_for_a_past_day(reform: Reform) -> None:
    from dangvu.accounts.scope import visible_orgs

    user = reform.users["canbo_x"]
    with CaptureQueriesContext(connection) as q:
        qs = visible_orgs(user, D(2024, 12, 31))
        codes = set(qs.values_list("code", flat=True))
    assert codes == {"W", "B1", "B2", "B0", "A"}  # W0 had been absorbed by then: its branch B0 was W's
    assert len(q) == 3  # grants, predecessors (one recursive statement), the organizations
    assert set(visible_orgs(user).values_list("code", flat=True)) == {"X", "B1", "B2", "A", "B0"}


def test_the_member_list_of_a_past_day_keeps_its_query_budget(reform: Reform) -> None:
    c = reform.client("canbo_x")
    with CaptureQueriesContext(connection) as q:
        assert c.get("/dang-vien/", {"org": "W", "as_of": "31/12/2024", "q": "an"}).status_code == 200
    assert len(q) <= 13  # the budget of tests/web/test_queries.py, and one statement for the predecessors
