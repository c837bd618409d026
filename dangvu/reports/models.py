"""Report numbers (HD 36-HD/VPTW: per document type from 01 within each committee term) and documents. Background
generation is a job of the one queue (dangvu.jobs; dangvu.reports.jobs)."""

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


class ReportDocument(models.Model):
    """A generated report: a DRAFT (no number, "DỰ THẢO" on every page; as many as wanted) until it is ISSUED, which
    gives it the next number of its type in the term once, renders its files again with the number and freezes
    them (report_issue). `content` is the report as built (the builder's data), so that what is issued is exactly
    the draft the committee read, whatever the records say later."""

    class State(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"

    root = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="report_documents")
    kind = models.CharField("loại báo cáo", max_length=16)
    period = models.CharField("kỳ báo cáo", max_length=60)  # as asked: "2024", "2020-2025" …
    subject = models.CharField("trích yếu", max_length=300)
    report_date = models.DateField("ngày báo cáo")
    state = models.CharField("tình trạng", max_length=8, choices=State.choices, default=State.DRAFT)
    number = models.OneToOneField(
        ReportNumber, on_delete=models.PROTECT, null=True, blank=True, related_name="document"
    )  # set once, by report_issue
    number_line = models.CharField("số, ký hiệu", max_length=40, blank=True)  # "Số 01-BC/HU" once issued
    formats = models.JSONField(default=list)
    # storage names (settings.STORAGES) of the current files, the issued ones once issued
    files = models.JSONField(default=list, blank=True)
    draft_files = models.JSONField(default=list, blank=True)
    signer_name = models.CharField("người ký", max_length=150, blank=True)  # "" when no post holder was recorded
    signer_title = models.CharField("chức vụ người ký", max_length=40, blank=True)
    content = models.BinaryField()  # the Report dataclass, pickled and HMAC-sealed (reports.services._sealed)
    template = models.CharField(max_length=500, blank=True)
    out_dir = models.CharField(max_length=500)  # the storage folder of its files (settings.STORAGES)
    created_by = models.CharField("người tạo", max_length=150)
    created_by_id = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.CharField("người ban hành", max_length=150, blank=True)
    issued_by_id = models.IntegerField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="draft", number__isnull=True) | models.Q(state="issued", number__isnull=False),
                name="report_document_number_iff_issued",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} {self.get_state_display()}"

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED
