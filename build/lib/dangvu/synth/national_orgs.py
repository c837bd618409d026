"""The national map of organizations, built in memory with the same semantics as orgs.services.

The services are too slow for 330,000 organizations (each change is a handful of queries and an
ancestry rebuild), so the national profile replays their rules on an in-memory ledger instead:
a change closes the version valid on its date and opens a new one (a second change on the same
day amends that day's version), records a lineage event with its links, and checks placement with
domain.orgtree.check_parent. Ancestry is then derived from the versions with the very
AncestryBuilder that orgs.services.rebuild_ancestry uses, so the rows are the ones the services
would have written. No Django here.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from dangvu.domain.membership import MEMBER_HOLDING_KINDS
from dangvu.domain.orgtree import AncestryBuilder, LineageKind, OrgKind, Sector, VersionRow, check_parent
from dangvu.domain.periods import OPEN_END, Period
from dangvu.domain.vietnamese import fold, nfc

from . import national_geo as geo

FOUNDED = dt.date(1976, 1, 1)
REFORM = dt.date(2025, 7, 1)  # QĐ 294-QĐ/TW, HD 31-HD/BTCTW: districts end, commune committees begin
HD31 = ("31-HD/BTCTW", dt.date(2025, 4, 23))

Decision = tuple[str, dt.date | None]
NO_DECISION: Decision = ("", None)


class Version:
    __slots__ = ("end", "event", "kind", "name", "parent", "sector", "start")

    def __init__(
        self, start: dt.date, end: dt.date, name: str, kind: str, sector: str, parent: int | None, event: int
    ) -> None:
        self.start, self.end, self.name, self.kind, self.sector, self.parent, self.event = (
            start,
            end,
            name,
            kind,
            sector,
            parent,
            event,
        )


@dataclass
class Ledger:
    """Organizations (id = index), their versions, lineage events and links; ids start at 1."""

    codes: list[str] = field(default_factory=lambda: [""])
    versions: list[list[Version]] = field(default_factory=lambda: [[]])
    events: list[tuple[str, dt.date, str, dt.date | None, str]] = field(
        default_factory=lambda: [("", FOUNDED, "", None, "")]
    )
    links: list[tuple[int, int, str]] = field(default_factory=list)  # (event, organization, role)
    kids: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # every parent ever
    # Member-holding units: where their members go when they end (targets, lineage event).
    successor: dict[int, tuple[tuple[int, ...], int]] = field(default_factory=dict)
    weight: dict[int, float] = field(default_factory=dict)  # member-holding units: relative size
    province: dict[int, int] = field(default_factory=dict)  # member-holding units: old province index

    # ------------------------------------------------------------ reads

    def current(self, org: int, on: dt.date) -> Version:
        for v in reversed(self.versions[org]):
            if v.start <= on < v.end:
                return v
        raise ValueError(f"Tổ chức '{self.codes[org]}' không hoạt động vào ngày {on:%d/%m/%Y}.")

    def children_on(self, orgs: Sequence[int], on: dt.date) -> list[int]:
        out: dict[int, None] = {}
        for parent in orgs:
            for kid in self.kids[parent]:
                for v in self.versions[kid]:
                    if v.start <= on < v.end and v.parent == parent:
                        out[kid] = None
        return list(out)

    @property
    def count(self) -> int:
        return len(self.codes) - 1

    # ------------------------------------------------------------ writes (the services' rules)

    def _event(
        self, kind: str, on: dt.date, decision: Decision, sources: Sequence[int] = (), targets: Sequence[int] = ()
    ) -> int:
        self.events.append((kind, on, decision[0], decision[1], ""))
        ev = len(self.events) - 1
        self.links += [(ev, o, "source") for o in sources]
        self.links += [(ev, o, "target") for o in targets]
        return ev

    def _place(self, kind: str, name: str, parent: int | None, on: dt.date) -> None:
        pv = self.current(parent, on) if parent is not None else None
        problems = check_parent(kind, pv.kind if pv else None, name=name, parent_name=pv.name if pv else "")
        if problems:
            raise ValueError(problems[0].message)

    def establish(
        self,
        code: str,
        name: str,
        kind: str,
        sector: str,
        parent: int | None,
        on: dt.date,
        decision: Decision = NO_DECISION,
        *,
        weight: float = 0.0,
        province: int = -1,
    ) -> int:
        name = nfc(name)
        self._place(kind, name, parent, on)
        self.codes.append(code)
        org = len(self.codes) - 1
        ev = self._event(LineageKind.ESTABLISHED, on, decision, targets=[org])
        self.versions.append([Version(on, OPEN_END, name, kind, sector, parent, ev)])
        if parent is not None:
            self.kids[parent].append(org)
        if kind in MEMBER_HOLDING_KINDS:
            self.weight[org], self.province[org] = weight, province
        return org

    def _new_version(self, org: int, on: dt.date, ev: int, *, name: str | None = None, parent: int | None = -1) -> None:
        cur = self.current(org, on)
        if self.versions[org][-1].start > on:
            raise ValueError(f"'{cur.name}' đã có thay đổi sau ngày {on:%d/%m/%Y}.")
        new_parent = cur.parent if parent == -1 else parent
        if new_parent is not None and new_parent != cur.parent:
            self.kids[new_parent].append(org)
        if cur.start == on:  # a second change on the same day amends that day's version
            cur.name, cur.parent, cur.event = name or cur.name, new_parent, ev
            return
        cur.end = on
        self.versions[org].append(Version(on, OPEN_END, name or cur.name, cur.kind, cur.sector, new_parent, ev))

    def _close(self, org: int, on: dt.date) -> None:
        cur = self.current(org, on)
        if cur.start >= on:
            raise ValueError(f"'{cur.name}' bắt đầu từ {cur.start:%d/%m/%Y}, không thể kết thúc ngày {on:%d/%m/%Y}.")
        cur.end = on

    def rename(self, org: int, name: str, on: dt.date, decision: Decision) -> int:
        ev = self._event(LineageKind.RENAMED, on, decision, [org], [org])
        self._new_version(org, on, ev, name=nfc(name))
        return ev

    def move(self, org: int, parent: int, on: dt.date, decision: Decision) -> int:
        cur = self.current(org, on)
        self._place(cur.kind, cur.name, parent, on)
        ev = self._event(LineageKind.MOVED, on, decision, [org], [org])
        self._new_version(org, on, ev, parent=parent)
        return ev

    def combine(
        self,
        kind: str,
        sources: Sequence[int],
        on: dt.date,
        decision: Decision,
        *,
        into: int | None = None,
        new: tuple[str, str, str, str] | None = None,
        parent: int | None = None,
        weight: float = 0.0,
        province: int = -1,
    ) -> tuple[int, int]:
        """org_merge (new=(code, name, kind, sector)) or org_absorb (into=target); returns (target, event)."""
        if new is not None:
            target = self.establish(*new, parent, on, decision, weight=weight, province=province)
        else:
            assert into is not None
            target = into
        ev = self._event(kind, on, decision, sources, [target])
        children = self.children_on(sources, on)
        for s in sources:
            self._close(s, on)
        tv = self.current(target, on)
        for child in children:
            self._place(self.current(child, on).kind, "", target, on)
            self._new_version(child, on, ev, parent=target)
        for s in sources:
            if s in self.weight:  # its members transfer to the target (orgs.services._relocate)
                if tv.kind not in MEMBER_HOLDING_KINDS:
                    raise ValueError(f"'{tv.name}' không phải chi bộ, không nhận đảng viên chuyển đến.")
                self.successor[s] = ((target,), ev)
        return target, ev

    def split(
        self,
        source: int,
        parts: Sequence[tuple[str, str, str, str]],
        parent: int,
        on: dt.date,
        decision: Decision,
        weight: float,
        province: int,
    ) -> list[int]:
        """org_split of a branch without sub-units; its members are allocated to the parts (by the planner)."""
        if self.children_on([source], on):
            raise ValueError("split: only branches without sub-units here")
        created = [self.establish(*p, parent, on, decision, weight=weight, province=province) for p in parts]
        ev = self._event(LineageKind.SPLIT, on, decision, [source], created)
        self._close(source, on)
        self.successor[source] = (tuple(created), ev)
        return created

    def dissolve(
        self, org: int, on: dt.date, decision: Decision, *, members_to: int | None = None, kind: str = "dissolved"
    ) -> int:
        if self.children_on([org], on):
            raise ValueError(f"'{self.codes[org]}' còn tổ chức trực thuộc.")
        ev = self._event(kind, on, decision, [org], [members_to] if members_to else [])
        self._close(org, on)
        if members_to is not None:
            self.successor[org] = ((members_to,), ev)
        return ev

    # ------------------------------------------------------------ derived

    def version_rows(self) -> dict[int, list[VersionRow]]:
        return {
            org: [VersionRow(org, Period(v.start, v.end), v.parent, v.kind) for v in vs]
            for org, vs in enumerate(self.versions)
            if org
        }

    def ancestry(self) -> Iterator[tuple[int, int, int, str, dt.date, dt.date]]:
        """(organization, ancestor, depth, ancestor_kind, valid_from, valid_to): AncestryBuilder.rows()
        unrolled (the same rows, without building a dataclass for each)."""
        builder = AncestryBuilder(self.version_rows())
        for org in range(1, len(self.codes)):
            for (start, end), path in builder.paths(org):
                for depth, (anc, kind) in enumerate(path):
                    yield org, anc, depth, kind, start, end


# ---------------------------------------------------------------- the national map


@dataclass
class DistrictInfo:
    org: int
    province: int  # index into geo.PROVINCES
    urban: bool


@dataclass
class NationalMap:
    ledger: Ledger
    provinces: list[int]  # org ids of the 63 old provinces (geo.PROVINCES order)
    districts: list[DistrictInfo]
    new_provinces: list[int]  # org ids of the 34 provinces from 01/07/2025 (empty without the reform)
    communes: list[int]  # new commune committees (01/07/2025)
    reform: bool


class PlaceNames:
    """Two-syllable place names, unique within a scope."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def take(self, used: set[str]) -> str:
        s = geo.PLACE_SYLLABLES
        while True:
            a, b = self.rng.choice(s), self.rng.choice(s)
            name = f"{a} {b}"
            if a != b and name not in used:
                used.add(name)
                return name


def _d(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=int(rng.random() * max((end - start).days, 1)))


class MapBuilder:
    def __init__(self, seed: int, *, reform: bool) -> None:
        self.rng = random.Random(f"dangvu-national-orgs-{seed}")
        self.names = PlaceNames(self.rng)
        self.L = Ledger()
        self.reform = reform
        self.province_orgs: list[int] = []
        self.districts: list[DistrictInfo] = []

    # -- helpers

    def ref(self, suffix: str, on: dt.date) -> Decision:
        return (f"{self.rng.randint(1, 999)}-QĐ/{suffix}", on - dt.timedelta(days=self.rng.randint(5, 30)))

    def branches(
        self,
        parent: int,
        code: str,
        titles: Sequence[str],
        sector: str,
        weight: tuple[float, float],
        province: int,
        on: dt.date = FOUNDED,
    ) -> list[int]:
        rng = self.rng
        return [
            self.L.establish(
                f"{code}B{k:02d}",
                t,
                OrgKind.BRANCH,
                sector,
                parent,
                on,
                self.ref("ĐU", on),
                weight=rng.uniform(*weight),
                province=province,
            )
            for k, t in enumerate(titles, 1)
        ]

    def grassroots(
        self,
        code: str,
        title: str,
        sector: str,
        parent: int,
        province: int,
        *,
        committee: bool,
        n_branches: int = 0,
        branch_titles: Sequence[str] = geo.BRANCH_TITLES,
        weight: tuple[float, float] = (6, 22),
        on: dt.date = FOUNDED,
        suffix: str = "HU",
    ) -> int:
        rng = self.rng
        if committee:
            org = self.L.establish(
                code, f"Đảng bộ {title}", OrgKind.GRASSROOTS_COMMITTEE, sector, parent, on, self.ref(suffix, on)
            )
            titles = [f"Chi bộ {t}" for t in rng.sample(list(branch_titles), min(n_branches, len(branch_titles)))]
            self.branches(org, code, titles, sector, weight, province, on)
            return org
        return self.L.establish(
            code,
            f"Chi bộ {title}",
            OrgKind.GRASSROOTS_BRANCH,
            sector,
            parent,
            on,
            self.ref(suffix, on),
            weight=rng.uniform(*weight),
            province=province,
        )

    # -- provinces

    def build(self, progress: Callable[[str], None] = lambda s: None) -> NationalMap:
        for pi, p in enumerate(geo.PROVINCES):
            self.province(pi, p)
        progress(f"{self.L.count:,} tổ chức trước cải cách")
        communes: list[int] = []
        new_provinces: list[int] = []
        if self.reform:
            new_provinces, communes = self.apply_reform()
        return NationalMap(self.L, self.province_orgs, self.districts, new_provinces, communes, self.reform)

    def province(self, pi: int, p: geo.Province) -> None:
        rng, L = self.rng, self.L
        label = "thành phố" if p.city else "tỉnh"
        pc = f"T{p.code:02d}"
        prov = L.establish(pc, f"Đảng bộ {label} {p.name}", OrgKind.PROVINCE, Sector.OTHER, None, FOUNDED)
        self.province_orgs.append(prov)
        P = p.population
        density = geo.REGION_DENSITY[p.region]
        blocs = [
            ("K1", f"Đảng bộ Khối các cơ quan {label} {p.name}", Sector.AGENCY),
            ("K2", f"Đảng bộ Khối doanh nghiệp {label} {p.name}", Sector.STATE_ENTERPRISE),
            ("K3", f"Đảng bộ Quân sự {label} {p.name}", Sector.ARMY),
            ("K4", f"Đảng bộ Công an {label} {p.name}", Sector.POLICE),
        ]
        bloc_ids = [
            L.establish(f"{pc}{k}", name, OrgKind.BLOC, sector, prov, FOUNDED, self.ref("TU", FOUNDED))
            for k, name, sector in blocs
        ]
        w = (6 * density, 22 * density)
        # Khối các cơ quan: departments and the provincial committee's own bodies.
        used: set[str] = set()
        titles = list(geo.PROVINCE_AGENCIES)
        for k in range(int(30 + P / 60)):
            title = titles[k] if k < len(titles) else f"{rng.choice(geo.PROVINCE_EXTRA)} {self.names.take(used)}"
            self.grassroots(
                f"{pc}K1C{k + 1:03d}", title, Sector.AGENCY, bloc_ids[0], pi,
                committee=rng.random() < 0.4, n_branches=rng.randint(4, 9), weight=w, suffix="ĐUK",
            )  # fmt: skip
        # Khối doanh nghiệp.
        for k in range(int(10 + P / 50)):
            if k < len(geo.PROVINCE_STATE):
                title = geo.PROVINCE_STATE[k]
            else:
                title = f"Tổng công ty {rng.choice(geo.PRIVATE_STEMS)} {self.names.take(used)}"
            self.grassroots(
                f"{pc}K2C{k + 1:03d}", title, Sector.STATE_ENTERPRISE, bloc_ids[1], pi,
                committee=rng.random() < 0.6, n_branches=rng.randint(4, 8), weight=(8 * density, 25 * density),
                suffix="ĐUK",
            )  # fmt: skip
        # Quân sự and Công an tỉnh.
        for k in range(int(6 + P / 400)):
            title = ["Cơ quan Bộ Chỉ huy", "Bộ đội Biên phòng", "Trung đoàn bộ binh", "Trường Quân sự"][k % 4]
            self.grassroots(
                f"{pc}K3C{k + 1:03d}", f"{title} {k // 4 + 1}" if k >= 4 else title, Sector.ARMY, bloc_ids[2], pi,
                committee=True, n_branches=rng.randint(3, 5), branch_titles=geo.ARMY_BRANCHES,
                weight=(8 * density, 25 * density), suffix="ĐUQS",
            )  # fmt: skip
        for k in range(int(15 + P / 150)):
            base = geo.POLICE_BRANCHES[k % len(geo.POLICE_BRANCHES)]
            title = f"Phòng {base}" + (f" {k // len(geo.POLICE_BRANCHES) + 1}" if k >= len(geo.POLICE_BRANCHES) else "")
            self.grassroots(
                f"{pc}K4C{k + 1:03d}", title, Sector.POLICE, bloc_ids[3], pi,
                committee=rng.random() < 0.5, n_branches=rng.randint(3, 6), weight=(10 * density, 30 * density),
                suffix="ĐUCA",
            )  # fmt: skip
        # Public service units directly under the province.
        for k in range(int(8 + P / 100)):
            title = geo.PROVINCE_PUBLIC[k] if k < len(geo.PROVINCE_PUBLIC) else f"Bệnh viện {self.names.take(used)}"
            self.grassroots(
                f"{pc}C{k + 1:03d}", title, Sector.PUBLIC_SERVICE, prov, pi,
                committee=rng.random() < 0.5, n_branches=rng.randint(4, 8), weight=(8 * density, 25 * density),
                suffix="TU",
            )  # fmt: skip
        # Districts: the provincial capital first, then towns and rural districts.
        pd = P / p.districts
        used_d: set[str] = set()
        for di in range(p.districts):
            if p.city:
                dkind = "quận" if di < p.districts * 0.45 else ("thị xã" if di == p.districts - 1 else "huyện")
            else:
                dkind = "thành phố" if di == 0 else ("thị xã" if di == 1 and p.districts > 8 else "huyện")
            name = p.name if (dkind == "thành phố" and not p.city) else self.names.take(used_d)
            self.district(pi, p, f"{pc}H{di + 1:02d}", dkind, name, pd, density)

    def district(self, pi: int, p: geo.Province, dc: str, dkind: str, dname: str, pd: float, density: float) -> None:
        rng, L = self.rng, self.L
        prov = self.province_orgs[pi]
        urban = dkind != "huyện"
        dlabel = f"{dkind} {dname}"
        dist = L.establish(
            dc, f"Đảng bộ {dlabel}", OrgKind.DISTRICT, Sector.OTHER, prov, FOUNDED, self.ref("TU", FOUNDED)
        )
        self.districts.append(DistrictInfo(dist, pi, urban))
        scale = math.sqrt(pd / 136)
        n_communes = max(6, min(40, round(15 * scale * rng.uniform(0.75, 1.25))))
        g = 0  # grassroots counter in this district

        def code() -> str:
            nonlocal g
            g += 1
            return f"{dc}C{g:03d}"

        used: set[str] = set()
        communes: list[tuple[int, str, str]] = []  # (org, label, name)
        villages: list[int] = []
        for ci in range(n_communes):
            cname = self.names.take(used)
            clabel = "phường" if urban and rng.random() < 0.8 else ("thị trấn" if ci == 0 and not urban else "xã")
            cc = code()
            org = L.establish(
                cc, f"Đảng bộ {clabel} {cname}", OrgKind.GRASSROOTS_COMMITTEE, Sector.COMMUNE_WARD, dist, FOUNDED,
                self.ref("HU", FOUNDED),
            )  # fmt: skip
            communes.append((org, clabel, cname))
            n_v = rng.randint(9, 24) if clabel == "phường" else rng.randint(8, 22)
            vw = (10 * density, 32 * density) if clabel == "phường" else (14 * density, 45 * density)
            if clabel == "phường":
                titles = [f"Chi bộ Tổ dân phố số {k} {cname}" for k in range(1, n_v + 1)]
            else:
                vused: set[str] = {cname}
                titles = [
                    f"Chi bộ thôn {self.names.take(vused)}" if rng.random() < 0.5 else f"Chi bộ Thôn {k} {cname}"
                    for k in range(1, n_v + 1)
                ]
            if n_v >= 16 and rng.random() < 0.25:  # a large commune with a partial committee (đảng bộ bộ phận)
                part = L.establish(
                    f"{cc}P1", f"Đảng bộ bộ phận Khu {cname}", OrgKind.PARTIAL_COMMITTEE, Sector.RESIDENTIAL, org,
                    FOUNDED, self.ref("ĐU", FOUNDED),
                )  # fmt: skip
                self.branches(part, f"{cc}P1", [f"Chi bộ Khu {k} {cname}" for k in range(1, 4)],
                              Sector.RESIDENTIAL, vw, pi)  # fmt: skip
            villages += self.branches(org, cc, titles, Sector.RESIDENTIAL, vw, pi)
            inst = [f"Chi bộ Quân sự {clabel} {cname}", f"Chi bộ Công an {clabel} {cname}"]
            if rng.random() < 0.6:
                inst.append(f"Chi bộ Trạm Y tế {clabel} {cname}")
            if rng.random() < 0.5:
                inst.append(f"Chi bộ Trường Mầm non {cname}")
            # Institutional branches get codes after the villages (and after the partial committee's).
            for k, t in enumerate(inst, len(titles) + 1):
                L.establish(
                    f"{cc}B{k:02d}", t, OrgKind.BRANCH, Sector.OTHER, org, FOUNDED, self.ref("ĐU", FOUNDED),
                    weight=rng.uniform(3, 12), province=pi,
                )  # fmt: skip
        agencies: list[int] = []
        w = (6 * density, 22 * density)
        for title in rng.sample(geo.DISTRICT_AGENCIES, rng.randint(11, 16)):
            agencies.append(
                self.grassroots(code(), f"{title} {dlabel}", Sector.AGENCY, dist, pi, committee=False, weight=w)
            )
        for title in geo.AGENCY_COMMITTEES[: rng.randint(2, 3)]:
            self.grassroots(
                code(), f"{title} {dlabel}", Sector.AGENCY, dist, pi, committee=True, n_branches=rng.randint(5, 9),
                weight=w,
            )  # fmt: skip
        for k in range(max(3, round(0.6 * n_communes))):
            school = geo.SCHOOL_KINDS[k % 4]
            where = rng.choice(geo.FAMOUS) if school == "Trường THPT" else communes[k % n_communes][2]
            self.grassroots(
                code(), f"{school} {where} {dlabel}" if school == "Trường THPT" else f"{school} {where}",
                Sector.SCHOOL, dist, pi, committee=False, weight=(8 * density, 32 * density),
            )  # fmt: skip
        for title in geo.PUBLIC_COMMITTEES:
            self.grassroots(
                code(), f"{title} {dlabel}", Sector.PUBLIC_SERVICE, dist, pi, committee=True,
                n_branches=rng.randint(4, 8), weight=(8 * density, 25 * density),
            )  # fmt: skip
        for title in rng.sample(geo.PUBLIC_BRANCHES, rng.randint(2, 4)):
            self.grassroots(code(), f"{title} {dlabel}", Sector.PUBLIC_SERVICE, dist, pi, committee=False, weight=w)
        for title in rng.sample(geo.STATE_ENTERPRISES, rng.randint(1, 3)):
            self.grassroots(
                code(), f"{title} {dlabel}", Sector.STATE_ENTERPRISE, dist, pi, committee=rng.random() < 0.5,
                n_branches=rng.randint(4, 6), weight=(8 * density, 25 * density),
            )  # fmt: skip
        self.grassroots(
            code(), f"Quân sự {dlabel}", Sector.ARMY, dist, pi, committee=True, n_branches=4,
            branch_titles=geo.ARMY_BRANCHES, weight=(8 * density, 25 * density),
        )  # fmt: skip
        self.grassroots(
            code(), f"Công an {dlabel}", Sector.POLICE, dist, pi, committee=True, n_branches=rng.randint(5, 8),
            branch_titles=[f"Đội {t}" for t in geo.POLICE_BRANCHES], weight=(10 * density, 30 * density),
        )  # fmt: skip
        # Party organizations set up in private enterprises over the years.
        private: list[tuple[int, dt.date]] = []
        pused: set[str] = set()
        for _ in range(int((4 + 14 * min(scale, 2.5) * (1.6 if urban else 0.6)) * rng.uniform(0.5, 1.5))):
            year = int(rng.triangular(2000, 2025, 2020))
            on = _d(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))
            if on >= REFORM:
                continue
            title = f"{rng.choice(geo.PRIVATE_FORMS)} {rng.choice(geo.PRIVATE_STEMS)} {self.names.take(pused)}"
            committee = rng.random() < 0.2
            org = self.grassroots(
                code(), title, Sector.PRIVATE_ENTERPRISE, dist, pi, committee=committee, n_branches=rng.randint(3, 4),
                branch_titles=[f"Phân xưởng {k}" for k in range(1, 6)], weight=(3 * density, 12 * density), on=on,
            )  # fmt: skip
            if not committee:
                private.append((org, on))
        self.district_history(dist, dlabel, communes, villages, agencies, private, pi)

    def district_history(
        self,
        dist: int,
        dlabel: str,
        communes: list[tuple[int, str, str]],
        villages: list[int],
        agencies: list[int],
        private: list[tuple[int, dt.date]],
        pi: int,
    ) -> None:
        """Changes before the reform, in date order: renames, a branch split, an agency absorbed, two
        communes merged (NQ 2019–2021 on commune mergers), an enterprise's organization dissolved."""
        rng, L = self.rng, self.L
        rural = [c for c in communes if c[1] == "xã"]
        if rural and rng.random() < 0.1:
            org, _, cname = rng.choice(rural)
            on = dt.date(rng.randint(2015, 2018), rng.choice([1, 4, 7, 10]), 1)
            L.rename(org, f"Đảng bộ thị trấn {cname}", on, self.ref("HU", on))
        split_src = None
        if rng.random() < 0.15:
            split_src = rng.choice(villages)
            on = dt.date(2018, 1, 1)
            v = L.current(split_src, on)
            code = L.codes[split_src]
            L.split(
                split_src,
                [
                    (f"{code}A", f"{v.name} A", OrgKind.BRANCH, v.sector),
                    (f"{code}B", f"{v.name} B", OrgKind.BRANCH, v.sector),
                ],
                v.parent or dist,
                on,
                self.ref("ĐU", on),
                weight=L.weight[split_src] / 2,
                province=pi,
            )
        if len(agencies) >= 2 and rng.random() < 0.4:
            on = dt.date(2019, 1, 1)
            L.combine(LineageKind.ABSORBED, [agencies[1]], on, self.ref("HU", on), into=agencies[0])
            L.weight[agencies[0]] += L.weight[agencies[1]] / 2
            del agencies[1]
        if len(communes) >= 8 and rng.random() < 0.25:
            on = dt.date(2020, rng.choice([1, 2]), 1)
            (a, _, _), (b, _, _) = rng.sample(communes, 2)
            L.combine(LineageKind.ABSORBED, [b], on, self.ref("TU", on), into=a)
            communes[:] = [c for c in communes if c[0] != b]
        early = [(o, on) for o, on in private if on.year <= 2014]
        if early and rng.random() < 0.3:
            org, est = rng.choice(early)
            on = _d(rng, max(est + dt.timedelta(days=400), dt.date(2016, 1, 1)), dt.date(2023, 1, 1))
            to = rng.choice([v for v in villages if v != split_src])
            L.dissolve(org, on, self.ref("HU", on), members_to=to)

    # -- 01/07/2025

    def apply_reform(self) -> tuple[list[int], list[int]]:
        """Each district ends: its ward and commune committees are absorbed 2–4 into new commune committees;
        its other grassroots organizations move under those communes (two agency branches merged first).
        Then provinces merge (Nghị quyết 202/2025/QH15) into new provinces named after the first one."""
        rng, L, on = self.rng, self.L, REFORM
        by_code = {p.code: i for i, p in enumerate(geo.PROVINCES)}
        districts_of: dict[int, list[DistrictInfo]] = defaultdict(list)
        for d in self.districts:
            districts_of[d.province].append(d)
        communes: list[int] = []
        new_provinces: list[int] = []
        for group in geo.NEW_PROVINCES:
            members = [by_code[c] for c in group]
            for pi in members:
                pc = geo.PROVINCES[pi].code
                serial = 0
                for d in districts_of[pi]:
                    children = L.children_on([d.org], on)
                    wards = [c for c in children if L.current(c, on).sector == Sector.COMMUNE_WARD]
                    ward_set = set(wards)
                    others = [c for c in children if c not in ward_set]
                    mine: list[int] = []
                    i = 0
                    while i < len(wards):
                        size = 1 if rng.random() < 0.03 else rng.choice([2, 3, 3, 4, 4])
                        size = min(size, len(wards) - i)
                        if len(wards) - i - size == 1:  # no commune left on its own at the end
                            size += 1
                        group_w = wards[i : i + size]
                        i += size
                        serial += 1
                        first = L.current(group_w[0], on).name
                        base = first.split(" ", 2)[-1]
                        for pre in ("thị trấn ", "phường ", "xã "):
                            base = base.removeprefix(pre)
                        if rng.random() < 0.3:
                            base = self.names.take(set())
                        label = "phường" if d.urban and rng.random() < 0.8 else "xã"
                        commune = L.establish(
                            f"T{pc:02d}X{serial:03d}", f"Đảng bộ {label} {base}", OrgKind.COMMUNE,
                            Sector.COMMUNE_WARD, self.province_orgs[pi], on,
                            (f"{rng.randint(1000, 1400)}-QĐ/TU", dt.date(2025, 6, 28)),
                        )  # fmt: skip
                        for w in group_w:
                            L.combine(LineageKind.ABSORBED, [w], on, HD31, into=commune)
                        mine.append(commune)
                    agency = [
                        c
                        for c in others
                        if L.current(c, on).kind == OrgKind.GRASSROOTS_BRANCH
                        and L.current(c, on).sector == Sector.AGENCY
                    ]
                    if len(agency) >= 2:
                        pair = agency[:2]
                        cv = L.current(mine[0], on)
                        merged_name = f"Chi bộ Cơ quan Đảng – Chính quyền {cv.name.removeprefix('Đảng bộ ')}"
                        L.combine(
                            LineageKind.MERGED, pair, on, HD31,
                            new=(f"{L.codes[mine[0]]}C01", merged_name,
                                 OrgKind.GRASSROOTS_BRANCH, Sector.AGENCY),
                            parent=mine[0], weight=(L.weight[pair[0]] + L.weight[pair[1]]) / 2, province=pi,
                        )  # fmt: skip
                        others = [c for c in others if c not in pair]
                    for c in others:
                        L.move(c, rng.choice(mine), on, HD31)
                    L.dissolve(d.org, on, HD31, kind=LineageKind.ENDED)
                    communes += mine
            lead = geo.PROVINCES[members[0]]
            if len(members) == 1:
                new_provinces.append(self.province_orgs[members[0]])
                continue
            label = "thành phố" if lead.city else "tỉnh"
            target, _ = L.combine(
                LineageKind.MERGED, [self.province_orgs[pi] for pi in members], on,
                (f"{rng.randint(300, 340)}-QĐ/TW", dt.date(2025, 6, 25)),
                new=(f"T{lead.code:02d}M", f"Đảng bộ {label} {lead.name}", OrgKind.PROVINCE, Sector.OTHER), parent=None,
            )  # fmt: skip
            new_provinces.append(target)
        return new_provinces, communes


def build_map(seed: int, *, reform: bool, progress: Callable[[str], None] = lambda s: None) -> NationalMap:
    return MapBuilder(seed, reform=reform).build(progress)


def stats(m: NationalMap, on: dt.date) -> dict[str, int]:
    """How many organizations of each kind were active on the date."""
    out: dict[str, int] = defaultdict(int)
    for vs in m.ledger.versions[1:]:
        for v in vs:
            if v.start <= on < v.end:
                out[v.kind] += 1
    return dict(out)


def folded(name: str, cache: dict[str, str]) -> str:
    f = cache.get(name)
    if f is None:
        f = cache[name] = fold(name)
    return f
