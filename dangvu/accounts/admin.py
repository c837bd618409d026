"""The administrator's pages (Django admin). Every change made here is audited (issue 13, item 7):

* a login's member goes through accounts.services.account_link_member, like the rest of the product;
* grants change only through accounts.services (the grants page), never by editing rows here;
* every other model the admin shows (users, groups, TOTP devices, axes' records) logs each addition, change and
  deletion through accounts.services.admin_record, in the admin's own transaction.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.audit.services import Actor

from .models import Account, Grant
from .services import account_link_member, admin_record


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization", "valid_from", "valid_to"]
    list_filter = ["role"]
    raw_id_fields = ["organization"]

    # Grants change through accounts.services (audited), never by editing rows here.
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["user", "member"]
    raw_id_fields = ["member"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return ["user"] if obj is not None else []

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        """Through the service: the link is audited like one made anywhere else."""
        acc = account_link_member(user=obj.user, member=obj.member, actor=Actor.of(request.user))
        obj.pk = acc.pk

    # A link is ended by choosing no member (audited), not by deleting the row.
    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


def _changed_fields(request: HttpRequest) -> list[str]:
    """The names of the fields the admin's form changed (construct_change_message keeps them), never their values;
    the password forms' two fields are the one field 'password'."""
    names = getattr(request, "_dangvu_changed", [])
    return sorted({"password" if n.startswith("password") else n for n in names})


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Each addition, change and deletion on these pages is also an AuditEntry (the admin's own LogEntry is not
    the product's audit log and shows no one outside the admin)."""

    def construct_change_message(self, request, form, formsets, add=False):  # type: ignore[no-untyped-def]
        request._dangvu_changed = list(getattr(form, "changed_data", []))
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):  # type: ignore[no-untyped-def]
        admin_record(verb="add", obj=obj, changed=_changed_fields(request), actor=Actor.of(request.user))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):  # type: ignore[no-untyped-def]
        admin_record(verb="change", obj=obj, changed=_changed_fields(request), actor=Actor.of(request.user))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):  # type: ignore[no-untyped-def]
        for obj in queryset:
            admin_record(verb="delete", obj=obj, changed=[], actor=Actor.of(request.user))
        return super().log_deletions(request, queryset)

    def response_action(self, request, queryset):  # type: ignore[no-untyped-def]
        # "delete selected" logs then deletes: one transaction, so the log and the change stand or fall together.
        with transaction.atomic():
            return super().response_action(request, queryset)


class AuditedUserAdmin(AuditedAdmin, UserAdmin):  # type: ignore[type-arg]
    def user_change_password(self, request, id, form_url=""):  # type: ignore[no-untyped-def]
        with transaction.atomic():  # the new password and its audit entry together
            return super().user_change_password(request, id, form_url)


class AuditedTOTPDeviceAdmin(AuditedAdmin, TOTPDeviceAdmin):
    """django-otp's pages for a device that does not exist answer 404, not a server error."""

    def _device_or_404(self, pk: int) -> None:
        if not TOTPDevice.objects.filter(pk=pk).exists():
            raise Http404("Không có thiết bị xác thực này.")

    def config_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._device_or_404(pk)
        return super().config_view(request, pk)  # type: ignore[no-any-return]

    def qrcode_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._device_or_404(pk)
        return super().qrcode_view(request, pk)  # type: ignore[no-any-return]


def _audit_every_admin() -> None:
    """Re-register the models other apps put on the admin (auth, django-otp, axes) with the audited admin."""
    special: dict[Any, type] = {get_user_model(): AuditedUserAdmin, TOTPDevice: AuditedTOTPDeviceAdmin}
    for model, model_admin in list(admin.site._registry.items()):
        if model in (Grant, Account) or isinstance(model_admin, AuditedAdmin):
            continue
        cls = special.get(model) or type(f"Audited{type(model_admin).__name__}", (AuditedAdmin, type(model_admin)), {})
        admin.site.unregister(model)
        admin.site.register(model, cls)


_audit_every_admin()
