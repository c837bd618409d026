from typing import Any

from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "dangvu.work"
    label = "work"

    def ready(self) -> None:
        from dangvu.members.services import spans_written

        spans_written.connect(_spans_written, dispatch_uid="work.due.refresh_members")


def _spans_written(sender: Any, member_ids: list[int], **kwargs: Any) -> None:
    """A member's history changed: rewrite their stored alerts in the same transaction (work.due)."""
    from .due import refresh_members

    refresh_members(member_ids)
