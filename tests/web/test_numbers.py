"""Numbers on pages print as the reports print them."""

from __future__ import annotations

from django.template import Context, Template


def test_counts_on_pages_have_dots_between_thousands() -> None:
    page = Template("{% load vn %}{{ n|so }} · {{ small|so }} · {{ none|so }}").render(
        Context({"n": 11800, "small": 42, "none": None})
    )
    assert page == "11.800 · 42 · "


def test_the_targets_fragment_prints_shares_as_percentages_and_no_share_without_a_denominator() -> None:
    from fractions import Fraction

    from django.template.loader import render_to_string

    from dangvu.targets.compare import Compared
    from dangvu.targets.indicators import Value

    share = Value("review.members_good_or_better", "Tỷ lệ đảng viên HTT trở lên", "%", Fraction(10274, 11273))
    share.numerator, share.denominator = 10274, 11273
    empty = Value("review.grassroots_good_or_better", "Tỷ lệ TCCSĐ HTT trở lên", "%", Fraction(0), denominator=0)
    count = Value("admissions", "Kết nạp đảng viên mới", "đảng viên", 1382)
    page = render_to_string(
        "web/_targets.html", {"rows": [(Compared(share), ""), (Compared(empty), ""), (Compared(count), "")]}
    )
    assert ">91,14%<" in page and "10274/11273" not in page
    assert ">—<" in page
    assert ">1.382 đảng viên<" in page


def test_the_dashboards_bars_print_counts_with_dots() -> None:
    from django.template.loader import render_to_string

    page = render_to_string(
        "web/_bars.html", {"items": [{"label": "Hoàn thành tốt nhiệm vụ", "value": 9315, "share": 0.8}]}
    )
    assert ">9.315<" in page
