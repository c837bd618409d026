"""Organizations: the tree as of a date, an organization's dashboard, its history and lineage."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dangvu.accounts.scope import can_write, get_org, home_orgs, require_reader, today, visible_orgs
from dangvu.domain.orgtree import LINEAGE_LABELS, ORG_KIND_LABELS, SECTOR_LABELS
from dangvu.domain.vietnamese import fmt_date, parse_date
from dangvu.orgs.queries import events_of, lineage, path_on, structure_findings, tree_on
from dangvu.web import reads


def as_of(request: HttpRequest) -> dt.date:
    try:
        return parse_date(request.GET["as_of"]) if request.GET.get("as_of") else today()
    except ValueError:
        return today()


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    on = as_of(request)
    if request.GET.get("root"):
        roots = tree_on(on, get_org(request.user, request.GET["root"], on=on))
    else:
        # Each organization the person's grants name, as a root of its own (admin: the whole forest).
        tops = list(home_orgs(request.user).filter(pk__in=visible_orgs(request.user, on).values("pk")))
        roots = [r for org in tops for r in tree_on(on, org)]
    return render(
        request,
        "web/tree.html",
        {"roots": roots, "on": on, "on_text": fmt_date(on), "kinds": ORG_KIND_LABELS, "sectors": SECTOR_LABELS},
    )


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    on = as_of(request)
    org = get_org(request.user, code, on=on)
    return render(
        request,
        "web/dashboard.html",
        {
            "org": org,
            "on": on,
            "d": reads.cached_dashboard(org, on),
            "path": path_on(org, on),
            "can_write": can_write(request.user, org, on),
        },
    )


@login_required
def dashboard_alerts(request: HttpRequest, code: str) -> HttpResponse:
    """htmx fragment: what is due or overdue (probation ending, decisions, ceremonies, badges)."""
    from dangvu.work.alerts import alerts

    on = as_of(request)
    org = get_org(request.user, code, on=on)
    found = reads.cached("alerts", org, on, lambda: alerts(org, on))
    overdue = sum(1 for a in found if a.overdue)
    return render(
        request,
        "web/_alerts.html",
        {"alerts": found[:12], "more": len(found) - 12, "overdue": overdue, "n": len(found)},
    )


@login_required
def dashboard_targets(request: HttpRequest, code: str) -> HttpResponse:
    """htmx fragment: this year's indicators against the plans and the congress targets."""
    from dangvu.domain.targets import STATUS_LABELS
    from dangvu.targets.compare import compare

    on = as_of(request)
    org = get_org(request.user, code, on=on)
    rows = reads.cached(
        "targets",
        org,
        on,
        lambda: [
            (c, STATUS_LABELS.get(c.status, "") if c.status else "")  # type: ignore[call-overload]
            for c in compare(org, dt.date(on.year, 1, 1), on)
            if c.target is not None or c.plan is not None
        ],
    )
    return render(request, "web/_targets.html", {"rows": rows})


@login_required
def org_history(request: HttpRequest, code: str) -> HttpResponse:
    on = as_of(request)
    org = get_org(request.user, code, on=on)
    path = path_on(org, on)
    if not path and org.version_on(on) is None:
        # The unit did not exist on that day: its history is still in scope through its last version.
        v = org.versions.order_by("-valid_from").first()
        if v is None:
            raise Http404
    return render(
        request,
        "web/org_detail.html",
        {
            "org": org,
            "on": on,
            "path": path,
            "versions": org.versions.select_related("parent"),
            "lineage": lineage(org),
            "events": events_of(org),
            "kinds": ORG_KIND_LABELS,
            "lineage_labels": LINEAGE_LABELS,
            "roots": tree_on(on, org),
            "findings": structure_findings(on, org),
        },
    )
