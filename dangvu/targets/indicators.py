"""The catalogue of indicators, computed from records for any subtree and period.

Scope: an event counts when its organization was inside root's subtree on the event's own date
("structure as it stood at each date", SEED F17: admissions since 2010 across the 2025 reform). Each
indicator is one or two grouped queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, F, QuerySet, Sum

from dangvu.domain.membership import ADMISSION_CATEGORY_LABELS, EventKind
from dangvu.domain.orgtree import SECTOR_LABELS
from dangvu.domain.vietnamese import fmt_decimal, fmt_int, fmt_percent, fmt_thousands_approx
from dangvu.orgs.models import Organization

Number = int | Fraction | Decimal


@dataclass
class Value:
    code: str
    label: str
    unit: str  # "người", "tổ chức", "lớp", "lượt", "%", …
    value: Number
    breakdown: dict[str, Any] = field(default_factory=dict)
    sentence: str = ""
    numerator: int | None = None
    denominator: int | None = None

    def as_json(self) -> dict[str, Any]:
        def num(x: Number) -> Any:
            return float(x) if isinstance(x, Fraction | Decimal) else x

        return {
            "code": self.code,
            "label": self.label,
            "unit": self.unit,
            "value": num(self.value),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "breakdown": {k: num(v) for k, v in self.breakdown.items()},
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Ctx:
    root: Organization
    start: dt.date
    end: dt.date


def in_scope(qs: QuerySet[Any], ctx: Ctx, org_field: str, date_field: str, *, in_period: bool = True) -> QuerySet[Any]:
    """Rows whose organization sat in ctx.root's subtree on the row's own date (one join, one filter call), and
    whose date falls in the period unless the caller selects the period otherwise."""
    scope: dict[str, Any] = {
        f"{org_field}__ancestry__ancestor": ctx.root,
        f"{org_field}__ancestry__valid_from__lte": F(date_field),
        f"{org_field}__ancestry__valid_to__gt": F(date_field),
    }
    if in_period:
        scope[f"{date_field}__range"] = (ctx.start, ctx.end)
    return qs.filter(**scope)


Fn = Callable[[Ctx, str], Value]
CATALOGUE: dict[str, tuple[str, Fn]] = {}


def indicator(code: str, label: str) -> Callable[[Fn], Fn]:
    def register(fn: Fn) -> Fn:
        CATALOGUE[code] = (label, fn)
        return fn

    return register


def _events(ctx: Ctx, *kinds: str) -> QuerySet[Any]:
    from dangvu.members.models import MemberEvent

    return in_scope(MemberEvent.objects.filter(kind__in=kinds), ctx, "organization", "on")


@indicator("admissions", "Kết nạp đảng viên mới")
def admissions(ctx: Ctx, code: str) -> Value:
    by_cat = dict(_events(ctx, EventKind.ADMISSION).values_list("category").annotate(n=Count("id")).order_by())
    n = sum(by_cat.values())
    labels = {ADMISSION_CATEGORY_LABELS.get(k or "general", k or ""): v for k, v in by_cat.items()}
    return Value(code, "Kết nạp đảng viên mới", "đảng viên", n, labels, f"kết nạp {fmt_int(n)} đảng viên mới")


def _admissions_of(category: str) -> Fn:
    label = ADMISSION_CATEGORY_LABELS[category]

    def fn(ctx: Ctx, code: str) -> Value:
        n = _events(ctx, EventKind.ADMISSION).filter(category=category).count()
        return Value(
            code, f"Kết nạp: {label.lower()}", "đảng viên", n, sentence=f"kết nạp {fmt_int(n)} {label.lower()}"
        )

    return fn


for _cat in ADMISSION_CATEGORY_LABELS:
    if _cat != "general":
        CATALOGUE[f"admissions.{_cat}"] = (f"Kết nạp: {ADMISSION_CATEGORY_LABELS[_cat].lower()}", _admissions_of(_cat))


@indicator("recognitions", "Công nhận đảng viên chính thức")
def recognitions(ctx: Ctx, code: str) -> Value:
    from dangvu.members.models import MemberEvent

    # A recognition carries no organization: scope it by the member's span on that day.
    qs = MemberEvent.objects.filter(
        kind=EventKind.RECOGNITION,
        on__range=(ctx.start, ctx.end),
        member__spans__valid_from=F("on"),
        member__spans__organization__ancestry__ancestor=ctx.root,
        member__spans__organization__ancestry__valid_from__lte=F("on"),
        member__spans__organization__ancestry__valid_to__gt=F("on"),
    )
    n = qs.count()
    return Value(
        code, "Công nhận đảng viên chính thức", "đảng viên", n, sentence=f"công nhận {fmt_int(n)} đảng viên chính thức"
    )


@indicator("members.end", "Đảng viên cuối kỳ")
def members_end(ctx: Ctx, code: str) -> Value:
    from dangvu.members.models import MembershipSpan

    rows = dict(
        MembershipSpan.objects.in_subtree(ctx.root, on=ctx.end).values_list("status").annotate(n=Count("id")).order_by()
    )
    n = sum(rows.values())
    off, prob = rows.get("official", 0), rows.get("probationary", 0)
    return Value(
        code,
        "Đảng viên cuối kỳ",
        "đảng viên",
        n,
        {"chính thức": off, "dự bị": prob},
        f"có {fmt_int(n)} đảng viên ({fmt_int(off)} chính thức, {fmt_int(prob)} dự bị)",
    )


@indicator("exits", "Ra khỏi Đảng, từ trần")
def exits(ctx: Ctx, code: str) -> Value:
    from dangvu.members.models import MemberEvent

    kinds = [EventKind.REMOVAL, EventKind.EXPULSION, EventKind.RESIGNATION, EventKind.DEATH]
    # Exits carry no organization: scope by the span that ended that day.
    qs = MemberEvent.objects.filter(
        kind__in=kinds,
        on__range=(ctx.start, ctx.end),
        member__spans__valid_to=F("on"),
        member__spans__organization__ancestry__ancestor=ctx.root,
        member__spans__organization__ancestry__valid_from__lt=F("on"),
        member__spans__organization__ancestry__valid_to__gte=F("on"),
    )
    by_kind = dict(qs.values_list("kind").annotate(n=Count("id", distinct=True)).order_by())
    from dangvu.domain.membership import EVENT_LABELS

    n = sum(by_kind.values())
    return Value(
        code,
        "Ra khỏi Đảng, từ trần",
        "đảng viên",
        n,
        {EVENT_LABELS[k]: v for k, v in by_kind.items()},
        ", ".join(f"{EVENT_LABELS[k].lower()} {fmt_int(v)}" for k, v in sorted(by_kind.items())),
    )


def _new_orgs(sector: str | None) -> Fn:
    def fn(ctx: Ctx, code: str) -> Value:
        from dangvu.orgs.models import LineageEvent, LineageLink, OrgVersion

        links = LineageLink.objects.filter(role=LineageLink.Role.TARGET, event__kind=LineageEvent.Kind.ESTABLISHED)
        links = in_scope(links, ctx, "organization", "event__effective_on")
        if sector:
            links = links.filter(
                organization__versions__sector=sector, organization__versions__valid_from=F("event__effective_on")
            )
        kinds = dict(
            OrgVersion.objects.filter(organization__in=links.values("organization"))
            .values_list("kind")
            .annotate(n=Count("organization", distinct=True))
            .order_by()
        )
        n = links.values("organization").distinct().count()
        what = {"private_enterprise": "tổ chức Đảng trong các DN ngoài khu vực Nhà nước"}.get(
            sector or "", "tổ chức đảng"
        )
        return Value(code, f"Thành lập mới {what}", "tổ chức", n, dict(kinds), f"thành lập mới {fmt_int(n)} {what}")

    return fn


CATALOGUE["new_organizations"] = ("Thành lập mới tổ chức đảng", _new_orgs(None))
for _sec in SECTOR_LABELS:
    CATALOGUE[f"new_organizations.{_sec}"] = (
        f"Thành lập mới tổ chức đảng ({SECTOR_LABELS[_sec].lower()})",
        _new_orgs(_sec),
    )


@indicator("discipline.members", "Thi hành kỷ luật đảng viên")
def discipline_members(ctx: Ctx, code: str) -> Value:
    from dangvu.work.models import Discipline

    # The member's unit on the decision date decides the scope.
    qs = Discipline.objects.filter(
        member__isnull=False,
        decided_on__range=(ctx.start, ctx.end),
        member__spans__valid_from__lte=F("decided_on"),
        member__spans__valid_to__gt=F("decided_on"),
        member__spans__organization__ancestry__ancestor=ctx.root,
        member__spans__organization__ancestry__valid_from__lte=F("decided_on"),
        member__spans__organization__ancestry__valid_to__gt=F("decided_on"),
    )
    forms = dict(qs.values_list("form").annotate(n=Count("id", distinct=True)).order_by())
    n = qs.values("member").distinct().count()
    labels = dict(Discipline.Form.choices)
    return Value(
        code,
        "Thi hành kỷ luật đảng viên",
        "đảng viên",
        n,
        {labels[k]: v for k, v in forms.items()},
        f"thi hành kỷ luật {fmt_int(n)} đảng viên vi phạm",
    )


@indicator("discipline.organizations", "Thi hành kỷ luật tổ chức đảng")
def discipline_orgs(ctx: Ctx, code: str) -> Value:
    from dangvu.work.models import Discipline

    n = in_scope(Discipline.objects.filter(organization__isnull=False), ctx, "organization", "decided_on").count()
    return Value(
        code, "Thi hành kỷ luật tổ chức đảng", "tổ chức", n, sentence=f"thi hành kỷ luật {fmt_int(n)} tổ chức đảng"
    )


@indicator("inspections", "Kiểm tra, giám sát")
def inspections(ctx: Ctx, code: str) -> Value:
    from dangvu.work.models import Inspection

    qs = in_scope(Inspection.objects.all(), ctx, "organization", "started_on")
    kinds = dict(qs.values_list("kind").annotate(n=Count("id")).order_by())
    labels = dict(Inspection.Kind.choices)
    n = sum(kinds.values())
    return Value(
        code,
        "Kiểm tra, giám sát",
        "cuộc",
        n,
        {labels[k]: v for k, v in kinds.items()},
        "; ".join(f"{labels[k].lower()} {fmt_int(v)} cuộc" for k, v in sorted(kinds.items())),
    )


@indicator("petitions", "Đơn thư tố cáo, khiếu nại")
def petitions(ctx: Ctx, code: str) -> Value:
    from dangvu.work.models import Petition

    qs = in_scope(Petition.objects.all(), ctx, "organization", "received_on")
    n = qs.count()
    done = qs.filter(concluded_on__isnull=False).count()
    return Value(
        code,
        "Đơn thư tố cáo, khiếu nại",
        "đơn",
        n,
        {"đã kết luận": done},
        f"tiếp nhận {fmt_int(n)} đơn thư, đã giải quyết {fmt_int(done)}",
        done,
        n,
    )


@indicator("cadre_moves", "Điều động, luân chuyển, bổ nhiệm, bổ nhiệm lại")
def cadre_moves(ctx: Ctx, code: str) -> Value:
    from dangvu.work.models import CadreMove

    qs = in_scope(CadreMove.objects.all(), ctx, "organization", "on")
    kinds = dict(qs.values_list("kind").annotate(n=Count("id")).order_by())
    labels = dict(CadreMove.Kind.choices)
    n = sum(kinds.values())
    return Value(
        code,
        "Điều động, luân chuyển, bổ nhiệm, bổ nhiệm lại",
        "đồng chí",
        n,
        {labels[k]: v for k, v in kinds.items()},
        f"điều động, luân chuyển, bổ nhiệm, bổ nhiệm lại {fmt_int(n)} đồng chí",
    )


@indicator("training", "Lớp bồi dưỡng và lượt người dự")
def training(ctx: Ctx, code: str) -> Value:
    from dangvu.work.models import TrainingClass

    qs = in_scope(TrainingClass.objects.all(), ctx, "organization", "started_on")
    agg = qs.aggregate(n=Count("id", distinct=True), people=Sum("attendances"))
    n, people = agg["n"] or 0, agg["people"] or 0
    return Value(
        code,
        "Lớp bồi dưỡng",
        "lớp",
        n,
        {"lượt người dự": people},
        f"mở {fmt_int(n)} lớp bồi dưỡng với {fmt_thousands_approx(people)} lượt cán bộ tham dự"
        if people >= 1000
        else f"mở {fmt_int(n)} lớp bồi dưỡng với {fmt_int(people)} lượt cán bộ tham dự",
    )


@indicator("study.participation", "Tỷ lệ đảng viên tham gia học tập, quán triệt nghị quyết")
def study(ctx: Ctx, code: str) -> Value:
    from dangvu.work.models import StudySession

    agg = in_scope(StudySession.objects.all(), ctx, "organization", "held_on").aggregate(
        p=Sum("participants"), e=Sum("expected")
    )
    p, e = agg["p"] or 0, agg["e"] or 0
    share = Fraction(p, e) if e else Fraction(0)
    return Value(
        code,
        "Tham gia học tập nghị quyết",
        "%",
        share,
        sentence=f"tỷ lệ đảng viên tham gia học tập, quán triệt đạt {fmt_percent(share)}",
        numerator=p,
        denominator=e,
    )


@indicator("documents", "Văn bản ban hành")
def documents(ctx: Ctx, code: str) -> Value:
    from dangvu.work.models import Document

    types = dict(
        in_scope(Document.objects.all(), ctx, "organization", "issued_on")
        .values_list("type")
        .annotate(n=Count("id"))
        .order_by()
    )
    n = sum(types.values())
    return Value(
        code,
        "Văn bản ban hành",
        "văn bản",
        n,
        dict(types),
        f"ban hành {fmt_int(n)} văn bản (" + ", ".join(f"{v} {k}" for k, v in sorted(types.items())) + ")",
    )


@indicator("commendations", "Khen thưởng")
def commendations(ctx: Ctx, code: str) -> Value:
    from dangvu.work.models import Commendation

    # Titles for a year are decided at its review conference, often the next January (seed 001): count by the year
    # the title is for, scoped by where the organization stood when decided.
    orgs = in_scope(
        Commendation.objects.filter(organization__isnull=False, year__range=(ctx.start.year, ctx.end.year)),
        ctx,
        "organization",
        "decided_on",
        in_period=False,
    )
    titles = dict(orgs.values_list("title").annotate(n=Count("id")).order_by())
    n = sum(titles.values())
    # "… 'Trong sạch vững mạnh tiêu biểu', 21 … 'Trong sạch vững mạnh'" (F13): the longer title first.
    parts = ", ".join(
        f"{fmt_int(v)} tổ chức cơ sở đảng đạt danh hiệu “{k}”" for k, v in sorted(titles.items(), reverse=True)
    )
    return Value(code, "Khen thưởng tổ chức đảng", "tổ chức", n, dict(titles), f"khen thưởng {parts}" if parts else "")


@indicator("badges", "Trao tặng Huy hiệu Đảng")
def badges(ctx: Ctx, code: str) -> Value:
    from dangvu.work.models import BadgeAward

    qs = BadgeAward.objects.filter(
        awarded_on__range=(ctx.start, ctx.end),
        member__spans__valid_from__lte=F("awarded_on"),
        member__spans__valid_to__gt=F("awarded_on"),
        member__spans__organization__ancestry__ancestor=ctx.root,
        member__spans__organization__ancestry__valid_from__lte=F("awarded_on"),
        member__spans__organization__ancestry__valid_to__gt=F("awarded_on"),
    )
    by = dict(qs.values_list("milestone").annotate(n=Count("id", distinct=True)).order_by())
    n = sum(by.values())
    return Value(
        code,
        "Huy hiệu Đảng",
        "huy hiệu",
        n,
        {f"{k} năm": v for k, v in sorted(by.items())},
        f"trao tặng {fmt_int(n)} Huy hiệu Đảng",
    )


def _review_share(members: bool) -> Fn:
    def fn(ctx: Ctx, code: str) -> Value:
        from dangvu.assessment.stats import review_stats

        year = ctx.end.year
        g = review_stats(ctx.root, year)
        grp = g["members"] if members else g["grassroots"]
        share = grp.share(grp.at_least(3))
        who = "đảng viên" if members else "tổ chức cơ sở đảng"
        return Value(
            code,
            f"Tỷ lệ {who} hoàn thành tốt nhiệm vụ trở lên năm {year}",
            "%",
            share,
            sentence=f"tỷ lệ {who} hoàn thành tốt nhiệm vụ trở lên đạt {fmt_percent(share)}",
            numerator=grp.at_least(3),
            denominator=grp.rated,
        )

    return fn


CATALOGUE["review.members_good_or_better"] = ("Tỷ lệ đảng viên HTT trở lên", _review_share(True))
CATALOGUE["review.grassroots_good_or_better"] = ("Tỷ lệ TCCSĐ HTT trở lên", _review_share(False))


@indicator("free", "Chỉ tiêu nhập tay")
def free(ctx: Ctx, code: str) -> Value:
    from dangvu.work.models import FreeIndicator

    rows = FreeIndicator.objects.filter(organization=ctx.root, period_end__range=(ctx.start, ctx.end)).order_by("code")
    out = {r.name: r.value for r in rows}
    text = "; ".join(f"{r.name.lower()} đạt {fmt_decimal(r.value, 2)}{r.unit}" for r in rows)
    return Value(code, "Chỉ tiêu nhập tay", "", len(out), out, text)


def compute(root: Organization, start: dt.date, end: dt.date, codes: list[str] | None = None) -> list[Value]:
    ctx = Ctx(root, start, end)
    return [CATALOGUE[c][1](ctx, c) for c in (codes or list(CATALOGUE))]
