"""Links a person meets while walking the product (issue 14's walk): every link on a page leads somewhere they may
go. The cast of tests/web/conftest.py (P → H → W (B1, B2), A)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from dangvu.domain.orgtree import OrgKind, Sector

pytestmark = pytest.mark.django_db
REFORM = dt.date(2025, 7, 1)


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


def test_a_report_asked_for_a_year_before_the_commune_existed_says_so_on_the_form_naming_its_predecessors(
    cast: Any,
) -> None:
    """The commune established on 01/07/2025 has no 2024: its staff's form says when it began and which units
    to ask instead (those they read), rather than a page saying it is outside their scope."""
    from dangvu.accounts.models import Role
    from dangvu.accounts.services import grant_role
    from dangvu.orgs.services import Decision, org_absorb, org_establish

    from .conftest import SETUP

    d = cast.district
    x = org_establish(
        code="X",
        name="Đảng bộ xã Kim Thanh",
        kind=OrgKind.COMMUNE,
        sector=Sector.COMMUNE_WARD,
        parent=d.province,
        on=REFORM,
        actor=SETUP,
    )
    org_absorb(source=d.ward, into=x, on=REFORM, actor=SETUP, decision=Decision("31-HD/BTCTW"))
    grant_role(user=cast.users["kiemtra"], role=Role.INSPECTOR, organization=x, valid_from=REFORM, actor=SETUP)
    c = cast.client("kiemtra")
    r = c.post(
        "/bao-cao/", {"org": "Đảng bộ xã Kim Thanh (X)", "kind": "annual", "period": "2024", "formats": ["docx"]}
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert "Đảng bộ xã Kim Thanh (X) được thành lập ngày 1/7/2025" in page
    assert "Đảng bộ xã Thanh Sơn (W)" in page  # the predecessor to report on for 2024
    # someone who never read the commune still meets the scope's page, learning nothing of it
    r = cast.client("canbo_khac").post(
        "/bao-cao/", {"org": "X", "kind": "annual", "period": "2024", "formats": ["docx"]}
    )
    assert r.status_code in (200, 404) and "1/7/2025" not in r.content.decode()
