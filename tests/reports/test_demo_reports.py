"""The demo district's reports for 2016 and 2024: sentences of the seeds' form, figures from the records; the
lists; every kind builds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fixtures.report_files import make, text

from dangvu.domain.reports.model import Report
from dangvu.orgs.models import Organization
from dangvu.reports.builders import build
from dangvu.synth.district import generate

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)


def says_nothing_twice(rep: Report) -> None:
    """No sentence twice in a report, no filler paragraph, no claim no record makes (issue 12, item 5)."""
    sentences = [s for p in rep.sentences() for s in re.split(r"(?<=[.;])\s+", p) if len(s) > 20]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert not repeated, (rep.kind, repeated)
    assert not any("Chưa ghi nhận" in p or "chưa đồng đều" in p for p in rep.sentences()), rep.kind


def test_the_demo_reports_for_2016_and_2024_read_like_the_seeds(tmp_path: Path) -> None:
    s = generate(profile="district", seed=5, members=500, today=TODAY, rate_from=2016, work=True)
    code = s.district_codes[0]
    name = Organization.objects.get(code=code).versions.order_by("valid_from").first().name  # type: ignore[union-attr]

    y2016 = text(make(tmp_path, code, "annual", "2016", "docx", issued_on=dt.date(2017, 1, 12))["docx"])
    # Seed 000: "Kết quả có 41,07% tổ chức cơ sở đảng đạt “Trong sạch, vững mạnh”, 78/333 chi bộ trực thuộc …"
    # The grassroots top level said once, with both seeds' figures: "có 23/56 tổ chức cơ sở đảng (41,07%) đạt …".
    assert re.search(r"có \d+/\d+ tổ chức cơ sở đảng \(\d+,\d\d%\) đạt “Trong sạch, vững mạnh”", y2016)
    assert not re.search(r"\d+/\d+ tổ chức cơ sở đảng được xếp loại “Trong sạch, vững mạnh”", y2016)
    assert re.search(r"\d+/\d+ chi bộ trực thuộc đạt “Trong sạch, vững mạnh”", y2016)
    assert re.search(r"(trên )?\d+% đảng viên hoàn thành xuất sắc nhiệm vụ và hoàn thành tốt nhiệm vụ", y2016)
    # Seed 001: "kết nạp 209 đảng viên mới".
    assert re.search(r"kết nạp \d+ đảng viên mới \(đạt \d+% kế hoạch\)", y2016)  # F8's form, against the plan
    assert f"{name} có " in y2016 and "NĂM 2016" in y2016

    y2024 = text(make(tmp_path, code, "annual", "2024", "docx", issued_on=dt.date(2025, 1, 12))["docx"])
    # After 2018 the top level is "Hoàn thành xuất sắc nhiệm vụ"; the district's own rating comes from above (F19).
    assert re.search(r"có \d+/\d+ tổ chức cơ sở đảng \(\d+,\d\d%\) đạt “Hoàn thành xuất sắc nhiệm vụ”", y2024)
    assert re.search(r"tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên đạt \d+,\d\d%", y2024)
    assert re.search(r"năm 2024 được Tỉnh ủy đánh giá, xếp loại (hoàn thành|“)", y2024)
    assert re.search(r"\d+ cá nhân “Hoàn thành xuất sắc nhiệm vụ” 5 năm liền \(2020 – 2024\)", y2024) or (
        "5 năm liền" not in y2024
    )

    # Seed 002: the programme (F20) and the yearly shares against the congress targets (F15, F16).
    term = " ".join(build(root=code, kind="term", period="2020-2025", issued_on=TODAY).sentences())
    assert "6 chương trình công tác toàn khóa, 5 nhiệm vụ trọng tâm, 2 khâu đột phá và 5 nhóm chỉ tiêu chủ yếu" in term
    assert re.search(
        r"Hàng năm, tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên đạt (trên )?\d+% (trở lên )?\((vượt|đạt|"
        r"chưa đạt) chỉ tiêu",
        term,
    )
    # Every kind builds from the same records; lists come with their tables.
    for kind, period in (
        ("review", "2024"),
        ("interim", "2020-2025"),
        ("term", "2020-2025"),
        ("thematic", "since:1/1/2016"),
    ):
        rep = build(root=code, kind=kind, period=period, issued_on=TODAY)
        assert rep.sections and rep.tables, kind
        says_nothing_twice(rep)
    for period in ("2016", "2024"):
        says_nothing_twice(build(root=code, kind="annual", period=period, issued_on=TODAY))
    assert re.search(
        r"Từ năm 2016 đến nay, toàn huyện đã kết nạp được [\d.]+ đảng viên",
        " ".join(build(root=code, kind="thematic", period="since:1/1/2016", issued_on=TODAY).sentences()),
    )
    for name_ in ("top-members", "exemplary-orgs", "not-rated", "badges"):
        rep = build(root=code, kind="list", period="2024", list_name=name_, years=3, issued_on=TODAY)
        [table] = rep.tables
        assert rep.figure("list.count").value == len(table.rows)
        says_nothing_twice(rep)
    not_rated = build(root=code, kind="list", period="2024", list_name="not-rated", issued_on=TODAY).tables[0]
    assert not_rated.rows and {r[4] for r in not_rated.rows} <= {
        "miễn công tác và sinh hoạt đảng",
        "đình chỉ sinh hoạt đảng",
        "mới kết nạp chưa đủ 6 tháng",
    }
