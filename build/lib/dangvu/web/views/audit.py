"""The audit log: who changed what, filterable, in scope."""

from __future__ import annotations

from django import forms as djforms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangvu.accounts.scope import require_reader, visible_audit
from dangvu.web.forms import date_field


class AuditFilter(djforms.Form):
    action = djforms.CharField(label="Thao tác", required=False)
    actor = djforms.CharField(label="Người thực hiện", required=False)
    object_type = djforms.CharField(label="Loại đối tượng", required=False)
    object_id = djforms.CharField(label="Mã số đối tượng", required=False)
    since = date_field("Từ ngày", required=False)
    until = date_field("Đến ngày", required=False)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = AuditFilter(request.GET or None)
    qs = visible_audit(request.user)
    if form.is_valid():
        d = form.cleaned_data
        if d["action"]:
            qs = qs.filter(action__icontains=d["action"].strip())
        if d["actor"]:
            qs = qs.filter(actor_label__icontains=d["actor"].strip())
        if d["object_type"]:
            qs = qs.filter(object_type__icontains=d["object_type"].strip())
        if d["object_id"]:
            qs = qs.filter(object_id=d["object_id"].strip())
        if d["since"]:
            qs = qs.filter(at__date__gte=d["since"])
        if d["until"]:
            qs = qs.filter(at__date__lte=d["until"])
    page = Paginator(qs.order_by("-at", "-id"), 50).get_page(request.GET.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/audit.html", {"form": form, "page": page, "query": query.urlencode()})
