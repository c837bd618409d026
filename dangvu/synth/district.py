"""Deterministic synthetic data: a province with districts, from 1976 to today, across the 2025 reform.

The organization history goes through the same services the application uses (so it obeys the
same rules and leaves the same lineage). Members are planned in Python against that history
(each member follows their unit when it is merged or absorbed) and loaded through
members.services.members_load, which runs every lifecycle rule on every history.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from dangvu.audit.services import Actor
from dangvu.domain import names
from dangvu.domain.membership import AdmissionCategory, EventKind, official_date
from dangvu.domain.orgtree import LineageKind, OrgKind, Sector
from dangvu.members.services import members_load
from dangvu.orgs.models import LineageEvent, LineageLink, Organization, OrgVersion
from dangvu.orgs.services import (
    Decision,
    NewOrg,
    org_absorb,
    org_dissolve,
    org_end,
    org_establish,
    org_merge,
    org_move,
    org_rename,
    org_split,
)

GENERATOR = Actor("trình sinh dữ liệu mẫu")
FOUNDED = dt.date(1976, 1, 1)
REFORM = dt.date(2025, 7, 1)  # QĐ 294-QĐ/TW and HD 31-HD/BTCTW: districts end, communes begin

PROVINCES = [
    ("Hà Nam", "HNA"),
    ("Ninh Bình", "NBI"),
    ("Nam Định", "NDI"),
    ("Hưng Yên", "HYE"),
    ("Thái Bình", "TBI"),
    ("Hải Dương", "HDU"),
    ("Bắc Ninh", "BNI"),
    ("Vĩnh Phúc", "VPH"),
]
DISTRICT_NAMES = [
    "Kim Bảng",
    "Thanh Liêm",
    "Bình Lục",
    "Lý Nhân",
    "Duy Tiên",
    "Gia Viễn",
    "Hoa Lư",
    "Yên Mô",
    "Ý Yên",
    "Vụ Bản",
]
WARDS = [
    "Quang Trung",
    "Lê Hồng Phong",
    "Trần Hưng Đạo",
    "Hai Bà Trưng",
    "Minh Khai",
    "Lam Hạ",
    "Thanh Châu",
    "Liêm Chính",
    "Châu Sơn",
    "Tân Hiệp",
    "Đông Hòa",
    "Phù Vân",
    "Kim Bình",
    "Tiên Hiệp",
    "Lê Lợi",
    "Thanh Tuyền",
    "Đinh Xá",
    "Trịnh Xá",
    "Liêm Tuyền",
    "Tiên Tân",
    "Nhật Tân",
    "Đồng Hóa",
]
AGENCIES = [
    "Văn phòng Huyện ủy",
    "Văn phòng HĐND và UBND huyện",
    "Phòng Tài chính – Kế hoạch",
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Kinh tế – Hạ tầng",
    "Thanh tra huyện",
    "Ủy ban MTTQ huyện",
    "Chi cục Thuế",
    "Kho bạc Nhà nước",
]
SCHOOLS = [
    "Trường THPT Nguyễn Khuyến",
    "Trường THPT Lý Thường Kiệt",
    "Trường THPT Kim Bảng A",
    "Trường THCS Trần Phú",
    "Trường THCS Lê Quý Đôn",
    "Trường Tiểu học Quang Trung",
    "Trường Mầm non Hoa Sen",
]
PUBLIC = ["Trung tâm Y tế huyện", "Bệnh viện Đa khoa huyện", "Trung tâm Văn hóa – Thể thao", "Ban Quản lý dự án"]
PRIVATE = [
    "Công ty TNHH May Hòa Thọ",
    "Công ty CP Xi măng Bút Sơn",
    "Công ty TNHH Dệt may Minh Anh",
    "Công ty CP Thực phẩm An Phát",
    "Công ty TNHH Điện tử Sumiden",
    "Công ty CP Đá Thanh Liêm",
    "Công ty TNHH Cơ khí Đức Thành",
    "Công ty CP Vận tải Hà Phát",
    "Công ty TNHH Bao bì Tân Tiến",
    "Công ty CP Gạch men Hoàng Long",
]
STATE = ["Công ty Điện lực huyện", "Công ty TNHH MTV Khai thác công trình thủy lợi"]
VILLAGES = ["Thôn", "Tổ dân phố", "Khu phố", "Xóm"]
AGENCY_BRANCHES = [
    "Chi bộ Văn phòng",
    "Chi bộ Tổ chức – Hành chính",
    "Chi bộ Kế hoạch – Tài vụ",
    "Chi bộ Nghiệp vụ 1",
    "Chi bộ Nghiệp vụ 2",
    "Chi bộ Kỹ thuật",
    "Chi bộ Sản xuất",
    "Chi bộ Kinh doanh",
    "Chi bộ Khám bệnh",
    "Chi bộ Điều trị",
    "Chi bộ Cận lâm sàng",
    "Chi bộ Đội 1",
    "Chi bộ Đội 2",
    "Chi bộ Đội 3",
]
PROFESSIONS = [
    "Cử nhân Luật",
    "Cử nhân Kinh tế",
    "Kỹ sư Nông nghiệp",
    "Cử nhân Sư phạm",
    "Bác sĩ",
    "Kỹ sư Xây dựng",
    "Cử nhân Hành chính",
    "Trung cấp Kế toán",
    "Cao đẳng Sư phạm",
    "Thạc sĩ Quản lý công",
    "Điều dưỡng",
]
OCCUPATIONS = [
    "Cán bộ, công chức",
    "Viên chức",
    "Giáo viên",
    "Công nhân",
    "Nông dân",
    "Hưu trí",
    "Lực lượng vũ trang",
    "Kinh doanh",
    "Học sinh, sinh viên",
    "Lao động tự do",
    "Bác sĩ",
]


@dataclass
class Unit:
    """A member-holding unit (chi bộ) with its life span, where its members go when it ends, and a weight."""

    org_id: int
    start: dt.date
    end: dt.date
    weight: float
    successor: int | None = None
    successor_event: int | None = None
    sector: str = ""


@dataclass
class Built:
    province: Organization
    districts: list[Organization] = field(default_factory=list)
    new_province: Organization | None = None
    communes: list[Organization] = field(default_factory=list)
    units: dict[int, Unit] = field(default_factory=dict)


class Codes:
    def __init__(self, prefix: str) -> None:
        self.prefix, self.n = prefix, 0

    def __call__(self, tag: str) -> str:
        self.n += 1
        return f"{self.prefix}{tag}{self.n:04d}"


def _d(year: int, month: int = 1, day: int = 1) -> dt.date:
    return dt.date(year, month, day)


def build_district(
    rng: random.Random, province: Organization, name: str, code: Callable[[str], str]
) -> tuple[Organization, list[Organization]]:
    """One district: ~55 grassroots organizations, ~330 branches, with a few changes over 2008–2024."""
    a = GENERATOR
    dec = Decision(f"{rng.randint(10, 200)}-QĐ/TU", FOUNDED)
    dist = org_establish(
        code=code("H"),
        name=f"Đảng bộ huyện {name}",
        kind=OrgKind.DISTRICT,
        sector=Sector.OTHER,
        parent=province,
        on=FOUNDED,
        actor=a,
        decision=dec,
    )
    grassroots: list[Organization] = []
    sector_of: dict[int, str] = {}

    def gr(title: str, kind: str, sector: str, on: dt.date = FOUNDED) -> Organization:
        o = org_establish(
            code=code("C"),
            name=title,
            kind=kind,
            sector=sector,
            parent=dist,
            on=on,
            actor=a,
            decision=Decision(f"{rng.randint(1, 400)}-QĐ/HU", on),
        )
        grassroots.append(o)
        sector_of[o.pk] = sector
        return o

    def branches(parent: Organization, titles: list[str], on: dt.date = FOUNDED) -> list[Organization]:
        return [
            org_establish(
                code=code("B"),
                name=t,
                kind=OrgKind.BRANCH,
                sector=Sector.OTHER,
                parent=parent,
                on=on,
                actor=a,
                decision=Decision(f"{rng.randint(1, 90)}-QĐ/ĐU", on),
            )
            for t in titles
        ]

    wards = rng.sample(WARDS, 20)
    for i, w in enumerate(wards):
        title = f"Đảng bộ {'thị trấn' if i == 0 else 'xã'} {w}"
        o = gr(title, OrgKind.GRASSROOTS_COMMITTEE, Sector.COMMUNE_WARD)
        n = rng.randint(11, 15)
        village = rng.choice(VILLAGES)
        # Names carry the commune's name: after the 2025 merges several communes' branches sit side by side.
        titles = [f"Chi bộ {village} {k} {w}" for k in range(1, n + 1)] + [
            f"Chi bộ Trường Mầm non {w}",
            f"Chi bộ Quân sự xã {w}",
        ]
        if i == 3:  # a large commune with a partial committee (đảng bộ bộ phận)
            part = org_establish(
                code=code("P"),
                name=f"Đảng bộ bộ phận Khu {w}",
                kind=OrgKind.PARTIAL_COMMITTEE,
                sector=Sector.RESIDENTIAL,
                parent=o,
                on=FOUNDED,
                actor=a,
            )
            branches(part, [f"Chi bộ Khu {w} {k}" for k in range(1, 4)])
        branches(o, titles)
    for title in rng.sample(AGENCIES, 10):
        gr(f"Chi bộ {title}", OrgKind.GRASSROOTS_BRANCH, Sector.AGENCY)
    for title in ("Đảng bộ Cơ quan Chính quyền huyện", "Đảng bộ Khối Đảng – Đoàn thể"):
        o = gr(title, OrgKind.GRASSROOTS_COMMITTEE, Sector.AGENCY)
        branches(o, [f"Chi bộ {t}" for t in rng.sample(AGENCIES, 9)])
    for title in SCHOOLS:
        gr(f"Chi bộ {title}", OrgKind.GRASSROOTS_BRANCH, Sector.SCHOOL)
    for title in PUBLIC[:2]:
        o = gr(f"Đảng bộ {title}", OrgKind.GRASSROOTS_COMMITTEE, Sector.PUBLIC_SERVICE)
        branches(o, rng.sample(AGENCY_BRANCHES, 5))
    for title in PUBLIC[2:]:
        gr(f"Chi bộ {title}", OrgKind.GRASSROOTS_BRANCH, Sector.PUBLIC_SERVICE)
    for title in STATE:
        o = gr(f"Đảng bộ {title}", OrgKind.GRASSROOTS_COMMITTEE, Sector.STATE_ENTERPRISE)
        branches(o, rng.sample(AGENCY_BRANCHES, 5))
    o = gr(f"Đảng bộ Quân sự huyện {name}", OrgKind.GRASSROOTS_COMMITTEE, Sector.ARMY)
    branches(o, ["Chi bộ Chỉ huy", "Chi bộ Tham mưu", "Chi bộ Chính trị – Hậu cần", "Chi bộ Dân quân tự vệ"])
    o = gr(f"Đảng bộ Công an huyện {name}", OrgKind.GRASSROOTS_COMMITTEE, Sector.POLICE)
    branches(
        o,
        [
            "Chi bộ An ninh",
            "Chi bộ Cảnh sát",
            "Chi bộ Tham mưu – Hậu cần",
            "Chi bộ Công an thị trấn",
            "Chi bộ Cảnh sát giao thông",
        ],
    )
    # Party organizations set up in private enterprises over the years (F7: "thành lập mới … DN ngoài nhà nước").
    private = rng.sample(PRIVATE, 10)
    years = sorted(rng.choices(range(2008, 2025), k=10))
    priv_orgs = [
        gr(f"Chi bộ {t}", OrgKind.GRASSROOTS_BRANCH, Sector.PRIVATE_ENTERPRISE, _d(y, rng.randint(2, 11), 1))
        for t, y in zip(private, years, strict=True)
    ]

    # History before the reform: a rename, an absorption, a dissolution, a split, a kind change.
    ward0 = grassroots[1]
    org_rename(
        org=ward0,
        name=f"Đảng bộ thị trấn {wards[1]}",
        on=_d(2015, 4, 1),
        actor=a,
        decision=Decision(f"{rng.randint(100, 300)}-QĐ/HU", _d(2015, 3, 20)),
    )
    agencies = [g for g in grassroots if sector_of[g.pk] == Sector.AGENCY][:2]
    org_absorb(
        source=agencies[1],
        into=agencies[0],
        on=_d(2019, 1, 1),
        actor=a,
        decision=Decision(f"{rng.randint(300, 500)}-QĐ/HU", _d(2018, 12, 20)),
    )
    early_private = [p for p, y in zip(priv_orgs, years, strict=True) if y <= 2012]
    if early_private:  # the enterprise closed; its members are planned to move on (plan_members)
        org_dissolve(
            org=early_private[0],
            on=_d(2016, 7, 1),
            actor=a,
            decision=Decision(f"{rng.randint(100, 300)}-QĐ/HU", _d(2016, 6, 20)),
        )
    big = OrgVersion.objects.filter(parent=grassroots[5], kind=OrgKind.BRANCH).order_by("name").first()
    if big is not None:
        org_split(
            source=big.organization,
            parent=grassroots[5],
            on=_d(2018, 1, 1),
            actor=a,
            parts=[
                NewOrg(code("B"), f"{big.name}A", OrgKind.BRANCH, Sector.RESIDENTIAL),
                NewOrg(code("B"), f"{big.name}B", OrgKind.BRANCH, Sector.RESIDENTIAL),
            ],
            allocation={},
            decision=Decision(f"{rng.randint(1, 90)}-QĐ/ĐU", _d(2017, 12, 15)),
        )
    return dist, grassroots


def apply_reform(
    rng: random.Random,
    province: Organization,
    neighbour: Organization,
    districts: list[Organization],
    code: Callable[[str], str],
) -> tuple[Organization, list[Organization]]:
    """01/07/2025: each district ends; its ward and commune committees are absorbed into new commune
    committees (2–4 into one), its other grassroots organizations move under those communes (two agency
    branches are merged first); then the province merges with its neighbour into a new province of the
    same name (Bộ Chính trị decisions of 06/2025, e.g. 321-QĐ/TW)."""
    a, on = GENERATOR, REFORM
    hd31 = Decision("31-HD/BTCTW", _d(2025, 4, 23))
    communes: list[Organization] = []
    for dist in districts:
        children = list(
            OrgVersion.objects.filter(parent=dist, valid_from__lte=on, valid_to__gt=on)
            .select_related("organization")
            .order_by("organization__code")
        )
        wards = [v for v in children if v.sector == Sector.COMMUNE_WARD]
        others = [v for v in children if v.sector != Sector.COMMUNE_WARD]
        groups: list[list[OrgVersion]] = []
        i = 0
        while i < len(wards):
            size = min(rng.choice([2, 3, 3, 4]), len(wards) - i)
            groups.append(wards[i : i + size])
            i += size
        mine: list[Organization] = []
        for group in groups:
            base = group[0].name.removeprefix("Đảng bộ ").removeprefix("thị trấn ").removeprefix("xã ")
            commune = org_establish(
                code=code("X"),
                name=f"Đảng bộ {'phường' if rng.random() < 0.4 else 'xã'} {base}",
                kind=OrgKind.COMMUNE,
                sector=Sector.COMMUNE_WARD,
                parent=province,
                on=on,
                actor=a,
                decision=Decision(f"{rng.randint(1000, 1300)}-QĐ/TU", _d(2025, 6, 28)),
            )
            for w in group:
                org_absorb(source=w.organization, into=commune, on=on, actor=a, decision=hd31)
            mine.append(commune)
        agency_branches = [v for v in others if v.kind == OrgKind.GRASSROOTS_BRANCH and v.sector == Sector.AGENCY]
        if len(agency_branches) >= 2:
            pair = agency_branches[:2]
            org_merge(
                sources=[v.organization for v in pair],
                parent=mine[0],
                on=on,
                actor=a,
                decision=hd31,
                new=NewOrg(code("C"), "Chi bộ Cơ quan Đảng – Chính quyền xã", OrgKind.GRASSROOTS_BRANCH, Sector.AGENCY),
            )
            others = [v for v in others if v not in pair]
        for v in others:
            org_move(org=v.organization, parent=rng.choice(mine), on=on, actor=a, decision=hd31)
        org_end(org=dist, on=on, actor=a, decision=Decision("31-HD/BTCTW", _d(2025, 4, 23)))
        communes += mine
    name = province.versions.get(valid_from__lte=on, valid_to__gt=on).name
    new_code = province.code.rstrip("0123456789") + "25"
    merged_province = org_merge(
        sources=[province, neighbour],
        parent=None,
        on=on,
        actor=a,
        new=NewOrg(new_code, name, OrgKind.PROVINCE, Sector.OTHER),
        decision=Decision(f"{rng.randint(300, 340)}-QĐ/TW", _d(2025, 6, 25)),
    )
    return merged_province, communes


def member_units(today: dt.date) -> dict[int, Unit]:
    """Member-holding units with their life spans and where their members go when they end."""
    units: dict[int, Unit] = {}
    for v in OrgVersion.objects.filter(kind__in=[OrgKind.BRANCH, OrgKind.GRASSROOTS_BRANCH]).order_by(
        "valid_from", "organization__code"
    ):
        u = units.get(v.organization_id)
        if u is None:
            units[v.organization_id] = Unit(v.organization_id, v.valid_from, v.valid_to, 0.0, sector=v.sector)
        else:
            u.end = max(u.end, v.valid_to)
    successors: dict[int, tuple[list[int], int]] = {}
    for link in (
        LineageLink.objects.filter(role=LineageLink.Role.SOURCE)
        .order_by("event__effective_on", "event_id", "organization__code")
        .exclude(event__kind__in=[LineageKind.RENAMED, LineageKind.MOVED])
        .select_related("event")
    ):
        targets = list(
            LineageLink.objects.filter(event_id=link.event_id, role=LineageLink.Role.TARGET)
            .order_by("organization__code")
            .values_list("organization_id", flat=True)
        )
        successors[link.organization_id] = (targets, link.event_id)
    for u in units.values():
        if u.org_id in successors:
            targets, ev = successors[u.org_id]
            u.successor = targets[0] if targets else None
            u.successor_event = ev
    return units


@dataclass
class Person:
    profile: dict[str, Any]
    events: list[dict[str, Any]]


class MemberPlanner:
    """Plans realistic member histories against the organization history (all rules respected)."""

    def __init__(self, rng: random.Random, units: dict[int, Unit], today: dt.date, province_code: str) -> None:
        self.rng, self.units, self.today, self.prov = rng, units, today, province_code
        for u in units.values():
            u.weight = (
                rng.uniform(8, 22) if u.sector in (Sector.PRIVATE_ENTERPRISE, Sector.AGENCY) else rng.uniform(18, 48)
            )
        self.split_parts: dict[int, list[int]] = defaultdict(list)
        splits = LineageEvent.objects.filter(kind=LineageKind.SPLIT).order_by("effective_on", "id")
        for ev in splits.prefetch_related("links"):
            src = [lk.organization_id for lk in ev.links.all() if lk.role == LineageLink.Role.SOURCE]
            tgt = sorted(lk.organization_id for lk in ev.links.all() if lk.role == LineageLink.Role.TARGET)
            for s in src:
                self.split_parts[s] = tgt
        self.serial = 0

    def pick_unit(self, on: dt.date, exclude: int | None = None) -> Unit | None:
        live = [u for u in self.units.values() if u.start <= on < u.end and u.org_id != exclude]
        if not live:
            return None
        # A unit set up after the founding draws members faster in its first years (transfers, admissions).
        weights = [u.weight * (25 if u.start > FOUNDED and (on - u.start).days < 3 * 365 else 1) for u in live]
        return self.rng.choices(live, weights=weights)[0]

    def rand_date(self, start: dt.date, end: dt.date) -> dt.date:
        span = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def person(self) -> Person | None:
        rng, today = self.rng, self.today
        self.serial += 1
        gender = "male" if rng.random() < 0.58 else "female"
        full_name = names.person_name(rng, gender)
        # Admission year: the standing stock from before 2008, then a steady ~1.7% a year.
        if rng.random() < 0.6:
            year = int(rng.triangular(1965, 2008, 2004))
        else:
            year = rng.randint(2008, today.year)
        decided = self.rand_date(_d(year), min(_d(year, 12, 31), today - dt.timedelta(days=40)))
        age_years = int(rng.triangular(18, 50, 24))
        birth = decided - dt.timedelta(days=age_years * 365 + rng.randint(40, 330))
        reviewed = decided - dt.timedelta(days=rng.randint(15, 50))
        if (reviewed - birth).days < 18 * 366:
            birth = reviewed - dt.timedelta(days=18 * 366 + rng.randint(30, 400))
        ceremony = decided + dt.timedelta(days=rng.randint(7, 40))
        category = AdmissionCategory.GENERAL
        r = rng.random()
        if decided.year >= 2008:
            if r < 0.05 and age_years <= 19:
                category = AdmissionCategory.HIGH_SCHOOL_STUDENT
            elif r < 0.10:
                category = AdmissionCategory.PRE_ENLISTMENT
            elif r < 0.14:
                category = AdmissionCategory.STUDENT
            elif r < 0.20:
                category = AdmissionCategory.PRIVATE_ENTERPRISE_WORKER
            elif r < 0.23:
                category = AdmissionCategory.RELIGIOUS
        unit = self.pick_unit(decided)
        events: list[dict[str, Any]] = []
        if unit is None or rng.random() < 0.04:
            # Admitted elsewhere, transferred in later.
            arrive = self.rand_date(max(FOUNDED, ceremony + dt.timedelta(days=400)), today - dt.timedelta(days=30))
            unit = self.pick_unit(arrive)
            if unit is None or arrive <= ceremony:
                return None
            events.append(
                dict(
                    kind=EventKind.ADMISSION,
                    on=decided,
                    organization_id=None,
                    decided_on=decided,
                    ceremony_on=ceremony,
                    reviewed_on=reviewed,
                    category=category,
                    decision_ref=f"{rng.randint(1, 999)}-QĐ/HU",
                )
            )
            official = official_date(ceremony)
            events.append(dict(kind=EventKind.RECOGNITION, on=official, decided_on=official + dt.timedelta(days=20)))
            events.append(
                dict(
                    kind=EventKind.TRANSFER_IN,
                    on=arrive,
                    organization_id=unit.org_id,
                    counterpart="Đảng bộ tỉnh khác",
                    decision_ref=f"{rng.randint(1, 999)}-GCT/TU",
                )
            )
            t = arrive
        else:
            events.append(
                dict(
                    kind=EventKind.ADMISSION,
                    on=decided,
                    organization_id=unit.org_id,
                    decided_on=decided,
                    ceremony_on=ceremony,
                    reviewed_on=reviewed,
                    category=category,
                    decision_ref=f"{rng.randint(1, 999)}-QĐ/HU",
                )
            )
            official = official_date(ceremony)
            t = decided
            if official <= today:
                if rng.random() < 0.015 and official + dt.timedelta(days=15) < unit.end:
                    events.append(
                        dict(
                            kind=EventKind.REMOVAL,
                            on=official + dt.timedelta(days=15),
                            note="Không đủ điều kiện công nhận chính thức",
                        )
                    )
                    return self._finish(full_name, gender, birth, events)
                decided_official = official + dt.timedelta(days=rng.randint(0, 40))
                if decided_official <= today:
                    events.append(
                        dict(
                            kind=EventKind.RECOGNITION,
                            on=official,
                            decided_on=decided_official,
                            decision_ref=f"{rng.randint(1, 999)}-QĐ/HU",
                        )
                    )
        self._life(events, unit, t, birth)
        return self._finish(full_name, gender, birth, events)

    def _life(self, events: list[dict[str, Any]], unit: Unit, t: dt.date, birth: dt.date) -> None:
        """Year by year: follow the unit when it ends; maybe transfer, be exempted, leave or die."""
        rng, today = self.rng, self.today
        exempted = False
        current = unit
        day = t
        while day < today:
            nxt = min(_d(day.year + 1), today)
            if current.end <= nxt:  # the unit ends inside this year: follow it
                parts = self.split_parts.get(current.org_id)
                target_id = rng.choice(parts) if parts else current.successor
                target = self.units.get(target_id) if target_id else None
                if target is None or not (target.start <= current.end < target.end):
                    target = self.pick_unit(current.end, exclude=current.org_id)
                if target is None:
                    return
                events.append(
                    dict(
                        kind=EventKind.TRANSFER_IN,
                        on=current.end,
                        organization_id=target.org_id,
                        lineage_event_id=current.successor_event,
                        note="Theo quyết định sắp xếp tổ chức",
                    )
                )
                day, current = current.end, target
                continue
            age = (day - birth).days / 365.25
            death_p = 0.001 if age < 50 else 0.006 if age < 70 else 0.03 if age < 80 else 0.08
            when = (
                self.rand_date(day + dt.timedelta(days=1), nxt - dt.timedelta(days=1))
                if nxt - day > dt.timedelta(days=2)
                else None
            )
            if when is None or when <= (events[-1]["on"]):
                day = nxt
                continue
            r = rng.random()
            if r < death_p:
                events.append(dict(kind=EventKind.DEATH, on=when))
                return
            r -= death_p
            if r < 0.006:
                events.append(
                    dict(
                        kind=EventKind.TRANSFER_OUT,
                        on=when,
                        counterpart="Đảng bộ tỉnh khác",
                        decision_ref=f"{rng.randint(1, 999)}-GCT/HU",
                    )
                )
                return
            r -= 0.006
            if r < 0.0012:
                kind = rng.choice([EventKind.REMOVAL, EventKind.REMOVAL, EventKind.EXPULSION, EventKind.RESIGNATION])
                events.append(dict(kind=kind, on=when, decision_ref=f"{rng.randint(1, 999)}-QĐ/UBKTHU"))
                back = when + dt.timedelta(days=rng.randint(37 * 31, 60 * 31))
                if kind == EventKind.REMOVAL and rng.random() < 0.1 and back < today - dt.timedelta(days=60):
                    unit2 = self.pick_unit(back)
                    if unit2 is not None:
                        cer = back + dt.timedelta(days=20)
                        events.append(
                            dict(
                                kind=EventKind.READMISSION,
                                on=back,
                                organization_id=unit2.org_id,
                                decided_on=back,
                                ceremony_on=cer,
                                reviewed_on=back - dt.timedelta(days=20),
                                approval_ref=f"{rng.randint(1, 99)}-CV/TU",
                            )
                        )
                        day, current = back, unit2
                        continue
                return
            r -= 0.0012
            if r < 0.012 and current.sector != Sector.PRIVATE_ENTERPRISE:
                target = self.pick_unit(when, exclude=current.org_id)
                if target is not None:
                    events.append(
                        dict(
                            kind=EventKind.TRANSFER_IN,
                            on=when,
                            organization_id=target.org_id,
                            decision_ref=f"{rng.randint(1, 999)}-GCT/HU",
                        )
                    )
                    current = target
            elif not exempted and age >= 70 and rng.random() < 0.05:
                events.append(dict(kind=EventKind.EXEMPTION, on=when, note="Tuổi cao, sức yếu"))
                exempted = True
            day = nxt

    def _finish(self, full_name: str, gender: str, birth: dt.date, events: list[dict[str, Any]]) -> Person:
        rng, n = self.rng, self.serial
        official = any(e["kind"] == EventKind.RECOGNITION for e in events)
        profile = dict(
            code=f"DV{n:07d}",
            full_name=full_name,
            gender=gender,
            birth_date=birth,
            ethnicity="Kinh" if rng.random() < 0.95 else rng.choice(["Tày", "Mường", "Thái", "Nùng", "Dao", "Hoa"]),
            religion="" if rng.random() < 0.9 else rng.choice(["Phật giáo", "Công giáo"]),
            hometown=f"xã {rng.choice(WARDS)}, tỉnh {rng.choice(PROVINCES)[0]}",
            residence=f"{rng.choice(VILLAGES)} {rng.randint(1, 15)}, xã {rng.choice(WARDS)}",
            citizen_id=f"{self.prov}{(0 if birth.year < 2000 else 2) + (1 if gender == 'female' else 0)}"
            f"{birth.year % 100:02d}{(n * 7919) % 1_000_000:06d}",
            card_number=f"{(n * 104_729 + 10_000_000) % 100_000_000:08d}" if official else None,
            dossier_number=f"{n:06d}{self.prov[-2:]}",
            phone=f"09{rng.randint(10_000_000, 99_999_999)}",
            general_education="12/12" if birth.year > 1960 else "10/10",
            professional_education=rng.choice(PROFESSIONS) if rng.random() < 0.7 else "",
            political_theory=rng.choice(["", "", "elementary", "elementary", "intermediate", "advanced"]),
            occupation=rng.choice(OCCUPATIONS),
        )
        return Person(profile, events)


def plan_members(rng: random.Random, today: dt.date, count: int, province_code: str) -> list[Person]:
    planner = MemberPlanner(rng, member_units(today), today, province_code)
    people: list[Person] = []
    while len(people) < count:
        p = planner.person()
        if p is not None:
            people.append(p)
    return people


@dataclass
class Summary:
    organizations: int
    members_planned: int
    root_code: str
    district_codes: list[str]


@transaction.atomic
def generate(
    *,
    profile: str,
    seed: int,
    members: int | None = None,
    today: dt.date | None = None,
    rate_from: int | None = None,
    progress: Callable[[str], None] = lambda s: None,
) -> Summary:
    """profile 'district': one district (~55 grassroots, ~330 branches, ~12,000 members today);
    'province': six districts. Deterministic for a given seed and `today`. With rate_from, the annual
    reviews from that year to the last full year (at most 2025) are rated through the review services."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    n_districts = {"district": 1, "province": 6}[profile]
    prov_name, prov_code = rng.choice(PROVINCES)
    code = Codes(prov_code)
    province = org_establish(
        code=f"{prov_code}00",
        name=f"Đảng bộ tỉnh {prov_name}",
        kind=OrgKind.PROVINCE,
        sector=Sector.OTHER,
        parent=None,
        on=FOUNDED,
        actor=GENERATOR,
    )
    n_name, n_code = rng.choice([p for p in PROVINCES if p[1] != prov_code])
    neighbour = org_establish(
        code=f"{n_code}00",
        name=f"Đảng bộ tỉnh {n_name}",
        kind=OrgKind.PROVINCE,
        sector=Sector.OTHER,
        parent=None,
        on=FOUNDED,
        actor=GENERATOR,
    )
    for title in ("Chi bộ Sở Nội vụ", "Chi bộ Sở Tư pháp", "Chi bộ Báo tỉnh"):
        org_establish(
            code=f"{n_code}C{rng.randint(100, 999)}{len(title)}",
            name=title,
            kind=OrgKind.GRASSROOTS_BRANCH,
            sector=Sector.AGENCY,
            parent=neighbour,
            on=FOUNDED,
            actor=GENERATOR,
        )
    districts = []
    for name in rng.sample(DISTRICT_NAMES, n_districts):
        progress(f"Huyện {name}")
        dist, _ = build_district(rng, province, name, code)
        districts.append(dist)
    apply_reform(rng, province, neighbour, districts, code)
    target = members or 12_000 * n_districts
    progress(f"Lập hồ sơ {target:,} người".replace(",", "."))
    # About 25% of everyone ever admitted has left, died or moved away by today.
    people = plan_members(rng, today, int(target * 1.33), "0" + str(rng.randint(10, 99)))
    progress("Ghi vào cơ sở dữ liệu")
    members_load([(p.profile, p.events) for p in people], actor=GENERATOR)
    if rate_from is not None:
        from .ratings import rate_demo

        rate_demo(seed, first_year=rate_from, last_year=min(today.year - 1, 2025), progress=progress)
    return Summary(Organization.objects.count(), len(people), province.code, [d.code for d in districts])
