"""The seed reports' review figures, computed from raw records (tests/fixtures/seed00*/).

Units and members go in through the services, the yearly decisions through the ratings import
('Xếp loại' sheet), and the figures come out of `dangvu assess stats` and the streak query.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from fixtures.seed_records import load

from dangvu.assessment.stats import member_streaks
from dangvu.orgs.models import Organization

pytestmark = pytest.mark.django_db


def stats(code: str, year: int) -> dict:  # type: ignore[type-arg]
    out = StringIO()
    call_command("assess", "stats", "--root", code, "--year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def test_seed000_quan_1_2016() -> None:
    load("seed000")
    call_command("assess", "close", "--root", "Q1", "--year", "2016", stdout=StringIO())
    data = stats("Q1", 2016)
    # F1: 23/56 is the smallest fraction that prints 41,07%; the grassroots branch set up in 09/2016 is not rated.
    assert data["grassroots"]["top"] == {"count": 23, "of": 56}
    assert data["grassroots"]["not_rated_by_reason"] == {"established_recently": 1}
    assert "có 41,07% tổ chức cơ sở đảng đạt 'Trong sạch, vững mạnh'" in data["sentences"]
    # F2: branches under grassroots committees, counted apart.
    assert "78/333 chi bộ trực thuộc đạt 'Trong sạch, vững mạnh'" in data["sentences"]
    # F3: HTXS + HTT together, "trên X%" with X rounded down.
    assert data["members"]["top_two"] == {"count": 893, "of": 1246}
    assert "trên 71% đảng viên hoàn thành xuất sắc nhiệm vụ và hoàn thành tốt nhiệm vụ" in data["sentences"]
    # F4: exemplary organizations (grassroots and branches).
    assert "3 tập thể đạt 'Trong sạch, vững mạnh' tiêu biểu năm 2016" in data["sentences"]
    # F5: members at the top level in each of 2012–2016.
    assert len(member_streaks(Organization.objects.get(code="Q1"), 2016, 5)) == 12
    out = StringIO()
    call_command("assess", "streaks", "--root", "Q1", "--year", "2016", "--years", "5", stdout=out)
    assert out.getvalue().splitlines()[0] == "12 cá nhân 'Hoàn thành xuất sắc nhiệm vụ' 5 năm liền (2012 – 2016)"


def test_seed001_hoang_mai_2016() -> None:
    load("seed001")
    data = stats("HM", 2016)
    # F9: the exemplary count sits inside the TSVM count.
    assert data["grassroots"]["exemplary_of_top"] == {"count": 6, "of": 27}
    assert (
        "27/54 tổ chức cơ sở đảng được xếp loại 'Trong sạch, vững mạnh', trong đó có 6 tổ chức cơ sở đảng "
        "'Trong sạch, vững mạnh' tiêu biểu"
    ) in data["sentences"]
