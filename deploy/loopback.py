"""The whole deployment on one machine, on loopback ports, with this project's own files; then the load benchmark.

    .venv/bin/python deploy/loopback.py                      # district data set, bench, tear down (~10 min)
    .venv/bin/python deploy/loopback.py --keep               # leave it running (stop: deploy/loopback.py --stop)
    .venv/bin/python deploy/loopback.py --from-url postgresql://postgres@127.0.0.1:5432/dangvu_nat_copy --root T14

What it brings up, under var/loopback/ (ports 25432…28010 by default, --port-base moves them all):

    haproxy :28000 (deploy/haproxy/haproxy.cfg)  ──►  dangvu serve --workers 1 :28001, :28002
                                                        │  DANGVU_DATABASE_URL / DANGVU_REPLICA_URL
                                                        ▼
    pgbouncer :26432, transaction mode (deploy/pgbouncer/pgbouncer.ini): "dangvu" → primary, "dangvu_replica" → replica
    PostgreSQL 15 primary :25432 (initdb; deploy/postgresql/primary.conf)
    PostgreSQL 15 replica :25433 (pg_basebackup -R of the primary; deploy/postgresql/replica.conf)
    dangvu worker (when the command exists: the job queue of issue 14, item 3)

Then, in order:
 1. the replica's freshness: 500 rows inserted on the primary, each read back at once on the replica (misses
    counted), then the same reads chosen by dangvu.dbrouting for a person who has just written (must be 0);
 2. bench/web_load.py's load (dashboard + member search, --users users, --think 1 s) against one box —
    `dangvu serve --workers 2` straight on the primary — and against the deployment (haproxy, 2 processes,
    pgbouncer, replica), same data, one after the other;
 3. a report requested from web process 1, which is restarted at once: does the report complete?
Results: printed, and var/loopback/result.json. Everything it started is stopped at the end (unless --keep).

Needs /usr/lib/postgresql/15/bin, and the Debian packages pgbouncer and haproxy (installed with apt when missing
and root, like scripts/system-deps.sh). PostgreSQL and pgbouncer refuse to run as root: as root they run as the
`postgres` user. Loopback only: authentication is "trust" on 127.0.0.1, never a production setting.
"""

from __future__ import annotations

import argparse
import configparser
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BASE = ROOT / "var" / "loopback"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PY = str(ROOT / ".venv" / "bin" / "python")
DANGVU = str(ROOT / ".venv" / "bin" / "dangvu")
SECRET = "loopback-only-secret-key-not-for-production-0123456789abcdefghijklmnop"


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {text}", flush=True)


class Ports:
    def __init__(self, base: int) -> None:
        self.primary = base + 32  # 25432
        self.replica = base + 33
        self.bouncer = base + 1032  # 26432
        self.proxy = base + 2600  # 28000
        self.apps = [base + 2601, base + 2602]
        self.single = base + 2610


# ---------------------------------------------------------------- processes


def as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL's programs and pgbouncer refuse root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def run(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, text=True, capture_output=True, **kw)
    if done.returncode != 0:
        raise SystemExit(f"Lệnh thất bại: {' '.join(cmd)}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done


def wait_for(what: str, check: Any, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.3)
    raise SystemExit(f"Hết thời gian chờ: {what}")


def http_get(port: int, path: str, cookie: str = "") -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    r = conn.getresponse()
    body = r.read().decode("utf-8", "replace")
    conn.close()
    headers: dict[str, str] = {}
    for k, v in r.getheaders():  # several Set-Cookie lines (session, CSRF) kept together
        headers[k.lower()] = f"{headers[k.lower()]}, {v}" if k.lower() in headers else v
    return r.status, headers, body


def pid_file(name: str) -> Path:
    return BASE / "run" / f"{name}.pid"


def spawn(name: str, cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = open(BASE / "logs" / f"{name}.log", "ab")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
    pid_file(name).write_text(str(proc.pid))
    return proc


def stop_pid(name: str, sig: int = signal.SIGTERM, wait: float = 60) -> None:
    """Stop a process this script started (its pid file), and its children (its own process group)."""
    f = pid_file(name)
    if not f.exists():
        return
    pid = int(f.read_text())
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        f.unlink()
        return
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            break
        try:  # reap it when it is our child
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.2)
    else:
        os.killpg(pid, signal.SIGKILL)
    f.unlink(missing_ok=True)


# ---------------------------------------------------------------- PostgreSQL


def pg_url(port: int, db: str = "dangvu") -> str:
    return f"postgresql://postgres@127.0.0.1:{port}/{db}"


def psql(port: int, sql: str, db: str = "dangvu") -> str:
    return run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-Atc", sql]).stdout.strip()


def cluster_conf(port: int, role: str) -> str:
    """The project's configuration file included as it is; then what one shared machine changes: the port, the
    socket, memory sized for a box shared with the other cluster, no archive."""
    return (
        f"include '{DEPLOY / 'postgresql' / 'primary.conf'}'\n"
        + (f"include '{DEPLOY / 'postgresql' / 'replica.conf'}'\n" if role == "replica" else "")
        + f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{BASE / 'run'}'\n"
        "shared_buffers = 512MB\neffective_cache_size = 4GB\nmaintenance_work_mem = 256MB\nmax_wal_size = 2GB\n"
        "archive_mode = off\nlogging_collector = off\n"
    )


def start_cluster(name: str, port: int) -> None:
    data = BASE / name
    run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(BASE / "logs" / f"{name}.log"), "-w", "start"]))
    wait_for(
        f"PostgreSQL {name}", lambda: subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(port)]).returncode == 0
    )


def stop_cluster(name: str) -> None:
    data = BASE / name
    if (data / "postmaster.pid").exists():
        subprocess.run(
            as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True
        )


def make_primary(ports: Ports) -> None:
    data = BASE / "primary"
    run(
        as_postgres(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
    )
    (data / "postgresql.conf").write_text(
        (data / "postgresql.conf").read_text() + "\n" + cluster_conf(ports.primary, "primary")
    )
    # Loopback only: trust on 127.0.0.1 (deploy/postgresql/pg_hba.conf is the production file).
    (data / "pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n"
    )
    start_cluster("primary", ports.primary)
    psql(ports.primary, "CREATE DATABASE dangvu", db="postgres")


def make_replica(ports: Ports) -> float:
    """pg_basebackup -R of the primary; returns the seconds it took."""
    t = time.perf_counter()
    data = BASE / "replica"
    run(
        as_postgres(
            [
                "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                str(ports.primary),
                "-U",
                "postgres",
                "-D",
                str(data),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ]
        )
    )
    took = time.perf_counter() - t
    conf = (data / "postgresql.conf").read_text()
    # The copy carries the primary's lines; the replica's own come after them (the last one wins).
    (data / "postgresql.conf").write_text(conf + "\n" + cluster_conf(ports.replica, "replica"))
    start_cluster("replica", ports.replica)
    wait_for(
        "replica streaming",
        lambda: psql(ports.primary, "SELECT count(*) FROM pg_stat_replication", db="postgres") == "1",
    )
    return took


# ---------------------------------------------------------------- pgbouncer, haproxy, the application


def ensure_packages() -> None:
    missing = [
        p
        for p, exe in (("pgbouncer", "/usr/sbin/pgbouncer"), ("haproxy", "/usr/sbin/haproxy"))
        if not Path(exe).exists()
    ]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"Thiếu gói: {' '.join(missing)} — cài bằng: sudo apt-get install -y {' '.join(missing)}")
    say(f"Cài gói hệ thống: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


def start_pgbouncer(ports: Ports) -> None:
    """deploy/pgbouncer/pgbouncer.ini with this machine's addresses, ports, paths and trust authentication."""
    ini = configparser.ConfigParser(interpolation=None, delimiters=("=",), comment_prefixes=(";", "#"))
    ini.optionxform = str  # type: ignore[assignment,method-assign]
    ini.read(DEPLOY / "pgbouncer" / "pgbouncer.ini")
    ini["databases"] = {
        "dangvu": f"host=127.0.0.1 port={ports.primary} dbname=dangvu",
        "dangvu_replica": f"host=127.0.0.1 port={ports.replica} dbname=dangvu",
    }
    pg = ini["pgbouncer"]
    pg.update(
        listen_addr="127.0.0.1",
        listen_port=str(ports.bouncer),
        unix_socket_dir="",
        pidfile=str(BASE / "run" / "pgbouncer.real.pid"),
        logfile="",  # its stderr, into logs/pgbouncer.log
        auth_type="trust",
        auth_file=str(BASE / "run" / "userlist.txt"),
        admin_users="postgres",
        stats_users="postgres",
    )
    (BASE / "run" / "userlist.txt").write_text('"postgres" ""\n')
    with open(BASE / "run" / "pgbouncer.ini", "w") as f:
        ini.write(f)
    spawn("pgbouncer", as_postgres(["/usr/sbin/pgbouncer", str(BASE / "run" / "pgbouncer.ini")]), dict(os.environ))
    wait_for("pgbouncer", lambda: psql(ports.bouncer, "SELECT 1") == "1", 30)


def start_haproxy(ports: Ports) -> None:
    """deploy/haproxy/haproxy.cfg with loopback addresses: no TLS, no syslog, the two application ports."""
    text = (DEPLOY / "haproxy" / "haproxy.cfg").read_text()
    text = re.sub(r"^\s*log /dev/log.*$", "", text, flags=re.M)
    text = re.sub(r"^\s*bind :443.*$", "", text, flags=re.M)
    text = re.sub(r"^\s*http-request redirect scheme https.*$", "", text, flags=re.M)
    text = re.sub(r"^\s*bind :80$", f"    bind 127.0.0.1:{ports.proxy}", text, flags=re.M)
    text = re.sub(r"^\s*server app\d .*$\n", "", text, flags=re.M)
    text += "".join(f"    server app{i + 1} 127.0.0.1:{p}\n" for i, p in enumerate(ports.apps))
    cfg = BASE / "run" / "haproxy.cfg"
    cfg.write_text(text)
    run(["/usr/sbin/haproxy", "-c", "-q", "-f", str(cfg)])
    spawn("haproxy", ["/usr/sbin/haproxy", "-db", "-f", str(cfg)], dict(os.environ))
    wait_for("haproxy", lambda: http_get(ports.proxy, "/dang-nhap/")[0] == 200, 60)


def app_env(ports: Ports, *, deployed: bool) -> dict[str, str]:
    env = {
        **os.environ,
        "DANGVU_SECRET_KEY": SECRET,
        "DANGVU_VAR_DIR": str(BASE / "app-var"),  # one directory for both processes: the shared disk of production
        "DANGVU_DEBUG": "0",
        "DANGVU_DASHBOARD_SECONDS": "60",
        "DANGVU_CACHE_URL": "",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if deployed:
        env.update(
            DANGVU_DATABASE_URL=pg_url(ports.bouncer),
            DANGVU_REPLICA_URL=pg_url(ports.bouncer, "dangvu_replica"),
            DANGVU_PGBOUNCER="1",
        )
    else:
        env.update(DANGVU_DATABASE_URL=pg_url(ports.primary))
        env.pop("DANGVU_REPLICA_URL", None)
    return env


def start_app(name: str, port: int, workers: int, env: dict[str, str]) -> None:
    spawn(name, [DANGVU, "serve", "--workers", str(workers), "--threads", "4", f"127.0.0.1:{port}"], env)
    wait_for(f"{name} :{port}", lambda: http_get(port, "/dang-nhap/")[0] == 200, 120)


def has_worker() -> bool:
    done = subprocess.run(
        [DANGVU, "help", "worker"], capture_output=True, text=True, env=app_env(Ports(25400), deployed=False)
    )
    return done.returncode == 0


# ---------------------------------------------------------------- data


CACHE = ROOT / "var" / "loopback-cache"  # the generated district, kept between runs (pg_dump -Fc)


def restore(source: list[str], ports: Ports) -> None:
    """`pg_dump … URL` piped into pg_restore on the primary (no file in between), or pg_restore of a dump file."""
    dump = subprocess.Popen(source, stdout=subprocess.PIPE) if source[0] == "pg_dump" else None
    done = subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "-d", pg_url(ports.primary)] + ([] if dump else [source[-1]]),
        stdin=dump.stdout if dump else None,
        capture_output=True,
        text=True,
    )
    if dump:
        dump.wait()
    if (dump and dump.returncode != 0) or done.returncode != 0:
        raise SystemExit(f"Chép dữ liệu thất bại:\n{done.stderr[-3000:]}")


def load_data(ports: Ports, args: argparse.Namespace) -> tuple[str, float]:
    """Returns the root to load (organization code) and the seconds the data took."""
    t = time.perf_counter()
    env = app_env(ports, deployed=False)
    cached = CACHE / "district-seed1.dump"
    if args.from_url or (cached.exists() and not args.regenerate):
        # Another database straight into the primary, or the district generated by an earlier run; then this
        # code's migrations.
        say(f"Chép dữ liệu từ {args.from_url or cached.relative_to(ROOT)} (pg_restore) …")
        restore(
            ["pg_dump", "-Fc", "--no-owner", "--no-privileges", args.from_url]
            if args.from_url
            else ["pg_restore", str(cached)],
            ports,
        )
        run([DANGVU, "migrate", "--noinput"], env=env)
        psql(ports.primary, "ANALYZE")
        root = args.root
    else:
        run([DANGVU, "migrate", "--noinput"], env=env)
        say("Sinh dữ liệu mẫu một huyện (dangvu generate --profile district --seed 1) …")
        out = run([DANGVU, "generate", "--profile", "district", "--seed", "1"], env=env).stdout
        say(out.strip().splitlines()[-2] if out.strip() else "")
        root = args.root
        CACHE.mkdir(parents=True, exist_ok=True)
        run(["pg_dump", "-Fc", "-f", str(cached), pg_url(ports.primary)])
    # By default the province as it stands today (the district profile spans the 2025 reform: its old province
    # ended on 01/07/2025).
    root = root or psql(
        ports.primary,
        "SELECT o.code FROM orgs_orgversion v JOIN orgs_organization o ON o.id = v.organization_id "
        "WHERE v.parent_id IS NULL AND v.valid_to = '9999-12-31' ORDER BY o.id DESC LIMIT 1",
    )
    return root, time.perf_counter() - t


# ---------------------------------------------------------------- measurements


PROBE = """
import json, sys, time, django
django.setup()
from django.db import connections
from dangvu import dbrouting
n = int(sys.argv[1])
primary = connections["default"]
with primary.cursor() as cur:
    cur.execute("CREATE TABLE IF NOT EXISTS loopback_probe (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())")
time.sleep(1)  # the table itself reaches the replica

def trial(read):
    misses = 0
    for _ in range(n):
        with primary.cursor() as cur:
            cur.execute("INSERT INTO loopback_probe DEFAULT VALUES RETURNING id")
            new = cur.fetchone()[0]
        with read().cursor() as cur:
            cur.execute("SELECT count(*) FROM loopback_probe WHERE id = %s", [new])
            misses += cur.fetchone()[0] == 0
    return misses

def writer():  # what dbrouting.read_your_writes sets for the request after a write
    with dbrouting.primary_until(time.time() + dbrouting.window()), dbrouting.heavy_reads():
        return connections[dbrouting.read_alias()]

def other():  # a heavy read by someone who has not written
    with dbrouting.heavy_reads():
        return connections[dbrouting.read_alias()]

def per_query_us(conn, k=2000):  # a round trip: SELECT 1, k times, microseconds each
    with conn.cursor() as cur:
        cur.execute("SELECT 1")
        t = time.perf_counter()
        for _ in range(k):
            cur.execute("SELECT 1")
            cur.fetchone()
    return round((time.perf_counter() - t) / k * 1e6)

direct = type(primary)({**primary.settings_dict, "PORT": int(sys.argv[2])}, "direct")  # PostgreSQL itself
print(json.dumps({
    "select1_direct_us": per_query_us(direct),
    "select1_pgbouncer_us": per_query_us(primary),
    "reads": n,
    "replica_read_at_once_missed": trial(lambda: connections["replica"]),
    "router_writer_missed": trial(writer),
    "router_other_reader_missed": trial(other),
    "other_reader_alias": other().alias,
    "writer_alias": writer().alias,
}))
"""


def probe(ports: Ports, n: int) -> dict[str, Any]:
    env = {**app_env(ports, deployed=True), "DJANGO_SETTINGS_MODULE": "dangvu.settings"}
    out = run([PY, "-c", PROBE, str(n), str(ports.primary)], env=env).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def load(args: argparse.Namespace, ports: Ports, cookies: list[str], port: int, label: str) -> dict[str, Any]:
    import web_load

    ns = argparse.Namespace(
        root=args.root,
        seconds=args.seconds,
        users=args.users,
        think=args.think,
        port=port,
        procs=1,
        server=label,
        threads=4,
        cache=60,
        pages=args.pages,
        alone=0,
    )
    say(f"Tải: {label}, {args.users} người dùng, nghỉ {args.think} s, {args.seconds} s …")
    before = os.getloadavg()
    out = web_load.run(ns, cookies)
    out["load_average_before"] = before
    out["load_average_after"] = os.getloadavg()
    return out


def report_while_restarting(args: argparse.Namespace, ports: Ports, cookie: str) -> dict[str, Any]:
    """A report requested from web process 1, which is restarted at once (SIGTERM, start again)."""
    port = ports.apps[0]
    status, headers, page = http_get(port, "/bao-cao/", cookie)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    csrf = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
    if status != 200 or not token or not csrf:
        return {"requested": False, "why": f"HTTP {status} on /bao-cao/"}
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "org": args.root,
            "kind": "annual",
            "period": args.report_period,
            "formats": "docx",
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "POST",
        "/bao-cao/",
        body=body,
        headers={
            "Cookie": f"{cookie}; csrftoken={csrf.group(1)}",
            "Host": "127.0.0.1",
            "Referer": f"http://127.0.0.1:{port}/bao-cao/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    r = conn.getresponse()
    r.read()
    where = r.getheader("Location") or ""
    conn.close()
    m = re.search(r"/bao-cao/([0-9a-f]{32})/", where)
    if r.status != 302 or not m:
        return {"requested": False, "why": f"HTTP {r.status} on POST /bao-cao/"}
    job = m.group(1)  # the job queue's id (dangvu.jobs.models.Job, a UUID)
    t = time.perf_counter()
    say(f"Báo cáo số {job} đã yêu cầu; khởi động lại tiến trình web 1 …")
    stop_pid("app1")
    start_app("app1", port, 1, app_env(ports, deployed=True))
    restarted = time.perf_counter() - t
    deadline = time.monotonic() + args.report_seconds
    state = ""
    while time.monotonic() < deadline:
        try:  # the job queue's row (dangvu.jobs), read on the primary like the pages do
            state = psql(ports.primary, f"SELECT state || ' ' || percent FROM jobs_job WHERE id = '{job}'")
        except SystemExit as e:
            return {"requested": True, "job": job, "final": f"không đọc được trạng thái: {e}"[:300]}
        if state.split(" ")[0] in ("done", "failed"):
            break
        time.sleep(1)
    return {
        "requested": True,
        "job": job,
        "restart_s": round(restarted, 1),
        "final": state,
        "completed": state.startswith("done"),
        "waited_s": round(time.perf_counter() - t, 1),
    }


# ---------------------------------------------------------------- the whole run


def stop_all() -> None:
    for name in ("haproxy", "app1", "app2", "single", "worker", "pgbouncer"):
        stop_pid(name)
    stop_cluster("replica")
    stop_cluster("primary")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # Below Linux's ephemeral range (32768–60999): a client retrying a port nobody listens on yet can connect to
    # itself there (TCP simultaneous open) and read its own request back.
    p.add_argument("--port-base", type=int, default=25400)
    p.add_argument("--from-url", default="", help="copy this database (pg_dump | pg_restore) instead of generating")
    p.add_argument("--root", default="", help="organization code for the load (default: the generated province)")
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--think", type=float, default=1.0, help="mean think time between pages, seconds (0: none)")
    p.add_argument(
        "--pages", default="dashboard,search,alerts,tree", help="what each user loops over (bench/web_load.py --pages)"
    )
    p.add_argument("--probes", type=int, default=500)
    p.add_argument("--report-period", default="2025", help="the report's period (the root must exist in it)")
    p.add_argument("--report-seconds", type=int, default=120, help="how long to wait for the report")
    p.add_argument("--regenerate", action="store_true", help="generate the district again, not the earlier run's")
    p.add_argument("--keep", action="store_true", help="leave everything running at the end")
    p.add_argument("--stop", action="store_true", help="stop what a --keep run left, and remove var/loopback")
    args = p.parse_args()
    if args.stop:
        stop_all()
        shutil.rmtree(BASE, ignore_errors=True)
        say("Đã dừng và xóa var/loopback.")
        return
    if args.from_url and not args.root:
        raise SystemExit("--from-url cần --root (mã tổ chức cho phép đo tải).")
    ports = Ports(args.port_base)
    if BASE.exists():
        stop_all()
        shutil.rmtree(BASE)
    for d in ("run", "logs", "app-var"):
        (BASE / d).mkdir(parents=True)
    if os.geteuid() == 0:
        for path in (BASE, BASE / "run", BASE / "logs"):
            shutil.chown(path, "postgres", "postgres")
    ensure_packages()
    result: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    try:
        t0 = time.perf_counter()
        say("PostgreSQL chính (initdb) …")
        make_primary(ports)
        args.root, took = load_data(ports, args)
        result["data"] = {
            "source": args.from_url or "district --seed 1",
            "root": args.root,
            "seconds": round(took, 1),
            "size": psql(ports.primary, "SELECT pg_size_pretty(pg_database_size('dangvu'))"),
        }
        say(f"Dữ liệu: {result['data']}")
        say("Bản sao (pg_basebackup -R) …")
        result["replica_basebackup_s"] = round(make_replica(ports), 1)
        start_pgbouncer(ports)
        say("Độ trễ của bản sao …")
        result["freshness"] = probe(ports, args.probes)
        say(f"Độ trễ: {result['freshness']}")

        # Logins and sessions for the load, made once in the primary (bench/web_load.py's setup).
        sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
        import web_load

        os.environ["DANGVU_SECRET_KEY"] = SECRET
        os.environ["DANGVU_VAR_DIR"] = str(BASE / "bench-var")
        cookies = web_load.setup(
            argparse.Namespace(
                own=pg_url(ports.primary), records=pg_url(ports.primary), root=args.root, users=args.users
            )
        )

        say("Một máy: dangvu serve --workers 2, thẳng vào PostgreSQL chính …")
        start_app("single", ports.single, 2, app_env(ports, deployed=False))
        result["single_box"] = load(args, ports, cookies, ports.single, "single box: serve --workers 2, primary")
        stop_pid("single")

        say("Triển khai: haproxy → 2 × dangvu serve --workers 1 → pgbouncer → chính + bản sao …")
        for i, port in enumerate(ports.apps):
            start_app(f"app{i + 1}", port, 1, app_env(ports, deployed=True))
        result["worker"] = has_worker()
        if result["worker"]:
            spawn("worker", [DANGVU, "worker"], app_env(ports, deployed=True))
        else:
            say(
                "Chưa có lệnh `dangvu worker` (hàng đợi công việc, issue 14 mục 3, chưa gộp): báo cáo chạy trong "
                "luồng của tiến trình web."
            )
        start_haproxy(ports)
        result["deployment"] = load(
            args, ports, cookies, ports.proxy, "deployment: haproxy, 2 × serve --workers 1, pgbouncer, replica"
        )
        result["pgbouncer_pools"] = (
            run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(ports.bouncer),
                    "-U",
                    "postgres",
                    "-d",
                    "pgbouncer",
                    "-Atc",
                    "SHOW POOLS",
                ]
            )
            .stdout.strip()
            .splitlines()
        )
        say("Báo cáo trong lúc khởi động lại một tiến trình web …")
        result["report_during_restart"] = report_while_restarting(args, ports, cookies[0])
        result["total_s"] = round(time.perf_counter() - t0, 1)
    finally:
        if not args.keep:
            say("Dừng tất cả …")
            stop_all()
            for d in ("primary", "replica", "app-var", "bench-var"):
                shutil.rmtree(BASE / d, ignore_errors=True)
    (BASE / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
