"""The annual review: a member's self-review, the branch's proposals, the committee's decisions with caps,
reasons and a live quota meter per grassroots organization, closing and reopening the year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.accounts.scope import (
    access,
    can_decide,
    can_propose,
    get_cycle,
    get_org,
    require_reader,
    today,
    visible_cycles,
    visible_orgs,
    writable_orgs,
)
from dangvu.assessment import services as svc
from dangvu.assessment.facts import cycle_regime
from dangvu.assessment.models import AssessmentCycle, Rating, Result
from dangvu.assessment.stats import review_stats
from dangvu.audit.services import Actor
from dangvu.domain.assessment.levels import NEW_LABELS, OLD_ORG_LABELS, Stage
from dangvu.domain.errors import RuleError
from dangvu.domain.orgtree import GRASSROOTS
from dangvu.members.models import MembershipSpan
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion, valid_on
from dangvu.web import forms, reads


@login_required
def review_index(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    year = int(request.GET["year"]) if (request.GET.get("year") or "").isdigit() else None
    cycles = visible_cycles(request.user, on=dt.date(year, 12, 15) if year else None).select_related("committee")
    if year:
        cycles = cycles.filter(year=year)
    cycles = cycles.order_by("-year", "committee__code")[:200]
    names = dict(
        OrgVersion.objects.filter(organization_id__in=[c.committee_id for c in cycles])
        .order_by("valid_from")
        .values_list("organization_id", "name")
    )
    open_form = forms.CycleOpenForm(initial={"year": today().year})
    committees = writable_orgs(request.user).filter(
        pk__in=OrgAncestry.objects.on(today())
        .filter(depth=0, ancestor_kind__in=["district", "commune", "province", "bloc", "grassroots_committee"])
        .values("organization_id")
    )[:50]
    return render(
        request,
        "web/review_index.html",
        {
            "cycles": [(c, names.get(c.committee_id, c.committee.code)) for c in cycles],
            "year": year,
            "open_form": open_form,
            "committees": committees,
        },
    )


@require_POST
@login_required
def cycle_open(request: HttpRequest) -> HttpResponse:
    form = forms.CycleOpenForm(request.POST)
    committee = get_org(request.user, request.POST.get("committee", ""), write=True)
    if form.is_valid():
        try:
            cycle = svc.cycle_open(
                committee=committee,
                year=form.cleaned_data["year"],
                rated_on=form.cleaned_data["rated_on"],
                actor=Actor.of(request.user),
            )
        except RuleError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"Đã mở đợt đánh giá năm {cycle.year}.")
            return redirect("cycle", cycle.pk)
    else:
        messages.error(request, "Năm không hợp lệ.")
    return redirect("review_index")


@login_required
def cycle_page(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle(request.user, pk)
    on = cycle.rated_on
    vis = visible_orgs(request.user, on)
    # Grassroots organizations of the cycle that the person sees, with their progress.
    units = OrgAncestry.objects.on(on).filter(ancestor=cycle.committee).values("organization_id")
    under_grassroots = (
        OrgAncestry.objects.on(on)
        .filter(organization_id__in=units, ancestor_kind__in=list(GRASSROOTS))
        .values("organization_id")
    )
    # Grassroots organizations, and branches directly under the committee (after the 2025 reform a commune's
    # branches need not sit under a grassroots organization).
    grassroots = list(
        OrgVersion.objects.filter(valid_on(on), organization_id__in=units)
        .filter(Q(kind__in=list(GRASSROOTS)) | (Q(kind="branch") & ~Q(organization_id__in=under_grassroots)))
        .filter(organization_id__in=vis.values("pk"))
        .select_related("organization")
        .order_by("name")
    )
    from dangvu.orgs.queries import direct_counts, members_per_grassroots

    results = Result.objects.filter(cycle=cycle, member__isnull=False)
    by_grassroots = dict(results.values_list("grassroots_id").annotate(n=Count("id")).order_by())
    by_unit = dict(results.filter(grassroots__isnull=True).values_list("unit_id").annotate(n=Count("id")).order_by())
    sizes = members_per_grassroots(on, cycle.committee)
    loose = [v.organization_id for v in grassroots if v.kind not in GRASSROOTS]
    direct = {k: sum(c.values()) for k, c in direct_counts(loose, on).items()} if loose else {}
    rows = [
        (v, by_grassroots.get(v.organization_id, 0), sizes.get(v.organization_id, 0))
        if v.kind in GRASSROOTS
        else (v, by_unit.get(v.organization_id, 0), direct.get(v.organization_id, 0))
        for v in grassroots
    ]
    stats = review_stats(cycle.committee, cycle.year, structure_on=on) if can_decide(request.user, cycle) else None
    return render(
        request,
        "web/cycle.html",
        {
            "cycle": cycle,
            "rows": rows,
            "stats": stats,
            "decide": can_decide(request.user, cycle),
            "quota": svc.quota_report(cycle) if can_decide(request.user, cycle) else [],
            "reason_form": forms.ReasonForm(),
            "labels": {**NEW_LABELS, **OLD_ORG_LABELS},
        },
    )


def _pending(request: HttpRequest, member_ids: list[int]) -> dict[int, tuple[str, str]]:
    out = {}
    for mid in member_ids:
        level = request.POST.get(f"d-{mid}", "")
        if level:
            out[mid] = (level, request.POST.get(f"r-{mid}", "").strip())
    return out


def _grassroots_of(unit: Organization, on: dt.date) -> Organization | None:
    anc = (
        OrgAncestry.objects.on(on)
        .filter(organization=unit, ancestor_kind__in=list(GRASSROOTS))
        .select_related("ancestor")
        .first()
    )
    return anc.ancestor if anc else None


def _changed_decisions(
    request: HttpRequest, rows: list[reads.ReviewRow], org_rows: list[reads.OrgReviewRow]
) -> list[svc.Decision]:
    """The levels on the screen that differ from what is recorded (members, then organizations)."""
    out = []
    for r in rows:
        mid = r.member.pk
        level, reason = request.POST.get(f"d-{mid}", ""), request.POST.get(f"r-{mid}", "").strip()
        exemplary = request.POST.get(f"x-{mid}") == "on"
        res = r.result
        if level and (res is None or (res.level, res.override_reason, res.exemplary) != (level, reason, exemplary)):
            out.append(svc.Decision("m", mid, level, exemplary=exemplary, override_reason=reason))
    for o in org_rows:
        oid = o.version.organization_id
        level, exemplary = request.POST.get(f"o-{oid}", ""), request.POST.get(f"ox-{oid}") == "on"
        res = o.result
        if level and (res is None or (res.level, res.exemplary) != (level, exemplary)):
            out.append(svc.Decision("o", oid, level, exemplary=exemplary))
    return out


@login_required
def unit_review(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """One grassroots organization or branch: members with self-review, proposal, the rules' cap and reasons, the
    decision. The branch proposes; the committee decides; the quota meter follows every change (htmx)."""
    cycle = get_cycle(request.user, pk)
    unit = get_org(request.user, code, on=cycle.rated_on)
    grassroots = _grassroots_of(unit, cycle.rated_on)
    if (
        unit.pk == cycle.committee_id
        or not OrgAncestry.objects.on(cycle.rated_on).filter(ancestor=cycle.committee, organization=unit).exists()
    ):
        raise Http404("Chọn một tổ chức cơ sở đảng hoặc chi bộ của đợt đánh giá.")
    decide, propose = can_decide(request.user, cycle), can_propose(request.user, unit, cycle)
    rows = reads.review_rows(cycle, unit)
    org_rows = reads.org_review_rows(cycle, unit)
    errors: dict[int, str] = {}
    org_errors: dict[int, str] = {}
    decisions: list[svc.Decision] = []
    if request.method == "POST":
        action = request.POST.get("action")
        actor = Actor.of(request.user)
        try:
            if action == "propose":
                if not propose:
                    raise PermissionDenied
                n = 0
                for r in rows:
                    level = request.POST.get(f"p-{r.member.pk}", "")
                    if level and (r.proposal is None or r.proposal.level != level):
                        svc.rating_record(
                            cycle=cycle,
                            stage=Stage.PROPOSAL,
                            member_id=r.member.pk,
                            level=level,
                            comment=request.POST.get(f"c-{r.member.pk}", ""),
                            actor=actor,
                        )
                        n += 1
                messages.success(request, f"Đã ghi {n} đề xuất của chi bộ.")
                return redirect("unit_review", cycle.pk, unit.code)
            if action == "decide":
                if not decide:
                    raise PermissionDenied
                decisions = _changed_decisions(request, rows, org_rows)
                if decisions:
                    svc.decide_many(cycle=cycle, decisions=decisions, actor=actor)
                messages.success(request, f"Đã ghi {len(decisions)} quyết định xếp loại.")
                return redirect("unit_review", cycle.pk, unit.code)
        except svc.DecisionErrors as e:
            by_index = dict(e.errors)
            for i, d in enumerate(decisions):
                if i in by_index:
                    (errors if d.subject == "m" else org_errors)[d.subject_id] = by_index[i]
            messages.error(request, "Chưa ghi: " + str(len(errors)) + " quyết định bị từ chối (xem từng dòng).")
        except RuleError as e:
            messages.error(request, e.message)
    meter = reads.quota_meter(
        cycle, grassroots, _pending(request, [r.member.pk for r in rows]) if request.method == "POST" else None
    )
    version = unit.version_on(cycle.rated_on)
    regime = cycle_regime(cycle)
    return render(
        request,
        "web/unit_review.html",
        {
            "cycle": cycle,
            "unit": unit,
            "unit_name": version.name if version else unit.code,
            "grassroots": grassroots,
            "rows": rows,
            "errors": errors,
            "posted": request.POST if request.method == "POST" else {},
            "decide": decide and cycle.status == AssessmentCycle.Status.OPEN,
            "propose": propose and cycle.status == AssessmentCycle.Status.OPEN,
            "levels": reads.level_choices(regime.member_levels),
            "org_levels": reads.level_choices(regime.org_levels),
            "org_rows": org_rows,
            "org_errors": org_errors,
            "meter": meter,
        },
    )


@require_POST
@login_required
def quota_meter(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """htmx: the meter for the levels chosen on the screen, before they are saved."""
    cycle = get_cycle(request.user, pk)
    unit = get_org(request.user, code, on=cycle.rated_on)
    grassroots = _grassroots_of(unit, cycle.rated_on)
    on = cycle.rated_on
    units = OrgAncestry.objects.on(on).filter(ancestor=unit).values("organization_id")
    ids = list(MembershipSpan.objects.on(on).filter(organization_id__in=units).values_list("member_id", flat=True))
    meter = reads.quota_meter(cycle, grassroots, _pending(request, ids))
    return render(request, "web/_quota.html", {"meter": meter})


@require_POST
@login_required
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle(request.user, pk, decide=True)
    try:
        report = svc.cycle_close(cycle=cycle, actor=Actor.of(request.user))
    except RuleError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"Đã kết thúc đợt đánh giá năm {cycle.year} ({report.not_rated} không xếp loại).")
        for w in report.quota_warnings:
            messages.warning(request, w)
    return redirect("cycle", cycle.pk)


@require_POST
@login_required
def cycle_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle(request.user, pk, decide=True)
    try:
        svc.cycle_reopen(cycle=cycle, reason=request.POST.get("reason", ""), actor=Actor.of(request.user))
    except RuleError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"Đã mở lại đợt đánh giá năm {cycle.year}.")
    return redirect("cycle", cycle.pk)


def _own_cycle(member_id: int) -> tuple[AssessmentCycle | None, Any]:
    span = MembershipSpan.objects.filter(member_id=member_id).order_by("-valid_from").first()
    if span is None:
        return None, None
    on = min(today(), span.valid_to - dt.timedelta(days=1))
    for year in (on.year, on.year - 1):
        cycle = reads.covering_cycle(span.organization, year, dt.date(year, 12, 15) if year < on.year else on)
        if cycle is not None and cycle.status == AssessmentCycle.Status.OPEN:
            return cycle, span
    return None, span


@login_required
def self_review(request: HttpRequest) -> HttpResponse:
    """The member's own self-review for the open cycle that rates them."""
    member_id = access(request.user).member_id
    if member_id is None:
        raise Http404("Tài khoản chưa gắn với hồ sơ đảng viên.")
    cycle, _span = _own_cycle(member_id)
    form = forms.SelfReviewForm(request.POST or None)
    mine = Rating.objects.filter(cycle=cycle, member_id=member_id, stage=Stage.SELF).last() if cycle else None
    if cycle is not None and request.method == "POST" and form.is_valid():
        try:
            svc.rating_record(
                cycle=cycle,
                stage=Stage.SELF,
                member_id=member_id,
                actor=Actor.of(request.user),
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
            )
        except RuleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "Đã gửi bản tự đánh giá.")
            return redirect("self_review")
    result = Result.objects.filter(member_id=member_id, year=cycle.year).first() if cycle else None
    return render(request, "web/self_review.html", {"cycle": cycle, "form": form, "mine": mine, "result": result})
