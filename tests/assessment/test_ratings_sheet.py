"""A year's ratings sheet as an office writes it: any row order, every committee of a province at once, applied
from the bottom of the tree up in one transaction; refusals that name the member or unit and say why; a grassroots
branch rating its own members; the cycle's rating day; units too new to be rated; the commands' text."""

from __future__ import annotations

import datetime as dt
import random
import re
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from fixtures.ratings_sheet import ACTOR, HEADER, build_province, sheet_rows, write_sheet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.assessment.exchange import import_ratings
from dangvu.assessment.models import AssessmentCycle, Rating, Result
from dangvu.assessment.progress import cycle_progress
from dangvu.assessment.services import Decision, DecisionErrors, cycle_close, cycle_open, decide_many
from dangvu.assessment.stats import review_stats
from dangvu.audit.models import AuditEntry
from dangvu.domain.orgtree import OrgKind, Sector
from dangvu.members.models import Member
from dangvu.orgs.models import Organization
from dangvu.orgs.services import org_establish
from dangvu.work.services import discipline_record

D = dt.date
pytestmark = pytest.mark.django_db
# Words that are stored values, never a reader's: levels, not-rated reasons, the commands' old choices.
INTERNAL = re.compile(
    r"\b(excellent|good|satisfactory|failed|clean_strong|weak|exempt|suspended|admitted_recently|"
    r"established_recently|members|organizations|grassroots|branch|None)\b"
)


@pytest.fixture
def province(db: None):  # type: ignore[no-untyped-def]
    """Two districts of two grassroots committees (one with a partial committee), a grassroots branch in each
    district and one under the province: 26 units, 84 members."""
    return build_province("T", districts=2, grassroots=2, branches=2, members=6)


def shuffled(rows: list[list[str]], seed: int) -> list[list[str]]:
    out = list(rows)
    random.Random(seed).shuffle(out)
    return out


def test_a_province_sheet_in_shuffled_order_imports_whole_from_the_bottom_up(province, tmp_path: Path) -> None:
    rows = sheet_rows(province, 2020)
    decisions = [r for r in rows if r[4] == "Quyết định"]
    path = write_sheet(tmp_path / "xep_loai.csv", shuffled(rows, 20201215))
    report = import_ratings(path, actor=ACTOR)
    assert report.errors == []
    assert (report.decisions, report.ratings, report.cycles_opened) == (len(decisions), province.member_count, 10)
    # Every decision landed, on the cycle of the committee the sheet names.
    landed = {
        (r.member.code if r.member else r.organization.code): (r.cycle.committee.code, r.level)
        for r in Result.objects.filter(year=2020).select_related("member", "organization", "cycle__committee")
    }
    level = {"HTT": "good", "HTXS": "excellent"}
    assert landed == {r[3]: (r[1], level[r[5]]) for r in decisions}
    # The district is rated by the province, after its grassroots organizations were rated by the district.
    assert landed["TH1"] == ("T", "good") and landed["TH1X1"] == ("TH1", "good")
    # A grassroots branch rated its own members: their unit and quota scope are the branch itself.
    own = Result.objects.get(member__code=province.units["TH1C1"].members[0])
    assert (own.cycle.committee.code, own.unit.code, own.grassroots.code, own.unit_kind) == (
        "TH1C1",
        "TH1C1",
        "TH1C1",
        "grassroots_branch",
    )
    # One transaction with its audit entries: the import, each cycle opened, each committee's decisions.
    assert AuditEntry.objects.filter(action="ratings_import").count() == 1
    assert AuditEntry.objects.filter(action="cycle_open").count() == 10
    assert AuditEntry.objects.filter(action="result_decide").count() == 10


def test_the_same_sheet_with_one_bad_row_is_refused_whole_naming_the_member_and_why(province, tmp_path) -> None:
    rows = shuffled(sheet_rows(province, 2020), 7)
    # One member of a branch of the first grassroots committee, written under the second one's decisions.
    member = province.units["TH1X1B1"].members[2]
    bad = next(i for i, r in enumerate(rows) if r[3] == member and r[4] == "Quyết định")
    rows[bad] = ["2020", "TH1X2", "Đảng viên", member, "Quyết định", "HTT", ""]
    report = import_ratings(write_sheet(tmp_path / "xep_loai.csv", rows), actor=ACTOR)
    name = province.names[member]
    branch = next(i for i, r in enumerate(rows) if r[3] == "TH1X1B1" and r[4] == "Quyết định")
    refusals = {
        bad: f"xep_loai.csv, dòng {bad + 2}, cột 'Mã đối tượng': Đảng viên {member} – {name}: ngày xếp loại "
        "15/12/2020 sinh hoạt tại TH1X1B1 – Chi bộ thôn 1 xã 1, không thuộc đợt đánh giá năm 2020 của TH1X2 – Đảng "
        "bộ xã số 2 huyện 1.",
        # Its branch, decided in the same batch of its committee, now lacks that member's decision.
        branch: f"xep_loai.csv, dòng {branch + 2}, cột 'Mức': Chi bộ trực thuộc TH1X1B1 – Chi bộ thôn 1 xã 1: chưa "
        "thể xếp loại: còn 1 đảng viên chưa có quyết định (xếp loại đảng viên, rồi chi bộ, đảng bộ bộ phận, rồi tổ "
        "chức cơ sở đảng).",
    }
    assert report.errors[:-1] == [refusals[i] for i in sorted(refusals)]
    # The committees above were not checked against a tier with errors; nothing at all was written.
    assert report.errors[-1].startswith("xep_loai.csv: chưa kiểm tra quyết định của ")
    assert (report.decisions, report.ratings, report.cycles_opened) == (0, 0, 0)
    assert not Result.objects.exists() and not Rating.objects.exists() and not AssessmentCycle.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["ratings_import", "cycle_open", "result_decide"]).exists()


def test_a_decision_above_a_members_cap_is_refused_naming_the_member_and_the_rule(province, tmp_path) -> None:
    member = Member.objects.get(code=province.units["TH2X2B2"].members[0])
    discipline_record(member=member, form="reprimand", decided_on=D(2020, 6, 1), actor=ACTOR)
    rows = shuffled(sheet_rows(province, 2020), 11)
    at = next(i for i, r in enumerate(rows) if r[3] == member.code and r[4] == "Quyết định")
    report = import_ratings(write_sheet(tmp_path / "xep_loai.csv", rows), actor=ACTOR)
    assert report.errors[0] == (
        f"xep_loai.csv, dòng {at + 2}, cột 'Mức': Đảng viên {member.code} – {member.full_name}: Không thể xếp "
        f"'{'HTXS' if rows[at][5] == 'HTXS' else 'HTT'}': tối đa 'KHTNV' vì Bị thi hành kỷ luật trong năm (khiển "
        "trách, ngày 1/6/2020). (Hướng dẫn 21-HD/BTCTW, II.B.2.3.d; Quy định 132-QĐ/TW, Điều 12.4.c)"
    )
    assert not Result.objects.exists()


@pytest.fixture(scope="module")
def small_tree(django_db_setup, django_db_blocker, wipe):  # type: ignore[no-untyped-def]
    """One district: a grassroots committee with one branch, and a grassroots branch; built once for the
    permutations below and removed after them."""
    with django_db_blocker.unblock():
        p = build_province("S", districts=1, grassroots=1, branches=1, members=3)
        yield p
        wipe()


@pytest.mark.django_db(transaction=False)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_order_of_a_small_trees_rows_imports_whole(small_tree, data) -> None:  # type: ignore[no-untyped-def]
    rows = [r for r in sheet_rows(small_tree, 2021) if r[4] == "Quyết định"]
    order = data.draw(st.permutations(rows))
    with tempfile.TemporaryDirectory() as tmp, transaction.atomic():
        report = import_ratings(write_sheet(Path(tmp) / "xep_loai.csv", order), actor=ACTOR)
        assert report.errors == [] and report.decisions == len(rows)
        assert Result.objects.filter(year=2021).count() == len(rows)
        transaction.set_rollback(True)


def test_a_grassroots_branch_rates_its_own_members_and_the_district_rates_it_after(province) -> None:
    branch = Organization.objects.get(code="TH2C1")
    district = Organization.objects.get(code="TH2")
    above = cycle_open(committee=district, year=2022, actor=ACTOR)
    own = cycle_open(committee=branch, year=2022, actor=ACTOR)
    members = list(Member.objects.filter(code__in=province.units["TH2C1"].members).order_by("code"))
    # The district cannot rate the branch before the branch has rated its members.
    with pytest.raises(DecisionErrors) as refused:
        decide_many(cycle=above, actor=ACTOR, decisions=[Decision("o", branch.pk, "good")])
    assert refused.value.message == (
        "Chi bộ cơ sở TH2C1 – Chi bộ Trường Tiểu học huyện 2: chưa thể xếp loại: còn 6 đảng viên chưa có quyết "
        "định (xếp loại đảng viên, rồi chi bộ, đảng bộ bộ phận, rồi tổ chức cơ sở đảng)."
    )
    # Nor decide the branch's members itself: the branch's own cycle does.
    with pytest.raises(DecisionErrors) as refused:
        decide_many(cycle=above, actor=ACTOR, decisions=[Decision("m", members[0].pk, "good")])
    assert refused.value.message == (
        f"Đảng viên {members[0].code} – {members[0].full_name}: thuộc đợt đánh giá năm 2022 của TH2C1 – Chi bộ "
        "Trường Tiểu học huyện 2; cấp ủy đó quyết định kết quả này."
    )
    decide_many(cycle=own, actor=ACTOR, decisions=[Decision("m", m.pk, "good") for m in members])
    [res] = decide_many(cycle=above, actor=ACTOR, decisions=[Decision("o", branch.pk, "good")])
    assert (res.level, res.cycle_id, res.unit_kind) == ("good", above.pk, "grassroots_branch")
    assert Result.objects.filter(cycle=own, unit=branch, grassroots=branch, level="good").count() == 6
    # Its cycle's progress counts its own members, on a row of its own.
    progress = cycle_progress(own)
    assert (progress.members.total, progress.members.rated, progress.grassroots.total) == (6, 6, 0)
    assert [(u.version.organization.code, u.members, u.decided) for u in progress.units] == [("TH2C1", 6, 6)]
    # The branch's cycle closes on its own members.
    assert cycle_close(cycle=own, actor=ACTOR).not_rated == 0


def test_the_rating_day_of_the_sheet_decides_who_is_admitted_too_recently(province, tmp_path) -> None:
    from dangvu.members.services import Admission, member_create

    unit = Organization.objects.get(code="TC1")
    newcomer = member_create(
        actor=ACTOR,
        full_name="Lý Thị Mai",
        gender="female",
        birth_date=D(1995, 3, 3),
        admission=Admission(org=unit, decided_on=D(2020, 6, 10), ceremony_on=D(2020, 6, 25)),
    )
    row = ["2020", "TC1", "Đảng viên", newcomer.code, "Quyết định", "HTT", "", "05/12/2020"]
    others = [[*r, ""] for r in sheet_rows(province, 2020) if r[1] == "TC1" and r[4] == "Quyết định"]
    path = write_sheet(tmp_path / "xep_loai.csv", [row, *others], [*HEADER, "Ngày xếp loại"])
    report = import_ratings(path, actor=ACTOR)
    # Admitted 10/6/2020: five months before 5/12/2020 (the sheet's day), not rated (HD 21 II.6).
    assert report.errors == [
        f"xep_loai.csv, dòng 2, cột 'Mức': Đảng viên {newcomer.code} – Lý Thị Mai: Không xếp loại: Kết nạp ngày "
        "10/6/2020, chưa đủ 6 tháng đến ngày xếp loại 5/12/2020: không xếp loại (vẫn viết bản kiểm điểm). "
        "(Hướng dẫn 21-HD/BTCTW, II.6)"
    ]
    # On the default day, 15/12/2020, six months have passed: the same row is accepted.
    row[7] = ""
    report = import_ratings(write_sheet(path, [row, *others], [*HEADER, "Ngày xếp loại"]), actor=ACTOR)
    assert report.errors == [] and Result.objects.get(member=newcomer).level == "good"
    assert AssessmentCycle.objects.get(committee=unit, year=2020).rated_on == D(2020, 12, 15)


def test_a_cycle_opened_on_another_day_by_the_command_rates_on_that_day(province) -> None:
    out = StringIO()
    call_command("assess", "open", "--root", "TC1", "--year", "2020", "--rated-on", "05/12/2020", stdout=out)
    assert out.getvalue().strip() == (
        "Đã mở đợt đánh giá năm 2020 của TC1 – Chi bộ Sở Tư pháp (Quy định 132-QĐ/TW (8/3/2018); Hướng dẫn "
        "21-HD/BTCTW (18/10/2019)), ngày xếp loại 5/12/2020."
    )
    cycle = AssessmentCycle.objects.get(committee__code="TC1", year=2020)
    assert cycle.rated_on == D(2020, 12, 5)
    # A sheet naming another day for that cycle is refused on the row.
    rows = [[*r, "10/12/2020"] for r in sheet_rows(province, 2020) if r[1] == "TC1" and r[4] == "Quyết định"]
    with tempfile.TemporaryDirectory() as tmp:
        report = import_ratings(write_sheet(Path(tmp) / "xep_loai.csv", rows, [*HEADER, "Ngày xếp loại"]), actor=ACTOR)
    assert report.errors == [
        "xep_loai.csv, dòng 2, cột 'Ngày xếp loại': đợt đánh giá năm 2020 của TC1 – Chi bộ Sở Tư pháp đã mở với "
        "ngày xếp loại 5/12/2020, khác ngày 10/12/2020 của tệp."
    ]


def test_a_2011_review_cites_the_guidance_in_force_in_2011(province) -> None:
    member = Member.objects.get(code=province.units["TC1"].members[0])
    discipline_record(member=member, form="warning", decided_on=D(2011, 4, 2), actor=ACTOR)
    cycle = cycle_open(committee=Organization.objects.get(code="TC1"), year=2011, actor=ACTOR)
    assert cycle.regime == "hd20_2008"
    with pytest.raises(DecisionErrors) as refused:
        decide_many(cycle=cycle, actor=ACTOR, decisions=[Decision("m", member.pk, "good")])
    assert refused.value.message == (
        f"Đảng viên {member.code} – {member.full_name}: Không thể xếp 'HTT': tối đa 'KHTNV' vì Bị thi hành kỷ luật "
        "trong năm (cảnh cáo, ngày 2/4/2011). (Hướng dẫn 20-HD/BTCTW)"
    )
    out = StringIO()
    decide_many(cycle=cycle, actor=ACTOR, decisions=[Decision("m", member.pk, "failed")])
    call_command("assess", "explain", "--year", "2011", "--member", member.code, stdout=out)
    text = out.getvalue()
    assert "Quy định áp dụng: Hướng dẫn 20-HD/BTCTW (10/10/2008)" in text
    assert "Kỷ luật trong năm: cảnh cáo ngày 2/4/2011" in text
    # No document issued after 2011 is cited anywhere in the explanation.
    assert not re.search(r"(21|16|27|25|43)-HD/BTCTW|(132|124|366)-QĐ/TW", text)


def test_a_unit_set_up_three_months_before_the_review_is_too_new_not_pending(province) -> None:
    parent = Organization.objects.get(code="TH1X2")
    org_establish(
        code="TH1X2B9",
        name="Chi bộ Khu công nghiệp",
        kind=OrgKind.BRANCH,
        sector=Sector.PRIVATE_ENTERPRISE,
        parent=parent,
        on=D(2020, 9, 15),
        actor=ACTOR,
    )
    district = Organization.objects.get(code="TH1")
    g = review_stats(district, 2020)["branches"]
    # 7 branches and a partial committee's 2 in the district: all pending, the new one too new.
    assert (g.pending, g.too_new) == (6, 1)
    # Every decision taken except the new branch's: nothing is left pending; the new one is still too new.
    rows = [r for r in sheet_rows(province, 2020) if r[4] == "Quyết định"]
    with tempfile.TemporaryDirectory() as tmp:
        assert import_ratings(write_sheet(Path(tmp) / "xep_loai.csv", rows), actor=ACTOR).errors == []
    g = review_stats(district, 2020)["branches"]
    assert (g.rated, g.pending, g.too_new) == (6, 0, 1)
    # Closing the committee's year records it not rated (established recently): counted once as too new.
    cycle_close(cycle=AssessmentCycle.objects.get(committee=parent, year=2020), actor=ACTOR)
    g = review_stats(district, 2020)["branches"]
    assert (g.rated, g.pending, g.too_new, g.not_rated) == (6, 0, 1, {"established_recently": 1})


def test_too_new_follows_each_cycles_own_rating_day(province) -> None:
    parent = Organization.objects.get(code="TH2X1")
    org_establish(
        code="TH2X1B9",
        name="Chi bộ Chợ mới",
        kind=OrgKind.BRANCH,
        sector=Sector.OTHER,
        parent=parent,
        on=D(2020, 6, 2),
        actor=ACTOR,
    )
    district = Organization.objects.get(code="TH2")
    # On the default day (15/12/2020) the branch is six months old: pending like the others.
    assert (review_stats(district, 2020)["branches"].too_new, review_stats(district, 2020)["branches"].pending) == (
        0,
        7,
    )
    # Its committee rates on 1/12/2020 (five months), another committee keeps 15/12: too new under its own day.
    cycle_open(committee=parent, year=2020, actor=ACTOR, rated_on=D(2020, 12, 1))
    cycle_open(committee=Organization.objects.get(code="TH1X1"), year=2020, actor=ACTOR)
    g = review_stats(district, 2020)["branches"]
    assert (g.too_new, g.pending) == (1, 6)


def test_the_commands_print_levels_units_and_reasons_in_vietnamese(province, tmp_path) -> None:
    rows = sheet_rows(province, 2020)
    rows = [[*r[:5], "HTXS", "x"] if r[3] == "TH1X1B1" and r[4] == "Quyết định" else r for r in rows]
    assert import_ratings(write_sheet(tmp_path / "xep_loai.csv", rows), actor=ACTOR).errors == []
    out = StringIO()
    call_command("assess", "stats", "--root", "TH1", "--year", "2020", "--format", "text", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:4] == [
        "Kết quả xếp loại năm 2020 — Đảng bộ huyện số 1 (TH1) (cơ cấu tổ chức ngày 31/12/2020)",
        "  Tổ chức cơ sở đảng: xếp loại 3, không xếp loại 0, mới thành lập chưa đủ thời gian xếp loại 0, chưa có "
        "kết quả 0; Hoàn thành tốt nhiệm vụ 3; tiêu biểu 0",
        "  Chi bộ trực thuộc: xếp loại 6, không xếp loại 0, mới thành lập chưa đủ thời gian xếp loại 0, chưa có kết "
        "quả 0; Hoàn thành xuất sắc nhiệm vụ 1, Hoàn thành tốt nhiệm vụ 5; tiêu biểu 1",
        "  Đảng viên: xếp loại 42, không xếp loại 0, chưa có kết quả 0; Hoàn thành xuất sắc nhiệm vụ 3, Hoàn thành "
        "tốt nhiệm vụ 39; tiêu biểu 0",
    ]
    streaks = StringIO()
    call_command(
        "assess", "streaks", "--root", "TH1", "--year", "2020", "--years", "1", "--subject", "to-chuc", stdout=streaks
    )
    assert streaks.getvalue().splitlines() == [
        "1 tập thể đạt mức cao nhất 1 năm liền (2020 – 2020)",
        "  TH1X1B1 – Chi bộ thôn 1 xã 1",
    ]
    people = StringIO()
    call_command("assess", "streaks", "--root", "TH1", "--year", "2020", "--years", "1", stdout=people)
    top = Result.objects.filter(year=2020, level="excellent", member__isnull=False, unit__code__startswith="TH1")
    assert len(people.getvalue().splitlines()) == 1 + top.count()
    for r in top.select_related("member"):
        assert f"  {r.member.code} – {r.member.full_name}" in people.getvalue().splitlines()
    decided = StringIO()
    member = province.units["TH1X2B1"].members[0]
    call_command("assess", "exemplary", "--year", "2020", "--org", "TH1X1B1", "--off", stdout=decided)
    call_command("assess", "close", "--root", "TH1X2", "--year", "2020", stdout=decided)
    call_command("assess", "explain", "--year", "2020", "--member", member, stdout=decided)
    for text in (out.getvalue(), streaks.getvalue(), people.getvalue(), decided.getvalue()):
        assert not INTERNAL.search(text), INTERNAL.search(text)


def test_the_decide_command_takes_levels_as_people_write_them(province) -> None:
    cycle_open(committee=Organization.objects.get(code="TC1"), year=2020, actor=ACTOR)
    member = province.units["TC1"].members[1]
    out = StringIO()
    call_command(
        "assess",
        "decide",
        "--root",
        "TC1",
        "--year",
        "2020",
        "--member",
        member,
        "--level",
        "Hoàn thành tốt nhiệm vụ",
        stdout=out,
    )
    assert out.getvalue().strip() == "Đã ghi quyết định." and Result.objects.get(member__code=member).level == "good"


def test_the_import_command_takes_the_rating_day_and_reports_in_vietnamese(province, tmp_path) -> None:
    rows = [r for r in sheet_rows(province, 2020) if r[1] == "TC1"]
    path = write_sheet(tmp_path / "xep_loai.csv", rows)
    out = StringIO()
    call_command("assess", "import", str(path), "--rated-on", "01/12/2020", stdout=out)
    assert out.getvalue().strip() == "Đã nhập 6 quyết định, 6 ý kiến, mở 1 đợt đánh giá."
    assert AssessmentCycle.objects.get(committee__code="TC1", year=2020).rated_on == D(2020, 12, 1)
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("assess", "import", str(path), "--rated-on", "01/12/2021", stdout=out, stderr=err)
    assert str(refused.value) == "1 lỗi; không ghi gì vào cơ sở dữ liệu."
    assert err.getvalue().strip() == (
        "xep_loai.csv: ngày xếp loại 1/12/2021 không thuộc năm đánh giá 2020 (cấp ủy mã 'TC1')."
    )


def test_a_branch_under_a_grassroots_committee_cannot_decide_in_a_sheet(province, tmp_path) -> None:
    member = province.units["TH1X1B2"].members[0]
    rows = [["2020", "TH1X1B2", "Đảng viên", member, "Quyết định", "HTT", ""]]
    report = import_ratings(write_sheet(tmp_path / "xep_loai.csv", rows), actor=ACTOR)
    assert report.errors == [
        "xep_loai.csv, dòng 2, cột 'Mã cấp ủy quyết định': Chi bộ trực thuộc TH1X1B2 – Chi bộ thôn 2 xã 1 không "
        "quyết định xếp loại: đảng ủy cơ sở, chi bộ cơ sở hoặc cấp ủy cấp trên mở đợt đánh giá."
    ]
    assert not AssessmentCycle.objects.exists()


def test_explain_finds_the_nearest_cycle_and_says_why_a_unit_is_outside(province) -> None:
    branch = Organization.objects.get(code="TH1C1")
    cycle_open(committee=Organization.objects.get(code="TH1"), year=2021, actor=ACTOR)
    cycle_open(committee=branch, year=2021, actor=ACTOR)
    member = Member.objects.get(code=province.units["TH1C1"].members[0])
    out = StringIO()
    # Undecided yet: the member is explained by the branch's own cycle, the branch by the district's.
    call_command("assess", "explain", "--year", "2021", "--member", member.code, stdout=out)
    assert out.getvalue().splitlines()[2] == "Ngày xếp loại: 15/12/2021; chi bộ: Chi bộ Trường Tiểu học huyện 1"
    call_command("assess", "explain", "--year", "2021", "--org", "TH1C1", stdout=out)
    assert "Chi bộ Trường Tiểu học huyện 1 (TH1C1) — năm 2021" in out.getvalue()
    assert not INTERNAL.search(out.getvalue())


def test_a_sheet_deciding_in_a_closed_year_is_refused_naming_the_committee(province, tmp_path) -> None:
    rows = [r for r in sheet_rows(province, 2020) if r[1] == "TC1" and r[4] == "Quyết định"]
    path = write_sheet(tmp_path / "xep_loai.csv", rows)
    assert import_ratings(path, actor=ACTOR).errors == []
    cycle_close(cycle=AssessmentCycle.objects.get(committee__code="TC1", year=2020), actor=ACTOR)
    report = import_ratings(path, actor=ACTOR)
    assert report.errors == [
        "xep_loai.csv, dòng 2, cột 'Mã cấp ủy quyết định': TC1 – Chi bộ Sở Tư pháp: Đợt đánh giá năm 2020 đã kết "
        "thúc; cần mở lại (có lý do) trước khi sửa."
    ]
