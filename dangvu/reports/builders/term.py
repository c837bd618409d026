"""Interim (sơ kết giữa nhiệm kỳ), term (tổng kết nhiệm kỳ) and thematic N-year reviews: totals over the
period, each year's review shares against the congress targets (F15, F16), the programme (F20), admissions
since a date across the 2025 reform (F17, F18), and the document reviewed (F6)."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

from dangvu.domain.errors import RuleError
from dangvu.domain.reports.model import Figure, Report, Table
from dangvu.domain.reports.periods import Kind, Period
from dangvu.domain.reports.phrasing import LESSONS, bound_text, capitalize, join_and, sentence, share_over_years
from dangvu.domain.targets import STATUS_LABELS, VERDICTS, Bound, Status, interim_span, over_years
from dangvu.domain.vietnamese import fmt_date, fmt_int, fmt_percent
from dangvu.targets.models import Target
from dangvu.targets.programmes import programme_sentence
from dangvu.targets.terms import TermOf, term_named, term_on

from .annual import CAUSES, TASKS, admissions_chart, categories_sentence, work_part
from .common import (
    Ctx,
    finish,
    indicator_figures,
    indicator_table,
    level_table,
    levels_chart,
    new_report,
    own_rating_sentence,
    review_figures,
    section,
    version_at,
)
from .documents import doc_cited, find_document, implementing_sentence

COUNTED_YEARS_FROM = 3  # [I] a thematic period of at least this many years is titled "Tổng kết N năm"
REVIEW_TARGETS = {
    "review.members_good_or_better": ("members", "đảng viên"),
    "review.grassroots_good_or_better": ("grassroots", "tổ chức cơ sở đảng"),
}


_TERM_TEXT = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")


def term_period(ctx: Ctx, kind: str) -> tuple[Period, TermOf]:
    """The period a term, interim or thematic report covers, and the term it belongs to.

    "2015-2020" for a term report is the term from congress to congress (1/1/2015 → 31/12/2019 by the five-year
    rule when no date is recorded, domain.targets.Term); for an interim report, from the congress to the review
    date: the report's date when inside the term, else the mid-point (domain.targets.interim_span). Any other
    period is kept as written. A period is never said to run past the
    report's date (issue 12, item 2)."""
    p = ctx.period
    m = _TERM_TEXT.match(p.text.strip())
    if kind in (Kind.TERM, Kind.INTERIM) and m:
        held = term_named(ctx.root, int(m[1]), int(m[2]))
        if held.term.start > ctx.issued_on:
            raise RuleError(
                f"Nhiệm kỳ {held.term.label} bắt đầu ngày {fmt_date(held.term.start)}, sau ngày báo cáo "
                f"{fmt_date(ctx.issued_on)}.",
                field="period",
            )
        if kind == Kind.INTERIM:
            start, end = interim_span(held.term, ctx.issued_on)
        else:
            start, end = held.term.start, held.term.end
        return Period(start, min(end, ctx.issued_on), p.text), held
    if p.start <= ctx.issued_on < p.end:
        p = Period(p.start, ctx.issued_on, p.text)  # "since:…" runs to the report's date, not past it
    # A term or interim report written by dates belongs to the term it starts in (its end may be the next
    # congress's day); a thematic review to the term it ends in.
    return p, term_on(ctx.root, p.start if kind in (Kind.TERM, Kind.INTERIM) else p.end)


def build_term(ctx: Ctx, *, kind: str, document: str = "") -> Report:
    period, held = term_period(ctx, kind)
    if period != ctx.period:
        ctx = Ctx(ctx.root, version_at(ctx.root, period.end), period, ctx.issued_on, ctx.progress)
    p = ctx.period
    term = held.term
    doc = find_document(document, on=ctx.issued_on, root=ctx.root) if document else None
    term_years = f"{term.first_year} – {term.last_year}"
    if kind == Kind.THEMATIC:
        what = doc_cited(doc, root=ctx.root, on=ctx.issued_on) if doc else f"công tác xây dựng Đảng {p.title()}"
        # "Tổng kết 10 năm" counts calendar years as the seeds do (5/5/2008 → 16/3/2017) [I]; a short period that
        # is not whole years (15 months) is named by its dates alone, never "2 năm".
        counted = p.is_whole_years or p.days >= COUNTED_YEARS_FROM * 365
        subject = f"Tổng kết {p.span_years} năm thực hiện {what}" if counted else f"Tổng kết {what}"
        stem = f"chuyen-de-{p.first_year}-{p.last_year}"
    elif kind == Kind.INTERIM:
        subject = f"Sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội nhiệm kỳ {term_years}"
        stem = f"so-ket-{term.first_year}-{term.last_year}"
    else:
        subject = f"Tổng kết công tác xây dựng Đảng nhiệm kỳ {term_years}"
        stem = f"tong-ket-nhiem-ky-{term.first_year}-{term.last_year}"
    rep = new_report(ctx, kind, subject, stem)
    # "Từ … đến nay" only for a period that ends on the report's date; a closed period is named by its dates.
    to_date = p.end == ctx.issued_on
    during = period_lead(p, to_date=to_date)
    rep.intro = f"{ctx.committee} báo cáo {subject[0].lower() + subject[1:]} ({p.title()}) như sau:"

    s1 = section("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU")
    # The programme of the report's own term only: terms sharing a year are told apart by the congress dates.
    programme = held.programme
    if programme:
        s1.para(
            sentence(
                f"{during}, các cấp ủy đảng đã xây dựng và chỉ đạo thực hiện "
                f"{programme_sentence(programme)} giai đoạn {programme.term}"
            )
        )
    if doc:
        s1.para(
            sentence(
                f"{during}, {ctx.committee} đã lãnh đạo, chỉ đạo triển khai "
                + doc_cited(doc, root=ctx.root, on=ctx.issued_on)
                + implementing_sentence(doc, start=p.start, end=p.end, on=ctx.issued_on)
            )
        )
    ctx.progress(10, "Kết quả xếp loại từng năm")
    by_year = {}
    # A year's review belongs to the period when the period runs to the end of that year (a review of 5/5/2008 to
    # 16/3/2017 reports the reviews of 2008–2016) [I].
    reviewed = [y for y in p.years if dt.date(y, 12, 31) <= p.end] or p.years[:1]
    for i, y in enumerate(reviewed):
        by_year[y] = review_figures(rep, ctx.root, y, with_previous=False)
        ctx.progress(10 + 40 * (i + 1) // len(reviewed), f"Năm {y}")
    for code, (grp, who) in REVIEW_TARGETS.items():
        s1.para(yearly_share_sentence(rep, ctx, code, grp, who, by_year))
    for y in reviewed:
        own = own_rating_sentence(ctx.root, y)
        if own:
            s1.para(sentence(f"{ctx.name} {own}"))
    rep.sections.append(s1)

    ctx.progress(55, "Các chỉ số của cả giai đoạn")
    got = indicator_figures(rep, ctx.root, p.start, p.end, tag="period", previous=None)
    # The review's shares are judged year by year above; the catalogue's one-year reading of them is dropped.
    rep.figures = [f for f in rep.figures if not (f.code.startswith("period.review.") and f.year is None)]
    s2 = section("II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ XÂY DỰNG ĐẢNG")
    adm = got["admissions"]
    s2.para(
        sentence(
            f"{during}, {ctx.whole} đã kết nạp được {fmt_int(int(adm.value.value))} đảng viên"
            + (f", {'; '.join(adm.notes)}" if adm.notes else "")
            + (f" (trong đó có {categories_sentence(got)})" if categories_sentence(got) else "")
        )
    )
    for title, codes in (
        ("Công tác tổ chức, cán bộ", ["recognitions", "new_organizations", "cadre_moves", "training", "badges"]),
        ("Công tác kiểm tra, giám sát, kỷ luật", ["inspections", "petitions", "discipline.members"]),
        ("Công tác tư tưởng, khen thưởng", ["study.participation", "documents", "commendations", "free"]),
    ):
        part = work_part(title, got, codes, rep, "period", lead=during)
        s2.blocks.extend(part.blocks)  # a part with nothing recorded has no paragraph
    t = rep.add_table(
        level_table(
            "levels",
            f"Kết quả xếp loại chất lượng {p.title()}",
            by_year,
            [("grassroots", "Tổ chức cơ sở đảng"), ("branches", "Chi bộ trực thuộc"), ("members", "Đảng viên")],
        )
    )
    s2.table(t)
    for grp, who in (("grassroots", "tổ chức cơ sở đảng"), ("members", "đảng viên")):
        rep.trends[f"review.{grp}.good_or_better"] = [
            (y, float(g[grp].share(g[grp].at_least(3))) if g[grp].rated else None) for y, g in by_year.items()
        ]
        ch = levels_chart(f"levels_{grp}", by_year, grp, who)
        if ch:
            s2.chart(rep.add_chart(ch))
    ctx.progress(75, "Kết nạp theo năm")
    ch = admissions_chart(ctx, rep, p.years)
    if ch:
        s2.chart(rep.add_chart(ch))
    adm_table = Table(
        "admissions_by_year",
        "Kết nạp đảng viên theo năm",
        ["Năm", "Số đảng viên kết nạp"],
        [[y, n] for y, n in rep.trends.get("admissions", [])],
    )
    rep.add_table(adm_table)
    rep.sections.append(s2)

    s3 = section("III. HẠN CHẾ, NGUYÊN NHÂN")
    # Only what the records show missed: a term target in progress, a plan year not over, are no limitation.
    missed = [f for f in rep.figures if f.status == Status.MISSED]
    judged = [f for f in rep.figures if f.status in VERDICTS]
    if missed:
        s3.para(sentence("Một số chỉ tiêu chưa đạt: " + "; ".join(missed_clause(f) for f in missed)))
    elif judged:
        s3.para(sentence(f"Các chỉ tiêu đã có kết quả {p.title()} đều đạt hoặc vượt"))
    for c in CAUSES:
        s3.draft(c)
    rep.sections.append(s3)
    s4 = section("IV. BÀI HỌC KINH NGHIỆM")
    for s in LESSONS:
        s4.draft(s)
    rep.sections.append(s4)
    s5 = section("V. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    for s in TASKS:
        s5.draft(s)
    rep.sections.append(s5)
    rep.add_table(
        indicator_table(
            "indicators",
            f"Các chỉ số công tác xây dựng Đảng {p.title()}",
            [f for f in rep.figures if f.code.startswith("period.")],
        )
    )
    return finish(rep)


def period_lead(p: Period, *, to_date: bool) -> str:
    """'Từ năm 2015 đến nay' / 'Từ ngày 15/6/2015 đến nay' for a period ending on the report's date; otherwise the
    period by its dates or years: 'Trong giai đoạn 2010 – 2014', 'Từ ngày 15/6/2015 đến ngày 31/12/2017'."""
    if to_date:
        since = f"năm {p.first_year}" if (p.start.month, p.start.day) == (1, 1) else f"ngày {fmt_date(p.start)}"
        return f"Từ {since} đến nay"
    title = p.title()
    return capitalize(title) if title.startswith("từ ") else f"Trong {title}"


def missed_clause(f: Figure) -> str:
    """'kết nạp đảng viên mới (52 đảng viên; đạt 87% chỉ tiêu nhiệm kỳ, chưa đạt chỉ tiêu …)': the figure and why
    it is missed, as the records show it."""
    return f.sentence or f"{f.label[:1].lower() + f.label[1:]} ({f.printed})"


def yearly_share_sentence(rep: Report, ctx: Ctx, code: str, grp: str, who: str, by_year: dict) -> str:  # type: ignore[type-arg]
    """'Hàng năm, tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên đạt trên 95% (vượt chỉ tiêu Nghị quyết Đại hội
    đề ra)' (seed 002, F15/F16): the lowest year against the yearly target."""
    years = [y for y, g in by_year.items() if g[grp].rated]
    if not years:
        return ""
    shares = {y: by_year[y][grp].share(by_year[y][grp].at_least(3)) for y in years}
    target = Target.objects.filter(
        organization=ctx.root, indicator=code, first_year__lte=max(years), last_year__gte=min(years)
    ).first()
    lowest_year = min(years, key=lambda y: shares[y])
    lowest = shares[lowest_year]
    bound = Fraction(str(target.value)) if target else None
    status = over_years([Bound(target.op, target.value).status(shares[y]) for y in years]) if target else ""
    g = by_year[lowest_year][grp]
    # Under Hạn chế, the years that fell short said with their shares and the target as the resolution writes it.
    short = [y for y in years if Bound(target.op, target.value).status(shares[y]) == Status.MISSED] if target else []
    said_short = (
        f"tỷ lệ {who} hoàn thành tốt nhiệm vụ trở lên "
        + join_and([f"năm {y} đạt {fmt_percent(shares[y])}" for y in short])
        + f", chưa đạt chỉ tiêu {bound_text(target.op, target.value, '%')} mỗi năm"
        if short and target
        else ""
    )
    rep.add(
        Figure(
            f"period.{code}",
            f"Tỷ lệ {who} hoàn thành tốt nhiệm vụ trở lên (năm thấp nhất)",
            lowest,
            "%",
            g.at_least(3),
            g.rated,
            share_over_years(lowest, bound),
            year=lowest_year,
            target=Bound(target.op, target.value).printed("%") if target else "",
            status=status,
            sentence=said_short,
        )
    )
    tail = f"{STATUS_LABELS[Status(status)]} {target.title or 'Nghị quyết Đại hội đề ra'}" if target and status else ""
    each = ", ".join(f"năm {y}: {fmt_percent(shares[y])}" for y in years) if len(years) > 1 else ""
    inside = "; ".join(x for x in (tail, each) if x)
    lead = "Hàng năm" if len(years) > 1 else f"Năm {years[0]}"
    return sentence(
        f"{lead}, tỷ lệ {who} hoàn thành tốt nhiệm vụ trở lên đạt {share_over_years(lowest, bound)}"
        + (f" ({inside})" if inside else "")
    )
