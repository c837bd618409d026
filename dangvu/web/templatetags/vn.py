"""Numbers on pages as the reports print them: "11.800", not "11800" (Django's vi locale sets no grouping)."""

from __future__ import annotations

from django import template

from dangvu.domain.vietnamese import fmt_int

register = template.Library()


@register.filter
def so(value: object) -> str:
    """An integer with dots between thousands; anything else unchanged."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "" if value is None else str(value)
    return fmt_int(value)


@register.simple_tag(takes_context=True)
def can_open(context: template.Context, code: str, day: object) -> bool:
    """Whether the page's `readable` pairs (web.reads.readable) let the person open this unit on this day."""
    return (code, day) in (context.get("readable") or ())
