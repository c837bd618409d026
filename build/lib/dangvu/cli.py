"""The ``dangvu`` console command: Django management commands underneath."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dangvu", *sys.argv[1:]])


if __name__ == "__main__":
    main()
