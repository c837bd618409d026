from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete


class TargetsConfig(AppConfig):
    name = "dangvu.targets"
    label = "targets"

    def ready(self) -> None:
        from dangvu.members.models import MembershipSpan
        from dangvu.members.services import spans_written

        # The members per unit on tallied days follow every span deleted and written (targets.tallies).
        post_delete.connect(_span_deleted, sender=MembershipSpan, dispatch_uid="targets.tallies.span_deleted")
        spans_written.connect(_spans_written, dispatch_uid="targets.tallies.spans_written")


def _span_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .tallies import span_deleted

    span_deleted(instance)


def _spans_written(sender: Any, member_ids: list[int], **kwargs: Any) -> None:
    from .tallies import spans_written

    spans_written(member_ids)
