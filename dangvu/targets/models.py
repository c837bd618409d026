"""Congress-term programmes, targets bound to indicators, and yearly plans."""

from __future__ import annotations

from django.db import models

from dangvu.domain.targets import Term
from dangvu.orgs.models import Organization
from dangvu.work.models import Document


class TermProgramme(models.Model):
    """The programme of a congress resolution for a term (SEED F20: programmes, key tasks, breakthroughs,
    target groups)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="programmes")
    term = models.CharField("nhiệm kỳ", max_length=20)  # "2020–2025"
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    resolution = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("tên", max_length=255)
    # A term runs from congress to congress (Điều lệ Đảng 2011, Điều 13 [V]): the dates decide which term a day
    # belongs to, so two terms sharing a year (2010–2015 and 2015–2020 both name 2015) are told apart. Left blank,
    # the term falls back to years (domain.targets.Term).
    congress_on = models.DateField("ngày đại hội", null=True, blank=True)
    next_congress_on = models.DateField("ngày đại hội nhiệm kỳ sau", null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.title} {self.term}"

    def as_term(self) -> Term:
        return Term(self.first_year, self.last_year, self.congress_on, self.next_congress_on)


class ProgrammeItem(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", "Chương trình công tác toàn khóa"
        KEY_TASK = "key_task", "Nhiệm vụ trọng tâm"
        BREAKTHROUGH = "breakthrough", "Khâu đột phá"
        TARGET_GROUP = "target_group", "Nhóm chỉ tiêu chủ yếu"

    programme = models.ForeignKey(TermProgramme, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """A target of the resolution bound to an indicator: '≥ 95% members HTT or better each year'."""

    class Per(models.TextChoices):
        YEAR = "year", "mỗi năm"
        TERM = "term", "cả nhiệm kỳ"

    programme = models.ForeignKey(
        TermProgramme, null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="targets")
    indicator = models.CharField("chỉ số", max_length=80)  # a code of the indicator catalogue
    op = models.CharField(max_length=2, choices=[(">=", "≥"), ("<=", "≤"), ("=", "=")], default=">=")
    value = models.DecimalField(max_digits=14, decimal_places=4)  # shares as fractions: 0.95
    per = models.CharField(max_length=4, choices=Per.choices, default=Per.YEAR)
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    title = models.CharField("chỉ tiêu như nghị quyết ghi", max_length=500, blank=True)
    # A bound that is a share of another figure: "kết nạp từ 3% trở lên so với số đảng viên đầu năm" is
    # admissions ≥ 0,03 of members.start. Blank: the bound is the figure itself.
    of_indicator = models.CharField("so với chỉ số", max_length=80, blank=True, default="")

    def __str__(self) -> str:
        return self.title or self.indicator


class Plan(models.Model):
    """A yearly plan for an indicator of an organization: admissions 180 (F8), new organizations 5 (F7)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="plans")
    indicator = models.CharField(max_length=80)
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=14, decimal_places=4)
    # How the reports name it: "kế hoạch" for the committee's own plan (F8), "chỉ tiêu" for one assigned from
    # above (F7).
    wording = models.CharField(max_length=20, default="kế hoạch")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "indicator", "year"], name="plan_unique")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"


class MemberTallyDay(models.Model):
    """A day whose members are kept counted per unit in MemberTally (targets.tallies): the first and last days of
    the years the reports ask for, chosen by `dangvu indicators tally`. A day not listed is counted from the spans."""

    day = models.DateField(unique=True)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.day.isoformat()


class MemberTally(models.Model):
    """Members of a unit with a status on a tallied day, as rows whose sum is the count of the spans valid that day
    (targets.tallies). Built whole by `dangvu indicators tally`; afterwards a change of a member's spans appends a
    row of −1 for each span removed and of +1 for each span written, never updates one, so that two writers never
    wait for each other; a rebuild sums a day's rows back to one per unit and status."""

    day = models.DateField()
    # The span's unit; no foreign key: the rows are a sum of spans, which already hold theirs.
    organization_id = models.BigIntegerField()
    status = models.CharField(max_length=16)
    n = models.IntegerField()

    class Meta:
        indexes = [
            # members on a tallied day for any roots (targets.tallies.members_on_by_root): the whole country reads
            # the day's rows from the index alone, one district probes its units.
            models.Index(fields=["day", "organization_id"], include=["status", "n"], name="membertally_day_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.organization_id} {self.status} {self.n}"
