"""Party-building work records. Discipline first: the annual review's caps read it."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from dangvu.domain.documents import ACTION, OTHER, PROGRAMME_KINDS, WORK, DocumentCode
from dangvu.domain.vietnamese import fmt_date, fold
from dangvu.members.models import Member
from dangvu.orgs.models import Organization


class Searchable(models.Model):
    """A record the work lists search by its own words without diacritics ("nguyen" finds "Nguyễn"): the folded
    text of SEARCH_FIELDS, kept by save() and by the bulk path (services.records_load calls refresh_search).
    Members' and units' names are searched through their own folded columns, not copied here."""

    SEARCH_FIELDS: tuple[str, ...] = ()
    search_folded = models.TextField(blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search()
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = {*fields, "search_folded"}
        super().save(*args, **kwargs)

    def refresh_search(self) -> None:
        self.search_folded = fold(" ".join(str(getattr(self, f) or "") for f in self.SEARCH_FIELDS))


class Discipline(Searchable):
    """A discipline decision on a member or an organization (Điều lệ Đảng Đ.35–36; QĐ 69-QĐ/TW)."""

    SEARCH_FIELDS = ("deciding_body", "decision_ref", "violation")

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
        return f"{self.get_form_display()} {fmt_date(self.decided_on)}"


class Candidate(Searchable):
    """Quần chúng ưu tú: a person prepared for admission, tracked to the decision (HD 12-HD/BTCTW; HD 06-HD/TW)."""

    SEARCH_FIELDS = ("full_name", "category", "introducers")

    class Stage(models.TextChoices):
        PREPARING = "preparing", "Đang bồi dưỡng"
        VOTED = "voted", "Chi bộ đã xét"
        ADMITTED = "admitted", "Đã kết nạp"
        DROPPED = "dropped", "Dừng xem xét"

    full_name = models.CharField("họ và tên", max_length=120)
    gender = models.CharField("giới tính", max_length=8, choices=Member.Gender.choices)
    birth_date = models.DateField("ngày sinh")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="candidates")
    category = models.CharField("đối tượng", max_length=32, blank=True)
    awareness_course_on = models.DateField("ngày cấp giấy chứng nhận lớp nhận thức về Đảng", null=True, blank=True)
    introducers = models.CharField("người giới thiệu", max_length=255, blank=True)
    dossier_complete = models.BooleanField("đủ hồ sơ", default=False)
    branch_vote_on = models.DateField("ngày chi bộ xét, đề nghị kết nạp", null=True, blank=True)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.PREPARING)
    member = models.OneToOneField(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidacy")

    def __str__(self) -> str:
        return self.full_name


class Inspection(Searchable):
    """Kiểm tra, giám sát (Điều lệ Đảng Đ.30–32; QĐ 296-QĐ/TW)."""

    SEARCH_FIELDS = ("conclusion",)

    class Kind(models.TextChoices):
        INSPECTION = "inspection", "Kiểm tra"
        SUPERVISION = "supervision", "Giám sát"
        VIOLATION_INSPECTION = "violation_inspection", "Kiểm tra khi có dấu hiệu vi phạm"

    kind = models.CharField("loại", max_length=24, choices=Kind.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="inspections")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="inspections")
    planned = models.BooleanField("theo kế hoạch", default=True)
    started_on = models.DateField("ngày bắt đầu")
    concluded_on = models.DateField("ngày kết luận", null=True, blank=True)
    violation_found = models.BooleanField("có vi phạm", default=False)
    conclusion = models.TextField("kết luận", blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {fmt_date(self.started_on)}"


class Petition(Searchable):
    """Đơn thư tố cáo, khiếu nại: received, handled, concluded."""

    SEARCH_FIELDS = ("outcome",)

    class Kind(models.TextChoices):
        DENUNCIATION = "denunciation", "Tố cáo"
        COMPLAINT = "complaint", "Khiếu nại"

    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="petitions")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="petitions")
    received_on = models.DateField("ngày nhận")
    handled_on = models.DateField("ngày thụ lý", null=True, blank=True)
    concluded_on = models.DateField("ngày kết luận", null=True, blank=True)
    outcome = models.TextField("kết quả", blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {fmt_date(self.received_on)}"


class Post(models.Model):
    """A post held in a committee for a term: bí thư, phó bí thư, ủy viên ban thường vụ, cấp ủy viên …"""

    class Title(models.TextChoices):
        SECRETARY = "secretary", "Bí thư"
        DEPUTY_SECRETARY = "deputy_secretary", "Phó Bí thư"
        STANDING_MEMBER = "standing_member", "Ủy viên Ban Thường vụ"
        COMMITTEE_MEMBER = "committee_member", "Cấp ủy viên"
        INSPECTION_CHAIR = "inspection_chair", "Chủ nhiệm Ủy ban Kiểm tra"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="posts")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField("chức danh", max_length=24, choices=Title.choices)
    term = models.CharField("nhiệm kỳ", max_length=20)  # "2020–2025"
    started_on = models.DateField("từ ngày")
    ended_on = models.DateField("đến ngày", null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.term}"


class SuccessionPlan(Searchable):
    """Quy hoạch cán bộ: a member planned for a post in a term."""

    SEARCH_FIELDS = ("term",)

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="succession_plans")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="succession_plans")
    title = models.CharField("chức danh", max_length=24, choices=Post.Title.choices)
    term = models.CharField("nhiệm kỳ", max_length=20)
    approved_on = models.DateField("ngày phê duyệt", null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.title} {self.term}"


class CadreMove(Searchable):
    """Điều động, luân chuyển, bổ nhiệm, bổ nhiệm lại (SEED F10)."""

    SEARCH_FIELDS = ("person_name", "position", "decision_ref")

    class Kind(models.TextChoices):
        REASSIGNMENT = "reassignment", "Điều động"
        ROTATION = "rotation", "Luân chuyển"
        APPOINTMENT = "appointment", "Bổ nhiệm"
        REAPPOINTMENT = "reappointment", "Bổ nhiệm lại"

    kind = models.CharField("hình thức", max_length=16, choices=Kind.choices)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="cadre_moves")
    person_name = models.CharField("họ và tên", max_length=120)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="cadre_moves")
    on = models.DateField("ngày quyết định")
    position = models.CharField("chức vụ", max_length=255, blank=True)
    decision_ref = models.CharField("số quyết định", max_length=120, blank=True)

    class Meta:
        indexes = [models.Index(fields=["on"], name="cadremove_on_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person_name}"


class TrainingClass(Searchable):
    """Lớp bồi dưỡng (SEED F11): classes and attendances."""

    SEARCH_FIELDS = ("title",)

    class Kind(models.TextChoices):
        AWARENESS = "awareness", "Bồi dưỡng nhận thức về Đảng"
        NEW_MEMBER = "new_member", "Bồi dưỡng đảng viên mới"
        ELEMENTARY = "elementary", "Sơ cấp lý luận chính trị"
        INTERMEDIATE = "intermediate", "Trung cấp lý luận chính trị"
        PROFESSIONAL = "professional", "Bồi dưỡng nghiệp vụ"

    kind = models.CharField("loại lớp", max_length=16, choices=Kind.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="training_classes")
    title = models.CharField("tên lớp", max_length=255)
    started_on = models.DateField("khai giảng")
    ended_on = models.DateField("bế giảng", null=True, blank=True)
    attendances = models.PositiveIntegerField("lượt người dự", default=0)
    attendees = models.ManyToManyField(Member, blank=True, related_name="training_classes")

    def __str__(self) -> str:
        return self.title


class Document(Searchable):
    """A party document: its identity is the issuing organization + type + number + term (numbers restart for each
    type in each committee term, Hướng dẫn 36-HD/VPTW II.1); the issuer's symbol ("ĐU", "TU" …) is what is
    printed after the slash. A document of an issuer outside the system (the Central Committee, a province not
    recorded here) has no organization: its symbol and the issuer's name key it instead."""

    SEARCH_FIELDS = ("reference", "term", "subject", "issuer_name")

    class ProgrammeKind(models.TextChoices):
        ACTION = ACTION, PROGRAMME_KINDS[ACTION]
        WORK = WORK, PROGRAMME_KINDS[WORK]
        OTHER = OTHER, PROGRAMME_KINDS[OTHER]

    issuer = models.CharField("ký hiệu cơ quan ban hành", max_length=20)  # TW, TU, HU, ĐU … as printed
    # The committee that issued it, when it is one of ours; None for the Central Committee and other issuers
    # outside the system (then issuer_name says who they are).
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    issuer_name = models.CharField("tên cơ quan ban hành (ngoài hệ thống)", max_length=120, blank=True)
    type = models.CharField("loại văn bản", max_length=8)  # NQ, CTr, KH … (dangvu.domain.documents.TYPES)
    # A programme's kind (CTr only): "Chương trình hành động số 36-CTr/TU".
    programme_kind = models.CharField(
        "loại chương trình", max_length=8, choices=ProgrammeKind.choices, blank=True, default=""
    )
    number = models.PositiveIntegerField("số")
    term = models.CharField("nhiệm kỳ", max_length=20)  # "2015–2020", "khóa X" (domain.documents.normalize_term)
    issued_on = models.DateField("ngày ban hành")
    subject = models.TextField("trích yếu", blank=True)
    implements = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="implemented_by")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "type", "number", "term"],
                condition=Q(organization__isnull=False),
                name="document_key",
            ),
            models.UniqueConstraint(
                fields=["issuer", "issuer_name", "type", "number", "term"],
                condition=Q(organization__isnull=True),
                name="document_key_outside",
            ),
        ]
        # reports.builders.documents.find_document: a document by its printed number.
        indexes = [models.Index(fields=["number", "type", "issuer"], name="document_code_idx")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """Số, ký hiệu as printed: 36-CTr/TU."""
        return f"{self.number}-{self.type}/{self.issuer}"

    @property
    def code(self) -> DocumentCode:
        return DocumentCode(self.number, self.type, self.issuer, self.issued_on, self.programme_kind)


class StudySession(models.Model):
    """Học tập, quán triệt nghị quyết: who took part (participation rate per organization and year)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="study_sessions")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="studies")
    held_on = models.DateField("ngày")
    expected = models.PositiveIntegerField("số đảng viên phải dự")
    participants = models.PositiveIntegerField("số đảng viên dự")
    # Who took part, when the branch records it by name (the counts above stay the figure: a session may be
    # recorded by count only).
    attendees = models.ManyToManyField(Member, blank=True, related_name="study_sessions")

    def __str__(self) -> str:
        return fmt_date(self.held_on)


class Commendation(Searchable):
    """Khen thưởng (SEED F13): a title granted to a member or an organization."""

    SEARCH_FIELDS = ("title", "granted_by", "decision_ref")

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", "Giấy khen"
        MERIT_CERTIFICATE = "merit_certificate", "Bằng khen"
        BANNER = "banner", "Cờ"

    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="commendations")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="commendations"
    )
    title = models.CharField("danh hiệu", max_length=120)  # "Trong sạch vững mạnh tiêu biểu", "HTXS 5 năm liền"
    kind = models.CharField("hình thức", max_length=20, choices=Kind.choices, default=Kind.CERTIFICATE)
    granted_by = models.CharField("cấp khen", max_length=120)
    year = models.PositiveSmallIntegerField("năm")
    decided_on = models.DateField("ngày quyết định")
    decision_ref = models.CharField("số quyết định", max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.title} {self.year}"


class BadgeAward(Searchable):
    """Huy hiệu Đảng awarded at a milestone of party age."""

    SEARCH_FIELDS = ("decision_ref",)

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="badges")
    milestone = models.PositiveSmallIntegerField("năm tuổi Đảng")
    awarded_on = models.DateField("ngày trao")
    decision_ref = models.CharField("số quyết định", max_length=120, blank=True)
    posthumous = models.BooleanField("truy tặng", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "milestone"], name="badge_member_milestone")]
        # targets.indicators.badges: the badges of a period, then their members' units on the day.
        indexes = [models.Index(fields=["awarded_on"], name="badge_awarded_on_idx")]

    def __str__(self) -> str:
        return f"{self.milestone} năm"


class FreeIndicator(Searchable):
    """A figure staff enter that party records do not hold (SEED F14: election turnout 99,35%)."""

    SEARCH_FIELDS = ("code", "name", "note")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="free_indicators")
    code = models.CharField("mã", max_length=40)
    name = models.CharField("chỉ tiêu", max_length=255)
    unit = models.CharField("đơn vị", max_length=20, default="%")
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    value = models.DecimalField("giá trị", max_digits=14, decimal_places=4)
    note = models.TextField("ghi chú", blank=True)

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- alerts kept current


class AlertKind(models.TextChoices):
    """What an alert asks for (work.alerts; its dates from domain.alerts)."""

    DECISION = "decision", "Cấp ủy quyết định kết nạp"
    CEREMONY = "ceremony", "Tổ chức lễ kết nạp"
    RECOGNITION = "recognition", "Xét công nhận đảng viên chính thức"
    BADGE = "badge", "Đề nghị tặng Huy hiệu Đảng"
    CERTIFICATE = "certificate", "Giấy chứng nhận lớp nhận thức về Đảng quá hạn"


class Due(models.Model):
    """One alert of a member or a candidate, stored with the days it shows (work.due): derived from the member's
    events and spans, the candidate's steps and the badges awarded, rewritten by the services that change them in
    their transaction, rebuilt whole by `dangvu alerts rebuild`. The pages list the rows of a subtree's units
    with `shows_from <= on < shows_until` instead of computing every member's deadlines per request."""

    kind = models.CharField(max_length=12, choices=AlertKind.choices)
    member = models.ForeignKey(Member, null=True, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey("Candidate", null=True, on_delete=models.CASCADE, related_name="+")
    # The unit the alert concerns on those days: the candidate's, or the member's span's.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    starts_on = models.DateField()  # what the rule counts from: the vote, the decision, the end of probation …
    due_on = models.DateField(null=True)  # None: the next awarding occasion (badges)
    milestone = models.PositiveSmallIntegerField(null=True)
    shows_from = models.DateField()
    shows_until = models.DateField()
    overdue_from = models.DateField()

    class Meta:
        # work.due.listed: a subtree's units and a day, then counted and ordered: an index-only scan on PostgreSQL
        # (a province's 5 thousand units probed in ~20 ms; reading the rows themselves took 250 ms).
        indexes = [
            models.Index(
                fields=["organization", "shows_from"],
                include=["shows_until", "overdue_from", "due_on", "kind"],
                name="due_org_shows_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on})"


class DueCoverage(models.Model):
    """The days the stored alerts hold (one row): the rows of members are kept for the days around the last
    rebuild (work.due.BEHIND/AHEAD); a day outside them is computed whole (work.alerts.alerts)."""

    built_on = models.DateField()
    covers_from = models.DateField()
    covers_to = models.DateField()

    def __str__(self) -> str:
        return f"{self.covers_from} – {self.covers_to}"
