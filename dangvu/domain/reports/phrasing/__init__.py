"""The phrasing layer: every figure of a report printed the way the party's reports print it, the form chosen as
data per template and per figure (forms.Phrase, forms.Phrasebook). Builders call these; nothing else formats a
count or a share inside a sentence.

- forms: count, N/D, share with the party's rounding, 'trên / gần X%', '100% … đều …', 'N/D … được đánh giá',
  a share within a subset, one count as a share of another.
- changes: change from the previous period (count, percentage points, counts by kind), achievement of a plan
  ('đạt 116% kế hoạch'), the verdict on a target ('vượt chỉ tiêu'), a target as written ('từ 95% trở lên').
- trends: the trend over years ('hằng năm tăng'), reaching zero ('không còn chi bộ yếu kém'), the average over N
  years, units ranked.
- text: joining clauses, sentences, quotes, spelled labels.
"""

from .changes import VERDICT_WORDS, achieved, bound_text, change_points, counts_by_kind, verdict
from .forms import (
    KEEP_ENDS,
    ROUND_FIGURE_PLACES,
    SEED_PHRASEBOOK,
    SHARE_PLACES,
    Form,
    Phrase,
    Phrasebook,
    above_text,
    all_or_share,
    near_text,
    phrase,
    rated_of,
    share_of,
    share_text,
    within,
)
from .text import (
    ABBREVIATIONS,
    LESSONS,
    POINT_PLACES,
    capitalize,
    change_count,
    change_share,
    join_and,
    quotes,
    sentence,
    share_over_years,
    spell,
    streak_sentence,
)
from .trends import (
    AVERAGE_POOLED,
    RANK_TOP,
    Ranked,
    Trend,
    average_sentence,
    average_share,
    none_left,
    rank_units,
    ranking_sentence,
    trend_of,
    trend_sentence,
)

__all__ = [
    "ABBREVIATIONS",
    "AVERAGE_POOLED",
    "KEEP_ENDS",
    "LESSONS",
    "POINT_PLACES",
    "RANK_TOP",
    "ROUND_FIGURE_PLACES",
    "SEED_PHRASEBOOK",
    "SHARE_PLACES",
    "VERDICT_WORDS",
    "Form",
    "Phrase",
    "Phrasebook",
    "Ranked",
    "Trend",
    "above_text",
    "achieved",
    "all_or_share",
    "average_sentence",
    "average_share",
    "bound_text",
    "capitalize",
    "change_count",
    "change_points",
    "change_share",
    "counts_by_kind",
    "join_and",
    "near_text",
    "none_left",
    "phrase",
    "quotes",
    "rank_units",
    "ranking_sentence",
    "rated_of",
    "sentence",
    "share_of",
    "share_over_years",
    "share_text",
    "spell",
    "streak_sentence",
    "trend_of",
    "trend_sentence",
    "verdict",
    "within",
]
