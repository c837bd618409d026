"""dangvu demo [--no-serve]: migrate, load the demo district once, create the demo login, serve."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from dangvu.orgs.models import Organization

DEMO_USER, DEMO_PASSWORD = "canbo", "dangvu-demo"


class Command(BaseCommand):
    help = "Dựng dữ liệu mẫu (một huyện, 2008 đến nay) và chạy ứng dụng."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true")
        parser.add_argument("--seed", type=int, default=2016)

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("migrate", verbosity=0)
        if not Organization.objects.exists():
            self.stdout.write("Đang tạo dữ liệu mẫu cấp huyện…")
            call_command("generate", profile="district", seed=opts["seed"])
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=DEMO_USER, defaults={"is_staff": True, "is_superuser": True})
        user.set_password(DEMO_PASSWORD)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đăng nhập tại http://127.0.0.1:8000/ — tài khoản: {DEMO_USER} / mật khẩu: {DEMO_PASSWORD}"
            )
        )
        if not opts["no_serve"]:
            call_command("serve")
