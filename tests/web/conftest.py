"""A small cast for the access tests, on the shared SmallDistrict (P → H → W (B1, B2), A) plus a second district.

Personas (each a login; their grants run from 2020 with no end):
  quantri        system administrator: everything
  canbo          department staff of district H: read-write on H's subtree
  kiemtra        inspector of district H: reads H's subtree, changes nothing (403)
  bithu          secretary of the ward committee W (grassroots): read-write on W, B1, B2
  bithuchibo     secretary of branch B1: read-write on B1 only
  canbo_khac     department staff of another district K: H's units do not exist for them (404)
  dangvien       member An of branch B1: own profile and own self-review only
Members: An and Bình in B1, Chi in B2, Dũng in the agency branch A, Én in K's branch KB.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from dangvu.audit.services import Actor
from dangvu.domain.orgtree import OrgKind, Sector

D = dt.date
SETUP = Actor("thiết lập kiểm thử")


@pytest.fixture(autouse=True)
def _inline_jobs(settings: Any, tmp_path: Any) -> None:
    settings.DANGVU_DASHBOARD_SECONDS = 0  # every test sees its own writes
    settings.VAR_DIR = tmp_path


@dataclass
class Cast:
    district: Any
    other: Any  # district K and its branch KB
    other_branch: Any
    an: Any
    binh: Any
    chi: Any
    dung: Any
    en: Any
    users: dict[str, Any]

    def client(self, persona: str) -> Client:
        c = Client()
        c.force_login(self.users[persona])
        return c


@pytest.fixture
def cast(district: Any, make_member: Any, django_user_model: Any) -> Cast:
    from dangvu.accounts.models import Role
    from dangvu.accounts.services import account_link_member, grant_role
    from dangvu.orgs.services import org_establish

    on = D(2000, 1, 1)
    k = org_establish(
        code="K",
        name="Đảng bộ huyện Thanh Liêm",
        kind=OrgKind.DISTRICT,
        sector=Sector.OTHER,
        parent=district.province,
        on=on,
        actor=SETUP,
    )
    kb = org_establish(
        code="KB",
        name="Chi bộ Xóm Đông",
        kind=OrgKind.GRASSROOTS_BRANCH,
        sector=Sector.RESIDENTIAL,
        parent=k,
        on=on,
        actor=SETUP,
    )
    an = make_member(
        district.b1, D(2010, 3, 1), name="Nguyễn Văn An", citizen_id="001080001234", card_number="12345678"
    )
    binh = make_member(district.b1, D(2011, 3, 1), name="Trần Thị Bình")
    chi = make_member(district.b2, D(2012, 3, 1), name="Lê Minh Chi", gender="female")
    dung = make_member(district.agency, D(2013, 3, 1), name="Phạm Văn Dũng")
    en = make_member(kb, D(2014, 3, 1), name="Hoàng Thị Én", gender="female")
    users: dict[str, Any] = {}

    def user(name: str, **flags: Any) -> Any:
        users[name] = django_user_model.objects.create_user(name, password="mat-khau-kiem-thu", **flags)
        return users[name]

    user("quantri", is_superuser=True, is_staff=True)
    start = D(2020, 1, 1)
    grant_role(user=user("canbo"), role=Role.STAFF, organization=district.district, valid_from=start, actor=SETUP)
    grant_role(user=user("kiemtra"), role=Role.INSPECTOR, organization=district.district, valid_from=start, actor=SETUP)
    grant_role(
        user=user("bithu"), role=Role.GRASSROOTS_SECRETARY, organization=district.ward, valid_from=start, actor=SETUP
    )
    grant_role(
        user=user("bithuchibo"), role=Role.BRANCH_SECRETARY, organization=district.b1, valid_from=start, actor=SETUP
    )
    grant_role(user=user("canbo_khac"), role=Role.STAFF, organization=k, valid_from=start, actor=SETUP)
    account_link_member(user=user("dangvien"), member=an, actor=SETUP)
    grant_role(user=users["dangvien"], role=Role.MEMBER, organization=None, valid_from=start, actor=SETUP)
    return Cast(district, k, kb, an, binh, chi, dung, en, users)
