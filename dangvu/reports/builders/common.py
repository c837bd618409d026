"""What every builder shares: the root as it stood, the HD 36 header, review figures and indicator figures.

Figures come from the existing computations (assessment.stats, targets.indicators/compare, work.proposals);
nothing here decides a rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from dangvu.assessment.models import Result
from dangvu.assessment.stats import member_streaks, review_stats
from dangvu.domain.assessment.figures import COMPARISON_COVERAGE, GroupStats, sentences, top_label
from dangvu.domain.assessment.levels import NEW_LABELS, OLD_ORG_LABELS
from dangvu.domain.assessment.regimes import regime_for_year
from dangvu.domain.errors import RuleError
from dangvu.domain.reports.header import (
    AUTHORITY_BY_KIND,
    MAX_LEVELS,
    Header,
    committee_name,
    committee_word,
    default_recipients,
    issuer_code,
    place_of,
    signer_of,
    upper,
)
from dangvu.domain.reports.model import Chart, Figure, Report, Section, Table
from dangvu.domain.reports.periods import Period
from dangvu.domain.reports.phrasing import (
    SEED_PHRASEBOOK,
    Phrasebook,
    change_count,
    change_share,
    phrase,
    quotes,
    streak_sentence,
)
from dangvu.domain.targets import Bound
from dangvu.domain.vietnamese import fmt_date, fmt_fraction, fmt_int, fmt_number, fmt_percent
from dangvu.orgs.models import Organization, OrgVersion, valid_on
from dangvu.targets.compare import Compared, compare
from dangvu.targets.indicators import Value, compute
from dangvu.targets.terms import term_on

Progress = Callable[[int, str], None]
STREAK_YEARS = 5  # HD 21: members HTXS and organizations tiêu biểu "5 năm liền" [V]
# Figures the text compares with the previous period (admissions come from admissions_by_year, one query).
COMPARED_WITH_PREVIOUS = ("discipline.members",)
TREND_YEARS = 5  # years shown in an annual report's trend tables and charts [I]


@dataclass
class Ctx:
    root: Organization
    version: OrgVersion  # the root as it stood at the end of the period
    period: Period
    issued_on: dt.date
    progress: Progress

    @property
    def name(self) -> str:
        return self.version.name

    @property
    def committee(self) -> str:
        return committee_name(self.version.name)

    @property
    def whole(self) -> str:
        """'toàn quận', 'toàn huyện', 'toàn Đảng bộ' as the seeds write it."""
        low = self.version.name.lower()
        for word in ("quận", "huyện", "tỉnh", "thành phố", "thị xã", "phường", "xã"):
            if low.startswith(f"đảng bộ {word}"):
                return f"toàn {word}"
        return "toàn Đảng bộ"


def root_of(root: Organization | str) -> Organization:
    if isinstance(root, Organization):
        return root
    try:
        return Organization.objects.get(code=root)
    except Organization.DoesNotExist:
        raise RuleError(f"Không có tổ chức đảng mã '{root}'.", field="root") from None


def version_at(org: Organization, day: dt.date) -> OrgVersion:
    """The root as it stood on the day, else its last version before it (a district ended in 2025 reports on
    2024 under its own name)."""
    v = (
        org.versions.filter(valid_on(day)).first()
        or org.versions.filter(valid_from__lte=day).order_by("-valid_from").first()
    )
    if v is None:
        raise RuleError(f"Tổ chức '{org.code}' chưa được thành lập vào ngày {fmt_date(day)}.", field="root")
    return v


def header_for(ctx: Ctx, *, doc_type: str = "BC") -> Header:
    """The HD 36 header on the report's date: the place from the committees above (place_of), the signer from the
    committee's posts held that day (signer_of)."""
    from dangvu.work.models import Post

    v = ctx.version
    day = ctx.issued_on
    above: list[OrgVersion] = []
    up = v
    while up.parent_id and up.parent is not None and len(above) < MAX_LEVELS:
        up = version_at(up.parent, ctx.period.end)
        above.append(up)
    parent = above[0] if above else None
    holders = (
        Post.objects.filter(
            organization=ctx.root,
            title__in=[Post.Title.SECRETARY, Post.Title.DEPUTY_SECRETARY],
            started_on__lte=day,
        )
        .exclude(ended_on__lt=day)
        .select_related("member")
        .order_by("started_on", "pk")
    )
    signer_title, signer_name = signer_of([(p.title, p.member.full_name) for p in holders])
    return Header(
        superior=upper(parent.name) if parent else "",
        issuer=upper(committee_name(v.name)),
        code=issuer_code(v.name),
        number=None,
        doc_type=doc_type,
        # Numbers restart each committee term (HD 36): the term of the recorded congresses, else the 5-year rule.
        term=term_on(ctx.root, ctx.issued_on).term.label,
        place=place_of(v.name, kind=v.kind, above=[(a.name, a.kind) for a in above]),
        issued_on=ctx.issued_on,
        authority=AUTHORITY_BY_KIND.get(v.kind, "T/M BAN THƯỜNG VỤ"),
        signer_title=signer_title,
        signer_name=signer_name,
        recipients=default_recipients(committee_name(parent.name) if parent else ""),
    )


def new_report(ctx: Ctx, kind: str, subject: str, stem: str) -> Report:
    return Report(
        kind=kind,
        title=subject,
        subject=subject,
        period=ctx.period,
        header=header_for(ctx),
        root_code=ctx.root.code,
        root_name=ctx.name,
        file_stem=f"{ctx.root.code}-{stem}",
    )


# ---- review figures ------------------------------------------------------------------------------------------


def old_scheme(year: int) -> bool:
    return regime_for_year(year).old_scheme


def review_sentences(groups: dict[str, GroupStats], year: int, book: Phrasebook = SEED_PHRASEBOOK) -> list[str]:
    """The review's clauses, the grassroots top level said once in the phrasebook's form."""
    g = groups.get("grassroots")
    spec = book.for_code(f"review.{year}.grassroots.top_sentence").with_noun("tổ chức cơ sở đảng")
    top_said = phrase(g.at_rank(4), g.rated, spec) if g and g.rated else None
    return [quotes(s) for s in sentences(groups, year=year, old_scheme=old_scheme(year), top_said=top_said)]


def review_figures(
    rep: Report, root: Organization, year: int, *, with_previous: bool = True, book: Phrasebook = SEED_PHRASEBOOK
) -> dict[str, GroupStats]:
    """The review's figures for the year (F1–F4, F9, F15, F16 figure kinds), compared with the year before; each
    printed in the form the phrasebook chooses for it (the seeds' by default: 'trên 71%', '78/333', '41,07%')."""
    g = review_stats(root, year)
    prev = review_stats(root, year - 1) if with_previous else None
    if prev is not None and not comparable(prev):
        prev = None  # too few results the year before: no comparison (comparison_note says why)
    than = f"năm {year - 1}"
    label = top_label(old_scheme(year))

    def share_fig(code: str, grp: str, count: int, what: str, prev_count: int | None) -> None:
        s = g[grp]
        share = s.share(count)
        before = prev[grp].share(prev_count) if prev and prev[grp].rated and prev_count is not None else None
        rep.add(
            Figure(
                code=f"review.{year}.{code}",
                label=what,
                value=share,
                unit="%",
                numerator=count,
                denominator=s.rated,
                printed=phrase(count, s.rated, book.for_code(f"review.{year}.{code}")),
                year=year,
                previous=before,
                change=change_share(share, before, than=than, places=book.point_places) if before is not None else "",
            )
        )

    for grp, who in (("grassroots", "tổ chức cơ sở đảng"), ("branches", "chi bộ trực thuộc"), ("members", "đảng viên")):
        s = g[grp]
        if not s.rated:
            continue
        p = prev[grp] if prev else None
        share_fig(
            f"{grp}.top",
            grp,
            s.at_rank(4),
            f"{who.capitalize()} đạt “{label}”" if grp != "members" else "Đảng viên hoàn thành xuất sắc nhiệm vụ",
            p.at_rank(4) if p else None,
        )
        share_fig(
            f"{grp}.good_or_better",
            grp,
            s.at_least(3),
            f"{who.capitalize()} hoàn thành tốt nhiệm vụ trở lên",
            p.at_least(3) if p else None,
        )
    m = g["members"]
    if m.rated:
        f = rep.figure(f"review.{year}.members.good_or_better")
        f.sentence = f"{f.printed} đảng viên hoàn thành xuất sắc nhiệm vụ và hoàn thành tốt nhiệm vụ"
    gr = g["grassroots"]
    if gr.rated:
        f = rep.figure(f"review.{year}.grassroots.top")
        f.sentence = f"có {f.printed} tổ chức cơ sở đảng đạt “{label}”"
        rep.add(
            Figure(
                f"review.{year}.grassroots.top_count",
                f"TCCSĐ đạt “{label}”",
                gr.at_rank(4),
                "tổ chức",
                gr.at_rank(4),
                gr.rated,
                fmt_fraction(gr.at_rank(4), gr.rated),
                year=year,
            )
        )
        rep.add(
            Figure(
                f"review.{year}.grassroots.exemplary",
                f"TCCSĐ “{label}” tiêu biểu",
                gr.exemplary,
                "tổ chức",
                gr.exemplary,
                gr.at_rank(4),
                fmt_int(gr.exemplary),
                year=year,
            )
        )
    b = g["branches"]
    if b.rated:
        f = rep.figure(f"review.{year}.branches.top")
        f.sentence = f"{f.printed} chi bộ trực thuộc đạt “{label}”"
    ex = gr.exemplary + b.exemplary
    if ex:
        rep.add(
            Figure(
                f"review.{year}.exemplary",
                "Tập thể tiêu biểu",
                ex,
                "tập thể",
                printed=fmt_int(ex),
                sentence=f"{fmt_int(ex)} tập thể đạt “{label}” tiêu biểu năm {year}",
                year=year,
            )
        )
    return g


def units(g: dict[str, GroupStats]) -> GroupStats:
    """Grassroots organizations and branches together: the units whose results a year's comparison rests on."""
    a, b = g["grassroots"], g["branches"]
    out = GroupStats(rated=a.rated + b.rated, pending=a.pending + b.pending)
    for src in (a, b):
        for k, n in src.not_rated.items():
            out.not_rated[k] = out.not_rated.get(k, 0) + n
    return out


def comparable(g: dict[str, GroupStats], threshold: Fraction = COMPARISON_COVERAGE) -> bool:
    """A year's review may be compared with: enough of its units had a result (figures.COMPARISON_COVERAGE [I])."""
    return units(g).covered(threshold)


def comparison_note(prev: dict[str, GroupStats], prev_year: int) -> str:
    """Why a year is not compared with the one before ('năm 2012 mới có 6/60 tổ chức đảng có kết quả đánh giá,
    xếp loại nên không so sánh với năm 2012'), or how many units the comparison covers; "" when the year before
    had no review at all."""
    u = units(prev)
    if not u.in_scope:
        return ""
    if not u.with_result:
        return f"năm {prev_year} chưa có kết quả đánh giá, xếp loại trong hồ sơ nên không so sánh với năm {prev_year}"
    printed = f"{fmt_fraction(u.with_result, u.in_scope)} tổ chức đảng có kết quả đánh giá, xếp loại"
    if not u.covered():
        return f"năm {prev_year} mới có {printed} nên không so sánh với năm {prev_year}"
    return f"năm {prev_year} có {printed}"


def streak_figure(rep: Report, root: Organization, year: int, length: int = STREAK_YEARS) -> Figure:
    ids = member_streaks(root, year, length)
    return rep.add(
        Figure(
            f"review.{year}.members.streak{length}",
            f"Đảng viên HTXS {length} năm liền",
            len(ids),
            "đảng viên",
            printed=fmt_int(len(ids)),
            sentence=streak_sentence(len(ids), length, year),
            year=year,
        )
    )


def own_rating_sentence(root: Organization, year: int) -> str:
    """F19: 'năm 2023 được Thành ủy đánh giá, xếp loại hoàn thành xuất sắc nhiệm vụ' — the root's own result,
    decided by the level above."""
    res = (
        Result.objects.filter(organization=root, year=year).exclude(level="").select_related("cycle__committee").first()
    )
    if res is None:
        return ""
    by = committee_word(version_at(res.cycle.committee, dt.date(year, 12, 31)).name)
    label = {**NEW_LABELS, **OLD_ORG_LABELS}[res.level]
    printed = f"“{label}”" if res.level == "clean_strong" else label.lower()
    return f"năm {year} được {by} đánh giá, xếp loại {printed}"


LEVEL_COLUMNS_NEW = ["excellent", "good", "satisfactory", "failed"]
LEVEL_COLUMNS_OLD_ORGS = ["clean_strong", "good", "satisfactory", "weak"]
SHORT_HEAD = {
    "excellent": "HTXS",
    "good": "HTT",
    "satisfactory": "HTNV",
    "failed": "KHTNV",
    "clean_strong": "TSVM",
    "weak": "Yếu kém",
}


def level_table(
    code: str, title: str, by_year: dict[int, dict[str, GroupStats]], groups: list[tuple[str, str]]
) -> Table:
    """Per year and group: number assessed, number and share at each level, not rated (badges_forms_reports §3)."""
    rows: list[list[object]] = []
    for year, g in sorted(by_year.items()):
        old = old_scheme(year)
        for grp, label in groups:
            s = g[grp]
            if not s.rated and not s.not_rated:
                continue
            cols = LEVEL_COLUMNS_OLD_ORGS if old and grp != "members" else LEVEL_COLUMNS_NEW
            counts = [s.levels.get(lv, 0) for lv in cols]
            row: list[object] = [year, label, s.rated]
            for n in counts:
                row += [n, Fraction(n, s.rated) if s.rated else Fraction(0)]
            row += [s.exemplary, sum(s.not_rated.values())]
            rows.append(row)
    columns = ["Năm", "Đối tượng", "Số được xếp loại"]
    for lv in ("HTXS/TSVM", "HTT", "HTNV", "KHTNV/Yếu kém"):
        columns += [lv, f"{lv} %"]
    columns += ["Tiêu biểu", "Không xếp loại"]
    return Table(code, title, columns, rows, percent_columns=frozenset({4, 6, 8, 10}))


def levels_chart(code: str, by_year: dict[int, dict[str, GroupStats]], grp: str, who: str) -> Chart | None:
    years = [y for y, g in sorted(by_year.items()) if g[grp].rated]
    if not years:
        return None
    series: dict[str, list[float]] = {
        "Mức cao nhất": [],
        "Hoàn thành tốt": [],
        "Hoàn thành": [],
        "Không hoàn thành": [],
    }
    for y in years:
        s = by_year[y][grp]
        for rank, name in zip((4, 3, 2, 1), series, strict=True):
            series[name].append(float(s.share(s.at_rank(rank)) * 100))
    return Chart(
        code,
        f"Xếp loại chất lượng {who} theo năm (%)",
        [str(y) for y in years],
        series,
        "%",
        stacked=True,
        percent=True,
    )


# ---- indicators ----------------------------------------------------------------------------------------------


def indicator_figures(
    rep: Report,
    root: Organization,
    start: dt.date,
    end: dt.date,
    *,
    tag: str,
    previous: tuple[dt.date, dt.date] | None,
    than: str = "",
    previous_counts: dict[str, int] | None = None,
) -> dict[str, Compared]:
    """The indicator catalogue for the period, against plans and targets (targets.compare), each as a figure."""
    got = {c.value.code: c for c in compare(root, start, end)}
    # The previous period: only the figures the text compares (a full second pass doubles the time).
    before = (
        {v.code: Compared(v) for v in compute(root, previous[0], previous[1], list(COMPARED_WITH_PREVIOUS))}
        if previous
        else {}
    )
    for code, n in (previous_counts or {}).items():
        before[code] = Compared(Value(code, "", "", n))
    for code in [k for k, c in got.items() if c.value.unit == "%" and c.value.denominator == 0]:
        del got[code]  # a share with nothing to share (no results that year): no figure, no verdict
    for code, c in got.items():
        v = c.value
        prev = before.get(code)
        pv = prev.value.value if prev else None
        change = ""
        if isinstance(v.value, int) and isinstance(pv, int) and v.unit != "":
            change = change_count(v.value, pv, than=than)
        elif isinstance(v.value, Fraction) and isinstance(pv, Fraction) and prev and prev.value.denominator:
            change = change_share(v.value, pv, than=than)
        rep.add(
            Figure(
                code=f"{tag}.{code}",
                label=v.label,
                value=v.value,
                unit=v.unit,
                numerator=v.numerator if v.numerator is not None else (v.value if isinstance(v.value, int) else None),
                denominator=v.denominator if v.denominator is not None else (int(c.plan) if c.plan else None),
                printed=fmt_percent(v.value) if v.unit == "%" else fmt_number(v.value),
                sentence=c.sentence,
                previous=pv,
                change=change,
                plan=c.plan,
                achievement=c.achievement,
                target=Bound(c.target.op, c.target.value).printed(v.unit) if c.target else "",
                status=c.status
                or (
                    "exceeded"
                    if c.achievement and c.achievement > 1
                    else "met"
                    if c.achievement == 1
                    else "missed"
                    if c.achievement is not None
                    else ""
                ),
            )
        )
    return got


def indicator_table(code: str, title: str, figures: list[Figure]) -> Table:
    from dangvu.domain.targets import STATUS_LABELS, Status

    rows: list[list[object]] = []
    for f in figures:
        if isinstance(f.value, Fraction):
            value: object = f.value
        else:
            value = f.value
        rows.append(
            [
                f.label,
                f.unit,
                value,
                f.previous if f.previous is not None else None,
                f.plan if f.plan is not None else None,
                f.achievement if f.achievement is not None else None,
                f.target or None,
                STATUS_LABELS[Status(f.status)] if f.status else None,
            ]
        )
    return Table(
        code,
        title,
        ["Chỉ số", "Đơn vị", "Kết quả", "Kỳ trước", "Kế hoạch", "Đạt (% kế hoạch)", "Chỉ tiêu", "Đánh giá"],
        rows,
        percent_columns=frozenset({5}),
    )


def section(title: str, level: int = 1) -> Section:
    return Section(title, level=level)


def org_results_table(root: Organization, year: int) -> Table:
    """Per grassroots organization: its own result and its members' levels (the XLSX appendix's 'per
    organization' table). Two grouped queries over the year's results, whatever the size."""
    from django.db.models import Count

    from dangvu.domain.assessment.levels import NOT_RATED_LABELS, SHORT
    from dangvu.domain.orgtree import GRASSROOTS
    from dangvu.orgs.models import OrgAncestry

    on = dt.date(year, 12, 31)
    scope = OrgAncestry.objects.on(on).filter(ancestor=root).values("organization_id")
    own = {
        oid: (kind, level, nr, ex)
        for oid, kind, level, nr, ex in Result.objects.filter(
            year=year, organization_id__in=scope, unit_kind__in=list(GRASSROOTS)
        ).values_list("organization_id", "unit_kind", "level", "not_rated", "exemplary")
    }
    members: dict[int, dict[str, int]] = {}
    for gid, level, _nr, n in (
        Result.objects.filter(year=year, member__isnull=False, grassroots_id__in=list(own))
        .values_list("grassroots_id", "level", "not_rated")
        .annotate(n=Count("id"))
        .order_by()
    ):
        row = members.setdefault(gid, {})
        key = level or "not_rated"
        row[key] = row.get(key, 0) + n
    names = dict(
        OrgVersion.objects.filter(valid_on(on), organization_id__in=list(own)).values_list("organization_id", "name")
    )
    codes = dict(Organization.objects.filter(pk__in=list(own)).values_list("pk", "code"))
    from dangvu.domain.vietnamese import sort_key

    rows: list[list[object]] = []
    for oid in sorted(own, key=lambda o: sort_key(names.get(o, ""))):
        kind, level, nr, ex = own[oid]
        m = members.get(oid, {})
        rated = sum(n for k, n in m.items() if k != "not_rated")
        rows.append(
            [
                codes.get(oid, ""),
                names.get(oid, ""),
                "Đảng bộ cơ sở" if kind == "grassroots_committee" else "Chi bộ cơ sở",
                SHORT.get(level, "") if level else f"Không xếp loại ({NOT_RATED_LABELS.get(nr, nr)})",
                "x" if ex else "",
                rated,
                m.get("excellent", 0),
                m.get("good", 0),
                m.get("satisfactory", 0),
                m.get("failed", 0),
                m.get("not_rated", 0),
            ]
        )
    return Table(
        "orgs",
        f"Kết quả xếp loại năm {year} theo tổ chức cơ sở đảng",
        [
            "Mã",
            "Tổ chức cơ sở đảng",
            "Loại",
            "Kết quả",
            "Tiêu biểu",
            "Đảng viên được xếp loại",
            "HTXS",
            "HTT",
            "HTNV",
            "KHTNV",
            "Không xếp loại",
        ],
        rows,
    )


def admissions_by_year(root: Organization, start: dt.date, end: dt.date) -> dict[int, int]:
    """Admissions per calendar year, counted as the 'admissions' indicator counts them (the event's unit inside
    root's subtree on the event's day, orgs.queries.tally_by_root), in one grouped query instead of one per year."""
    from django.db.models.functions import ExtractYear

    from dangvu.domain.membership import EventKind
    from dangvu.members.models import MemberEvent
    from dangvu.orgs.queries import tally_by_root

    qs = MemberEvent.objects.filter(kind=EventKind.ADMISSION, on__range=(start, end)).annotate(y=ExtractYear("on"))
    t = tally_by_root(qs, [root.pk], unit="organization_id", day="on", by=("y",))
    return {y: n for (y,), n in t[root.pk].items()}


def drop_repeats(rep: Report) -> list[str]:
    """The builder's last step: no paragraph twice in a report (a sentence written by two parts says the same
    thing twice, issue 12). Later repeats are removed; the removed texts are returned (the tests require none)."""
    seen: set[str] = set()
    removed: list[str] = []
    for sec in rep.sections:
        kept = []
        for b in sec.blocks:
            text = getattr(b, "text", None)
            if text is not None and text in seen:
                removed.append(text)
                continue
            if text is not None:
                seen.add(text)
            kept.append(b)
        sec.blocks = kept
    return removed


_NUMBERED = re.compile(r"^(\d+)\.\s+")


def drop_empty_parts(rep: Report) -> list[str]:
    """A numbered part with nothing the records support ('4. Công tác dân vận …' with no figure) is left out, not
    filled with words (issue 12, item 5), and the parts after it are numbered on: '1., 2., 3., 4.' within each
    chapter. Returns the headings left out."""
    removed = [s.heading for s in rep.sections if s.level == 2 and not s.blocks]
    rep.sections = [s for s in rep.sections if s.level != 2 or s.blocks]
    n = 0
    for sec in rep.sections:
        if sec.level != 2:
            n = 0
            continue
        m = _NUMBERED.match(sec.heading)
        if m:
            n += 1
            sec.heading = f"{n}. {sec.heading[m.end() :]}"
    return removed


def finish(rep: Report) -> Report:
    """Every builder's last step: empty parts left out, no paragraph twice."""
    drop_empty_parts(rep)
    drop_repeats(rep)
    return rep
