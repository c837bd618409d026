"""What the API answers and takes (pydantic through django-ninja): the OpenAPI schema is built from these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class ErrorItem(Schema):
    field: str = Field(description="tên trường (rỗng: cả yêu cầu)")
    message: str


class Error(Schema):
    detail: str = Field(description="thông báo bằng tiếng Việt")
    errors: list[ErrorItem] | None = None


# What any endpoint may answer besides its result (dangvu/api/errors.py writes them).
ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


class Me(Schema):
    username: str
    roles: list[str]
    token: str
    expires_at: dt.datetime


class Org(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    sector: str
    sector_label: str
    parent: str | None
    as_of: dt.date
    official: int = Field(description="đảng viên chính thức trong toàn đảng bộ tại ngày")
    probationary: int


class TreeNode(Schema):
    code: str
    name: str
    kind: str
    sector: str
    members: int
    official: int
    probationary: int
    children: list[TreeNode]


class Tree(Schema):
    as_of: dt.date
    roots: list[TreeNode]


class MemberRow(Schema):
    code: str
    full_name: str
    gender: str
    birth_date: dt.date
    unit: str
    unit_name: str
    status: str
    citizen_id: str | None = Field(description="che, chỉ 3 số cuối; null khi không được xem")
    card_number: str | None


class MemberPage(Schema):
    as_of: dt.date
    items: list[MemberRow]
    next: str | None = Field(description="truyền vào `after` để lấy trang sau; null khi đã hết")
    message: str = ""


class Member(Schema):
    code: str
    full_name: str
    birth_name: str
    gender: str
    birth_date: dt.date
    birth_place: str
    ethnicity: str
    religion: str
    hometown: str
    residence: str
    general_education: str
    professional_education: str
    degree: str
    political_theory: str
    occupation: str
    youth_union_on: dt.date | None
    citizen_id: str | None = Field(description="che, chỉ 3 số cuối; null khi không được xem")
    card_number: str | None
    identifiers_withheld: bool
    unit: str | None = Field(description="tên chi bộ tại ngày as_of; null khi không sinh hoạt ở đây ngày đó")
    official: bool | None
    as_of: dt.date


class RevealIn(Schema):
    field: str = Field(description="citizen_id hoặc card_number", pattern="^(citizen_id|card_number)$")


class Revealed(Schema):
    field: str
    value: str


class Event(Schema):
    id: int
    kind: str
    kind_label: str
    on: dt.date
    unit: str | None
    decided_on: dt.date | None
    ceremony_on: dt.date | None
    until: dt.date | None
    decision_ref: str
    counterpart: str
    note: str


class Result(Schema):
    year: int
    level: str
    level_label: str
    not_rated: str
    exemplary: bool
    unit: str


class Created(Schema):
    id: int
    message: str


class EventIn(Schema):
    """The fields of the web's form for the event (dates as dd/mm/yyyy or yyyy-mm-dd; units by code)."""

    on: str | None = Field(None, description="ngày hiệu lực")
    decided_on: str | None = Field(None, description="ngày quyết định (kết nạp, công nhận)")
    ceremony_on: str | None = Field(None, description="ngày lễ kết nạp")
    reviewed_on: str | None = None
    until: str | None = None
    org: str | None = Field(None, description="mã chi bộ (kết nạp, kết nạp lại, phục hồi)")
    to: str | None = Field(None, description="mã chi bộ đến (chuyển sinh hoạt đến)")
    counterpart: str | None = Field(None, max_length=255)
    decision_ref: str | None = Field(None, max_length=120)
    approval_ref: str | None = Field(None, max_length=120)
    note: str | None = Field(None, max_length=4000)


class ReviewStats(Schema):
    year: int
    groups: dict[str, dict[str, Any]]


class Indicators(Schema):
    start: dt.date
    end: dt.date
    indicators: list[dict[str, Any]]


class ReportIn(Schema):
    org: str = Field(max_length=40)
    kind: str = Field(description="annual | review | interim | term | thematic | list", max_length=20)
    period: str = Field(description="2024 · 2020-2025 · 1/1/2024..30/6/2024", max_length=60)
    formats: list[str] = Field(default_factory=lambda: ["docx", "xlsx"], description="docx, xlsx, pdf")
    document: str | None = Field(None, max_length=60)
    report_date: str | None = None


class Job(Schema):
    id: str
    status: str
    progress: int
    message: str
    files: list[str]
    document: int | None
    error: str


class WorkRows(Schema):
    columns: list[str]
    rows: list[dict[str, Any]]
    next_page: int | None
