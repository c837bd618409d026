"""The annual review as records: cycles, ratings per stage, final results, yearly facts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from dangvu.domain.assessment.levels import (
    NEW_LABELS,
    NOT_RATED_LABELS,
    OLD_ORG_LABELS,
    STAGE_LABELS,
    Level,
    NotRated,
    Stage,
)
from dangvu.domain.assessment.regimes import REGIMES
from dangvu.members.models import Member
from dangvu.orgs.models import Organization

LEVEL_CHOICES = [(lv.value, {**NEW_LABELS, **OLD_ORG_LABELS}[lv]) for lv in Level]
NOT_RATED_CHOICES = [(r.value, NOT_RATED_LABELS[r]) for r in NotRated]
STAGE_CHOICES = [(s.value, STAGE_LABELS[s]) for s in Stage]


class AssessmentCycle(models.Model):
    """One year's review decided by one committee, covering its subtree."""

    class Status(models.TextChoices):
        OPEN = "open", "Đang đánh giá"
        CLOSED = "closed", "Đã kết thúc"

    year = models.PositiveSmallIntegerField("năm")
    committee = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="assessment_cycles")
    regime = models.CharField("quy định áp dụng", max_length=16, choices=[(c, r.title) for c, r in REGIMES.items()])
    # The day members and organizations are rated (ages, 6-month rules) and the structure is taken.
    rated_on = models.DateField("ngày xếp loại")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "committee"], name="cycle_year_committee")]

    def __str__(self) -> str:
        return f"Năm {self.year} — {self.committee_name}"

    @property
    def committee_name(self) -> str:
        """The deciding committee's name on the rating day (its code if it had none then)."""
        v = self.committee.version_on(self.rated_on)
        return v.name if v else self.committee.code


class Rating(models.Model):
    """One stage's opinion on one subject: self-review, branch proposal, review, committee decision."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings"
    )
    stage = models.CharField("bước", max_length=12, choices=STAGE_CHOICES)
    level = models.CharField("mức", max_length=16, choices=LEVEL_CHOICES, blank=True)
    grades = models.JSONField("điểm tiêu chí", default=dict, blank=True)  # criterion → Grade
    score = models.DecimalField("tổng điểm", max_digits=5, decimal_places=1, null=True, blank=True)
    # QĐ 366: points per criterion group ("general" of 30, "tasks" of 70), as strings; score is their sum.
    points = models.JSONField("điểm từng nhóm tiêu chí", default=dict, blank=True)
    comment = models.TextField("nhận xét", blank=True)
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["cycle", "member"], name="rating_cycle_member_idx"),
            models.Index(fields=["cycle", "organization"], name="rating_cycle_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.level}"


class Result(models.Model):
    """The final result of one subject for one year: a level, or not rated with the reason."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.PROTECT, related_name="results")
    year = models.PositiveSmallIntegerField()
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="results")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="results"
    )
    # Where the subject stood when rated: the member's branch, or the organization itself; and the grassroots
    # organization above it (the quota's scope, HD 21 II.B.2.3).
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="unit_results")
    grassroots = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="grassroots_results"
    )
    unit_kind = models.CharField(max_length=24)  # the unit's kind on the rating day (grassroots, branch …)
    level = models.CharField("mức", max_length=16, choices=LEVEL_CHOICES, blank=True)
    not_rated = models.CharField("không xếp loại", max_length=24, choices=NOT_RATED_CHOICES, blank=True)
    exemplary = models.BooleanField("tiêu biểu", default=False)
    override_reason = models.TextField("lý do vượt hạn mức", blank=True)
    decided_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "member"], condition=Q(member__isnull=False), name="result_member_year"
            ),
            models.UniqueConstraint(
                fields=["year", "organization"], condition=Q(organization__isnull=False), name="result_org_year"
            ),
            models.CheckConstraint(
                condition=Q(exemplary=False) | Q(level__in=[Level.EXCELLENT, Level.CLEAN_STRONG]),
                name="result_exemplary_top_only",
            ),
        ]
        indexes = [
            # statistics: results of a year per unit and level (index-only scan).
            models.Index(fields=["year", "unit", "level"], name="result_year_unit_level_idx"),
            # national member statistics: index-only scan grouped by level.
            models.Index(
                fields=["year", "level", "not_rated", "exemplary"],
                condition=Q(member__isnull=False),
                name="result_member_stats_idx",
            ),
            # national organization statistics (assessment.stats.review_stats): index-only scan grouped by kind.
            models.Index(
                fields=["year", "unit_kind", "level", "not_rated", "exemplary"],
                condition=Q(organization__isnull=False),
                name="result_org_stats_idx",
            ),
            # quota per grassroots organization.
            models.Index(fields=["cycle", "grassroots", "level"], name="result_quota_idx"),
            # streaks: top-level results only.
            models.Index(
                fields=["member", "year"],
                condition=Q(level__in=[Level.EXCELLENT, Level.CLEAN_STRONG]),
                name="result_top_member_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.level or self.not_rated}"


class MemberYearFacts(models.Model):
    """Facts about a member's year that the party records do not hold by themselves."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="year_facts")
    year = models.PositiveSmallIntegerField()
    civil_servant = models.BooleanField("là cán bộ, công chức, viên chức", default=False)
    state_rating = models.CharField("xếp loại bên chính quyền", max_length=16, choices=LEVEL_CHOICES, blank=True)
    sick_leave_months = models.PositiveSmallIntegerField("số tháng nghỉ ốm", default=0)
    tasks_completed = models.DecimalField(
        "tỷ lệ hoàn thành nhiệm vụ", max_digits=4, decimal_places=3, null=True, blank=True
    )
    tasks_exceeded = models.DecimalField(
        "tỷ lệ nhiệm vụ vượt mức", max_digits=4, decimal_places=3, null=True, blank=True
    )
    degradation = models.BooleanField("bị kết luận suy thoái", default=False)
    old_branch_comment = models.BooleanField("đã có nhận xét của chi bộ cũ", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="memberfacts_member_year")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}"


class OrgYearFacts(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="year_facts")
    year = models.PositiveSmallIntegerField()
    tasks_completed = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    tasks_exceeded = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    flaws = models.JSONField("khuyết điểm (HD 27)", default=list, blank=True)
    self_fixed = models.BooleanField("tự phát hiện và khắc phục", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="orgfacts_org_year")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}"


class ResultTally(models.Model):
    """A closed cycle's results counted per unit (assessment.tallies): what the statistics of a closed year sum
    over a root's subtree instead of grouping the year's results one by one (5,5 million for the country). Written
    when a cycle closes, removed when it reopens; a decided result of a closed cycle cannot change."""

    class Subject(models.TextChoices):
        MEMBER = "member", "Đảng viên"
        ORGANIZATION = "organization", "Tổ chức đảng"

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="tallies")
    year = models.PositiveSmallIntegerField()
    subject = models.CharField(max_length=12, choices=Subject.choices)
    # The unit the statistics scope a result by: the member's unit when rated (Result.unit), or the organization
    # rated (Result.organization). None: the cycle's totals over all its units, what the whole country's
    # statistics sum (a few dozen rows a cycle instead of a million a year).
    unit = models.ForeignKey(
        Organization, null=True, on_delete=models.PROTECT, related_name="result_tallies", db_index=False
    )
    unit_kind = models.CharField(max_length=24)
    level = models.CharField(max_length=16, blank=True)
    not_rated = models.CharField(max_length=24, blank=True)
    exemplary = models.BooleanField(default=False)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # statistics of a closed year for many roots (every province): the year's tallies by unit
            # (assessment.stats.review_stats_by_root).
            models.Index(
                fields=["year", "subject", "unit_kind", "level", "not_rated", "exemplary"],
                include=["unit", "n"],
                condition=Q(unit__isnull=False),
                name="tally_year_subject_idx",
            ),
            # the whole country's statistics: the cycles' totals.
            models.Index(fields=["year", "subject"], condition=Q(unit__isnull=True), name="tally_totals_idx"),
            # one subtree's statistics (a district): its units' tallies of the year.
            models.Index(fields=["unit", "year"], name="tally_unit_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id} {self.level or self.not_rated}: {self.n}"
