"""The member pages (issue 11, items 3, 6, 7): the whole record, printable; no write control for those who only
read; dates of events never after today; every error at once, beside its field; pickers for units; the list by
names, its export never a formula. The cast is tests/web/conftest.py's."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from fixtures.exports import exported, workbook_bytes

from dangvu.audit.services import Actor
from dangvu.members.models import Member, MemberEvent
from dangvu.members.services import member_update, today

D = dt.date
SETUP = Actor("thiết lập kiểm thử")
pytestmark = pytest.mark.django_db


def page(cast: Any, persona: str, url: str, **params: Any) -> str:
    r = cast.client(persona).get(url, params)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def section(html: str, anchor: str) -> str:
    """The text from a heading id to the next heading."""
    start = html.index(f'id="{anchor}"')
    end = html.find("<h2", start)
    return html[start : end if end > 0 else None]


def error_of(html: str, field_id: str) -> str:
    """The errors shown beside one field ('' when none)."""
    m = re.search(rf'<div id="{field_id}-loi" class="field-errors">(.*?)</div>', html, re.S)
    return plain(m.group(1)) if m else ""


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ---------------------------------------------------------------- the record


def test_the_profile_shows_every_field_of_the_exchange_format_grouped_as_the_party_profile(cast: Any) -> None:
    member_update(
        member=cast.an,
        actor=SETUP,
        birth_name="Nguyễn Văn Ân",
        birth_place="Xã Thanh Sơn, huyện Kim Bảng",
        hometown="Xã Thanh Sơn, Hà Nam",
        hometown_old="Xã Thanh Sơn, huyện Kim Bảng",
        residence="Thôn 1, xã Thanh Sơn",
        ethnicity="Tày",
        religion="Phật giáo",
        occupation="Giáo viên",
        general_education="12/12",
        professional_education="Đại học sư phạm Toán",
        degree="Thạc sĩ",
        political_theory="intermediate",
        youth_union_on=D(1998, 3, 26),
        introducers="Trần Thị Bình; Lê Minh Chi",
        dossier_number="HN-123",
        phone="0912345678",
    )
    html = plain(page(cast, "canbo", f"/dang-vien/{cast.an.code}/"))
    for group in ("Sơ yếu lý lịch", "Trình độ", "Vào Đoàn, vào Đảng"):
        assert group in html
    for label, value in [
        ("Họ và tên khai sinh", "Nguyễn Văn Ân"),
        ("Nơi sinh", "Xã Thanh Sơn, huyện Kim Bảng"),
        ("Quê quán", "Xã Thanh Sơn, Hà Nam (tên cũ: Xã Thanh Sơn, huyện Kim Bảng)"),
        ("Dân tộc", "Tày"),
        ("Tôn giáo", "Phật giáo"),
        ("Nghề nghiệp", "Giáo viên"),
        ("Giáo dục phổ thông", "12/12"),
        ("Chuyên môn nghiệp vụ", "Đại học sư phạm Toán"),
        ("Học hàm, học vị", "Thạc sĩ"),
        ("Lý luận chính trị", "Trung cấp"),
        ("Ngày vào Đoàn", "26/3/1998"),
        ("Ngày vào Đảng", "1/3/2010"),
        ("Ngày lễ kết nạp", "21/3/2010"),
        ("Người giới thiệu", "Trần Thị Bình; Lê Minh Chi"),
        ("Số lý lịch", "HN-123"),
    ]:
        assert f"{label} {value}" in html, label
    # Identifiers stay masked until someone asks (audited).
    assert "001080001234" not in html and "•••••••••234" in html and "•••••678" in html


def test_a_discipline_just_recorded_appears_on_the_profile_with_the_branch_named(cast: Any) -> None:
    from dangvu.work.services import discipline_record

    discipline_record(
        member=cast.binh,
        form="reprimand",
        decided_on=D(2024, 5, 5),
        decision_ref="12-QĐ/ĐU",
        violation="Vắng sinh hoạt ba kỳ liền",
        actor=SETUP,
    )
    html = plain(section(page(cast, "kiemtra", f"/dang-vien/{cast.binh.code}/"), "ky-luat"))
    assert "5/5/2024 — Khiển trách · Chi bộ Thôn 1" in html
    assert "Quyết định số 12-QĐ/ĐU" in html and "Vắng sinh hoạt ba kỳ liền" in html


def test_commendations_badges_training_study_and_posts_are_listed_in_date_order(cast: Any) -> None:
    from dangvu.work.models import Document
    from dangvu.work.services import (
        commendation_grant,
        post_assign,
        study_session_record,
        training_class_record,
    )

    d = cast.district
    commendation_grant(
        member=cast.an, title="Đảng viên HTXS 5 năm liền", granted_by="Huyện ủy Kim Bảng", year=2022,
        decided_on=D(2023, 1, 10), actor=SETUP,
    )  # fmt: skip
    commendation_grant(
        member=cast.an, title="Đảng viên tiêu biểu", granted_by="Đảng ủy xã", year=2019, decided_on=D(2020, 1, 5),
        kind="merit_certificate", actor=SETUP,
    )  # fmt: skip
    training_class_record(
        kind="intermediate", organization=d.district, title="Trung cấp lý luận chính trị khóa 12",
        started_on=D(2016, 9, 5), ended_on=D(2017, 6, 30), attendees=[cast.an], actor=SETUP,
    )  # fmt: skip
    doc = Document.objects.create(
        issuer="TW", type="NQ", number=21, term="2020–2025", issued_on=D(2022, 6, 16), subject="Củng cố tổ chức cơ sở"
    )
    study_session_record(
        organization=d.ward, document=doc, held_on=D(2022, 9, 1), expected=10, attendees=[cast.an], actor=SETUP
    )
    post_assign(
        member=cast.an, organization=d.b1, title="secretary", term="2020–2025", started_on=D(2020, 8, 1), actor=SETUP
    )
    html = page(cast, "canbo", f"/dang-vien/{cast.an.code}/")
    praise = plain(section(html, "khen-thuong"))
    assert praise.index("5/1/2020") < praise.index("10/1/2023")
    assert "Bằng khen: Đảng viên tiêu biểu (2019)" in praise and "Cấp khen: Huyện ủy Kim Bảng" in praise
    assert "Trung cấp lý luận chính trị khóa 12" in plain(section(html, "boi-duong"))
    assert "Học tập 21-NQ/TW — Củng cố tổ chức cơ sở · Đảng bộ xã Thanh Sơn" in plain(section(html, "hoc-tap"))
    assert "1/8/2020 — Bí thư nhiệm kỳ 2020–2025 · Chi bộ Thôn 1" in plain(section(html, "chuc-vu"))
    assert "Không có." in plain(section(html, "huy-hieu"))


def test_results_by_year_name_the_unit_as_it_was_that_year_not_its_code(cast: Any) -> None:
    from dangvu.assessment.models import Result
    from dangvu.assessment.services import cycle_open
    from dangvu.orgs.services import org_rename

    d = cast.district
    cycle = cycle_open(committee=d.district, year=2023, actor=SETUP)
    Result.objects.create(
        cycle=cycle, year=2023, member=cast.an, unit=d.b1, grassroots=d.ward, unit_kind="branch", level="good",
        decided_by="canbo",
    )  # fmt: skip
    org_rename(org=d.b1, name="Chi bộ Thôn Đông", on=D(2025, 7, 1), actor=SETUP)
    html = plain(section(page(cast, "canbo", f"/dang-vien/{cast.an.code}/"), "ket-qua"))
    assert "2023 Hoàn thành tốt nhiệm vụ Chi bộ Thôn 1" in html
    assert " B1 " not in html and "Thôn Đông" not in html


def test_the_timeline_names_each_unit_as_it_was_on_the_day(cast: Any) -> None:
    from dangvu.members.services import member_transfer_in
    from dangvu.orgs.services import org_rename

    d = cast.district
    member_transfer_in(member=cast.an, to=d.b2, on=D(2018, 4, 2), decision_ref="7-QĐ/ĐU", actor=SETUP)
    org_rename(org=d.b2, name="Chi bộ Thôn Tây", on=D(2025, 7, 1), actor=SETUP)
    html = plain(section(page(cast, "canbo", f"/dang-vien/{cast.an.code}/"), "qua-trinh"))
    assert "1/3/2010 — Kết nạp · Chi bộ Thôn 1" in html
    assert "2/4/2018 — Chuyển sinh hoạt đảng chính thức đến · Chi bộ Thôn 2" in html
    assert "Quyết định số 7-QĐ/ĐU" in html


def test_the_printable_record_has_the_whole_record_without_navigation(cast: Any) -> None:
    from dangvu.work.services import discipline_record

    discipline_record(member=cast.binh, form="warning", decided_on=D(2024, 5, 5), actor=SETUP)
    html = page(cast, "kiemtra", f"/dang-vien/{cast.binh.code}/in/")
    assert "<nav" not in html and "Đăng xuất" not in html
    assert "member-print.css" in html and "app.css" not in html
    text = plain(html)
    assert "Hồ sơ đảng viên" in text and "Trần Thị Bình" in text and "Sơ yếu lý lịch" in text
    assert "5/5/2024 — Cảnh cáo" in text and "In bởi kiemtra" in text
    assert "Hiện" not in text  # no reveal on paper
    assert cast.client("canbo_khac").get(f"/dang-vien/{cast.binh.code}/in/").status_code == 404


# ---------------------------------------------------------------- who may write


@pytest.mark.parametrize("persona", ["kiemtra", "dangvien"])
def test_those_who_only_read_see_no_lifecycle_control_on_the_profile(cast: Any, persona: str) -> None:
    html = page(cast, persona, f"/dang-vien/{cast.an.code}/")
    assert "/su-kien/" not in html and "write" not in html
    assert "Đình chỉ sinh hoạt đảng" not in html


def test_staff_see_the_lifecycle_controls_on_the_profile(cast: Any) -> None:
    html = page(cast, "canbo", f"/dang-vien/{cast.an.code}/")
    assert f"/dang-vien/{cast.an.code}/su-kien/suspension/" in html
    assert "/su-kien/admission/" not in html  # already admitted


# ---------------------------------------------------------------- forms


def test_an_admission_dated_next_year_is_refused_beside_its_field_with_every_other_error(cast: Any) -> None:
    next_year = f"05/05/{today().year + 1}"
    r = cast.client("canbo").post(
        "/dang-vien/moi/",
        {
            "p-full_name": "",
            "p-gender": "male",
            "p-birth_date": "01/01/1990",
            "p-ethnicity": "Kinh",
            "p-occupation": "Kỹ sư",
            "a-org": "Chi bộ Thôn 1 (B1)",
            "a-decided_on": next_year,
            "a-ceremony_on": "31/02/2020",
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    # Every error at once: the missing name (profile), the future decision and the impossible ceremony day.
    assert "bắt buộc" in error_of(html, "id_p-full_name")
    assert "ở sau hôm nay" in error_of(html, "id_a-decided_on")
    assert "Ngày không hợp lệ" in error_of(html, "id_a-ceremony_on")
    # What was typed stays.
    assert 'value="Kỹ sư"' in html and 'value="Chi bộ Thôn 1 (B1)"' in html
    assert not Member.objects.filter(occupation="Kỹ sư").exists()


def test_a_new_member_is_admitted_into_the_branch_chosen_with_the_picker(cast: Any) -> None:
    r = cast.client("canbo").post(
        "/dang-vien/moi/",
        {
            "p-full_name": "Vũ Thị Hoa",
            "p-gender": "female",
            "p-birth_date": "02/09/1995",
            "p-ethnicity": "Kinh",
            "p-youth_union_on": "26/03/2010",
            "a-org": "Chi bộ Thôn 2 (B2)",
            "a-decided_on": "01/06/2024",
            "a-ceremony_on": "15/06/2024",
        },
    )
    assert r.status_code == 302
    m = Member.objects.get(full_name="Vũ Thị Hoa")
    ev = MemberEvent.objects.get(member=m)
    assert ev.organization == cast.district.b2 and m.youth_union_on == D(2010, 3, 26)


def test_a_transfer_goes_to_the_branch_chosen_with_the_picker(cast: Any) -> None:
    url = f"/dang-vien/{cast.an.code}/su-kien/transfer_in/"
    form = page(cast, "canbo", url)
    assert 'list="id_to-goi-y"' in form and "/chon/to-chuc/" in form  # the picker
    r = cast.client("canbo").post(url, {"to": "Chi bộ Thôn 2 (B2)", "on": "02/04/2018"})
    assert r.status_code == 302
    assert MemberEvent.objects.get(member=cast.an, kind="transfer_in").organization == cast.district.b2


def test_a_branch_secretary_cannot_move_a_member_to_a_branch_they_do_not_hold(cast: Any) -> None:
    r = cast.client("bithuchibo").post(
        f"/dang-vien/{cast.an.code}/su-kien/transfer_in/", {"to": "Chi bộ Thôn 2 (B2)", "on": "02/04/2018"}
    )
    assert r.status_code == 200
    assert "Không tìm thấy" in error_of(r.content.decode(), "id_to")
    assert not MemberEvent.objects.filter(member=cast.an, kind="transfer_in").exists()


def test_an_event_dated_tomorrow_is_refused_on_its_field_and_nothing_is_written(cast: Any) -> None:
    tomorrow = today() + dt.timedelta(days=1)
    r = cast.client("canbo").post(
        f"/dang-vien/{cast.an.code}/su-kien/suspension/",
        {"on": f"{tomorrow:%d/%m/%Y}", "decision_ref": "9-QĐ/HU", "note": "Chờ kết luận kiểm tra"},
    )
    html = r.content.decode()
    assert r.status_code == 200 and "ở sau hôm nay" in error_of(html, "id_on")
    assert 'value="9-QĐ/HU"' in html and "Chờ kết luận kiểm tra" in html
    assert not MemberEvent.objects.filter(member=cast.an, kind="suspension").exists()


def test_a_service_refusal_shows_beside_the_field_it_names(cast: Any) -> None:
    # Bình was admitted on 01/03/2011: a transfer before that is refused by the lifecycle rules, on the date.
    r = cast.client("canbo").post(
        f"/dang-vien/{cast.binh.code}/su-kien/transfer_in/", {"to": "Chi bộ Thôn 2 (B2)", "on": "01/01/2011"}
    )
    assert r.status_code == 200
    assert "không phải là đảng viên" in error_of(r.content.decode(), "id_on")


# ---------------------------------------------------------------- the list


def test_the_list_filters_by_a_unit_chosen_with_the_picker_and_is_titled_by_name(cast: Any) -> None:
    html = page(cast, "canbo", "/dang-vien/", unit="Chi bộ Thôn 1 (B1)")
    rows = plain(html[html.index('id="member-rows"') :])
    assert "Nguyễn Văn An" in rows and "Trần Thị Bình" in rows and "Lê Minh Chi" not in rows
    assert "Chi bộ Thôn 1" in rows
    titled = page(cast, "canbo", "/dang-vien/", org="W")
    assert "Đảng viên — Đảng bộ xã Thanh Sơn" in plain(titled)


def test_a_unit_outside_scope_in_the_filter_is_refused_beside_it(cast: Any) -> None:
    html = page(cast, "bithuchibo", "/dang-vien/", unit="Chi bộ Thôn 2 (B2)")
    assert "Không tìm thấy tổ chức này trong phạm vi của bạn" in html


def test_the_export_writes_a_name_that_looks_like_a_formula_as_text(cast: Any, make_member: Any) -> None:
    make_member(cast.district.b1, D(2015, 3, 1), name='=HYPERLINK("http://x","An")')
    make_member(cast.district.b1, D(2016, 3, 1), name="+84 Lê Văn Tư")
    r, _ = exported(cast.client("canbo"), "/dang-vien/xuat/")
    assert r["Content-Disposition"] == f'attachment; filename="dang-vien-{today().isoformat()}.xlsx"'
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(r))).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    risky = cells['=HYPERLINK("http://x","An")']
    assert risky.data_type == "s" and risky.quotePrefix
    assert cells["+84 Lê Văn Tư"].data_type == "s"
    # Vietnamese order by given name: An, Bình, Chi, Dũng … (the formula-looking name sorts as typed).
    names = [ws.cell(row=i, column=2).value for i in range(3, ws.max_row + 1)]
    assert names.index("Nguyễn Văn An") < names.index("Trần Thị Bình") < names.index("Lê Minh Chi")


def test_the_profile_reads_a_fixed_number_of_queries_however_long_the_record(cast: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangvu.work.services import commendation_grant, discipline_record, training_class_record

    c = cast.client("canbo")
    url = f"/dang-vien/{cast.an.code}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert c.get(url).status_code == 200
        return len(q)

    before = count()
    for year in range(2015, 2020):
        discipline_record(member=cast.an, form="reprimand", decided_on=D(year, 5, 5), actor=SETUP)
        commendation_grant(
            member=cast.an, title="Đảng viên tiêu biểu", granted_by="Đảng ủy xã", year=year,
            decided_on=D(year + 1, 1, 5), actor=SETUP,
        )  # fmt: skip
        training_class_record(
            kind="professional", organization=cast.district.ward, title=f"Lớp nghiệp vụ {year}",
            started_on=D(year, 9, 1), attendees=[cast.an], actor=SETUP,
        )  # fmt: skip
    assert count() == before <= 24
