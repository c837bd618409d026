"""Hostile files are refused before any parser sees them, in Vietnamese naming the file (and the sheet, row and
column where there is one), and nothing is written; the import messages of issue 13 read as a person would
say them. Sizes here are small (limits lowered through settings) so the suite stays fast: bench/import_limits.py
measures time and memory on full-size files."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fixtures import hostile_files as hostile
from fixtures.import_files import (
    MEMBER_EVENT_ROWS,
    MEMBER_ROWS,
    OFFICER,
    base,
    counts,
    csv_dir,
    person,
    refused,
    rows,
    xlsx,
)

from dangvu.imports import limits
from dangvu.imports.format import MEMBER_EVENTS, MEMBERS
from dangvu.imports.load import import_path

pytestmark = pytest.mark.django_db

# English a library might leak into a message (calamine's "invalid Zip archive", csv's "field larger than").
ENGLISH = re.compile(r"\b(invalid|error|zip|archive|field|larger|than|file|not|found|sheet\w*Error)\b", re.I)


def only(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    assert not ENGLISH.search(problems[0].replace("sheet '", "")), problems[0]
    return problems[0]


@pytest.fixture
def small(settings: Any) -> limits.Limits:
    settings.DANGVU_IMPORT_LIMITS = {
        "upload_bytes": 2 * limits.MB,
        "inflated_bytes": 64 * limits.MB,
        "ratio_floor_bytes": 256 * 1024,
        "rows": 5_000,
        "columns": 30,
        "cells": 60_000,
        "cell_chars": 2_000,
        "csv_lines": 5_000,
    }
    return limits.Limits.from_settings()


def test_a_huge_shared_string_is_refused_by_its_compression_ratio_naming_the_file(tmp_path, small) -> None:
    message = only(refused(hostile.huge_shared_string(tmp_path / "chuoi-lon.xlsx", 20 * limits.MB)))
    assert message.startswith("Tệp chuoi-lon.xlsx: ") and "nén" in message and "lần" in message


def test_a_shared_string_longer_than_a_cell_may_be_is_refused(tmp_path, small) -> None:
    message = only(refused(hostile.huge_shared_string(tmp_path / "chuoi.xlsx", 5_000)))
    assert message.startswith("Tệp chuoi.xlsx: ") and "dài hơn 2.000 ký tự" in message


def test_a_long_inline_text_is_refused_on_its_sheet_row_and_column(tmp_path, small) -> None:
    message = only(refused(hostile.long_inline_text(tmp_path / "o-dai.xlsx", 50_000, row=7, column="C")))
    assert message.startswith("Tệp o-dai.xlsx, sheet 'Đảng viên', dòng 7, cột 'C': ")


def test_a_cell_at_row_a_million_is_refused_before_calamine_allocates_the_grid(tmp_path, small) -> None:
    message = only(refused(hostile.far_cell(tmp_path / "dong.xlsx", 1_048_576)))
    assert "sheet 'Đảng viên'" in message and "hơn 5.000 dòng" in message


def test_a_cell_at_column_xfd_is_refused(tmp_path, small) -> None:
    message = only(refused(hostile.far_cell(tmp_path / "cot.xlsx", 3, "XFD")))
    assert "cột thứ 16.384" in message


def lenient_ratio(settings: Any) -> None:
    """Rows of identical cells compress far beyond the ratio: lift it to reach the row and grid checks."""
    settings.DANGVU_IMPORT_LIMITS = {**settings.DANGVU_IMPORT_LIMITS, "ratio": 100_000}


def test_many_rows_without_references_are_counted_and_refused(tmp_path, small, settings) -> None:
    lenient_ratio(settings)
    message = only(refused(hostile.many_rows(tmp_path / "nhieu-dong.xlsx", 20_000)))
    assert "hơn 5.000 dòng" in message


def test_a_grid_over_the_cell_limit_is_refused(tmp_path, small, settings) -> None:
    lenient_ratio(settings)
    message = only(refused(hostile.many_rows(tmp_path / "luoi.xlsx", 4_000, columns=25)))
    assert "có ít nhất" in message and "dòng × 25 cột, quá 60.000 ô" in message


def test_a_zip_bomb_is_refused_from_the_central_directory(tmp_path, small) -> None:
    message = only(refused(hostile.zip_bomb(tmp_path / "bom.xlsx", 100 * limits.MB)))
    assert message.startswith("Tệp bom.xlsx: giải nén ra 100 MB, quá giới hạn 64 MB")


def test_a_part_compressed_beyond_any_spreadsheet_is_refused(tmp_path, small) -> None:
    message = only(refused(hostile.zip_bomb(tmp_path / "bom.xlsx", 30 * limits.MB)))
    assert "cố tình làm phình" in message


def test_a_zip_whose_directory_lies_about_sizes_is_refused(tmp_path, small) -> None:
    message = only(refused(hostile.lying_directory(tmp_path / "doi.xlsx", 30 * limits.MB)))
    assert message.startswith("Tệp doi.xlsx: tệp nén bị hỏng")


def test_a_file_over_the_upload_limit_is_refused_by_its_size(tmp_path, small) -> None:
    path = tmp_path / "to.xlsx"
    path.write_bytes(b"PK" + bytes(3 * limits.MB))
    message = only(refused(path))
    assert "dài 3 MB, quá giới hạn 2 MB" in message


def test_a_non_zip_named_xlsx_is_refused_in_vietnamese(tmp_path) -> None:
    # Issue 13: calamine's "invalid Zip archive…" reached the person in English.
    message = only(refused(hostile.not_a_zip(tmp_path / "danh-sach.xlsx")))
    assert message.startswith("Tệp danh-sach.xlsx: không phải tệp Excel .xlsx")


def test_a_csv_in_the_wrong_encoding_is_refused_naming_the_file_sheet_and_line(tmp_path) -> None:
    path = hostile.wrong_encoding_csv(tmp_path / "csv", MEMBERS.csv_name, MEMBERS.headers)
    message = only(refused(path))
    assert message.startswith(f"Tệp {MEMBERS.csv_name}, sheet 'Đảng viên', dòng 1: không phải văn bản UTF-8")


def test_a_csv_with_too_many_lines_is_refused(tmp_path, small) -> None:
    directory = csv_dir(tmp_path / "csv", {MEMBERS: rows(MEMBERS, [person("DV1", "An", "Nam", "01/01/1980")] * 6_000)})
    assert "hơn 5.000 dòng" in only(refused(directory))


def test_a_csv_field_longer_than_a_cell_is_refused_on_its_line(tmp_path, small) -> None:
    data = [person("DV1", "An", "Nam", "01/01/1980"), person("DV2", "B" * 3_000, "Nam", "01/01/1980")]
    message = only(refused(csv_dir(tmp_path / "csv", {MEMBERS: rows(MEMBERS, data)})))
    assert "dòng 3" in message and "dài hơn 2.000 ký tự" in message


def test_a_valid_file_still_imports_under_the_default_limits(tmp_path) -> None:
    report = import_path(xlsx(tmp_path / "ok.xlsx", base()), actor=OFFICER)
    assert report.members == 2


# ---------------------------------------------------------------- messages (issue 13, "Messages")


def test_a_date_cell_in_1800_says_why_rather_than_00_00_00(tmp_path) -> None:
    sheets = base()
    sheets[MEMBERS] = rows(MEMBERS, [person("DV1", "Nguyễn Văn An", "Nam", dt.date(1800, 5, 5)), *MEMBER_ROWS[1:]])
    problems = refused(xlsx(tmp_path / "nam-1800.xlsx", sheets))
    assert any("trước năm 1900" in p and "dd/mm/yyyy" in p for p in problems), problems
    assert not any("00:00:00" in p for p in problems)


def test_a_year_1800_typed_as_text_says_the_year_is_out_of_range(tmp_path) -> None:
    sheets = base()
    sheets[MEMBERS] = rows(MEMBERS, [person("DV1", "Nguyễn Văn An", "Nam", "05/05/1800"), *MEMBER_ROWS[1:]])
    problems = refused(xlsx(tmp_path / "nam-1800.xlsx", sheets))
    assert any("năm 1800 không hợp lý (cần từ 1880 đến 2199)" in p for p in problems), problems


def test_an_event_before_birth_says_so_rather_than_a_negative_age(tmp_path) -> None:
    sheets = base()
    sheets[MEMBERS] = rows(MEMBERS, [person("DV1", "Nguyễn Văn An", "Nam", "05/05/2015"), *MEMBER_ROWS[1:]])
    problems = refused(xlsx(tmp_path / "truoc-sinh.xlsx", sheets))
    assert not any("-" in re.sub(r"\d{1,2}/\d{1,2}/\d{4}|[\w-]+\.xlsx", "", p.split(":", 1)[1]) for p in problems)
    assert any(
        p.startswith("Sheet 'Sự kiện đảng viên', dòng 2, cột 'Ngày hiệu lực'")
        and "ngày 10/5/2010 trước ngày sinh của đảng viên (5/5/2015" in p
        for p in problems
    ), problems


def test_importing_a_complete_file_again_says_it_was_already_imported(tmp_path) -> None:
    path = xlsx(tmp_path / "huyen.xlsx", base())
    import_path(path, actor=OFFICER)
    message = only(refused(path))
    assert message.startswith("Tệp huyen.xlsx: tệp đã được nhập trước đây: cả 4 tổ chức và 2 đảng viên")


def test_a_file_only_partly_imported_still_lists_each_row(tmp_path) -> None:
    sheets = base()
    sheets[MEMBERS] = rows(MEMBERS, MEMBER_ROWS[:1])
    sheets[MEMBER_EVENTS] = rows(MEMBER_EVENTS, MEMBER_EVENT_ROWS[:2])
    import_path(xlsx(tmp_path / "mot-nua.xlsx", sheets), actor=OFFICER)
    before = counts()
    problems = refused(xlsx(tmp_path / "ca.xlsx", base()))
    assert counts() == before and len(problems) > 1
    assert not any("đã được nhập trước đây" in p for p in problems)


def test_the_ratings_sheet_reader_is_bounded_the_same_way(tmp_path, small) -> None:
    from dangvu.assessment.exchange import import_ratings

    report = import_ratings(hostile.not_a_zip(tmp_path / "xep-loai.xlsx"), actor=OFFICER)
    assert report.errors == [
        "Tệp xep-loai.xlsx: không phải tệp Excel .xlsx (không đọc được dạng nén của tệp); hãy mở tệp bằng Excel và "
        "lưu lại dưới dạng Sổ làm việc Excel (.xlsx)."
    ]
    report = import_ratings(hostile.zip_bomb(tmp_path / "bom.xlsx", 100 * limits.MB), actor=OFFICER)
    assert report.errors[0].startswith("Tệp bom.xlsx: giải nén ra 100 MB")


def test_a_sheet_over_the_grid_threshold_is_streamed_and_reads_the_same(tmp_path, settings) -> None:
    settings.DANGVU_IMPORT_LIMITS = {"grid_cells": 1}
    report = import_path(xlsx(tmp_path / "ok.xlsx", base()), actor=OFFICER)
    assert (report.organizations, report.members, report.member_events) == (4, 2, 3)


def test_a_streamed_sheet_refuses_a_date_in_1800_by_its_year(tmp_path, settings) -> None:
    settings.DANGVU_IMPORT_LIMITS = {"grid_cells": 1}
    sheets = base()
    sheets[MEMBERS] = rows(MEMBERS, [person("DV1", "Nguyễn Văn An", "Nam", dt.date(1800, 5, 5)), *MEMBER_ROWS[1:]])
    problems = refused(xlsx(tmp_path / "nam-1800.xlsx", sheets))
    assert any("năm 1800 không hợp lý" in p or "trước năm 1900" in p for p in problems), problems


def test_a_far_cell_in_a_single_letter_column_counts_in_the_grid(tmp_path, small) -> None:
    # 4.000 rows × column Z: within the row and column limits, over the 60.000 cells calamine would allocate.
    message = only(refused(hostile.far_cell(tmp_path / "z.xlsx", 4_000, "Z")))
    assert "4.000 dòng × 26 cột, quá 60.000 ô" in message


def test_a_far_cell_within_every_limit_is_refused_as_a_sparse_grid(tmp_path, settings) -> None:
    # Z1000000 is within 1.048.576 rows and 64 columns and 30.000.000 cells, but the grid holds two cells.
    settings.DANGVU_IMPORT_LIMITS = {"grid_cells": 1_000}
    message = only(refused(hostile.far_cell(tmp_path / "thua.xlsx", 1_000_000, "Z")))
    assert "vùng dữ liệu 1.000.000 dòng × 26 cột nhưng chỉ có 2 ô" in message
