"""Report numbers (HD 36-HD/VPTW: per document type from 01 within each committee term) and background jobs."""

from __future__ import annotations

from django.db import models

from dangvu.orgs.models import Organization


class ReportNumber(models.Model):
    """One number given to one generated report of an organization: 'Số 12-BC/QU' in term 2020–2025."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="report_numbers")
    doc_type = models.CharField("loại văn bản", max_length=8, default="BC")
    term = models.CharField("nhiệm kỳ", max_length=20)
    number = models.PositiveIntegerField("số")
    kind = models.CharField("loại báo cáo", max_length=16)
    period = models.CharField("kỳ báo cáo", max_length=60)
    issued_on = models.DateField("ngày báo cáo")
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "doc_type", "term", "number"], name="report_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}-{self.doc_type} {self.term}"


class ReportJob(models.Model):
    """A report generated in the background (large trees): status, progress and the files it wrote."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang tạo"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    root = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="report_jobs")
    kind = models.CharField(max_length=16)
    period = models.CharField(max_length=60)
    options = models.JSONField(default=dict, blank=True)  # formats, list name, document …
    out_dir = models.CharField(max_length=500)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    message = models.CharField(max_length=255, blank=True)
    result = models.JSONField(default=list, blank=True)  # paths written
    error = models.TextField(blank=True)
    actor_label = models.CharField(max_length=150)
    actor_id = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} {self.status}"
