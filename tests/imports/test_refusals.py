"""A file with mistakes is refused whole: nothing is written, and every mistake is named by sheet, row
(as Excel numbers it, header = 1), column and reason."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from fixtures.import_files import (
    OFFICER,
    base,
    csv_dir,
    person,
    refused,
    rows,
    xlsx,
)

from dangvu.audit.models import AuditEntry
from dangvu.imports.format import MEMBER_EVENTS, MEMBERS, ORGS, Sheet
from dangvu.imports.load import import_path
from dangvu.members.models import Member
from dangvu.orgs.models import LineageEvent, OrgVersion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_a_valid_file_imports(tmp_path, form) -> None:
    path = xlsx(tmp_path / "ok.xlsx", base()) if form == "xlsx" else csv_dir(tmp_path / "ok", base())
    report = import_path(path, actor=OFFICER)
    assert (report.organizations, report.versions, report.members, report.member_events) == (4, 4, 2, 3)
    an = Member.objects.get(code="DV1")
    assert an.citizen_id == "001080000001"
    assert [s.status for s in an.spans.order_by("valid_from")] == ["probationary", "official"]
    assert OrgVersion.objects.filter(organization__code="B01", parent__code="C01").exists()
    established = LineageEvent.objects.get()
    assert established.links.get().organization.code == "T01"
    assert established.note == "Theo Nghị quyết\n  Đại hội"  # notes keep their lines


def test_a_file_with_mistakes_is_refused_whole_and_every_mistake_is_named(tmp_path) -> None:
    sheets = base()
    sheets[ORGS] += [
        ["B02", "Chi bộ lạc chỗ", "Chi bộ trực thuộc", "Khác", "H01", "01/01/2000", "", ""],  # row 6
        ["B03", "Chi bộ Thôn 3", "Chi bộ trực thuộc", "Khác", "ZZZ", "01/01/2000", "", ""],  # row 7
        ["B01", "Chi bộ Thôn Một", "Chi bộ trực thuộc", "Khác", "C01", "01/01/2000", "", ""],  # row 8
    ]
    sheets[MEMBERS][2][4] = "31/02/1990"  # row 3: no such day
    sheets[MEMBERS].append(list(sheets[MEMBERS][1]))  # row 4: DV1 again
    sheets[MEMBERS][3][11] = "009999999999"
    sheets[MEMBERS].append(person("DV3", "Lê Văn Cường", "Nam", dt.date(1979, 1, 1), 1079000003))  # row 5
    sheets[MEMBER_EVENTS][2][2] = "01/05/2011"  # row 3: recognition before the 12 months are over
    sheets[MEMBER_EVENTS].append(["DV9", "Kết nạp", "01/03/2015", "B01"])  # row 5: no such member
    sheets[MEMBER_EVENTS].append(["DV3", "Kết nạp", "01/03/2015", "C01"])  # row 6: not a branch
    problems = refused(xlsx(tmp_path / "bad.xlsx", sheets))

    expected = [
        "Sheet 'Tổ chức', dòng 6, cột 'Mã tổ chức cấp trên': 'Chi bộ lạc chỗ' (Chi bộ trực thuộc) không thể "
        "trực thuộc dưới 'Đảng bộ huyện Thử'",
        "Sheet 'Tổ chức', dòng 7, cột 'Mã tổ chức cấp trên': không có tổ chức mã 'ZZZ'",
        "Sheet 'Đảng viên', dòng 3, cột 'Ngày sinh': Ngày không hợp lệ: '31/02/1990'",
        "Sheet 'Đảng viên', dòng 4, cột 'Mã đảng viên': 'DV1' trùng với dòng 2.",
        "Sheet 'Đảng viên', dòng 5, cột 'Số CCCD': ô kiểu số (1079000003, 10 chữ số)",
        "Sheet 'Sự kiện đảng viên', dòng 3, cột 'Ngày hiệu lực': Công nhận đảng viên chính thức ngày 1/5/2011: "
        "ngày công nhận chính thức phải là ngày hết 12 tháng dự bị (30/5/2011",
        "Sheet 'Sự kiện đảng viên', dòng 5, cột 'Mã đảng viên': không có đảng viên mã 'DV9'",
        "Sheet 'Sự kiện đảng viên', dòng 6, cột 'Mã tổ chức': Đảng viên sinh hoạt tại chi bộ; 'Đảng bộ xã Thử' là "
        "đảng bộ cơ sở",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in problems), f"{text!r} not in {problems}"
    # The overlap is reported on the later version (row 8 starts inside row 5's open version).
    assert any(p.startswith("Sheet 'Tổ chức', dòng 8, cột 'Từ ngày'") and "dòng 5" in p for p in problems)


def test_the_command_prints_every_problem_and_exits_non_zero(tmp_path) -> None:
    sheets = base()
    sheets[MEMBERS][1][3] = "Không rõ"
    sheets[MEMBERS][2][11] = "12345"
    err = StringIO()
    with pytest.raises(CommandError, match="Không nhập gì: 2 lỗi"):
        call_command("import", str(csv_dir(tmp_path / "bad", sheets)), stderr=err)
    lines = err.getvalue().splitlines()
    gender = "Sheet 'Đảng viên', dòng 2, cột 'Giới tính': 'Không rõ' không hợp lệ; dùng một trong: Nam, Nữ"
    assert lines[0].startswith(gender)
    assert lines[1].startswith("Sheet 'Đảng viên', dòng 3, cột 'Số CCCD': Số CCCD phải gồm đúng 12 chữ số")
    assert Member.objects.count() == 0


def test_a_recognition_decided_before_the_probation_ends_is_refused_on_its_row(tmp_path) -> None:
    sheets = base()
    sheets[MEMBER_EVENTS][2][5] = "20/05/2011"  # decided 10 days before the 12 months end
    [problem] = refused(csv_dir(tmp_path / "f", sheets))
    assert problem.startswith("Sheet 'Sự kiện đảng viên', dòng 3, cột 'Ngày quyết định': chưa hết 12 tháng dự bị")


def test_an_admission_before_18_is_refused_on_the_admission_row(tmp_path) -> None:
    sheets = base()
    sheets[MEMBERS][2][4] = "01/01/2000"  # Bình is 15 when admitted in 2015
    [problem] = refused(csv_dir(tmp_path / "f", sheets))
    assert problem.startswith("Sheet 'Sự kiện đảng viên', dòng 4, cột 'Ngày hiệu lực': Chưa đủ 18 tuổi")
    assert "Điều lệ Đảng 2011, Điều 1" in problem


def test_a_loop_in_the_tree_is_refused(tmp_path) -> None:
    sheets = base()
    sheets[ORGS][3][4] = "B01"  # the ward committee under its own branch
    problems = refused(csv_dir(tmp_path / "f", sheets))
    assert any("vòng lặp" in p and p.startswith("Sheet 'Tổ chức', dòng") for p in problems), problems


def test_codes_and_identifiers_already_in_the_database_are_refused(tmp_path) -> None:
    import_path(csv_dir(tmp_path / "first", base()), actor=OFFICER)
    sheets = base()
    sheets[MEMBERS] = [sheets[MEMBERS][0], person("DV7", "Ngô Thị Hoa", "Nữ", "01/01/1985", "002190000002")]
    sheets[MEMBER_EVENTS] = [sheets[MEMBER_EVENTS][0]]
    problems = refused(csv_dir(tmp_path / "second", sheets))
    assert "Sheet 'Tổ chức', dòng 2, cột 'Mã tổ chức': mã tổ chức 'T01' đã có trong cơ sở dữ liệu" in problems[0]
    assert any(
        p == "Sheet 'Đảng viên', dòng 2, cột 'Số CCCD': Số CCCD 002190000002 đã thuộc về đảng viên Trần Thị Bình (DV2)."
        for p in problems
    ), problems


def test_a_file_may_add_units_under_organizations_already_stored(tmp_path) -> None:
    import_path(csv_dir(tmp_path / "first", base()), actor=OFFICER)
    sheets = {
        ORGS: rows(ORGS, [["B05", "Chi bộ Thôn 5", "chi bo truc thuoc", "residential", "C01", "2020-01-01", "", ""]]),
        MEMBERS: rows(MEMBERS, [["DV8", "Đỗ Văn Giang", "", "nam", "02/02/1990"]]),
        MEMBER_EVENTS: rows(MEMBER_EVENTS, [["DV8", "ket nap", "03/03/2021", "B05", "", "", "23/03/2021"]]),
    }
    import_path(csv_dir(tmp_path / "second", sheets), actor=OFFICER)
    assert Member.objects.get(code="DV8").spans.get().organization.code == "B05"
    from dangvu.orgs.models import OrgAncestry

    assert OrgAncestry.objects.on(dt.date(2021, 1, 1)).filter(organization__code="B05", ancestor__code="T01").exists()


def test_header_mistakes_are_reported_on_row_1(tmp_path) -> None:
    sheets = base()
    sheets[ORGS][0][1] = "Tên gọi"  # unknown column; 'Tên' is then missing
    problems = refused(csv_dir(tmp_path / "f", sheets))
    assert "Sheet 'Tổ chức', dòng 1, cột 'Tên gọi': cột không thuộc định dạng (xem docs/import-format.md)" in problems
    assert "Sheet 'Tổ chức', dòng 1, cột 'Tên': thiếu cột bắt buộc." in problems


def test_a_rule_broken_while_writing_is_still_named_by_row_and_nothing_is_written(tmp_path, monkeypatch) -> None:
    # The checks run the same rules as members_load; should they ever miss one, the writer's error still
    # names the member's row and the transaction leaves nothing behind.
    monkeypatch.setattr("dangvu.imports.check_members._check_history", lambda *a, **k: None)
    sheets = base()
    sheets[MEMBER_EVENTS][2][2] = "01/05/2011"  # DV1's recognition before the 12 months are over
    [problem] = refused(csv_dir(tmp_path / "f", sheets))
    assert problem.startswith("Sheet 'Đảng viên', dòng 2, cột 'Mã đảng viên': Công nhận đảng viên chính thức ngày")


# ---------------------------------------------------------------- work records


def records(sheet: Sheet, *rows_: dict[str, Any]) -> list[list[Any]]:
    """A sheet's rows given as {header: value}; other columns blank."""
    for r in rows_:
        assert set(r) <= set(sheet.headers), set(r) - set(sheet.headers)
    return [sheet.headers, *[[r.get(h, "") for h in sheet.headers] for r in rows_]]


NQ4 = {"Cơ quan ban hành": "TW", "Loại văn bản": "NQ", "Số": 4, "Nhiệm kỳ": "khóa XII", "Ngày ban hành": "30/10/2016"}


def with_work() -> dict[Sheet, list[list[Any]]]:
    """The base file (DV1 official from 30/05/2011, DV2 probationary from 20/03/2015) and a valid row or two in
    most work sheets."""
    from dangvu.imports import format as f

    sheets = base()
    sheets[f.DOCUMENTS] = records(
        f.DOCUMENTS,
        NQ4,
        {
            "Cơ quan ban hành": "HU",
            "Loại văn bản": "Chương trình",
            "Số": "36",
            "Nhiệm kỳ": "2015–2020",
            "Ngày ban hành": "2017-05-05",
            "Mã tổ chức ban hành": "H01",
            "Thực hiện văn bản": "4-NQ/TW (khóa XII)",
        },
    )
    sheets[f.DISCIPLINES] = records(
        f.DISCIPLINES,
        {"Mã đảng viên": "DV2", "Hình thức": "Khiển trách", "Ngày quyết định": "01/06/2016"},
        {
            "Mã tổ chức bị kỷ luật": "C01",
            "Hình thức": "canh cao",
            "Ngày quyết định": "02/02/2018",
            "Tự phát hiện, khắc phục": "x",
        },
    )
    sheets[f.STUDY] = records(
        f.STUDY,
        {
            "Mã tổ chức": "B01",
            "Văn bản": "36-CTr/HU (2015–2020)",
            "Ngày": "10/06/2017",
            "Số đảng viên phải dự": 20,
            "Số đảng viên dự": 19,
        },
    )
    sheets[f.CANDIDATES] = records(
        f.CANDIDATES,
        {
            "Họ và tên": "Lý Văn Phúc",
            "Giới tính": "Nam",
            "Ngày sinh": "02/02/2001",
            "Mã chi bộ": "B01",
            "Ngày cấp giấy chứng nhận lớp nhận thức": "09/09/2021",
            "Đủ hồ sơ": "Có",
            "Ngày chi bộ xét": "01/11/2021",
            "Bước": "Chi bộ đã xét",
        },
    )
    sheets[f.PLANS] = records(f.PLANS, {"Mã tổ chức": "H01", "Chỉ số": "admissions", "Năm": 2020, "Giá trị": "12"})
    sheets[f.TRAINING] = records(
        f.TRAINING,
        {
            "Loại lớp": "Sơ cấp lý luận chính trị",
            "Mã tổ chức": "H01",
            "Tên lớp": "Sơ cấp khóa 1",
            "Khai giảng": "01/03/2018",
            "Mã đảng viên học viên": "DV1; DV2",
        },
    )
    sheets[f.FREE_INDICATORS] = records(
        f.FREE_INDICATORS,
        {
            "Mã tổ chức": "H01",
            "Mã chỉ số": "turnout",
            "Tên chỉ số": "Tỷ lệ cử tri đi bầu",
            "Từ ngày": "23/05/2021",
            "Đến ngày": "23/05/2021",
            "Giá trị": "99,35",
        },
    )
    return sheets


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_a_valid_file_with_work_records_imports_through_the_services_rules(tmp_path, form) -> None:
    from decimal import Decimal

    from dangvu.work.models import Discipline, Document, FreeIndicator, TrainingClass

    sheets = with_work()
    path = xlsx(tmp_path / "ok.xlsx", sheets) if form == "xlsx" else csv_dir(tmp_path / "ok", sheets)
    report = import_path(path, actor=OFFICER)
    assert report.work == {
        "van_ban": 2,
        "ke_hoach_nam": 1,
        "quan_chung_uu_tu": 1,
        "ky_luat": 2,
        "lop_boi_duong": 1,
        "hoc_tap_nghi_quyet": 1,
        "chi_so_nhap_tay": 1,
    }
    ctr = Document.objects.get(type="CTr")
    assert (ctr.number, ctr.organization.code, [str(d) for d in ctr.implements.all()]) == (36, "H01", ["4-NQ/TW"])
    assert ctr.studies.get().organization.code == "B01"
    assert sorted(Discipline.objects.values_list("form", "self_fixed")) == [("reprimand", False), ("warning", True)]
    cls = TrainingClass.objects.get()
    assert cls.attendances == 2 and sorted(m.code for m in cls.attendees.all()) == ["DV1", "DV2"]
    # As training_class_record does: the elementary class raises its attendees' theory level.
    assert set(Member.objects.values_list("political_theory", flat=True)) == {"elementary"}
    assert FreeIndicator.objects.get().value == Decimal("99.35")
    assert AuditEntry.objects.get(action="import").after["van_ban"] == 2  # type: ignore[index]


def test_work_rows_with_mistakes_are_refused_on_their_row_and_column(tmp_path) -> None:
    from dangvu.imports import format as f

    sheets = with_work()
    sheets[f.DISCIPLINES] += [
        ["DV2", "", "Cách chức", "01/07/2016"],  # row 4: a probationary member
        ["DV1", "C01", "Khiển trách", "01/07/2016"],  # row 5: two subjects
        ["", "C01", "Khai trừ", "01/07/2016"],  # row 6: not a form for an organization
        ["DV1", "", "Cảnh cáo", "01/07/2009"],  # row 7: before DV1 was admitted
    ]
    sheets[f.STUDY] += [
        ["B01", "99-NQ/TW (khóa XII)", "10/06/2017", 20, 19],  # row 3: no such document
        ["B01", "", "10/07/2017", 20, 21],  # row 4: more than expected
        ["B01", "Nghị quyết 4", "10/08/2017", 20, 10],  # row 5: not a document key
    ]
    sheets[f.DOCUMENTS].append(["TW", "NQ", 4, "khóa XII", "31/10/2016"])  # row 4: same key as row 2
    sheets[f.DOCUMENTS].append(["TW", "NQ", "ba", "khóa XII", "31/10/2016"])  # row 5: not a number
    sheets[f.PLANS].append(["H01", "Số con mèo", 2021, 3])  # row 3: no such indicator
    sheets[f.BADGES] = records(
        f.BADGES,
        {"Mã đảng viên": "DV1", "Huy hiệu (năm tuổi Đảng)": 30, "Ngày trao": "03/02/2020"},  # row 2: 10 years
        {"Mã đảng viên": "DV1", "Huy hiệu (năm tuổi Đảng)": 35, "Ngày trao": "03/02/2045"},  # row 3: no such badge
        {"Mã đảng viên": "DV1", "Huy hiệu (năm tuổi Đảng)": 40, "Ngày trao": "03/02/2050", "Truy tặng": "có lẽ"},
    )
    sheets[f.CANDIDATES].append(
        ["Mai Thị Lan", "Nữ", "01/01/2000", "B01", "", "01/01/2021", "", "Không", "01/03/2021", "Chi bộ đã xét"]
    )  # row 3: dossier not complete
    sheets[f.CANDIDATES].append(["Đào Văn Tú", "Nam", "01/01/2000", "C01", "", "", "", "", "", "Đang bồi dưỡng"])
    sheets[f.PETITIONS] = records(
        f.PETITIONS,
        {"Loại": "Tố cáo", "Mã tổ chức": "C01", "Ngày nhận": "10/03/2020", "Ngày kết luận": "01/03/2020"},
    )
    sheets[f.INSPECTIONS] = records(
        f.INSPECTIONS,
        {"Loại": "Kiểm tra", "Mã tổ chức": "ZZZ", "Ngày bắt đầu": "01/03/2020"},
        {"Loại": "Kiểm tra", "Mã tổ chức": "B01", "Ngày bắt đầu": "01/03/1970"},
    )
    sheets[f.POSTS] = records(
        f.POSTS,
        {
            "Mã đảng viên": "DV9",
            "Mã tổ chức": "C01",
            "Chức danh": "Bí thư",
            "Nhiệm kỳ": "2020–2025",
            "Từ ngày": "01/06/2020",
        },
    )
    sheets[f.COMMENDATIONS] = records(
        f.COMMENDATIONS,
        {
            "Mã tổ chức được khen": "C01",
            "Danh hiệu": "TSVM",
            "Cấp khen": "Huyện ủy",
            "Năm": 2022,
            "Ngày quyết định": "12/01/2021",
        },
    )
    sheets[f.TARGETS] = records(
        f.TARGETS,
        {
            "Mã tổ chức": "H01",
            "Nhiệm kỳ chương trình": "2020–2025",
            "Chỉ số": "admissions",
            "So sánh": "≥",
            "Giá trị": 180,
            "Tính theo": "mỗi năm",
            "Năm đầu": 2020,
            "Năm cuối": 2025,
        },
    )
    problems = refused(xlsx(tmp_path / "bad.xlsx", sheets))

    expected = [
        "Sheet 'Văn bản', dòng 4, cột 'Nhiệm kỳ': trùng với dòng 2 (văn bản 4-NQ/TW (khóa XII)).",
        "Sheet 'Văn bản', dòng 5, cột 'Số': 'ba' không phải số nguyên.",
        "Sheet 'Chỉ tiêu nhiệm kỳ', dòng 2, cột 'Nhiệm kỳ chương trình': tổ chức 'H01' không có chương trình toàn khóa "
        "nhiệm kỳ '2020–2025'",
        "Sheet 'Kế hoạch năm', dòng 3, cột 'Chỉ số': 'Số con mèo' không hợp lệ; dùng một trong: Kết nạp đảng viên mới",
        "Sheet 'Quần chúng ưu tú', dòng 3, cột 'Đủ hồ sơ': hồ sơ chưa đủ: chưa thể đưa ra chi bộ xét.",
        "Sheet 'Quần chúng ưu tú', dòng 4, cột 'Mã chi bộ': Quần chúng ưu tú được bồi dưỡng, xét kết nạp tại chi bộ; "
        "'Đảng bộ xã Thử' là đảng bộ cơ sở",
        "Sheet 'Kỷ luật', dòng 4, cột 'Hình thức': Đảng viên dự bị không thể bị kỷ luật bằng hình thức 'Cách chức'. "
        "(Điều lệ Đảng 2011, Điều 35; Quy định 69-QĐ/TW)",
        "Sheet 'Kỷ luật', dòng 5, cột 'Mã tổ chức bị kỷ luật': ghi đúng một trong hai cột 'Mã đảng viên' hoặc "
        "'Mã tổ chức bị kỷ luật'.",
        "Sheet 'Kỷ luật', dòng 6, cột 'Hình thức': Tổ chức đảng không thể bị kỷ luật bằng hình thức 'Khai trừ'.",
        "Sheet 'Kỷ luật', dòng 7, cột 'Ngày quyết định': Vào ngày 1/7/2009 người này không sinh hoạt",
        "Sheet 'Kiểm tra, giám sát', dòng 2, cột 'Mã tổ chức': không có tổ chức mã 'ZZZ'",
        "Sheet 'Kiểm tra, giám sát', dòng 3, cột 'Mã tổ chức': tổ chức 'B01' không hoạt động vào ngày 1/3/1970.",
        "Sheet 'Đơn thư', dòng 2, cột 'Ngày kết luận': trước 'Ngày nhận' (10/3/2020).",
        "Sheet 'Chức vụ', dòng 2, cột 'Mã đảng viên': không có đảng viên mã 'DV9'",
        "Sheet 'Học tập nghị quyết', dòng 3, cột 'Văn bản': không có văn bản 99-NQ/TW (khóa XII)",
        "Sheet 'Học tập nghị quyết', dòng 4, cột 'Số đảng viên dự': nhiều hơn số đảng viên phải dự (20).",
        "Sheet 'Học tập nghị quyết', dòng 5, cột 'Văn bản': 'Nghị quyết 4' không phải văn bản dạng",
        "Sheet 'Khen thưởng', dòng 2, cột 'Năm': khen thưởng cho năm 2022 mà quyết định ngày 12/1/2021",
        "Sheet 'Huy hiệu Đảng', dòng 2, cột 'Ngày trao': Đến ngày 3/2/2020 chưa đủ 30 năm tuổi Đảng "
        "(đủ ngày 10/5/2040).",
        "Sheet 'Huy hiệu Đảng', dòng 3, cột 'Huy hiệu (năm tuổi Đảng)': Không có Huy hiệu 35 năm tuổi Đảng",
        "Sheet 'Huy hiệu Đảng', dòng 4, cột 'Truy tặng': 'có lẽ' không hợp lệ; ghi 'Có' hoặc 'Không'.",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in problems), f"{text!r} not in {problems}"
    assert len(problems) == len(expected), problems
    # In sheet order, then row, then column.
    assert [p.split(",")[0] for p in problems] == [p.split(",")[0] for p in expected]


def test_work_records_may_name_stored_documents_and_members_but_not_repeat_them(tmp_path) -> None:
    from dangvu.imports import format as f
    from dangvu.work.models import Document, StudySession

    import_path(xlsx(tmp_path / "first.xlsx", with_work()), actor=OFFICER)
    again = {
        f.DOCUMENTS: records(
            f.DOCUMENTS,
            NQ4,
        ),
        f.PLANS: records(f.PLANS, {"Mã tổ chức": "H01", "Chỉ số": "admissions", "Năm": 2020, "Giá trị": 15}),
        # No key, but the same in every column as the stored one: the first file again.
        f.DISCIPLINES: records(
            f.DISCIPLINES,
            {
                "Mã tổ chức bị kỷ luật": "C01",
                "Hình thức": "Cảnh cáo",
                "Ngày quyết định": "02/02/2018",
                "Tự phát hiện, khắc phục": "Có",
            },
        ),
    }
    problems = refused(csv_dir(tmp_path / "again", again))
    assert problems == [
        "Sheet 'Văn bản', dòng 2, cột 'Nhiệm kỳ': văn bản 4-NQ/TW (khóa XII) đã có trong cơ sở dữ liệu; tệp nhập chỉ "
        "thêm bản ghi mới.",
        "Sheet 'Kế hoạch năm', dòng 2, cột 'Năm': Mã tổ chức H01, Chỉ số Kết nạp đảng viên mới, Năm 2020 đã có "
        "trong cơ sở dữ liệu; tệp nhập chỉ thêm bản ghi mới.",
        "Sheet 'Kỷ luật', dòng 2, cột 'Hình thức': giống hệt một bản ghi đã có trong cơ sở dữ liệu (tệp đã được "
        "nhập?); tệp nhập chỉ thêm bản ghi mới.",
    ]
    later = {
        f.STUDY: records(
            f.STUDY,
            {
                "Mã tổ chức": "B01",
                "Văn bản": "4-nq/TW (khóa XII)",
                "Ngày": "10/06/2018",
                "Số đảng viên phải dự": 20,
                "Số đảng viên dự": 20,
            },
        ),
        f.DISCIPLINES: records(
            f.DISCIPLINES, {"Mã đảng viên": "DV1", "Hình thức": "Cách chức", "Ngày quyết định": "01/07/2016"}
        ),
    }
    import_path(csv_dir(tmp_path / "later", later), actor=OFFICER)
    nq = Document.objects.get(type="NQ")
    assert StudySession.objects.filter(document=nq, held_on=dt.date(2018, 6, 10)).exists()
    assert Member.objects.get(code="DV1").disciplines.get().form == "dismissal"  # DV1 is official by then
