"""Recognitions and exits bound the event's day by the period as well as the span's (issue 14, item 6): no event is
lost or counted twice at a period's edges — the years of the demo district add up to the whole period, and each
figure equals a count made member by member from the records."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.domain.membership import EventKind
from dangvu.members.models import MemberEvent, MembershipSpan
from dangvu.orgs.models import OrgAncestry, Organization
from dangvu.synth.district import generate
from dangvu.targets.indicators import compute_by_root

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)
EXITS = [EventKind.REMOVAL, EventKind.EXPULSION, EventKind.RESIGNATION, EventKind.DEATH]


def _by_hand(root: Organization, start: dt.date, end: dt.date) -> tuple[int, int]:
    """Recognitions and exits of root's subtree in the period, member by member: the span opened on a recognition
    in a unit of the subtree that day; the span ended by an exit in a unit of the subtree the day before."""

    def inside(unit: int, day: dt.date) -> bool:
        return OrgAncestry.objects.on(day).filter(ancestor=root, organization_id=unit).exists()

    recognized = exited = 0
    for member_id, kind, on in MemberEvent.objects.filter(
        kind__in=[EventKind.RECOGNITION, *EXITS], on__range=(start, end)
    ).values_list("member_id", "kind", "on"):
        if kind == EventKind.RECOGNITION:
            spans = MembershipSpan.objects.filter(member_id=member_id, valid_from=on)
            recognized += sum(inside(u, on) for u in spans.values_list("organization_id", flat=True))
        else:
            spans = MembershipSpan.objects.filter(member_id=member_id, valid_to=on)
            before = on - dt.timedelta(days=1)
            exited += sum(inside(u, before) for u in spans.values_list("organization_id", flat=True))
    return recognized, exited


def test_recognitions_and_exits_of_the_years_add_up_and_match_the_records() -> None:
    s = generate(profile="district", seed=11, members=400, today=TODAY)
    district = Organization.objects.get(code=s.district_codes[0])
    codes = ["recognitions", "exits"]

    def figures(start: dt.date, end: dt.date) -> tuple[int, int]:
        values = {v.code: v.value for v in compute_by_root([district], start, end, codes)[district.pk]}
        return int(values["recognitions"]), int(values["exits"])

    yearly = {y: figures(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in range(2012, 2026)}
    whole = figures(dt.date(2012, 1, 1), dt.date(2025, 12, 31))
    assert whole == (sum(r for r, _ in yearly.values()), sum(e for _, e in yearly.values()))
    assert whole[0] > 20 and whole[1] > 5
    for year in (2016, 2025):  # one year of each map: before and across the 2025 reform
        assert yearly[year] == _by_hand(district, dt.date(year, 1, 1), dt.date(year, 12, 31))
    # A period that starts and ends mid-year, on the days of events.
    days = sorted(MemberEvent.objects.filter(kind=EventKind.RECOGNITION).values_list("on", flat=True))
    start, end = days[len(days) // 3], days[2 * len(days) // 3]
    assert figures(start, end) == _by_hand(district, start, end)
