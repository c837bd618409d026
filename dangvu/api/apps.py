from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dangvu.api"
    label = "api"
    verbose_name = "Giao diện lập trình (API)"

    def ready(self) -> None:
        # The audit log names this app's actions in Vietnamese (dangvu/audit/labels.py keeps the others' names).
        from dangvu.audit.labels import ACTION_LABELS, NOUNS

        ACTION_LABELS.update(
            {
                "api_token_create": "Tạo khóa truy cập API",
                "api_token_revoke": "Thu hồi khóa truy cập API",
                "api_file_download": "Tải tệp qua API",
            }
        )
        NOUNS.update({"api.apitoken": "khóa truy cập API"})
