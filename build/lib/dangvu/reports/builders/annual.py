"""Báo cáo tổng kết công tác xây dựng Đảng năm … (outline: badges_forms_reports §3, synthesised [I]):
I. Đặc điểm tình hình; II. Kết quả (1. chính trị, tư tưởng; 2. tổ chức, cán bộ, đảng viên; 3. kiểm tra, giám sát,
kỷ luật; 4. dân vận, chính quyền; 5. khen thưởng); III. Hạn chế, nguyên nhân; IV. Bài học kinh nghiệm;
V. Phương hướng, nhiệm vụ năm sau."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from dangvu.domain.assessment.figures import GroupStats
from dangvu.domain.reports.model import Chart, Figure, Report, Section, Table
from dangvu.domain.reports.periods import Kind
from dangvu.domain.reports.phrasing import LESSONS, join_and, sentence, spell
from dangvu.domain.targets import Bound
from dangvu.domain.vietnamese import fmt_int, fmt_percent
from dangvu.targets.compare import Compared
from dangvu.targets.indicators import compute
from dangvu.targets.models import Plan, Target

from .common import (
    TREND_YEARS,
    Ctx,
    admissions_by_year,
    indicator_figures,
    indicator_table,
    level_table,
    levels_chart,
    new_report,
    org_results_table,
    own_rating_sentence,
    review_figures,
    review_sentences,
    section,
    streak_figure,
)

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
    rep = new_report(ctx, Kind.ANNUAL, f"Tổng kết công tác xây dựng Đảng năm {year}", f"tong-ket-{year}")
    rep.intro = (
        f"Thực hiện chương trình công tác năm {year}, {ctx.committee} báo cáo kết quả công tác xây dựng Đảng "
        f"năm {year} và phương hướng, nhiệm vụ năm {year + 1} như sau:"
    )
    start, end = ctx.period.start, ctx.period.end
    prev = (dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
    ctx.progress(10, "Tính các chỉ số công tác xây dựng Đảng")
    by_year_admissions = admissions_by_year(ctx.root, dt.date(year - TREND_YEARS + 1, 1, 1), end)
    got = indicator_figures(
        rep,
        ctx.root,
        start,
        end,
        tag=str(year),
        previous=prev,
        than=f"năm {year - 1}",
        previous_counts={"admissions": by_year_admissions.get(year - 1, 0)},
    )
    ctx.progress(35, "Tính kết quả đánh giá, xếp loại")
    by_year = {y: review_figures(rep, ctx.root, y, with_previous=(y == year)) for y in trend_years(year)}
    g = by_year[year]

    rep.sections.append(situation(ctx, rep, got, g))
    results = section("II. KẾT QUẢ ĐẠT ĐƯỢC")
    rep.sections.append(results)
    rep.sections.append(work_part("1. Công tác chính trị, tư tưởng", got, POLITICS, rep, str(year)))
    org = work_part("2. Công tác tổ chức, cán bộ, đảng viên", got, ORGANIZATION, rep, str(year))
    cats = categories_sentence(got)
    org.para(sentence(f"Trong số đảng viên mới, đã kết nạp {cats}") if cats else "")
    review_part(ctx, rep, org, year, g)
    rep.sections.append(org)
    trends_and_charts(ctx, rep, org, by_year, year, by_year_admissions)
    rep.sections.append(work_part("3. Công tác kiểm tra, giám sát, kỷ luật đảng", got, INSPECTION, rep, str(year)))
    rep.sections.append(
        work_part("4. Công tác dân vận; lãnh đạo chính quyền, Mặt trận và đoàn thể", got, MASS, rep, str(year))
    )
    rep.sections.append(work_part("5. Công tác thi đua, khen thưởng", got, COMMENDATION, rep, str(year)))
    ctx.progress(55, "Bảng, biểu đồ")
    targets = targets_part(rep, got, year)
    if targets:
        results.blocks.extend(targets.blocks)
    rep.sections.append(limitations(rep, got, g, year))
    lessons = section("IV. BÀI HỌC KINH NGHIỆM")
    for s in LESSONS:
        lessons.para(s)
    rep.sections.append(lessons)
    rep.sections.append(next_tasks(ctx, year + 1))
    table = indicator_table(
        "indicators",
        f"Các chỉ số công tác xây dựng Đảng năm {year}",
        [f for f in rep.figures if f.code.startswith(f"{year}.")],
    )
    rep.add_table(table)
    rep.add_table(org_results_table(ctx.root, year))  # the XLSX appendix only: one row per organization
    return rep


def trend_years(year: int) -> list[int]:
    return list(range(year - TREND_YEARS + 1, year + 1))


def situation(ctx: Ctx, rep: Report, got: dict[str, Compared], g: dict[str, GroupStats]) -> Section:
    from django.db.models import Count

    from dangvu.orgs.models import OrgAncestry, OrgVersion, valid_on

    s = section("I. ĐẶC ĐIỂM TÌNH HÌNH")
    counts = {}
    for label, day in (("đầu năm", ctx.period.start - dt.timedelta(days=1)), ("cuối năm", ctx.period.end)):
        units = OrgAncestry.objects.on(day).filter(ancestor=ctx.root).exclude(organization=ctx.root)
        kinds = dict(
            OrgVersion.objects.filter(valid_on(day), organization_id__in=units.values("organization_id"))
            .values_list("kind")
            .annotate(n=Count("id"))
            .order_by()
        )
        c = got.get("members.end") if day == ctx.period.end else None
        [members] = [c.value] if c else compute(ctx.root, day, day, ["members.end"])
        counts[label] = {
            "grassroots": kinds.get("grassroots_committee", 0) + kinds.get("grassroots_branch", 0),
            "branches": kinds.get("branch", 0),
            "members": int(members.value),
            "official": int(members.breakdown.get("chính thức", 0)),
        }
    end = counts["cuối năm"]
    rep.add(
        Figure(
            f"{ctx.period.last_year}.structure.grassroots",
            "Tổ chức cơ sở đảng",
            end["grassroots"],
            "tổ chức",
            printed=fmt_int(end["grassroots"]),
        )
    )
    rep.add(
        Figure(
            f"{ctx.period.last_year}.structure.branches",
            "Chi bộ trực thuộc",
            end["branches"],
            "chi bộ",
            printed=fmt_int(end["branches"]),
        )
    )
    holds = join_and(
        [
            f"{fmt_int(end['grassroots'])} tổ chức cơ sở đảng" if end["grassroots"] else "",
            f"{fmt_int(end['branches'])} chi bộ trực thuộc" if end["branches"] else "",
        ]
    )
    s.para(
        sentence(
            f"{ctx.name} có {holds + ' với ' if holds else ''}{fmt_int(end['members'])} đảng viên "
            f"({fmt_int(end['official'])} đảng viên chính thức); đầu năm có {fmt_int(counts['đầu năm']['members'])} "
            "đảng viên"
        )
    )
    table = Table(
        "structure",
        "Tổ chức đảng, đảng viên đầu năm và cuối năm",
        ["Thời điểm", "Tổ chức cơ sở đảng", "Chi bộ trực thuộc", "Đảng viên", "Đảng viên chính thức"],
        [[k.capitalize(), v["grassroots"], v["branches"], v["members"], v["official"]] for k, v in counts.items()],
    )
    s.table(rep.add_table(table))
    return s


NOTHING = "Chưa ghi nhận số liệu về nội dung này trong hồ sơ."


def work_part(
    title: str, got: dict[str, Compared], codes: list[str], rep: Report, tag: str, lead: str = "Trong năm"
) -> Section:
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
        f = rep.figure(f"{tag}.{code}")
        clauses.append(
            c.sentence + (f", {f.change}" if f.change and code in ("admissions", "discipline.members") else "")
        )
    if clauses:
        s.para(sentence(f"{lead}, " + "; ".join(clauses)))
    else:
        s.para(NOTHING)
    return s


def categories_sentence(got: dict[str, Compared]) -> str:
    """F18: 'kết nạp 4 học sinh trung học phổ thông và 3 công dân ưu tú chuẩn bị nhập ngũ'."""
    parts = [
        c.sentence.removeprefix("kết nạp ")
        for code, c in got.items()
        if code.startswith("admissions.") and c.value.value
    ]
    return join_and(parts)


def review_part(ctx: Ctx, rep: Report, s: Section, year: int, g: dict[str, GroupStats]) -> None:
    text = review_sentences(g, year)
    if text:
        s.para(sentence(f"Qua kiểm điểm, đánh giá, xếp loại chất lượng năm {year}, kết quả " + "; ".join(text)))
    else:
        s.para(f"Năm {year} chưa có kết quả đánh giá, xếp loại chất lượng trong hồ sơ.")
        return
    for grp in ("grassroots", "members"):
        f = next((f for f in rep.figures if f.code == f"review.{year}.{grp}.good_or_better"), None)
        if f and f.change:
            who = "tổ chức cơ sở đảng" if grp == "grassroots" else "đảng viên"
            s.para(sentence(f"Tỷ lệ {who} hoàn thành tốt nhiệm vụ trở lên đạt {fmt_percent(f.value)}, {f.change}"))
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


def targets_part(rep: Report, got: dict[str, Compared], year: int) -> Section | None:
    rows = [c for c in got.values() if c.plan is not None or c.target is not None]
    if not rows:
        return None
    s = section("Kết quả thực hiện các chỉ tiêu", level=2)
    s.para(sentence("Kết quả thực hiện các chỉ tiêu: " + "; ".join(c.sentence for c in rows)))
    cats, plan_s, done_s = [], [], []
    for c in rows:
        cats.append(c.value.label)
        if c.plan is not None and c.achievement is not None:
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


def limitations(rep: Report, got: dict[str, Compared], g: dict[str, GroupStats], year: int) -> Section:
    s = section("III. HẠN CHẾ, NGUYÊN NHÂN")
    items = []
    for c in got.values():
        missed = c.status == "missed" or (c.achievement is not None and c.achievement < 1)
        if missed:
            items.append(c.sentence)
    m = g["members"]
    failed = m.at_rank(1)
    if failed:
        items.append(f"còn {fmt_int(failed)} đảng viên không hoàn thành nhiệm vụ")
    weak = g["grassroots"].at_rank(1)
    if weak:
        items.append(f"còn {fmt_int(weak)} tổ chức cơ sở đảng xếp loại mức thấp nhất")
    pending = g["grassroots"].pending + g["branches"].pending
    if pending:
        items.append(f"{fmt_int(pending)} tổ chức đảng chưa có kết quả xếp loại năm {year}")
    for code, label in (("admissions", "số đảng viên kết nạp"),):
        f = next((f for f in rep.figures if f.code == f"{year}.{code}"), None)
        if f and f.previous is not None and isinstance(f.value, int) and f.value < f.previous:
            items.append(f"{label} giảm so với năm {year - 1} ({fmt_int(f.value)} so với {fmt_int(int(f.previous))})")
    if items:
        s.para(sentence("Bên cạnh kết quả đạt được, còn một số hạn chế: " + "; ".join(items)))
    else:
        s.para("Các chỉ tiêu chủ yếu đều đạt; tuy vậy chất lượng sinh hoạt chi bộ ở một số nơi chưa đồng đều.")
    for cause in CAUSES:
        s.para(cause)
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
    for t in Target.objects.filter(organization=ctx.root, first_year__lte=year, last_year__gte=year).exclude(
        indicator=""
    ):
        label = CATALOGUE[t.indicator][0] if t.indicator in CATALOGUE else t.indicator
        unit = "%" if t.indicator.startswith(("review.", "study.")) else ""
        items.append(f"{spell(label)} {Bound(t.op, t.value).printed(unit)} ({t.title or 'Nghị quyết Đại hội đề ra'})")
    if items:
        s.para(sentence(f"Các chỉ tiêu năm {year}: " + "; ".join(items)))
    for task in TASKS:
        s.para(task)
    return s
