from typing import Any

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dangvu.api"
    label = "api"
    verbose_name = "Giao diện lập trình (API)"

    def ready(self) -> None:
        # The audit log names and tells this app's actions in Vietnamese, like every other's (dangvu/audit/labels.py,
        # sentences.py keep the tables; each app adds its own here rather than the audit app knowing about the API).
        from dangvu.audit.labels import ACTION_LABELS, NOUNS
        from dangvu.audit.sentences import PHRASES

        ACTION_LABELS.update(
            {
                "api_token_create": "Tạo khóa truy cập API",
                "api_token_revoke": "Thu hồi khóa truy cập API",
                "api_file_download": "Tải tệp qua API",
            }
        )
        NOUNS.update({"api.apitoken": "khóa truy cập API"})

        def named(verb: str) -> Any:
            return lambda e, n: f"{verb} «{(e.after or {}).get('name', '')}»"

        PHRASES.update(
            {
                "api_token_create": named("tạo khóa truy cập API"),
                "api_token_revoke": named("thu hồi khóa truy cập API"),
                "api_file_download": named("tải qua API tệp"),
            }
        )
