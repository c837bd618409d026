"""Read endpoints: organizations and the tree as of a date, members (identifiers masked; the reveal audited), their
events and review results, a unit's review statistics and indicators. Each goes through the same scoped getters and
QuerySets as the web's pages (accounts.scope): out of scope is 404, exactly as a code that does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Query, Router

from dangvu.accounts.scope import (
    access,
    get_member,
    get_org,
    get_org_during,
    home_orgs,
    identifiers_shown,
    require_identifiers,
    require_reader,
    shows_identifiers,
    today,
    visible_orgs,
)
from dangvu.assessment.models import Result
from dangvu.assessment.stats import review_stats
from dangvu.domain.errors import RuleError
from dangvu.domain.membership import EVENT_LABELS, EventKind, Status
from dangvu.domain.orgtree import ORG_KIND_LABELS, SECTOR_LABELS
from dangvu.members import queries as mq
from dangvu.members import services as ms
from dangvu.members.models import MemberEvent, MembershipSpan
from dangvu.orgs.models import OrgVersion, valid_on
from dangvu.orgs.queries import tree_on
from dangvu.targets.compare import compare_by_root
from dangvu.web import reads as web_reads

from . import schemas as s
from .auth import actor

router = Router(tags=["Đọc"])
ERRORS = s.ERRORS
PAGE_MAX = 200


def _day(value: dt.date | None) -> dt.date:
    return value or today()


@router.get("/me", response={200: s.Me, **ERRORS}, summary="Khóa đang dùng và quyền của người giữ khóa")
def me(request: HttpRequest) -> Any:
    token: Any = request.auth  # type: ignore[attr-defined]
    return {
        "username": request.user.get_username(),
        "roles": sorted(access(request.user).roles | ({"admin"} if access(request.user).admin else set())),
        "token": token.name,
        "expires_at": token.expires_at,
    }


@router.get("/orgs/{code}", response={200: s.Org, **ERRORS}, summary="Một tổ chức đảng tại một ngày")
def org(request: HttpRequest, code: str, as_of: dt.date | None = None) -> Any:
    on = _day(as_of)
    unit = get_org(request.user, code, on=on)
    version = OrgVersion.objects.filter(valid_on(on), organization=unit).select_related("parent").first()
    if version is None:  # scope found it through its ancestry on that day; a version exists unless data is broken
        raise RuleError("Tổ chức không có phiên bản tại ngày này.", field="as_of")
    counts = dict(
        MembershipSpan.objects.in_subtree(unit, on=on).values_list("status").annotate(n=Count("*")).order_by()
    )
    return {
        "code": unit.code,
        "name": version.name,
        "kind": version.kind,
        "kind_label": ORG_KIND_LABELS.get(version.kind, version.kind),
        "sector": version.sector,
        "sector_label": SECTOR_LABELS.get(version.sector, version.sector),
        "parent": version.parent.code if version.parent else None,
        "as_of": on,
        "official": counts.get(Status.OFFICIAL, 0),
        "probationary": counts.get(Status.PROBATIONARY, 0),
    }


@router.get("/tree", response={200: s.Tree, **ERRORS}, summary="Cây tổ chức tại một ngày, kèm số đảng viên")
def tree(request: HttpRequest, root: str | None = None, as_of: dt.date | None = None) -> Any:
    """Without `root`: each organization the token's holder was granted, as a root of its own (as the web's tree)."""
    require_reader(request.user)
    on = _day(as_of)
    if root:
        roots = tree_on(on, get_org(request.user, root, on=on))
    else:
        tops = home_orgs(request.user).filter(pk__in=visible_orgs(request.user, on).values("pk"))
        roots = [n for unit in tops for n in tree_on(on, unit)]
    return {"as_of": on, "roots": [n.as_json() for n in roots]}


@router.get("/members", response={200: s.MemberPage, **ERRORS}, summary="Danh sách đảng viên (tìm, lọc, theo trang)")
def members(
    request: HttpRequest,
    org: str | None = None,
    q: str = "",
    status: str = Query("", pattern="^(|official|probationary)$"),  # type: ignore[type-arg]
    gender: str = Query("", pattern="^(|male|female)$"),  # type: ignore[type-arg]
    as_of: dt.date | None = None,
    after: str = "",
    size: int = Query(50, ge=1, le=PAGE_MAX),  # type: ignore[type-arg]
) -> Any:
    """Members in the holder's scope on `as_of`, in Vietnamese name order, `size` a page; identifiers masked."""
    require_reader(request.user)
    on = _day(as_of)
    unit = get_org(request.user, org, on=on) if org else None
    found = web_reads.search_members(
        request.user, on=on, q=q[:100], status=status, gender=gender, unit=unit, after=after[:40], size=size
    )
    shown = identifiers_shown(request.user, {sp.member_id for sp in found.spans})
    rows = web_reads.member_rows(found.spans, on, shown=shown)
    return {
        "as_of": on,
        "items": [
            {
                "code": r.member.code,
                "full_name": r.member.full_name,
                "gender": r.member.gender,
                "birth_date": r.member.birth_date,
                "unit": r.unit_code,
                "unit_name": r.unit_name,
                "status": r.status,
                "citizen_id": r.citizen_id if r.identifiers else None,
                "card_number": r.card_number if r.identifiers else None,
            }
            for r in rows
        ],
        "next": found.more or None,
        "message": found.message,
    }


@router.get("/members/{code}", response={200: s.Member, **ERRORS}, summary="Hồ sơ một đảng viên")
def member(request: HttpRequest, code: str, as_of: dt.date | None = None) -> Any:
    m = get_member(request.user, code)
    on = _day(as_of)
    shown = shows_identifiers(request.user, m)
    standing = mq.unit_on(m, on)
    fields = (
        "code full_name birth_name gender birth_date birth_place ethnicity religion hometown residence "
        "general_education professional_education degree political_theory occupation youth_union_on"
    ).split()
    return {
        **{f: getattr(m, f) for f in fields},
        "citizen_id": web_reads.mask(m.citizen_id) if shown else None,
        "card_number": web_reads.mask(m.card_number) if shown else None,
        "identifiers_withheld": not shown,
        "unit": standing.unit if standing else None,
        "official": standing.official if standing else None,
        "as_of": on,
    }


@router.post(
    "/members/{code}/reveal", response={200: s.Revealed, **ERRORS}, summary="Xem đầy đủ một số định danh (ghi nhật ký)"
)
def reveal(request: HttpRequest, code: str, body: s.RevealIn) -> Any:
    m = get_member(request.user, code)
    require_identifiers(request.user, m)  # not for a member who left the holder's scope (403, as on the web)
    return {"field": body.field, "value": ms.member_reveal(member=m, field=body.field, actor=actor(request))}


@router.get("/members/{code}/events", response={200: list[s.Event], **ERRORS}, summary="Quá trình sinh hoạt đảng")
def events(request: HttpRequest, code: str) -> Any:
    m = get_member(request.user, code)
    rows = MemberEvent.objects.filter(member=m).select_related("organization").order_by("on", "pk")
    return [
        {
            "id": e.pk,
            "kind": e.kind,
            "kind_label": EVENT_LABELS.get(EventKind(e.kind), e.kind),
            "on": e.on,
            "unit": e.organization.code if e.organization else None,
            "decided_on": e.decided_on,
            "ceremony_on": e.ceremony_on,
            "until": e.until,
            "decision_ref": e.decision_ref,
            "counterpart": e.counterpart,
            "note": e.note,
        }
        for e in rows
    ]


@router.get("/members/{code}/results", response={200: list[s.Result], **ERRORS}, summary="Kết quả xếp loại hằng năm")
def results(request: HttpRequest, code: str) -> Any:
    m = get_member(request.user, code)
    rows = Result.objects.filter(member=m).select_related("unit").order_by("year", "pk")
    return [
        {
            "year": r.year,
            "level": r.level,
            "level_label": r.get_level_display() if r.level else r.get_not_rated_display(),
            "not_rated": r.not_rated,
            "exemplary": r.exemplary,
            "unit": r.unit.code,
        }
        for r in rows
    ]


@router.get(
    "/orgs/{code}/review", response={200: s.ReviewStats, **ERRORS}, summary="Kết quả đánh giá, xếp loại của một năm"
)
def review(request: HttpRequest, code: str, year: int = Query(..., ge=2000, le=2100)) -> Any:  # type: ignore[type-arg]
    require_reader(request.user)
    day = min(dt.date(year, 12, 31), today())
    unit = get_org_during(request.user, code, dt.date(year, 1, 1), day)
    groups = review_stats(unit, year)
    return {"year": year, "groups": {k: _stats(g) for k, g in groups.items()}}


def _stats(g: Any) -> dict[str, Any]:
    return {
        "rated": g.rated,
        "levels": dict(g.levels),
        "not_rated": dict(g.not_rated),
        "exemplary": g.exemplary,
        "pending": g.pending,
        "too_new": g.too_new,
    }


@router.get(
    "/orgs/{code}/indicators", response={200: s.Indicators, **ERRORS}, summary="Các chỉ số, so với kế hoạch, chỉ tiêu"
)
def indicators(request: HttpRequest, code: str, start: dt.date, end: dt.date) -> Any:
    require_reader(request.user)
    if end < start:
        raise RuleError("Ngày cuối kỳ phải sau ngày đầu kỳ.", field="end")
    if start.year < 1930 or end.year > 2100:
        raise RuleError("Kỳ phải nằm trong các năm 1930–2100.", field="start")
    unit = get_org_during(request.user, code, start, end)
    rows = compare_by_root([unit], start, end)[unit.pk]
    return {"start": start, "end": end, "indicators": [r.as_json() for r in rows]}
