"""The seed reports' work figures (F7, F8, F10–F18) computed from raw records through the services.

Each record is written one by one, as a department enters them; the figures come out of
`dangvu indicators` and the review statistics.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from fixtures.seed_records import hoang_mai_2016_work, tay_ho_admissions_since_2010, tay_ho_review_2022

pytestmark = pytest.mark.django_db


def indicators(root: str, start: str, end: str, *only: str) -> dict[str, dict]:  # type: ignore[type-arg]
    out = StringIO()
    call_command(
        "indicators",
        "--root",
        root,
        "--from",
        start,
        "--to",
        end,
        "--format",
        "json",
        *(["--only", *only] if only else []),
        stdout=out,
    )
    return {row["code"]: row for row in json.loads(out.getvalue())["indicators"]}


def test_hoang_mai_2016_work_figures() -> None:
    hoang_mai_2016_work()

    got = indicators("HM", "1/1/2016", "31/12/2016")
    assert got["admissions"]["value"] == 209
    assert got["admissions"]["sentence"] == "kết nạp 209 đảng viên mới (đạt 116% kế hoạch)"
    assert got["new_organizations.private_enterprise"]["value"] == 6
    assert got["new_organizations.private_enterprise"]["sentence"] == (
        "thành lập mới 6 tổ chức Đảng trong các DN ngoài khu vực Nhà nước (đạt 120% chỉ tiêu)"
    )
    assert got["cadre_moves"]["sentence"] == "điều động, luân chuyển, bổ nhiệm, bổ nhiệm lại 126 đồng chí"
    assert got["training"]["sentence"] == "mở 64 lớp bồi dưỡng với trên 10,6 nghìn lượt cán bộ tham dự"
    assert got["discipline.members"]["sentence"] == "thi hành kỷ luật 4 đảng viên vi phạm"
    assert got["commendations"]["sentence"] == (
        "khen thưởng 6 tổ chức cơ sở đảng đạt danh hiệu “Trong sạch vững mạnh tiêu biểu”, "
        "21 tổ chức cơ sở đảng đạt danh hiệu “Trong sạch vững mạnh”"
    )
    assert got["free"]["sentence"] == "tỷ lệ cử tri đi bầu đạt 99,35%"


def test_tay_ho_admissions_since_2010_across_the_2025_reform() -> None:
    tay_ho_admissions_since_2010()

    got = indicators(
        "TH", "1/1/2010", "22/11/2026", "admissions", "admissions.high_school_student", "admissions.pre_enlistment"
    )
    assert got["admissions"]["value"] == 1382  # F17, the 7 of F18 among them
    assert indicators("TH", "1/1/2010", "31/12/2022", "admissions")["admissions"]["value"] == 92 * 13
    f18 = indicators("TH", "1/1/2023", "30/6/2024", "admissions.high_school_student", "admissions.pre_enlistment")
    assert f18["admissions.high_school_student"]["sentence"] == "kết nạp 4 học sinh trung học phổ thông"
    assert f18["admissions.pre_enlistment"]["sentence"] == "kết nạp 3 công dân ưu tú chuẩn bị nhập ngũ"
    # The ward counts only what happened in its subtree at each date: the 5 admitted after the reform.
    assert indicators("TH-P1", "1/1/2010", "22/11/2026", "admissions")["admissions"]["value"] == 5


def test_tay_ho_review_shares_against_the_congress_targets() -> None:
    tay_ho_review_2022()
    got = indicators(
        "TX", "1/1/2022", "31/12/2022", "review.members_good_or_better", "review.grassroots_good_or_better"
    )
    f15 = got["review.members_good_or_better"]
    assert (f15["numerator"], f15["denominator"], f15["status"]) == (96, 100, "exceeded")
    assert f15["sentence"].startswith("tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên đạt 96,00% (vượt chỉ tiêu")
    f16 = got["review.grassroots_good_or_better"]
    assert (f16["numerator"], f16["denominator"], f16["status"]) == (9, 10, "met")


def test_one_pass_over_many_roots_gives_each_root_what_it_gets_alone() -> None:
    """compute_by_root answers for several roots (nested or not) in one query per indicator; each root's values
    are those it gets computed alone (the national benchmark relies on it: every province at once)."""
    import datetime as dt

    from dangvu.orgs.models import Organization
    from dangvu.targets.indicators import compute, compute_by_root

    tay_ho_admissions_since_2010()
    roots = list(Organization.objects.filter(code__in=["THTP", "TH", "TH-P1", "THG00", "THG03"]).order_by("code"))
    start, end = dt.date(2010, 1, 1), dt.date(2026, 11, 22)
    together = compute_by_root(roots, start, end)
    for r in roots:
        alone = compute(r, start, end)
        assert [v.as_json() for v in together[r.pk]] == [v.as_json() for v in alone], r.code
    by_code = {r.code: {v.code: v for v in together[r.pk]} for r in roots}
    # The city holds every admission; the district those before the reform; the ward the 5 after it.
    assert by_code["THTP"]["admissions"].value == 1382 + 5
    assert by_code["TH"]["admissions"].value == 1382
    assert by_code["TH-P1"]["admissions"].value == 5
    assert by_code["THTP"]["members.end"].value == 1382 + 5
    assert by_code["TH"]["members.end"].value == 0  # the district ended on 01/07/2025
    assert by_code["TH-P1"]["members.end"].value == 1382 + 5


def test_review_statistics_for_many_roots_match_each_root_alone() -> None:
    from dangvu.assessment.stats import review_stats, review_stats_by_root
    from dangvu.orgs.models import Organization

    tay_ho_review_2022()
    roots = list(Organization.objects.filter(code__in=["TXTP", "TX", "TXG00", "TXG09"]))
    together = review_stats_by_root([r.pk for r in roots], 2022)
    for r in roots:
        alone = review_stats(r, 2022)
        assert {k: g.as_json() for k, g in together[r.pk].items()} == {k: g.as_json() for k, g in alone.items()}
    tx = {r.code: together[r.pk] for r in roots}
    assert (tx["TX"]["members"].rated, tx["TX"]["grassroots"].rated) == (100, 10)
    assert (tx["TXG09"]["members"].rated, tx["TXG09"]["grassroots"].rated) == (10, 0)  # not counted under itself
    assert tx["TXTP"]["grassroots"].rated == 10


def test_a_yearly_target_over_several_years_is_met_year_by_year_and_a_term_target_by_the_total() -> None:
    """Tây Hồ admitted 92 a year in 2020–2022, 94 in 2023 (2 pupils among them), 92 in 2024 (5 of F18 among
    them). '≥ 92 a year' is met (each year at least 92, not every year above); '≥ 93 a year' is missed because of
    2020 although the five years total 462; '≥ 450 for the term' is exceeded by the total."""
    from decimal import Decimal

    from dangvu.orgs.models import Organization
    from dangvu.targets.models import Target

    tay_ho_admissions_since_2010()
    th = Organization.objects.get(code="TH")
    t = Target.objects.create(
        organization=th, indicator="admissions", op=">=", value=Decimal(92), per="year", first_year=2020, last_year=2025
    )
    got = indicators("TH", "1/1/2020", "31/12/2024", "admissions")["admissions"]
    assert got["value"] == 462
    assert {y: v["value"] for y, v in got["by_year"].items()} == {
        "2020": 92,
        "2021": 92,
        "2022": 92,
        "2023": 94,
        "2024": 92,
    }
    assert [v["status"] for v in got["by_year"].values()] == ["met", "met", "met", "exceeded", "met"]
    assert got["status"] == "met"
    assert "năm 2023: 94" in got["sentence"] and "mỗi năm" in got["sentence"]

    # A period from mid-2020: the half year is no year to hold against a yearly bound.
    got = indicators("TH", "1/7/2020", "31/12/2024", "admissions")["admissions"]
    assert list(got["by_year"]) == ["2021", "2022", "2023", "2024"]

    t.value = Decimal(93)
    t.save()
    got = indicators("TH", "1/1/2020", "31/12/2024", "admissions")["admissions"]
    assert got["status"] == "missed"
    assert got["sentence"].startswith("kết nạp 462 đảng viên mới (chưa đạt chỉ tiêu")

    t.per, t.value = "term", Decimal(450)
    t.save()
    got = indicators("TH", "1/1/2020", "31/12/2024", "admissions")["admissions"]
    assert (got["status"], got["by_year"]) == ("exceeded", {})
    # One year of a yearly target: that year's value decides.
    t.per, t.value = "year", Decimal(93)
    t.save()
    got = indicators("TH", "1/1/2023", "31/12/2023", "admissions")["admissions"]
    assert (got["value"], got["status"], got["by_year"]) == (94, "exceeded", {})


def test_the_command_lists_each_unit_under_the_root_from_the_same_pass() -> None:
    tay_ho_admissions_since_2010()
    out = StringIO()
    call_command(
        "indicators",
        "--root",
        "TH-P1",
        "--from",
        "1/1/2025",
        "--to",
        "31/12/2025",
        "--format",
        "json",
        "--only",
        "admissions",
        "members.end",
        "--by-unit",
        stdout=out,
    )
    got = json.loads(out.getvalue())
    assert got["indicators"][0]["value"] == 5
    units = {u["code"]: {i["code"]: i["value"] for i in u["indicators"]} for u in got["units"]}
    assert list(units) == ["THG00", "THG01", "THG02", "THG03"]  # "Chi bộ cơ sở 0 … 3", in Vietnamese order
    assert units["THG00"]["admissions"] == 5 and sum(u["admissions"] for u in units.values()) == 5
    assert sum(u["members.end"] for u in units.values()) == got["indicators"][1]["value"] == 1382 + 5

    text = StringIO()
    call_command("indicators", "--root", "TH-P1", "--from", "1/1/2025", "--to", "31/12/2025", "--by-unit", stdout=text)
    assert "  THG00 Chi bộ cơ sở 0\n    Kết nạp đảng viên mới: 5 đảng viên" in text.getvalue()


def test_a_year_not_yet_reviewed_has_no_share_to_hold_against_the_target() -> None:
    tay_ho_review_2022()
    got = indicators("TX", "1/1/2023", "30/6/2023", "review.members_good_or_better")["review.members_good_or_better"]
    assert (got["denominator"], got["status"]) == (0, None)
    assert got["sentence"] == "chưa có kết quả xếp loại đảng viên năm 2023"
    # Over 2022–2023 only the reviewed year counts toward the yearly target.
    got = indicators("TX", "1/1/2022", "30/6/2023", "review.members_good_or_better")["review.members_good_or_better"]
    assert (list(got["by_year"]), got["status"]) == (["2022"], "exceeded")
