from django.contrib import admin

from .models import Account, Grant


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
