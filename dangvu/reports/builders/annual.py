"""Báo cáo tổng kết công tác xây dựng Đảng năm … (outline: badges_forms_reports §3, synthesised [I]):
I. Đặc điểm tình hình; II. Kết quả (1. chính trị, tư tưởng; 2. tổ chức, cán bộ, đảng viên; 3. kiểm tra, giám sát,
kỷ luật; 4. dân vận, chính quyền; 5. khen thưởng); III. Hạn chế, nguyên nhân; IV. Bài học kinh nghiệm;
V. Phương hướng, nhiệm vụ năm sau."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from dangvu.domain.assessment.figures import (
    GroupStats,
)
from dangvu.domain.badges import badges_sentences
from dangvu.domain.reports.model import Chart, Figure, Report, Section, Table
from dangvu.domain.reports.periods import Kind, Period
from dangvu.domain.reports.phrasing import (
    LESSONS,
    achieved,
    all_or_share,
    bound_text,
    counts_by_kind,
    join_and,
    phrase,
    sentence,
    share_text,
    spell,
    verdict,
)
from dangvu.domain.targets import Bound, Status
from dangvu.domain.vietnamese import fmt_int, fmt_number
from dangvu.targets.compare import Compared
from dangvu.targets.indicators import compute
from dangvu.targets.models import Plan, Target

from .common import (
    TREND_YEARS,
    Ctx,
    admissions_by_year,
    finish,
    indicator_figures,
    indicator_table,
    level_table,
    levels_chart,
    new_report,
    old_scheme,
    org_results_table,
    own_rating_sentence,
    review_figures,
    review_sentences,
    section,
    streak_figure,
)
from .queries import badge_rows, grassroots_with_admissions
from .review_parts import KIND_NOUNS, review_detail, trend_part

# Which indicators each part of section II reports, in the order the outlines list them.
POLITICS = ["study.participation", "documents"]
ORGANIZATION = [
    "admissions",
    "recognitions",
    "exits",
    "new_organizations",
    "new_organizations.private_enterprise",
    "cadre_moves",
    "training",
    "badges",
]
INSPECTION = ["inspections", "petitions", "discipline.members", "discipline.organizations"]
MASS = ["free"]
COMMENDATION = ["commendations"]
# Causes, lessons and tasks are the committee's judgement, not findings: drafts (Section.draft) to edit.
CAUSES = [
    # [I] default wording; the committee edits it in the document.
    "Nguyên nhân chủ yếu là một số cấp ủy chưa sâu sát, việc kiểm tra, đôn đốc có lúc chưa thường xuyên; "
    "điều kiện hoạt động của một số tổ chức cơ sở đảng còn khó khăn.",
]
TASKS = [
    "Tiếp tục nâng cao chất lượng sinh hoạt chi bộ, chất lượng đội ngũ đảng viên; thực hiện nghiêm việc kiểm điểm, "
    "đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên.",
    "Tăng cường công tác kiểm tra, giám sát; giữ nghiêm kỷ luật, kỷ cương trong Đảng.",
]


def build_annual(ctx: Ctx) -> Report:
    year = ctx.period.last_year
    named = ctx.period.printed()  # "năm 2016", or by its dates when the period is not a calendar year
    stem = f"tong-ket-{year}" if ctx.period.is_year else f"tong-ket-{ctx.period.start:%Y%m%d}-{ctx.period.end:%Y%m%d}"
    rep = new_report(ctx, Kind.ANNUAL, f"Tổng kết công tác xây dựng Đảng {named}", stem)
    rep.intro = (
        f"{ctx.committee} báo cáo kết quả công tác xây dựng Đảng {named} và phương hướng, nhiệm vụ năm {year + 1} "
        "như sau:"
    )
    start, end = ctx.period.start, ctx.period.end
    before = previous_period(ctx.period)
    prev = (before.start, before.end) if before else None
    ctx.progress(10, "Tính các chỉ số công tác xây dựng Đảng")
    by_year_admissions = admissions_by_year(ctx.root, dt.date(year - TREND_YEARS + 1, 1, 1), end)
    got = indicator_figures(
        rep,
        ctx.root,
        start,
        end,
        tag=str(year),
        previous=prev,
        than=than_text(before),
        previous_counts={"admissions": by_year_admissions.get(year - 1, 0)} if before and before.is_year else None,
    )
    ctx.progress(35, "Tính kết quả đánh giá, xếp loại")
    ry = review_year(ctx.period)
    by_year = {y: review_figures(rep, ctx.root, y, with_previous=(y == ry)) for y in trend_years(ry)}
    g = by_year[ry]

    rep.sections.append(situation(ctx, rep, got, before))
    lead = "Trong năm" if ctx.period.is_year else "Trong kỳ"
    results = section("II. KẾT QUẢ ĐẠT ĐƯỢC")
    rep.sections.append(results)
    rep.sections.append(work_part("1. Công tác chính trị, tư tưởng", got, POLITICS, rep, str(year), lead))
    org = work_part("2. Công tác tổ chức, cán bộ, đảng viên", got, ORGANIZATION, rep, str(year), lead)
    cats = categories_sentence(got)
    org.para(sentence(f"Trong số đảng viên mới, đã kết nạp {cats}") if cats else "")
    admissions_part(ctx, org, got)
    badges_part(ctx, org)
    review_part(ctx, rep, org, ry, g)
    trend_part(org, by_year)
    rep.sections.append(org)
    trends_and_charts(ctx, rep, org, by_year, ry, by_year_admissions)
    rep.sections.append(
        work_part("3. Công tác kiểm tra, giám sát, kỷ luật đảng", got, INSPECTION, rep, str(year), lead)
    )
    rep.sections.append(
        work_part("4. Công tác dân vận; lãnh đạo chính quyền, Mặt trận và đoàn thể", got, MASS, rep, str(year), lead)
    )
    rep.sections.append(work_part("5. Công tác thi đua, khen thưởng", got, COMMENDATION, rep, str(year), lead))
    ctx.progress(55, "Bảng, biểu đồ")
    targets = targets_part(ctx, rep, got, year)
    if targets:
        results.blocks.extend(targets.blocks)
    rep.sections.append(limitations(rep, got, g, year, ry, than=than_text(before)))
    lessons = section("IV. BÀI HỌC KINH NGHIỆM")
    for s in LESSONS:
        lessons.draft(s)
    rep.sections.append(lessons)
    rep.sections.append(next_tasks(ctx, year + 1))
    table = indicator_table(
        "indicators",
        f"Các chỉ số công tác xây dựng Đảng năm {year}",
        [f for f in rep.figures if f.code.startswith(f"{year}.")],
    )
    rep.add_table(table)
    rep.add_table(org_results_table(ctx.root, ry))  # the XLSX appendix only: one row per organization
    finish(rep)
    return rep


# Reviews are held at the end of the year (kiểm điểm cuối năm, HD 25-HD/BTCTW 2023 and its predecessors: December)
# [I as a date]: a period ending before this month of a later year than it starts reports the year before's review.
REVIEW_MONTH = 12


def review_year(period: Period) -> int:
    """The year whose review the report gives: the period's last year, unless the period runs into a new year and
    ends before that year's review (1/1/2016 – 31/3/2017 → 2016). A period inside one year keeps its year."""
    end = period.end
    if period.start.year == end.year or end.month >= REVIEW_MONTH:
        return end.year
    return end.year - 1


def than_text(before: Period | None) -> str:
    """What a change is measured against: 'năm 2015', 'giai đoạn 2011 – 2015', or for any other period 'kỳ trước
    (từ ngày 1/10/2014 đến ngày 31/12/2015)' ('so với từ ngày …' does not read)."""
    if before is None:
        return ""
    printed = before.printed()
    return f"kỳ trước ({printed})" if printed.startswith("từ ngày") else printed


def previous_period(period: Period) -> Period | None:
    """The period of the same length just before (Period.previous, in domain/reports/periods.py once merged);
    until then a calendar year compares with the year before and any other period with nothing."""
    previous = getattr(period, "previous", None)
    if callable(previous):
        p = previous()
        return p if isinstance(p, Period) else None
    if period.is_year:
        y = period.start.year - 1
        return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), str(y))
    return None


def trend_years(year: int) -> list[int]:
    return list(range(year - TREND_YEARS + 1, year + 1))


def situation(ctx: Ctx, rep: Report, got: dict[str, Compared], before: Period | None) -> Section:
    from django.db.models import Count

    from dangvu.orgs.models import OrgAncestry, OrgVersion, valid_on

    s = section("I. ĐẶC ĐIỂM TÌNH HÌNH")
    year_like = ctx.period.is_year
    at_start, at_end = ("Đầu năm", "Cuối năm") if year_like else ("Đầu kỳ", "Cuối kỳ")
    counts: dict[str, dict[str, int]] = {}
    kinds_at: dict[str, dict[str, int]] = {}
    # The start is the period's first day, as members.start and admissions.share_of_start count it.
    for label, day in ((at_start, ctx.period.start), (at_end, ctx.period.end)):
        units = OrgAncestry.objects.on(day).filter(ancestor=ctx.root).exclude(organization=ctx.root)
        kinds = dict(
            OrgVersion.objects.filter(valid_on(day), organization_id__in=units.values("organization_id"))
            .values_list("kind")
            .annotate(n=Count("id"))
            .order_by()
        )
        kinds_at[label] = kinds
        c = got.get("members.end") if day == ctx.period.end else None
        [members] = [c.value] if c else compute(ctx.root, day, day, ["members.end"])
        counts[label] = {
            "grassroots": kinds.get("grassroots_committee", 0) + kinds.get("grassroots_branch", 0),
            "branches": kinds.get("branch", 0),
            "members": int(members.value),
            "official": int(members.breakdown.get("chính thức", 0)),
        }
    end = counts[at_end]
    rep.add(
        Figure(
            f"{ctx.period.last_year}.structure.grassroots",
            "Tổ chức cơ sở đảng",
            end["grassroots"],
            "tổ chức",
            printed=fmt_int(end["grassroots"]),
            previous=counts[at_start]["grassroots"],
        )
    )
    rep.add(
        Figure(
            f"{ctx.period.last_year}.structure.branches",
            "Chi bộ trực thuộc",
            end["branches"],
            "chi bộ",
            printed=fmt_int(end["branches"]),
            previous=counts[at_start]["branches"],
        )
    )
    than = at_start.lower()
    holds = counts_by_kind(kinds_at[at_end], kinds_at[at_start], KIND_NOUNS, than=than)
    s.para(
        sentence(
            f"{at_end}, {ctx.name} có {holds + ' với ' if holds else ''}{fmt_int(end['members'])} đảng viên "
            f"({fmt_int(end['official'])} đảng viên chính thức); {than} có {fmt_int(counts[at_start]['members'])} "
            "đảng viên"
        )
    )
    table = Table(
        "structure",
        "Tổ chức đảng, đảng viên đầu kỳ và cuối kỳ" if not year_like else "Tổ chức đảng, đảng viên đầu năm và cuối năm",
        ["Thời điểm", "Tổ chức cơ sở đảng", "Chi bộ trực thuộc", "Đảng viên", "Đảng viên chính thức"],
        [[k, v["grassroots"], v["branches"], v["members"], v["official"]] for k, v in counts.items()],
    )
    s.table(rep.add_table(table))
    return s


def work_part(
    title: str, got: dict[str, Compared], codes: list[str], rep: Report, tag: str, lead: str = "Trong năm"
) -> Section:
    """The sentences of one part of section II; a part with nothing recorded has no paragraph (issue 12: no
    'Chưa ghi nhận …' filler)."""
    s = section(title, level=2)
    clauses = []
    for code in codes:
        c = got.get(code)
        if c is None or not c.sentence:
            continue
        v = c.value.value
        if code != "admissions" and (v == 0 or v == Fraction(0)):
            continue  # nothing recorded: nothing to say
        if (
            code == "new_organizations"
            and got.get("new_organizations.private_enterprise")
            and got["new_organizations.private_enterprise"].value.value == v
        ):
            continue  # all of them in private enterprises: said once, against its target
        if code == "badges":
            continue  # badges_part says it by milestone, occasion and unit
        f = rep.figure(f"{tag}.{code}")
        clauses.append(
            c.sentence + (f", {f.change}" if f.change and code in ("admissions", "discipline.members") else "")
        )
    if clauses:
        s.para(sentence(f"{lead}, " + "; ".join(clauses)))
    return s


def categories_sentence(got: dict[str, Compared]) -> str:
    """F18: 'kết nạp 4 học sinh trung học phổ thông và 3 công dân ưu tú chuẩn bị nhập ngũ'."""
    parts = [
        c.sentence.removeprefix("kết nạp ")
        for code, c in got.items()
        if code.startswith("admissions.") and c.value.unit != "%" and c.value.value
    ]
    return join_and(parts)


def admissions_part(ctx: Ctx, s: Section, got: dict[str, Compared]) -> None:
    """Admissions as a share of the members at the start, against a target written so when there is one (on the
    share itself, or a ratio target on admissions 'so với số đảng viên đầu năm', Target.of_indicator), and whether
    every grassroots organization admitted ('100% tổ chức cơ sở đảng đều kết nạp được đảng viên' only when true)."""
    at_start = "đầu năm" if ctx.period.is_year else "đầu kỳ"
    c = got.get("admissions.share_of_start")
    if c is not None and c.value.denominator:
        n, base = c.value.numerator or 0, c.value.denominator or 0
        text = f"Số đảng viên kết nạp ({fmt_int(n)}) bằng {phrase(n, base)} số đảng viên {at_start} ({fmt_int(base)})"
        adm = got.get("admissions")
        # Target.of_indicator (a ratio target) comes with the targets' change; read it if present.
        of: str = getattr(adm.target, "of_indicator", "") if adm and adm.target is not None else ""
        judged = adm if adm is not None and of else c
        if judged.target is not None and judged.status:
            bound = Bound(judged.target.op, judged.target.value)
            text += (
                f", {verdict(Status(judged.status), of='chỉ tiêu')} "
                f"{bound_words(bound, f'số đảng viên {at_start}')} "
                f"({judged.target.title or 'Nghị quyết Đại hội đề ra'})"
            )
        s.para(sentence(text))
    done, total = grassroots_with_admissions(ctx.root, ctx.period.start, ctx.period.end)
    s.para(sentence(all_or_share(done, total, "tổ chức cơ sở đảng", "kết nạp được đảng viên")))


def bound_words(bound: Bound, of: str) -> str:
    return bound_text(bound.op, bound.value, "%", relative_to=of)


def badges_part(ctx: Ctx, s: Section) -> None:
    """Party badges by milestone and by the occasions they were presented on, posthumous awards apart, the units
    with the most (badges_forms_reports §1; issue 12)."""
    text = badges_sentences(badge_rows(ctx.root, ctx.period.start, ctx.period.end))
    if text:
        s.para(sentence("; ".join(text)))


def review_part(ctx: Ctx, rep: Report, s: Section, year: int, g: dict[str, GroupStats]) -> None:
    text = review_sentences(g, year)
    if not text:
        s.para(f"Năm {year} chưa có kết quả đánh giá, xếp loại chất lượng trong hồ sơ.")
        return
    s.para(sentence(f"Qua kiểm điểm, đánh giá, xếp loại chất lượng năm {year}, kết quả " + "; ".join(text)))
    for para in review_detail(ctx, rep, year, g):
        s.para(para)
    st = streak_figure(rep, ctx.root, year)
    if st.value:
        s.para(sentence(f"Có {st.sentence}"))
    own = own_rating_sentence(ctx.root, year)
    if own:
        s.para(sentence(f"{ctx.name} {own}"))


def trends_and_charts(
    ctx: Ctx,
    rep: Report,
    part: Section,
    by_year: dict[int, dict[str, GroupStats]],
    year: int,
    admissions: dict[int, int],
) -> None:
    t = rep.add_table(
        level_table(
            "levels",
            "Kết quả xếp loại chất lượng theo năm",
            by_year,
            [("grassroots", "Tổ chức cơ sở đảng"), ("branches", "Chi bộ trực thuộc"), ("members", "Đảng viên")],
        )
    )
    part.table(t)  # in part 2, after the review's sentences
    for grp, who in (("grassroots", "tổ chức cơ sở đảng"), ("members", "đảng viên")):
        rep.trends[f"review.{grp}.good_or_better"] = [
            (y, float(g[grp].share(g[grp].at_least(3)))) if g[grp].rated else (y, None) for y, g in by_year.items()
        ]
        ch = levels_chart(f"levels_{grp}", by_year, grp, who)
        if ch:
            part.chart(rep.add_chart(ch))
    ch = admissions_chart(ctx, rep, trend_years(year), admissions)
    if ch:
        part.chart(rep.add_chart(ch))


def admissions_chart(ctx: Ctx, rep: Report, years: list[int], counts: dict[int, int] | None = None) -> Chart | None:
    plans = dict(
        Plan.objects.filter(organization=ctx.root, indicator="admissions", year__in=years).values_list("year", "value")
    )
    if counts is None:
        first = ctx.period.start if years[0] == ctx.period.start.year else dt.date(years[0], 1, 1)
        counts = admissions_by_year(ctx.root, first, min(dt.date(years[-1], 12, 31), ctx.period.end))
    done = [counts.get(y, 0) for y in years]
    rep.trends["admissions"] = list(zip(years, done, strict=True))
    if not any(done) and not plans:
        return None
    series = {"Kết nạp": [float(x) for x in done]}
    if plans:
        series["Kế hoạch"] = [float(plans.get(y, 0)) for y in years]
    return Chart("admissions", "Kết nạp đảng viên so với kế hoạch", [str(y) for y in years], series, "đảng viên")


def targets_part(ctx: Ctx, rep: Report, got: dict[str, Compared], year: int) -> Section | None:
    rows = [c for c in got.values() if (c.plan is not None and c.achievement is not None) or c.status]
    if not rows:
        return None
    wording = dict(
        Plan.objects.filter(organization=ctx.root, year__range=(ctx.period.start.year, year)).values_list(
            "indicator", "wording"
        )
    )
    s = section("Kết quả thực hiện các chỉ tiêu", level=2)
    said = []
    for c in rows:
        what = spell(c.value.label)
        if c.term is not None:
            # A term target in a year's report: the term's progress so far, never a verdict on one year
            # (targets.compare words it: "từ đầu nhiệm kỳ: …; sau N năm, đạt X% chỉ tiêu nhiệm kỳ").
            said.append(c.sentence)
        elif c.plan is not None and isinstance(c.value.value, int):
            # The plan's own judgement (domain.targets.PlanJudgement): a year not yet over has no verdict.
            status = Status.MISSED if c.plan_status == Status.MISSED else None
            of = wording.get(c.value.code, "kế hoạch")
            said.append(f"{what} {achieved(c.value.value, c.plan, of=of, status=status)}")
        elif c.status and c.target is not None:
            v = c.value
            shown = share_text(Fraction(v.value)) if v.unit == "%" else fmt_number(v.value)
            bound = bound_text(c.target.op, c.target.value, v.unit)
            said.append(
                f"{what} đạt {shown}, {verdict(Status(c.status), of='chỉ tiêu')} {bound} "
                f"({c.target.title or 'Nghị quyết Đại hội đề ra'})"
            )
    s.para(sentence("Kết quả thực hiện các chỉ tiêu: " + "; ".join(said)) if said else "")
    cats, plan_s, done_s = [], [], []
    for c in rows:
        if c.term is not None and c.term.achievement is None:
            continue  # a term target with no measure of progress: nothing to draw
        cats.append(c.value.label)
        if c.term is not None and c.term.achievement is not None:
            plan_s.append(100.0)  # the term's target, as 100%; the bar is the achievement so far
            done_s.append(float(c.term.achievement * 100))
        elif c.plan is not None and c.achievement is not None:
            plan_s.append(100.0)
            done_s.append(float(c.achievement * 100))
        elif c.target is not None:
            plan_s.append(float(c.target.value * 100) if c.value.unit == "%" else float(c.target.value))
            done_s.append(float(Fraction(c.value.value) * 100) if c.value.unit == "%" else float(c.value.value))
    s.chart(
        rep.add_chart(
            Chart(
                "targets",
                f"Chỉ tiêu và kết quả năm {year} (% kế hoạch, %)",
                cats,
                {"Kế hoạch, chỉ tiêu": plan_s, "Kết quả": done_s},
                "%",
            )
        )
    )
    return s


def limitations(
    rep: Report, got: dict[str, Compared], g: dict[str, GroupStats], year: int, ry: int, *, than: str
) -> Section:
    """Only what the records show falls short; units too new to be rated are not a shortcoming (they are named
    with the review's figures as 'chưa đủ thời gian xếp loại'); with nothing short, no sentence claims one."""
    s = section("III. HẠN CHẾ, NGUYÊN NHÂN")
    items = []
    for c in got.values():
        # Only a verdict: a term target in progress or a plan year not yet over is not a shortcoming.
        missed = Status.MISSED in (c.status, c.plan_status)
        if missed:
            items.append(c.sentence)
    m = g["members"]
    failed = m.at_rank(1)
    if failed:
        items.append(f"còn {fmt_int(failed)} đảng viên không hoàn thành nhiệm vụ")
    for grp, who in (("grassroots", "tổ chức cơ sở đảng"), ("branches", "chi bộ trực thuộc")):
        lowest = g[grp].at_rank(1)
        if lowest:
            name = "yếu kém" if old_scheme(ry) else "không hoàn thành nhiệm vụ"
            items.append(f"còn {fmt_int(lowest)} {who} xếp loại {name}")
    for grp, who in (("grassroots", "tổ chức cơ sở đảng"), ("branches", "chi bộ trực thuộc")):
        waiting = g[grp].pending
        if waiting:
            items.append(f"{fmt_int(waiting)} {who} chưa có kết quả xếp loại năm {ry}")
    for code, label in (("admissions", "số đảng viên kết nạp"),):
        f = next((f for f in rep.figures if f.code == f"{year}.{code}"), None)
        if f and f.previous is not None and isinstance(f.value, int) and f.value < f.previous:
            items.append(f"{label} giảm so với {than} ({fmt_int(f.value)} so với {fmt_int(int(f.previous))})")
    if items:
        s.para(sentence("Bên cạnh kết quả đạt được, còn một số hạn chế: " + "; ".join(items)))
    for cause in CAUSES:
        s.draft(cause)
    return s


def next_tasks(ctx: Ctx, year: int) -> Section:
    s = section(f"V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year}")
    from dangvu.targets.indicators import CATALOGUE

    plans = Plan.objects.filter(organization=ctx.root, year=year).order_by("indicator")
    items = [
        f"{CATALOGUE[p.indicator][0].lower() if p.indicator in CATALOGUE else p.indicator} "
        f"{fmt_int(int(p.value))} ({p.wording})"
        for p in plans
    ]
    # Only the yearly targets are the year's; a term target is judged on the term's total (domain.targets).
    for t in Target.objects.filter(
        organization=ctx.root, first_year__lte=year, last_year__gte=year, per=Target.Per.YEAR
    ).exclude(indicator=""):
        label = CATALOGUE[t.indicator][0] if t.indicator in CATALOGUE else t.indicator
        unit = "%" if t.indicator.startswith(("review.", "study.")) else ""
        items.append(f"{spell(label)} {Bound(t.op, t.value).printed(unit)} ({t.title or 'Nghị quyết Đại hội đề ra'})")
    if items:
        s.para(sentence(f"Các chỉ tiêu năm {year}: " + "; ".join(items)))
    for task in TASKS:
        s.draft(task)
    return s
