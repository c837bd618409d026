"""The person's API tokens (issue 15, item 3; docs/api.md): make one (its secret shown once, on the answer to the
POST, never again), see one's tokens, revoke one. A token carries its holder's grants; nobody sees another's."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from dangvu.api.models import ApiToken
from dangvu.api.services import NAME_MAX, token_create, token_revoke
from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError


class TokenForm(forms.Form):
    name = forms.CharField(label="Tên khóa (vd. tên hệ thống sẽ dùng khóa)", max_length=NAME_MAX)
    days = forms.IntegerField(label="Thời hạn (ngày)", min_value=1)

    def clean_days(self) -> int:
        days: int = self.cleaned_data["days"]
        if days > settings.DANGVU_API_TOKEN_MAX_DAYS:
            raise forms.ValidationError(f"Thời hạn dài nhất {settings.DANGVU_API_TOKEN_MAX_DAYS} ngày.")
        return days


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    secret = ""
    form = TokenForm(
        request.POST if request.method == "POST" and "revoke" not in request.POST else None,
        initial={"days": settings.DANGVU_API_TOKEN_DAYS},
    )
    if request.method == "POST" and "revoke" in request.POST:
        raw = request.POST["revoke"]
        token = (
            ApiToken.objects.of(request.user).filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
        )
        if token is None:
            raise Http404
        token_revoke(token=token, actor=Actor.of(request.user))
        messages.success(request, f"Đã thu hồi khóa «{token.name}».")
        return redirect("api_tokens")
    if request.method == "POST" and form.is_valid():
        try:
            made, secret = token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                actor=Actor.of(request.user),
            )
        except RuleError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            form = TokenForm(initial={"days": settings.DANGVU_API_TOKEN_DAYS})
            messages.success(request, f"Đã tạo khóa «{made.name}».")
    rows = list(ApiToken.objects.of(request.user))
    return render(request, "web/tokens.html", {"form": form, "secret": secret, "tokens": rows})
