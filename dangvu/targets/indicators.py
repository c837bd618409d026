"""The catalogue of indicators, computed from records for any subtrees and period.

Scope: a record counts for a root when its organization was inside the root's subtree on the record's own date
("structure as it stood at each date", SEED F17: admissions since 2010 across the 2025 reform). Each indicator is
one or two grouped queries (orgs.queries.tally_by_root) for any number of roots: one district, or the 63
provinces of the country at once; compute() is the one-root case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from dangvu.domain.membership import ADMISSION_CATEGORY_LABELS, EventKind
from dangvu.domain.orgtree import SECTOR_LABELS
from dangvu.domain.vietnamese import fmt_decimal, fmt_int, fmt_percent, fmt_thousands_approx
from dangvu.orgs.models import Organization
from dangvu.orgs.queries import Tally, tally_by_root

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

    def printed(self) -> str:
        """The figure as the reports print it ("91,14%", "1.382", "99,35"); a share with nothing to divide is "—"."""
        if self.unit == "%":
            return "—" if self.denominator == 0 else fmt_percent(self.value)
        return fmt_int(self.value) if isinstance(self.value, int) else fmt_decimal(self.value, 2)

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


@dataclass
class Ctx:
    """The roots (organization ids) and the period every indicator is computed for, and the tallies the
    indicators share (admissions by category feed six indicators from one query)."""

    roots: list[int]
    start: dt.date
    end: dt.date
    shared: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, fn: Callable[[], Any]) -> Any:
        if key not in self.shared:
            self.shared[key] = fn()
        return self.shared[key]

    def tally(
        self, key: str, qs: QuerySet[Any], *, unit: str, day: str | dt.date, in_period: bool = True, **kw: Any
    ) -> Tally:
        """tally_by_root over the roots, the rows' day within the period unless the caller selects it otherwise;
        computed once per key."""
        if in_period and isinstance(day, str):
            qs = qs.filter(**{f"{day}__range": (self.start, self.end)})
        return self.once(key, lambda: tally_by_root(qs, self.roots, unit=unit, day=day, **kw))  # type: ignore[no-any-return]


# An indicator maps the context to a value per root.
Fn = Callable[[Ctx, str], dict[int, "Value"]]
CATALOGUE: dict[str, tuple[str, Fn]] = {}


def indicator(code: str, label: str) -> Callable[[Fn], Fn]:
    def register(fn: Fn) -> Fn:
        CATALOGUE[code] = (label, fn)
        return fn

    return register


def _flat(t: dict[tuple[Any, ...], int]) -> dict[Any, int]:
    """{(k,): n} → {k: n}, for tallies grouped by one field."""
    return {k[0]: n for k, n in t.items()}


def _each(t: Tally, make: Callable[[dict[Any, int], int], Value]) -> dict[int, Value]:
    """A value per root from a tally grouped by one field: make(the counts by that field, their total)."""
    out = {}
    for root, rows in t.items():
        counts = _flat(rows)
        out[root] = make(counts, sum(counts.values()))
    return out


def _unit_of_member(day: str) -> Subquery:
    """The unit of the row's member on the row's day, for work records about a member (disciplines, badges,
    commendations): a correlated subquery, one probe of span_member_idx per record. Joining the spans instead let
    PostgreSQL hash all 15 million spans of the national data set."""
    from dangvu.members.models import MembershipSpan

    on = OuterRef(day)
    spans = MembershipSpan.objects.filter(member_id=OuterRef("member_id"), valid_from__lte=on, valid_to__gt=on)
    return Subquery(spans.values("organization_id")[:1])


def _admission_tally(ctx: Ctx) -> Tally:
    from dangvu.members.models import MemberEvent

    return ctx.tally(
        "admissions",
        MemberEvent.objects.filter(kind=EventKind.ADMISSION),
        unit="organization_id",
        day="on",
        by=("category",),
    )


@indicator("admissions", "Kết nạp đảng viên mới")
def admissions(ctx: Ctx, code: str) -> dict[int, Value]:
    out = {}
    for root, t in _admission_tally(ctx).items():
        by_cat: dict[str, int] = {}
        for (cat,), v in t.items():
            label = ADMISSION_CATEGORY_LABELS.get(cat or "general", cat or "")
            by_cat[label] = by_cat.get(label, 0) + v
        n = sum(by_cat.values())
        out[root] = Value(code, "Kết nạp đảng viên mới", "đảng viên", n, by_cat, f"kết nạp {fmt_int(n)} đảng viên mới")
    return out


def _admissions_of(category: str) -> Fn:
    label = ADMISSION_CATEGORY_LABELS[category]

    def fn(ctx: Ctx, code: str) -> dict[int, Value]:
        out = {}
        for root, t in _admission_tally(ctx).items():
            n = t.get((category,), 0)
            out[root] = Value(
                code, f"Kết nạp: {label.lower()}", "đảng viên", n, sentence=f"kết nạp {fmt_int(n)} {label.lower()}"
            )
        return out

    return fn


for _cat in ADMISSION_CATEGORY_LABELS:
    if _cat != "general":
        CATALOGUE[f"admissions.{_cat}"] = (f"Kết nạp: {ADMISSION_CATEGORY_LABELS[_cat].lower()}", _admissions_of(_cat))


@indicator("recognitions", "Công nhận đảng viên chính thức")
def recognitions(ctx: Ctx, code: str) -> dict[int, Value]:
    from dangvu.members.models import MemberEvent, MembershipSpan

    # A recognition carries no organization: count the spans that open on a recognition of their member, in the
    # span's unit on that day. Starting from the spans lets one district start from its units and the whole
    # country from a year's spans (span_on_idx); starting from the events made every root pay for the country's.
    # The event's day is said to be within the period too (it equals the span's, which is): PostgreSQL does not
    # carry a range across an equality, and the probe then reads only the period's part of the index.
    recognized = MemberEvent.objects.filter(
        member_id=OuterRef("member_id"),
        kind=EventKind.RECOGNITION,
        on=OuterRef("valid_from"),
        on__range=(ctx.start, ctx.end),
    )
    qs = MembershipSpan.objects.filter(Exists(recognized))
    t = ctx.tally("recognitions", qs, unit="organization_id", day="valid_from")
    out = {}
    for root, rows in t.items():
        n = sum(rows.values())
        out[root] = Value(
            code,
            "Công nhận đảng viên chính thức",
            "đảng viên",
            n,
            sentence=f"công nhận {fmt_int(n)} đảng viên chính thức",
        )
    return out


def _members_tally(ctx: Ctx, day: dt.date) -> Tally:
    """Members on the period's first or last day by status for each root: from the members counted per unit when
    the day is tallied (targets.tallies; both days in one statement, computed once), from the spans otherwise (once
    per day); the same figures either way."""
    from .tallies import members_counted, members_from_tallies

    tallied = ctx.once("members.tallied", lambda: members_from_tallies(ctx.roots, [ctx.start, ctx.end]))
    if day in tallied:
        return tallied[day]  # type: ignore[no-any-return]
    return ctx.once(f"members.counted.{day}", lambda: members_counted(ctx.roots, day))  # type: ignore[no-any-return]


def _members_on(ctx: Ctx, code: str, day: dt.date, label: str) -> dict[int, Value]:
    t = _members_tally(ctx, day)
    out = {}
    for root, rows in t.items():
        by = _flat(rows)
        off, prob = by.get("official", 0), by.get("probationary", 0)
        n = off + prob
        out[root] = Value(
            code,
            label,
            "đảng viên",
            n,
            {"chính thức": off, "dự bị": prob},
            f"có {fmt_int(n)} đảng viên ({fmt_int(off)} chính thức, {fmt_int(prob)} dự bị)",
        )
    return out


@indicator("members.start", "Đảng viên đầu kỳ")
def members_start(ctx: Ctx, code: str) -> dict[int, Value]:
    """Members on the period's first day: what a ratio target divides by ("so với số đảng viên đầu năm")."""
    return _members_on(ctx, code, ctx.start, "Đảng viên đầu kỳ")


@indicator("members.end", "Đảng viên cuối kỳ")
def members_end(ctx: Ctx, code: str) -> dict[int, Value]:
    return _members_on(ctx, code, ctx.end, "Đảng viên cuối kỳ")


@indicator("exits", "Ra khỏi Đảng, từ trần")
def exits(ctx: Ctx, code: str) -> dict[int, Value]:
    from dangvu.domain.membership import EVENT_LABELS
    from dangvu.members.models import MembershipSpan

    kinds = [EventKind.REMOVAL, EventKind.EXPULSION, EventKind.RESIGNATION, EventKind.DEATH]
    # Exits carry no organization: the spans that end on an exit of their member, in the span's unit's subtree of
    # the day before (as recognitions, from the spans; joined, not a subquery per span, for the event's kind).
    # The exit's day within the period as well (it is the span's end, which is): PostgreSQL can then start from the
    # period's exits (memberevent_kind_on_idx) rather than from every span ending in it, for which there is no index.
    qs = MembershipSpan.objects.filter(
        member__events__kind__in=kinds,
        member__events__on=F("valid_to"),
        member__events__on__range=(ctx.start, ctx.end),
    )
    t = ctx.tally("exits", qs, unit="organization_id", day="valid_to", by=("member__events__kind",), ended=True)
    return _each(
        t,
        lambda by_kind, n: Value(
            code,
            "Ra khỏi Đảng, từ trần",
            "đảng viên",
            n,
            {EVENT_LABELS[k]: v for k, v in by_kind.items()},
            ", ".join(f"{EVENT_LABELS[k].lower()} {fmt_int(v)}" for k, v in sorted(by_kind.items())),
        ),
    )


def _new_orgs(sector: str | None) -> Fn:
    what = {"private_enterprise": "tổ chức Đảng trong các DN ngoài khu vực Nhà nước"}.get(sector or "", "tổ chức đảng")

    def fn(ctx: Ctx, code: str) -> dict[int, Value]:
        from dangvu.orgs.models import LineageEvent, LineageLink

        # The organizations an 'established' event gave, with the version it opened (sector and kind), scoped by
        # where the new organization stood on that day.
        links = LineageLink.objects.filter(
            role=LineageLink.Role.TARGET,
            event__kind=LineageEvent.Kind.ESTABLISHED,
            organization__versions__valid_from__lte=F("event__effective_on"),
            organization__versions__valid_to__gt=F("event__effective_on"),
        )
        t = ctx.tally(
            "new_organizations",
            links,
            unit="organization_id",
            day="event__effective_on",
            by=("organization__versions__sector", "organization__versions__kind"),
            distinct="organization_id",
        )
        out = {}
        for root, rows in t.items():
            kinds: dict[str, int] = {}
            for (sec, kind), v in rows.items():
                if sector is None or sec == sector:
                    kinds[kind] = kinds.get(kind, 0) + v
            n = sum(kinds.values())
            out[root] = Value(code, f"Thành lập mới {what}", "tổ chức", n, kinds, f"thành lập mới {fmt_int(n)} {what}")
        return out

    return fn


CATALOGUE["new_organizations"] = ("Thành lập mới tổ chức đảng", _new_orgs(None))
for _sec in SECTOR_LABELS:
    CATALOGUE[f"new_organizations.{_sec}"] = (
        f"Thành lập mới tổ chức đảng ({SECTOR_LABELS[_sec].lower()})",
        _new_orgs(_sec),
    )


@indicator("discipline.members", "Thi hành kỷ luật đảng viên")
def discipline_members(ctx: Ctx, code: str) -> dict[int, Value]:
    from dangvu.work.models import Discipline

    # The member's unit on the decision date decides the scope.
    qs = Discipline.objects.filter(member__isnull=False).annotate(unit=_unit_of_member("decided_on"))
    forms = ctx.tally("discipline.forms", qs, unit="unit", day="decided_on", by=("form",))
    people = ctx.tally("discipline.members", qs, unit="unit", day="decided_on", distinct="member_id")
    labels = dict(Discipline.Form.choices)
    out = {}
    for root, rows in forms.items():
        n = people[root].get((), 0)
        out[root] = Value(
            code,
            "Thi hành kỷ luật đảng viên",
            "đảng viên",
            n,
            {labels[k]: v for k, v in _flat(rows).items()},
            f"thi hành kỷ luật {fmt_int(n)} đảng viên vi phạm",
        )
    return out


@indicator("discipline.organizations", "Thi hành kỷ luật tổ chức đảng")
def discipline_orgs(ctx: Ctx, code: str) -> dict[int, Value]:
    from dangvu.work.models import Discipline

    qs = Discipline.objects.filter(organization__isnull=False)
    t = ctx.tally("discipline.organizations", qs, unit="organization_id", day="decided_on", by=("form",))
    labels = dict(Discipline.Form.choices)
    out = {}
    for root, rows in t.items():
        n = sum(rows.values())
        out[root] = Value(
            code,
            "Thi hành kỷ luật tổ chức đảng",
            "tổ chức",
            n,
            {labels[k]: v for k, v in _flat(rows).items()},
            f"thi hành kỷ luật {fmt_int(n)} tổ chức đảng",
        )
    return out


@indicator("inspections", "Kiểm tra, giám sát")
def inspections(ctx: Ctx, code: str) -> dict[int, Value]:
    from dangvu.work.models import Inspection

    t = ctx.tally("inspections", Inspection.objects.all(), unit="organization_id", day="started_on", by=("kind",))
    labels = dict(Inspection.Kind.choices)
    return _each(
        t,
        lambda kinds, n: Value(
            code,
            "Kiểm tra, giám sát",
            "cuộc",
            n,
            {labels[k]: v for k, v in kinds.items()},
            "; ".join(f"{labels[k].lower()} {fmt_int(v)} cuộc" for k, v in sorted(kinds.items())),
        ),
    )


@indicator("petitions", "Đơn thư tố cáo, khiếu nại")
def petitions(ctx: Ctx, code: str) -> dict[int, Value]:
    from django.db.models import Case, When
    from django.db.models import Value as V

    from dangvu.work.models import Petition

    qs = Petition.objects.annotate(done=Case(When(concluded_on__isnull=False, then=V(1)), default=V(0)))
    t = ctx.tally("petitions", qs, unit="organization_id", day="received_on", by=("done",))
    out = {}
    for root, rows in t.items():
        by = _flat(rows)
        n, done = sum(by.values()), by.get(1, 0)
        out[root] = Value(
            code,
            "Đơn thư tố cáo, khiếu nại",
            "đơn",
            n,
            {"đã kết luận": done},
            f"tiếp nhận {fmt_int(n)} đơn thư, đã giải quyết {fmt_int(done)}",
            done,
            n,
        )
    return out


@indicator("cadre_moves", "Điều động, luân chuyển, bổ nhiệm, bổ nhiệm lại")
def cadre_moves(ctx: Ctx, code: str) -> dict[int, Value]:
    from dangvu.work.models import CadreMove

    t = ctx.tally("cadre_moves", CadreMove.objects.all(), unit="organization_id", day="on", by=("kind",))
    labels = dict(CadreMove.Kind.choices)
    return _each(
        t,
        lambda kinds, n: Value(
            code,
            "Điều động, luân chuyển, bổ nhiệm, bổ nhiệm lại",
            "đồng chí",
            n,
            {labels[k]: v for k, v in kinds.items()},
            f"điều động, luân chuyển, bổ nhiệm, bổ nhiệm lại {fmt_int(n)} đồng chí",
        ),
    )


@indicator("training", "Lớp bồi dưỡng và lượt người dự")
def training(ctx: Ctx, code: str) -> dict[int, Value]:
    from dangvu.work.models import TrainingClass

    qs = TrainingClass.objects.all()
    classes = ctx.tally("training.classes", qs, unit="organization_id", day="started_on", by=("kind",))
    people = ctx.tally("training.people", qs, unit="organization_id", day="started_on", total="attendances")
    labels = dict(TrainingClass.Kind.choices)
    out = {}
    for root, rows in classes.items():
        kinds = _flat(rows)
        n, p = sum(kinds.values()), people[root].get((), 0)
        out[root] = Value(
            code,
            "Lớp bồi dưỡng",
            "lớp",
            n,
            {"lượt người dự": p, **{labels[k]: v for k, v in kinds.items()}},
            f"mở {fmt_int(n)} lớp bồi dưỡng với "
            + (fmt_thousands_approx(p) if p >= 1000 else fmt_int(p))
            + " lượt cán bộ tham dự",
        )
    return out


@indicator("study.participation", "Tỷ lệ đảng viên tham gia học tập, quán triệt nghị quyết")
def study(ctx: Ctx, code: str) -> dict[int, Value]:
    from dangvu.work.models import StudySession

    qs = StudySession.objects.all()
    part = ctx.tally("study.participants", qs, unit="organization_id", day="held_on", total="participants")
    expected = ctx.tally("study.expected", qs, unit="organization_id", day="held_on", total="expected")
    out = {}
    for root in ctx.roots:
        p, e = part[root].get((), 0), expected[root].get((), 0)
        share = Fraction(p, e) if e else Fraction(0)
        out[root] = Value(
            code,
            "Tham gia học tập nghị quyết",
            "%",
            share,
            sentence=f"tỷ lệ đảng viên tham gia học tập, quán triệt đạt {fmt_percent(share)}"
            if e
            else "chưa có buổi học tập, quán triệt nghị quyết nào được ghi nhận",
            numerator=p,
            denominator=e,
        )
    return out


@indicator("documents", "Văn bản ban hành")
def documents(ctx: Ctx, code: str) -> dict[int, Value]:
    """'ban hành 12 nghị quyết, 5 kết luận và 3 chỉ thị': the documents the committees of the subtree
    issued in the period, by type, in words as the reports write them (dangvu.domain.documents.counts_in_words)."""
    from dangvu.domain.documents import counts_in_words
    from dangvu.work.models import Document

    t = ctx.tally(
        "documents",
        Document.objects.filter(organization__isnull=False),
        unit="organization_id",
        day="issued_on",
        by=("type",),
    )
    return _each(
        t,
        lambda types, n: Value(
            code,
            "Văn bản ban hành",
            "văn bản",
            n,
            types,
            f"ban hành {counts_in_words(types)}" if n else "",
        ),
    )


# [I] A commendation belongs to a period when it was decided within it, and also when the year it honours lies
# wholly within the period: the titles for a year are decided at its review conference, often the next January
# (seed 001: the 2016 report lists the titles for 2016 decided on 12/1/2017), and a period covering that January
# finds them by their decision date too (issue 12, item 7). The year honoured is kept as a breakdown and said.
COMMENDATIONS_BY_HONOURED_YEAR = True


def _commendations(ctx: Ctx, whom: str) -> Tally:
    from dangvu.work.models import Commendation

    found = Q(decided_on__range=(ctx.start, ctx.end))
    own = _whole_years(ctx)
    if COMMENDATIONS_BY_HONOURED_YEAR and own:
        found |= Q(year__range=(own[0], own[-1]))
    qs = Commendation.objects.filter(found)
    # Scoped by where the organization (or the member's unit) stood when decided.
    if whom == "organizations":
        # Each organization named as what it was when decided (a commended chi bộ is not a "tổ chức cơ sở đảng").
        from dangvu.orgs.models import OrgVersion

        kind_then = OrgVersion.objects.filter(
            organization=OuterRef("organization_id"),
            valid_from__lte=OuterRef("decided_on"),
            valid_to__gt=OuterRef("decided_on"),
        ).values("kind")[:1]
        qs = qs.filter(organization__isnull=False).annotate(kind_then=Subquery(kind_then))
        return ctx.tally(
            "commendations.organizations",
            qs,
            unit="organization_id",
            day="decided_on",
            in_period=False,
            by=("title", "year", "kind_then"),
        )
    qs = qs.filter(member__isnull=False).annotate(unit=_unit_of_member("decided_on"))
    return ctx.tally("commendations.members", qs, unit="unit", day="decided_on", in_period=False, by=("title", "year"))


# How a sentence names commended organizations by their kind on the day decided: grassroots committees and
# branches together as the seeds write them (F13: "9 tổ chức cơ sở đảng đạt danh hiệu …"), the others as what
# they are.
COMMENDED_NOUNS: dict[str, str] = {
    "grassroots_committee": "tổ chức cơ sở đảng",
    "grassroots_branch": "tổ chức cơ sở đảng",
    "partial_committee": "đảng bộ bộ phận",
    "branch": "chi bộ trực thuộc",
}


def _whole_years(ctx: Ctx) -> list[int]:
    """The calendar years lying wholly within the period."""
    first = ctx.start.year if ctx.start == dt.date(ctx.start.year, 1, 1) else ctx.start.year + 1
    last = ctx.end.year if ctx.end == dt.date(ctx.end.year, 12, 31) else ctx.end.year - 1
    return list(range(first, last + 1))


def honoured(year: int) -> str:
    """The breakdown key of the year a commendation honours: 'vì thành tích năm 2013'."""
    return f"vì thành tích năm {year}"


def _titles_and_years(rows: dict[tuple[Any, ...], int]) -> tuple[dict[str, int], dict[int, int]]:
    titles: dict[str, int] = {}
    years: dict[int, int] = {}
    for (title, year, *_kind), n in rows.items():
        titles[title] = titles.get(title, 0) + n
        years[year] = years.get(year, 0) + n
    return titles, years


def _honoured_said(years: dict[int, int], own: list[int]) -> str:
    """' (vì thành tích năm 2013)', ' (vì thành tích các năm 2012, 2013)': the years honoured, said when one of
    them is not a whole year of the period (titles for 2013 decided in January 2014, in a report on 2014)."""
    ys = sorted(years)
    if not ys or set(ys) <= set(own):
        return ""
    return f" ({honoured(ys[0])})" if len(ys) == 1 else f" (vì thành tích các năm {', '.join(map(str, ys))})"


def _commendation_value(
    ctx: Ctx, code: str, label: str, unit: str, rows: dict[tuple[Any, ...], int], what: str
) -> Value:
    titles, years = _titles_and_years(rows)
    n = sum(titles.values())
    # "… 'Trong sạch vững mạnh tiêu biểu', 21 … 'Trong sạch vững mạnh'" (F13): the longer title first; organizations
    # by what they were (rows keyed (title, year, kind)), the grassroots first.
    said: dict[tuple[str, str], int] = {}
    for key, v in rows.items():
        who = COMMENDED_NOUNS.get(key[2], "tổ chức đảng") if len(key) > 2 else ""
        said[(who, key[0])] = said.get((who, key[0]), 0) + v
    order = {noun: i for i, noun in enumerate(dict.fromkeys(COMMENDED_NOUNS.values()))}
    parts = ", ".join(
        what.format(n=fmt_int(v), title=title, who=who)
        for (who, title), v in sorted(
            sorted(said.items(), key=lambda kv: kv[0][1], reverse=True), key=lambda kv: order.get(kv[0][0], 99)
        )
    )
    breakdown: dict[str, Any] = {**titles, **{honoured(y): v for y, v in sorted(years.items())}}
    return Value(
        code,
        label,
        unit,
        n,
        breakdown,
        f"khen thưởng {parts}{_honoured_said(years, _whole_years(ctx))}" if parts else "",
    )


@indicator("commendations", "Khen thưởng tổ chức đảng")
def commendations(ctx: Ctx, code: str) -> dict[int, Value]:
    return {
        root: _commendation_value(
            ctx, code, "Khen thưởng tổ chức đảng", "tổ chức", rows, "{n} {who} đạt danh hiệu “{title}”"
        )
        for root, rows in _commendations(ctx, "organizations").items()
    }


@indicator("commendations.members", "Khen thưởng đảng viên")
def commendations_members(ctx: Ctx, code: str) -> dict[int, Value]:
    return {
        root: _commendation_value(ctx, code, "Khen thưởng đảng viên", "đảng viên", rows, "{n} đảng viên “{title}”")
        for root, rows in _commendations(ctx, "members").items()
    }


@indicator("badges", "Trao tặng Huy hiệu Đảng")
def badges(ctx: Ctx, code: str) -> dict[int, Value]:
    from dangvu.work.models import BadgeAward

    qs = BadgeAward.objects.annotate(unit=_unit_of_member("awarded_on"))
    t = ctx.tally("badges", qs, unit="unit", day="awarded_on", by=("milestone",))
    return _each(
        t,
        lambda by, n: Value(
            code,
            "Huy hiệu Đảng",
            "huy hiệu",
            n,
            {f"{k} năm": v for k, v in sorted(by.items())},
            f"trao tặng {fmt_int(n)} Huy hiệu Đảng",
        ),
    )


def _review_share(members: bool) -> Fn:
    def fn(ctx: Ctx, code: str) -> dict[int, Value]:
        from dangvu.assessment.stats import review_stats_by_root

        # The review of the period's last year, with the subtrees as they stood on its 31/12.
        year = ctx.end.year
        stats = ctx.once(f"review.{year}", lambda: review_stats_by_root(ctx.roots, year))
        who = "đảng viên" if members else "tổ chức cơ sở đảng"
        out = {}
        for root, g in stats.items():
            grp = g["members"] if members else g["grassroots"]
            share = grp.share(grp.at_least(3))
            out[root] = Value(
                code,
                f"Tỷ lệ {who} hoàn thành tốt nhiệm vụ trở lên năm {year}",
                "%",
                share,
                sentence=f"tỷ lệ {who} hoàn thành tốt nhiệm vụ trở lên đạt {fmt_percent(share)}"
                if grp.rated
                else f"chưa có kết quả xếp loại {who} năm {year}",
                numerator=grp.at_least(3),
                denominator=grp.rated,
            )
        return out

    return fn


CATALOGUE["review.members_good_or_better"] = ("Tỷ lệ đảng viên HTT trở lên", _review_share(True))
CATALOGUE["review.grassroots_good_or_better"] = ("Tỷ lệ TCCSĐ HTT trở lên", _review_share(False))


@indicator("free", "Chỉ tiêu nhập tay")
def free(ctx: Ctx, code: str) -> dict[int, Value]:
    from dangvu.work.models import FreeIndicator

    # Entered by staff for the organization itself (F14: election turnout): not summed over a subtree.
    rows: dict[int, list[Any]] = {r: [] for r in ctx.roots}
    for r in FreeIndicator.objects.filter(
        organization_id__in=ctx.roots, period_end__range=(ctx.start, ctx.end)
    ).order_by("code"):
        rows[r.organization_id].append(r)
    return {
        root: Value(
            code,
            "Chỉ tiêu nhập tay",
            "",
            len(rs),
            {r.name: r.value for r in rs},
            "; ".join(f"{r.name.lower()} đạt {fmt_decimal(r.value, 2)}{r.unit}" for r in rs),
        )
        for root, rs in rows.items()
    }


@indicator("admissions.share_of_start", "Kết nạp so với số đảng viên đầu kỳ")
def admissions_share_of_start(ctx: Ctx, code: str) -> dict[int, Value]:
    """Admissions of the period as a share of the members on its first day: a resolution writes the target so
    ('kết nạp từ 3% trở lên so với số đảng viên đầu năm', issue 12). The members are tallied as a 'members.start'
    indicator tallies them (same key, same rows: computed once when both are asked for)."""
    start = _members_tally(ctx, ctx.start)
    out = {}
    for root, rows in _admission_tally(ctx).items():
        n, base = sum(rows.values()), sum(start.get(root, {}).values())
        share = Fraction(n, base) if base else Fraction(0)
        out[root] = Value(
            code,
            "Kết nạp so với số đảng viên đầu kỳ",
            "%",
            share,
            sentence=f"số đảng viên kết nạp bằng {fmt_percent(share)} số đảng viên đầu kỳ" if base else "",
            numerator=n,
            denominator=base,
        )
    return out


def compute_by_root(
    roots: list[Organization] | list[int], start: dt.date, end: dt.date, codes: list[str] | None = None
) -> dict[int, list[Value]]:
    """Every indicator (or those of `codes`) for each root, over the period: {root_id: [Value, …]} in catalogue
    order. One query per indicator whatever the number of roots (the whole country's provinces at once)."""
    ids = [r if isinstance(r, int) else r.pk for r in roots]
    ctx = Ctx(ids, start, end)
    per_code = [CATALOGUE[c][1](ctx, c) for c in (codes or list(CATALOGUE))]
    return {root: [values[root] for values in per_code] for root in ids}


def compute(root: Organization, start: dt.date, end: dt.date, codes: list[str] | None = None) -> list[Value]:
    return compute_by_root([root], start, end, codes)[root.pk]
