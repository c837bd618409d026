"""Deterministic synthetic data: a province with districts, from 1976 to today, across the 2025 reform.

The organization history goes through the same services the application uses (so it obeys the
same rules and leaves the same lineage). Members are planned in Python against that history
(each member follows their unit when it is merged or absorbed) and loaded through
members.services.members_load, which runs every lifecycle rule on every history.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from dangvu.audit.services import Actor
from dangvu.db import refresh_statistics
from dangvu.domain.orgtree import OrgKind, Sector
from dangvu.members.services import members_load
from dangvu.orgs.models import Organization, OrgVersion
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
from dangvu.work.due import rebuild as rebuild_alerts

from .planner import plan_members
from .pools import (
    AGENCIES,
    AGENCY_BRANCHES,
    DISTRICT_NAMES,
    FOUNDED,
    PRIVATE,
    PROVINCES,
    PUBLIC,
    REFORM,
    SCHOOLS,
    STATE,
    VILLAGES,
    WARDS,
    _d,
)

GENERATOR = Actor("trình sinh dữ liệu mẫu")


class Codes:
    def __init__(self, prefix: str) -> None:
        self.prefix, self.n = prefix, 0

    def __call__(self, tag: str) -> str:
        self.n += 1
        return f"{self.prefix}{tag}{self.n:04d}"


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
    work: bool = False,
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
    if work:
        from .work_demo import generate_work

        progress("Hồ sơ công tác xây dựng Đảng 2008 đến nay")
        for i, d in enumerate(districts):
            generate_work(seed, d, today, badges=(i == 0))
        for c in Organization.objects.filter(versions__kind="commune").distinct().order_by("code"):
            generate_work(seed, c, today, terms=((2025, 2030),), badges=False)
    progress("Cảnh báo lưu sẵn (việc đến hạn)")
    rebuild_alerts(on=today)
    refresh_statistics()
    return Summary(Organization.objects.count(), len(people), province.code, [d.code for d in districts])
