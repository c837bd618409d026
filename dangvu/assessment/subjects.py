"""Members and units as a reader knows them (code and name, never an internal id), and why one is not a cycle's to
decide: the words of every refusal that names its subject."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dangvu.domain.orgtree import ORG_KIND_LABELS
from dangvu.domain.vietnamese import fmt_date
from dangvu.members.models import Member, MembershipSpan
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on

from .facts import Roster
from .models import AssessmentCycle


def subject_names(keys: Iterable[tuple[str, int]], on: dt.date) -> dict[tuple[str, int], str]:
    """'Đảng viên <mã> – <họ tên>' and '<loại tổ chức> <mã> – <tên ngày on>' for ('m'|'o', id) keys: two
    queries whatever their number."""
    keys = list(keys)
    out: dict[tuple[str, int], str] = {}
    m_ids = {k for s, k in keys if s == "m"}
    for pk, code, name in Member.objects.filter(pk__in=m_ids).values_list("pk", "code", "full_name"):
        out[("m", pk)] = f"Đảng viên {code} – {name}"
    o_ids = {k for s, k in keys if s == "o"}
    for pk, code in Organization.objects.filter(pk__in=o_ids).values_list("pk", "code"):
        out[("o", pk)] = f"Tổ chức {code}"
    for v in OrgVersion.objects.filter(valid_on(on), organization_id__in=o_ids).select_related("organization"):
        out[("o", v.organization_id)] = f"{ORG_KIND_LABELS.get(v.kind, 'Tổ chức')} {v.organization.code} – {v.name}"
    return out


def unit_name(org_id: int, on: dt.date) -> str:
    """'<mã> – <tên ngày on>' (the code alone if it had no version then)."""
    v = OrgVersion.objects.filter(valid_on(on), organization_id=org_id).select_related("organization").first()
    if v is not None:
        return f"{v.organization.code} – {v.name}"
    return str(Organization.objects.filter(pk=org_id).values_list("code", flat=True).first() or "")


def out_of_scope(roster: Roster, subject: str, subject_id: int) -> str:
    """Why a member or unit is not this cycle's to decide, from where it stood on the rating day (HD 21 [V],
    assessment_rules §7: a member is rated where they hold official membership; each committee decides for its
    own subtree, a nested committee for what is under it)."""
    cycle, on = roster.cycle, roster.cycle.rated_on
    day = fmt_date(on)
    where = f"đợt đánh giá năm {cycle.year} của {cycle.committee.code} – {cycle.committee_name}"
    if subject == "m":
        span = MembershipSpan.objects.on(on).filter(member_id=subject_id).first()
        if span is None:
            return f"không sinh hoạt đảng ở tổ chức nào vào ngày xếp loại {day}, nên không thuộc {where}."
        unit_id = span.organization_id
    elif subject_id == cycle.committee_id:
        return f"là cấp ủy của {where}; kết quả của tổ chức này do cấp ủy cấp trên quyết định."
    else:
        unit_id = subject_id
    v = OrgVersion.objects.filter(valid_on(on), organization_id=unit_id).first()
    if v is None:
        return f"tổ chức không hoạt động vào ngày xếp loại {day}, nên không thuộc {where}."
    # Ancestors nearest first; a member's own unit counts (a grassroots branch rates its own members).
    ancestors = list(
        OrgAncestry.objects.on(on)
        .filter(organization_id=unit_id, depth__gt=0 if subject == "o" else -1)
        .order_by("depth")
        .values_list("ancestor_id", flat=True)
    )
    if cycle.committee_id not in ancestors:
        if subject == "m":
            here = f"sinh hoạt tại {unit_name(unit_id, on)}"
        else:
            here = f"trực thuộc {unit_name(v.parent_id, on)}" if v.parent_id else "không có tổ chức cấp trên"
        return f"ngày xếp loại {day} {here}, không thuộc {where}."
    below = ancestors[: ancestors.index(cycle.committee_id)]
    nested = (
        AssessmentCycle.objects.filter(year=cycle.year, committee_id__in=below)
        .exclude(pk=cycle.pk)
        .select_related("committee")
        .first()
    )
    if nested is not None:
        return (
            f"thuộc đợt đánh giá năm {cycle.year} của {nested.committee.code} – {nested.committee_name}; cấp ủy đó "
            "quyết định kết quả này."
        )
    return f"không thuộc {where} vào ngày xếp loại {day}."
