"""Report periods, the HD 36 header and the seeds' phrasing: pure, no database."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from dangvu.domain.errors import RuleError
from dangvu.domain.reports.header import Header, committee_name, committee_word, issuer_code, place_of, term_of
from dangvu.domain.reports.periods import parse_period
from dangvu.domain.reports.phrasing import change_share, quotes, share_over_years, spell, streak_sentence

D = dt.date
TODAY = D(2026, 11, 22)


def test_a_year_a_term_its_first_half_and_years_since_a_date() -> None:
    y = parse_period("2024", today=TODAY)
    assert (y.start, y.end, y.is_year, y.printed()) == (D(2024, 1, 1), D(2024, 12, 31), True, "năm 2024")
    t = parse_period("2020-2025", kind="term", today=TODAY)
    assert (t.start, t.end, t.years) == (D(2020, 1, 1), D(2025, 12, 31), [2020, 2021, 2022, 2023, 2024, 2025])
    assert parse_period("2020-2025", kind="interim", today=TODAY).end == D(2022, 12, 31)
    s = parse_period("since:5/5/2008..16/3/2017", kind="thematic", today=TODAY)
    assert (s.start, s.end, s.span_years) == (D(2008, 5, 5), D(2017, 3, 16), 10)  # "10 năm" (seed 000)
    assert parse_period("since:01/01/2011", kind="thematic", today=D(2025, 2, 28)).span_years == 15  # seed 002
    assert parse_period("1/1/2023..30/6/2024", today=TODAY).end == D(2024, 6, 30)


@pytest.mark.parametrize("bad", ["", "20x4", "2025-2020", "since:31/02/2020", "1/1/2023", "2030"])
def test_a_bad_period_is_refused_in_vietnamese(bad: str) -> None:
    with pytest.raises(RuleError, match=r"[Kk]ỳ báo cáo|Nhiệm kỳ"):
        parse_period(bad, today=TODAY)


def test_the_committee_its_code_and_the_place_come_from_the_organization() -> None:
    assert committee_name("Đảng bộ quận Hoàng Mai") == "Quận ủy Hoàng Mai"
    assert committee_name("Đảng bộ Quận 1") == "Quận ủy Quận 1"
    assert committee_name("Đảng bộ thành phố Hà Nội") == "Thành ủy Hà Nội"
    assert committee_name("Đảng bộ phường Tây Hồ") == "Đảng ủy phường Tây Hồ"
    assert committee_word("Đảng bộ Thành phố Hà Nội") == "Thành ủy"
    assert [issuer_code(n) for n in ("Đảng bộ tỉnh Hà Nam", "Đảng bộ huyện Kim Bảng", "Chi bộ Thôn 1")] == [
        "TU",
        "HU",
        "CB",
    ]
    assert place_of("Đảng bộ Quận 1") == "Quận 1" and place_of("Đảng bộ quận Tây Hồ") == "Tây Hồ"
    assert term_of(D(2024, 3, 1)) == "2020–2025" and term_of(D(2025, 11, 1)) == "2025–2030"


def test_the_number_and_the_place_date_lines_follow_hd_36() -> None:
    h = Header(
        "",
        "QUẬN ỦY HOÀNG MAI",
        "QU",
        7,
        "BC",
        "2015–2020",
        "Hoàng Mai",
        D(2017, 1, 5),
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "",
    )
    assert h.number_line == "Số 07-BC/QU"
    # Days under 10 and months 1–2 take a leading zero (HD 36-HD/VPTW).
    assert h.place_date == "Hoàng Mai, ngày 05 tháng 01 năm 2017"


def test_sentences_are_phrased_as_the_seeds_phrase_them() -> None:
    assert quotes("có 41,07% tổ chức cơ sở đảng đạt 'Trong sạch, vững mạnh'") == (
        "có 41,07% tổ chức cơ sở đảng đạt “Trong sạch, vững mạnh”"
    )
    assert streak_sentence(12, 5, 2016) == "12 cá nhân “Hoàn thành xuất sắc nhiệm vụ” 5 năm liền (2012 – 2016)"
    assert share_over_years(Fraction(96, 100), Fraction(95, 100)) == "trên 95%"  # F15
    assert share_over_years(Fraction(9, 10), Fraction(9, 10)) == "90% trở lên"  # F16
    assert change_share(Fraction(1, 2), Fraction(2, 5), than="năm 2015") == "tăng 10,0 điểm phần trăm so với năm 2015"
    assert spell("Tỷ lệ TCCSĐ HTT trở lên") == "tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên"
