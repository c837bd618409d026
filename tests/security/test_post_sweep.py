"""Every form endpoint POSTed by every persona with objects in and out of their scope and hostile field values
(issue 13: "no 500 on any input"; scope holds for writes, not only reads).

For each URL pattern of the product, the routes' parameters are filled with objects in the persona's scope and
objects outside it (district H's and district K's: an organization, a member, a review cycle, a grant); the form
fields are the ones the page's own POST forms carry (read from the page as the administrator and as H's staff),
each set to one hostile value at a time: a 20.000-character text, a NUL byte (sent as multipart, which the NUL
middleware leaves to the forms), wrong types, the years 1800 and 10000, 18-digit ids, and the out-of-scope objects'
codes and ids. Asserted for every request:

* never a server error;
* no write by a read-only persona (anonymous, the inspector): no new audit entry, no table changed;
* no write at all when the route names an object outside the persona's scope;
* no answer naming a member outside the persona's scope (An and Bình for K's staff, Én for H's personas).

The member's own login may only write their own self-review. Audit entries of refused checks (the identifier
oracle's `identifier_conflict` / `identifier_limit`) are reads, not writes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from dangvu.accounts.models import Grant
from dangvu.assessment.services import cycle_open
from dangvu.audit.models import AuditEntry
from dangvu.jobs.models import Job

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "quantri", "canbo", "kiemtra", "bithu", "bithuchibo", "canbo_khac", "dangvien")
READ_ONLY = {"anonymous", "kiemtra"}
# Tables that change on any request (sessions, the login throttle's records, the shared cache): not writes.
NOT_WRITES = ("django_session", "axes_", "dangvu_shared_cache")
# Audit entries of checks that were refused (the identifier oracle): recorded, but nothing was changed.
REFUSED_CHECKS = {"identifier_conflict", "identifier_limit"}
# Reads that are audited (who took identifiers or a list out): not writes — but never of an object out of scope.
AUDITED_READS = {"member_export", "member_reveal", "member_identifier_search", "records_export", "dataset_export"}
# Jobs that make an audited read (the list exports, dangvu.web.jobs): queued, not run here (execute is stubbed below);
# a reader may start one, like the read it queues.
QUEUED_READS = ("member_export", "work_export")
# Routes that are not forms: logging out ends the session the sweep goes on with.
SKIPPED = {"dang-xuat/"}


def _patterns() -> list[str]:
    return [str(p.pattern) for p in get_resolver().url_patterns if isinstance(p, URLPattern)] + [
        f"{r.pattern}{p.pattern}"
        for r in get_resolver().url_patterns
        if isinstance(r, URLResolver) and str(r.pattern) not in ("admin/",)
        for p in r.url_patterns
        if isinstance(p, URLPattern)
    ]


class _Forms(HTMLParser):
    """The fields of a page's POST forms with the values the page fills in (what a person's submit would send)."""

    def __init__(self) -> None:
        super().__init__()
        self.in_post = False
        self.select: str | None = None
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "form":
            self.in_post = a.get("method", "").lower() == "post"
        elif not self.in_post:
            return
        elif tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a or name not in self.values:
                    self.values[name] = a.get("value", "on")
            else:
                self.values[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self.values.setdefault(name, "")
        elif tag == "select" and name:
            self.select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self.select:
            if "selected" in a or not self.values.get(self.select):
                self.values[self.select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_post = False
        elif tag == "select":
            self.select = None


def _fields(clients: list[Client], url: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for c in clients:
        r = c.get(url)
        if r.status_code == 200 and "html" in r.get("Content-Type", ""):
            parser = _Forms()
            parser.feed(r.content.decode(errors="replace"))
            values = {**parser.values, **values}
    return values


def _targets(cast: Any, h_cycle: Any, k_cycle: Any) -> dict[str, dict[str, str]]:
    """Route parameters naming H's objects and K's."""
    grant_h = Grant.objects.filter(user=cast.users["canbo"]).first()
    grant_k = Grant.objects.filter(user=cast.users["canbo_khac"]).first()
    return {
        "H": {
            "code": cast.an.code,
            "org": "H",
            "pk": str(h_cycle.pk),
            "grant": str(grant_h.pk if grant_h else 0),
            "member_pk": str(cast.an.pk),
            "org_pk": str(cast.district.district.pk),
        },
        "K": {
            "code": cast.en.code,
            "org": "K",
            "pk": str(k_cycle.pk),
            "grant": str(grant_k.pk if grant_k else 0),
            "member_pk": str(cast.en.pk),
            "org_pk": str(cast.other.pk),
        },
    }


def _fill(pattern: str, t: dict[str, str]) -> str:
    url = pattern
    for name in re.findall(r"<(?:\w+:)?(\w+)>", pattern):
        if name == "code":
            value = t["code"] if "dang-vien" in pattern else t["org"]
        elif name == "pk":
            value = t["grant"] if "phan-quyen" in pattern else t["pk"]
        else:
            value = {"field": "citizen_id", "kind": "death", "step": "vote", "slug": "ky-luat"}.get(name, "x")
        url = re.sub(rf"<(?:\w+:)?{name}>", value, url, count=1)
    return "/" + url


def _hostile(defaults: dict[str, str], out: dict[str, str]) -> list[dict[str, str]]:
    """The page's own values, then each hostile value in every field: each dict is one POST."""
    names = set(defaults) or {"code", "note"}

    def every(value: str) -> dict[str, str]:
        return dict.fromkeys(names, value)

    def by_name(n: str) -> str:
        if any(k in n for k in ("member", "dang_vien", "person")):
            return out["member_pk"] if n.endswith("_id") or n in ("member",) else out["code"]
        if any(k in n for k in ("org", "unit", "don_vi", "committee", "branch")):
            return out["org_pk"] if n.endswith("_id") else out["org"]
        if n in ("pk", "id", "cycle", "result", "candidate", "grant"):
            return "9" * 18
        return out["code"]

    dates = {n: ("01/01/1800" if i % 2 else "10000-01-01") for i, n in enumerate(sorted(names))}
    return [
        dict(defaults),
        every("x" * 20_000),
        every("a\x00b"),
        every("-1"),
        every("abc"),
        dates,
        {n: "9" * 18 for n in names},
        {n: by_name(n) for n in names},
    ]


def _state() -> tuple[dict[str, int], list[tuple[int, str, int | None]]]:
    with connection.cursor() as cur:
        tables = [t for t in connection.introspection.table_names() if not t.startswith(NOT_WRITES)]
        counts = {}
        for t in tables:
            cur.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(t)}")
            counts[t] = cur.fetchone()[0]
    if "jobs_job" in counts:
        reads = Job.objects.filter(handler__in=QUEUED_READS).count()
        counts["jobs_job"] -= reads
        counts["audit: queued reads"] = reads
    entries = list(AuditEntry.objects.order_by("pk").values_list("pk", "action", "actor_id"))
    return counts, entries


def _writes(before: Any, after: Any, *, reads_count: bool = False) -> list[str]:
    """What changed: tables' row counts and new audit entries (every write is audited), less refused checks and,
    unless `reads_count`, audited reads."""
    counts_b, audit_b = before
    counts_a, audit_a = after
    changed = [
        f"{t}: {counts_b.get(t)} → {n}"
        for t, n in counts_a.items()
        if counts_b.get(t) != n and (reads_count or t != "audit: queued reads")
    ]
    seen = {pk for pk, _, _ in audit_b}
    not_writes = REFUSED_CHECKS if reads_count else REFUSED_CHECKS | AUDITED_READS
    new = [a for pk, a, _ in audit_a if pk not in seen and a not in not_writes]
    if not new and all(t.startswith("audit_") for t in (c.split(":")[0] for c in changed)):
        changed = []  # only refused checks (and reads) were recorded
    return changed + [f"audit: {a}" for a in new]


@pytest.fixture(autouse=True)
def _reports_queued_not_run(monkeypatch: Any) -> None:
    """A report the sweep orders is queued (its job row is the write) but not generated."""
    monkeypatch.setattr("dangvu.jobs.services.execute", lambda job_id: None)


@pytest.fixture
def cycles(cast: Any) -> tuple[Any, Any]:
    from dangvu.audit.services import Actor

    setup = Actor("thiết lập kiểm thử")
    return (
        cycle_open(committee=cast.district.district, year=2025, actor=setup),
        cycle_open(committee=cast.other, year=2025, actor=setup),
    )


NAMES = {"H": ("Nguyễn Văn An", "Trần Thị Bình"), "K": ("Hoàng Thị Én",)}


def _side(persona: str) -> tuple[str, str]:
    """(the persona's own district, the other one)."""
    return ("K", "H") if persona == "canbo_khac" else ("H", "K")


SWEPT = [p for p in _patterns() if p not in SKIPPED]


@pytest.mark.parametrize("pattern", SWEPT)
def test_no_post_errs_writes_out_of_scope_or_as_a_reader_or_reveals_another_scope(
    cast: Any, cycles: tuple[Any, Any], pattern: str
) -> None:
    targets = _targets(cast, *cycles)
    admin, staff = cast.client("quantri"), cast.client("canbo")
    failures: list[str] = []
    for persona in PERSONAS:
        own, other = _side(persona)
        # A route naming no object of either side is one URL: the other side's objects go in the fields.
        sides = (own, other) if _fill(pattern, targets[own]) != _fill(pattern, targets[other]) else (own,)
        for side in sides:
            url = _fill(pattern, targets[side])
            defaults = _fields([admin, staff], url)
            for data in _hostile(defaults, targets[other]):
                c = Client() if persona == "anonymous" else cast.client(persona)
                before = _state()
                label = f"{persona} POST {url} {sorted(data)[:4]}={next(iter(data.values()), '')[:12]!r}"
                try:
                    r = c.post(url, data)
                except Exception as e:  # the test client re-raises what would have been a 500
                    failures.append(f"{label}: {type(e).__name__}: {str(e)[:160]}")
                    continue
                if r.status_code >= 500:
                    failures.append(f"{label}: {r.status_code}")
                outside = side == other and persona != "quantri"  # the administrator's scope is everything
                writes = _writes(before, _state(), reads_count=outside)
                if writes and (persona in READ_ONLY or outside):
                    failures.append(f"{label}: wrote {writes[:3]}")
                if writes and persona == "dangvien" and "tu-danh-gia" not in url:
                    failures.append(f"{label}: a member's login wrote {writes[:3]}")
                body = r.content.decode(errors="replace") if r.get("Content-Type", "").startswith("text") else ""
                leaked = [n for n in NAMES[other] if n in body] if persona != "quantri" else []
                if leaked:
                    failures.append(f"{label}: shows {leaked}")
    assert not failures, "\n".join(failures[:25])


def test_the_sweep_sees_a_write_when_there_is_one(cast: Any) -> None:
    """The write detector is not blind: the administrator ending a grant through its form is a write."""
    grant = Grant.objects.filter(user=cast.users["canbo_khac"]).first()
    assert grant is not None
    url = f"/phan-quyen/{grant.pk}/ket-thuc/"
    defaults = _fields([cast.client("quantri")], "/phan-quyen/")
    before = _state()
    r = cast.client("quantri").post(url, {k: v for k, v in defaults.items() if k != "csrfmiddlewaretoken"})
    assert r.status_code in (200, 302)
    assert any(w.startswith("audit: ") for w in _writes(before, _state()))


def test_a_code_typed_for_a_member_outside_the_scope_comes_back_unnamed(cast: Any) -> None:
    """Found by the sweep: a form sent back with errors showed the picker's typed code as "Name (CODE)" for any
    member in the database. Now only a member in the person's scope is named; another's code stays as typed."""
    form = {"member_code": cast.en.code, "form": "reprimand", "decided_on": "", "deciding_body": "", "violation": ""}
    html = cast.client("canbo").post("/cong-tac/ky-luat/", form).content.decode()
    assert f'name="member_code" value="{cast.en.code}"' in html and "Hoàng Thị Én" not in html
    html = cast.client("canbo").post("/cong-tac/ky-luat/", {**form, "member_code": cast.an.code}).content.decode()
    assert f'name="member_code" value="Nguyễn Văn An ({cast.an.code})"' in html


def test_a_nul_byte_in_a_multipart_form_is_refused_before_any_query(client: Any) -> None:
    """A hostile client posts multipart as well as url-encoded; PostgreSQL cannot hold a NUL byte, so the request is
    refused (400, the product's page) before a view could carry it into a query."""
    r = client.post("/dang-nhap/", {"username": "a\x00b", "password": "x"})  # the test client posts multipart
    assert r.status_code == 400
