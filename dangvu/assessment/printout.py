"""The unit's results as a list to sign (Hướng dẫn 36-HD/VPTW layout: the committee at the left, the Party's
name at the right, the title, a numbered table, the signature block), as data; and the PDF of its HTML page
through LibreOffice, the reports' converter."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dangvu.domain.assessment.levels import NOT_RATED_LABELS, Level, level_label
from dangvu.domain.orgtree import OrgKind
from dangvu.domain.vietnamese import fmt_place_date, person_sort_key
from dangvu.members.models import MembershipSpan
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on
from dangvu.reports.render.pdf import render_pdf

from .models import AssessmentCycle, Result


@dataclass
class Line:
    number: int
    name: str
    code: str
    unit: str
    level: str
    note: str


@dataclass
class ResultsList:
    issuer: str  # the deciding committee
    issuing_unit: str  # the unit whose list it is, under the committee's name (HD 36 heading)
    unit: str
    title: str
    year: int
    place_date: str
    signer: str  # "T/M ĐẢNG ỦY", "T/M CHI BỘ"
    signer_title: str
    members: list[Line] = field(default_factory=list)
    orgs: list[Line] = field(default_factory=list)
    totals: list[tuple[str, int]] = field(default_factory=list)
    undecided: int = 0

    @property
    def several_units(self) -> bool:
        """Members from more than one branch: the list names each one's branch."""
        return len({line.unit for line in self.members}) > 1


# The levels in the order a list counts them, best first.
ORDER = [level_label(lv) for lv in (Level.EXCELLENT, Level.GOOD, Level.SATISFACTORY, Level.FAILED)] + ["Không xếp loại"]


def results_list(cycle: AssessmentCycle, unit: Organization, *, today: dt.date | None = None) -> ResultsList:
    """Members of the unit's subtree with their result of the cycle's year (sorted by given name), the
    organizations below with theirs, and the count at each level."""
    on = cycle.rated_on
    version = unit.version_on(on)
    units = OrgAncestry.objects.on(on).filter(ancestor=unit).values("organization_id")
    names = dict(
        OrgVersion.objects.filter(valid_on(on), organization_id__in=units).values_list("organization_id", "name")
    )
    results = [
        (r, r.member)
        for r in Result.objects.filter(year=cycle.year, member__isnull=False, unit_id__in=units).select_related(
            "member"
        )
        if r.member is not None
    ]
    rated = {r.member_id for r, _ in results}
    undecided = MembershipSpan.objects.on(on).filter(organization_id__in=units).exclude(member_id__in=rated).count()
    results.sort(key=lambda rm: person_sort_key(rm[1].full_name))
    members = [
        Line(
            i,
            m.full_name,
            m.code,
            names.get(r.unit_id, ""),
            level_label(r.level) if r.level else "Không xếp loại",
            "Tiêu biểu" if r.exemplary else (NOT_RATED_LABELS.get(r.not_rated, "").capitalize() if r.not_rated else ""),
        )
        for i, (r, m) in enumerate(results, start=1)
    ]
    org_results = list(
        Result.objects.filter(year=cycle.year, organization_id__in=units).exclude(organization=cycle.committee)
    )
    orgs = [
        Line(
            i,
            names.get(r.organization_id or 0, ""),
            "",
            "",
            level_label(r.level, old_org=cycle.year <= 2017) if r.level else "Không xếp loại",
            "Tiêu biểu" if r.exemplary else "",
        )
        for i, r in enumerate(sorted(org_results, key=lambda r: names.get(r.organization_id or 0, "")), start=1)
    ]
    totals: dict[str, int] = {}
    for line in members:
        totals[line.level] = totals.get(line.level, 0) + 1
    kind = version.kind if version else ""
    signer = "T/M CHI BỘ" if kind in (OrgKind.BRANCH, OrgKind.GRASSROOTS_BRANCH) else "T/M ĐẢNG ỦY"
    unit_name = version.name if version else unit.code
    return ResultsList(
        issuer=cycle.committee_name.upper(),
        issuing_unit=unit_name.upper(),
        unit=unit_name,
        title=f"DANH SÁCH KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM {cycle.year}",
        year=cycle.year,
        place_date=fmt_place_date("........", today or dt.date.today()),
        signer=signer,
        signer_title="BÍ THƯ",
        members=members,
        orgs=orgs,
        totals=[(label, totals[label]) for label in ORDER if label in totals],
        undecided=undecided,
    )


def pdf_of(html: str) -> bytes:
    """The PDF of an HTML page, through LibreOffice (reports.render.pdf)."""
    with tempfile.TemporaryDirectory(prefix="dangvu-print-") as tmp:
        page = Path(tmp) / "danh-sach.html"
        page.write_text(html, encoding="utf-8")
        return render_pdf(page, Path(tmp)).read_bytes()
