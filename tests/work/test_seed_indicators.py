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
