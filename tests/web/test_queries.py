"""Lists and dashboards issue a fixed number of queries, whatever the number of members (STYLE §7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def count(client: Any, url: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as q:
        assert client.get(url, params).status_code == 200
    return len(q)


@pytest.fixture
def more_members(cast: Any, make_member: Any) -> Any:
    def add(n: int) -> None:
        for i in range(n):
            make_member(
                cast.district.b2 if i % 2 else cast.district.b1,
                dt.date(2015, 1, 1) + dt.timedelta(days=i),
                name=f"Nguyễn Văn Thêm {i}",
            )

    return add


@pytest.mark.parametrize(
    "url, params",
    [
        ("/dang-vien/", {}),
        ("/dang-vien/", {"q": "nguyen"}),
        ("/to-chuc/H/", {}),
        ("/cay/", {}),
        ("/nhat-ky/", {}),
        ("/cong-tac/ky-luat/", {}),
    ],
)
def test_the_query_count_does_not_grow_with_the_members(cast: Any, more_members: Any, url: str, params: Any) -> None:
    c = cast.client("canbo")
    before = count(c, url, **params)
    more_members(12)
    assert count(c, url, **params) == before
    assert before <= 22


def test_members_list_budget(cast: Any, django_assert_max_num_queries: Any) -> None:
    c = cast.client("canbo")
    # session, user, grants, member link (nav), count, page, unit names, + the scope subqueries inlined
    with django_assert_max_num_queries(12):
        c.get("/dang-vien/", {"q": "an"})


def test_dashboard_budget(cast: Any, django_assert_max_num_queries: Any) -> None:
    c = cast.client("canbo")
    with django_assert_max_num_queries(22):
        c.get("/to-chuc/H/")


def test_the_dashboard_figures_are_cached_per_organization_and_date(cast: Any, settings: Any) -> None:
    from django.core.cache import cache

    settings.DANGVU_DASHBOARD_SECONDS = 60
    cache.clear()
    c = cast.client("canbo")
    first = count(c, "/to-chuc/H/")
    assert count(c, "/to-chuc/H/") < first
    # Scope is still checked on every request: the cache holds figures, not permission.
    assert cast.client("canbo_khac").get("/to-chuc/H/").status_code == 404
    cache.clear()
