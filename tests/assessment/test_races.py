"""Two committee sessions at once on one cycle (PostgreSQL, each session its own connection): decisions, the
close and the reopen run one after the other under the cycle's row lock, so what each reads — the status, the
results, the quota — is still true when it writes, and a conflict is a message, never an error page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fixtures.races import Meeting, race, together

from dangvu.assessment import services as svc
from dangvu.assessment.models import AssessmentCycle, Result
from dangvu.assessment.services import Decision, DecisionErrors, cycle_close, cycle_open, cycle_reopen, decide_many
from dangvu.audit.models import AuditEntry
from dangvu.domain.errors import RuleError
from dangvu.web.review_forms import UnitSheet

D = dt.date


@pytest.fixture
def ten(district, make_member):  # type: ignore[no-untyped-def]
    """Ten members of branch B1 (ward W), admitted in 2010."""
    return [make_member(district.b1, D(2010, 1, 1 + i), name=f"Nguyễn Văn {chr(65 + i)}") for i in range(10)]


def fresh(cycle: AssessmentCycle) -> AssessmentCycle:
    """The cycle as a session loads it for itself (from its own connection)."""
    return AssessmentCycle.objects.get(pk=cycle.pk)


def decide(cycle: AssessmentCycle, actor: Any, *decisions: Decision) -> Any:
    return lambda: decide_many(cycle=fresh(cycle), decisions=list(decisions), actor=actor)


def logged_decisions() -> list[list[Any]]:
    """[subject, level before, level after, …] of every decision the audit recorded, in the order written."""
    return [d for e in AuditEntry.objects.filter(action="result_decide").order_by("pk") for d in e.after["decisions"]]


@race
def test_two_sessions_changing_the_same_member_run_one_after_the_other_and_the_audit_says_what_each_replaced(
    district, ten, actor, monkeypatch
) -> None:
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    decide_many(cycle=cycle, decisions=[Decision("m", m.pk, "good") for m in ten], actor=actor)
    meeting = Meeting()
    monkeypatch.setattr(svc, "_refusals", meeting.after(svc._refusals))
    m = ten[0]
    a, b = together(
        decide(cycle, actor, Decision("m", m.pk, "excellent")), decide(cycle, actor, Decision("m", m.pk, "failed"))
    )
    assert a.error is None and b.error is None
    first, second = logged_decisions()[-2:]
    # The second session replaced what the first wrote, not the "good" both had read.
    assert first[1] == "good" and second[1] == first[2]
    assert Result.objects.get(member=m, year=2020).level == second[2]


def decided_all_but(district, ten, actor) -> AssessmentCycle:  # type: ignore[no-untyped-def]
    """A cycle where every member but ten[0] (exempt since 2019: the close records them as not rated) and every
    organization is decided: ready to close."""
    from dangvu.members.services import member_exempt

    member_exempt(member=ten[0], on=D(2019, 3, 1), actor=actor)
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    decide_many(cycle=cycle, decisions=[Decision("m", m.pk, "good") for m in ten[1:]], actor=actor)
    orgs = (district.b1, district.b2, district.ward, district.agency)
    decide_many(cycle=cycle, decisions=[Decision("o", o.pk, "good") for o in orgs], actor=actor)
    return cycle


@race
def test_a_decision_racing_the_close_is_written_before_it_or_refused_never_into_the_closed_cycle(
    district, ten, actor, monkeypatch
) -> None:
    cycle = decided_all_but(district, ten, actor)
    read, closed = Meeting(), Meeting()  # both sessions have read; the close has committed
    refusals = svc._refusals

    def refusals_then_wait_for_the_close(*args: Any) -> Any:
        out = refusals(*args)
        read.wait()
        closed.wait()
        return out

    def close() -> Any:
        try:
            return cycle_close(cycle=fresh(cycle), actor=actor)
        finally:
            closed.wait()

    monkeypatch.setattr(svc, "_refusals", refusals_then_wait_for_the_close)
    monkeypatch.setattr(svc, "outcomes", read.after(svc.outcomes))
    a, b = together(decide(cycle, actor, Decision("m", ten[1].pk, "satisfactory")), close)
    cycle.refresh_from_db()
    assert b.error is None and cycle.status == AssessmentCycle.Status.CLOSED
    if a.error is not None:
        assert isinstance(a.error, RuleError) and "đã kết thúc" in a.error.message
        assert Result.objects.get(member=ten[1], year=2020).level == "good"
    # Whatever came first, the close is the last word of the cycle.
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))[-1] == "cycle_close"


@race
def test_two_members_raised_to_the_top_at_once_stay_within_the_quota(district, ten, actor, monkeypatch) -> None:
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    # 8 good: floor(20% × 8) = 1 top-level result without a reason.
    decide_many(cycle=cycle, decisions=[Decision("m", m.pk, "good") for m in ten[2:]], actor=actor)
    meeting = Meeting()
    monkeypatch.setattr(svc, "_refusals", meeting.after(svc._refusals))
    a, b = together(
        decide(cycle, actor, Decision("m", ten[0].pk, "excellent")),
        decide(cycle, actor, Decision("m", ten[1].pk, "excellent")),
    )
    assert Result.objects.filter(year=2020, level="excellent").count() == 1
    [refused] = [o.error for o in (a, b) if o.error is not None]
    assert isinstance(refused, DecisionErrors) and "Vượt hạn mức HTXS: 2 HTXS trên 8 HTT" in refused.message


@race
def test_the_first_decision_for_a_member_from_two_sessions_is_recorded_once_without_an_error_page(
    district, ten, actor, monkeypatch
) -> None:
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    meeting = Meeting()
    monkeypatch.setattr(svc, "_refusals", meeting.after(svc._refusals))
    m = ten[0]
    a, b = together(
        decide(cycle, actor, Decision("m", m.pk, "good")), decide(cycle, actor, Decision("m", m.pk, "satisfactory"))
    )
    assert a.error is None and b.error is None
    assert Result.objects.filter(member=m, year=2020).count() == 1
    first, second = logged_decisions()
    assert first[1] is None and second[1] == first[2]


@race
def test_a_double_close_closes_once_and_tells_the_second_session_why(district, ten, actor, monkeypatch) -> None:
    cycle = decided_all_but(district, ten, actor)
    meeting = Meeting()
    monkeypatch.setattr(svc, "outcomes", meeting.after(svc.outcomes))
    a, b = together(
        lambda: cycle_close(cycle=fresh(cycle), actor=actor), lambda: cycle_close(cycle=fresh(cycle), actor=actor)
    )
    assert AuditEntry.objects.filter(action="cycle_close").count() == 1
    assert Result.objects.filter(member=ten[0], year=2020, not_rated="exempt").count() == 1
    [refused] = [o.error for o in (a, b) if o.error is not None]
    assert isinstance(refused, RuleError) and "đã kết thúc" in refused.message


@race
def test_a_double_reopen_reopens_once_and_tells_the_second_session_why(district, ten, actor) -> None:
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    AssessmentCycle.objects.filter(pk=cycle.pk).update(status=AssessmentCycle.Status.CLOSED)
    # Both sessions have loaded the cycle as closed (the page they posted from) before either reopens it.
    loaded = Meeting().after(fresh)
    reason = "Sửa kết quả theo kết luận kiểm tra"
    a, b = together(
        lambda: cycle_reopen(cycle=loaded(cycle), reason=reason, actor=actor),
        lambda: cycle_reopen(cycle=loaded(cycle), reason=reason, actor=actor),
    )
    assert AuditEntry.objects.filter(action="cycle_reopen").count() == 1
    [refused] = [o.error for o in (a, b) if o.error is not None]
    assert isinstance(refused, RuleError) and "đang mở" in refused.message


@pytest.mark.django_db
def test_a_sheet_saved_as_the_cycle_closes_says_so_and_writes_nothing(
    district, ten, actor, client, django_user_model, monkeypatch
) -> None:
    cycle = cycle_open(committee=district.district, year=2020, actor=actor)
    client.force_login(django_user_model.objects.create_user("quantri", is_superuser=True, is_staff=True))
    save = UnitSheet.save

    def closed_meanwhile(self: UnitSheet, **kwargs: Any) -> Any:
        # Another session closes the cycle after this page read it as open, before the decisions are written.
        AssessmentCycle.objects.filter(pk=cycle.pk).update(status=AssessmentCycle.Status.CLOSED)
        return save(self, **kwargs)

    monkeypatch.setattr(UnitSheet, "save", closed_meanwhile)
    r = client.post(f"/danh-gia/{cycle.pk}/don-vi/B1/", {"action": "save", f"d-{ten[0].pk}": "good"}, follow=True)
    assert r.status_code == 200
    assert "Đợt đánh giá năm 2020 đã kết thúc" in r.content.decode()
    assert not Result.objects.exists()
