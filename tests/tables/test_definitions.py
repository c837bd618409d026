"""Definition files: a mistake is said in Vietnamese naming the file, the table, the row or column and the field;
an office's folder adds tables without code; the evaluator's bands and 'others' rows (no database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dangvu.tables.builder import PACKAGE_DIR
from dangvu.tables.definitions import DefinitionError, load_files, parse_text
from dangvu.tables.evaluate import derive, education_level, evaluate, professional_level

GOOD = """
[[table]]
code = "thu"
title = "Đảng viên nữ theo tuổi"
source = "members"

[[table.columns]]
key = "tong"
label = "Tổng số"

[[table.rows]]
key = "tre"
label = "Đến 30 tuổi"
match = { age = { to = 30 } }

[[table.rows]]
key = "khac"
label = "Còn lại"
others = true
"""


def test_the_default_set_reads_without_a_mistake_and_each_code_once() -> None:
    tables = load_files(sorted(PACKAGE_DIR.glob("*.toml")))
    codes = [t.code for t in tables]
    assert len(codes) == len(set(codes)) >= 14
    dan_toc = next(t for t in tables if t.code == "dang-vien-dan-toc")
    assert len([r for r in dan_toc.rows if r.label[:1].isdigit()]) == 54  # the 54 groups, then "khác"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            GOOD.replace('source = "members"', 'source = "dang_vien"'),
            "Tệp 'x.toml', biểu 'thu', trường 'source': nguồn 'dang_vien' không có",
        ),
        (
            GOOD.replace("age = { to = 30 }", 'age = { to = "ba mươi" }'),
            "Tệp 'x.toml', biểu 'thu', dòng 1 ('Đến 30 tuổi'), trường 'age': phải là số nguyên",
        ),
        (
            GOOD.replace("age = { to = 30 }", "tuoi = 30"),
            "Tệp 'x.toml', biểu 'thu', dòng 1 ('Đến 30 tuổi'), trường 'tuoi': nguồn 'members' không có trường này",
        ),
        (
            GOOD.replace('label = "Tổng số"', 'label = ""'),
            "Tệp 'x.toml', biểu 'thu', cột 1, trường 'label': bắt buộc, đang để trống.",
        ),
        (GOOD.replace("age = { to = 30 }", "age = { from = 40, to = 30 }"), "trường 'age': from (40) lớn hơn to (30)."),
        (GOOD.replace('key = "khac"', 'key = "tre"'), "Tệp 'x.toml', biểu 'thu', trường 'key': hai dòng trùng mã."),
        (
            GOOD.replace('title = "Đảng viên nữ theo tuổi"', 'title = "Đảng viên'),
            "Tệp 'x.toml' không đọc được (dòng 4, cột",
        ),
        (
            GOOD.replace('code = "thu"', 'code = "Biểu 1"'),
            "Tệp 'x.toml', biểu 'thứ 1', trường 'code': mã 'Biểu 1' chỉ gồm",
        ),
    ],
)
def test_a_mistake_is_said_in_vietnamese_with_where_it_is(text: str, said: str) -> None:
    with pytest.raises(DefinitionError) as e:
        parse_text(text, "x.toml")
    assert said in str(e.value)


def test_an_offices_folder_adds_a_table_and_may_not_reuse_a_code(tmp_path: Path) -> None:
    (tmp_path / "van-phong.toml").write_text(GOOD, encoding="utf-8")
    tables = load_files([*sorted(PACKAGE_DIR.glob("*.toml")), tmp_path / "van-phong.toml"])
    assert "thu" in {t.code for t in tables}
    (tmp_path / "trung.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(DefinitionError) as e:
        load_files([tmp_path / "van-phong.toml", tmp_path / "trung.toml"])
    assert str(e.value) == "Tệp 'trung.toml', biểu 'thu', trường 'code': mã biểu đã có trong tệp 'van-phong.toml'."


def test_bands_and_the_others_row_count_each_record_once() -> None:
    (table,) = parse_text(GOOD, "x.toml")
    on = dt.date(2024, 12, 31)
    facts = [
        (derive({"birth_date": dt.date(1994, 12, 31)}, on=on, age_rule="full_years"), 2),  # 30 on the day
        (derive({"birth_date": dt.date(1995, 1, 1)}, on=on, age_rule="full_years"), 1),  # 29
        (derive({"birth_date": "1994-01-01"}, on=on, age_rule="full_years"), 5),  # 30 (SQLite gives text)
        (derive({"birth_date": dt.date(1990, 6, 1)}, on=on, age_rule="full_years"), 4),  # 34
    ]
    grid = evaluate(table, facts)
    assert grid.cells == {"tre": {"tong": 8}, "khac": {"tong": 4}}
    # "calendar_year": 2024 − 1994 = 30 for the one born on 31/12/1994 too; 2024 − 1993 = 31
    assert derive({"birth_date": dt.date(1993, 12, 31)}, on=on, age_rule="calendar_year")["age"] == 31


def test_education_and_qualification_levels() -> None:
    assert [education_level(x) for x in ("12/12", "10/10", "9/12", "7/10", "5/12", "", "12")] == [
        "Trung học phổ thông", "Trung học phổ thông", "Trung học cơ sở", "Trung học cơ sở", "Tiểu học", "", "",
    ]  # fmt: skip
    assert professional_level("Cử nhân Luật", "") == "Đại học"
    assert professional_level("Kỹ sư Xây dựng", "Thạc sĩ") == "Thạc sĩ"  # the highest only (Biểu 3-TCTW)
    assert professional_level("Trung cấp Kế toán", "") == "Trung cấp"
    assert professional_level("", "") == "Chưa qua đào tạo"
