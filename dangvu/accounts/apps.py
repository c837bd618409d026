from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangvu.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và quyền"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the production secret key check)
