"""A file with mistakes is refused whole: nothing is written, and every mistake is named by sheet, row
(as Excel numbers it, header = 1), column and reason."""

from __future__ import annotations

import csv
import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import Actor
from dangvu.imports.format import MEMBER_EVENTS, MEMBERS, ORG_EVENTS, ORGS, Sheet
from dangvu.imports.load import import_path
from dangvu.imports.read import Refused
from dangvu.members.models import Member, MemberEvent
from dangvu.orgs.models import LineageEvent, Organization, OrgVersion

pytestmark = pytest.mark.django_db
OFFICER = Actor("can_bo_to_chuc")

ORG_ROWS = [
    ["T01", "Đảng bộ tỉnh Thử", "Đảng bộ tỉnh, thành phố", "Khác", "", "01/01/1976", "", "19760101-TL-T01"],
    ["H01", "Đảng bộ huyện Thử", "Đảng bộ quận, huyện, thị xã", "Khác", "T01", "01/01/1976", "", ""],
    ["C01", "Đảng bộ xã Thử", "Đảng bộ cơ sở", "Xã, phường, thị trấn", "H01", "01/01/1976", "", ""],
    ["B01", "Chi bộ Thôn 1", "Chi bộ trực thuộc", "Khu dân cư", "C01", "01/01/1976", "", ""],
]
EVENT_ROWS = [["19760101-TL-T01", "Thành lập", "01/01/1976", "1-QĐ/TW", "", "", "T01", "Theo Nghị quyết\n  Đại hội"]]


def person(code: str, name: str, gender: str, birth: object, citizen_id: object = "") -> list[object]:
    """A members row: the first five columns, then the citizen ID in column 12 (L), the rest blank."""
    return [code, name, "", gender, birth, *[""] * 6, citizen_id, *[""] * 11]


MEMBER_ROWS = [
    person("DV1", "Nguyễn Văn An", "Nam", "05/05/1980", "001080000001"),
    person("DV2", "Trần Thị Bình", "Nữ", "1990-02-03", "002190000002"),
]
MEMBER_EVENT_ROWS = [
    ["DV1", "Kết nạp", "10/05/2010", "B01", "", "10/05/2010", "30/05/2010", "20/04/2010", "", "", "", "", "", ""],
    ["DV1", "Công nhận đảng viên chính thức", "30/05/2011", "", "", "09/06/2011", "", "", "", "", "", "", "", ""],
    ["DV2", "Kết nạp", "01/03/2015", "B01", "", "", "20/03/2015", "", "", "", "", "", "", ""],
]


def rows(sheet: Sheet, data: list[list[Any]]) -> list[list[Any]]:
    return [sheet.headers, *[list(r) for r in data]]


def base() -> dict[Sheet, list[list[Any]]]:
    return {
        ORGS: rows(ORGS, ORG_ROWS),
        ORG_EVENTS: rows(ORG_EVENTS, EVENT_ROWS),
        MEMBERS: rows(MEMBERS, MEMBER_ROWS),
        MEMBER_EVENTS: rows(MEMBER_EVENTS, MEMBER_EVENT_ROWS),
    }


def xlsx(path: Path, sheets: dict[Sheet, list[list[Any]]]) -> Path:
    """A workbook as a user's Excel would save it: cells keep the Python types given (numbers, dates)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, data in sheets.items():
        ws = wb.create_sheet(sheet.name)
        for r in data:
            ws.append(r)
    wb.save(path)
    return path


def csv_dir(path: Path, sheets: dict[Sheet, list[list[Any]]]) -> Path:
    path.mkdir()
    for sheet, data in sheets.items():
        with (path / sheet.csv_name).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(data)
    return path


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Organization, OrgVersion, LineageEvent, Member, MemberEvent, AuditEntry))


def refused(path: Path) -> list[str]:
    before = counts()
    with pytest.raises(Refused) as e:
        import_path(path, actor=OFFICER)
    assert counts() == before, "a refused file must write nothing"
    return [str(p) for p in e.value.problems]


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
        p == "Sheet 'Đảng viên', dòng 2, cột 'Số CCCD': Số CCCD '002190000002' đã thuộc về một đảng viên trong cơ sở "
        "dữ liệu."
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
