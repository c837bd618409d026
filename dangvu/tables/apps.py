from django.apps import AppConfig


class TablesConfig(AppConfig):
    name = "dangvu.tables"
    verbose_name = "Biểu thống kê cơ bản"
