"""Members per unit on tallied days (targets.tallies) give exactly the figures counted from the spans: on the demo
district written through the services after the days were tallied (admissions, recognitions, transfers, exits, the
2025 reform's moves), after a rebuild, and on random records for any day, any root, before and after 01/07/2025."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.audit.services import Actor
from dangvu.domain.errors import RuleError
from dangvu.domain.orgtree import OrgKind, Sector
from dangvu.members.models import Member, MembershipSpan
from dangvu.members.services import (
    Admission,
    member_create,
    member_die,
    member_recognize,
    member_transfer_in,
    member_transfer_out,
)
from dangvu.orgs.models import Organization
from dangvu.orgs.services import org_absorb, org_establish
from dangvu.synth.district import generate
from dangvu.targets.indicators import compute_by_root
from dangvu.targets.models import MemberTally
from dangvu.targets.tallies import (
    is_tallied,
    members_counted,
    members_tallied,
    tallied_days,
    tallies_build,
    tallies_drop,
    year_days,
)

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 11, 22)
REFORM = D(2025, 7, 1)
STAFF = Actor(label="Cán bộ Ban Tổ chức")


def _same_on(days: list[dt.date], roots: list[int]) -> None:
    for day in days:
        assert members_tallied(roots, day) == members_counted(roots, day), day


def _grouped(day: dt.date) -> dict[tuple[int, str], int]:
    """A tallied day's rows summed per unit and status, and the spans of the day grouped the same way."""
    rows = MemberTally.objects.filter(day=day).values_list("organization_id", "status").annotate(n=Sum("n"))
    return {(o, s): n for o, s, n in rows if n}


def _spans_grouped(day: dt.date) -> dict[tuple[int, str], int]:
    rows = MembershipSpan.objects.on(day).values_list("organization_id", "status").annotate(n=Count("*")).order_by()
    return {(o, s): n for o, s, n in rows}


def test_the_demo_district_written_after_its_days_were_tallied_counts_as_its_spans() -> None:
    days = [*year_days(2010, 2026), D(2025, 6, 30), REFORM, D(2025, 7, 2), TODAY]
    tallies_build(days)  # nothing written yet: the tallies follow every member written from now on
    s = generate(profile="district", seed=3, members=300, today=TODAY)
    roots = sorted(Organization.objects.values_list("pk", flat=True))
    # Then members move, as staff move them: their spans are written again (−1 where they were, +1 where they go).
    unit = MembershipSpan.objects.on(D(2024, 3, 1)).values_list("organization_id", flat=True).first()
    movers = MembershipSpan.objects.on(D(2024, 3, 1)).exclude(organization_id=unit).values_list("member_id", flat=True)
    for member_id in movers[:25]:
        try:
            member_transfer_in(member=member_id, to=Organization.objects.get(pk=unit), on=D(2024, 3, 1), actor=STAFF)
        except RuleError:
            pass
    assert MemberTally.objects.filter(n__lt=0).exists()
    for day in days:
        assert _grouped(day) == _spans_grouped(day), day
    _same_on(days, roots)
    # The indicators read the tallies for a tallied day and give the figures of the spans.
    district = Organization.objects.get(code=s.district_codes[0])
    codes = ["members.start", "members.end", "admissions.share_of_start"]
    tallied = compute_by_root(roots, D(2024, 1, 1), D(2024, 12, 31), codes)
    assert compute_by_root([district], D(2024, 1, 1), D(2024, 12, 31), codes)[district.pk] == tallied[district.pk]
    assert tallied[district.pk][1].value > 200
    tallies_drop()
    assert not is_tallied(D(2024, 12, 31))
    assert compute_by_root(roots, D(2024, 1, 1), D(2024, 12, 31), codes) == tallied
    # A rebuild sums each unit's rows back to one per status.
    tallies_build(days)
    assert MemberTally.objects.count() == sum(len(_spans_grouped(d)) for d in days)
    _same_on(days, roots)


def test_a_deleted_member_leaves_the_tallies_and_a_day_can_be_dropped(district: Any, make_member: Any) -> None:
    m = make_member(district.b1, D(2016, 4, 1))
    make_member(district.b2, D(2016, 4, 1))
    tallies_build([D(2017, 1, 1), D(2020, 1, 1)])
    roots = [district.district.pk, district.ward.pk, district.b1.pk]
    assert members_tallied(roots, D(2020, 1, 1))[district.ward.pk] == {("probationary",): 2}
    Member.objects.filter(pk=m.pk).delete()  # its spans go by cascade
    assert members_tallied(roots, D(2020, 1, 1))[district.ward.pk] == {("probationary",): 1}
    assert members_tallied(roots, D(2020, 1, 1))[district.b1.pk] == {}
    _same_on([D(2017, 1, 1), D(2020, 1, 1)], roots)
    tallies_drop([D(2017, 1, 1)])
    assert tallied_days() == [D(2020, 1, 1)]


def test_the_command_tallies_lists_and_drops_days(capsys: Any) -> None:
    call_command("indicators", "tally", "--years", "2021-2022", "--on", "15/3/2024")
    assert "5 ngày (1/1/2021 – 15/3/2024)" in capsys.readouterr().out
    call_command("indicators", "tally", "--list")
    assert capsys.readouterr().out.strip() == (
        "Đã đếm sẵn 5 ngày: 1/1/2021, 31/12/2021, 1/1/2022, 31/12/2022, 15/3/2024"
    )
    call_command("indicators", "tally", "--drop", "--years", "2021")
    assert tallied_days() == [D(2022, 1, 1), D(2022, 12, 31), D(2024, 3, 15)]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--years 'năm ngoái' không hợp lệ"):
        call_command("indicators", "tally", "--years", "năm ngoái")
    with pytest.raises(CommandError, match="--root, --from, --to"):  # in Vietnamese through dangvu (test_cli)
        call_command("indicators")


# ---------------------------------------------------------------- random records

UNITS = ("B1", "B2", "A")
DAYS = st.dates(min_value=D(2000, 1, 1), max_value=TODAY)


@st.composite
def a_member(draw: Any) -> dict[str, Any]:
    admitted = draw(st.dates(min_value=D(2001, 1, 1), max_value=D(2026, 6, 1)))
    later = st.dates(min_value=admitted + dt.timedelta(days=40), max_value=TODAY)
    return {
        "unit": draw(st.sampled_from(UNITS)),
        "admitted": admitted,
        "recognized": draw(st.none() | st.just(admitted + dt.timedelta(days=365 + draw(st.integers(1, 60))))),
        "moved": draw(st.none() | st.tuples(st.sampled_from(UNITS), later)),
        "left": draw(st.none() | st.tuples(st.sampled_from(["death", "out"]), later)),
    }


def _tree() -> dict[str, Organization]:
    on = D(2000, 1, 1)

    def make(code: str, kind: str, sector: str, parent: Organization | None) -> Organization:
        return org_establish(
            code=code, name=f"Tổ chức {code}", kind=kind, sector=sector, parent=parent, on=on, actor=STAFF
        )

    p = make("P", OrgKind.PROVINCE, Sector.OTHER, None)
    h = make("H", OrgKind.DISTRICT, Sector.OTHER, p)
    w = make("W", OrgKind.GRASSROOTS_COMMITTEE, Sector.COMMUNE_WARD, h)
    return {
        "P": p,
        "H": h,
        "W": w,
        "B1": make("B1", OrgKind.BRANCH, Sector.RESIDENTIAL, w),
        "B2": make("B2", OrgKind.BRANCH, Sector.RESIDENTIAL, w),
        "A": make("A", OrgKind.GRASSROOTS_BRANCH, Sector.AGENCY, h),
    }


def _write(orgs: dict[str, Organization], spec: dict[str, Any], i: int) -> None:
    m = member_create(
        actor=STAFF,
        full_name=f"Nguyễn Văn {i}",
        gender="male",
        birth_date=D(1975, 1, 1),
        admission=Admission(org=orgs[spec["unit"]], decided_on=spec["admitted"]),
    )
    steps: list[tuple[dt.date, Any]] = []
    if spec["recognized"] and spec["recognized"] <= TODAY:
        steps.append((spec["recognized"], lambda d: member_recognize(member=m, decided_on=d, actor=STAFF)))
    if spec["moved"]:
        unit, on = spec["moved"]
        steps.append((on, lambda d: member_transfer_in(member=m, to=orgs[unit], on=d, actor=STAFF)))
    if spec["left"]:
        how, on = spec["left"]
        if how == "death":
            steps.append((on, lambda d: member_die(member=m, on=d, actor=STAFF)))
        else:
            steps.append((on, lambda d: member_transfer_out(member=m, on=d, counterpart="Tỉnh khác", actor=STAFF)))
    for on, step in sorted(steps, key=lambda s: s[0]):
        try:
            step(on)
        except RuleError:
            pass  # a step the member's history refuses (a move after death, …): nothing written, as in the product


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    members=st.lists(a_member(), min_size=1, max_size=8),
    before=st.lists(DAYS, max_size=4),
    after=st.lists(DAYS, max_size=3),
    reform=st.booleans(),
)
def test_random_records_give_the_same_members_on_any_tallied_day_for_any_root(
    members: list[dict[str, Any]], before: list[dt.date], after: list[dt.date], reform: bool
) -> None:
    with transaction.atomic():
        orgs = _tree()
        tallies_build([*before, D(2025, 6, 30), REFORM])  # kept current by the writes below
        for i, spec in enumerate(members):
            _write(orgs, spec, i)
        if reform:  # B2 absorbed into B1 on 01/07/2025: its members move by transfer
            try:
                org_absorb(source=orgs["B2"], into=orgs["B1"], on=REFORM, actor=STAFF)
            except RuleError:
                pass
        tallies_build(after)  # counted from the spans
        roots = [o.pk for o in orgs.values()]
        _same_on(tallied_days(), roots)
        for day in tallied_days():
            assert _grouped(day) == _spans_grouped(day)
        transaction.set_rollback(True)


def test_the_reform_s_absorption_moves_members_in_the_tallies_of_the_days_around_it(
    district: Any, make_member: Any
) -> None:
    tallies_build([D(2025, 6, 30), REFORM])
    for unit in (district.b1, district.b2, district.b2):
        make_member(unit, D(2016, 4, 1))
    org_absorb(source=district.b2, into=district.b1, on=REFORM, actor=STAFF)  # its members transfer to B1
    roots = [district.b1.pk, district.b2.pk, district.ward.pk]
    assert members_tallied(roots, D(2025, 6, 30)) == {
        district.b1.pk: {("probationary",): 1},
        district.b2.pk: {("probationary",): 2},
        district.ward.pk: {("probationary",): 3},
    }
    assert members_tallied(roots, REFORM) == {
        district.b1.pk: {("probationary",): 3},
        district.b2.pk: {},
        district.ward.pk: {("probationary",): 3},
    }
    _same_on([D(2025, 6, 30), REFORM], roots)
