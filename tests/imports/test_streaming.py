"""A large file is checked and written without holding it in memory (issue 13: 200.000 members in ≤ 400 MB): the
member sheets are spooled to a private temporary file, members are written a batch at a time — and the import is
still one transaction, all or nothing, every refusal naming sheet, row and column. Batches are made small here
(MEMBER_BATCH) so that a few members span several; bench/import_limits.py measures the memory on full-size files."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from fixtures.import_files import OFFICER, base, counts, csv_dir, person, refused, xlsx

from dangvu.audit.models import AuditEntry
from dangvu.imports import load, spool
from dangvu.imports.format import MEMBER_EVENTS, MEMBERS
from dangvu.imports.load import import_path, validate
from dangvu.members.models import Member

pytestmark = pytest.mark.django_db


def five_members() -> dict[Any, list[list[Any]]]:
    """The base file's two members and three more, each admitted into branch B01 (events in no member order)."""
    sheets = base()
    extra = [("DV3", "Lê Văn Cường", "001085000003"), ("DV4", "Phạm Thị Dung", ""), ("DV5", "Hoàng Văn Em", "")]
    sheets[MEMBERS] += [person(code, name, "Nam", "01/01/1985", cid) for code, name, cid in extra]
    sheets[MEMBER_EVENTS] = [
        sheets[MEMBER_EVENTS][0],
        *[[c, "Kết nạp", "01/03/2016", "B01", "", "", "20/03/2016", "", "", "", "", "", "", ""] for c, _, _ in extra],
        *sheets[MEMBER_EVENTS][1:],
    ]
    return sheets


@pytest.fixture
def spools(monkeypatch: Any) -> list[spool.Spool]:
    """Every spool an import opens, to look at its directory afterwards."""
    made: list[spool.Spool] = []
    real = spool.Spool.__init__

    def watched(self: spool.Spool) -> None:
        real(self)
        made.append(self)

    monkeypatch.setattr(spool.Spool, "__init__", watched)
    return made


def test_members_written_in_batches_are_all_written_with_their_events_in_one_import(
    tmp_path: Path, monkeypatch: Any, spools: list[spool.Spool]
) -> None:
    monkeypatch.setattr(load, "MEMBER_BATCH", 2)
    report = import_path(xlsx(tmp_path / "f.xlsx", five_members()), actor=OFFICER)
    assert (report.members, report.member_events) == (5, 6)
    got = {m.code: (m.full_name, [e.kind for e in m.events.order_by("on")]) for m in Member.objects.all()}
    assert got == {
        "DV1": ("Nguyễn Văn An", ["admission", "recognition"]),
        "DV2": ("Trần Thị Bình", ["admission"]),
        "DV3": ("Lê Văn Cường", ["admission"]),
        "DV4": ("Phạm Thị Dung", ["admission"]),
        "DV5": ("Hoàng Văn Em", ["admission"]),
    }
    # Written in file order: ids follow the members sheet.
    assert list(Member.objects.order_by("pk").values_list("code", flat=True)) == ["DV1", "DV2", "DV3", "DV4", "DV5"]
    entry = AuditEntry.objects.get(action="import")
    assert entry.after["members"] == 5 and entry.after["member_events"] == 6
    # The spool (the members' rows, citizen IDs included) was private and is gone.
    [used] = spools
    assert not Path(used._dir.name).exists()


def test_the_spool_directory_is_private_while_the_import_runs(tmp_path: Path, spools: list[spool.Spool]) -> None:
    plan, _report, problems = validate(xlsx(tmp_path / "f.xlsx", five_members()))
    assert problems == [] and plan is not None
    [used] = spools
    assert stat.S_IMODE(Path(used._dir.name).stat().st_mode) == 0o700
    assert len(plan.members.rows) == 5
    plan.close()
    assert not Path(used._dir.name).exists()


def test_a_rule_broken_in_a_later_batch_leaves_nothing_of_the_earlier_ones_and_names_the_row(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # As test_refusals: should the checks ever miss a rule, the writer refuses; with batches of 2 the bad member
    # (DV5, the fifth row) is in the third batch, after two batches were written in the same transaction.
    monkeypatch.setattr(load, "MEMBER_BATCH", 2)
    monkeypatch.setattr("dangvu.imports.check_members._check_history", lambda *a, **k: None)
    sheets = five_members()
    sheets[MEMBER_EVENTS].append(
        ["DV5", "Công nhận đảng viên chính thức", "01/05/2016", "", "", "09/06/2016", "", "", "", "", "", "", "", ""]
    )
    before = counts()
    [problem] = refused(csv_dir(tmp_path / "f", sheets))
    assert problem.startswith("Sheet 'Đảng viên', dòng 6, cột 'Mã đảng viên': Công nhận đảng viên chính thức ngày")
    assert counts() == before and not Member.objects.exists()


def test_repeated_codes_and_identifiers_are_found_across_the_spooled_sheet(tmp_path: Path) -> None:
    sheets = five_members()
    sheets[MEMBERS][4][0] = "DV1"  # DV4's row (row 5) repeats DV1's code
    sheets[MEMBERS][5][11] = "001085000003"  # DV5's row (row 6) repeats DV3's citizen ID
    problems = refused(csv_dir(tmp_path / "f", sheets))
    assert "Sheet 'Đảng viên', dòng 5, cột 'Mã đảng viên': 'DV1' trùng với dòng 2." in problems
    assert "Sheet 'Đảng viên', dòng 6, cột 'Số CCCD': '001085000003' trùng với dòng 4." in problems


def test_an_event_of_a_member_the_file_does_not_hold_is_named_by_its_row(tmp_path: Path) -> None:
    sheets = five_members()
    sheets[MEMBER_EVENTS].append(
        ["DV9", "Kết nạp", "01/03/2016", "B01", "", "", "20/03/2016", "", "", "", "", "", "", ""]
    )
    problems = refused(csv_dir(tmp_path / "f", sheets))
    assert problems == [
        "Sheet 'Sự kiện đảng viên', dòng 8, cột 'Mã đảng viên': không có đảng viên mã 'DV9' trong sheet 'Đảng viên' "
        "(tệp nhập ghi đảng viên cùng toàn bộ quá trình của họ)."
    ]


def test_a_file_imported_again_is_told_so_once(tmp_path: Path) -> None:
    import_path(csv_dir(tmp_path / "a", five_members()), actor=OFFICER)
    assert refused(csv_dir(tmp_path / "b", five_members())) == [
        "Tệp b: tệp đã được nhập trước đây: cả 4 tổ chức và 5 đảng viên trong tệp đều đã có trong cơ sở dữ liệu, "
        "không có gì mới để nhập. Tệp nhập chỉ thêm tổ chức và đảng viên mới."
    ]
