"""The forms a report prints a count or a share in, as data a template (or a committee's setting) chooses per
figure: "23 tổ chức cơ sở đảng", "23/56 tổ chức cơ sở đảng", "41,07% tổ chức cơ sở đảng", "trên 71% đảng viên",
"gần 96% đảng viên", "23 tổ chức cơ sở đảng (41,07%)".

SEED_FIGURES (end): "N/D" for counts; "trên X%" where the exact share is above a round figure (F3, F15);
two decimals for a share printed as such (F1 "41,07%", F14 "99,35%"). Every form says only what is true of the
exact value: "trên X%" only when the value is above X, "gần X%" only when it is below X, and a share that is not
all (none) never prints as 100% (0%).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from fnmatch import fnmatchcase
from fractions import Fraction

from ...vietnamese import fmt_decimal, fmt_fraction, fmt_int
from .text import POINT_PLACES

# A share printed as such has two decimals (seeds F1 "41,07%", F14 "99,35%") [V for the seeds; I as a rule].
SHARE_PLACES = 2
# "trên X%" / "gần X%" round to whole percent (F3 "trên 71%", F15 "trên 95%") [V for the seeds; I as a rule].
ROUND_FIGURE_PLACES = 0
# A share that is not all (none) never prints as 100% (0%): rounding half up would make 9.999/10.000 "100,00%",
# which a reader takes for "all" [I]. Set False to print the plain half-up rounding everywhere.
KEEP_ENDS = True


class Form(StrEnum):
    COUNT = "count"  # "23 tổ chức cơ sở đảng"
    FRACTION = "fraction"  # "23/56 tổ chức cơ sở đảng"
    SHARE = "share"  # "41,07% tổ chức cơ sở đảng"
    ABOVE = "above"  # "trên 41% tổ chức cơ sở đảng" (or "41%" when exactly 41%)
    NEAR = "near"  # "gần 42% tổ chức cơ sở đảng" (or "42%" when exactly 42%)
    COUNT_SHARE = "count_share"  # "23 tổ chức cơ sở đảng (41,07%)"
    FRACTION_SHARE = "fraction_share"  # "23/56 tổ chức cơ sở đảng (41,07%)"


@dataclass(frozen=True)
class Phrase:
    """How one figure is printed: its form, the decimals of its share, the noun that follows the number and a verb
    before it ("đạt" → "đạt trên 95%"). Plain data: a template or a setting can carry it."""

    form: Form = Form.SHARE
    places: int | None = None  # None: SHARE_PLACES for share forms, ROUND_FIGURE_PLACES for above/near
    noun: str = ""
    verb: str = ""

    def with_noun(self, noun: str) -> Phrase:
        return replace(self, noun=noun)

    @property
    def decimals(self) -> int:
        if self.places is not None:
            return self.places
        return ROUND_FIGURE_PLACES if self.form in (Form.ABOVE, Form.NEAR) else SHARE_PLACES


def _steps(value: Fraction | int, places: int) -> Fraction:
    """The value in steps of the last printed decimal of a percentage (exact: no float, no Decimal context)."""
    return Fraction(value) * 100 * 10**places


def _printed(steps: int, places: int) -> str:
    return fmt_decimal(Decimal(steps).scaleb(-places), places) + "%"


def share_text(value: Fraction | int, places: int = SHARE_PLACES, *, keep_ends: bool = KEEP_ENDS) -> str:
    """'41,07%': half up at the places; with keep_ends, a share strictly between 0 and 1 stays strictly between
    0% and 100% as printed."""
    v = Fraction(value)
    x = _steps(v, places)
    q = math.floor(x + Fraction(1, 2))
    if keep_ends and 0 < v < 1:
        q = min(max(q, 1), 100 * 10**places - 1)
    return _printed(q, places)


def above_text(value: Fraction | int, places: int = ROUND_FIGURE_PLACES) -> str:
    """'trên 71%' when the value is above 71% (rounded down at the places), '71%' when it is exactly 71%."""
    x = _steps(value, places)
    text = _printed(math.floor(x), places)
    return text if x.denominator == 1 else f"trên {text}"


def near_text(value: Fraction | int, places: int = ROUND_FIGURE_PLACES) -> str:
    """'gần 96%' when the value is below 96% (rounded up at the places), '96%' when it is exactly 96%."""
    x = _steps(value, places)
    text = _printed(math.ceil(x), places)
    return text if x.denominator == 1 else f"gần {text}"


def _ratio(part: int, whole: int) -> Fraction:
    return Fraction(part, whole) if whole else Fraction(0)


def _noun(text: str, noun: str) -> str:
    return f"{text} {noun}" if noun else text


def phrase(part: int, whole: int, spec: Phrase = Phrase()) -> str:
    """The figure part/whole in the form the spec names, with its noun and verb:
    phrase(23, 56, Phrase(Form.FRACTION, noun="tổ chức cơ sở đảng")) == '23/56 tổ chức cơ sở đảng'."""
    v, p = _ratio(part, whole), spec.decimals
    match spec.form:
        case Form.COUNT:
            text = _noun(fmt_int(part), spec.noun)
        case Form.FRACTION:
            text = _noun(fmt_fraction(part, whole), spec.noun)
        case Form.SHARE:
            text = _noun(share_text(v, p), spec.noun)
        case Form.ABOVE:
            text = _noun(above_text(v, p), spec.noun)
        case Form.NEAR:
            text = _noun(near_text(v, p), spec.noun)
        case Form.COUNT_SHARE:
            text = f"{_noun(fmt_int(part), spec.noun)} ({share_text(v, p)})"
        case Form.FRACTION_SHARE:
            text = f"{_noun(fmt_fraction(part, whole), spec.noun)} ({share_text(v, p)})"
    return f"{spec.verb} {text}" if spec.verb else text


def rated_of(rated: int, total: int, noun: str) -> str:
    """'54/56 tổ chức cơ sở đảng được đánh giá, xếp loại'."""
    return f"{fmt_fraction(rated, total)} {noun} được đánh giá, xếp loại"


def all_or_share(part: int, whole: int, noun: str, predicate: str, *, spec: Phrase | None = None) -> str:
    """'100% tổ chức cơ sở đảng đều kết nạp được đảng viên' only when every one did; otherwise the figure in the
    spec's form ('50/56 tổ chức cơ sở đảng (89,29%) kết nạp được đảng viên'); "" when there is none to count."""
    if not whole:
        return ""
    if part == whole:
        return f"100% {noun} đều {predicate}"
    s = spec or Phrase(Form.FRACTION_SHARE)
    return f"{phrase(part, whole, s.with_noun(noun))} {predicate}"


def within(part: int, subset: int, spec: Phrase = Phrase(Form.COUNT_SHARE)) -> str:
    """A share inside a subset, the subset named by the caller: 'trong đó có ' + within(6, 27, …) →
    '6 tổ chức tiêu biểu (22,22%)' (the exemplary among the top level, F9)."""
    return phrase(part, subset, spec)


def share_of(part: int, base: int, *, part_noun: str, base_noun: str, places: int = SHARE_PLACES) -> str:
    """One count as a share of another that does not contain it: 'số hoàn thành xuất sắc nhiệm vụ bằng 18,52% số
    hoàn thành tốt nhiệm vụ' (HD 21-HD/BTCTW: HTXS is capped as a share of HTT). "" when the base is zero."""
    if not base:
        return ""
    return f"{part_noun} bằng {share_text(Fraction(part, base), places, keep_ends=False)} {base_noun}"


@dataclass(frozen=True)
class Phrasebook:
    """The forms chosen per figure: code patterns (fnmatch, 'review.*.members.good_or_better') to Phrase, the
    first match wins, else the default. A template or a committee's setting overrides a few entries."""

    entries: Mapping[str, Phrase] = field(default_factory=dict)
    default: Phrase = Phrase()
    # Decimals of a change in percentage points in the text ('tăng 3,2 điểm' or, where the template says so,
    # 'tăng 3,25 điểm').
    point_places: int = POINT_PLACES

    def for_code(self, code: str, default: Phrase | None = None) -> Phrase:
        for pattern, spec in self.entries.items():
            if fnmatchcase(code, pattern):
                return spec
        return default or self.default

    def overridden(self, more: Mapping[str, Phrase]) -> Phrasebook:
        return replace(self, entries={**more, **{k: v for k, v in self.entries.items() if k not in more}})


# The seeds' choices (SEED_FIGURES F1–F3, F9): members' good-or-better share "trên X%", the grassroots top level
# as a share with two decimals, branches as N/D.
SEED_PHRASEBOOK = Phrasebook(
    {
        "review.*.members.good_or_better": Phrase(Form.ABOVE),
        "review.*.grassroots.top": Phrase(Form.SHARE),
        "review.*.branches.top": Phrase(Form.FRACTION),
        "review.*.grassroots.top_count": Phrase(Form.FRACTION),
        # The review sentence says the grassroots top level once, with both seeds' figures (F1's share, F9's
        # N/D): "có 23/56 tổ chức cơ sở đảng (41,07%) đạt …, trong đó có 3 tiêu biểu" [I].
        "review.*.grassroots.top_sentence": Phrase(Form.FRACTION_SHARE),
    }
)
