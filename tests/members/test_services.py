"""Member lifecycle through the services: rules refuse with Vietnamese messages and write nothing."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from dangvu.audit.models import AuditEntry
from dangvu.domain.errors import RuleError
from dangvu.domain.membership import party_age_years
from dangvu.members.models import Member, MemberEvent, MembershipSpan
from dangvu.members.services import (
    Admission,
    history_of,
    member_create,
    member_die,
    member_exempt,
    member_readmit,
    member_recognize,
    member_remove,
    member_transfer_in,
    member_transfer_out,
    member_update,
)

D = dt.date
pytestmark = pytest.mark.django_db


def test_recognition_is_dated_at_the_end_of_probation_even_when_decided_late(district, actor, make_member) -> None:
    m = make_member(district.b1, D(2020, 3, 1))  # ceremony 21/03/2020
    ev = member_recognize(member=m, decided_on=D(2021, 5, 10), actor=actor)
    assert ev.on == D(2021, 3, 21) and ev.decided_on == D(2021, 5, 10)
    assert MembershipSpan.objects.on(D(2021, 3, 21)).get(member=m).status == "official"
    assert MembershipSpan.objects.on(D(2021, 3, 20)).get(member=m).status == "probationary"


def test_recognition_before_twelve_months_is_refused_and_nothing_is_written(district, actor, make_member) -> None:
    m = make_member(district.b1, D(2020, 3, 1))
    events, audits = MemberEvent.objects.count(), AuditEntry.objects.count()
    with pytest.raises(RuleError, match="Chưa hết 12 tháng dự bị") as e:
        member_recognize(member=m, decided_on=D(2021, 3, 1), actor=actor)
    assert "21/3/2021" in e.value.message
    assert (MemberEvent.objects.count(), AuditEntry.objects.count()) == (events, audits)


def test_admission_under_eighteen_is_refused_with_the_age_in_months(district, actor) -> None:
    admission = Admission(
        org=district.b1, decided_on=D(2021, 6, 20), ceremony_on=D(2021, 7, 1), reviewed_on=D(2021, 6, 1)
    )
    with pytest.raises(RuleError, match="Chưa đủ 18 tuổi") as e:
        member_create(
            actor=actor, full_name="Hoàng Minh Đức", gender="male", birth_date=D(2003, 6, 15), admission=admission
        )
    assert "17 tuổi 11 tháng" in e.value.message
    assert not Member.objects.filter(full_name="Hoàng Minh Đức").exists() and not MemberEvent.objects.exists()


def test_admission_into_a_committee_rather_than_a_branch_is_refused(district, actor) -> None:
    with pytest.raises(RuleError, match="sinh hoạt tại chi bộ"):
        member_create(
            actor=actor,
            full_name="Vũ Thị Hoa",
            gender="female",
            birth_date=D(1990, 1, 1),
            admission=Admission(org=district.ward, decided_on=D(2015, 1, 1), ceremony_on=D(2015, 1, 20)),
        )


def test_no_event_is_accepted_after_death(district, actor, make_member) -> None:
    m = make_member(district.b1, D(2010, 1, 1))
    member_die(member=m, on=D(2020, 5, 1), actor=actor)
    with pytest.raises(RuleError, match="đã từ trần"):
        member_exempt(member=m, on=D(2021, 1, 1), actor=actor)
    assert MembershipSpan.objects.on(D(2020, 5, 1)).filter(member=m).count() == 0


def test_readmission_is_refused_before_thirty_six_months(district, actor, make_member) -> None:
    m = make_member(district.b1, D(2010, 1, 1))
    member_remove(member=m, on=D(2015, 1, 1), actor=actor)
    with pytest.raises(RuleError, match="36 tháng"):
        member_readmit(member=m, org=district.b2, decided_on=D(2017, 6, 1), ceremony_on=D(2017, 6, 20), actor=actor)
    member_readmit(member=m, org=district.b2, decided_on=D(2018, 2, 1), ceremony_on=D(2018, 2, 20), actor=actor)
    h = history_of(m)
    # 01/2010–01/2015 inside (5 years), outside until 02/2018, then 11 years 11 months: 16 whole years
    assert party_age_years(h, D(2030, 1, 1)) == 16


def test_citizen_id_and_card_number_are_unique_text(district, actor) -> None:
    member_create(
        actor=actor,
        full_name="Nguyễn Văn An",
        gender="male",
        birth_date=D(1980, 1, 1),
        citizen_id="001080012345",
        card_number="01234567",
        admission=Admission(org=district.b1, decided_on=D(2010, 1, 1)),
    )
    with pytest.raises(RuleError, match="đã thuộc về đảng viên Nguyễn Văn An"):
        member_create(
            actor=actor,
            full_name="Nguyễn Văn Bình",
            gender="male",
            birth_date=D(1981, 1, 1),
            citizen_id="001080012345",
            admission=Admission(org=district.b1, decided_on=D(2010, 1, 1)),
        )
    with pytest.raises(RuleError, match="đúng 8 chữ số"):
        member_create(
            actor=actor,
            full_name="Nguyễn Văn Bình",
            gender="male",
            birth_date=D(1981, 1, 1),
            card_number="1234567",
            admission=Admission(org=district.b1, decided_on=D(2010, 1, 1)),
        )
    assert Member.objects.get(citizen_id="001080012345").card_number == "01234567"


def test_names_are_stored_nfc_and_found_without_diacritics(district, actor) -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn   Thị Ánh")
    m = member_create(
        actor=actor,
        full_name=nfd,
        gender="female",
        birth_date=D(1985, 1, 1),
        admission=Admission(org=district.b1, decided_on=D(2010, 1, 1)),
    )
    m.refresh_from_db()
    assert m.full_name == unicodedata.normalize("NFC", "Nguyễn Thị Ánh")
    assert Member.objects.filter(full_name_folded__contains="nguyen thi anh").get() == m


def test_changing_the_birth_date_needs_a_reason_and_is_audited(district, actor) -> None:
    m = member_create(
        actor=actor,
        full_name="Đỗ Văn Nam",
        gender="male",
        birth_date=D(1980, 1, 1),
        admission=Admission(org=district.b1, decided_on=D(2010, 1, 1)),
    )
    with pytest.raises(RuleError, match="06-HD/TW"):
        member_update(member=m, birth_date=D(1980, 2, 1), actor=actor)
    member_update(member=m, birth_date=D(1980, 2, 1), actor=actor, reason="QĐ 15-QĐ/HU điều chỉnh ngày sinh")
    entry = AuditEntry.objects.filter(action="member_update").get()
    assert entry.before == {"birth_date": "1980-01-01"} and entry.after == {"birth_date": "1980-02-01"}


def test_transfers_move_membership_between_units_and_out(district, actor, make_member) -> None:
    m = make_member(district.b1, D(2010, 1, 1))
    member_transfer_in(member=m, to=district.agency, on=D(2015, 1, 1), actor=actor)
    member_transfer_out(member=m, on=D(2018, 1, 1), counterpart="Đảng bộ tỉnh Ninh Bình", actor=actor)
    assert MembershipSpan.objects.in_subtree(district.ward, on=D(2014, 12, 31)).filter(member=m).exists()
    assert MembershipSpan.objects.in_subtree(district.agency, on=D(2015, 1, 1)).filter(member=m).exists()
    assert not MembershipSpan.objects.on(D(2018, 1, 1)).filter(member=m).exists()
