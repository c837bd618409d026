"""The phrasing layer, read as sentences: every form of a count or a share, changes, targets, trends, averages,
rankings; edge cases (zero, all, equal, one year, missing years). Pure: no database."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.domain.assessment.figures import GroupStats, levels_clause, rated_clause, top_of_good_clause
from dangvu.domain.badges import Awarded, badges_sentences
from dangvu.domain.reports.phrasing import (
    Form,
    Phrase,
    Phrasebook,
    Trend,
    above_text,
    achieved,
    all_or_share,
    average_sentence,
    bound_text,
    change_points,
    change_share,
    counts_by_kind,
    near_text,
    none_left,
    phrase,
    rank_units,
    ranking_sentence,
    rated_of,
    sentence,
    share_of,
    share_text,
    trend_of,
    trend_sentence,
    verdict,
)
from dangvu.domain.targets import Status

F = Fraction
D = dt.date
TCCSD = "tổ chức cơ sở đảng"


@pytest.mark.parametrize(
    ("form", "printed"),
    [
        (Form.COUNT, "23 tổ chức cơ sở đảng"),
        (Form.FRACTION, "23/56 tổ chức cơ sở đảng"),
        (Form.SHARE, "41,07% tổ chức cơ sở đảng"),  # F1
        (Form.ABOVE, "trên 41% tổ chức cơ sở đảng"),
        (Form.NEAR, "gần 42% tổ chức cơ sở đảng"),
        (Form.COUNT_SHARE, "23 tổ chức cơ sở đảng (41,07%)"),
        (Form.FRACTION_SHARE, "23/56 tổ chức cơ sở đảng (41,07%)"),
    ],
)
def test_one_figure_prints_in_every_form_a_template_may_choose(form: Form, printed: str) -> None:
    assert sentence(f"Có {phrase(23, 56, Phrase(form, noun=TCCSD))} đạt “Trong sạch, vững mạnh”") == (
        f"Có {printed} đạt “Trong sạch, vững mạnh”."
    )


def test_a_verb_and_places_are_part_of_the_form() -> None:
    spec = Phrase(Form.ABOVE, verb="đạt")
    assert f"Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên {phrase(9532, 10000, spec)}." == (
        "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên đạt trên 95%."
    )
    assert phrase(9532, 10000, Phrase(Form.SHARE, places=1, verb="đạt")) == "đạt 95,3%"
    assert phrase(9532, 10000, Phrase(Form.ABOVE, places=1)) == "trên 95,3%"


def test_zero_all_and_exact_round_figures_say_no_more_than_the_value() -> None:
    assert phrase(0, 56, Phrase(Form.ABOVE, noun=TCCSD)) == "0% tổ chức cơ sở đảng"
    assert phrase(56, 56, Phrase(Form.ABOVE, noun=TCCSD)) == "100% tổ chức cơ sở đảng"
    assert phrase(56, 56, Phrase(Form.NEAR)) == "100%"
    assert phrase(95, 100, Phrase(Form.ABOVE)) == "95%"  # exactly 95%: not "trên 95%"
    assert phrase(0, 0, Phrase(Form.SHARE)) == "0,00%"
    # not all is never printed as all, not none never as none
    assert share_text(F(9999, 10000), 1) == "99,9%" and share_text(F(1, 100000)) == "0,01%"
    assert share_text(F(1, 1)) == "100,00%" and share_text(F(0)) == "0,00%"


@given(st.integers(min_value=1, max_value=100_000).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d))))
def test_trên_x_percent_is_true_of_the_value_and_x_is_the_largest_such_round_figure(pd: tuple[int, int]) -> None:
    part, whole = pd
    v = F(part, whole)
    text = above_text(v)
    m = re.fullmatch(r"(trên )?(\d+)%", text)
    assert m, text
    x = F(int(m[2]), 100)
    if m[1]:
        assert v > x and v < x + F(1, 100)
    else:
        assert v == x


@given(st.integers(min_value=1, max_value=100_000).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d))))
def test_gần_x_percent_is_true_of_the_value(pd: tuple[int, int]) -> None:
    v = F(*pd)
    m = re.fullmatch(r"(gần )?(\d+)%", near_text(v))
    assert m
    x = F(int(m[2]), 100)
    assert (x - F(1, 100) < v < x) if m[1] else v == x


@given(st.integers(min_value=1, max_value=100_000).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d))))
def test_a_share_is_rounded_half_up_to_two_places_and_keeps_its_ends(pd: tuple[int, int]) -> None:
    part, whole = pd
    text = share_text(F(part, whole))
    whole_pct, frac = text.removesuffix("%").replace(".", "").split(",")
    printed = F(int(whole_pct) * 100 + int(frac), 10000)
    ends = printed in (F(1, 10000), F(9999, 10000))  # kept off 0% and 100%: within one step, not half
    assert abs(printed - F(part, whole)) <= (F(1, 10000) if ends else F(1, 20000))
    assert (printed == 1) == (part == whole) and (printed == 0) == (part == 0)


def test_all_or_share_says_đều_only_when_every_one_did() -> None:
    pred = "kết nạp được đảng viên"
    assert sentence(all_or_share(56, 56, TCCSD, pred)) == "100% tổ chức cơ sở đảng đều kết nạp được đảng viên."
    assert sentence(all_or_share(50, 56, TCCSD, pred)) == "50/56 tổ chức cơ sở đảng (89,29%) kết nạp được đảng viên."
    assert all_or_share(0, 0, TCCSD, pred) == ""


def test_rated_of_the_total_and_shares_inside_a_subset() -> None:
    assert sentence(rated_of(54, 56, TCCSD)) == "54/56 tổ chức cơ sở đảng được đánh giá, xếp loại."
    exemplary = phrase(6, 27, Phrase(Form.COUNT_SHARE, noun="tổ chức tiêu biểu"))
    assert f"27/54 tổ chức cơ sở đảng đạt “Trong sạch, vững mạnh”, trong đó có {exemplary}" == (
        "27/54 tổ chức cơ sở đảng đạt “Trong sạch, vững mạnh”, trong đó có 6 tổ chức tiêu biểu (22,22%)"
    )
    assert sentence(
        share_of(5, 27, part_noun="số hoàn thành xuất sắc nhiệm vụ", base_noun="số hoàn thành tốt nhiệm vụ")
    ) == ("Số hoàn thành xuất sắc nhiệm vụ bằng 18,52% số hoàn thành tốt nhiệm vụ.")
    assert share_of(5, 0, part_noun="a", base_noun="b") == ""


def test_changes_in_count_points_and_by_kind() -> None:
    assert change_share(F(41, 100), F(3775, 10000), than="năm 2015") == "tăng 3,3 điểm phần trăm so với năm 2015"
    assert change_points(F(41, 100), F(3775, 10000), than="năm 2015", places=2) == (
        "tăng 3,25 điểm phần trăm so với năm 2015"
    )
    assert change_points(F(1, 2), F(1, 2), than="năm 2015") == "bằng năm 2015"
    assert change_points(F(50001, 100000), F(1, 2), than="năm 2015") == "bằng năm 2015"  # 0,001 points: nothing
    assert change_share(F(1, 2), None, than="năm 2015") == ""
    nouns = {"grassroots_committee": "đảng bộ cơ sở", "grassroots_branch": "chi bộ cơ sở", "branch": "chi bộ"}
    text = counts_by_kind(
        {"grassroots_committee": 12, "grassroots_branch": 44},
        {"grassroots_committee": 11, "grassroots_branch": 44},
        nouns,
        than="năm 2015",
    )
    assert sentence(f"Cuối năm có {text}") == (
        "Cuối năm có 12 đảng bộ cơ sở (tăng 1 so với năm 2015) và 44 chi bộ cơ sở (bằng năm 2015)."
    )
    assert counts_by_kind({"branch": 3}, None, nouns, than="năm 2015") == "3 chi bộ"


def test_plans_and_targets_are_phrased_as_decided() -> None:
    assert sentence(f"Kết nạp 209 đảng viên mới ({achieved(209, 180)})") == (
        "Kết nạp 209 đảng viên mới (đạt 116% kế hoạch)."
    )  # F8
    assert achieved(6, 5, of="chỉ tiêu") == "đạt 120% chỉ tiêu"  # F7
    assert achieved(150, 180, status=Status.MISSED) == "chưa đạt kế hoạch (đạt 83%)"
    assert achieved(1, 0) == ""
    assert verdict(Status.EXCEEDED, of="chỉ tiêu Nghị quyết Đại hội đề ra") == "vượt chỉ tiêu Nghị quyết Đại hội đề ra"
    assert verdict("missed") == "chưa đạt chỉ tiêu"
    assert sentence(
        f"Kết nạp đảng viên mới {bound_text('>=', F(3, 100), '%', relative_to='số đảng viên đầu năm')}"
    ) == ("Kết nạp đảng viên mới từ 3% trở lên so với số đảng viên đầu năm.")
    assert bound_text(">=", F(955, 1000), "%") == "từ 95,5% trở lên"
    assert bound_text("<=", F(2, 100), "%") == "không quá 2%"
    assert bound_text(">=", 180, "") == "từ 180 trở lên"


def test_a_share_rising_every_year_and_the_weak_level_gone() -> None:
    tsvm = [(2014, F(12, 20)), (2015, F(14, 20)), (2016, F(15, 20)), (2017, F(16, 20)), (2018, F(17, 20))]
    assert trend_of(tsvm) == Trend.RISING_EVERY_YEAR
    assert sentence(trend_sentence(tsvm, what="tỷ lệ chi bộ đạt “Trong sạch, vững mạnh”")) == (
        "Tỷ lệ chi bộ đạt “Trong sạch, vững mạnh” hằng năm tăng, từ 60,00% năm 2014 lên 85,00% năm 2018."
    )
    weak = [(2014, 3), (2015, 2), (2016, 2), (2017, 1), (2018, 0)]
    assert trend_of(weak) == Trend.FALLING
    assert sentence(trend_sentence(weak, what="số chi bộ yếu kém")) == (
        "Số chi bộ yếu kém giảm từ 3 năm 2014 xuống 0 năm 2018."
    )
    assert sentence(none_left(weak, "chi bộ yếu kém")) == "Đến năm 2018 không còn chi bộ yếu kém."


def test_trends_with_one_year_missing_years_equal_years_and_never_any() -> None:
    assert trend_sentence([(2018, F(1, 2))], what="tỷ lệ") == ""
    assert trend_sentence([(2016, None), (2018, F(1, 2))], what="tỷ lệ") == ""
    gap = [(2014, 1), (2015, None), (2016, 3)]
    assert trend_of(gap) == Trend.RISING  # a missing year is not assumed: no "hằng năm"
    assert trend_sentence(gap, what="số tổ chức") == "số tổ chức tăng từ 1 năm 2014 lên 3 năm 2016"
    assert trend_sentence([(2014, 5), (2015, 5), (2016, 5)], what="số tổ chức") == (
        "số tổ chức giữ ổn định ở mức 5 (2014 – 2016)"
    )
    assert (
        trend_sentence([(2014, 5), (2015, 7), (2016, 5)], what="số tổ chức") == "số tổ chức năm 2016 bằng năm 2014 (5)"
    )
    assert (
        trend_sentence([(2014, 5), (2015, 4), (2016, 3)], what="số")
        == "số hằng năm giảm, từ 5 năm 2014 xuống 3 năm 2016"
    )
    assert none_left([(2014, 0), (2015, 0)], "chi bộ yếu kém") == ""  # none to begin with: nothing changed
    assert none_left([(2014, 2), (2015, 1)], "chi bộ yếu kém") == ""


def test_an_average_over_years_names_the_years_it_covers() -> None:
    rows = [(2023, 950, 1000), (2024, 9564, 10000)]
    assert sentence(average_sentence(rows, what="tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên")) == (
        "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên bình quân 2 năm (2023 – 2024) đạt 95,32%."
    )
    assert average_sentence([(2023, 0, 0), (2024, 1, 2)], what="tỷ lệ") == "tỷ lệ năm 2024 đạt 50,00%"
    assert (
        average_sentence([(2022, 1, 2), (2024, 1, 4)], what="tỷ lệ") == "tỷ lệ bình quân 2 năm (2022, 2024) đạt 37,50%"
    )
    assert average_sentence([], what="tỷ lệ") == ""


def test_units_are_ranked_by_count_then_in_vietnamese_name_order() -> None:
    ranked = rank_units([("Chi bộ Thôn 10", 4), ("Chi bộ Đông", 6), ("Chi bộ Thôn 2", 4), ("Chi bộ An", 0)])
    assert [(r.place, r.name) for r in ranked] == [
        (1, "Chi bộ Đông"),
        (2, "Chi bộ Thôn 2"),
        (2, "Chi bộ Thôn 10"),
        (4, "Chi bộ An"),
    ]
    assert sentence("Dẫn đầu là " + ranking_sentence(ranked, top=3, unit="đảng viên")) == (
        "Dẫn đầu là Chi bộ Đông (6 đảng viên), Chi bộ Thôn 2 (4 đảng viên) và Chi bộ Thôn 10 (4 đảng viên)."
    )
    # a tie across the cut is left out whole: naming one of the two would pick at random
    assert ranking_sentence(ranked, top=2) == "Chi bộ Đông (6)"
    assert ranking_sentence(rank_units([("A", 1), ("B", 1), ("C", 1)]), top=2) == ""
    assert ranking_sentence(rank_units([("A", 0)])) == ""
    assert [r.place for r in ranked] == sorted(r.place for r in ranked)
    assert all(a.count >= b.count for a, b in pairwise(ranked))


def test_a_phrasebook_chooses_the_form_per_figure_and_a_setting_overrides_it() -> None:
    book = Phrasebook({"review.*.members.good_or_better": Phrase(Form.ABOVE)})
    assert book.for_code("review.2016.members.good_or_better").form == Form.ABOVE
    assert book.for_code("review.2016.grassroots.top").form == Form.SHARE
    mine = book.overridden({"review.*.members.good_or_better": Phrase(Form.SHARE)})
    assert phrase(7132, 10000, mine.for_code("review.2016.members.good_or_better")) == "71,32%"
    assert phrase(7132, 10000, book.for_code("review.2016.members.good_or_better")) == "trên 71%"


def test_badges_by_milestone_and_occasion_with_posthumous_awards_apart() -> None:
    rows = [
        Awarded(30, D(2024, 2, 3), unit="Chi bộ Thôn 2"),
        Awarded(30, D(2024, 2, 3), unit="Chi bộ Thôn 2"),
        Awarded(85, D(2024, 9, 2), unit="Chi bộ Thôn 10"),
        Awarded(80, D(2024, 8, 15), unit="Chi bộ Thôn 10"),
        Awarded(45, D(2024, 11, 7), unit="Chi bộ An Bình"),
        Awarded(60, D(2024, 5, 19), posthumous=True, unit="Chi bộ Thôn 2"),
    ]
    assert sentence("; ".join(badges_sentences(rows))) == (
        "Trao tặng 5 Huy hiệu Đảng (2 Huy hiệu 80 năm tuổi Đảng trở lên, 1 Huy hiệu 45 năm tuổi Đảng và 2 Huy hiệu "
        "30 năm tuổi Đảng); trao vào dịp 3/2 (2 huy hiệu), ngày 15/8/2024 (1 huy hiệu), dịp 2/9 (1 huy hiệu) và dịp "
        "7/11 (1 huy hiệu); truy tặng 1 Huy hiệu Đảng; nhiều nhất là Chi bộ Thôn 2 (3 huy hiệu), Chi bộ Thôn 10 "
        "(2 huy hiệu) và Chi bộ An Bình (1 huy hiệu)."
    )
    assert badges_sentences([]) == []


def test_review_clauses_each_level_the_exemplary_within_the_top_and_the_top_against_the_good() -> None:
    g = GroupStats(rated=54, levels={"excellent": 10, "good": 38, "satisfactory": 5, "failed": 1}, exemplary=2)
    g.not_rated = {"established_recently": 1}
    g.pending = 1
    assert sentence("Xếp loại " + levels_clause(g, "tổ chức cơ sở đảng", old_scheme=False)) == (
        "Xếp loại tổ chức cơ sở đảng: 10 hoàn thành xuất sắc nhiệm vụ (18,52%, trong đó 2 tiêu biểu, bằng 20,00%), "
        "38 hoàn thành tốt nhiệm vụ (70,37%), 5 hoàn thành nhiệm vụ (9,26%) và 1 không hoàn thành nhiệm vụ (1,85%)."
    )
    assert sentence(top_of_good_clause(g, "tổ chức cơ sở đảng")) == (
        "Số tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ bằng 26,32% số hoàn thành tốt nhiệm vụ."
    )
    # one unit too new, its 'not rated' recorded; one still waiting: 54 of the 56 to rate
    assert sentence(rated_clause(g, "tổ chức cơ sở đảng")) == (
        "54/56 tổ chức cơ sở đảng được đánh giá, xếp loại (1 mới thành lập, chưa đủ thời gian xếp loại, 1 chưa có "
        "kết quả)."
    )
    assert g.with_result == 54 and g.in_scope == 55  # the too-new unit is not waited for
    # the review statistics count too-new units with no decision recorded as well (recorded ones also in not_rated)
    g.too_new = 2  # type: ignore[attr-defined]
    assert rated_clause(g, "chi bộ", said=False) == (
        "54/57 chi bộ (2 mới thành lập, chưa đủ thời gian xếp loại, 1 chưa có kết quả)"
    )
    g.not_rated["suspended"] = 1
    assert rated_clause(g, "tổ chức đảng") == (
        "54/58 tổ chức đảng được đánh giá, xếp loại (1 không xếp loại, 2 mới thành lập, chưa đủ thời gian xếp loại, "
        "1 chưa có kết quả)"
    )
    assert levels_clause(GroupStats(), "đảng viên", old_scheme=False) == ""
    assert top_of_good_clause(GroupStats(rated=3, levels={"good": 3}), "đảng viên") == ""


def test_a_phrasebook_carries_the_decimals_of_a_change_in_points() -> None:
    two = Phrasebook(point_places=2)
    assert change_points(F(41, 100), F(3775, 10000), than="năm 2015", places=two.point_places) == (
        "tăng 3,25 điểm phần trăm so với năm 2015"
    )
    assert two.overridden({"x": Phrase(Form.COUNT)}).point_places == 2
