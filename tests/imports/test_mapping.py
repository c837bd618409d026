"""An office's own list (headers in its own order and wording, a title above, Excel dates and serials, identifiers
that Excel stored as numbers) imported through the mapping gives the same records as the exchange format's template
carrying the same people; refusals speak of the office's file, row and header and write nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dangvu.audit.models import AuditEntry
from dangvu.imports.format import MEMBER_EVENTS, MEMBERS, ORG_EVENTS, ORGS
from dangvu.imports.load import import_path
from dangvu.imports.mapping import find_header, office_cell, suggest, targets
from dangvu.imports.mapping_read import SheetMapping, describe, import_office, open_office, preview
from dangvu.imports.read import Refused
from dangvu.members.models import Member, MemberEvent, MembershipSpan
from tests.fixtures.import_files import EVENT_ROWS, OFFICER, ORG_ROWS, counts, rows, xlsx

pytestmark = pytest.mark.django_db

SERIAL_1980_05_05 = (dt.date(1980, 5, 5) - dt.date(1899, 12, 30)).days
SERIAL_2009_05_05 = (dt.date(2009, 5, 5) - dt.date(1899, 12, 30)).days

# The office's list: a title and a date above the header, its own wording and order, an unrelated column (STT),
# the branch by its name or its code, identifiers stored as numbers, dates as date cells, texts and serials.
OFFICE_HEADER = [
    "STT",
    "HỌ VÀ TÊN",
    "Mã ĐV",
    "Ngày kết nạp",
    "Giới tính",
    "Ngày, tháng, năm sinh",
    "Số CCCD",
    "Số thẻ ĐV",
    "Chi bộ",
    "Ngày chính thức",
    "Số QĐ kết nạp",
    "Ngày QĐ kết nạp",
    "Ngày lễ kết nạp",
]
OFFICE_ROWS: list[list[Any]] = [
    [1, "Nguyễn Văn An", "DV1", dt.datetime(2010, 5, 10), "Nam", SERIAL_1980_05_05, 1080000001, None,
     "Chi bộ Thôn 1", "30/05/2011", "12-QĐ/ĐU", "10-05-2010", "30.5.2010"],
    [2, "Trần Thị Bình", "DV2", dt.datetime(2015, 3, 1), "nữ", "3/2/1990", "002190000002", None,
     "B01", None, None, None, None],
    [3, "Lê Văn Cường", "DV3", "5/5/2008", "NAM", dt.datetime(1985, 1, 31), None, 123456,
     "chi bo thon 1", SERIAL_2009_05_05, None, None, dt.datetime(2008, 5, 5)],
]  # fmt: skip

# The same three people in the exchange format.
TEMPLATE_MEMBERS = [
    ["DV1", "Nguyễn Văn An", "", "Nam", "05/05/1980", *[""] * 6, "001080000001", *[""] * 11],
    ["DV2", "Trần Thị Bình", "", "Nữ", "03/02/1990", *[""] * 6, "002190000002", *[""] * 11],
    ["DV3", "Lê Văn Cường", "", "Nam", "31/01/1985", *[""] * 7, "00123456", *[""] * 10],
]
TEMPLATE_EVENTS = [
    ["DV1", "Kết nạp", "10/05/2010", "B01", "12-QĐ/ĐU", "10/05/2010", "30/05/2010"],
    ["DV1", "Công nhận đảng viên chính thức", "30/05/2011"],
    ["DV2", "Kết nạp", "01/03/2015", "B01"],
    ["DV3", "Kết nạp", "05/05/2008", "B01", "", "", "05/05/2008"],
    ["DV3", "Công nhận đảng viên chính thức", "05/05/2009"],
]


def office_workbook(path: Path, header: list[Any] | None = None, data: list[list[Any]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS đảng viên"
    ws.append(["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN 1"])
    ws.append(["(có đến 31/12/2025)"])
    ws.append(header or OFFICE_HEADER)
    for r in OFFICE_ROWS if data is None else data:
        ws.append(r)
    wb.save(path)
    return path


def orgs_only(tmp_path: Path) -> None:
    import_path(
        xlsx(tmp_path / "orgs.xlsx", {ORGS: rows(ORGS, ORG_ROWS), ORG_EVENTS: rows(ORG_EVENTS, EVENT_ROWS)}),
        actor=OFFICER,
    )


def records() -> dict[str, Any]:
    """Everything the import wrote about members, keyed by codes (no database ids)."""
    profile = [f.name for f in Member._meta.concrete_fields if f.name not in ("id",)]
    return {
        "members": sorted(tuple(m.values()) for m in Member.objects.values(*profile)),
        "events": sorted(
            MemberEvent.objects.values_list(
                "member__code", "kind", "on", "organization__code", "decision_ref", "decided_on", "category", "note"
            )
        ),
        "spans": sorted(
            MembershipSpan.objects.values_list("member__code", "organization__code", "status", "valid_from", "valid_to")
        ),
    }


def members_mapping(path: Path) -> SheetMapping:
    office, problems = open_office(path)
    assert not problems
    d = describe(office)[0]
    assert d["target"] == "members"
    return SheetMapping(d["sheet"], "members", d["suggested"])


def test_an_office_list_imports_to_the_same_records_as_the_template(tmp_path: Path) -> None:
    orgs_only(tmp_path)
    template = xlsx(
        tmp_path / "t.xlsx",
        {MEMBERS: rows(MEMBERS, TEMPLATE_MEMBERS), MEMBER_EVENTS: rows(MEMBER_EVENTS, TEMPLATE_EVENTS)},
    )
    import_path(template, actor=OFFICER)
    expected = records()
    assert len(expected["members"]) == 3 and len(expected["events"]) == 5
    Member.objects.all().delete()

    path = office_workbook(tmp_path / "ds.xlsx")
    report = import_office(path, mappings=[members_mapping(path)], actor=OFFICER)

    assert (report.members, report.member_events) == (3, 5)
    assert records() == expected
    entry = AuditEntry.objects.filter(action="import").latest("pk")
    assert entry.object_id == "ds.xlsx"


def test_the_suggestion_reads_headers_in_any_wording() -> None:
    members = targets()["members"]
    headers = ["Ho ten dang vien", "Ngày vào Đảng", "Họ tên khai sinh", "Mã đảng viên", "NGÀY SINH", "Nơi sinh"]
    chosen = {k: headers[i] for k, i in suggest(members, headers).items()}
    assert chosen == {
        "full_name": "Ho ten dang vien",
        "admitted_on": "Ngày vào Đảng",
        "birth_name": "Họ tên khai sinh",
        "code": "Mã đảng viên",
        "birth_date": "NGÀY SINH",
        "birth_place": "Nơi sinh",
    }
    chosen = {k: i for k, i in suggest(members, ["HỌ VÀ TÊN", "Ngày kết nạp"]).items()}
    assert chosen == {"full_name": 0, "admitted_on": 1}


def test_a_two_row_header_with_merged_cells_is_read_as_one() -> None:
    members = targets()["members"]
    head = [["Họ và tên", "Ngày", None, "Giới tính"], [None, "vào Đảng", "chính thức", None], ["A", 1, 2, "Nam"]]
    header = find_header(members, head)
    assert header is not None
    assert header.cells == ["Họ và tên", "Ngày vào Đảng", "Ngày chính thức", "Giới tính"]
    assert header.first_data == 2


def test_cells_as_offices_type_them() -> None:
    members = {f.key: f.column for f in targets()["members"].fields}
    assert office_cell(members["citizen_id"], 1080001234) == "001080001234"
    assert office_cell(members["card_number"], 123456.0) == "00123456"
    assert office_cell(members["code"], 42) == "42"
    assert office_cell(members["birth_date"], 39573) == dt.date(2008, 5, 5)
    assert office_cell(members["birth_date"], "05-05-2008") == "05-05-2008"  # read.convert's own rule reads it


def test_the_preview_shows_the_rows_as_they_will_be_read(tmp_path: Path) -> None:
    orgs_only(tmp_path)
    path = office_workbook(tmp_path / "ds.xlsx")
    office, _ = open_office(path)
    labels, shown = preview(office, members_mapping(path))
    assert labels[:5] == ["Mã đảng viên", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD"]
    assert shown[0][:5] == ["DV1", "Nguyễn Văn An", "Nam", "5/5/1980", "001080000001"]
    assert shown[2][3] == "31/1/1985"


def test_a_refused_list_names_the_office_file_row_and_header_and_writes_nothing(tmp_path: Path) -> None:
    orgs_only(tmp_path)
    data = [list(r) for r in OFFICE_ROWS]
    data[1][5] = "31/02/1990"  # no such day
    data[2][8] = "Chi bộ không có"  # no such branch
    path = office_workbook(tmp_path / "ds.xlsx", data=data)
    before = counts()
    with pytest.raises(Refused) as e:
        import_office(path, mappings=[members_mapping(path)], actor=OFFICER)
    assert counts() == before
    said = [str(p) for p in e.value.problems]
    assert any(s.startswith("Tệp ds.xlsx, sheet 'DS đảng viên', dòng 5, cột 'Ngày, tháng, năm sinh'") for s in said), (
        said
    )
    assert any("dòng 6, cột 'Chi bộ'" in s and "Chi bộ không có" in s for s in said), said


def test_the_command_line_shows_the_mapping_imports_the_list_and_exports_it_in_its_layout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    orgs_only(tmp_path)
    path = office_workbook(tmp_path / "ds.xlsx")
    call_command("import", str(path), "--list", "--show")
    shown = capsys.readouterr().out
    assert "Danh sách đảng viên, sheet 'DS đảng viên', dòng tiêu đề 3:" in shown
    assert "Ngày vào Đảng * [admitted_on]: cột D 'Ngày kết nạp'" in shown
    assert "DV1 | Nguyễn Văn An | Nam | 5/5/1980 | 001080000001" in shown
    assert not Member.objects.exists()

    call_command("import", str(path), "--list")
    assert Member.objects.count() == 3
    out = tmp_path / "xuat.xlsx"
    call_command("export", "--root", "T01", "--as-of", "01/01/2025", "--layout", str(path), str(out))
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(out).active.iter_rows()]
    assert rows[0] == OFFICE_HEADER and len(rows) == 4


def test_a_workbook_with_a_list_of_members_and_a_list_of_their_events_imports_both(tmp_path: Path) -> None:
    orgs_only(tmp_path)
    path = office_workbook(tmp_path / "ds.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Biến động")
    ws.append(["Mã ĐV", "Loại biến động", "Ngày", "Nơi đến", "Số QĐ"])
    ws.append(["DV2", "chuyển sinh hoạt đảng chính thức đi", "01/07/2024", "Đảng bộ tỉnh Khác", "5-QĐ/ĐU"])
    wb.save(path)
    office, _ = open_office(path)
    sheets = describe(office)
    assert [s["target"] for s in sheets] == ["members", "events"]
    mappings = [SheetMapping(s["sheet"], s["target"], s["suggested"]) for s in sheets]
    report = import_office(path, mappings=mappings, actor=OFFICER)
    assert (report.members, report.member_events) == (3, 6)
    out = MemberEvent.objects.get(member__code="DV2", kind="transfer_out")
    assert (out.on, out.counterpart, out.decision_ref) == (dt.date(2024, 7, 1), "Đảng bộ tỉnh Khác", "5-QĐ/ĐU")
