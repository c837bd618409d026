"""Access: who holds which role where, granting a role for a term and ending a grant (accounts.services, audited)."""

from __future__ import annotations

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dangvu.accounts import services
from dangvu.accounts.models import Role
from dangvu.accounts.scope import can_grant, get_org, require_office, today, visible_grants
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.domain.periods import OPEN_END
from dangvu.web import reads
from dangvu.web.forms import date_field
from dangvu.web.pickers import OrgField, PickerForm

# The service's names of fields → the form's.
FORM_FIELD = {"organization": "org", "user": "username"}


class GrantForm(PickerForm):
    username = djforms.CharField(label="Tên đăng nhập", max_length=150)
    role = djforms.ChoiceField(label="Vai trò", choices=Role.choices)
    org = OrgField(label="Tổ chức (gõ vài chữ của tên; để trống: quản trị, đảng viên)", required=False)
    valid_from = date_field("Từ ngày")
    valid_to = date_field("Đến ngày (để trống: không thời hạn)", required=False)
    note = djforms.CharField(label="Ghi chú (quyết định phân công …)", required=False, max_length=255)


@login_required
def grants(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = GrantForm(request.POST or None, initial={"valid_from": today()}, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = get_org(request.user, d["org"]) if d["org"] else None
        if not can_grant(request.user, d["role"], org):
            raise PermissionDenied("Bạn không được giao vai trò này ở tổ chức này.")
        user = get_user_model().objects.filter(username=d["username"].strip()).first()
        try:
            if user is None:
                raise RuleError(f"Không có tài khoản '{d['username']}'.", field="username")
            services.grant_role(
                user=user,
                role=d["role"],
                organization=org,
                valid_from=d["valid_from"],
                valid_to=d["valid_to"] or OPEN_END,
                note=d["note"],
                actor=Actor.of(request.user),
            )
        except RuleError as e:
            field = FORM_FIELD.get(e.field or "", e.field)
            form.add_error(field if field in form.fields else None, e.message)
        else:
            messages.success(request, f"Đã giao vai trò cho {user.get_username()}.")  # type: ignore[union-attr]
            return redirect("grants")
    rows = visible_grants(request.user).select_related("user", "organization").order_by("-valid_to", "user__username")
    return render(request, "web/grants.html", {"form": form, "rows": reads.grant_rows(rows[:300]), "today": today()})


@require_POST
@login_required
def grant_end(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    grant = get_object_or_404(visible_grants(request.user), pk=pk)
    if not can_grant(request.user, grant.role, grant.organization):
        raise PermissionDenied
    try:
        services.grant_end(grant=grant, on=today(), actor=Actor.of(request.user), reason=request.POST.get("reason", ""))
    except RuleError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "Đã kết thúc phân quyền.")
    return redirect("grants")
