"""Shared fixtures: a small cast of organizations built through the services.

Nothing here imports Django at import time: the rules' tests (tests/domain) also run without it
(`pytest -p no:django tests/domain`, as `make check` does), and the autouse fixtures below then do nothing."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings as hypothesis_settings

from dangvu.domain.orgtree import OrgKind, Sector

if TYPE_CHECKING:
    from dangvu.audit.services import Actor

# No test is timed (speed is measured in bench/): hypothesis' per-example deadline (200 ms by default) failed a
# property test on a loaded machine, where the example itself was right.
hypothesis_settings.register_profile("dangvu", deadline=None)
hypothesis_settings.load_profile("dangvu")

# Shared raw-record builders live in tests/fixtures/ (`from fixtures.seed_records import …`).
sys.path.insert(0, str(Path(__file__).parent))

D = dt.date
DEFAULT_BIRTH = dt.date(1980, 5, 5)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite the tests' database is a file, as the embedded default's is, not pytest-django's shared in-memory
    database: there, the live server's threads are handed the test thread's own connection, so two requests at once
    (a page's htmx fragments) share one connection and one transaction state, and any other connection meets SQLite's
    shared-cache table locks ("database table is locked") instead of waiting — the browser tests failed now and then
    on it. With a file each thread has its own connection, WAL and the busy timeout of settings.py, as in use."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and not db.get("TEST", {}).get("NAME"):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


def _with_django(request: pytest.FixtureRequest) -> bool:
    return request.config.pluginmanager.has_plugin("django")


@pytest.fixture(autouse=True)
def _jobs_inline_files_in_tmp(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Jobs run inside the request or call that starts them (django-tasks' immediate backend; one test goes through
    the database backend and a real worker: tests/jobs/test_worker.py); stored files go to a folder of the test's."""
    if not _with_django(request):
        return
    settings = request.getfixturevalue("settings")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")  # type: ignore[attr-defined]
    # PBKDF2 in settings.py; logins in tests only hash fast (the hasher's strength is not what a test checks).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_shared_cache(request: pytest.FixtureRequest) -> None:
    """An empty shared cache for each test: what one test kept (a dashboard's parts, a limit's counts) is not another's.
    The cache table is not a model's, so the flush between browser tests leaves it; a cache outside the database
    (Redis) outlives a test's database: emptied always. The default, a table of the database, needs the database:
    emptied when the test uses it (a test that does not cannot fill it)."""
    if not _with_django(request):
        return
    from django.conf import settings
    from django.core.cache import caches

    in_database = settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    uses_database = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_database and in_database:
        request.getfixturevalue("_django_db_helper")
    if uses_database or not in_database:
        for alias in settings.CACHES:
            caches[alias].clear()


@pytest.fixture
def actor() -> Actor:
    from dangvu.audit.services import Actor

    # An officer of the organization department, as the services see them.
    return Actor("can_bo_to_chuc")


@dataclass
class SmallDistrict:
    """Province P → district H → ward committee W (branches B1, B2) and agency branch A (grassroots)."""

    province: object
    district: object
    ward: object
    b1: object
    b2: object
    agency: object


@pytest.fixture
def district(db: None, actor: Actor) -> SmallDistrict:
    from dangvu.orgs.services import org_establish

    on = D(2000, 1, 1)
    p = org_establish(
        code="P",
        name="Đảng bộ tỉnh Hà Nam",
        kind=OrgKind.PROVINCE,
        sector=Sector.OTHER,
        parent=None,
        on=on,
        actor=actor,
    )
    h = org_establish(
        code="H",
        name="Đảng bộ huyện Kim Bảng",
        kind=OrgKind.DISTRICT,
        sector=Sector.OTHER,
        parent=p,
        on=on,
        actor=actor,
    )
    w = org_establish(
        code="W",
        name="Đảng bộ xã Thanh Sơn",
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE_WARD,
        parent=h,
        on=on,
        actor=actor,
    )
    b1 = org_establish(
        code="B1", name="Chi bộ Thôn 1", kind=OrgKind.BRANCH, sector=Sector.RESIDENTIAL, parent=w, on=on, actor=actor
    )
    b2 = org_establish(
        code="B2", name="Chi bộ Thôn 2", kind=OrgKind.BRANCH, sector=Sector.RESIDENTIAL, parent=w, on=on, actor=actor
    )
    a = org_establish(
        code="A",
        name="Chi bộ Phòng Tư pháp",
        kind=OrgKind.GRASSROOTS_BRANCH,
        sector=Sector.AGENCY,
        parent=h,
        on=on,
        actor=actor,
    )
    return SmallDistrict(p, h, w, b1, b2, a)


@pytest.fixture
def make_member(db: None, actor: Actor):  # type: ignore[no-untyped-def]
    """Creates a person and admits them: make_member(org, decided_on, birth=…, ceremony_days=20)."""
    from dangvu.members.services import Admission, member_create

    counter = {"n": 0}

    def make(
        org: object,
        decided_on: dt.date,
        *,
        birth: dt.date = DEFAULT_BIRTH,
        name: str = "Nguyễn Văn An",
        ceremony_days: int = 20,
        gender: str = "male",
        **profile: object,
    ):  # type: ignore[no-untyped-def]
        counter["n"] += 1
        admission = Admission(
            org=org,  # type: ignore[arg-type]
            decided_on=decided_on,
            ceremony_on=decided_on + dt.timedelta(days=ceremony_days),
        )
        return member_create(
            actor=actor, full_name=name, gender=gender, birth_date=birth, admission=admission, **profile
        )

    return make


@pytest.fixture(scope="session")
def wipe():  # type: ignore[no-untyped-def]
    """A function deleting every record the services and generator write, children first."""

    def run() -> None:
        from dangvu.audit.models import AuditEntry
        from dangvu.members.models import Member, MemberEvent, MembershipSpan
        from dangvu.orgs.models import LineageEvent, LineageLink, OrgAncestry, Organization, OrgVersion

        for model in (
            MembershipSpan,
            MemberEvent,
            Member,
            OrgAncestry,
            OrgVersion,
            LineageLink,
            LineageEvent,
            Organization,
            AuditEntry,
        ):
            model.objects.all().delete()

    return run
