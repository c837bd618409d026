"""Term, interim and annual reports against a congress term's targets and plans, and periods that are not calendar
years (issue 12, items 2 and 7). Every fixture is raw records written through the services: a grassroots
committee (Đảng bộ xã Thanh Sơn, conftest `district`) whose term runs from its congress on 15/6/2015 to the next
on 20/7/2020, admissions month by month, a term target and plans of only some years."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from dangvu.audit.services import Actor
from dangvu.reports.builders import build
from dangvu.targets.compare import compare
from dangvu.targets.programmes import programme_create
from dangvu.targets.services import plan_set, target_set
from dangvu.targets.terms import term_on

D = dt.date
# Admissions in the ward's branches: (decided on, how many). 15/6/2015 and 20/7/2020 are the congresses.
ADMISSIONS = [
    (D(2015, 3, 10), 3),  # the previous term
    (D(2015, 9, 1), 6),
    (D(2016, 5, 5), 12),
    (D(2017, 3, 10), 5),
    (D(2017, 9, 10), 5),
    (D(2018, 4, 2), 14),
    (D(2019, 4, 2), 12),
    (D(2020, 3, 3), 7),
    (D(2020, 9, 9), 4),  # the next term
]


@pytest.fixture
def ward(district: Any, make_member: Any, actor: Actor) -> Any:
    w = district.ward
    for on, n in ADMISSIONS:
        for i in range(n):
            make_member(district.b1 if i % 2 else district.b2, on)
    old = programme_create(
        organization=w,
        term="2010–2015",
        first_year=2010,
        last_year=2015,
        title="Nghị quyết Đại hội Đảng bộ xã lần thứ XX",
        items={"programme": ["Chương trình 1", "Chương trình 2", "Chương trình 3"]},
        congress_on=D(2010, 6, 10),
        next_congress_on=D(2015, 6, 15),
        actor=actor,
    )
    new = programme_create(
        organization=w,
        term="2015–2020",
        first_year=2015,
        last_year=2020,
        title="Nghị quyết Đại hội Đảng bộ xã lần thứ XXI",
        items={"programme": ["Chương trình A", "Chương trình B"], "breakthrough": ["Khâu đột phá 1"]},
        congress_on=D(2015, 6, 15),
        next_congress_on=D(2020, 7, 20),
        actor=actor,
    )
    target_set(
        organization=w,
        programme=new,
        indicator="admissions",
        op=">=",
        value="60",
        per="term",
        first_year=2015,
        last_year=2020,
        title="Nghị quyết Đại hội đề ra",
        actor=actor,
    )
    for year, n in ((2015, 10), (2016, 12), (2017, 10)):  # plans of only some years
        plan_set(organization=w, indicator="admissions", year=year, value=n, actor=actor)
    w.old_programme, w.new_programme = old, new
    return w


def paragraph_with(rep: Any, start: str) -> str:
    found = [s for s in rep.sentences() if s.startswith(start)]
    assert len(found) == 1, (start, rep.sentences())
    return found[0]


def test_a_mid_term_report_runs_from_the_congress_to_the_review_date_and_gives_progress(ward: Any) -> None:
    rep = build(root="W", kind="interim", period="2015-2020", issued_on=D(2017, 6, 30))
    assert (rep.period.start, rep.period.end) == (D(2015, 6, 15), D(2017, 6, 30))
    assert rep.intro == (
        "Đảng ủy xã Thanh Sơn báo cáo sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội nhiệm kỳ 2015 – 2020 "
        "(từ ngày 15/6/2015 đến ngày 30/6/2017) như sau:"
    )
    # 6 + 12 + 5 admitted since the congress; plans of 2015–2017 only, the cut years said.
    assert paragraph_with(rep, "Từ ngày 15/6/2015 đến nay, toàn xã") == (
        "Từ ngày 15/6/2015 đến nay, toàn xã đã kết nạp được 23 đảng viên, đạt 72% kế hoạch các năm 2015 (tính "
        "từ ngày 15/6/2015), 2016 và 2017 (tính đến ngày 30/6/2017); sau 2 năm, đạt 38% chỉ tiêu nhiệm kỳ."
    )
    assert rep.figure("period.admissions").status == "in_progress"
    limits = next(s for s in rep.sections if s.heading.startswith("III."))
    assert [b.kind for b in limits.blocks] == ["draft"]  # nothing missed to list; causes are a draft


def test_a_mid_term_report_after_the_term_uses_the_mid_point(ward: Any) -> None:
    rep = build(root="W", kind="interim", period="2015-2020", issued_on=D(2026, 1, 10))
    assert (rep.period.start, rep.period.end) == (D(2015, 6, 15), D(2017, 12, 31))
    assert paragraph_with(rep, "Từ ngày 15/6/2015 đến ngày 31/12/2017, toàn xã") == (
        "Từ ngày 15/6/2015 đến ngày 31/12/2017, toàn xã đã kết nạp được 28 đảng viên, đạt 88% kế hoạch các năm "
        "2015 (tính từ ngày 15/6/2015), 2016 và 2017; sau 2,5 năm, đạt 47% chỉ tiêu nhiệm kỳ."
    )
    assert "đến nay" not in " ".join(rep.sentences())


def test_an_annual_report_never_calls_the_term_target_missed(ward: Any) -> None:
    [c] = compare(ward, D(2017, 1, 1), D(2017, 12, 31), ["admissions"])
    assert c.sentence == (
        "kết nạp 10 đảng viên mới (đạt 100% kế hoạch; từ đầu nhiệm kỳ: 28 đảng viên; sau 2,5 năm, đạt 47% chỉ "
        "tiêu nhiệm kỳ)"
    )
    assert (c.status, c.progress) == ("in_progress", pytest.approx(28 / 60))
    rep = build(root="W", kind="annual", period="2017", issued_on=D(2018, 1, 15))
    limits = " ".join(b.text for s in rep.sections if s.heading.startswith("III.") for b in s.blocks)
    assert "chỉ tiêu nhiệm kỳ" not in limits and "chưa đạt" not in limits
    assert "chưa đạt" not in " ".join(rep.sentences())


def test_the_term_report_judges_the_terms_total_and_cites_its_own_programme(ward: Any) -> None:
    rep = build(root="W", kind="term", period="2015-2020", issued_on=D(2020, 7, 25))
    assert (rep.period.start, rep.period.end) == (D(2015, 6, 15), D(2020, 7, 20))
    assert rep.subject == "Tổng kết công tác xây dựng Đảng nhiệm kỳ 2015 – 2020"
    # 61 admitted from congress to congress: not the 3 before it nor the 4 after it.
    assert paragraph_with(rep, "Từ ngày 15/6/2015 đến ngày 20/7/2020, toàn xã") == (
        "Từ ngày 15/6/2015 đến ngày 20/7/2020, toàn xã đã kết nạp được 61 đảng viên, đạt 88% kế hoạch các năm "
        "2015 (tính từ ngày 15/6/2015), 2016 và 2017; đạt 102% chỉ tiêu nhiệm kỳ, vượt chỉ tiêu Nghị quyết Đại hội "
        "đề ra: ≥ 60."
    )
    assert rep.figure("period.admissions").status == "exceeded"
    assert paragraph_with(rep, "Từ ngày 15/6/2015 đến ngày 20/7/2020, các cấp ủy") == (
        "Từ ngày 15/6/2015 đến ngày 20/7/2020, các cấp ủy đảng đã xây dựng và chỉ đạo thực hiện 2 chương trình "
        "công tác toàn khóa và 1 khâu đột phá giai đoạn 2015–2020."
    )
    assert "đến nay" not in " ".join(rep.sentences())
    assert "chưa đồng đều" not in " ".join(rep.sentences())


def test_a_term_short_of_its_target_lists_it_under_limitations(ward: Any, actor: Actor) -> None:
    from dangvu.targets.models import Target

    Target.objects.filter(organization=ward, indicator="admissions").update(value=70)
    rep = build(root="W", kind="term", period="2015-2020", issued_on=D(2020, 7, 25))
    assert paragraph_with(rep, "Một số chỉ tiêu chưa đạt") == (
        "Một số chỉ tiêu chưa đạt: kết nạp 61 đảng viên mới (đạt 88% kế hoạch các năm 2015 (tính từ ngày "
        "15/6/2015), 2016 và 2017; đạt 87% chỉ tiêu nhiệm kỳ, chưa đạt chỉ tiêu Nghị quyết Đại hội đề ra: ≥ 70)."
    )


def test_a_report_on_the_earlier_term_cites_its_programme_not_the_next_ones(ward: Any) -> None:
    rep = build(root="W", kind="term", period="2010-2015", issued_on=D(2015, 9, 1))
    assert (rep.period.start, rep.period.end) == (D(2010, 6, 10), D(2015, 6, 15))
    text = " ".join(rep.sentences())
    assert paragraph_with(rep, "Từ ngày 10/6/2010 đến ngày 15/6/2015, các cấp ủy") == (
        "Từ ngày 10/6/2010 đến ngày 15/6/2015, các cấp ủy đảng đã xây dựng và chỉ đạo thực hiện 3 chương trình "
        "công tác toàn khóa giai đoạn 2010–2015."
    )
    assert "2015–2020" not in text and "đến nay" not in text
    assert "chỉ tiêu nhiệm kỳ" not in text  # the 2015–2020 target is not this term's
    assert term_on(ward, D(2015, 6, 15)).programme == ward.new_programme
    assert term_on(ward, D(2015, 6, 14)).programme == ward.old_programme


def test_a_term_without_recorded_dates_falls_back_to_the_five_year_rule(district: Any) -> None:
    held = term_on(district.ward, D(2017, 3, 1))
    assert (held.programme, held.term.label, held.term.start, held.term.end) == (
        None,
        "2015–2020",
        D(2015, 1, 1),
        D(2019, 12, 31),
    )


def test_a_fifteen_month_period_is_titled_by_its_dates_and_not_compared_with_a_year(ward: Any) -> None:
    rep = build(root="W", kind="thematic", period="1/1/2016..31/3/2017", issued_on=D(2017, 5, 1))
    text = " ".join(rep.sentences())
    assert "năm 2017" not in text
    assert rep.subject == "Tổng kết công tác xây dựng Đảng từ ngày 1/1/2016 đến ngày 31/3/2017"
    assert paragraph_with(rep, "Từ ngày 1/1/2016 đến ngày 31/3/2017, toàn xã") == (
        "Từ ngày 1/1/2016 đến ngày 31/3/2017, toàn xã đã kết nạp được 17 đảng viên, đạt 77% kế hoạch các năm "
        "2016 và 2017 (tính đến ngày 31/3/2017); từ đầu nhiệm kỳ: 23 đảng viên; sau 1,5 năm, đạt 38% chỉ tiêu "
        "nhiệm kỳ."
    )
    assert (
        next(t for t in rep.tables if t.code == "levels").title
        == "Kết quả xếp loại chất lượng từ ngày 1/1/2016 đến ngày 31/3/2017"
    )
    assert all(f.previous is None for f in rep.figures)  # no 12-month period to set against 15 months


def test_commendations_are_found_by_the_date_decided_and_by_the_year_they_honour(district: Any, actor: Actor) -> None:
    from dangvu.targets.indicators import compute
    from dangvu.work.services import commendation_grant

    for unit in (district.ward, district.agency):
        commendation_grant(
            actor=actor,
            organization=unit,
            year=2013,
            decided_on=D(2014, 1, 15),
            title="Trong sạch vững mạnh",
            granted_by="Huyện ủy Kim Bảng",
        )
    [jan] = compute(district.district, D(2014, 1, 1), D(2014, 3, 31), ["commendations"])
    assert (jan.value, jan.breakdown["vì thành tích năm 2013"]) == (2, 2)
    assert jan.sentence == (
        "khen thưởng 2 tổ chức cơ sở đảng đạt danh hiệu “Trong sạch vững mạnh” (vì thành tích năm 2013)"
    )
    [year] = compute(district.district, D(2013, 1, 1), D(2013, 12, 31), ["commendations"])
    assert year.sentence == "khen thưởng 2 tổ chức cơ sở đảng đạt danh hiệu “Trong sạch vững mạnh”"
    [before] = compute(district.district, D(2013, 1, 1), D(2013, 11, 30), ["commendations"])
    assert before.value == 0


def test_a_ratio_target_is_judged_against_the_members_at_the_start_of_each_year(
    district: Any, make_member: Any, actor: Actor
) -> None:
    from dangvu.targets.indicators import compute

    for i in range(50):
        make_member(district.b1, D(2010, 3, 1) + dt.timedelta(days=i))
    for i in range(2):
        make_member(district.b2, D(2016, 5, 1) + dt.timedelta(days=i))  # 2 of 50 at the start of 2016: 4%
    make_member(district.b2, D(2017, 5, 1))  # 1 of 52 at the start of 2017: 1,92%
    target_set(
        organization=district.ward,
        indicator="admissions",
        op=">=",
        value="0,03",
        per="year",
        of_indicator="members.start",
        first_year=2016,
        last_year=2020,
        actor=actor,
    )
    [start] = compute(district.ward, D(2016, 1, 1), D(2016, 12, 31), ["members.start"])
    assert start.value == 50
    [y2016] = compare(district.ward, D(2016, 1, 1), D(2016, 12, 31), ["admissions"])
    assert (y2016.status, y2016.sentence) == (
        "exceeded",
        "kết nạp 2 đảng viên mới (bằng 4,00% số đảng viên đầu năm; vượt chỉ tiêu Nghị quyết Đại hội đề ra: từ 3% "
        "trở lên so với số đảng viên đầu năm)",
    )
    [both] = compare(district.ward, D(2016, 1, 1), D(2017, 12, 31), ["admissions"])
    assert (both.status, both.sentence) == (
        "missed",
        "kết nạp 3 đảng viên mới (chưa đạt chỉ tiêu Nghị quyết Đại hội đề ra: từ 3% trở lên so với số đảng viên "
        "đầu năm mỗi năm; năm 2016: 4,00%, năm 2017: 1,92%)",
    )


def test_a_term_target_of_a_hundred_prints_one_hundred(district: Any, make_member: Any, actor: Actor) -> None:
    for i in range(3):
        make_member(district.b1, D(2012, 3, 1) + dt.timedelta(days=i))
    target_set(
        organization=district.ward,
        indicator="admissions",
        op=">=",
        value=100,
        per="term",
        first_year=2010,
        last_year=2015,
        actor=actor,
    )
    [c] = compare(district.ward, D(2010, 1, 1), D(2014, 12, 31), ["admissions"])
    assert c.sentence == (
        "kết nạp 3 đảng viên mới (đạt 3% chỉ tiêu nhiệm kỳ, chưa đạt chỉ tiêu Nghị quyết Đại hội đề ra: ≥ 100)"
    )
    assert "E+" not in c.sentence


def test_a_target_naming_an_unknown_indicator_is_refused_in_vietnamese(district: Any, actor: Actor) -> None:
    from dangvu.domain.errors import RuleError

    with pytest.raises(RuleError, match=re.escape("Không có chỉ số 'members.begin' trong danh mục chỉ số.")):
        target_set(
            organization=district.ward,
            indicator="admissions",
            op=">=",
            value="0,03",
            per="year",
            of_indicator="members.begin",
            first_year=2016,
            last_year=2020,
            actor=actor,
        )
    with pytest.raises(RuleError, match="Chỉ tiêu tỷ lệ ghi dạng phân số"):
        target_set(
            organization=district.ward,
            indicator="admissions",
            op=">=",
            value="3",
            per="year",
            of_indicator="members.start",
            first_year=2016,
            last_year=2020,
            actor=actor,
        )


def test_a_year_with_nothing_to_judge_is_left_out_never_a_dash_beside_the_verdict(district: Any, actor: Actor) -> None:
    from dangvu.work.services import study_session_record

    # Sessions studying resolutions in 2017 only: 2016 has no share to judge.
    study_session_record(actor=actor, organization=district.b1, held_on=D(2017, 4, 1), expected=40, participants=38)
    target_set(
        organization=district.ward,
        indicator="study.participation",
        op=">=",
        value="0,9",
        per="year",
        first_year=2016,
        last_year=2017,
        actor=actor,
    )
    [c] = compare(district.ward, D(2016, 1, 1), D(2017, 12, 31), ["study.participation"])
    assert (c.status, list(c.by_year)) == ("exceeded", [2017])
    assert c.sentence == (
        "tỷ lệ đảng viên tham gia học tập, quán triệt đạt 95,00% (vượt chỉ tiêu Nghị quyết Đại hội đề ra: ≥ 90% "
        "mỗi năm; năm 2017: 95,00%)"
    )
    assert "—" not in c.sentence


def test_an_annual_report_without_a_plan_gives_the_terms_progress_and_no_verdict(ward: Any) -> None:
    rep = build(root="W", kind="annual", period="2018", issued_on=D(2019, 1, 15))
    said = paragraph_with(rep, "Trong năm, kết nạp")
    assert said.startswith(
        "Trong năm, kết nạp 14 đảng viên mới (từ đầu nhiệm kỳ: 42 đảng viên; sau 3,5 năm, đạt 70% chỉ tiêu nhiệm kỳ)"
    )
    assert rep.figure("2018.admissions").status == "in_progress"
    assert "chưa đạt" not in " ".join(rep.sentences())


def test_a_term_report_written_by_dates_belongs_to_the_term_it_starts_in(ward: Any) -> None:
    rep = build(root="W", kind="term", period="15/6/2015..20/7/2020", issued_on=D(2020, 7, 25))
    assert rep.subject == "Tổng kết công tác xây dựng Đảng nhiệm kỳ 2015 – 2020"
    assert rep.figure("period.admissions").value == 61


def test_a_term_report_before_its_congress_is_refused_in_vietnamese(ward: Any) -> None:
    from dangvu.domain.errors import RuleError

    with pytest.raises(RuleError, match=r"^Nhiệm kỳ 2015–2020 bắt đầu ngày 15/6/2015, sau ngày báo cáo 1/3/2015\.$"):
        build(root="W", kind="term", period="2015-2020", issued_on=D(2015, 3, 1))


def test_an_annual_reports_targets_give_the_terms_progress_and_its_tasks_only_the_years_targets(ward: Any) -> None:
    rep = build(root="W", kind="annual", period="2018", issued_on=D(2019, 1, 15))
    said = paragraph_with(rep, "Kết quả thực hiện các chỉ tiêu")
    assert said == (
        "Kết quả thực hiện các chỉ tiêu: kết nạp 14 đảng viên mới (từ đầu nhiệm kỳ: 42 đảng viên; sau 3,5 năm, "
        "đạt 70% chỉ tiêu nhiệm kỳ)."
    )
    chart = next(c for c in rep.charts if c.code == "targets")
    assert chart.series["Kết quả"] == [pytest.approx(70.0)]  # progress against the term's target, not one year
    tasks = " ".join(b.text for s in rep.sections if s.heading.startswith("V.") for b in s.blocks)
    assert "60" not in tasks  # the term target is not a target of the year 2019


def test_a_plan_missed_in_a_finished_year_is_a_limitation(ward: Any, actor: Actor) -> None:
    plan_set(organization=ward, indicator="admissions", year=2018, value=20, actor=actor)
    rep = build(root="W", kind="annual", period="2018", issued_on=D(2019, 1, 15))
    limits = " ".join(b.text for s in rep.sections if s.heading.startswith("III.") for b in s.blocks)
    assert limits.startswith(
        "Bên cạnh kết quả đạt được, còn một số hạn chế: kết nạp 14 đảng viên mới (đạt 70% kế hoạch"
    )


def test_commended_units_are_named_as_what_they_were(district: Any, actor: Actor) -> None:
    from dangvu.targets.indicators import compute
    from dangvu.work.services import commendation_grant

    for unit, title in (
        (district.ward, "Trong sạch vững mạnh tiêu biểu"),
        (district.agency, "Trong sạch vững mạnh"),
        (district.b1, "Trong sạch vững mạnh"),
        (district.b2, "Trong sạch vững mạnh"),
    ):
        commendation_grant(
            actor=actor, organization=unit, year=2016, decided_on=D(2016, 12, 20), title=title, granted_by="Huyện ủy"
        )
    [c] = compute(district.district, D(2016, 1, 1), D(2016, 12, 31), ["commendations"])
    assert c.sentence == (
        "khen thưởng 1 tổ chức cơ sở đảng đạt danh hiệu “Trong sạch vững mạnh tiêu biểu”, 1 tổ chức cơ sở đảng đạt "
        "danh hiệu “Trong sạch vững mạnh”, 2 chi bộ trực thuộc đạt danh hiệu “Trong sạch vững mạnh”"
    )
