"""The pickers' suggestions: up to 20 organizations or members in the person's scope matching what was typed
(name without diacritics, or the start of a code), as <option>s for the input's datalist."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangvu.accounts.scope import today, visible_members
from dangvu.domain.vietnamese import fold, person_sort_key
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
    q = _typed(request)
    on = _on(request)
    options: list[tuple[str, str]] = []
    if q:
        f = fold(q)
        rows = (
            visible_members(request.user, on)
            .filter(Q(full_name_folded__contains=f) | Q(code__istartswith=q))
            .values_list("code", "full_name", "birth_date")[: LIMIT * 3]
        )
        found = sorted(rows, key=lambda r: person_sort_key(r[1]))[:LIMIT]
        options = [(f"{name} ({code})", f"sinh {b.day}/{b.month}/{b.year}" if b else code) for code, name, b in found]
    return render(request, "web/pickers/options.html", {"options": options})
