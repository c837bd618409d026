"""Organizations: the tree as of a date, an organization's dashboard, its history and lineage."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dangvu.accounts.scope import (
    can_write,
    get_org,
    last_visible_day,
    require_reader,
    today,
    visible_orgs,
)
from dangvu.domain.orgtree import ORG_KIND_LABELS, SECTOR_LABELS
from dangvu.domain.vietnamese import parse_date
from dangvu.orgs.queries import events_of, lineage_named, path_on, structure_findings, tree_on, version_rows
from dangvu.web import reads
from dangvu.web.forms import date_field
from dangvu.work import due
from dangvu.work.alerts import alerts


def as_of(request: HttpRequest) -> dt.date:
    try:
        return parse_date(request.GET["as_of"]) if request.GET.get("as_of") else today()
    except ValueError:
        return today()


class TreeForm(forms.Form):
    """The tree page's filters (GET): a bad date or an unknown kind is said on its field, the tree still shows."""

    q = forms.CharField(label="Tên hoặc mã", required=False, max_length=100)
    kind = forms.ChoiceField(label="Cấp", required=False, choices=[("", "Mọi cấp"), *ORG_KIND_LABELS.items()])
    sector = forms.ChoiceField(
        label="Loại hình", required=False, choices=[("", "Mọi loại hình"), *SECTOR_LABELS.items()]
    )
    as_of = date_field("Tại ngày", required=False)
    root = forms.CharField(required=False, widget=forms.HiddenInput)


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = TreeForm(request.GET or None, initial={"as_of": today()})
    form.is_valid()  # keeps the fields that are right; the others say what is wrong beside them
    got = getattr(form, "cleaned_data", {})
    on = got.get("as_of") or today()
    want = reads.TreeFilter(got.get("q", "").strip(), got.get("kind", ""), got.get("sector", ""))
    if got.get("root"):
        root = get_org(request.user, got["root"], on=on)
        # Without a filter, a unit's tree is the same for everyone who may see it: kept like the dashboard's figures.
        page = reads.cached_tree_page(root, on) if not want.active else reads.tree_page(tree_on(on, root), want)
    else:
        # The top units of what the person reads that day, each a root of its own (admin: the whole forest). On a
        # day before the unit of their grant existed (a commune before 01/07/2025) these are its predecessors as
        # they stood — not the grant's unit, which was nowhere that day.
        root = None
        tops = reads.tree_tops(visible_orgs(request.user, on), on)
        page = reads.tree_page([r for org in tops for r in tree_on(on, org)], want)
    return render(request, "web/tree.html", {"page": page, "want": want, "form": form, "on": on, "root": root})


@login_required
def tree_children(request: HttpRequest, code: str) -> HttpResponse:
    """htmx fragment: the units under one unit of a large tree, opened by the person (reads.LAZY_FROM)."""
    require_reader(request.user)
    on = as_of(request)
    org = get_org(request.user, code, on=on)
    roots = tree_on(on, org)
    if not roots:
        raise Http404
    page = reads.tree_page(roots[0].children, reads.TreeFilter())
    return render(request, "web/_tree_children.html", {"page": page, "on": on})


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    on = as_of(request)
    org = get_org(request.user, code, on=on)
    path = path_on(org, on)
    return render(
        request,
        "web/dashboard.html",
        {
            "org": org,
            "on": on,
            "d": reads.cached_dashboard(org, on),
            "path": path,
            "readable": reads.readable(request.user, [(v.organization.code, on) for v in path]),
            "can_write": can_write(request.user, org, on),
        },
    )


@login_required
def dashboard_alerts(request: HttpRequest, code: str) -> HttpResponse:
    """htmx fragment: what is due or overdue (probation ending, decisions, ceremonies, badges), from the stored
    alerts (work.due); a day they do not hold is computed whole and cached."""
    on = as_of(request)
    org = get_org(request.user, code, on=on)
    if due.covers(on):  # the stored rows, kept like the dashboard's figures (reads.cached: 60 s by default)
        s = reads.cached("alerts-summary", org, on, lambda: due.summary(org, on))
    else:  # computed whole: the same cache as the alerts page's
        s = due.Summary.of(reads.cached("alerts", org, on, lambda: alerts(org, on)))
    return render(
        request,
        "web/_alerts.html",
        {"alerts": s.first, "more": s.n - len(s.first), "overdue": s.overdue, "n": s.n},
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
    if not request.GET.get("as_of"):
        # A unit's history has no day: one that ended opens on its last day for those who saw it then.
        on = last_visible_day(request.user, code) or on
    org = get_org(request.user, code, on=on)
    # A unit that did not exist on that day is still shown, under its latest name before it (or its first).
    version = org.version_on(on) or org.versions.filter(valid_from__lte=on).order_by("-valid_from").first()
    version = version or org.versions.order_by("valid_from").first()
    if version is None:
        raise Http404
    path, versions, lineage = path_on(org, on), version_rows(org), lineage_named(org)
    # The units above, the parents of each period and the units it came from or became, linked only where the
    # person may open them on that day.
    links = [(v.organization.code, on) for v in path]
    links += [(r.parent.code, r.version.valid_from) for r in versions if r.parent]
    links += [(o.code, s.day) for steps in lineage.values() for s in steps for o in s.others]
    return render(
        request,
        "web/org_detail.html",
        {
            "org": org,
            "version": version,
            "on": on,
            "path": path,
            "readable": reads.readable(request.user, links),
            "versions": versions,
            "lineage": lineage,
            "events": events_of(org),
            "page": reads.tree_page(tree_on(on, org), reads.TreeFilter()),
            "findings": structure_findings(on, org),
        },
    )
