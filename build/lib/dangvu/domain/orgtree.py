"""Organizations as a tree that changes over time: kinds, placement rules, ancestry.

No Django here. The models store versions and lineage events; this module says what a valid
tree is and derives, from versions, who was whose ancestor over which dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .periods import Period


class OrgKind(StrEnum):
    PROVINCE = "province"
    BLOC = "bloc"
    DISTRICT = "district"
    COMMUNE = "commune"
    GRASSROOTS_COMMITTEE = "grassroots_committee"
    GRASSROOTS_BRANCH = "grassroots_branch"
    PARTIAL_COMMITTEE = "partial_committee"
    BRANCH = "branch"
    CELL = "cell"


ORG_KIND_LABELS: dict[str, str] = {
    OrgKind.PROVINCE: "Đảng bộ tỉnh, thành phố",
    OrgKind.BLOC: "Đảng bộ khối, đảng bộ trực thuộc",
    OrgKind.DISTRICT: "Đảng bộ quận, huyện, thị xã",
    OrgKind.COMMUNE: "Đảng bộ xã, phường, đặc khu",
    OrgKind.GRASSROOTS_COMMITTEE: "Đảng bộ cơ sở",
    OrgKind.GRASSROOTS_BRANCH: "Chi bộ cơ sở",
    OrgKind.PARTIAL_COMMITTEE: "Đảng bộ bộ phận",
    OrgKind.BRANCH: "Chi bộ trực thuộc",
    OrgKind.CELL: "Tổ đảng",
}


class Sector(StrEnum):
    COMMUNE_WARD = "commune_ward"
    AGENCY = "agency"
    PUBLIC_SERVICE = "public_service"
    STATE_ENTERPRISE = "state_enterprise"
    PRIVATE_ENTERPRISE = "private_enterprise"
    SCHOOL = "school"
    ARMY = "army"
    POLICE = "police"
    RESIDENTIAL = "residential"
    OTHER = "other"


SECTOR_LABELS: dict[str, str] = {
    Sector.COMMUNE_WARD: "Xã, phường, thị trấn",
    Sector.AGENCY: "Cơ quan",
    Sector.PUBLIC_SERVICE: "Đơn vị sự nghiệp",
    Sector.STATE_ENTERPRISE: "Doanh nghiệp nhà nước",
    Sector.PRIVATE_ENTERPRISE: "Doanh nghiệp ngoài nhà nước",
    Sector.SCHOOL: "Trường học",
    Sector.ARMY: "Quân đội",
    Sector.POLICE: "Công an",
    Sector.RESIDENTIAL: "Khu dân cư",
    Sector.OTHER: "Khác",
}

GRASSROOTS = frozenset({OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_BRANCH})
ABOVE_GRASSROOTS = frozenset({OrgKind.PROVINCE, OrgKind.BLOC, OrgKind.DISTRICT, OrgKind.COMMUNE})

# Where each kind may sit. Điều lệ Đảng 2011 Đ.21–25; QĐ 24-QĐ/TW; QĐ 294-QĐ/TW (from 01/07/2025
# the commune committee is the direct superior of grassroots organizations; there is no district).
# A branch sits under a grassroots committee or a partial committee (issue 2, membership_orgs §1.1).
ALLOWED_PARENTS: dict[str, frozenset[str | None]] = {
    OrgKind.PROVINCE: frozenset({None}),
    OrgKind.BLOC: frozenset({None, OrgKind.PROVINCE}),
    OrgKind.DISTRICT: frozenset({OrgKind.PROVINCE}),
    OrgKind.COMMUNE: frozenset({OrgKind.PROVINCE}),
    OrgKind.GRASSROOTS_COMMITTEE: frozenset({OrgKind.PROVINCE, OrgKind.BLOC, OrgKind.DISTRICT, OrgKind.COMMUNE}),
    OrgKind.GRASSROOTS_BRANCH: frozenset({OrgKind.PROVINCE, OrgKind.BLOC, OrgKind.DISTRICT, OrgKind.COMMUNE}),
    # From 01/07/2025 the new commune committee also holds the branches and partial committees of the
    # ward and commune committees it replaced (HD 31-HD/BTCTW, 23/04/2025; QĐ 294-QĐ/TW).
    OrgKind.PARTIAL_COMMITTEE: frozenset({OrgKind.GRASSROOTS_COMMITTEE, OrgKind.COMMUNE}),
    OrgKind.BRANCH: frozenset({OrgKind.GRASSROOTS_COMMITTEE, OrgKind.PARTIAL_COMMITTEE, OrgKind.COMMUNE}),
    OrgKind.CELL: frozenset({OrgKind.GRASSROOTS_BRANCH, OrgKind.BRANCH}),
}

# Sizing rules, [V] membership_orgs.md §1.1 (Điều lệ Đ.21; HD 01-HD/TW): a grassroots organization
# with fewer than 30 members is a chi bộ cơ sở, with 30 or more a đảng bộ cơ sở, exceptions allowed with
# the superior's consent; a unit needs at least 3 official members to form.
GRASSROOTS_COMMITTEE_MIN_MEMBERS = 30
MIN_OFFICIAL_MEMBERS = 3


class LineageKind(StrEnum):
    ESTABLISHED = "established"
    RENAMED = "renamed"
    MOVED = "moved"
    MERGED = "merged"
    ABSORBED = "absorbed"
    SPLIT = "split"
    DISSOLVED = "dissolved"
    ENDED = "ended"


LINEAGE_LABELS: dict[str, str] = {
    LineageKind.ESTABLISHED: "Thành lập",
    LineageKind.RENAMED: "Đổi tên",
    LineageKind.MOVED: "Chuyển giao",
    LineageKind.MERGED: "Hợp nhất",
    LineageKind.ABSORBED: "Sáp nhập",
    LineageKind.SPLIT: "Chia tách",
    LineageKind.DISSOLVED: "Giải thể",
    LineageKind.ENDED: "Kết thúc hoạt động",
}


@dataclass(frozen=True)
class Finding:
    """A structural check's result: 'error' blocks a change, 'warning' is shown and may be accepted."""

    severity: str
    code: str
    message: str
    source: str = ""


def check_parent(kind: str, parent_kind: str | None, *, name: str, parent_name: str = "") -> list[Finding]:
    allowed = ALLOWED_PARENTS[kind]
    if parent_kind in allowed:
        return []
    where = f"dưới '{parent_name}' ({ORG_KIND_LABELS[parent_kind]})" if parent_kind else "ở cấp cao nhất"
    return [
        Finding(
            "error",
            "parent_kind",
            f"'{name}' ({ORG_KIND_LABELS[kind]}) không thể trực thuộc {where}.",
            "Điều lệ Đảng 2011, Điều 21–25; Quy định 294-QĐ/TW",
        )
    ]


def check_size(kind: str, *, name: str, members: int, official: int) -> list[Finding]:
    """Sizing warnings for an organization with the given counts on a date."""
    out: list[Finding] = []
    src = "Điều lệ Đảng 2011, Điều 21; Hướng dẫn 01-HD/TW"
    if kind == OrgKind.GRASSROOTS_BRANCH and members >= GRASSROOTS_COMMITTEE_MIN_MEMBERS:
        out.append(
            Finding(
                "warning",
                "grassroots_size",
                f"'{name}' là chi bộ cơ sở nhưng có {members} đảng viên (từ "
                f"{GRASSROOTS_COMMITTEE_MIN_MEMBERS} trở lên nên là đảng bộ cơ sở).",
                src,
            )
        )
    if kind == OrgKind.GRASSROOTS_COMMITTEE and members < GRASSROOTS_COMMITTEE_MIN_MEMBERS:
        out.append(
            Finding(
                "warning",
                "grassroots_size",
                f"'{name}' là đảng bộ cơ sở nhưng chỉ có {members} đảng viên (dưới "
                f"{GRASSROOTS_COMMITTEE_MIN_MEMBERS} là chi bộ cơ sở, trừ khi cấp trên đồng ý).",
                src,
            )
        )
    if kind in (OrgKind.BRANCH, OrgKind.GRASSROOTS_BRANCH) and official < MIN_OFFICIAL_MEMBERS:
        out.append(
            Finding(
                "warning",
                "branch_min_official",
                f"'{name}' chỉ có {official} đảng viên chính thức (cần ít nhất "
                f"{MIN_OFFICIAL_MEMBERS} để thành lập chi bộ).",
                src,
            )
        )
    return out


@dataclass(frozen=True)
class VersionRow:
    """One version of an organization: what it was called, where it sat, over a period."""

    org_id: int
    period: Period
    parent_id: int | None
    kind: str
    name: str = ""
    sector: str = ""


@dataclass(frozen=True)
class AncestryRow:
    """'ancestor_id was an ancestor (or the org itself, depth 0) of org_id over period',
    with the ancestor's kind over that period so that 'the grassroots organization above X'
    needs no join to versions."""

    org_id: int
    ancestor_id: int
    depth: int
    ancestor_kind: str
    period: Period


@dataclass
class AncestryBuilder:
    """Derives ancestry rows from versions, memoized per organization.

    The path of X over a period is X's own version there plus the path of its parent over the
    overlap; every change anywhere above X splits X's rows, so each row holds one fixed path.
    """

    versions: Mapping[int, list[VersionRow]]
    _memo: dict[int, list[tuple[Period, list[tuple[int, str]]]]] = field(default_factory=dict)
    _visiting: set[int] = field(default_factory=set)

    def paths(self, org_id: int) -> list[tuple[Period, list[tuple[int, str]]]]:
        """[(period, [(ancestor_id, kind), … from the org itself up to the root])]."""
        if org_id in self._memo:
            return self._memo[org_id]
        if org_id in self._visiting:
            raise ValueError(f"Cây tổ chức có vòng lặp tại tổ chức #{org_id}.")
        self._visiting.add(org_id)
        out: list[tuple[Period, list[tuple[int, str]]]] = []
        for v in sorted(self.versions.get(org_id, []), key=lambda r: r.period.start):
            me = (org_id, v.kind)
            if v.parent_id is None or v.parent_id not in self.versions:
                out.append((v.period, [me]))
                continue
            covered = False
            for p_period, p_path in self.paths(v.parent_id):
                overlap = v.period.intersect(p_period)
                if overlap:
                    out.append((overlap, [me, *p_path]))
                    covered = True
            if not covered:  # the parent did not exist then: treat as a root rather than lose the org
                out.append((v.period, [me]))
        self._visiting.discard(org_id)
        self._memo[org_id] = _merge_adjacent(out)
        return self._memo[org_id]

    def rows(self, org_ids: Iterable[int]) -> Iterable[AncestryRow]:
        for org_id in org_ids:
            for period, path in self.paths(org_id):
                for depth, (anc_id, kind) in enumerate(path):
                    yield AncestryRow(org_id, anc_id, depth, kind, period)


def _merge_adjacent(
    items: list[tuple[Period, list[tuple[int, str]]]],
) -> list[tuple[Period, list[tuple[int, str]]]]:
    """Join consecutive periods with the same path (a rename does not change ancestry)."""
    items.sort(key=lambda it: it[0].start)
    merged: list[tuple[Period, list[tuple[int, str]]]] = []
    for period, path in items:
        if merged and merged[-1][1] == path and merged[-1][0].end == period.start:
            merged[-1] = (Period(merged[-1][0].start, period.end), path)
        else:
            merged.append((period, path))
    return merged


def version_on(versions: list[VersionRow], day: dt.date) -> VersionRow | None:
    for v in versions:
        if v.period.contains(day):
            return v
    return None
