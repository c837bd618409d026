"""Party documents in plain Python: terms in one form, HD 36 symbols (CTHĐ read as an action CTr), counts by type
in words as the reports write them."""

from __future__ import annotations

import pytest

from dangvu.domain.documents import counts_in_words, normalize_term, parse_code, read_type
from dangvu.domain.errors import RuleError


@pytest.mark.parametrize("typed", ["2015-2020", "2015 – 2020", "2015—2020", "2015 - 2020", "2015–2020", "2015-20"])
def test_every_writing_of_a_term_is_the_one_term_the_reports_print(typed: str) -> None:
    assert normalize_term(typed) == "2015–2020"


def test_a_central_committee_term_is_its_congress_number() -> None:
    assert normalize_term("Khoá xii") == "khóa XII"


def test_a_term_that_is_no_term_is_refused_in_vietnamese() -> None:
    with pytest.raises(RuleError) as e:
        normalize_term("2020-2015")
    assert e.value.message == "Nhiệm kỳ '2020-2015' không hợp lệ: năm cuối phải sau năm đầu."


def test_cthd_is_read_as_an_action_programme_and_cited_with_the_hd36_symbol() -> None:
    assert read_type("CTHĐ") == ("CTr", "action")
    c = parse_code("Số 147-CTHĐ/TU, ngày 5/5/2008")
    assert c.code == "147-CTr/TU"
    assert c.cited() == "Chương trình hành động số 147-CTr/TU, ngày 5/5/2008"


def test_a_symbol_hd36_does_not_list_is_refused_naming_the_list() -> None:
    with pytest.raises(RuleError) as e:
        read_type("XYZ")
    assert e.value.message.startswith("'XYZ' không phải ký hiệu loại văn bản của Đảng; dùng: NQ, QĐ, QĐi, QC,")


def test_counts_by_type_are_words_in_the_order_reports_write_them() -> None:
    assert counts_in_words({"CT": 3, "KL": 5, "NQ": 12}) == "12 nghị quyết, 5 kết luận và 3 chỉ thị"
    assert counts_in_words({"KH": 1_250, "BC": 0}) == "1.250 kế hoạch"
    assert counts_in_words({}) == ""
