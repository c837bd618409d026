"""Vietnamese text, numbers and dates as the reports print them. No database."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.domain.vietnamese import (
    add_months,
    fmt_above,
    fmt_date,
    fmt_date_long,
    fmt_decimal,
    fmt_fraction,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_place_date,
    fmt_thousands_approx,
    fold,
    months_between,
    nfc,
    parse_date,
    person_sort_key,
    sort_key,
)

VI_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy ĐĂÂÊÔƠƯ" + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
VI_TEXT = st.text(alphabet=VI_LETTERS, max_size=30)


def test_it_sorts_the_vietnamese_way() -> None:
    words = ["Đức", "Bình", "Ân", "Dũng", "Ánh", "An"]
    assert sorted(words, key=sort_key) == ["An", "Ánh", "Ân", "Bình", "Dũng", "Đức"]


def test_tones_order_none_grave_hook_tilde_acute_dot() -> None:
    assert sorted(["má", "mạ", "mà", "mã", "ma", "mả"], key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_a_shorter_word_sorts_before_its_extension() -> None:
    assert sorted(["Anh", "An B", "An"], key=sort_key) == ["An", "An B", "Anh"]


def test_people_sort_by_given_name_first() -> None:
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An"]
    assert sorted(names, key=person_sort_key) == ["Lê Văn An", "Nguyễn Thị An", "Trần Văn Bình"]


def test_search_finds_nguyen_from_nguyen_without_marks() -> None:
    assert fold("Nguyễn Văn Ân") == "nguyen van an"
    assert fold("ĐẶNG  Thị   Hoa") == "dang thi hoa"


@given(VI_TEXT)
def test_fold_is_idempotent_and_ignores_normal_form(s: str) -> None:
    assert fold(fold(s)) == fold(s)
    assert fold(unicodedata.normalize("NFD", s)) == fold(s)
    assert sort_key(unicodedata.normalize("NFD", s)) == sort_key(unicodedata.normalize("NFC", s))


# Names with numbers: the words of a unit's name, then a number, as the demo district's "Chi bộ Thôn 12".
WORD = st.text(alphabet=VI_LETTERS.replace(" ", ""), min_size=1, max_size=8)
NAME_PART = st.lists(WORD, min_size=1, max_size=3).map(" ".join)


def test_numbers_in_names_sort_by_their_value() -> None:
    names = ["Chi bộ Thôn 10", "Chi bộ Thôn 2", "Chi bộ Thôn 11", "Chi bộ Thôn 1", "Chi bộ 12", "Chi bộ 3"]
    assert sorted(names, key=sort_key) == [
        "Chi bộ 3",
        "Chi bộ 12",
        "Chi bộ Thôn 1",
        "Chi bộ Thôn 2",
        "Chi bộ Thôn 10",
        "Chi bộ Thôn 11",
    ]


@given(NAME_PART, st.integers(0, 10**12), st.integers(0, 10**12), st.sampled_from(["", " Đông", " 2", "-A"]))
def test_a_smaller_number_sorts_first_whatever_the_words_around_it(prefix: str, a: int, b: int, tail: str) -> None:
    left, right = f"{prefix} {a}{tail}", f"{prefix} {b}{tail}"
    assert (sort_key(left) < sort_key(right)) == (a < b)


PLAIN = st.text(alphabet="abcdeghiklmnopqrstuvxy", min_size=1, max_size=8)


@given(PLAIN, PLAIN, st.integers(0, 999))
def test_the_words_decide_before_the_number_after_them(x: str, y: str, n: int) -> None:
    # "Thôn An 9" and "Thôn Binh 1": the letters differ first, so the number does not matter.
    if x < y and not y.startswith(x):
        assert sort_key(f"Thôn {x} {n}") < sort_key(f"Thôn {y} 0")


@given(VI_TEXT, VI_TEXT)
def test_the_key_is_a_total_order_that_tells_every_name_apart(a: str, b: str) -> None:
    assert (sort_key(a) == sort_key(b)) == (nfc(a) == nfc(b))


@given(VI_TEXT)
def test_the_key_stays_within_printable_ascii_before_the_name(s: str) -> None:
    # The database orders the stored key bytewise (SQLite BINARY, PostgreSQL COLLATE "C"): the weights must be
    # single-byte characters whose byte order is their code point order.
    weights = sort_key(s)[: -len(nfc(s))] if nfc(s) else sort_key(s)
    assert all(0x21 <= ord(c) <= 0x7E for c in weights)


def test_nfc_normalizes_and_collapses_spaces() -> None:
    assert nfc(unicodedata.normalize("NFD", "  Hoàng   Thị Ánh ")) == unicodedata.normalize("NFC", "Hoàng Thị Ánh")


def test_numbers_print_with_dot_thousands_and_comma_decimals() -> None:
    assert fmt_int(1382) == "1.382"
    assert fmt_int(5_600_000) == "5.600.000"
    assert fmt_decimal(10600.5, 1) == "10.600,5"
    assert fmt_percent(Fraction(23, 56)) == "41,07%"
    assert fmt_percent(Fraction(209, 180), 0) == "116%"
    assert fmt_fraction(78, 333) == "78/333"


def test_percent_rounds_half_up_on_the_exact_value() -> None:
    assert fmt_percent(Fraction(1, 8), 1) == "12,5%"
    assert fmt_percent(Fraction(1, 16), 2) == "6,25%"
    assert fmt_percent(Fraction(1, 800), 2) == "0,13%"  # 0,125 → 0,13


def test_above_rounds_down_and_says_tren_only_when_strictly_above() -> None:
    assert fmt_above(Fraction(893, 1246)) == "trên 71%"
    assert fmt_above(Fraction(71, 100)) == "71%"
    assert fmt_above(Fraction(9512, 10000), 0) == "trên 95%"


def test_thousands_approximation_as_the_reports_print_it() -> None:
    assert fmt_thousands_approx(10_630) == "trên 10,6 nghìn"
    assert fmt_thousands_approx(10_600) == "10,6 nghìn"


def test_dates_print_as_the_reports_do() -> None:
    assert fmt_date(dt.date(2008, 5, 5)) == "5/5/2008"
    assert fmt_date_long(dt.date(2017, 3, 16)) == "ngày 16 tháng 3 năm 2017"
    assert fmt_place_date("Hạ Long", dt.date(2018, 2, 20)) == "Hạ Long, ngày 20 tháng 02 năm 2018"
    assert fmt_place_date("Hà Nội", dt.date(2024, 12, 5)) == "Hà Nội, ngày 05 tháng 12 năm 2024"


@pytest.mark.parametrize(
    "text", ["05/05/2008", "5/5/2008", "05-05-2008", "2008-05-05", dt.date(2008, 5, 5), dt.datetime(2008, 5, 5, 10, 0)]
)
def test_dates_parse_from_day_month_year_and_iso(text: object) -> None:
    assert parse_date(text) == dt.date(2008, 5, 5)


def test_a_bad_date_is_refused_in_vietnamese() -> None:
    with pytest.raises(ValueError, match="Ngày không hợp lệ: '31/02/2020'"):
        parse_date("31/02/2020")


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_parse_date_round_trips_fmt_date(d: dt.date) -> None:
    assert parse_date(fmt_date(d)) == d


def test_months_are_counted_in_full_months() -> None:
    assert months_between(dt.date(2000, 3, 10), dt.date(2018, 3, 9)) == 18 * 12 - 1
    assert months_between(dt.date(2000, 3, 10), dt.date(2018, 3, 10)) == 18 * 12
    assert add_months(dt.date(2020, 1, 31), 1) == dt.date(2020, 2, 29)
    assert add_months(dt.date(2020, 3, 15), 12) == dt.date(2021, 3, 15)


@pytest.mark.parametrize(
    ("x", "places", "printed"),
    [
        (Decimal("1E+2"), 0, "100"),
        (Decimal("1.5E+3"), 2, "1.500,00"),
        (Decimal("-0.004"), 2, "0,00"),
        (10**30, 0, "1" + ".000" * 10),
    ],
)
def test_numbers_never_print_in_scientific_notation_nor_as_minus_zero(
    x: Decimal | int, places: int, printed: str
) -> None:
    assert fmt_decimal(x, places) == printed


def test_a_quantity_prints_without_trailing_zeros() -> None:
    assert [fmt_number(x) for x in (1382, Decimal("10.60"), Fraction(9, 4), Decimal("1E+2"))] == [
        "1.382",
        "10,6",
        "2,25",
        "100",
    ]


@given(st.integers(1, 10**12).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d))))
def test_trên_is_true_of_the_exact_share_however_close_to_the_round_figure(pd: tuple[int, int]) -> None:
    share = Fraction(*pd)
    text = fmt_above(share)
    x = Fraction(int(text.removeprefix("trên ").removesuffix("%").replace(".", "")), 100)
    assert (share > x) if text.startswith("trên ") else (share == x)


def test_a_share_a_hair_above_a_round_figure_is_above_it() -> None:
    assert fmt_above(Fraction(71 * 10**30 + 1, 100 * 10**30)) == "trên 71%"  # beyond Decimal's 28 digits
    assert fmt_above(0.95) == "95%" and fmt_above(Decimal("0.9501")) == "trên 95%"
