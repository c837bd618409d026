"""Thin views: parse → query → render. The full web application is issue 6."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from dangvu.domain.orgtree import LINEAGE_LABELS, ORG_KIND_LABELS, SECTOR_LABELS
from dangvu.domain.vietnamese import fmt_date, parse_date
from dangvu.orgs.models import Organization
from dangvu.orgs.queries import events_of, lineage, path_on, structure_findings, tree_on


def _as_of(request: HttpRequest) -> dt.date:
    try:
        return parse_date(request.GET["as_of"]) if request.GET.get("as_of") else dt.date.today()
    except ValueError:
        return dt.date.today()


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    on = _as_of(request)
    root = Organization.objects.filter(code=request.GET["root"]).first() if request.GET.get("root") else None
    return render(
        request,
        "web/tree.html",
        {
            "roots": tree_on(on, root),
            "on": on,
            "on_text": fmt_date(on),
            "kinds": ORG_KIND_LABELS,
            "sectors": SECTOR_LABELS,
        },
    )


@login_required
def org_detail(request: HttpRequest, code: str) -> HttpResponse:
    org = get_object_or_404(Organization, code=code)
    on = _as_of(request)
    return render(
        request,
        "web/org_detail.html",
        {
            "org": org,
            "on": on,
            "path": path_on(org, on),
            "versions": org.versions.select_related("parent"),
            "lineage": lineage(org),
            "events": events_of(org),
            "kinds": ORG_KIND_LABELS,
            "lineage_labels": LINEAGE_LABELS,
            "roots": tree_on(on, org),
            "findings": structure_findings(on, org),
        },
    )
