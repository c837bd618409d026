"""Báo cáo kết quả kiểm điểm, đánh giá, xếp loại chất lượng năm … (outline, badges_forms_reports §3 [I]):
I. Công tác lãnh đạo, chỉ đạo; II. Kết quả kiểm điểm; III. Kết quả xếp loại (tables by level: number assessed,
each level, % of assessed, not rated); IV. Nhận xét; V. Kiến nghị (commendations proposed, HD 21)."""

from __future__ import annotations

from dangvu.assessment.models import AssessmentCycle
from dangvu.domain.assessment.levels import NOT_RATED_LABELS
from dangvu.domain.assessment.regimes import regime_for_year
from dangvu.domain.reports.model import Report, Table
from dangvu.domain.reports.periods import Kind
from dangvu.domain.reports.phrasing import sentence
from dangvu.domain.vietnamese import fmt_date, fmt_int
from dangvu.work.proposals import proposals

from .common import (
    Ctx,
    finish,
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
from .review_parts import review_detail


def build_review(ctx: Ctx) -> Report:
    year = ctx.period.last_year
    rep = new_report(
        ctx,
        Kind.REVIEW,
        f"Kết quả kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm {year}",
        f"danh-gia-xep-loai-{year}",
    )
    regime = regime_for_year(year)
    cycle = AssessmentCycle.objects.filter(committee=ctx.root, year=year).first()
    rep.intro = (
        f"Thực hiện {regime.title}, {ctx.committee} báo cáo kết quả kiểm điểm, đánh giá, xếp loại chất lượng tổ "
        f"chức đảng và đảng viên năm {year} như sau:"
    )
    ctx.progress(20, "Tính kết quả xếp loại")
    g = review_figures(rep, ctx.root, year)
    prev = review_figures(
        Report(rep.kind, "", "", rep.period, rep.header, "", ""), ctx.root, year - 1, with_previous=False
    )
    s1 = section("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO")
    s1.para(
        sentence(
            f"Việc kiểm điểm, đánh giá, xếp loại chất lượng năm {year} thực hiện theo {regime.title} ({regime.sources})"
            + (f"; thời điểm xếp loại ngày {fmt_date(cycle.rated_on)}" if cycle else "")
        )
    )
    rep.sections.append(s1)
    s2 = section("II. KẾT QUẢ KIỂM ĐIỂM")
    gr, b, m = g["grassroots"], g["branches"], g["members"]
    collectives = gr.rated + b.rated + sum(gr.not_rated.values()) + sum(b.not_rated.values())
    reviewed = m.rated + sum(m.not_rated.values())
    if collectives or reviewed:
        s2.para(sentence(f"Có {fmt_int(collectives)} tập thể và {fmt_int(reviewed)} đảng viên thực hiện kiểm điểm"))
    rep.sections.append(s2)
    s3 = section("III. KẾT QUẢ XẾP LOẠI")
    text = review_sentences(g, year)
    s3.para(sentence("Kết quả " + "; ".join(text)) if text else f"Năm {year} chưa có kết quả xếp loại.")
    if text:
        for para in review_detail(ctx, rep, year, g):
            s3.para(para)
    st = streak_figure(rep, ctx.root, year)
    s3.para(sentence(f"Có {st.sentence}") if st.value else "")
    own = own_rating_sentence(ctx.root, year)
    s3.para(sentence(f"{ctx.name} {own}") if own else "")
    by_year = {year - 1: prev, year: g}
    t = rep.add_table(
        level_table(
            "levels",
            f"Kết quả xếp loại năm {year} (so với năm {year - 1})",
            by_year,
            [("grassroots", "Tổ chức cơ sở đảng"), ("branches", "Chi bộ trực thuộc"), ("members", "Đảng viên")],
        )
    )
    s3.table(t)
    nr = Table("not_rated", "Không xếp loại, theo lý do", ["Đối tượng", "Lý do", "Số lượng"], [])
    for grp, who in (("grassroots", "Tổ chức cơ sở đảng"), ("branches", "Chi bộ trực thuộc"), ("members", "Đảng viên")):
        for reason, n in sorted(g[grp].not_rated.items()):
            nr.rows.append([who, NOT_RATED_LABELS[reason], n])
    if nr.rows:
        s3.table(rep.add_table(nr))
    for grp, who in (("grassroots", "tổ chức cơ sở đảng"), ("members", "đảng viên")):
        ch = levels_chart(f"levels_{grp}", by_year, grp, who)
        if ch:
            s3.chart(rep.add_chart(ch))
    rep.sections.append(s3)
    s4 = section("IV. NHẬN XÉT")
    notes = []
    if m.at_rank(1):
        notes.append(f"còn {fmt_int(m.at_rank(1))} đảng viên không hoàn thành nhiệm vụ")
    for stats, who in ((gr, "tổ chức cơ sở đảng"), (b, "chi bộ trực thuộc")):
        if stats.pending:
            notes.append(f"{fmt_int(stats.pending)} {who} chưa có kết quả")
    # How the review was carried out is the committee's judgement, not a figure: a draft to edit.
    s4.draft("Việc kiểm điểm, đánh giá, xếp loại được thực hiện nghiêm túc, đúng quy trình, thực chất.")
    s4.para(sentence("Còn " + "; ".join(n.removeprefix("còn ") for n in notes)) if notes else "")
    rep.sections.append(s4)
    s5 = section("V. KIẾN NGHỊ")
    ctx.progress(60, "Đề xuất khen thưởng")
    props = proposals(ctx.root, year)
    if props:
        s5.para(sentence(f"Đề nghị khen thưởng {fmt_int(len(props))} trường hợp (danh sách kèm theo)"))
        s5.table(
            rep.add_table(
                Table(
                    "proposals",
                    "Danh sách đề nghị khen thưởng",
                    ["STT", "Danh hiệu", "Mã", "Tên", "Căn cứ"],
                    [[i + 1, p.title, p.subject, p.name, p.evidence] for i, p in enumerate(props)],
                )
            )
        )
    else:
        s5.para("Không có trường hợp đủ điều kiện đề nghị khen thưởng theo kết quả xếp loại.")
    rep.sections.append(s5)
    rep.add_table(org_results_table(ctx.root, year))  # the XLSX appendix only: one row per organization
    finish(rep)
    return rep
