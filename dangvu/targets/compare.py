"""Indicators against plans and targets over any period: achievement and status as the reports print them.

The rules (which span each yardstick is judged on, when a verdict may be given) are in dangvu/domain/targets.py;
this module fetches the records they need: plans by year, targets by term, the term's total so far, each year's
figure for yearly targets and plans, and the figure a ratio target divides by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q

from dangvu.dbrouting import heavy_reads
from dangvu.domain.reports.phrasing import bound_text
from dangvu.domain.targets import (
    STATUS_LABELS,
    Bound,
    PlanJudgement,
    PlanYear,
    Status,
    Term,
    TermJudgement,
    judge_term,
    over_years,
    plan_years,
    ratio,
)
from dangvu.domain.vietnamese import fmt_percent
from dangvu.orgs.models import Organization

from .indicators import CATALOGUE, Value, compute_by_root
from .models import Plan, Target, TermProgramme

# How a resolution names the figure a ratio target divides by ("so với số đảng viên đầu năm"), by the target's
# span; otherwise the indicator's label.
OF_WORDS: dict[str, dict[str, str]] = {
    "members.start": {
        Target.Per.YEAR: "số đảng viên đầu năm",
        Target.Per.TERM: "số đảng viên đầu nhiệm kỳ",
    },
    "members.end": {
        Target.Per.YEAR: "số đảng viên cuối năm",
        Target.Per.TERM: "số đảng viên cuối nhiệm kỳ",
    },
}
RESOLUTION = "Nghị quyết Đại hội đề ra"  # how a target is named when its title is blank (seed 002, F15/F16)

Window = tuple[dt.date, dt.date]


@dataclass
class Compared:
    value: Value
    plan: Decimal | None = None  # the plans of the years the period covers, summed
    achievement: Fraction | None = None  # value over those years / plan
    plan_years: tuple[PlanYear, ...] = ()
    plan_status: str | None = None
    target: Target | None = None
    status: str | None = None  # the target's status, else the plan's; "in_progress" is never a verdict
    # A term target: its judgement on the term's total so far (achievement so far while the term runs).
    term: TermJudgement | None = None
    # A ratio target: the figure as a share of the one it is held against, over the period.
    share: Fraction | None = None
    sentence: str = ""
    # What the sentence adds in brackets, in order (the plan's achievement, the target's status), for a builder
    # that words the figure itself ("Từ năm 2015 đến nay, … đã kết nạp được 45 đảng viên (…)").
    notes: list[str] = field(default_factory=list)
    # A yearly target over a period of several years: each year's value and status (the status above combines
    # them, domain.targets.over_years).
    by_year: dict[int, tuple[Value, str]] = field(default_factory=dict)

    @property
    def progress(self) -> Fraction | None:
        return self.term.achievement if self.term else None

    def as_json(self) -> dict[str, Any]:
        out = self.value.as_json()
        out.update(
            {
                "plan": float(self.plan) if self.plan is not None else None,
                "achievement": float(self.achievement) if self.achievement is not None else None,
                "plan_years": [
                    {"year": y.year, "plan": float(y.plan), "actual": y.actual, "partial": y.partial}
                    for y in self.plan_years
                ],
                "plan_status": self.plan_status,
                "target": {
                    "op": self.target.op,
                    "value": float(self.target.value),
                    "per": self.target.per,
                    "of": self.target.of_indicator or None,
                    "title": self.target.title,
                }
                if self.target
                else None,
                "status": self.status,
                "term": {
                    "total": float(self.term.total),
                    "achievement": float(self.term.achievement) if self.term.achievement is not None else None,
                    "final": self.term.final,
                }
                if self.term
                else None,
                "share": float(self.share) if self.share is not None else None,
                "by_year": {
                    str(y): {"value": v.as_json()["value"], "status": st} for y, (v, st) in self.by_year.items()
                },
                "sentence": self.sentence,
            }
        )
        return out


@dataclass
class _Inputs:
    """What one pass fetched for all roots: the period's values, each year's, each term window's."""

    start: dt.date
    end: dt.date
    period: dict[int, dict[str, Value]]
    yearly: dict[int, dict[int, dict[str, Value]]]  # root → year → code → value (the year cut to the period)
    windows: dict[Window, dict[int, dict[str, Value]]]  # term window → root → code → value
    plans: dict[int, dict[str, dict[int, tuple[Decimal, str]]]]  # root → code → year → (value, wording)
    targets: dict[int, dict[str, tuple[Target, Term]]]


@heavy_reads()  # indicators over a subtree: the replica when there is one (dangvu/dbrouting.py)
def compare_by_root(
    roots: list[Organization], start: dt.date, end: dt.date, codes: list[str] | None = None
) -> dict[int, list[Compared]]:
    """compare() for each root at once: the catalogue's queries once for all roots (plus one pass per year for
    yearly targets and plans over several years, and one per term window for term targets), plans and targets in
    one query each."""
    ids = [r.pk for r in roots]
    values = compute_by_root(ids, start, end, codes)
    plans: dict[int, dict[str, dict[int, tuple[Decimal, str]]]] = {r: {} for r in ids}
    for row in Plan.objects.filter(organization_id__in=ids, year__range=(start.year, end.year)).values(
        "organization_id", "indicator", "year", "value", "wording"
    ):
        plans[row["organization_id"]].setdefault(row["indicator"], {})[row["year"]] = (row["value"], row["wording"])
    targets = _targets(ids, start, end)
    wanted = set(codes or CATALOGUE)
    # The figures a ratio divides by, over the same spans as the figure.
    extra = {t.of_indicator for ts in targets.values() for t, _ in ts.values() if t.of_indicator in CATALOGUE}
    period = {r: {v.code: v for v in vs} for r, vs in values.items()}
    missing = sorted(extra - set(period[ids[0]])) if ids else []
    if missing:
        for r, vs in compute_by_root(ids, start, end, missing).items():
            period[r].update({v.code: v for v in vs})
    inputs = _Inputs(
        start,
        end,
        period,
        _yearly(ids, start, end, plans, targets, wanted, extra),
        _windows(ids, start, end, targets, wanted, extra),
        plans,
        targets,
    )
    return {root: [_compared(root, v, inputs) for v in values[root]] for root in ids}


def compare(root: Organization, start: dt.date, end: dt.date, codes: list[str] | None = None) -> list[Compared]:
    return compare_by_root([root], start, end, codes)[root.pk]


def _targets(ids: list[int], start: dt.date, end: dt.date) -> dict[int, dict[str, tuple[Target, Term]]]:
    """Each root's target per indicator, with its term. A term target belongs to its programme's term (dated by
    the congresses when recorded); of two targets over the period (2010–2015 and 2015–2020 both name 2015) the
    one whose term holds the period's end wins, so a report cites its own term's target."""
    dated = {
        (p.organization_id, p.first_year, p.last_year): p.as_term()
        for p in TermProgramme.objects.filter(organization_id__in=ids, congress_on__isnull=False)
    }
    out: dict[int, dict[str, tuple[Target, Term]]] = {r: {} for r in ids}
    best: dict[tuple[int, str], tuple[tuple[bool, int], Target, Term]] = {}
    qs = Target.objects.filter(organization_id__in=ids, first_year__lte=end.year, last_year__gte=start.year)
    for t in qs.filter(~Q(indicator="")).select_related("programme"):
        if t.programme is not None:
            term = t.programme.as_term()
        else:
            term = dated.get((t.organization_id, t.first_year, t.last_year)) or Term(t.first_year, t.last_year)
        if t.per == Target.Per.TERM and not (term.start < end and term.end > start):
            # A term target of a term the period does not reach, or only on the congress day both terms name
            # (a report on 2010–2015 ends on the day the 2015–2020 congress opens the next term).
            continue
        rank = (term.contains(end), t.first_year)
        key = (t.organization_id, t.indicator)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, t, term)
    for (root, code), (_rank, t, term) in best.items():
        out[root][code] = (t, term)
    return out


def _yearly(
    ids: list[int],
    start: dt.date,
    end: dt.date,
    plans: dict[int, dict[str, dict[int, tuple[Decimal, str]]]],
    targets: dict[int, dict[str, tuple[Target, Term]]],
    wanted: set[str],
    extra: set[str],
) -> dict[int, dict[int, dict[str, Value]]]:
    """For a period of several years, each calendar year's figure (cut to the period) for the indicators with a
    yearly target or a plan, and what their ratios divide by: one pass of those indicators per year, all roots."""
    codes = {c for ps in plans.values() for c in ps} | {
        c for ts in targets.values() for c, (t, _) in ts.items() if t.per == Target.Per.YEAR
    }
    codes = (codes & wanted) | {
        t.of_indicator for ts in targets.values() for t, _ in ts.values() if t.per == Target.Per.YEAR
    } & extra
    if not codes or start.year == end.year:
        return {}
    out: dict[int, dict[int, dict[str, Value]]] = {r: {} for r in ids}
    for year in range(start.year, end.year + 1):
        got = compute_by_root(ids, max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31)), sorted(codes))
        for root, vs in got.items():
            out[root][year] = {v.code: v for v in vs}
    return out


def _window(term: Term, start: dt.date, end: dt.date) -> Window:
    """A term target's span: from the congress to the period's end, not past the term's end."""
    return term.start, min(term.end, end)


def _windows(
    ids: list[int],
    start: dt.date,
    end: dt.date,
    targets: dict[int, dict[str, tuple[Target, Term]]],
    wanted: set[str],
    extra: set[str],
) -> dict[Window, dict[int, dict[str, Value]]]:
    """The term's total so far for each term target (from the congress, not from the period's start: an annual
    report gives the progress of the whole term), one pass per distinct window."""
    need: dict[Window, set[str]] = {}
    for ts in targets.values():
        for code, (t, term) in ts.items():
            if t.per == Target.Per.TERM and code in wanted:
                w = _window(term, start, end)
                if w != (start, end):
                    need.setdefault(w, set()).add(code)
                    if t.of_indicator in extra:
                        need[w].add(t.of_indicator)
    return {
        w: {r: {v.code: v for v in vs} for r, vs in compute_by_root(ids, w[0], w[1], sorted(cs)).items()}
        for w, cs in need.items()
    }


def _compared(rid: int, v: Value, inp: _Inputs) -> Compared:
    c = Compared(v, sentence=v.sentence)
    _plan(c, rid, inp)
    hit = inp.targets[rid].get(v.code)
    if hit is None:
        c.status = c.plan_status
        return c
    t, term = hit
    c.target = t
    if t.per == Target.Per.TERM:
        _term_target(c, rid, t, term, inp)
    else:
        _yearly_target(c, rid, t, inp)
    if c.status is None:
        c.status = c.plan_status
    return c


def _plan(c: Compared, rid: int, inp: _Inputs) -> None:
    """A plan compared only over the years it is recorded for, the partial years said (domain.targets.PlanJudgement)."""
    v = c.value
    by_year = inp.plans[rid].get(v.code)
    if not by_year or not isinstance(v.value, int):
        return
    if inp.start.year == inp.end.year:
        actual = {inp.start.year: v.value}
    else:
        actual = {y: int(vs[v.code].value) for y, vs in inp.yearly.get(rid, {}).items() if v.code in vs}
    years = plan_years({y: p for y, (p, _w) in by_year.items()}, actual, inp.start, inp.end)
    if not years:
        return
    wording = by_year[years[0].year][1]
    j = PlanJudgement(years, wording)
    c.plan_years = years
    c.plan = sum((Decimal(str(y.plan)) for y in years), Decimal(0))
    c.achievement = j.achievement
    c.plan_status = j.status
    _note(c, j.sentence(period_is_one_year=inp.start.year == inp.end.year))


def _note(c: Compared, note: str) -> None:
    """The notes in one bracket: 'kết nạp 10 đảng viên mới (đạt 100% kế hoạch; sau 2,5 năm, đạt 47% chỉ tiêu
    nhiệm kỳ)'."""
    c.notes.append(note)
    c.sentence = f"{c.value.sentence} ({'; '.join(c.notes)})"


def _of_words(t: Target) -> str:
    words = OF_WORDS.get(t.of_indicator, {}).get(t.per)
    if words:
        return words
    label = CATALOGUE[t.of_indicator][0] if t.of_indicator in CATALOGUE else t.of_indicator
    return label[:1].lower() + label[1:]


def _judged(t: Target, v: Value, of: Value | None) -> Fraction | int | Decimal | None:
    """What the bound is held against: the figure, or its share of the figure a ratio target names; None when
    there is nothing to judge (a share with nothing to divide)."""
    if t.of_indicator:
        return ratio(v.value, of.value) if of is not None else None
    if v.unit == "%" and v.denominator == 0:
        return None
    return v.value


def _bound_said(t: Target, unit: str) -> str:
    """'≥ 95%', '≥ 100', 'từ 3% trở lên so với số đảng viên đầu năm'."""
    b = Bound(t.op, t.value)
    if t.of_indicator:
        return bound_text(t.op, t.value, "%", relative_to=_of_words(t))
    return b.printed(unit)


def _term_target(c: Compared, rid: int, t: Target, term: Term, inp: _Inputs) -> None:
    """A term target: the term's total from the congress; a verdict only when the period reaches the term's end,
    otherwise the achievement so far ("sau 2,5 năm, đạt 45% chỉ tiêu nhiệm kỳ")."""
    v = c.value
    w = _window(term, inp.start, inp.end)
    got = inp.period[rid] if w == (inp.start, inp.end) else inp.windows.get(w, {}).get(rid, {})
    total, of = got.get(v.code), got.get(t.of_indicator) if t.of_indicator else None
    if total is None:
        return
    judged = _judged(t, total, of)
    if judged is None:
        return
    unit = "%" if t.of_indicator else v.unit
    j = judge_term(Bound(t.op, t.value), judged, term=term, through=inp.end, unit=unit)
    c.term, c.status = j, j.status
    if t.of_indicator:
        c.share = Fraction(judged)
    parts = []
    if w != (inp.start, inp.end):
        parts.append(f"từ đầu nhiệm kỳ: {total.printed()} {v.unit}".rstrip())
    if t.of_indicator:
        parts.append(f"bằng {fmt_percent(judged)} {_of_words(t)}")
    said = j.sentence()
    if j.final and j.status != Status.MET:
        said += f" {t.title or RESOLUTION}"
    parts.append(f"{said}: {_bound_said(t, unit)}" if j.final else said)
    _note(c, "; ".join(parts))


def _yearly_target(c: Compared, rid: int, t: Target, inp: _Inputs) -> None:
    """A yearly target, year by year over a period of several years (domain.targets.over_years); over one year,
    that year. A count over a year the period covers only in part is not judged (a yearly bound on half a year);
    a share is the year's review and stays. A year with nothing to judge is left out, never printed as '—'
    beside a verdict."""
    v = c.value
    bound = Bound(t.op, t.value)
    unit = "%" if t.of_indicator else v.unit
    share = ""
    years: dict[int, tuple[Value, Fraction | int | Decimal]] = {}
    for y, vs in sorted(inp.yearly.get(rid, {}).items()):
        yv = vs.get(v.code)
        partial = dt.date(y, 1, 1) < inp.start or dt.date(y, 12, 31) > inp.end
        if yv is None or not t.first_year <= y <= t.last_year or (partial and v.unit != "%"):
            continue
        judged = _judged(t, yv, vs.get(t.of_indicator))
        if judged is not None:
            years[y] = (yv, judged)
    if years:
        # A yearly target ("≥ 95% mỗi năm", "≥ 180 a year") is met year by year, not by the period's total.
        c.by_year = {y: (yv, bound.status(j)) for y, (yv, j) in years.items()}
        c.status = over_years([Status(st) for _, st in c.by_year.values()])
        each = ", ".join(
            f"năm {y}: {fmt_percent(j) if t.of_indicator else yv.printed()}" for y, (yv, j) in years.items()
        )
        shown = f"{_bound_said(t, unit)} {t.get_per_display()}; {each}"
    elif inp.yearly.get(rid):
        return  # several years, none judged: no verdict
    else:
        judged = _judged(t, v, inp.period[rid].get(t.of_indicator))
        if judged is None:
            return
        status = bound.status(judged)
        # A count over a year not yet over is not missed yet (only a ceiling already passed is).
        if inp.end < dt.date(inp.end.year, 12, 31) and unit != "%" and status == Status.MISSED and t.op != "<=":
            status = Status.IN_PROGRESS
        c.status = status
        if t.of_indicator:
            c.share = Fraction(judged)
        shown = _bound_said(t, unit)
        if t.of_indicator:
            share = f"bằng {fmt_percent(judged)} {_of_words(t)}; "
    if c.status == Status.IN_PROGRESS:
        _note(c, f"{share}chỉ tiêu {t.title or RESOLUTION}: {shown}; năm {inp.end.year} chưa kết thúc")
    else:
        _note(c, f"{share}{STATUS_LABELS[Status(c.status)]} {t.title or RESOLUTION}: {shown}")


__all__ = ["Compared", "compare", "compare_by_root"]
