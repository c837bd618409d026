"""The API's scope sweep, as the web's (tests/security/test_post_sweep.py): every endpoint that names an object ×
every persona × every organization and member of the cast, in and out of the persona's scope, and a code that does
not exist. Asserted:

* an object out of the persona's scope answers exactly as one that does not exist (same status, same JSON);
* an object in scope is read (200), and written only by a persona who may write it (read-only: 403);
* no answer names a member the persona does not see; nothing is written about an object out of scope;
* every endpoint of the schema is in the sweep (a new endpoint must be added here)."""

from __future__ import annotations

from typing import Any

import pytest

from dangvu.api.main import api as ninja_api
from dangvu.audit.models import AuditEntry
from dangvu.members.models import MemberEvent

from .conftest import PERSONAS

pytestmark = pytest.mark.django_db

ORGS = ("H", "W", "B1", "B2", "A", "K", "KB")
# Hand-written from the cast's grants (tests/web/conftest.py), not computed by the code under test.
SEES_ORGS = {
    "quantri": set(ORGS),
    "canbo": {"H", "W", "B1", "B2", "A"},
    "kiemtra": {"H", "W", "B1", "B2", "A"},
    "bithu": {"W", "B1", "B2"},
    "bithuchibo": {"B1"},
    "canbo_khac": {"K", "KB"},
    "dangvien": set(),
}
MEMBERS = ("an", "binh", "chi", "dung", "en")
SEES_MEMBERS = {
    "quantri": set(MEMBERS),
    "canbo": {"an", "binh", "chi", "dung"},
    "kiemtra": {"an", "binh", "chi", "dung"},
    "bithu": {"an", "binh", "chi"},
    "bithuchibo": {"an", "binh"},
    "canbo_khac": {"en"},
    "dangvien": {"an"},
}
WRITERS = {"quantri", "canbo", "bithu", "bithuchibo", "canbo_khac"}
READERS = WRITERS | {"kiemtra"}  # who reads a subtree (lists, the tree, statistics); a member reads only themself

# (method, path, what the {} names, body or query): {} is filled with the object's code.
ORG_ENDPOINTS: list[tuple[str, str, Any]] = [
    ("GET", "/orgs/{}", {}),
    ("GET", "/tree?root={}", {}),
    ("GET", "/members?org={}", {}),
    ("GET", "/orgs/{}/review?year=2024", {}),
    ("GET", "/orgs/{}/indicators?start=2024-01-01&end=2024-12-31", {}),
    ("GET", "/tables/bieu-thong-ke/to-chuc-dang?root={}&as_of=2024-12-31", {}),
    ("POST", "/reports", {"org": "{}", "kind": "annual", "period": "2024", "formats": ["xlsx"]}),
    ("POST", "/work/khen-thuong", {"org_code": "{}", "title": "Giấy khen", "kind": "x", "year": "2024"}),
]
MEMBER_ENDPOINTS: list[tuple[str, str, Any]] = [
    ("GET", "/members/{}", {}),
    ("GET", "/members/{}/events", {}),
    ("GET", "/members/{}/results", {}),
    ("POST", "/members/{}/reveal", {"field": "citizen_id"}),
    # a day after today: refused by the form once scope and write access have let it through (nothing written)
    ("POST", "/members/{}/events/transfer_out", {"on": "01/01/2099", "counterpart": "Đảng bộ tỉnh khác"}),
    ("POST", "/work/ky-luat", {"member_code": "{}", "form": "x", "decided_on": "01/01/2099"}),
]
# Endpoints that name no object, or a job (swept in tests/api/test_reads_writes.py: another's job is 404).
OTHERS = {("GET", "/me"), ("GET", "/tree"), ("GET", "/members"), ("GET", "/reports/{job}")}
OTHERS |= {("GET", "/reports/{job}/files/{name}"), ("GET", "/work/{slug}"), ("GET", "/tables/bieu-thong-ke")}


def _fill(value: Any, code: str) -> Any:
    if isinstance(value, str):
        return value.replace("{}", code)
    if isinstance(value, dict):
        return {k: _fill(v, code) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, code) for v in value]
    return value


def _answer(api: Any, persona: str, method: str, path: str, body: Any, code: str) -> tuple[int, Any]:
    r = api(persona, method, _fill(path, code), _fill(body, code) if method == "POST" else None)
    return r.status_code, r.json() if r.get("Content-Type", "").startswith("application/json") else r.content


@pytest.fixture(autouse=True)
def _reports_queued_not_run(monkeypatch: Any) -> None:
    """A report the sweep orders is queued (its job row is the write) but not generated."""
    monkeypatch.setattr("dangvu.jobs.services.execute", lambda job_id: None)


def _names(cast: Any) -> dict[str, str]:
    return {k: getattr(cast, k).full_name for k in MEMBERS}


@pytest.mark.parametrize("persona", PERSONAS)
def test_out_of_scope_is_not_found_in_scope_is_read_and_no_other_member_is_named(
    cast: Any, api: Any, persona: str
) -> None:
    codes = {k: getattr(cast, k).code for k in MEMBERS}
    names = _names(cast)
    hidden_names = [names[k] for k in MEMBERS if k not in SEES_MEMBERS[persona]]
    failures: list[str] = []

    def sweep(endpoints: list[tuple[str, str, Any]], objects: dict[str, str], sees: set[str], missing: str) -> None:
        for method, path, body in endpoints:
            none = _answer(api, persona, method, path, body, missing)
            for key, code in objects.items():
                events, audit = MemberEvent.objects.count(), AuditEntry.objects.count()
                got = _answer(api, persona, method, path, body, code)
                label = f"{persona} {method} {_fill(path, code)}"
                text = str(got[1])
                if got[0] >= 500:
                    failures.append(f"{label}: {got[0]}")
                if any(n in text for n in hidden_names):
                    failures.append(f"{label}: names a member out of scope")
                if key not in sees:
                    if got != none:
                        failures.append(f"{label}: {got[0]} differs from a code that does not exist ({none[0]})")
                    if MemberEvent.objects.count() != events or AuditEntry.objects.count() != audit:
                        failures.append(f"{label}: wrote about an object out of scope")
                    continue
                expected = _expected(persona, method, path)
                if got[0] not in expected:
                    failures.append(f"{label}: {got[0]}, expected {sorted(expected)}: {text[:160]}")

    sweep(ORG_ENDPOINTS, {o: o for o in ORGS}, SEES_ORGS[persona], "KHONGCO")
    sweep(MEMBER_ENDPOINTS, codes, SEES_MEMBERS[persona], "KHONGCO")
    assert not failures, "\n".join(failures[:30])


def _expected(persona: str, method: str, path: str) -> set[int]:
    """What an object in the persona's scope answers."""
    own_record_only = persona not in READERS
    if method == "GET":
        return {200}
    if "/reveal" in path:
        return {200}
    if path == "/reports":
        return {202} if not own_record_only else {403}
    if persona not in WRITERS:
        return {403}
    return {422}  # in scope and writable: the form refuses the day after today (nothing written)


def test_every_endpoint_of_the_schema_is_swept() -> None:
    schema = ninja_api.get_openapi_schema(path_prefix="")
    found = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}

    def template(path: str) -> str:
        return path.split("?")[0].replace("{}", "{code}")

    swept = {(m, template(p)) for m, p, _ in ORG_ENDPOINTS + MEMBER_ENDPOINTS}
    swept = {(m, p.replace("/khen-thuong", "/{slug}").replace("/ky-luat", "/{slug}")) for m, p in swept}
    swept = {(m, p.replace("/events/transfer_out", "/events/{kind}")) for m, p in swept}
    swept = {(m, p.replace("/bieu-thong-ke/to-chuc-dang", "/bieu-thong-ke/{code}")) for m, p in swept}
    assert found - swept - OTHERS == set()
