"""The organization tree's rows as HTML, written in Python: a district is some 400 rows and a province thousands;
the template language took most of the page's time for them (4 tags and 2 {% url %} per row)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dangvu.domain.vietnamese import fmt_int
from dangvu.web.reads import TreeRow

register = template.Library()


@register.simple_tag
def tree_rows(rows: list[TreeRow], on: dt.date, wrap: bool = True) -> SafeString:
    """<ul class="tree-v">: each unit a row (its name to the dashboard, members, its history), then, if it has
    units, a <details> whose <summary> is the ▸ beside the row (no link inside a summary: axe nested-interactive).
    A lazy row's units are fetched when it is opened (htmx, once); without `wrap`, the rows alone (that fetch)."""
    day = f"{on.day:02d}/{on.month:02d}/{on.year}"
    # reverse() once: the codes go into the paths quoted, the same as {% url %} would
    dash, hist = reverse("dashboard", args=["~"]), reverse("org_history", args=["~"])
    kids = reverse("tree_children", args=["~"])
    out = ['<ul class="tree-v">'] if wrap else []
    for r in rows:
        n = r.node
        code, name = quote(n.code), escape(n.name)
        label = f"<mark>{name}</mark>" if r.hit else name
        out.append(
            f'<li class="tree-node{" hit" if r.hit else ""}"><span class="tree-row">'
            f'<a class="tree-name" href="{dash.replace("~", code)}?as_of={day}" title="{name} ({escape(n.code)})">'
            f"{label}</a> "
            f'<span class="tree-n" title="{fmt_int(n.official)} chính thức, {fmt_int(n.probationary)} dự bị">'
            f"{fmt_int(n.members)}</span> "
            f'<a class="tree-hist" href="{hist.replace("~", code)}?as_of={day}" aria-label="Lịch sử {name}">lịch sử</a>'
            "</span>"
        )
        if r.lazy:
            out.append(
                f'<details hx-get="{kids.replace("~", code)}?as_of={day}" hx-trigger="toggle once" '
                f'hx-target="find ul" hx-swap="innerHTML"><summary aria-label="Các đơn vị trực thuộc {name}">'
                '</summary><ul><li class="mute small">Đang tải…</li></ul></details></li>'
            )
        elif r.parent:
            out.append(
                f'<details{" open" if r.open else ""}><summary aria-label="Các đơn vị trực thuộc {name}"></summary>'
                + ('<ul class="tree-cols">' if r.depth == 0 else "<ul>")
            )
        else:
            out.append("</li>")
        out.append("</ul></details></li>" * r.closes)
    if wrap:
        out.append("</ul>")
    return mark_safe("\n".join(out))  # every value above is escaped or a number
