"""The audit log: who changed what, as Vietnamese sentences naming the objects, filterable, in scope."""

from __future__ import annotations

from django import forms as djforms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangvu.accounts.scope import require_reader, today, visible_audit
from dangvu.audit.queries import entries_filtered
from dangvu.audit.sentences import ACTION_LABELS
from dangvu.audit.sentences import render as sentences
from dangvu.domain.vietnamese import sort_key
from dangvu.members.models import Member
from dangvu.orgs.models import Organization
from dangvu.web.forms import date_field
from dangvu.web.pickers import MemberField, OrgField, PickerForm

_ACTIONS = sorted({label: code for code, label in ACTION_LABELS.items() if not code.startswith("import")}.items())
ACTION_CHOICES = [
    ("", "Mọi thao tác"),
    *sorted(
        [*((code, label) for label, code in _ACTIONS), ("import", "Nhập dữ liệu từ tệp")], key=lambda c: sort_key(c[1])
    ),
]


class AuditFilter(PickerForm):
    action = djforms.ChoiceField(label="Thao tác", choices=ACTION_CHOICES, required=False)
    actor = djforms.CharField(label="Người thực hiện", required=False, max_length=150)
    member = MemberField(label="Đảng viên", required=False)
    org = OrgField(label="Tổ chức", required=False)
    since = date_field("Từ ngày", required=False)
    until = date_field("Đến ngày", required=False)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = AuditFilter(request.GET or None, user=request.user, on=today())
    qs = visible_audit(request.user)
    if form.is_valid():
        d = form.cleaned_data
        member = Member.objects.filter(code=d["member"]).values_list("pk", flat=True).first() if d["member"] else None
        org = Organization.objects.filter(code=d["org"]).values_list("pk", flat=True).first() if d["org"] else None
        qs = entries_filtered(
            qs, action=d["action"], actor=d["actor"], member_id=member, org_id=org, since=d["since"], until=d["until"]
        )
    else:
        qs = qs.order_by("-at", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    lines = sentences(list(page.object_list))
    return render(request, "web/audit.html", {"form": form, "page": page, "lines": lines, "query": query.urlencode()})
