"""The district generator: deterministic, realistic, and consistent with every rule."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from dangvu.domain.membership import EventKind
from dangvu.domain.orgtree import GRASSROOTS, OrgKind
from dangvu.domain.vietnamese import nfc
from dangvu.members.models import Member, MemberEvent
from dangvu.members.services import history_of
from dangvu.orgs.models import LineageEvent, Organization, OrgVersion
from dangvu.orgs.queries import members_per_grassroots, tree_on
from dangvu.synth.district import generate

D = dt.date
TODAY = D(2026, 11, 22)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, wipe):  # type: ignore[no-untyped-def]
    """One generated district shared by the read-only tests of this module (generation takes seconds)."""
    with django_db_blocker.unblock():
        summary = generate(profile="district", seed=7, members=1500, today=TODAY)
    yield summary
    with django_db_blocker.unblock():
        wipe()


def test_the_district_has_the_shape_of_the_seed_districts(demo) -> None:
    dist = Organization.objects.get(code=demo.district_codes[0])
    on = D(2016, 12, 31)
    [root] = tree_on(on, dist)
    grassroots = [n for n in root.walk() if n.kind in GRASSROOTS]
    branches = [n for n in root.walk() if n.kind == OrgKind.BRANCH]
    assert 50 <= len(grassroots) <= 60 and 300 <= len(branches) <= 360
    assert 0.8 * 1500 * 0.8 <= root.members <= 1500 * 1.1


def test_history_spans_2008_to_today_across_the_reform(demo) -> None:
    dist = Organization.objects.get(code=demo.district_codes[0])
    assert dist.version_on(D(2025, 6, 30)) is not None and dist.version_on(D(2025, 7, 1)) is None
    kinds = set(LineageEvent.objects.values_list("kind", flat=True))
    assert {"established", "renamed", "moved", "merged", "absorbed", "split", "dissolved", "ended"} <= kinds
    communes = OrgVersion.objects.filter(kind=OrgKind.COMMUNE, valid_from=D(2025, 7, 1))
    assert communes.count() >= 4
    # "the district's grassroots organizations on 31/12/2016" and "a commune's grassroots organizations today"
    assert len(members_per_grassroots(D(2016, 12, 31), dist)) >= 50
    commune = communes.first().organization  # type: ignore[union-attr]
    assert sum(members_per_grassroots(TODAY, commune).values()) > 0
    admitted_years = {d.year for d in MemberEvent.objects.filter(kind=EventKind.ADMISSION).values_list("on", flat=True)}
    assert set(range(2008, 2026)) <= admitted_years
    for kind in (
        EventKind.DEATH,
        EventKind.EXEMPTION,
        EventKind.TRANSFER_IN,
        EventKind.TRANSFER_OUT,
        EventKind.RECOGNITION,
    ):
        assert MemberEvent.objects.filter(kind=kind).exists(), kind


def test_every_generated_history_obeys_the_lifecycle_rules(demo) -> None:
    for m in Member.objects.order_by("id")[:300]:
        history_of(m)  # raises LifecycleError on any broken rule


def test_names_are_vietnamese_family_middle_given_and_nfc(demo) -> None:
    names = list(Member.objects.values_list("full_name", "gender")[:500])
    assert all(nfc(n) == n and len(n.split()) >= 3 for n, _ in names)
    assert any(n.split()[1] == "Thị" for n, g in names if g == "female")
    assert not any(n.split()[1] == "Thị" for n, g in names if g == "male")


def test_tree_command_prints_json_nodes_with_member_counts(demo) -> None:
    out = StringIO()
    call_command("tree", root=demo.district_codes[0], as_of="31/12/2016", format="json", stdout=out)
    data = json.loads(out.getvalue())
    [node] = data["nodes"]
    assert {"code", "name", "kind", "sector", "members", "children"} <= set(node)
    assert node["members"] == sum(c["members"] for c in node["children"])
    out = StringIO()
    call_command("tree", root=demo.district_codes[0], as_of="2016-12-31", stdout=out)
    assert "Đảng bộ huyện" in out.getvalue().splitlines()[1]


def test_the_demo_tree_and_history_pages_show_the_district_to_its_staff(demo, client, django_user_model) -> None:
    from dangvu.accounts.services import grant_role
    from dangvu.audit.services import Actor

    assert client.get("/cay/").status_code == 302  # to the login page
    user = django_user_model.objects.create_user("canbo", password="x")
    province = Organization.objects.get(code=demo.root_code)
    grant_role(user=user, role="staff", organization=province, valid_from=D(2000, 1, 1), actor=Actor("test"))
    client.force_login(user)
    page = client.get("/cay/?as_of=2016-12-31").content.decode()
    assert "Đảng bộ huyện" in page and "đảng viên" in page
    code = demo.district_codes[0]
    detail = client.get(f"/to-chuc/{code}/lich-su/?as_of=2016-12-31").content.decode()
    assert "Kết thúc hoạt động" in detail
