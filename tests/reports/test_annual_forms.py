"""The annual and review reports in the party's wording, from raw records (organizations through orgs.services,
members through members.services, ratings through the exchange-format import, badges through work.services):
trends over years, the weak level gone, no comparison with a year that had too few results, admissions as a share
of the members at the start, '100% … đều kết nạp', badges by milestone and occasion, no sentence twice."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from fixtures.seed_records import admit

from dangvu.assessment.exchange import import_ratings
from dangvu.audit.services import Actor
from dangvu.domain.orgtree import OrgKind, Sector
from dangvu.domain.reports.model import Report
from dangvu.domain.reports.periods import Period
from dangvu.members.models import Member
from dangvu.members.services import Admission, member_create
from dangvu.orgs.models import Organization
from dangvu.orgs.services import org_establish
from dangvu.reports.builders import build
from dangvu.reports.builders.annual import than_text
from dangvu.targets.models import Target
from dangvu.work.services import badge_award

pytestmark = pytest.mark.django_db
A = Actor("ban_to_chuc")
D = dt.date
ISSUED = D(2026, 11, 22)
HEADER = ["Năm", "Mã cấp ủy quyết định", "Loại đối tượng", "Mã đối tượng", "Bước", "Mức", "Tiêu biểu"]


def tree(n_branches: int = 10) -> tuple[Organization, Organization, list[Organization]]:
    """A district (ĐB) with one grassroots committee (ĐB.G, đảng bộ cơ sở) holding n branches (chi bộ trực thuộc)."""
    city = org_establish(
        code="TP",
        name="Đảng bộ tỉnh Nam Hà",
        kind=OrgKind.PROVINCE,
        sector=Sector.OTHER,
        parent=None,
        on=D(1960, 1, 1),
        actor=A,
    )
    dist = org_establish(
        code="DB",
        name="Đảng bộ huyện Bình Lục",
        kind=OrgKind.DISTRICT,
        sector=Sector.OTHER,
        parent=city,
        on=D(1970, 1, 1),
        actor=A,
    )
    g = org_establish(
        code="DBG",
        name="Đảng bộ xã An Nội",
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        sector=Sector.RESIDENTIAL,
        parent=dist,
        on=D(1970, 1, 1),
        actor=A,
    )
    branches = [
        org_establish(
            code=f"DBG{i:02d}",
            name=f"Chi bộ Thôn {i + 1}",
            kind=OrgKind.BRANCH,
            sector=Sector.RESIDENTIAL,
            parent=g,
            on=D(1970, 1, 1),
            actor=A,
        )
        for i in range(n_branches)
    ]
    return dist, g, branches


def rate(tmp_path: Path, rows: list[list[str]]) -> None:
    path = tmp_path / f"xep_loai_{len(list(tmp_path.iterdir()))}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    report = import_ratings(path, actor=A)
    assert report.errors == [], report.errors[:3]


def org_rows(year: int, org: Organization, levels: list[str], decided_by: str = "DB") -> list[list[str]]:
    return [
        [str(year), decided_by, "Tổ chức", f"{org.code}{i:02d}", "Quyết định", lv, ""] for i, lv in enumerate(levels)
    ]


def veteran(unit: Organization, admitted: dt.date, i: int) -> Member:
    return member_create(
        actor=A,
        full_name=f"Trần Văn {i}",
        gender="male",
        birth_date=D(1950, 1, 1),
        admission=Admission(org=unit, decided_on=admitted, ceremony_on=admitted + dt.timedelta(days=15)),
    )


def paragraphs(rep: Report) -> list[str]:
    return rep.sentences()


def one(rep: Report, pattern: str) -> str:
    """The one paragraph of the report matching the pattern (from its start)."""
    found = [p for p in paragraphs(rep) if re.match(pattern, p)]
    assert len(found) == 1, (pattern, found)
    return found[0]


def test_branches_rising_every_year_under_hd_27_and_the_weak_level_gone(tmp_path: Path) -> None:
    _, g, _ = tree(10)
    # 2013–2017 (HD 27-HD/BTCTW): TSVM 4, 5, 6, 7, 8 of 10 branches; weak 2, 2, 1, 1, 0.
    plan = {
        2013: ["TSVM"] * 4 + ["HTT"] * 4 + ["Yếu kém"] * 2,
        2014: ["TSVM"] * 5 + ["HTT"] * 3 + ["Yếu kém"] * 2,
        2015: ["TSVM"] * 6 + ["HTT"] * 3 + ["Yếu kém"] * 1,
        2016: ["TSVM"] * 7 + ["HTNV"] * 2 + ["Yếu kém"] * 1,
        2017: ["TSVM"] * 8 + ["HTT"] * 2,
    }
    for year, levels in plan.items():
        rate(tmp_path, [*org_rows(year, g, levels), [str(year), "DB", "Tổ chức", "DBG", "Quyết định", "HTT", ""]])
    rep = build(root="DB", kind="annual", period="2017", issued_on=ISSUED)
    assert (
        "Tỷ lệ chi bộ trực thuộc đạt “Trong sạch, vững mạnh” hằng năm tăng, từ 40,00% năm 2013 lên 80,00% năm 2017."
        in paragraphs(rep)
    )
    assert "Đến năm 2017 không còn chi bộ trực thuộc yếu kém." in paragraphs(rep)
    # Each level with its share; the review's coverage, as N/D.
    assert (
        "Xếp loại chi bộ trực thuộc: 8 “Trong sạch, vững mạnh” (80,00%) và 2 hoàn thành tốt nhiệm vụ (20,00%)."
        in paragraphs(rep)
    )
    assert (
        one(rep, r"1/1 tổ chức cơ sở đảng")
        == "1/1 tổ chức cơ sở đảng và 10/10 chi bộ trực thuộc được đánh giá, xếp loại."
    )
    # The comparison with 2016 covers all its units and says so.
    assert one(rep, r"Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên") == (
        "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên bằng năm 2016 và tỷ lệ chi bộ trực thuộc hoàn thành "
        "tốt nhiệm vụ trở lên tăng 30,0 điểm phần trăm so với năm 2016 (năm 2016 có 11/11 tổ chức đảng có kết quả "
        "đánh giá, xếp loại)."
    )
    # Nothing short of target and no weak unit left: no invented shortcoming.
    assert not any("chưa đồng đều" in p or "Chưa ghi nhận" in p for p in paragraphs(rep))
    assert len(paragraphs(rep)) == len(set(paragraphs(rep)))


def test_no_comparison_with_a_year_when_only_a_tenth_of_the_units_had_results(tmp_path: Path) -> None:
    _, g, _ = tree(9)
    rate(tmp_path, org_rows(2016, g, ["TSVM"]))  # 1 of 10 units in 2016
    rate(
        tmp_path,
        [*org_rows(2017, g, ["TSVM"] * 5 + ["HTT"] * 4), ["2017", "DB", "Tổ chức", "DBG", "Quyết định", "TSVM", ""]],
    )
    for kind in ("annual", "review"):
        rep = build(root="DB", kind=kind, period="2017", issued_on=ISSUED)
        text = " ".join(paragraphs(rep))
        assert (
            "Năm 2016 mới có 1/10 tổ chức đảng có kết quả đánh giá, xếp loại nên không so sánh với năm 2016."
            in paragraphs(rep)
        ), kind
        assert "điểm phần trăm so với năm 2016" not in text, kind
        assert rep.figure("review.2017.branches.good_or_better").change == ""


def test_admissions_against_the_members_at_the_start_and_every_grassroots_admitting(tmp_path: Path) -> None:
    dist, _, [b1] = tree(1)
    g2 = org_establish(
        code="DBH",
        name="Chi bộ Trường Tiểu học Bình Lục",
        kind=OrgKind.GRASSROOTS_BRANCH,
        sector=Sector.OTHER,
        parent=dist,
        on=D(1970, 1, 1),
        actor=A,
    )
    old = [veteran(b1, D(1985, 1, 10), i) for i in range(3)] + [veteran(g2, D(1975, 3, 1), 10)]
    admit(g2, D(2015, 6, 1), 46, start=100)  # 50 members at the start of 2016
    admit(b1, D(2016, 4, 2), 2, start=200)
    rep = build(root="DB", kind="annual", period="2016", issued_on=ISSUED)
    assert "Số đảng viên kết nạp (2) bằng 4,00% số đảng viên đầu năm (50)." in paragraphs(rep)
    # The resolution's target written as a share of the members at the start of the year.
    Target.objects.create(
        organization=dist,
        indicator="admissions.share_of_start",
        op=">=",
        value=Decimal("0.05"),
        first_year=2016,
        last_year=2020,
        title="Nghị quyết Đại hội Đảng bộ huyện lần thứ XX",
    )
    rep = build(root="DB", kind="annual", period="2016", issued_on=ISSUED)
    assert (
        "Số đảng viên kết nạp (2) bằng 4,00% số đảng viên đầu năm (50), chưa đạt chỉ tiêu từ 5% trở lên so với số "
        "đảng viên đầu năm (Nghị quyết Đại hội Đảng bộ huyện lần thứ XX)." in paragraphs(rep)
    )
    assert "1/2 tổ chức cơ sở đảng (50,00%) kết nạp được đảng viên." in paragraphs(rep)
    assert one(rep, r"Cuối năm, ") == (
        "Cuối năm, Đảng bộ huyện Bình Lục có 1 đảng bộ cơ sở (bằng đầu năm), 1 chi bộ cơ sở (bằng đầu năm) và 1 chi bộ "
        "trực thuộc (bằng đầu năm) với 52 đảng viên (0 đảng viên chính thức); đầu năm có 50 đảng viên."
    )  # no recognition recorded: all still probationary, as the records say
    admit(g2, D(2016, 9, 2), 1, start=300)
    # Badges: from the records, on the days they were presented.
    badge_award(member=old[0], milestone=30, awarded_on=D(2016, 2, 3), actor=A)
    badge_award(member=old[1], milestone=30, awarded_on=D(2016, 2, 3), actor=A)
    badge_award(member=old[3], milestone=40, awarded_on=D(2016, 5, 19), actor=A)
    rep = build(root="DB", kind="annual", period="2016", issued_on=ISSUED)
    assert "100% tổ chức cơ sở đảng đều kết nạp được đảng viên." in paragraphs(rep)
    assert one(rep, r"Trao tặng") == (
        "Trao tặng 3 Huy hiệu Đảng (1 Huy hiệu 40 năm tuổi Đảng và 2 Huy hiệu 30 năm tuổi Đảng); trao vào dịp 3/2 "
        "(2 huy hiệu) và dịp 19/5 (1 huy hiệu); nhiều nhất là Chi bộ Thôn 1 (2 huy hiệu) và Chi bộ Trường Tiểu học "
        "Bình Lục (1 huy hiệu)."
    )


def test_a_period_that_is_not_a_calendar_year_is_named_by_its_dates(tmp_path: Path) -> None:
    _, g, branches = tree(2)
    rate(tmp_path, [*org_rows(2016, g, ["TSVM", "HTT"]), ["2016", "DB", "Tổ chức", "DBG", "Quyết định", "TSVM", ""]])
    admit(branches[0], D(2017, 2, 1), 1)
    rep = build(root="DB", kind="annual", period="1/1/2016..31/3/2017", issued_on=ISSUED)
    assert one(rep, "Trong kỳ, ").startswith("Trong kỳ, kết nạp 1 đảng viên mới")
    # The review in the period is 2016's (2017's is held in its December), and 2015 had none to compare with.
    assert one(rep, "Qua kiểm điểm").startswith(
        "Qua kiểm điểm, đánh giá, xếp loại chất lượng năm 2016, kết quả có 1/1 tổ chức cơ sở đảng (100,00%) đạt "
        "“Trong sạch, vững mạnh”;"
    )
    assert "Năm 2015 chưa có kết quả đánh giá, xếp loại trong hồ sơ nên không so sánh với năm 2015." in paragraphs(rep)
    assert rep.title == "Tổng kết công tác xây dựng Đảng từ ngày 1/1/2016 đến ngày 31/3/2017"
    assert rep.intro.startswith("Huyện ủy Bình Lục báo cáo kết quả công tác xây dựng Đảng từ ngày 1/1/2016 đến ngày")
    assert not any("so với năm 2016" in p for p in paragraphs(rep))  # 15 months are not compared with a year
    assert than_text(Period(D(2014, 10, 1), D(2015, 12, 31), "")) == "kỳ trước (từ ngày 1/10/2014 đến ngày 31/12/2015)"
    assert than_text(Period(D(2015, 1, 1), D(2015, 12, 31), "2015")) == "năm 2015"
    assert one(rep, r"Cuối kỳ, ").endswith("với 1 đảng viên (0 đảng viên chính thức); đầu kỳ có 0 đảng viên.")


def test_the_report_command_speaks_vietnamese(tmp_path: Path) -> None:
    tree(2)
    err = StringIO()
    call_command(
        "report",
        "--root",
        "DB",
        "--kind",
        "annual",
        "--period",
        "2016",
        "--out",
        str(tmp_path),
        "--format",
        "xlsx",
        stdout=StringIO(),
        stderr=err,
    )
    lines = [ln.strip() for ln in err.getvalue().splitlines() if ln.strip()]
    *progress, last = lines
    assert progress and all(re.match(r"\d+% [A-ZĐ]", ln) for ln in progress)
    assert re.fullmatch(r"Bản dự thảo số \d+ \(chưa có số văn bản\); ban hành: dangvu report --issue \d+", last)
    assert "Tính các chỉ số công tác xây dựng Đảng" in err.getvalue()
    with pytest.raises(CommandError, match="Không có tổ chức đảng mã 'XX'"):
        call_command("report", "--root", "XX", "--kind", "annual", "--period", "2016", "--out", str(tmp_path))


def test_the_new_scheme_by_kind_of_unit_with_the_top_level_against_the_good_level(tmp_path: Path) -> None:
    _, g, _ = tree(10)
    g2 = org_establish(
        code="DBK",
        name="Chi bộ Trường Tiểu học An Nội",
        kind=OrgKind.GRASSROOTS_BRANCH,
        sector=Sector.OTHER,
        parent=Organization.objects.get(code="DB"),
        on=D(1970, 1, 1),
        actor=A,
    )
    for year, branch_levels, own in (
        (2023, ["HTXS"] * 1 + ["HTT"] * 8 + ["HTNV"], ("HTT", "HTT")),
        (2024, ["HTXS"] * 2 + ["HTT"] * 8, ("HTXS", "HTT")),
    ):
        rate(
            tmp_path,
            [
                *org_rows(year, g, branch_levels),
                [str(year), "DB", "Tổ chức", "DBG", "Quyết định", own[0], ""],
                [str(year), "DB", "Tổ chức", g2.code, "Quyết định", own[1], ""],
            ],
        )
    rep = build(root="DB", kind="review", period="2024", issued_on=ISSUED)
    assert (
        "Theo loại tổ chức: 1/1 đảng bộ cơ sở (100,00%) đạt “Hoàn thành xuất sắc nhiệm vụ” (tăng 100,0 điểm phần trăm "
        "so với năm 2023); 0/1 chi bộ cơ sở (0,00%) đạt “Hoàn thành xuất sắc nhiệm vụ” (bằng năm 2023); 2/10 chi bộ "
        "trực thuộc (20,00%) đạt “Hoàn thành xuất sắc nhiệm vụ” (tăng 10,0 điểm phần trăm so với năm 2023)."
    ) in paragraphs(rep)
    assert (
        "Xếp loại chi bộ trực thuộc: 2 hoàn thành xuất sắc nhiệm vụ (20,00%) và 8 hoàn thành tốt nhiệm vụ (80,00%); "
        "số chi bộ trực thuộc hoàn thành xuất sắc nhiệm vụ bằng 25,00% số hoàn thành tốt nhiệm vụ."
    ) in paragraphs(rep)
    assert "2/2 tổ chức cơ sở đảng và 10/10 chi bộ trực thuộc được đánh giá, xếp loại." in paragraphs(rep)
    assert "Năm 2024 chưa" not in " ".join(paragraphs(rep))


def test_a_part_with_nothing_recorded_is_left_out_and_the_parts_numbered_on() -> None:
    from dangvu.domain.reports.model import Section
    from dangvu.reports.builders.common import drop_empty_parts

    rep = Report.__new__(Report)
    rep.sections = [
        Section("II. KẾT QUẢ ĐẠT ĐƯỢC"),
        Section("1. Công tác chính trị, tư tưởng", level=2),
        Section("2. Công tác tổ chức", level=2),
        Section("3. Công tác dân vận", level=2),
        Section("III. HẠN CHẾ", level=1),
    ]
    rep.sections[0].para("Kết quả thực hiện các chỉ tiêu: …")
    rep.sections[2].para("Trong năm, kết nạp 12 đảng viên mới.")
    rep.sections[3].para("Trong năm, …")
    assert drop_empty_parts(rep) == ["1. Công tác chính trị, tư tưởng"]
    assert [s.heading for s in rep.sections] == [
        "II. KẾT QUẢ ĐẠT ĐƯỢC",
        "1. Công tác tổ chức",
        "2. Công tác dân vận",
        "III. HẠN CHẾ",
    ]
