"""Interim (sơ kết giữa nhiệm kỳ), term (tổng kết nhiệm kỳ) and thematic N-year reviews: totals over the
period, each year's review shares against the congress targets (F15, F16), the programme (F20), admissions
since a date across the 2025 reform (F17, F18), and the document reviewed (F6)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from dangvu.domain.reports.model import Figure, Report, Table
from dangvu.domain.reports.periods import Kind
from dangvu.domain.reports.phrasing import LESSONS, capitalize, sentence, share_over_years
from dangvu.domain.targets import STATUS_LABELS, Bound, Status, over_years
from dangvu.domain.vietnamese import fmt_int, fmt_percent
from dangvu.targets.models import Target, TermProgramme
from dangvu.targets.programmes import programme_sentence

from .annual import CAUSES, TASKS, admissions_chart, categories_sentence, work_part
from .common import (
    Ctx,
    indicator_figures,
    indicator_table,
    level_table,
    levels_chart,
    new_report,
    own_rating_sentence,
    review_figures,
    section,
)
from .documents import doc_cited, find_document, implementing_sentence

REVIEW_TARGETS = {
    "review.members_good_or_better": ("members", "đảng viên"),
    "review.grassroots_good_or_better": ("grassroots", "tổ chức cơ sở đảng"),
}


def build_term(ctx: Ctx, *, kind: str, document: str = "") -> Report:
    p = ctx.period
    doc = find_document(document, on=ctx.issued_on, root=ctx.root) if document else None
    if kind == Kind.THEMATIC:
        what = doc_cited(doc, root=ctx.root, on=ctx.issued_on) if doc else f"công tác xây dựng Đảng {p.printed()}"
        subject = f"Tổng kết {p.span_years} năm thực hiện {what}"
        stem = f"chuyen-de-{p.first_year}-{p.last_year}"
    elif kind == Kind.INTERIM:
        subject = f"Sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội (giai đoạn {p.years_printed()})"
        stem = f"so-ket-{p.first_year}-{p.last_year}"
    else:
        subject = f"Tổng kết công tác xây dựng Đảng nhiệm kỳ {p.years_printed()}"
        stem = f"tong-ket-nhiem-ky-{p.first_year}-{p.last_year}"
    rep = new_report(ctx, kind, subject, stem)
    printed = p.printed()  # "giai đoạn 2020 – 2025" or "từ ngày 5/5/2008 đến ngày 16/3/2017"
    during = capitalize(printed) if printed.startswith("từ ") else f"Trong {printed}"
    half = "Trong nửa nhiệm kỳ qua" if kind == Kind.INTERIM else during
    rep.intro = f"{ctx.committee} báo cáo {subject[0].lower() + subject[1:]} như sau:"

    s1 = section("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU")
    programme = (
        TermProgramme.objects.filter(organization=ctx.root, first_year__lte=p.last_year, last_year__gte=p.first_year)
        .order_by("-first_year")
        .first()
    )
    if programme:
        s1.para(
            sentence(
                f"{half}, các cấp ủy đảng đã chủ động xây dựng và chỉ đạo thực hiện có hiệu quả "
                f"{programme_sentence(programme)} giai đoạn {programme.term}"
            )
        )
    if doc:
        s1.para(
            sentence(
                f"{half}, {ctx.committee} đã lãnh đạo, chỉ đạo triển khai "
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
    adm = got["admissions"].value.value
    since = f"Từ năm {p.first_year} đến nay" if p.end >= ctx.issued_on - dt.timedelta(days=366) else half
    s2.para(
        sentence(
            f"{since}, {ctx.whole} đã kết nạp được {fmt_int(int(adm))} đảng viên"
            + (f" (trong đó có {categories_sentence(got)})" if categories_sentence(got) else "")
        )
    )
    for title, codes in (
        ("Công tác tổ chức, cán bộ", ["recognitions", "new_organizations", "cadre_moves", "training", "badges"]),
        ("Công tác kiểm tra, giám sát, kỷ luật", ["inspections", "petitions", "discipline.members"]),
        ("Công tác tư tưởng, khen thưởng", ["study.participation", "documents", "commendations", "free"]),
    ):
        part = work_part(title, got, codes, rep, "period", lead="Trong nhiệm kỳ" if kind != Kind.THEMATIC else half)
        s2.blocks.extend(part.blocks)  # a part with nothing recorded has no paragraph
    t = rep.add_table(
        level_table(
            "levels",
            f"Kết quả xếp loại chất lượng {p.printed()}",
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
    missed = [f for f in rep.figures if f.status == "missed"]
    if missed:
        s3.para(sentence("Một số chỉ tiêu chưa đạt: " + "; ".join(f"{f.label.lower()} ({f.printed})" for f in missed)))
    else:
        s3.para("Các chỉ tiêu chủ yếu đều đạt và vượt; tuy vậy chất lượng sinh hoạt chi bộ ở một số nơi chưa đồng đều.")
    for c in CAUSES:
        s3.para(c)
    rep.sections.append(s3)
    s4 = section("IV. BÀI HỌC KINH NGHIỆM")
    for s in LESSONS:
        s4.para(s)
    rep.sections.append(s4)
    s5 = section("V. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    for s in TASKS:
        s5.para(s)
    rep.sections.append(s5)
    rep.add_table(
        indicator_table(
            "indicators",
            f"Các chỉ số công tác xây dựng Đảng {p.printed()}",
            [f for f in rep.figures if f.code.startswith("period.")],
        )
    )
    return rep


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
