"""Party-building work records. Discipline first: the annual review's caps read it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from dangvu.members.models import Member
from dangvu.orgs.models import Organization


class Discipline(models.Model):
    """A discipline decision on a member or an organization (Điều lệ Đảng Đ.35–36; QĐ 69-QĐ/TW)."""

    class Form(models.TextChoices):
        REPRIMAND = "reprimand", "Khiển trách"
        WARNING = "warning", "Cảnh cáo"
        DISMISSAL = "dismissal", "Cách chức"
        EXPULSION = "expulsion", "Khai trừ"
        DISBANDMENT = "disbandment", "Giải tán"

    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="disciplines")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="disciplines"
    )
    form = models.CharField("hình thức", max_length=16, choices=Form.choices)
    decided_on = models.DateField("ngày quyết định")
    deciding_body = models.CharField("cấp quyết định", max_length=255, blank=True)
    decision_ref = models.CharField("số quyết định", max_length=120, blank=True)
    violation = models.TextField("nội dung vi phạm", blank=True)
    # QĐ 124-QĐ/TW Điều 12: "trừ trường hợp tự phát hiện và khắc phục xong hậu quả".
    self_fixed = models.BooleanField("tự phát hiện và khắc phục xong hậu quả", default=False)
    # The organization whose leadership body (cấp ủy) the member sat on when disciplined, if any.
    leadership_of = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="leadership_disciplines"
    )

    class Meta:
        indexes = [models.Index(fields=["decided_on"], name="discipline_decided_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(organization__isnull=True))
                | (Q(member__isnull=True) & Q(organization__isnull=False)),
                name="discipline_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.decided_on:%d/%m/%Y}"
