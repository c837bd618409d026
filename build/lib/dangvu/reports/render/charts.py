"""Charts with matplotlib (Agg), Vietnamese labels, PNG bytes for the DOCX."""

from __future__ import annotations

import textwrap
from io import BytesIO

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from dangvu.domain.reports.model import Chart
from dangvu.domain.vietnamese import fmt_decimal

# A serif with full Vietnamese coverage that matches the body (fonts-liberation2, fonts-croscore; STACK_NOTES §5);
# matplotlib falls back along the list.
FONTS = ["Liberation Serif", "Tinos", "DejaVu Serif", "DejaVu Sans"]
COLOURS = ["#b71c1c", "#e57373", "#ffb74d", "#9e9e9e", "#1565c0", "#64b5f6"]


def shorten(label: str, width: int = 18, lines: int = 3) -> str:
    """A category label on up to three lines, cut with '…' beyond."""
    out = textwrap.wrap(label, width)
    return "\n".join(out[:lines]) + ("…" if len(out) > lines else "")


def chart_png(c: Chart, *, dpi: int = 110) -> bytes:
    with plt.rc_context({"font.family": "serif", "font.serif": FONTS, "font.size": 10}):
        fig = Figure(figsize=(7.0, 3.4), dpi=dpi)
        ax = fig.add_subplot()
        n = len(c.series)
        xs = range(len(c.categories))
        bottoms = [0.0] * len(c.categories)
        width = 0.7 if c.stacked else 0.8 / max(n, 1)
        for i, (name, values) in enumerate(c.series.items()):
            colour = COLOURS[i % len(COLOURS)]
            if c.stacked:
                ax.bar(xs, values, width, bottom=bottoms, label=name, color=colour)
                bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
            else:
                pos = [x - 0.4 + width * (i + 0.5) for x in xs]
                bars = ax.bar(pos, values, width, label=name, color=colour)
                for bar, v in zip(bars, values, strict=True):
                    ax.annotate(
                        fmt_decimal(v, 0),
                        (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center",
                        va="bottom",
                        fontsize=8,
                    )
        ax.set_xticks(list(xs))
        labels = [shorten(lbl) for lbl in c.categories]
        ax.set_xticklabels(
            labels, rotation=0 if len(c.categories) <= 6 else 30, ha="center" if len(c.categories) <= 6 else "right"
        )
        ax.set_ylabel(c.y_label)
        ax.yaxis.set_major_formatter(lambda v, _pos: fmt_decimal(v, 0))
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        # Fixed margins (tight_layout measures every label: a third of the time): legend right, labels below.
        fig.subplots_adjust(left=0.09, right=0.76, bottom=0.2 if len(c.categories) <= 6 else 0.3, top=0.96)
        buf = BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()
