"""Members: the list (search without diacritics, Vietnamese sort by given name, filters, pages, XLSX export),
the record (profile, lifecycle and every record about the member, printable), revealing a masked identifier
(audited), and the lifecycle forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from dangvu.accounts.scope import (
    can_change_member,
    can_write,
    check_change_member,
    get_member,
    get_org,
    identifiers_shown,
    is_own_member,
    require_identifiers,
    require_reader,
    require_write_somewhere,
    shows_identifiers,
    visible_orgs,
)
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.members import queries as mq
from dangvu.members import services as ms
from dangvu.members.models import Member
from dangvu.members.queries import member_record
from dangvu.orgs.models import Organization
from dangvu.web import jobs, reads
from dangvu.web import member_forms as mf
from dangvu.web.htmx import is_htmx
from dangvu.web.views.orgs import as_of

PAGE = 50
EXPORT_LIMIT = 50_000


def _search(request: HttpRequest) -> tuple[mf.MemberSearchForm, dt.date, Organization | None, dict[str, Any]]:
    """The list's filters as typed (errors beside their fields), the day, the organization the list is of, and the
    arguments of the search (reads.search_members / member_spans)."""
    return search_of(request.user, request.GET, on=mf.typed_day(request.GET, "as_of") or as_of(request))


def search_of(
    user: Any, params: Any, *, on: dt.date
) -> tuple[mf.MemberSearchForm, dt.date, Organization | None, dict[str, Any]]:
    """_search for a person and a query string (the export job re-runs the list's search as its owner, on the day
    the list was of): organizations out of the person's scope are 404 (accounts.scope.get_org)."""
    form = mf.MemberSearchForm(params or None, user=user, on=on)
    form.is_valid()
    data: dict[str, Any] = form.cleaned_data if form.is_bound else {}
    root = get_org(user, params["org"], on=on) if params.get("org") else None
    unit = get_org(user, data["unit"], on=on) if data.get("unit") else root
    args = {"on": on, "status": data.get("status", ""), "gender": data.get("gender", ""), "unit": unit}
    return form, on, root, {**args, "q": data.get("q", "")}


def _first(request: HttpRequest) -> int:
    """The number of the page's first row (carried by the "more" link; the list is never counted)."""
    raw = request.GET.get("tu", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000_000 else 1


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    """A page of 50 in Vietnamese name order, then "Xem tiếp" from the last one shown (members.search.page):
    a province's list or search is never counted or loaded whole."""
    require_reader(request.user)
    form, on, root, args = _search(request)
    found = reads.search_members(request.user, after=request.GET.get("sau", ""), size=PAGE, **args)
    shown = identifiers_shown(request.user, {s.member_id for s in found.spans})
    rows = reads.member_rows(found.spans, on, shown=shown)
    query = request.GET.copy()
    for key in ("sau", "tu", "page"):
        query.pop(key, None)
    first = _first(request) if request.GET.get("sau") else 1
    return render(
        request,
        "web/_member_rows.html" if is_htmx(request) else "web/members.html",
        {
            "form": form,
            "rows": rows,
            "first": first,
            "last": first + len(rows) - 1,
            "more": found.more,
            "message": found.message,
            "on": on,
            "org": root,
            "org_name": mq.org_name(root, on) if root else "",
            "query": query.urlencode(),
        },
    )


@require_POST
@login_required
def member_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered (the query string), as an XLSX file made by a job of the queue (dangvu.web.jobs): a
    province's 50 000 rows are never built inside a request. The filters are checked here (a unit out of scope is
    404 now, not a failed job); the job's page polls it and offers the file to its owner."""
    require_reader(request.user)
    _, on, _, _ = _search(request)
    job = jobs.start_member_export(request.user, query=request.GET.urlencode(), on=on)
    return redirect("export_job", job.pk.hex)


def export_members(user: Any, query: str, on: dt.date, at: dt.datetime) -> tuple[bytes, str, int]:
    """The member export's workbook as `user` may read it (scope and masking evaluated for them), audited in the
    caller's transaction (the job records its result in it): the file's bytes, the name the person gets, rows."""
    require_reader(user)
    _, on, _, args = search_of(user, QueryDict(query), on=on)
    found = reads.search_members(user, size=EXPORT_LIMIT, audit=False, **args).spans
    rows = reads.member_rows(found, on, shown=identifiers_shown(user, {s.member_id for s in found}))
    data = ms.member_list_export(
        rows=rows, on=on, query=query, actor=Actor.of(user), who=user.get_username(), at=timezone.localtime(at)
    )
    return data, f"dang-vien-{on.isoformat()}.xlsx", len(rows)


def _can_change(user: Any, member: Member) -> bool:
    """Whether the lifecycle forms are offered: the policy `get_member(write=True)` applies (the member's unit today
    writable), never for one's own record."""
    return not is_own_member(user, member) and can_change_member(user, member)


def _record(user: Any, member: Member) -> mq.MemberRecord:
    """The record as the person may read it: a member who left their scope keeps names and history, not their
    identifiers (accounts.scope.identifiers_shown; DANGVU_FORMER_MEMBER_IDENTIFIERS)."""
    record = member_record(member)
    return record if shows_identifiers(user, member) else record.without_identifiers()


@login_required
def member_profile(request: HttpRequest, code: str) -> HttpResponse:
    member = get_member(request.user, code)
    on = as_of(request)
    return render(
        request,
        "web/member.html",
        {
            "m": member,
            "record": _record(request.user, member),
            "current": mq.unit_on(member, on),
            "on": on,
            "writable": _can_change(request.user, member),
            "event_kinds": LIFECYCLE_FORMS,
        },
    )


@login_required
def member_print(request: HttpRequest, code: str) -> HttpResponse:
    """The whole record on A4 pages, without the navigation: identifiers stay masked."""
    member = get_member(request.user, code)
    on = as_of(request)
    return render(
        request,
        "web/member_print.html",
        {
            "m": member,
            "record": _record(request.user, member),
            "current": mq.unit_on(member, on),
            "on": on,
            "printed_by": request.user.get_username(),
            "printed_at": timezone.localtime(),
        },
    )


@require_POST
@login_required
def member_reveal(request: HttpRequest, code: str, field: str) -> HttpResponse:
    """Show one masked identifier in full, and record who looked at it."""
    if field not in ms.REVEALABLE:
        raise Http404
    member = get_member(request.user, code)
    require_identifiers(request.user, member)  # not for a member who left the person's scope (403)
    value = ms.member_reveal(member=member, field=field, actor=Actor.of(request.user))
    return HttpResponse(format_html('<span class="masked">{}</span>', value or "—"))


# ---------------------------------------------------------------- lifecycle forms


def _unit(user: Any, code: str, on: dt.date, field: str) -> Organization:
    """The unit the picker chose, on the day of the event: the person must be able to change it then."""
    org = visible_orgs(user, on).filter(code=code).first()
    if org is None:
        raise RuleError(
            "Không tìm thấy chi bộ này trong phạm vi của bạn vào ngày của sự kiện: gõ vài chữ của tên rồi chọn "
            "trong danh sách.",
            field=field,
        )
    if not can_write(user, org, on):
        raise RuleError(f"Bạn chỉ có quyền xem {mq.org_name(org, on)}.", field=field)
    return org


def _admit(m: Member, d: dict[str, Any], actor: Actor, user: Any) -> Any:
    org = _unit(user, d.pop("org"), d["decided_on"], "org")
    return ms.member_admit(member=m, org=org, actor=actor, **d)


def _readmit(m: Member, d: dict[str, Any], actor: Actor, user: Any) -> Any:
    org = _unit(user, d.pop("org"), d["decided_on"], "org")
    return ms.member_readmit(member=m, org=org, actor=actor, **d)


def _transfer_in(m: Member, d: dict[str, Any], actor: Actor, user: Any) -> Any:
    to = _unit(user, d.pop("to"), d["on"], "to")
    return ms.member_transfer_in(member=m, to=to, actor=actor, **d)


def _restore(m: Member, d: dict[str, Any], actor: Actor, user: Any) -> Any:
    org = _unit(user, d.pop("org"), d["on"], "org")
    return ms.member_restore(member=m, org=org, actor=actor, **d)


def _simple(service: Any) -> Any:
    def run(m: Member, d: dict[str, Any], actor: Actor, user: Any) -> Any:
        return service(member=m, actor=actor, **d)

    return run


LIFECYCLE_FORMS: dict[str, tuple[str, type[mf.EventForm], Any]] = {
    "recognition": ("Công nhận đảng viên chính thức", mf.RecognizeForm, _simple(ms.member_recognize)),
    "transfer_in": ("Chuyển sinh hoạt đến", mf.TransferInForm, _transfer_in),
    "transfer_out": ("Chuyển sinh hoạt đi", mf.TransferOutForm, _simple(ms.member_transfer_out)),
    "exemption": ("Miễn công tác và sinh hoạt đảng", mf.SimpleEventForm, _simple(ms.member_exempt)),
    "suspension": ("Đình chỉ sinh hoạt đảng", mf.SimpleEventForm, _simple(ms.member_suspend)),
    "removal": ("Xóa tên", mf.SimpleEventForm, _simple(ms.member_remove)),
    "expulsion": ("Khai trừ", mf.SimpleEventForm, _simple(ms.member_expel)),
    "resignation": ("Xin ra khỏi Đảng", mf.SimpleEventForm, _simple(ms.member_resign)),
    "death": ("Từ trần", mf.SimpleEventForm, _simple(ms.member_die)),
    "readmission": ("Kết nạp lại", mf.AdmitForm, _readmit),
    "restoration": ("Phục hồi đảng tịch", mf.RestoreForm, _restore),
    "admission": ("Kết nạp", mf.AdmitForm, _admit),
}


def _refused(form: mf.EventForm, e: RuleError) -> None:
    """A service's refusal, beside the field it names (or above the form)."""
    form.add_error(form.field_for(e.field), e.message)


def _service_data(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """What the form cleaned, as the service takes it: empty optional fields left to the service's defaults."""
    return {k: v for k, v in data.items() if v not in (None, "") or k in ("on", "decided_on", "ceremony_on")}


@login_required
def member_event(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    if kind not in LIFECYCLE_FORMS:
        raise Http404
    member = get_member(request.user, code, write=True)
    title, form_class, run = LIFECYCLE_FORMS[kind]
    form = mf.event_form(form_class, request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            data = _service_data(kind, form.cleaned_data)
            day_field = "on" if "on" in data else "decided_on"
            check_change_member(request.user, member, data.get(day_field), field=day_field)
            run(member, data, Actor.of(request.user), request.user)
        except RuleError as e:
            _refused(form, e)
        else:
            messages.success(request, f"Đã ghi: {title.lower()}.")
            return redirect("member_profile", member.code)
    return render(request, "web/member_event.html", {"m": member, "form": form, "title": title, "kind": kind})


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    """A new profile and its admission, together: the service writes both in one transaction, or neither. Both
    forms are checked, so every error of both shows at once. A citizen ID or card number held outside the person's
    scope is refused without saying why (members.identifiers)."""
    require_write_somewhere(request.user)
    form = mf.ProfileForm(request.POST or None, prefix="p")
    admit = mf.event_form(mf.AdmitForm, request.POST or None, user=request.user, prefix="a")
    profile_ok, admit_ok = form.is_valid(), admit.is_valid()  # both, always: all the errors at once
    if request.method == "POST" and profile_ok and admit_ok:
        profile = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        actor = Actor.of(request.user)
        try:
            data = _service_data("admission", admit.cleaned_data)
            org = _unit(request.user, data.pop("org"), data["decided_on"], "org")
            # One transaction inside the service; the identifiers' check (audited) runs before it, outside any.
            m = ms.member_create(actor=actor, admission=ms.Admission(org=org, **data), **profile)
        except RuleError as e:
            if e.field in form.fields:
                form.add_error(e.field, e.message)
            else:
                _refused(admit, e)
        else:
            messages.success(request, f"Đã kết nạp {m.full_name} ({m.code}).")
            return redirect("member_profile", m.code)
    return render(request, "web/member_new.html", {"form": form, "admit": admit})
