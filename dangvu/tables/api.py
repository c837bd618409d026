"""The statistics tables through the JSON API (/api/v1/, dangvu.api mounts this router): the tables defined, and one
table's figures for a root and a date, scoped exactly as on the web (accounts.scope.get_org: out of scope is 404).

The person is the token's holder when the API authenticates by token (request.auth), else the session's user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from dangvu.accounts.scope import get_org, require_reader
from dangvu.api.schemas import ERRORS

from .builder import all_tables, build, table_by_code

router = Router(tags=["Biểu thống kê"])


class LineOut(Schema):
    key: str
    label: str


class TableOut(Schema):
    code: str
    title: str
    form: str
    source: str
    unit: str
    yearly: bool
    rows: list[LineOut]
    columns: list[LineOut]


class UnitFigures(Schema):
    code: str
    name: str
    cells: dict[str, dict[str, int]]


class FiguresOut(Schema):
    code: str
    title: str
    form: str
    unit: str
    as_of: dt.date
    root: str
    rows: list[LineOut]
    columns: list[LineOut]
    cells: dict[str, dict[str, int]]
    units: list[UnitFigures]


def _person(request: HttpRequest) -> Any:
    auth = getattr(request, "auth", None)
    return auth if getattr(auth, "is_authenticated", False) else request.user


def _lines(lines: Any) -> list[dict[str, str]]:
    return [{"key": line.key, "label": line.label} for line in lines]


@router.get(
    "/bieu-thong-ke", response={200: list[TableOut], **ERRORS}, summary="Các biểu thống kê cơ bản đã định nghĩa"
)
def tables_list(request: HttpRequest) -> list[dict[str, Any]]:
    require_reader(_person(request))
    return [
        {
            "code": t.code,
            "title": t.title,
            "form": t.form,
            "source": t.source,
            "unit": t.unit,
            "yearly": t.yearly,
            "rows": _lines(t.rows),
            "columns": _lines(t.columns),
        }
        for t in all_tables()
    ]


@router.get(
    "/bieu-thong-ke/{code}",
    response={200: FiguresOut, **ERRORS},
    summary="Số liệu một biểu của một tổ chức có đến một ngày",
)
def table_figures(request: HttpRequest, code: str, root: str, as_of: dt.date) -> dict[str, Any]:
    """The root's cells ({row key: {column key: n}}) and each directly subordinate unit's."""
    person = _person(request)
    require_reader(person)
    table = table_by_code(code)
    if table is None:
        raise Http404("Không có biểu này.")
    org = get_org(person, root, on=as_of)  # out of scope: 404
    (figures,) = build(org, as_of, [table])
    return figures.as_json()
