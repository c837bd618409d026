"""The pickers' suggestions: up to 20 organizations or members in the person's scope matching what was typed
(name without diacritics, or the start of a code), as <option>s for the input's datalist."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangvu.accounts.scope import access, today
from dangvu.domain.vietnamese import fmt_date
from dangvu.web import reads
from dangvu.web.forms import DATE_FORMATS
from dangvu.web.reads import org_choices

LIMIT = 20


def _typed(request: HttpRequest) -> str:
    """htmx sends the input under its own name; `q` when called directly."""
    if "q" in request.GET:
        return request.GET["q"].strip()
    return next((str(v).strip() for k, v in request.GET.items() if k != "on"), "")


def _on(request: HttpRequest) -> dt.date:
    raw = request.GET.get("on", "")
    for f in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, f).date()
        except ValueError:
            continue
    return today()


@login_required
def pick_org(request: HttpRequest) -> HttpResponse:
    q = _typed(request)
    on = _on(request)
    options: list[tuple[str, str]] = []
    if q:
        options = [(f"{o.name} ({o.code})", o.detail) for o in org_choices(request.user, q, on, LIMIT)]
    return render(request, "web/pickers/options.html", {"options": options})


@login_required
def pick_member(request: HttpRequest) -> HttpResponse:
    """Members in the person's scope on the day, found as the member list finds them (reads.search_members: name
    words, code, card number, citizen ID), in Vietnamese name order."""
    q = _typed(request)
    on = _on(request)
    options: list[tuple[str, str]] = []
    if q and (access(request.user).admin or access(request.user).read):
        found = reads.search_members(request.user, on=on, q=q, size=LIMIT)
        options = [
            (f"{s.member.full_name} ({s.member.code})", f"sinh {fmt_date(s.member.birth_date)}") for s in found.spans
        ]
    return render(request, "web/pickers/options.html", {"options": options})
