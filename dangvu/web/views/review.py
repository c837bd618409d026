"""The annual review: a member's self-review, the branch's proposals, the committee's decisions with caps,
reasons and a live quota meter per grassroots organization, closing and reopening the year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
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
from dangvu.assessment import sheet as sheets
from dangvu.assessment.facts import cycle_regime
from dangvu.assessment.models import AssessmentCycle, Rating, Result
from dangvu.assessment.printout import pdf_of, results_list
from dangvu.assessment.progress import cycle_progress
from dangvu.audit.services import Actor
from dangvu.domain.assessment.levels import Stage
from dangvu.domain.errors import RuleError
from dangvu.domain.orgtree import ABOVE_GRASSROOTS, GRASSROOTS, OrgKind
from dangvu.members.models import MembershipSpan
from dangvu.orgs.models import OrgAncestry, Organization, OrgVersion
from dangvu.web import forms, reads
from dangvu.web.review_forms import SelfReviewForm, UnitSheet, grade_choices, level_choices

# The years a review list may be asked for: the product's dates start in 1900 (forms.VnDateField) and end before
# the open end 9999-12-31; a year outside (?year=10000, ?year=0) is refused with a message, never a server error.
YEAR_MIN, YEAR_MAX = 1900, 9998


def _year_param(request: HttpRequest) -> int | None:
    raw = (request.GET.get("year") or "").strip()
    if not raw:
        return None
    if raw.isascii() and raw.isdigit() and len(raw) <= 4 and YEAR_MIN <= int(raw) <= YEAR_MAX:
        return int(raw)
    messages.error(request, f"Năm không hợp lệ: chọn một năm từ {YEAR_MIN} đến {YEAR_MAX}; đang hiện mọi năm.")
    return None


@login_required
def review_index(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    year = _year_param(request)
    day = dt.date(year, *svc.DEFAULT_RATED_ON) if year else None  # the usual rating day: scope as it stood then
    scoped = visible_cycles(request.user, on=day) if day else visible_cycles(request.user, ever=True)
    cycles = scoped.select_related("committee")
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
        # A grassroots branch (chi bộ cơ sở) opens its own cycle to rate its members (HD 21 [V]).
        .filter(depth=0, ancestor_kind__in=[*ABOVE_GRASSROOTS, *GRASSROOTS])
        .values("organization_id")
    )[:50]
    names_now = dict(
        OrgVersion.objects.filter(organization_id__in=[o.pk for o in committees])
        .order_by("valid_from")
        .values_list("organization_id", "name")
    )
    return render(
        request,
        "web/review_index.html",
        {
            "cycles": [(c, names.get(c.committee_id, c.committee.code)) for c in cycles],
            "year": year,
            "open_form": open_form,
            "committees": [(o.code, names_now.get(o.pk, o.code)) for o in committees],
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
    decide = can_decide(request.user, cycle)
    visible = None if decide else list(visible_orgs(request.user, cycle.rated_on).values_list("pk", flat=True))
    progress = cycle_progress(cycle, visible)
    return render(
        request,
        "web/cycle.html",
        {
            "cycle": cycle,
            "progress": progress,
            # A grassroots branch's own cycle: its one row is the branch's own members.
            "own_only": bool(progress.units)
            and all(u.version.organization_id == cycle.committee_id for u in progress.units),
            "decide": decide,
            "quota": svc.quota_report(cycle) if decide else [],
            "reason_form": forms.ReasonForm(),
        },
    )


def _unit_in_cycle(request: HttpRequest, cycle: AssessmentCycle, code: str) -> Organization:
    """A unit the cycle rates: one below its committee, or a grassroots branch's own cycle's branch itself (a chi
    bộ cơ sở rates its own members, HD 21; its own result is the committee above's)."""
    unit = get_org(request.user, code, on=cycle.rated_on)
    if unit.pk == cycle.committee_id:
        version = unit.version_on(cycle.rated_on)
        if version is not None and version.kind == OrgKind.GRASSROOTS_BRANCH:
            return unit
        raise Http404("Chọn một tổ chức cơ sở đảng hoặc chi bộ của đợt đánh giá.")
    if not OrgAncestry.objects.on(cycle.rated_on).filter(ancestor=cycle.committee, organization=unit).exists():
        raise Http404("Chọn một tổ chức cơ sở đảng hoặc chi bộ của đợt đánh giá.")
    return unit


@login_required
def unit_review(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """One grassroots organization or branch on one sheet: each member's facts of the year, points, self-review,
    the branch's proposal, the rules' maximum with its reasons, the committee's decision; the organizations
    below; the live quota meter. Saving records every row that passes and keeps the refused ones as typed."""
    cycle = get_cycle(request.user, pk)
    unit = _unit_in_cycle(request, cycle, code)
    is_open = cycle.status == AssessmentCycle.Status.OPEN
    decide = can_decide(request.user, cycle) and is_open
    propose = can_propose(request.user, unit, cycle) and is_open
    regime = cycle_regime(cycle)
    rows, org_rows = sheets.unit_sheet(cycle, unit), reads.org_review_rows(cycle, unit)
    org_facts = sheets.org_year_facts(cycle, [o.version.organization_id for o in org_rows])
    sheet = UnitSheet(regime=regime, rows=rows, org_rows=org_rows, propose=propose, decide=decide, org_facts=org_facts)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if not (propose or decide) or (action == "accept" and not decide):
            raise PermissionDenied
        sheet = UnitSheet(
            regime=regime,
            rows=rows,
            org_rows=org_rows,
            propose=propose,
            decide=decide,
            data=request.POST,
            org_facts=org_facts,
        )
        try:
            summary = sheet.save(cycle=cycle, actor=Actor.of(request.user), accept=action == "accept")
        except RuleError as e:
            # The cycle closed meanwhile, or another session's write got there first: what the services said,
            # and the sheet as it is now recorded.
            messages.error(request, e.message)
            return redirect("unit_review", cycle.pk, unit.code)
        if not summary.refused:
            messages.success(request, summary.message())
            return redirect("unit_review", cycle.pk, unit.code)
        messages.warning(request, summary.message())
        for entry in sheet.entries:  # each refused member by code and name, with why (the row says it too)
            if entry.errors:
                m = entry.row.member
                messages.error(request, f"{m.code} – {m.full_name}: {' '.join(entry.errors)}")
        # Read again what is now recorded; the refused rows show what was typed, with why.
        sheet = UnitSheet(
            regime=regime,
            rows=sheets.unit_sheet(cycle, unit),
            org_rows=reads.org_review_rows(cycle, unit),
            propose=propose,
            decide=decide,
            data=request.POST,
            keep=sheet.refused_members(),
            keep_orgs=sheet.refused_orgs(),
            org_facts=sheets.org_year_facts(cycle, [o.version.organization_id for o in org_rows]),
        ).with_errors_of(sheet)
    version = unit.version_on(cycle.rated_on)
    return render(
        request,
        "web/unit_review.html",
        {
            "cycle": cycle,
            "regime": regime,
            "unit": unit,
            "unit_name": version.name if version else unit.code,
            "sheet": sheet,
            "decide": decide,
            "propose": propose,
            "org_levels": level_choices(regime.org_levels),
            "grades": grade_choices(),
            "meter": sheets.quota_meter(cycle, sheets.grassroots_of(unit, cycle.rated_on), sheet.pending()),
        },
    )


@require_POST
@login_required
def quota_meter(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """htmx: the meter for the levels chosen on the page, before they are saved."""
    cycle = get_cycle(request.user, pk)
    unit = _unit_in_cycle(request, cycle, code)
    pending = {
        int(k[2:]): (v, request.POST.get(f"r-{k[2:]}", "").strip())
        for k, v in request.POST.items()
        if k.startswith("d-") and k[2:].isdigit() and v
    }
    meter = sheets.quota_meter(cycle, sheets.grassroots_of(unit, cycle.rated_on), _in_unit(cycle, unit, pending))
    return render(request, "web/_quota.html", {"meter": meter})


def _in_unit(cycle: AssessmentCycle, unit: Organization, pending: dict[int, Any]) -> dict[int, Any]:
    """Only the unit's members: a posted level for anyone else does not move this meter."""
    on = cycle.rated_on
    units = OrgAncestry.objects.on(on).filter(ancestor=unit).values("organization_id")
    ids = set(
        MembershipSpan.objects.on(on)
        .filter(organization_id__in=units, member_id__in=list(pending))
        .values_list("member_id", flat=True)
    )
    return {k: v for k, v in pending.items() if k in ids}


@login_required
def unit_results_print(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The unit's results as a list to sign: an HTML page to print, or (?pdf=1) the same as a PDF file."""
    cycle = get_cycle(request.user, pk)
    unit = _unit_in_cycle(request, cycle, code)
    signed = results_list(cycle, unit)
    if request.GET.get("pdf"):
        try:
            data = pdf_of(render_to_string("web/unit_results_print.html", {"doc": signed, "pdf": True}))
        except RuleError as e:
            messages.error(request, e.message)
            return redirect("unit_review", cycle.pk, unit.code)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="ket-qua-xep-loai-{cycle.year}-{unit.code}.pdf"'
        return response
    back = reverse("unit_review", args=[cycle.pk, unit.code])
    return render(request, "web/unit_results_print.html", {"doc": signed, "pdf": False, "back": back})


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
        day = dt.date(year, *svc.DEFAULT_RATED_ON) if year < on.year else on
        cycle = reads.covering_cycle(span.organization, year, day)
        if cycle is not None and cycle.status == AssessmentCycle.Status.OPEN:
            return cycle, span
    return None, span


@login_required
def self_review(request: HttpRequest) -> HttpResponse:
    """The member's own self-review for the open cycle that rates them: points or grades per criterion, the level
    they propose for themselves (nothing chosen beforehand) and their self-criticism. Made for a phone."""
    member_id = access(request.user).member_id
    if member_id is None:
        raise Http404("Tài khoản chưa gắn với hồ sơ đảng viên.")
    cycle, _span = _own_cycle(member_id)
    regime = cycle_regime(cycle) if cycle else None
    mine = Rating.objects.filter(cycle=cycle, member_id=member_id, stage=Stage.SELF).last() if cycle else None
    form = SelfReviewForm(regime, request.POST or None, initial=SelfReviewForm.initial_from(mine)) if regime else None
    if cycle is not None and form is not None and request.method == "POST" and form.is_valid():
        try:
            svc.rating_record(
                cycle=cycle,
                stage=Stage.SELF,
                member_id=member_id,
                actor=Actor.of(request.user),
                level=form.cleaned_data["level"],
                points=form.points or None,
                grades=form.grades or None,
                comment=form.cleaned_data["comment"],
            )
        except RuleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "Đã gửi bản tự đánh giá.")
            return redirect("self_review")
    result = Result.objects.filter(member_id=member_id, year=cycle.year).first() if cycle else None
    return render(
        request,
        "web/self_review.html",
        {"cycle": cycle, "regime": regime, "form": form, "mine": mine, "result": result},
    )
