"""The tables' router (dangvu.tables.api) on a NinjaAPI of its own: the list, one table's figures for a unit in
scope, 404 out of scope — as the web. Skipped where django-ninja is not installed."""

from __future__ import annotations

import pytest

ninja = pytest.importorskip("ninja")

from ninja.testing import TestClient  # noqa: E402
from web.conftest import Cast  # noqa: E402

from dangvu.tables.api import router  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(router)


def test_the_list_names_every_table_with_its_rows_and_columns(cast: Cast, client: TestClient) -> None:
    got = client.get("/bieu-thong-ke", user=cast.users["canbo"])
    assert got.status_code == 200
    codes = {t["code"] for t in got.json()}
    assert {"to-chuc-dang", "dang-vien-dan-toc", "ket-nap", "xep-loai-to-chuc"} <= codes


def test_one_tables_figures_for_a_unit_in_scope_and_404_outside(cast: Cast, client: TestClient) -> None:
    url = "/bieu-thong-ke/dang-vien-gioi-tinh?root=H&as_of=2024-12-31"
    got = client.get(url, user=cast.users["canbo"])
    assert got.status_code == 200
    body = got.json()
    assert body["cells"]["tong-so"]["tong-so"] == 4 and body["cells"]["nu"]["tong-so"] == 1  # Chi
    assert sum(u["cells"]["tong-so"]["tong-so"] for u in body["units"]) == 4
    assert client.get(url, user=cast.users["canbo_khac"]).status_code == 404
    assert client.get("/bieu-thong-ke/khong-co?root=H&as_of=2024-12-31", user=cast.users["canbo"]).status_code == 404
