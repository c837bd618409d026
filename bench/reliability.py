"""Reliability: kill -9 trials during writes. Nothing may be half-written.

    .venv/bin/python bench/reliability.py [--trials 10] [--postgres] [--seed 1] [--root VPHX0414]
        [--close-root VPHX0416 --close-year 2025] [--demo var/dangvu.sqlite3] [--work /tmp/reliab]

For each operation — (a) `dangvu import` of an exchange workbook (one commune, exported from the demo with
`--full-identifiers`) into an empty migrated database, (b) `dangvu assess close` of a reopened review on a copy
of the demo database (SQLite only: the demo exists only as SQLite), (c) `dangvu restore` of a `dangvu backup`
archive (the imported commune plus a file under var/uploads) into an empty database — the command runs once
unkilled (the reference: its duration and the complete state), then `--trials` times in a subprocess that gets
SIGKILL after a delay drawn uniformly from (0, that duration). After each kill the database is fingerprinted:
rows per table, and for the tables the operation changes a hash of every row (columns holding timestamps left
out, and the audit's free text), plus the files under var/ for restore. The outcome is "unchanged" (equal to
before), "complete" (equal to the unkilled run) or "partial" (anything else; must be 0). For restore a fourth
state is told apart: the database loaded and verified but killed before the restore's own audit entry was
written ("loaded, no audit entry"): restore writes that entry in a second transaction after the load.

When the process was killed, as far as one can tell: SQLite (WAL mode) — "before" if the -wal file is still
empty after the kill (no page was written), "while" if it holds frames but the database reads as before (an
uncommitted transaction, discarded), "after" if the state is complete (SQLite keeps a transaction's pages in its
cache until the commit, so an empty -wal does not prove the kill came before the write phase: compare the kill
time with the phase timings the unkilled run prints). PostgreSQL — a poller watches
pg_stat_activity for a backend of the trial database holding a transaction id (it has written): "before" if
none was seen, "while" if one was seen at the last poll before the kill, "after" otherwise. A run that ended by
itself before the kill counts as "after (finished)".

PostgreSQL (`--postgres`) uses databases dangvu_reliab_* on 127.0.0.1:5432 (user postgres), created from
templates and dropped at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DANGVU = str(ROOT / ".venv" / "bin" / "dangvu")
PG = "postgresql://postgres@127.0.0.1:5432/"
SKIP_TABLES = {"django_session"}
VOLATILE = {"at", "before", "after", "reason"}  # audit entries: when, and free text with paths and timings


def run(args: list[str], url: str, var: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, DANGVU_DATABASE_URL=url)
    if var is not None:
        env["DANGVU_VAR_DIR"] = str(var)
    p = subprocess.run([DANGVU, *args], env=env, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {p.stdout[-2000:]}{p.stderr[-2000:]}")
    return p


# ---------------------------------------------------------------- engines


class Sqlite:
    name = "SQLite"

    def __init__(self, work: Path) -> None:
        self.work = work

    def url(self, db: str) -> str:
        return f"sqlite:///{self.work / (db + '.sqlite3')}"

    def path(self, db: str) -> Path:
        return self.work / (db + ".sqlite3")

    def drop(self, db: str) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(self.path(db)) + suffix).unlink(missing_ok=True)

    def copy(self, src: str, dst: str) -> None:
        self.drop(dst)
        import sqlite3

        # a consistent copy whatever the WAL holds
        with sqlite3.connect(self.path(src)) as s, sqlite3.connect(self.path(dst)) as d:
            s.backup(d)
        Path(str(self.path(dst)) + "-wal").unlink(missing_ok=True)

    def adopt(self, path: Path, dst: str) -> None:
        import sqlite3

        self.drop(dst)
        with sqlite3.connect(path) as s, sqlite3.connect(self.path(dst)) as d:
            s.backup(d)

    def fingerprint(self, db: str, hashed: set[str] | None) -> dict[str, Any]:
        import sqlite3

        con = sqlite3.connect(self.path(db))
        try:
            return _fingerprint(con, _sqlite_tables(con), hashed, '"')
        finally:
            con.close()

    def wrote(self, db: str) -> bool:
        wal = Path(str(self.path(db)) + "-wal")
        return wal.exists() and wal.stat().st_size > 0

    def poller(self, db: str) -> None:
        return None


def _sqlite_tables(con: Any) -> dict[str, list[str]]:
    sql = "select name from sqlite_master where type='table' and name not like 'sqlite_%'"
    tables = [r[0] for r in con.execute(sql)]
    out = {}
    for t in tables:
        out[t] = [r[1] for r in con.execute(f'pragma table_info("{t}")')
                  if r[1] not in VOLATILE and not r[1].endswith("_at")
                  and "datetime" not in (r[2] or "").lower()]  # fmt: skip
    return out


def _fingerprint(con: Any, tables: dict[str, list[str]], hashed: set[str] | None, q: str) -> dict[str, Any]:
    fp: dict[str, Any] = {}
    for t, cols in sorted(tables.items()):
        if t in SKIP_TABLES:
            continue
        n = con.execute(f"select count(*) from {q}{t}{q}").fetchone()[0]
        h = None
        if (hashed is None or t in hashed) and cols:
            sel = ", ".join(f"{q}{c}{q}" for c in cols)
            rows = sorted(repr(tuple(r)) for r in con.execute(f"select {sel} from {q}{t}{q}").fetchall())
            h = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
        fp[t] = (n, h)
    return fp


class Postgres:
    name = "PostgreSQL"

    def __init__(self) -> None:
        import psycopg

        self.psycopg = psycopg
        self.admin = psycopg.connect(PG + "postgres", autocommit=True)

    def url(self, db: str) -> str:
        return PG + "dangvu_reliab_" + db

    def drop(self, db: str) -> None:
        self.admin.execute(f"drop database if exists dangvu_reliab_{db} with (force)")

    def create(self, db: str) -> None:
        self.drop(db)
        self.admin.execute(f"create database dangvu_reliab_{db}")

    def copy(self, src: str, dst: str) -> None:
        self.drop(dst)
        self.admin.execute(f"create database dangvu_reliab_{dst} template dangvu_reliab_{src}")

    def fingerprint(self, db: str, hashed: set[str] | None) -> dict[str, Any]:
        with self.psycopg.connect(self.url(db)) as con:
            tables: dict[str, list[str]] = {}
            for t, c, typ in con.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                "where table_schema='public' order by table_name, ordinal_position"
            ):
                tables.setdefault(t, [])
                if c not in VOLATILE and not c.endswith("_at") and "timestamp" not in typ:
                    tables[t].append(c)
            return _fingerprint(con, tables, hashed, '"')

    def wrote(self, db: str) -> bool:
        return False

    def poller(self, db: str) -> Poller:
        return Poller(self.psycopg, "dangvu_reliab_" + db)


class Poller(threading.Thread):
    """Watches for a backend of the database holding a transaction id (it has written)."""

    def __init__(self, psycopg: Any, datname: str) -> None:
        super().__init__(daemon=True)
        self.con = psycopg.connect(PG + "postgres", autocommit=True)
        self.datname = datname
        self.seen = False
        self.now = False
        self.stop = False

    def run(self) -> None:
        while not self.stop:
            n = self.con.execute(
                "select count(*) from pg_stat_activity where datname=%s and backend_xid is not null", [self.datname]
            ).fetchone()[0]
            self.now = n > 0
            self.seen = self.seen or self.now
            time.sleep(0.01)

    def finish(self) -> tuple[bool, bool]:
        now, seen = self.now, self.seen
        self.stop = True
        self.join()
        self.con.close()
        return seen, now


# ---------------------------------------------------------------- files under var/


def var_files(var: Path) -> dict[str, str]:
    out = {}
    for p in sorted(var.rglob("*")):
        rel = p.relative_to(var)
        if p.is_file() and not rel.parts[0].startswith(".restore-"):
            out[str(rel)] = hashlib.sha256(p.read_bytes()).hexdigest()[:16]
    return out


def leftovers(var: Path) -> int:
    return sum(1 for p in var.iterdir() if p.name.startswith(".restore-")) if var.exists() else 0


# ---------------------------------------------------------------- the trials


def trials(eng: Any, op: str, cmd: list[str], base: str, n: int, rng: random.Random, work: Path,
           with_var: bool = False) -> dict[str, Any]:  # fmt: skip
    """Reference run, then n killed runs. base: the database the command starts from (copied per run)."""
    var = work / f"var-{op}"

    def fresh() -> None:
        eng.copy(base, "t")
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True)

    def state(hashed: set[str] | None) -> dict[str, Any]:
        fp = eng.fingerprint("t", hashed)
        if with_var:
            fp["var/"] = var_files(var)
        return fp

    fresh()
    before_full = state(None)
    t0 = time.monotonic()
    p = run(cmd, eng.url("t"), var)
    duration = time.monotonic() - t0
    ref_full = state(None)
    hashed = {t for t in ref_full if t != "var/" and ref_full[t] != before_full.get(t)}
    before = _project(before_full, hashed)
    ref = _project(ref_full, hashed)
    print(f"  {op} [{eng.name}]: unkilled run {duration:.1f} s; tables changed: {', '.join(sorted(hashed))}",
          flush=True)  # fmt: skip
    print("    " + (p.stdout.strip().splitlines() or [""])[-1][:160], flush=True)
    when: Counter[str] = Counter()
    outcome: Counter[str] = Counter()
    left = 0
    details = []
    for i in range(n):
        fresh()
        delay = rng.uniform(0, duration)
        env = dict(os.environ, DANGVU_DATABASE_URL=eng.url("t"), DANGVU_VAR_DIR=str(var))
        poll = eng.poller("t")
        if poll:
            poll.start()
        proc = subprocess.Popen([DANGVU, *cmd], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        finished = False
        at_kill = False
        try:
            proc.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            at_kill = poll.now if poll else False  # the poller's last look before the kill
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        at_kill = False if finished else at_kill
        seen, _ = poll.finish() if poll else (False, False)
        wal = eng.wrote("t")
        got = state(hashed)
        if got == before:
            out = "unchanged"
        elif got == ref:
            out = "complete"
        elif op == "restore" and _loaded_no_audit(got, ref):
            out = "loaded, no audit entry"
        else:
            out = "partial"
            as_ref = sum(1 for t in ref if got.get(t) == ref[t] and ref[t] != before.get(t))
            off = [t for t in sorted(set(got) | set(ref)) if got.get(t) != ref.get(t)]
            said = [f"{t}: {'as before' if got.get(t) == before.get(t) else _short(got.get(t))} "
                    f"(complete: {_short(ref.get(t))})" for t in off[:6]]  # fmt: skip
            details.append(f"trial {i + 1}: {as_ref} tables as complete; differing: {'; '.join(said)}")
        if finished:
            w = "after (finished)"
        elif out in ("complete", "loaded, no audit entry"):
            w = "after"
        elif poll:
            w = "while" if at_kill else ("after" if seen else "before")
        else:
            w = "while" if wal else "before"
        when[w] += 1
        outcome[out] += 1
        if op == "restore":
            left += leftovers(var)
        print(f"    trial {i + 1:2}: kill at {delay:5.2f} s  {w:17} {out}", flush=True)
    return {"op": op, "engine": eng.name, "trials": n, "duration": duration, "when": when, "outcome": outcome,
            "leftover_staging": left, "details": details}  # fmt: skip


def _project(fp: dict[str, Any], hashed: set[str]) -> dict[str, Any]:
    return {t: (v if t == "var/" else (v[0], v[1] if t in hashed else None)) for t, v in fp.items()}


def _short(v: Any) -> str:
    if isinstance(v, dict):
        return f"{len(v)} files"
    return f"{v[0]} rows" if isinstance(v, tuple) else str(v)


def _loaded_no_audit(got: dict[str, Any], ref: dict[str, Any]) -> bool:
    """Everything as the complete run, except that the restore's own audit entry is missing."""
    t = "audit_auditentry"
    if t not in ref or got.keys() != ref.keys():
        return False
    same = all(got[k] == ref[k] for k in ref if k != t)
    return same and got[t][0] == ref[t][0] - 1


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--root", default="VPHX0414", help="the commune exported for the import")
    ap.add_argument("--as-of", default="2026-12-01")
    ap.add_argument("--close-root", default="VPHX0416")
    ap.add_argument("--close-year", default="2025")
    ap.add_argument("--demo", default=str(ROOT / "var" / "dangvu.sqlite3"), help="the migrated demo database")
    ap.add_argument("--work", default="/tmp/reliab")
    ap.add_argument("--ops", default="import,close,restore")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    sq = Sqlite(work)
    ops = args.ops.split(",")
    t_start = time.monotonic()

    # the workbook, from the demo (SQLite)
    sq.adopt(Path(args.demo), "demo")
    xlsx = work / "commune.xlsx"
    if not xlsx.exists():
        run(["export", "--root", args.root, "--as-of", args.as_of, "--full-identifiers", str(xlsx)], sq.url("demo"))

    eng: Any = Postgres() if args.postgres else sq
    if args.postgres:
        eng.create("empty")
    else:
        sq.drop("empty")
    run(["migrate", "--verbosity", "0"], eng.url("empty"))
    # the imported commune: the source of the backup
    if "restore" in ops:
        eng.copy("empty", "commune")
        run(["import", str(xlsx)], eng.url("commune"))
    results = []
    if "import" in ops:
        results.append(trials(eng, "import", ["import", str(xlsx)], "empty", args.trials, rng, work))
    if "close" in ops and not args.postgres:
        sq.copy("demo", "reopened")
        run(["assess", "reopen", "--root", args.close_root, "--year", args.close_year, "--reason", "thử độ bền"],
            sq.url("reopened"))  # fmt: skip
        results.append(trials(sq, "close", ["assess", "close", "--root", args.close_root, "--year", args.close_year],
                              "reopened", args.trials, rng, work))  # fmt: skip
    if "restore" in ops:
        srcvar = work / "var-source"
        shutil.rmtree(srcvar, ignore_errors=True)
        (srcvar / "uploads").mkdir(parents=True)
        (srcvar / "uploads" / "probe.bin").write_bytes(os.urandom(1 << 20))
        archive = work / f"commune-{eng.name}.tar.gz"
        archive.unlink(missing_ok=True)
        run(["backup", str(archive)], eng.url("commune"), srcvar)
        results.append(trials(eng, "restore", ["restore", str(archive)], "empty", args.trials, rng, work,
                              with_var=True))  # fmt: skip
    if args.postgres:
        for db in ("t", "empty", "commune"):
            eng.drop(db)

    print()
    print("| operation | database | trials | unkilled run | killed before / while / after writing"
          " | finished before the kill | unchanged | complete | partial |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        w, o = r["when"], r["outcome"]
        extra = f" (+{o['loaded, no audit entry']} loaded, no audit entry)" if o["loaded, no audit entry"] else ""
        print(f"| {r['op']} | {r['engine']} | {r['trials']} | {r['duration']:.1f} s | {w['before']} / {w['while']} / "
              f"{w['after']} | {w['after (finished)']} | {o['unchanged']} | {o['complete']}{extra} | "
              f"**{o['partial']}** |")  # fmt: skip
    for r in results:
        if r["op"] == "restore" and r["leftover_staging"]:
            print(
                f"restore [{r['engine']}]: {r['leftover_staging']} killed runs left a var/.restore-* staging directory"
            )
        for d in r["details"]:
            print(f"PARTIAL {r['op']} [{r['engine']}] {d}")
    print(f"\n{time.monotonic() - t_start:.0f} s in all")
    if any(r["outcome"]["partial"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
