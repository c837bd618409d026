"""The review's figures as sentences, shared by the annual and the review reports: rated of the total, each
level's share with the exemplary within the top level, the top level against the good level, the units by kind
with their change, the comparison with the year before (only when that year's review covers enough units, and
saying why not), and the trend over the years."""

from __future__ import annotations

from dangvu.assessment.stats import review_stats
from dangvu.domain.assessment.figures import GroupStats, levels_clause, rated_clause, top_label, top_of_good_clause
from dangvu.domain.orgtree import OrgKind
from dangvu.domain.reports.model import Report, Section
from dangvu.domain.reports.phrasing import (
    SEED_PHRASEBOOK,
    Form,
    Phrase,
    change_share,
    join_and,
    none_left,
    phrase,
    quotes,
    sentence,
    trend_sentence,
)

from .common import Ctx, comparable, comparison_note, old_scheme
from .queries import review_by_kind

KIND_NOUNS: dict[str, str] = {
    OrgKind.GRASSROOTS_COMMITTEE: "đảng bộ cơ sở",
    OrgKind.GRASSROOTS_BRANCH: "chi bộ cơ sở",
    OrgKind.BRANCH: "chi bộ trực thuộc",
}


GROUPS = (("grassroots", "tổ chức cơ sở đảng"), ("branches", "chi bộ trực thuộc"), ("members", "đảng viên"))


def review_detail(ctx: Ctx, rep: Report, year: int, g: dict[str, GroupStats]) -> list[str]:
    """Rated of the total, each level's share with the exemplary within the top level, the top level as a share of
    the good level, the grassroots by kind with their change, and the change of the good-or-better shares from
    the year before only when that year's review covers enough units (otherwise why not)."""
    old = old_scheme(year)
    out = []
    rated = join_and([rated_clause(g[grp], who, said=False) for grp, who in GROUPS])
    if rated:
        out.append(sentence(f"{rated} được đánh giá, xếp loại"))
    for grp, who in GROUPS:
        clause = levels_clause(g[grp], who, old_scheme=old, members=grp == "members")
        if clause:
            quota = "" if old else top_of_good_clause(g[grp], who)
            out.append(quotes(sentence("Xếp loại " + clause + (f"; {quota}" if quota else ""))))
    prev = review_stats(ctx.root, year - 1)
    note = comparison_note(prev, year - 1)
    if note and not comparable(prev):
        out.append(sentence(note))
        return out
    changes = []
    for grp, who in GROUPS:
        f = next((f for f in rep.figures if f.code == f"review.{year}.{grp}.good_or_better"), None)
        if f and f.change:
            changes.append(f"tỷ lệ {who} hoàn thành tốt nhiệm vụ trở lên {f.change}")
    if changes:
        out.append(sentence(join_and(changes) + (f" ({note})" if note else "")))
    kinds, kinds_before = review_by_kind(ctx.root, year), review_by_kind(ctx.root, year - 1)
    label = top_label(old)
    parts = []
    for kind, noun in KIND_NOUNS.items():
        k = kinds.get(kind)
        if not k or not k.rated:
            continue
        b = kinds_before.get(kind)
        share, before = k.share(k.at_rank(4)), (b.share(b.at_rank(4)) if b and b.rated else None)
        places = SEED_PHRASEBOOK.point_places
        change = change_share(share, before, than=f"năm {year - 1}", places=places) if before is not None else ""
        parts.append(
            f"{phrase(k.at_rank(4), k.rated, Phrase(Form.FRACTION_SHARE, noun=noun))} đạt '{label}'"
            + (f" ({change})" if change else "")
        )
    if len(parts) > 1:  # one kind alone is the group's own sentence already
        out.append(quotes(sentence("Theo loại tổ chức: " + "; ".join(parts))))
    return out


def trend_part(s: Section, by_year: dict[int, dict[str, GroupStats]]) -> None:
    """The trend of the top level over the trend years, and the lowest level gone ('không còn chi bộ yếu kém'):
    years whose review covers too few units count as missing."""
    # One scheme's levels only: a TSVM share of 2017 and an HTXS share of 2018 are not one series.
    years = [y for y in sorted(by_year) if old_scheme(y) == old_scheme(max(by_year))]
    if len(years) < 2:
        return
    out = []
    for grp, who in GROUPS[:2]:
        series = [
            (
                y,
                by_year[y][grp].share(by_year[y][grp].at_rank(4))
                if by_year[y][grp].rated and comparable(by_year[y])
                else None,
            )
            for y in years
        ]
        label = top_label(old_scheme(years[-1]))
        t = trend_sentence(series, what=f"tỷ lệ {who} đạt '{label}'")
        if t:
            out.append(t)
        lowest = [
            (y, by_year[y][grp].at_rank(1) if by_year[y][grp].rated and comparable(by_year[y]) else None) for y in years
        ]
        weak_name = "yếu kém" if old_scheme(years[-1]) else "không hoàn thành nhiệm vụ"
        gone = none_left(lowest, f"{who} {weak_name}")
        if gone:
            out.append(gone)
    for t in out:
        s.para(quotes(sentence(t)))
