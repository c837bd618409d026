"""Numbers on pages print as the reports print them."""

from __future__ import annotations

from django.template import Context, Template


def test_counts_on_pages_have_dots_between_thousands() -> None:
    page = Template("{% load vn %}{{ n|so }} · {{ small|so }} · {{ none|so }}").render(
        Context({"n": 11800, "small": 42, "none": None})
    )
    assert page == "11.800 · 42 · "
