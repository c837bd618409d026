"""Text helpers of the phrasing layer: joining clauses, sentences, quotes, spelled labels (and the seed forms
that came first: changes, streaks, shares held over years). Numbers through domain.vietnamese only."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ...vietnamese import fmt_above, fmt_decimal, fmt_int, fmt_percent

Number = int | Fraction | Decimal

# Points of a share compared with the previous period are printed with one decimal [I].
POINT_PLACES = 1


def change_count(now: int, before: int | None, *, than: str) -> str:
    """'tăng 12 so với năm 2015', 'giảm 3 …', 'bằng năm 2015' ("" when there is nothing to compare with)."""
    if before is None:
        return ""
    if now == before:
        return f"bằng {than}"
    word = "tăng" if now > before else "giảm"
    return f"{word} {fmt_int(abs(now - before))} so với {than}"


def change_share(now: Fraction, before: Fraction | None, *, than: str, places: int = POINT_PLACES) -> str:
    """'tăng 3,2 điểm phần trăm so với năm 2015' (places: the template's; two decimals where it says so). A change
    that rounds to nothing at those places is 'bằng …' rather than 'tăng 0,0 điểm'."""
    if before is None:
        return ""
    diff = (Fraction(now) - Fraction(before)) * 100
    if fmt_decimal(abs(diff), places) == fmt_decimal(0, places):
        return f"bằng {than}"
    word = "tăng" if diff > 0 else "giảm"
    return f"{word} {fmt_decimal(abs(diff), places)} điểm phần trăm so với {than}"


def join_and(parts: list[str]) -> str:
    """'a, b và c'."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def capitalize(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def sentence(s: str) -> str:
    """A clause as a sentence: capitalized, one final full stop."""
    s = s.strip()
    if not s:
        return s
    s = capitalize(s)
    return s if s.endswith((".", "!", "?", "…")) else s + "."


LESSONS: list[str] = [
    # Lessons are the committee's judgement, not a figure: these defaults follow the outlines
    # (badges_forms_reports §3, 'Bài học kinh nghiệm') [I] and are edited in the template or the document.
    "Phải thường xuyên chăm lo xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh, nâng cao chất lượng "
    "sinh hoạt chi bộ và chất lượng đội ngũ đảng viên.",
    "Cấp ủy, người đứng đầu phải nêu gương, sâu sát cơ sở; kịp thời sơ kết, rút kinh nghiệm, nhân rộng "
    "mô hình hay, cách làm mới.",
    "Kết hợp chặt chẽ giữa xây dựng và chỉnh đốn Đảng; tăng cường kiểm tra, giám sát, giữ nghiêm kỷ luật, "
    "kỷ cương trong Đảng.",
]


def quotes(s: str) -> str:
    """The seeds quote titles with “…”: 'Trong sạch, vững mạnh' → “Trong sạch, vững mạnh”."""
    out, open_ = [], True
    for i, ch in enumerate(s):
        if ch == "'" and not (0 < i < len(s) - 1 and s[i - 1].isalpha() and s[i + 1].isalpha()):
            out.append("“" if open_ else "”")
            open_ = not open_
        else:
            out.append(ch)
    return "".join(out)


def streak_sentence(
    count: int, length: int, end_year: int, *, who: str = "cá nhân", title: str = "Hoàn thành xuất sắc nhiệm vụ"
) -> str:
    """'12 cá nhân “Hoàn thành xuất sắc nhiệm vụ” 5 năm liền (2012 – 2016)' (seed 000, F5)."""
    return f"{fmt_int(count)} {who} “{title}” {length} năm liền ({end_year - length + 1} – {end_year})"


def share_over_years(lowest: Fraction, bound: Fraction | None) -> str:
    """A share held every year, printed against the target the way seed 002 prints it: 'trên 95%' when the lowest
    year is above the bound, '90% trở lên' when it equals it (F15, F16)."""
    if bound is not None and lowest > bound:
        return f"trên {fmt_percent(bound, 0)}"
    if bound is not None and lowest == bound:
        return f"{fmt_percent(bound, 0)} trở lên"
    return fmt_above(lowest)


ABBREVIATIONS = {
    "HTXS": "hoàn thành xuất sắc nhiệm vụ",
    "HTT": "hoàn thành tốt nhiệm vụ",
    "HTNV": "hoàn thành nhiệm vụ",
    "TCCSĐ": "tổ chức cơ sở đảng",
    "TSVM": "“Trong sạch, vững mạnh”",
}


def spell(label: str) -> str:
    """A catalogue label inside a sentence: abbreviations spelled out, lower case ('Tỷ lệ TCCSĐ HTT trở lên' →
    'tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên')."""
    words = [ABBREVIATIONS.get(w, w) for w in label.split(" ")]
    out = " ".join(words)
    return out[:1].lower() + out[1:]
