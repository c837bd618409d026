"""What the importer remembers: an office's list layout (its header row) and the mapping its person confirmed."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SourceMapping(models.Model):
    """A list layout an office sends again and again, recognized by its header row's signature
    (mapping.signature): which header fills which field. Kept per person (`owner`) and, when they chose one, per
    organization (`organization`: the unit the list is about), so a colleague of the same unit finds it too."""

    class Target(models.TextChoices):
        MEMBERS = "members", "Danh sách đảng viên"
        EVENTS = "events", "Danh sách sự kiện đảng viên"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    organization = models.ForeignKey("orgs.Organization", null=True, blank=True, on_delete=models.CASCADE)
    signature = models.CharField(max_length=64)
    target = models.CharField(max_length=10, choices=Target.choices)
    name = models.CharField(max_length=200, blank=True)  # the file's name when it was first mapped
    sheet = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=list)  # the header row as written, in its order (the export's layout)
    columns = models.JSONField(default=dict)  # field key -> header as written
    default_organization = models.CharField(max_length=30, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "signature", "target"], name="sourcemapping_owner_signature")
        ]
        # mapping_store.recall: a person's layouts, then their unit's, by signature.
        indexes = [models.Index(fields=["signature"], name="sourcemapping_signature")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_target_display()})"
