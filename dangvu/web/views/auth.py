"""Our own login page (axes throttles it, TOTP when the person turned it on), logout, TOTP set-up, home."""

from __future__ import annotations

import base64
from typing import Any

from axes.helpers import get_client_username
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dangvu.accounts.queries import ended_unit
from dangvu.accounts.scope import access, home_org
from dangvu.accounts.throttle import tiers
from dangvu.audit.services import Actor, audit
from dangvu.members.models import Member
from dangvu.web.forms import LoginForm, TotpConfirmForm


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        if form.device is not None:
            from django_otp import login as otp_login

            otp_login(request, form.device)
        nxt = request.POST.get("next") or request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(nxt, {request.get_host()}, require_https=request.is_secure()):
            return redirect(nxt)
        return redirect("home")
    return render(request, "web/login.html", {"form": form, "next": request.GET.get("next", "")})


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """axes' lockout response (AXES_LOCKOUT_CALLABLE): which limit was reached and for how long, in Vietnamese."""
    tier = getattr(request, "dangvu_lock_tier", None) or tiers()[0]
    context = {
        "tier": tier.name,
        "failure_limit": tier.limit,
        "minutes": int(tier.window.total_seconds() // 60),
        "username": get_client_username(request, credentials) or "",
    }
    return render(request, "web/locked.html", context, status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A person lands on their dashboard: the first organization their grants name (a page saying it ended, with
    its successors and its past, when it no longer exists), or their own profile."""
    org = home_org(request.user)
    if org is not None:
        ended = ended_unit(request.user, org)
        if ended is not None:
            # A unit that no longer exists (a district after 01/07/2025): say so, offer its successors and its past.
            return render(request, "web/ended.html", {"u": ended})
        return redirect("dashboard", org.code)
    acc = access(request.user)
    if acc.member_id is not None:
        code = Member.objects.filter(pk=acc.member_id).values_list("code", flat=True).get()
        return redirect("member_profile", code)
    return render(request, "web/no_access.html", status=403)


@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Optional two-step login: create a TOTP key, show it, confirm it with a first code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if device is None and not confirmed and request.method == "POST" and "start" in request.POST:
        # A key is created on the person's POST ("Tạo khóa"), never by opening the page (no change on GET).
        with transaction.atomic():
            device = TOTPDevice.objects.create(user=request.user, name="Ứng dụng xác thực", confirmed=False)
            audit(
                actor=Actor.of(request.user), action="totp_create", object_type="auth.user", object_id=request.user.pk
            )
        return redirect(reverse("totp_setup"))
    form = TotpConfirmForm(request.POST or None)
    if device is not None and request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit(
                    actor=Actor.of(request.user),
                    action="totp_enable",
                    object_type="auth.user",
                    object_id=request.user.pk,
                )
            messages.success(request, "Đã bật xác thực hai bước.")
            return redirect(reverse("totp_setup"))
        form.add_error("token", "Mã không đúng; kiểm tra giờ của điện thoại rồi thử lại.")
    secret = base64.b32encode(device.bin_key).decode() if device is not None else ""
    return render(
        request,
        "web/totp.html",
        {"form": form, "confirmed": confirmed, "secret": secret, "url": device.config_url if device else ""},
    )
