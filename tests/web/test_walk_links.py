"""Links a person meets while walking the product (issue 14's walk): every link on a page leads somewhere they may
go. The cast of tests/web/conftest.py (P → H → W (B1, B2), A)."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def org_links(html: str) -> set[str]:
    return set(re.findall(r'href="(/to-chuc/[^"]+)"', html.replace("&amp;", "&")))


@pytest.mark.parametrize("page", ["/to-chuc/B1/", "/to-chuc/B1/lich-su/"])
def test_the_branch_secretary_meets_the_units_above_by_name_without_a_link_that_answers_404(
    cast: Any, page: str
) -> None:
    c = cast.client("bithuchibo")
    html = c.get(page).content.decode()
    assert "Đảng bộ xã Thanh Sơn" in html  # the path above the branch is named …
    links = org_links(html)
    assert not [u for u in links if u.startswith(("/to-chuc/W/", "/to-chuc/H/", "/to-chuc/P/"))]  # … not linked
    for url in links:
        assert c.get(url).status_code == 200, url


def test_the_grassroots_secretary_reaches_their_committee_from_a_branch_and_nothing_above(cast: Any) -> None:
    c = cast.client("bithu")
    links = org_links(c.get("/to-chuc/B1/").content.decode())
    assert any(u.startswith("/to-chuc/W/") for u in links)
    assert not [u for u in links if u.startswith(("/to-chuc/H/", "/to-chuc/P/"))]
    # the department's staff reach the district from a branch, not the province above it
    links = org_links(cast.client("canbo").get("/to-chuc/B1/").content.decode())
    assert any(u.startswith("/to-chuc/H/") for u in links) and not any(u.startswith("/to-chuc/P/") for u in links)
