"""The seed reports' work figures (F7, F8, F10–F18) computed from raw records through the services.

Each record is written one by one, as a department enters them; the figures come out of
`dangvu indicators` and the review statistics.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from dangvu.audit.services import Actor
from dangvu.domain.orgtree import OrgKind, Sector
from dangvu.members.services import member_admit, member_create
from dangvu.orgs.services import Decision, org_end, org_establish, org_move
from dangvu.targets.models import Plan, Target
from dangvu.work.services import (
    cadre_move_record,
    commendation_grant,
    discipline_record,
    free_indicator_set,
    training_class_record,
)

D = dt.date
A = Actor("ban_to_chuc")
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


def district(code: str, name: str, n_grassroots: int, on: dt.date = dt.date(2004, 1, 1)):  # type: ignore[no-untyped-def]
    city = org_establish(
        code=f"{code}TP",
        name="Đảng bộ Thành phố Hà Nội",
        kind=OrgKind.PROVINCE,
        sector=Sector.OTHER,
        parent=None,
        on=D(1976, 1, 1),
        actor=A,
    )
    dist = org_establish(code=code, name=name, kind=OrgKind.DISTRICT, sector=Sector.OTHER, parent=city, on=on, actor=A)
    units = [
        org_establish(
            code=f"{code}G{i:02d}",
            name=f"Chi bộ cơ sở {i}",
            kind=OrgKind.GRASSROOTS_BRANCH,
            sector=Sector.RESIDENTIAL,
            parent=dist,
            on=on,
            actor=A,
        )
        for i in range(n_grassroots)
    ]
    return city, dist, units


def admit(unit, on: dt.date, n: int, category: str = "general", start: int = 0) -> list:  # type: ignore[no-untyped-def]
    out = []
    for i in range(n):
        m = member_create(
            actor=A,
            full_name=f"Nguyễn Văn {start + i}",
            gender="male",
            birth_date=D(1990, 1, 1)
            if category != "high_school_student"
            else on.replace(year=on.year - 18) - dt.timedelta(days=40),
        )
        member_admit(
            member=m, org=unit, decided_on=on, ceremony_on=on + dt.timedelta(days=15), actor=A, category=category
        )
        out.append(m)
    return out


def test_hoang_mai_2016_work_figures() -> None:
    _city, hm, units = district("HM", "Đảng bộ quận Hoàng Mai", 6)
    # F8: 209 admissions against a plan of 180.
    for i in range(209):
        admit(units[i % 6], D(2016, 1 + i % 12, 1 + i % 28), 1, start=i)
    admit(units[0], D(2015, 12, 20), 3, start=900)  # the year before: not counted
    Plan.objects.create(organization=hm, indicator="admissions", year=2016, value=180)
    # F7: 6 new party organizations in non-state enterprises against a target of 5 assigned by the city.
    for i in range(6):
        org_establish(
            code=f"HMDN{i}",
            name=f"Chi bộ Công ty TNHH số {i}",
            kind=OrgKind.GRASSROOTS_BRANCH,
            sector=Sector.PRIVATE_ENTERPRISE,
            parent=hm,
            on=D(2016, 3 + i, 10),
            actor=A,
            decision=Decision(f"{100 + i}-QĐ/QU"),
        )
    org_establish(
        code="HMCQ",
        name="Chi bộ Trường THCS Vĩnh Hưng",
        kind=OrgKind.GRASSROOTS_BRANCH,
        sector=Sector.SCHOOL,
        parent=hm,
        on=D(2016, 5, 1),
        actor=A,
    )
    Plan.objects.create(
        organization=hm, indicator="new_organizations.private_enterprise", year=2016, value=5, wording="chỉ tiêu"
    )
    # F10: 126 cadre moves; F11: 64 classes with 10.630 attendances; F12: 4 members disciplined.
    kinds = ["reassignment"] * 40 + ["rotation"] * 16 + ["appointment"] * 50 + ["reappointment"] * 20
    for i, kind in enumerate(kinds):
        cadre_move_record(
            actor=A, kind=kind, person_name=f"Cán bộ {i}", organization=units[i % 6], on=D(2016, 1 + i % 12, 5)
        )
    for i in range(64):
        training_class_record(
            actor=A,
            kind="professional",
            organization=hm,
            title=f"Lớp nghiệp vụ {i + 1}",
            started_on=D(2016, 1 + i % 12, 8),
            attendances=166 if i < 63 else 172,
        )
    members = admit(units[1], D(2014, 2, 1), 5, start=500)
    for m in members[:4]:
        discipline_record(member=m, form="reprimand", decided_on=D(2016, 9, 1), actor=A)
    discipline_record(member=members[4], form="warning", decided_on=D(2017, 1, 10), actor=A)  # next year
    # F13: commendations for 2016; F14: turnout entered by hand.
    for i in range(27):
        commendation_grant(
            actor=A,
            organization=units[i % 6],
            year=2016,
            decided_on=D(2017, 1, 12),
            title="Trong sạch vững mạnh tiêu biểu" if i < 6 else "Trong sạch vững mạnh",
            granted_by="Quận ủy Hoàng Mai",
        )
    free_indicator_set(
        actor=A,
        organization=hm,
        code="turnout",
        name="Tỷ lệ cử tri đi bầu",
        unit="%",
        period_start=D(2016, 5, 22),
        period_end=D(2016, 5, 22),
        value=Decimal("99.35"),
    )

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
    city, th, units = district("TH", "Đảng bộ quận Tây Hồ", 4)
    n = 0
    for year in range(2010, 2025):
        k = 92 if year < 2024 else 1382 - 92 * 14 - 7
        admit(units[year % 4], D(year, 6, 1), k, start=n)
        n += k
    # F18: 4 high-school students and 3 citizens before enlistment, in 2023 and early 2024.
    admit(units[0], D(2023, 10, 2), 2, "high_school_student", start=9000)
    admit(units[1], D(2024, 3, 4), 2, "high_school_student", start=9010)
    admit(units[2], D(2024, 2, 20), 3, "pre_enlistment", start=9020)
    # 01/07/2025: the district ends; its units move under a new ward; later admissions are the ward's.
    ward = org_establish(
        code="TH-P1",
        name="Đảng bộ phường Tây Hồ",
        kind=OrgKind.COMMUNE,
        sector=Sector.COMMUNE_WARD,
        parent=city,
        on=D(2025, 7, 1),
        actor=A,
    )
    for u in units:
        org_move(org=u, parent=ward, on=D(2025, 7, 1), actor=A)
    org_end(org=th, on=D(2025, 7, 1), actor=A)
    admit(units[0], D(2025, 9, 1), 5, start=9900)

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
    from dangvu.assessment.services import Decision as D_
    from dangvu.assessment.services import cycle_open, decide_many

    _city, th, units = district("TX", "Đảng bộ quận Tây Hồ", 10)
    Target.objects.create(
        organization=th,
        indicator="review.members_good_or_better",
        op=">=",
        value=Decimal("0.95"),
        first_year=2020,
        last_year=2025,
        title="Nghị quyết Đại hội đề ra",
    )
    Target.objects.create(
        organization=th,
        indicator="review.grassroots_good_or_better",
        op=">=",
        value=Decimal("0.90"),
        first_year=2020,
        last_year=2025,
        title="Nghị quyết Đại hội đề ra",
    )
    members = [m for i, u in enumerate(units) for m in admit(u, D(2015, 3, 1), 10, start=100 * i)]
    cycle = cycle_open(committee=th, year=2022, actor=A)
    # 96 of 100 members good or better (one top level per branch, within the quota); 4 satisfactory.
    decisions = [
        D_("m", m.pk, "excellent" if i % 10 == 0 else "satisfactory" if i % 25 == 1 else "good")
        for i, m in enumerate(members)
    ]
    decide_many(cycle=cycle, actor=A, decisions=decisions)
    decide_many(
        cycle=cycle,
        actor=A,
        decisions=[D_("o", u.pk, "good" if i < 9 else "satisfactory") for i, u in enumerate(units)],
    )
    got = indicators(
        "TX", "1/1/2022", "31/12/2022", "review.members_good_or_better", "review.grassroots_good_or_better"
    )
    f15 = got["review.members_good_or_better"]
    assert (f15["numerator"], f15["denominator"], f15["status"]) == (96, 100, "exceeded")
    assert f15["sentence"].startswith("tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên đạt 96,00% (vượt chỉ tiêu")
    f16 = got["review.grassroots_good_or_better"]
    assert (f16["numerator"], f16["denominator"], f16["status"]) == (9, 10, "met")
