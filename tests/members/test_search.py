"""What a typed query means (members.search.parse) and the stored Vietnamese sort key: no database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dangvu.domain.vietnamese import person_sort_key, person_sort_text
from dangvu.members.search import Terms, parse

NAMES = st.lists(
    st.sampled_from(["Nguyễn", "Văn", "An", "Anh", "Ánh", "Ân", "Đức", "Duc", "Thị", "Bình", "2", "10", "Lê", "Ngô"]),
    min_size=1,
    max_size=5,
).map(" ".join)


@given(st.lists(NAMES, min_size=2, max_size=12))
def test_the_stored_key_orders_people_as_the_python_sort_key_does(names: list[str]) -> None:
    assert sorted(names, key=person_sort_key) == sorted(names, key=person_sort_text)


def test_the_stored_key_puts_the_given_name_first() -> None:
    names = ["Trần Thị Bình", "Nguyễn Văn Anh", "Lê Văn An", "Đỗ Đức", "Nguyễn An"]
    # Given name first, then the family name: Lê before Nguyễn among the Ans.
    assert sorted(names, key=person_sort_text) == [
        "Lê Văn An",
        "Nguyễn An",
        "Nguyễn Văn Anh",
        "Trần Thị Bình",
        "Đỗ Đức",
    ]


def test_name_words_are_folded_and_deduplicated() -> None:
    assert parse("  NGUYỄN  văn An ") == Terms(words=("nguyen", "van", "an"))
    assert parse("Đỗ đỗ") == Terms(words=("do",))
    assert parse("ng v an") == Terms(words=("ng", "v", "an"))


def test_a_query_of_one_letter_words_is_too_short() -> None:
    assert parse("a").too_short and parse("n v").too_short
    assert not parse("ng v").too_short


def test_identifiers_are_recognized_by_their_shape() -> None:
    assert parse("001080001234").identifier == ("citizen_id", "001080001234")
    assert parse("001 080 001 234").identifier == ("citizen_id", "001080001234")
    assert parse("12345678").identifier == ("card_number", "12345678")
    assert parse("dv0000123") == Terms(code="DV0000123")
    assert parse("1234").identifier is None and parse("1234").code == "1234"
    assert not parse("")
