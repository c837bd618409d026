"""The demo's reviews: every year rated through the services, figures in the seeds' form."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dangvu.assessment.explain import explain_member
from dangvu.assessment.models import AssessmentCycle, Result
from dangvu.assessment.stats import stats_json
from dangvu.orgs.models import Organization
from dangvu.synth.district import generate

pytestmark = pytest.mark.django_db


def test_the_demo_district_is_rated_every_year_and_prints_seed_sentences() -> None:
    s = generate(profile="district", seed=5, members=500, today=dt.date(2026, 11, 22), rate_from=2016)
    district = Organization.objects.get(code=s.district_codes[0])
    assert set(AssessmentCycle.objects.filter(committee=district).values_list("year", flat=True)) == set(
        range(2016, 2025)
    )
    assert AssessmentCycle.objects.filter(year=2025, committee__versions__kind="commune").exists()
    assert not AssessmentCycle.objects.exclude(status="closed").exists()
    data = stats_json(district, 2016)
    text = " | ".join(data["sentences"])
    assert re.search(r"có \d+,\d\d% tổ chức cơ sở đảng đạt 'Trong sạch, vững mạnh'", text)
    assert re.search(r"\d+/\d+ chi bộ trực thuộc đạt 'Trong sạch, vững mạnh'", text)
    assert re.search(r"(trên )?\d+% đảng viên hoàn thành xuất sắc nhiệm vụ và hoàn thành tốt nhiệm vụ", text)
    assert 40 <= data["grassroots"]["rated"] <= 60 and data["members"]["rated"] > 300
    new = stats_json(district, 2020)
    assert "excellent" in new["grassroots"]["levels"] and "clean_strong" not in new["grassroots"]["levels"]
    # Every decision can be explained to its clause.
    res = Result.objects.filter(year=2020, member__isnull=False).exclude(level="").first()
    assert res is not None
    text = "\n".join(explain_member(res.member, 2020))  # type: ignore[arg-type]
    assert "Quy định 132-QĐ/TW" in text and "Kết quả:" in text
