"""The generator is deterministic: the same seed and 'today' give the same records."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from dangvu.members.models import Member, MemberEvent
from dangvu.synth.district import generate

TODAY = dt.date(2026, 11, 22)
pytestmark = pytest.mark.django_db


def fingerprint() -> str:
    rows = list(Member.objects.order_by("code").values_list("code", "full_name", "birth_date", "citizen_id"))
    rows += list(
        MemberEvent.objects.order_by("member__code", "on", "kind").values_list(
            "member__code", "kind", "on", "organization__code"
        )
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_same_seed_gives_the_same_data(wipe) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    generate(profile="district", seed=11, members=300, today=TODAY)
    first = fingerprint()
    with transaction.atomic():
        wipe()
    generate(profile="district", seed=11, members=300, today=TODAY)
    assert fingerprint() == first


def test_the_generate_command_rates_the_years_asked_for() -> None:
    from io import StringIO

    from django.core.management import call_command

    from dangvu.assessment.models import AssessmentCycle

    out = StringIO()
    call_command("generate", profile="district", seed=3, members=200, today="22/11/2026", rate_from=2023, stdout=out)
    assert set(AssessmentCycle.objects.values_list("year", flat=True)) == {2023, 2024, 2025}
    assert "Xếp loại năm 2023" in out.getvalue()
