"""Load on loopback: N concurrent users hitting an organization's dashboard and the member search.

    .venv/bin/python bench/web_load.py \\
        --records postgresql://postgres@127.0.0.1:5432/dangvu_national \\
        --own postgresql://postgres@127.0.0.1:5432/dangvu_web_bench \\
        --root T14 --users 20 --seconds 60

The app is served by --procs processes of bench/web_serve.py (a pool of --threads threads keeping their
database connections, like gunicorn's gthread worker; or `runserver` with --server runserver), DEBUG off,
users spread round-robin, with bench/web_settings.py: records read
from --records (never written), logins/sessions/grants in --own (created and migrated here). One staff login
with a grant on --root; each virtual user has its own session and loops: dashboard of --root, then a member
search without diacritics under --root (a different name each time); --pages chooses other pages (the alerts
fragment and page, the tree) and --alone N times each page N times alone first. Threads with http.client, keep-alive off
(one connection per request, like a browser's first visit). Prints p50/p95/p99 per page and writes
bench/out/web_load.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NAMES = [
    "nguyen van an",
    "tran thi binh",
    "le van hung",
    "pham thi lan",
    "hoang van nam",
    "vu thi hoa",
    "nguyen thi mai",
    "do van long",
    "bui thi thu",
    "dang van minh",
    "nguyen duc anh",
    "tran van tuan",
]


def setup(args: argparse.Namespace) -> list[str]:
    """Own database migrated, the staff login granted on --root, one session cookie per virtual user."""
    import psycopg

    own = urllib.parse.urlparse(args.own)
    name = own.path.lstrip("/")
    with psycopg.connect(args.own.replace(f"/{name}", "/postgres"), autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')
    os.environ.update(env(args))
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from dangvu.accounts.models import Grant, Role
    from dangvu.audit.services import SYSTEM
    from dangvu.orgs.models import Organization

    os.environ["DANGVU_BENCH_MIGRATING"] = "1"  # web_settings.SplitRouter: the data migrations write here
    call_command("migrate", verbosity=0)
    del os.environ["DANGVU_BENCH_MIGRATING"]
    root = Organization.objects.using("records").get(code=args.root)
    # The grant's foreign key needs the organization's row in the own database too (id and code only).
    Organization.objects.using("default").filter(code=root.code).exclude(pk=root.pk).delete()
    if not Organization.objects.using("default").filter(pk=root.pk).exists():
        Organization(pk=root.pk, code=root.code).save(using="default")
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=f"bench_{root.code.lower()}")
    if not Grant.objects.filter(user=user, organization_id=root.pk).exists():
        import datetime as dt

        from django.db import transaction

        from dangvu.accounts.services import grant_role

        with transaction.atomic(using="default"):
            grant_role(user=user, role=Role.STAFF, organization=root, valid_from=dt.date(2020, 1, 1), actor=SYSTEM)
    cookies = []
    for _ in range(args.users):
        c = Client()
        c.force_login(user)
        cookies.append(f"sessionid={c.cookies['sessionid'].value}")
    return cookies


def env(args: argparse.Namespace) -> dict[str, str]:
    return {
        "DANGVU_DATABASE_URL": args.own,
        "DANGVU_RECORDS_URL": args.records,
        "DJANGO_SETTINGS_MODULE": "web_settings",
        "DANGVU_DEBUG": "0",
        "PYTHONPATH": f"{HERE}:{ROOT}",
    }


def serve(args: argparse.Namespace, port: int) -> subprocess.Popen[bytes]:
    command = (
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"]
        if args.server == "runserver"
        else [sys.executable, str(HERE / "web_serve.py"), f"127.0.0.1:{port}", "--threads", str(args.threads)]
    )
    proc = subprocess.Popen(
        command,
        env={**os.environ, **env(args), "DANGVU_DASHBOARD_SECONDS": str(args.cache)},
        stdout=subprocess.DEVNULL,
        stderr=open(ROOT / "var" / f"web_load_server_{port}.log", "wb"),
    )
    for _ in range(120):
        try:
            if get(port, "/dang-nhap/", "")[0] == 200:
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"the server did not start (see var/web_load_server_{port}.log)")


def get(port: int, path: str, cookie: str) -> tuple[int, float, int]:
    t = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, (time.perf_counter() - t) * 1000, len(body)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))
    return values[k]


def page_urls(root: str) -> dict[str, Any]:
    """The pages a virtual user may loop over (--pages), each a function of the user's random generator."""
    return {
        "dashboard": lambda rng: f"/to-chuc/{root}/",
        "search": lambda rng: f"/dang-vien/?org={root}&q={urllib.parse.quote(rng.choice(NAMES))}",
        # The dashboard's alerts fragment (htmx, loaded after the page), the alerts page, the tree page.
        "alerts": lambda rng: f"/to-chuc/{root}/canh-bao/",
        "alerts_page": lambda rng: f"/to-chuc/{root}/canh-bao/tat-ca/?page={rng.randint(1, 3)}",
        "tree": lambda rng: f"/cay/?root={root}",
    }


def run(args: argparse.Namespace, cookies: list[str]) -> dict[str, object]:
    every = page_urls(args.root)
    pages = {k: every[k] for k in args.pages.split(",")}
    times: dict[str, list[float]] = {k: [] for k in pages}
    errors: dict[str, int] = {k: 0 for k in pages}
    lock = threading.Lock()
    stop = time.perf_counter() + args.seconds

    def user(i: int) -> None:
        rng = random.Random(i)
        while time.perf_counter() < stop:
            for kind, url in pages.items():
                try:
                    status, ms, _ = get(args.port + i % args.procs, url(rng), cookies[i])
                except OSError:
                    status, ms = 0, 0.0
                with lock:
                    if status == 200:
                        times[kind].append(ms)
                    else:
                        errors[kind] += 1
                if args.think:
                    time.sleep(rng.expovariate(1 / args.think))  # a person reading the page

    # Warm-up: one pass of each page on each server (caches, connections).
    for url in pages.values():
        for k in range(args.procs):
            get(args.port + k, url(random.Random(0)), cookies[0])
    alone: dict[str, object] = {}
    for kind, url in pages.items():  # one request at a time, nothing else running
        ms = [get(args.port, url(random.Random(n)), cookies[0])[1] for n in range(args.alone)]
        if ms:
            alone[kind] = {"median_ms": round(statistics.median(ms)), "max_ms": round(max(ms))}
    threads = [threading.Thread(target=user, args=(i,)) for i in range(args.users)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    out: dict[str, object] = {
        "users": args.users,
        "seconds": round(elapsed, 1),
        "root": args.root,
        "server": args.server,
        "server_processes": args.procs,
        "threads": args.threads,
        "dashboard_cache_s": args.cache,
        "think_s": args.think,
        "alone": alone,
    }
    for kind, values in times.items():
        out[kind] = {
            "requests": len(values),
            "errors": errors[kind],
            "p50_ms": round(pct(values, 50)),
            "p95_ms": round(pct(values, 95)),
            "p99_ms": round(pct(values, 99)),
            "mean_ms": round(statistics.fmean(values)) if values else None,
        }
    out["throughput_rps"] = round(sum(len(v) for v in times.values()) / elapsed, 1)
    # The dashboard's lazy fragments, once each with no other load (they are not part of the page's HTML).
    for name in ("canh-bao", "chi-tieu"):
        status, ms, _ = get(args.port, f"/to-chuc/{args.root}/{name}/", cookies[0])
        out[f"fragment_{name}_ms"] = round(ms) if status == 200 else f"HTTP {status}"
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--records", required=True, help="database URL of the records (read only)")
    p.add_argument("--own", required=True, help="database URL for logins and sessions (created, migrated)")
    p.add_argument("--root", required=True, help="organization code: the staff's grant, the dashboard, the search")
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--port", type=int, default=8124)
    p.add_argument("--procs", type=int, default=1, help="server processes (users spread over them round-robin)")
    p.add_argument(
        "--server",
        choices=["runserver", "pool"],
        default="pool",
        help="pool: bench/web_serve.py, threads keeping their connections (like gunicorn gthread)",
    )
    p.add_argument("--threads", type=int, default=8, help="pool server: threads per process")
    p.add_argument("--think", type=float, default=0.0, help="mean think time between pages, seconds (0: none)")
    p.add_argument("--cache", type=int, default=60, help="DANGVU_DASHBOARD_SECONDS for the servers (0: off)")
    p.add_argument("--out", default="web_load.json", help="file name under bench/out/")
    p.add_argument(
        "--pages",
        default="dashboard,search",
        help="the pages each user loops over, in order (dashboard, search, alerts, alerts_page, tree)",
    )
    p.add_argument("--alone", type=int, default=0, help="first time each page N times with no other load")
    args = p.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    cookies = setup(args)
    procs = [serve(args, args.port + k) for k in range(args.procs)]
    try:
        out = run(args, cookies)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)
    out["load_average_after"] = os.getloadavg()
    print(json.dumps(out, ensure_ascii=False, indent=2))
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
