"""The audit log page: sentences, Vietnamese filters, scope, and a fixed number of queries for any page size."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dangvu.audit.services import Actor

D = dt.date


@pytest.fixture
def log(district: Any, make_member: Any, django_user_model: Any, settings: Any) -> dict[str, Any]:
    from dangvu.accounts.models import Role
    from dangvu.accounts.services import grant_role
    from dangvu.work.services import discipline_record

    staff = django_user_model.objects.create_user("canbo", password="x")
    setup = Actor("thiết lập")
    grant_role(user=staff, role=Role.STAFF, organization=district.district, valid_from=D(2020, 1, 1), actor=setup)
    an = make_member(district.b1, D(2010, 3, 1), name="Nguyễn Văn An")
    binh = make_member(district.b2, D(2011, 3, 1), name="Trần Thị Bình")
    discipline_record(form="reprimand", decided_on=D(2024, 5, 5), member=an, actor=Actor.of(staff))
    c = Client()
    c.force_login(staff)
    return {"client": c, "an": an, "binh": binh}


def test_the_log_shows_sentences_and_no_internal_names(log: dict[str, Any]) -> None:
    page = log["client"].get("/nhat-ky/").content.decode()
    assert (
        f"Cán bộ ban tổ chức canbo ghi kỷ luật khiển trách đảng viên Nguyễn Văn An ({log['an'].code}) ngày 5/5/2024."
        in page
    )
    table = page.split("<table")[1]  # the filter's option values are identifiers; what is shown is not
    assert "discipline_record" not in table and "member_create" not in table and "members.member" not in table
    assert "Mọi thao tác" in page and ">Ghi kỷ luật<" in page


def test_filtering_by_action_and_by_member_with_the_picker(log: dict[str, Any]) -> None:
    c = log["client"]
    page = c.get("/nhat-ky/", {"action": "discipline_record"}).content.decode()
    assert page.count('class="audit-row"') == 1
    an, binh = log["an"], log["binh"]
    page = c.get("/nhat-ky/", {"member": f"Trần Thị Bình ({binh.code})"}).content.decode()
    assert "Trần Thị Bình" in page and f"Nguyễn Văn An ({an.code})" not in page.split("<table")[1]
    page = c.get("/nhat-ky/", {"since": "01/01/2099"}).content.decode()
    assert "Không có mục nào." in page


def test_the_log_page_costs_the_same_queries_whatever_it_shows(log: dict[str, Any], make_member: Any) -> None:
    c = log["client"]
    with CaptureQueriesContext(connection) as before:
        c.get("/nhat-ky/")
    for i in range(5):
        make_member(log["an"].events.first().organization, D(2012, 3, 1), name=f"Đảng Viên {i}")
    with CaptureQueriesContext(connection) as after:
        c.get("/nhat-ky/")
    assert len(after.captured_queries) == len(before.captured_queries)
