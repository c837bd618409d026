"""Members: the list (search without diacritics, Vietnamese sort by given name, filters, pages), the profile
with its lifecycle timeline, revealing a masked identifier (audited), and the lifecycle forms."""

from __future__ import annotations

from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.accounts.scope import (
    can_change_member,
    can_write,
    check_change_member,
    get_member,
    get_org,
    is_own_member,
    require_reader,
    require_write_somewhere,
    visible_members,
    visible_orgs,
)
from dangvu.audit.services import Actor, audit
from dangvu.domain.errors import RuleError
from dangvu.domain.membership import EVENT_LABELS
from dangvu.members import services as ms
from dangvu.members.models import Member, MembershipSpan
from dangvu.orgs.models import OrgVersion
from dangvu.web import forms, reads
from dangvu.web.htmx import is_htmx
from dangvu.web.views.orgs import as_of

PAGE = 50
EXPORT_LIMIT = 50_000
# The given name sorts first (Vietnamese order); beyond this many matches the list is sorted by the database on
# the folded full name instead, so a district's 12 000 members still page fast.
SORT_IN_PYTHON_UP_TO = 5000


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = forms.MemberSearchForm(request.GET or None)
    form.is_valid()
    data: dict[str, Any] = form.cleaned_data if form.is_bound else {}
    on = data.get("as_of") or as_of(request)
    scope = visible_orgs(request.user, on)
    root = get_org(request.user, request.GET["org"], on=on) if request.GET.get("org") else None
    unit = get_org(request.user, data["unit"], on=on) if data.get("unit") else root
    spans = reads.search_members(
        visible_members(request.user, on),
        scope=scope,
        on=on,
        q=data.get("q", ""),
        status=data.get("status", ""),
        gender=data.get("gender", ""),
        unit=unit,
    ).select_related("member", "organization")
    page_no = request.GET.get("page") or 1
    # A search usually matches a few people: one query fetches them all and they are sorted by given name
    # (Vietnamese order). A large match, or the whole list of a large unit, is counted and paged by the database
    # on the folded full name instead.
    if data.get("q"):
        found = list(spans[: SORT_IN_PYTHON_UP_TO + 1])
        head: list[MembershipSpan] | None = found
        total: int | None = len(found) if len(found) <= SORT_IN_PYTHON_UP_TO else None
    else:
        total = spans.count()
        head = list(spans) if total <= SORT_IN_PYTHON_UP_TO else None
    ordered: Any
    if head is not None and total is not None and total <= SORT_IN_PYTHON_UP_TO:
        ordered = reads.sort_by_given_name(head)
    else:
        ordered = spans.order_by("member__full_name_folded", "member_id")
    page = Paginator(ordered, PAGE).get_page(page_no)
    total = page.paginator.count if total is None else total
    rows = reads.member_rows(list(page.object_list), on)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/_member_rows.html" if is_htmx(request) else "web/members.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "total": total,
            "on": on,
            "org": root,
            "query": query.urlencode(),
        },
    )


@login_required
def member_export(request: HttpRequest) -> HttpResponseBase:
    """The list as filtered, as an XLSX file: identifiers masked, who exported it and when on the sheet and in
    the audit log."""
    import io

    import openpyxl
    from django.http import FileResponse
    from django.utils import timezone

    from dangvu.domain.vietnamese import fmt_date

    require_reader(request.user)
    form = forms.MemberSearchForm(request.GET or None)
    form.is_valid()
    data: dict[str, Any] = form.cleaned_data if form.is_bound else {}
    on = data.get("as_of") or as_of(request)
    root = get_org(request.user, request.GET["org"], on=on) if request.GET.get("org") else None
    unit = get_org(request.user, data["unit"], on=on) if data.get("unit") else root
    spans = reads.search_members(
        visible_members(request.user, on),
        scope=visible_orgs(request.user, on),
        on=on,
        q=data.get("q", ""),
        status=data.get("status", ""),
        gender=data.get("gender", ""),
        unit=unit,
    ).select_related("member", "organization")[:EXPORT_LIMIT]
    rows = reads.member_rows(reads.sort_by_given_name(list(spans)), on)
    now = timezone.localtime()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đảng viên"
    ws.append(
        [
            f"Danh sách đảng viên ngày {fmt_date(on)} — xuất bởi {request.user.get_username()} lúc "
            f"{now:%H:%M} ngày {fmt_date(now.date())}"
        ]
    )
    ws.append(["STT", "Họ và tên", "Mã", "Ngày sinh", "Giới tính", "Chi bộ", "Tình trạng", "Số CCCD", "Số thẻ"])
    for i, r in enumerate(rows, start=1):
        ws.append(
            [
                i,
                r.member.full_name,
                r.member.code,
                fmt_date(r.member.birth_date),
                r.member.get_gender_display(),
                r.unit_name,
                "Chính thức" if r.status == "official" else "Dự bị",
                r.citizen_id,
                r.card_number,
            ]
        )
    wb.properties.creator = request.user.get_username()
    buf = io.BytesIO()
    wb.save(buf)
    with transaction.atomic():
        audit(
            actor=Actor.of(request.user),
            action="member_export",
            object_type="members.member",
            object_id="list",
            after={"rows": len(rows), "query": request.GET.urlencode(), "on": on.isoformat()},
        )
    buf.seek(0)
    return FileResponse(buf, as_attachment=True, filename=f"dang-vien-{on.isoformat()}.xlsx")


@login_required
def member_profile(request: HttpRequest, code: str) -> HttpResponse:
    member = get_member(request.user, code)
    events = list(member.events.select_related("organization").order_by("on", "id"))
    unit_ids = {e.organization_id for e in events if e.organization_id}
    names: dict[tuple[int | None, Any], str] = {}
    for v in OrgVersion.objects.filter(organization_id__in=unit_ids):
        for e in events:
            if e.organization_id == v.organization_id and v.valid_from <= e.on < v.valid_to:
                names[(e.organization_id, e.on)] = v.name
    timeline = [(e, EVENT_LABELS.get(e.kind, e.kind), names.get((e.organization_id, e.on), "")) for e in events]
    span = MembershipSpan.objects.filter(member=member).order_by("-valid_from").select_related("organization").first()
    on = as_of(request)
    current = MembershipSpan.objects.on(on).filter(member=member).select_related("organization").first()
    current_name = (
        OrgVersion.objects.filter(organization_id=current.organization_id, valid_from__lte=on, valid_to__gt=on)
        .values_list("name", flat=True)
        .first()
        if current
        else None
    )
    writable = span is not None and not is_own_member(request.user, member) and can_change_member(request.user, member)
    results = member.results.select_related("unit").order_by("-year")
    return render(
        request,
        "web/member.html",
        {
            "m": member,
            "timeline": timeline,
            "span": span,
            "current": current,
            "current_name": current_name,
            "writable": writable,
            "results": results,
            "masked_cid": reads.mask(member.citizen_id),
            "masked_card": reads.mask(member.card_number),
            "event_kinds": LIFECYCLE_FORMS,
            "own": is_own_member(request.user, member),
        },
    )


REVEALABLE = {"citizen_id": "số CCCD", "card_number": "số thẻ đảng viên"}


@require_POST
@login_required
def member_reveal(request: HttpRequest, code: str, field: str) -> HttpResponse:
    """Show one masked identifier in full, and record who looked at it."""
    if field not in REVEALABLE:
        raise Http404
    member = get_member(request.user, code)
    value = getattr(member, field) or ""
    with transaction.atomic():
        audit(actor=Actor.of(request.user), action="member_reveal", obj=member, after={"field": field})
    return HttpResponse(f'<span class="masked">{value or "—"}</span>')


# ---------------------------------------------------------------- lifecycle forms


def _unit(user: Any, code: str, on: Any) -> Any:
    org = visible_orgs(user, on).filter(code=code.strip()).first()
    if org is None:
        raise RuleError(f"Không có chi bộ mã '{code}' trong phạm vi của bạn.", field="org")
    if not can_write(user, org, on):
        raise RuleError(f"Bạn chỉ có quyền xem '{code}'.", field="org")
    return org


def _admit(m: Member, d: dict[str, Any], actor: Actor, user: Any) -> Any:
    org = _unit(user, d.pop("org"), d["decided_on"])
    return ms.member_admit(member=m, org=org, actor=actor, **d)


def _readmit(m: Member, d: dict[str, Any], actor: Actor, user: Any) -> Any:
    org = _unit(user, d.pop("org"), d["decided_on"])
    return ms.member_readmit(member=m, org=org, actor=actor, **d)


def _transfer_in(m: Member, d: dict[str, Any], actor: Actor, user: Any) -> Any:
    to = _unit(user, d.pop("to"), d["on"])
    return ms.member_transfer_in(member=m, to=to, actor=actor, **d)


def _restore(m: Member, d: dict[str, Any], actor: Actor, user: Any) -> Any:
    org = _unit(user, d.pop("org"), d["on"])
    return ms.member_restore(member=m, org=org, actor=actor, **d)


def _simple(service: Any) -> Any:
    def run(m: Member, d: dict[str, Any], actor: Actor, user: Any) -> Any:
        return service(member=m, actor=actor, **d)

    return run


LIFECYCLE_FORMS: dict[str, tuple[str, type[djforms.Form], Any]] = {
    "recognition": ("Công nhận đảng viên chính thức", forms.RecognizeForm, _simple(ms.member_recognize)),
    "transfer_in": ("Chuyển sinh hoạt đến", forms.TransferInForm, _transfer_in),
    "transfer_out": ("Chuyển sinh hoạt đi", forms.TransferOutForm, _simple(ms.member_transfer_out)),
    "exemption": ("Miễn công tác và sinh hoạt đảng", forms.SimpleEventForm, _simple(ms.member_exempt)),
    "suspension": ("Đình chỉ sinh hoạt đảng", forms.SimpleEventForm, _simple(ms.member_suspend)),
    "removal": ("Xóa tên", forms.SimpleEventForm, _simple(ms.member_remove)),
    "expulsion": ("Khai trừ", forms.SimpleEventForm, _simple(ms.member_expel)),
    "resignation": ("Xin ra khỏi Đảng", forms.SimpleEventForm, _simple(ms.member_resign)),
    "death": ("Từ trần", forms.SimpleEventForm, _simple(ms.member_die)),
    "readmission": ("Kết nạp lại", forms.AdmitForm, _readmit),
    "restoration": ("Phục hồi đảng tịch", forms.RestoreForm, _restore),
    "admission": ("Kết nạp", forms.AdmitForm, _admit),
}


@login_required
def member_event(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    if kind not in LIFECYCLE_FORMS:
        raise Http404
    member = get_member(request.user, code, write=True)
    title, form_class, run = LIFECYCLE_FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if kind in ("admission", "readmission"):
            data.pop("approval_ref") if not data.get("approval_ref") else None
        if kind in ("exemption", "suspension", "removal", "expulsion", "resignation", "death"):
            data = {k: v for k, v in data.items() if v not in (None, "") or k == "on"}
        try:
            check_change_member(request.user, member, data.get("on") or data.get("decided_on"))
            run(member, data, Actor.of(request.user), request.user)
        except RuleError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, f"Đã ghi: {title.lower()}.")
            return redirect("member_profile", member.code)
    return render(request, "web/member_event.html", {"m": member, "form": form, "title": title, "kind": kind})


class _Rollback(Exception):
    pass


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    """A new profile and its admission, together: both services run in one transaction, or neither."""
    from django.forms import modelform_factory

    require_write_somewhere(request.user)
    Profile = modelform_factory(
        Member,
        fields=[
            "full_name",
            "gender",
            "birth_date",
            "birth_place",
            "hometown",
            "residence",
            "citizen_id",
            "card_number",
            "ethnicity",
            "religion",
            "occupation",
            "political_theory",
            "phone",
        ],
        widgets={"birth_date": forms.DateInput()},
    )
    form = Profile(request.POST or None, prefix="p")
    admit = forms.AdmitForm(request.POST or None, prefix="a")
    if request.method == "POST" and form.is_valid() and admit.is_valid():
        profile = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        actor = Actor.of(request.user)
        try:
            with transaction.atomic():
                m = ms.member_create(actor=actor, **profile)
                _admit(m, dict(admit.cleaned_data), actor, request.user)
        except RuleError as e:
            target = form if e.field in form.fields else admit
            target.add_error(e.field if e.field in target.fields else None, e.message)
        else:
            messages.success(request, f"Đã kết nạp {m.full_name} ({m.code}).")
            return redirect("member_profile", m.code)
    return render(request, "web/member_new.html", {"form": form, "admit": admit})
