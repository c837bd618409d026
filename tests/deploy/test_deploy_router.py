"""Heavy reads on the replica, the rest on the primary, and read-your-writes (issue 14, item 5; dangvu/dbrouting.py).

The "replica" here is a second connection to the test database itself (tests/deploy/conftest.py), so a read sent
there finds what the primary committed; which connection answered is what the tests look at. The real pair (a
replica that lags) is exercised by deploy/loopback.py (BENCHMARKS.md, "Deployment")."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from dangvu import dbrouting
from dangvu.dbrouting import COOKIE, DEFAULT, REPLICA, heavy_reads, primary_until, read_alias

D = dt.date
# The replica is switched on by overriding DATABASES; the connection itself exists already (conftest.py).
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def with_replica() -> Iterator[None]:
    """settings as with DANGVU_REPLICA_URL set."""
    with override_settings(DATABASES={**settings.DATABASES, REPLICA: connections.settings[REPLICA]}):
        yield


# ---------------------------------------------------------------- decisions


def test_without_a_replica_even_a_heavy_read_goes_to_the_primary() -> None:
    assert REPLICA not in settings.DATABASES  # the default configuration: SQLite, or one PostgreSQL server
    with heavy_reads():
        assert read_alias() == DEFAULT
    assert dbrouting.ReplicaRouter().db_for_read(object) == DEFAULT


def test_a_heavy_read_goes_to_the_replica_and_any_other_read_to_the_primary(with_replica: None) -> None:
    router = dbrouting.ReplicaRouter()
    assert router.db_for_read(object) == DEFAULT
    with heavy_reads():
        assert router.db_for_read(object) == REPLICA
    assert router.db_for_read(object) == DEFAULT


def test_heavy_reads_is_also_a_decorator(with_replica: None) -> None:
    @heavy_reads()
    def where() -> str:
        return read_alias()

    assert where() == REPLICA
    assert read_alias() == DEFAULT


def test_writes_and_migrations_go_to_the_primary_only(with_replica: None) -> None:
    router = dbrouting.ReplicaRouter()
    with heavy_reads():
        assert router.db_for_write(object) == DEFAULT
    assert router.allow_migrate(DEFAULT, "members") is True
    assert router.allow_migrate(REPLICA, "members") is False


def test_a_person_who_has_just_written_reads_the_primary_until_the_window_ends(with_replica: None) -> None:
    with heavy_reads():
        with primary_until(time.time() + 5):
            assert read_alias() == DEFAULT
        with primary_until(time.time() - 0.001):  # the window has ended
            assert read_alias() == REPLICA


def test_a_job_started_by_a_writer_carries_the_end_of_the_window(with_replica: None) -> None:
    assert dbrouting.writer_stamp() == 0.0  # nobody wrote: the job may read the replica
    now = time.time()
    with primary_until(float("inf")):  # inside a request that writes
        stamp = dbrouting.writer_stamp()
    assert (
        now + settings.DANGVU_READ_YOUR_WRITES_SECONDS
        <= stamp
        <= time.time() + settings.DANGVU_READ_YOUR_WRITES_SECONDS
    )
    with primary_until(stamp), heavy_reads():  # the job, later, in the worker
        assert read_alias() == DEFAULT


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_a_heavy_read_stays_on_the_primary(with_replica: None) -> None:
    with heavy_reads():
        with transaction.atomic():
            assert read_alias() == DEFAULT  # what a transaction reads must be what it writes over
        assert read_alias() == REPLICA


# ---------------------------------------------------------------- read-your-writes in requests


def _through_middleware(request: HttpRequest, seen: list[str]) -> HttpResponse:
    def view(request: HttpRequest) -> HttpResponse:
        with heavy_reads():
            seen.append(read_alias())
        return HttpResponse("ok")

    return dbrouting.read_your_writes(view)(request)


def test_a_request_that_writes_reads_the_primary_and_leaves_the_stamp(with_replica: None) -> None:
    seen: list[str] = []
    response = _through_middleware(RequestFactory().post("/dang-vien/moi/"), seen)
    assert seen == [DEFAULT]
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == round(settings.DANGVU_READ_YOUR_WRITES_SECONDS)

    # The same person's next page, within the window: the primary again.
    later = RequestFactory().get("/bao-cao/")
    later.COOKIES[COOKIE] = cookie.value
    _through_middleware(later, seen)
    assert seen == [DEFAULT, DEFAULT]


def test_a_reader_who_has_not_written_gets_the_replica(with_replica: None) -> None:
    seen: list[str] = []
    response = _through_middleware(RequestFactory().get("/bao-cao/"), seen)
    assert seen == [REPLICA]
    assert COOKIE not in response.cookies


def test_a_stamp_older_than_the_window_no_longer_pins(with_replica: None, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:  # a write a minute ago
        m.setattr(time, "time", lambda: 1_800_000_000.0)
        response = _through_middleware(RequestFactory().post("/dang-vien/moi/"), [])
    request = RequestFactory().get("/bao-cao/")
    request.COOKIES[COOKIE] = response.cookies[COOKIE].value
    seen: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: 1_800_000_060.0)
        _through_middleware(request, seen)
    assert seen == [REPLICA]


def test_a_forged_stamp_is_ignored(with_replica: None) -> None:
    request = RequestFactory().get("/bao-cao/")
    request.COOKIES[COOKIE] = f"{time.time():.3f}:forged:signature"
    seen: list[str] = []
    _through_middleware(request, seen)
    assert seen == [REPLICA]


def test_without_a_replica_no_stamp_is_set() -> None:
    seen: list[str] = []
    response = _through_middleware(RequestFactory().post("/dang-vien/moi/"), seen)
    assert seen == [DEFAULT]
    assert COOKIE not in response.cookies


def test_the_middleware_is_installed_after_the_session_and_login() -> None:
    chain = settings.MIDDLEWARE
    assert chain.index("dangvu.dbrouting.read_your_writes") > chain.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )
    assert settings.DATABASE_ROUTERS == ["dangvu.dbrouting.ReplicaRouter"]


# ---------------------------------------------------------------- the entry points, on a real second connection


def _queries_on(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


@pytest.mark.django_db(transaction=True, databases=[DEFAULT, REPLICA])
def test_the_statistics_indicators_and_exports_read_through_the_replica(
    with_replica: None, district: Any, make_member: Any
) -> None:
    from dangvu.assessment.stats import review_stats
    from dangvu.imports.export import export_dataset
    from dangvu.targets.compare import compare

    make_member(district.b1, D(2010, 3, 1), name="Trần Thị Bình")
    calls: list[tuple[str, Any]] = [
        ("statistics", lambda: review_stats(district.ward, 2024)),
        ("indicators", lambda: compare(district.ward, D(2024, 1, 1), D(2024, 12, 31))),
        ("export", lambda: export_dataset("W", D(2024, 12, 31))),
    ]
    for what, call in calls:
        with _queries_on(REPLICA) as replica, _queries_on(DEFAULT) as primary:
            result = call()
        assert len(replica) > 0, what
        assert len(primary) == 0, what
        assert result
    # The export found the member the primary committed.
    members = export_dataset("W", D(2024, 12, 31)).dataset["dang_vien"]
    assert [m["full_name"] for m in members] == ["Trần Thị Bình"]


@pytest.mark.django_db(transaction=True, databases=[DEFAULT, REPLICA])
def test_a_report_is_built_from_the_replica_and_recorded_on_the_primary(
    with_replica: None, district: Any, make_member: Any, actor: Any
) -> None:
    from dangvu.reports.api import draft
    from dangvu.reports.models import ReportDocument

    make_member(district.b1, D(2010, 3, 1))
    with _queries_on(REPLICA) as replica:
        doc = draft(root="W", kind="annual", period="2024", formats=("json",), actor=actor)
    assert len(replica) > 0
    assert ReportDocument.objects.using(DEFAULT).filter(pk=doc.pk).exists()


@pytest.mark.django_db(transaction=True, databases=[DEFAULT, REPLICA])
def test_after_a_write_the_same_entry_point_reads_the_primary(with_replica: None, district: Any) -> None:
    from dangvu.assessment.stats import review_stats

    with primary_until(time.time() + 5), _queries_on(REPLICA) as replica:
        review_stats(district.ward, 2024)
    assert len(replica) == 0


@pytest.mark.django_db(transaction=True)  # a heavy read inside a transaction stays on the primary anyway
def test_the_job_queue_runs_a_writers_job_on_the_primary(with_replica: None) -> None:
    """The stamp goes with the job (dangvu.jobs.services.job_start) and the handler runs under it wherever it runs: a
    report asked for right after a write reads the primary, one asked for later may read the replica. The jobs are
    run here by execute() outside the request's context, as a worker process runs them."""
    from dangvu.jobs import services as jobs
    from dangvu.jobs.models import Job

    seen: list[str] = []

    @jobs.handler("test_read_alias")
    def probe(run: jobs.Run) -> dict[str, str]:
        with heavy_reads():
            seen.append(read_alias())
        return {"params": ",".join(sorted(run.params))}

    try:
        with primary_until(float("inf")):  # a request that writes, then starts the job (run at once in tests)
            started = jobs.job_start(handler="test_read_alias", owner_id=None, actor_label="t", params={"a": 1})
        window = settings.DANGVU_READ_YOUR_WRITES_SECONDS
        assert time.time() < started.params[jobs.PRIMARY_UNTIL] <= time.time() + window
        seen.clear()
        stamped, unstamped = (
            Job.objects.create(handler="test_read_alias", actor_label="t", params={"a": 1, **stamp})
            for stamp in ({jobs.PRIMARY_UNTIL: time.time() + 60}, {})
        )
        jobs.execute(str(stamped.pk))  # in a worker: no request context, only the stamp
        jobs.execute(str(unstamped.pk))
    finally:
        del jobs.HANDLERS["test_read_alias"]
    assert seen == [DEFAULT, REPLICA]
    stamped.refresh_from_db()
    unstamped.refresh_from_db()
    assert stamped.result == unstamped.result == {"params": "a"}  # the stamp is the queue's, never the handler's
