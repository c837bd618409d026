"""Benchmark (issue 14, item 1): member search at a province's size and for the whole country, one request at a time.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE dangvu_nat_search TEMPLATE dangvu_national STRATEGY FILE_COPY"
    DANGVU_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_nat_search .venv/bin/dangvu migrate
    .venv/bin/python bench/search.py --db postgresql://postgres@127.0.0.1:5432/dangvu_nat_search --root T14 --runs 15
    .venv/bin/python bench/search.py --db … --crossover T14K1,T14,T38,T01,T01+T38 --runs 3   # where scope first pays

For each typical query (a common family name, a full name, initials, a given name, a member code, a citizen ID, the
list with nothing typed, its second page), as department staff granted on --root (a province) and as the
administrator (the whole country): the member list page through Django's test client (middleware, session,
scope, the search, the page's rows, the template; DEBUG off), median and p95 of --runs after one warm-up, and in the
same run two yardsticks on the same connection: the search's own statement as bare SQL (psycopg, no Django), and
the statement the list ran before issue 14 (LIKE '%…%' on the folded name, scope joined, no LIMIT — the rows a
search then fetched); for a name within the scope, also the page on the country's name index (the setting at 0).
The login and the grant are created in the database given (a copy: never dangvu_national).
Prints a table and writes bench/out/search.json; the load average is printed beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from foundation import setup

OUT = Path(__file__).resolve().parent / "out" / "search.json"

# Hand-written: the search's statement for staff of one root (scope = the root's subtree on the day).
BARE_SCOPED = """
SELECT s.id, m.full_name FROM members_membershipspan s JOIN members_member m ON m.id = s.member_id
 WHERE s.valid_from <= %(d)s AND s.valid_to > %(d)s
   AND s.organization_id IN (SELECT a.organization_id FROM orgs_organcestry a
                              WHERE a.ancestor_id = %(root)s AND a.valid_from <= %(d)s AND a.valid_to > %(d)s)
   AND {cond}
 ORDER BY m.name_sort, m.id LIMIT 51
"""
# The scope-first path (members.search.page's first half): the scope's own spans, name tested and sorted on the span
# (member ids only, as the page's first step: an index-only scan of span_search_idx).
BARE_SPANS = """
SELECT s.member_id FROM members_membershipspan s
 WHERE s.valid_from <= %(d)s AND s.valid_to > %(d)s
   AND s.organization_id IN (SELECT a.organization_id FROM orgs_organcestry a
                              WHERE a.ancestor_id = %(root)s AND a.valid_from <= %(d)s AND a.valid_to > %(d)s)
   AND {cond}
 ORDER BY s.name_sort, s.member_id LIMIT 51
"""
BARE_ALL = """
SELECT s.id, m.full_name FROM members_membershipspan s JOIN members_member m ON m.id = s.member_id
 WHERE s.valid_from <= %(d)s AND s.valid_to > %(d)s AND {cond}
 ORDER BY m.name_sort, m.id LIMIT 51
"""
# Before issue 14: a substring of the folded name (or the code), every match of the scope fetched, sorted in Python.
BEFORE_SCOPED = """
SELECT s.id, m.full_name FROM members_membershipspan s JOIN members_member m ON m.id = s.member_id
 WHERE s.valid_from <= %(d)s AND s.valid_to > %(d)s
   AND s.organization_id IN (SELECT a.organization_id FROM orgs_organcestry a
                              WHERE a.ancestor_id = %(root)s AND a.valid_from <= %(d)s AND a.valid_to > %(d)s)
   AND (m.full_name_folded LIKE %(like)s OR m.code = %(code)s) LIMIT 5001
"""


def ensure_logins(root_code: str) -> tuple[Any, Any, Any]:
    from django.contrib.auth import get_user_model

    from dangvu.accounts.models import Grant, Role
    from dangvu.accounts.services import grant_role
    from dangvu.audit.services import Actor
    from dangvu.orgs.models import Organization

    root = Organization.objects.get(code=root_code)
    users = get_user_model().objects
    staff = users.filter(username="bench_search_staff").first() or users.create_user("bench_search_staff")
    admin = users.filter(username="bench_search_admin").first() or users.create_user(
        "bench_search_admin", is_superuser=True, is_staff=True
    )
    if not Grant.objects.filter(user=staff, organization=root).exists():
        grant_role(user=staff, role=Role.STAFF, organization=root, valid_from=dt.date(2020, 1, 1), actor=Actor("bench"))
    return root, staff, admin


def queries(root: Any, on: dt.date) -> list[tuple[str, str]]:
    """(label, what is typed): codes and a citizen ID of members of the root's subtree today."""
    from dangvu.members.models import MembershipSpan

    someone = (
        MembershipSpan.objects.in_subtree(root, on=on)
        .exclude(member__citizen_id=None)
        .select_related("member")
        .order_by("member_id")[100:101]
        .get()
        .member
    )
    return [
        ("họ phổ biến “nguyen”", "nguyen"),
        ("họ tên “nguyen van an”", "nguyen van an"),
        ("viết tắt “ng v an”", "ng v an"),
        ("tên “hoa”", "hoa"),
        ("tên hiếm “khue”", "khue"),
        ("mã đảng viên", someone.code),
        ("số CCCD", someone.citizen_id or ""),
        ("danh sách, không gõ gì", ""),
    ]


def timed(fn: Any, runs: int) -> tuple[float, float]:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def bare_condition(q: str, *, on_span: bool = False) -> tuple[str, dict[str, Any]]:
    from django.db import connection

    from dangvu.members.search import parse

    terms = parse(q)
    if terms.words and on_span:
        cond = " AND ".join(f"(' ' || s.name_folded) LIKE %(w{i})s" for i in range(len(terms.words)))
        return cond, {f"w{i}": f"% {w}%" for i, w in enumerate(sorted(terms.words, key=len, reverse=True))}
    if terms.words and connection.vendor == "sqlite":
        match = " AND ".join(f'"{w}"*' for w in terms.words)
        return "m.id IN (SELECT rowid FROM members_member_fts WHERE members_member_fts MATCH %(match)s)", {
            "match": match
        }
    if terms.words:
        cond = " AND ".join(f"(' ' || m.full_name_folded) LIKE %(w{i})s" for i in range(len(terms.words)))
        return cond, {f"w{i}": f"% {w}%" for i, w in enumerate(terms.words)}
    if terms.citizen_id:
        return "m.citizen_id = %(v)s", {"v": terms.citizen_id}
    if terms.code:
        return "m.code = %(v)s", {"v": terms.code}
    return "TRUE", {}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="a copy of the national data set, migrated (or the demo's SQLite)")
    ap.add_argument("--root", default="T14")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument(
        "--crossover",
        default="",
        help="roots (a login granted on each; 'T01+T38' one login on both) whose name searches are timed on both "
        "paths, scope first and the country's name index, to place DANGVU_SEARCH_SCOPE_FIRST_UNITS",
    )
    args = ap.parse_args()
    if args.db.rstrip("/").endswith("/dangvu_national"):
        sys.exit("dangvu_national is the template: run on a copy (see the docstring).")
    setup(args.db)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    from dangvu.accounts.scope import today

    on = today()
    if args.crossover:
        crossover(args.crossover.split(","), on, args.runs)
        return
    root, staff, admin = ensure_logins(args.root)
    typed = queries(root, on)
    print(f"load average before: {open('/proc/loadavg').read().split()[:3]}")
    print(
        f"{'query':32} {'as':10} {'page p50/p95 ms':>16} {'bare SQL p50':>13} {'country path p50':>17} "
        f"{'before p50':>11} rows"
    )
    results = []
    for who, user in (("tỉnh " + args.root, staff), ("toàn quốc", admin)):
        c = Client()
        c.force_login(user)
        for label, q in [*typed, ("trang 2 của danh sách", "\x00next")]:
            params: dict[str, str] = {}
            if q == "\x00next":
                from dangvu.web import reads

                first = reads.search_members(user, on=on, q="")
                params = {"sau": first.more, "tu": "51"}
                q = ""
            elif q:
                params = {"q": q}
            page_ms = timed(lambda p=params, cl=c: cl.get("/dang-vien/", p), args.runs)  # type: ignore[misc]
            body = c.get("/dang-vien/", params).content.decode()
            rows = body.count('<tr><td><a href="/dang-vien/')
            from dangvu.members.search import parse

            on_span = user is staff and bool(parse(q).words) and settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS > 0
            cond, values = bare_condition(q, on_span=on_span)
            sql = (BARE_SPANS if on_span else BARE_SCOPED if user is staff else BARE_ALL).format(cond=cond)
            # The same page on the country's name index (the path before the scope-first one), same run.
            country_ms: tuple[float, float] | None = None
            if on_span:
                kept = settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS
                settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS = 0
                country_ms = timed(lambda p=params, cl=c: cl.get("/dang-vien/", p), args.runs)  # type: ignore[misc]
                settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS = kept
            values = {**values, "d": on, "root": root.pk}

            def bare(sql: str = sql, values: dict[str, Any] = values) -> None:
                with connection.cursor() as cur:
                    cur.execute(sql, values)
                    cur.fetchall()

            bare_ms = timed(bare, args.runs)
            before_ms: tuple[float, float] | None = None
            if user is staff and q:
                from dangvu.domain.vietnamese import fold

                old = {"d": on, "root": root.pk, "like": f"%{fold(q)}%", "code": q.upper()}

                def before(old: dict[str, Any] = old) -> None:
                    with connection.cursor() as cur:
                        cur.execute(BEFORE_SCOPED, old)
                        cur.fetchall()

                before_ms = timed(before, max(3, args.runs // 5))
            results.append(
                {
                    "as": who,
                    "query": label,
                    "page_p50_ms": round(page_ms[0], 1),
                    "page_p95_ms": round(page_ms[1], 1),
                    "bare_p50_ms": round(bare_ms[0], 1),
                    "before_p50_ms": round(before_ms[0], 1) if before_ms else None,
                    "country_path_p50_ms": round(country_ms[0], 1) if country_ms else None,
                    "path": "scope first" if on_span else "name index",
                    "rows": rows,
                }
            )
            b = f"{before_ms[0]:9.0f}" if before_ms else f"{'—':>9}"
            cp = f"{country_ms[0]:9.0f}" if country_ms else f"{'—':>9}"
            print(
                f"{label:32} {who:10} {page_ms[0]:7.0f} / {page_ms[1]:5.0f} {bare_ms[0]:13.1f} {cp:>17} {b:>11} {rows}"
            )
    load = open("/proc/loadavg").read().split()[:3]
    print(f"load average after: {load}")
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"root": args.root, "on": on.isoformat(), "load": load, "results": results}, indent=1))


def crossover(roots: list[str], on: dt.date, runs: int) -> None:
    """Name searches for staff of each root, timed (the search alone, reads.search_members, median of `runs`) on the
    scope-first path and on the country's name index: where the first stops paying is the setting's value."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from dangvu.accounts.models import Grant, Role
    from dangvu.accounts.scope import visible_orgs
    from dangvu.accounts.services import grant_role
    from dangvu.audit.services import Actor
    from dangvu.members.models import MembershipSpan
    from dangvu.orgs.models import Organization
    from dangvu.web import reads

    names = ["nguyen van an", "ng v an", "nguyen", "hoa", "tran thi"]
    print(f"load average before: {open('/proc/loadavg').read().split()[:3]}")
    print(f"{'scope':12} {'units':>7} {'members':>8} {'query':14} {'scope first':>12} {'name index':>11} ms p50")
    out = []
    for spec in roots:
        user = get_user_model().objects.filter(username=f"bench_x_{spec}").first()
        user = user or get_user_model().objects.create_user(f"bench_x_{spec}")
        for code in spec.split("+"):
            org = Organization.objects.get(code=code)
            if not Grant.objects.filter(user=user, organization=org).exists():
                grant_role(
                    user=user, role=Role.STAFF, organization=org, valid_from=dt.date(2020, 1, 1), actor=Actor("bench")
                )
        units = visible_orgs(user, on).count()
        members = MembershipSpan.objects.on(on).filter(organization_id__in=visible_orgs(user, on).values("pk")).count()
        for q in names:
            kept = settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS
            times = {}
            for path, limit in (("scope first", 10**9), ("name index", 0)):
                settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS = limit
                times[path] = timed(lambda u=user, q=q: reads.search_members(u, on=on, q=q), runs)[0]  # type: ignore[misc]
            settings.DANGVU_SEARCH_SCOPE_FIRST_UNITS = kept
            print(f"{spec:12} {units:7} {members:8} {q:14} {times['scope first']:12.0f} {times['name index']:11.0f}")
            out.append({"scope": spec, "units": units, "members": members, "query": q, **times})
    load = open("/proc/loadavg").read().split()[:3]
    print(f"load average after: {load}")
    OUT.parent.mkdir(exist_ok=True)
    OUT.with_name("search_crossover.json").write_text(json.dumps({"on": on.isoformat(), "load": load, "rows": out}))


if __name__ == "__main__":
    main()
