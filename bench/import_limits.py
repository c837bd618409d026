"""Benchmark: hostile files against `dangvu import` (issue 13: refused in ≤ 2 s with ≤ 200 MB resident), and a
valid large file (a 200.000-member province: ≤ 400 MB).

    .venv/bin/python bench/import_limits.py                      # the hostile files only
    .venv/bin/python bench/import_limits.py --valid var/big/tinh.xlsx   # and a valid workbook
    .venv/bin/python bench/import_limits.py --no-hostile --valid a.xlsx --valid b.xlsx \
        --database-url postgresql://postgres@127.0.0.1:5432/dangvu_bounded   # valid files into PostgreSQL

Each file is imported by its own `dangvu import` process into an empty database (SQLite in a temporary folder,
or --database-url: a PostgreSQL database that is dropped and created again before each valid file); the
process's wall time and peak resident memory (os.wait4's ru_maxrss) are printed, the startup of Django
included, and for a valid file the import's own phase timings.

A valid workbook of a 200.000-member province is made with the project's generator and exporter (the province
after the 2025 merger is HDU25 with seed 7; the identifiers written in full so the file imports):

    export DANGVU_DATABASE_URL=sqlite:///$PWD/var/big/gen.sqlite3
    .venv/bin/dangvu migrate
    .venv/bin/dangvu generate --profile province --seed 7 --members 200000 --today 2026-06-30 --rate-from 0
    .venv/bin/dangvu export --root HDU25 --as-of 2026-06-30 --full-identifiers var/big/tinh200000.xlsx
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fixtures import hostile_files as hostile  # noqa: E402

MB = 1024 * 1024
DANGVU = str(ROOT / ".venv" / "bin" / "dangvu")


def hostile_files(folder: Path) -> list[tuple[str, Callable[[], Path]]]:
    return [
        ("3 MB XLSX, one shared string of 3 GB", lambda: hostile.huge_shared_string(folder / "chuoi.xlsx", 3072 * MB)),
        (
            "1 MB XLSX, one shared string of 1 GB",
            lambda: hostile.huge_shared_string(folder / "chuoi-1g.xlsx", 1024 * MB),
        ),
        ("a cell at Z1000000 (sparse grid)", lambda: hostile.far_cell(folder / "thua.xlsx", 1_000_000, "Z")),
        ("a cell at XFD1048576", lambda: hostile.far_cell(folder / "o-xa.xlsx", 1_048_576, "XFD")),
        ("a cell at A1048576 (rows)", lambda: hostile.far_cell(folder / "dong-xa.xlsx", 1_048_576)),
        ("2.000.000 rows of 25 cells", lambda: hostile.many_rows(folder / "nhieu-dong.xlsx", 2_000_000, 25)),
        ("zip bomb, a 3 GB worksheet of blanks", lambda: hostile.zip_bomb(folder / "bom.xlsx", 3072 * MB)),
        ("zip directory lying about a 1 GB part", lambda: hostile.lying_directory(folder / "doi.xlsx", 1024 * MB)),
        ("an inline text of 1.000.000 characters", lambda: hostile.long_inline_text(folder / "o-dai.xlsx", 10**6)),
        ("a text file named .xlsx", lambda: hostile.not_a_zip(folder / "khong-phai.xlsx")),
        (
            "a CSV in Windows-1258",
            lambda: hostile.wrong_encoding_csv(folder / "csv", "dang_vien.csv", ["Mã đảng viên", "Họ và tên"]),
        ),
    ]


def check_in_process(path: Path) -> float:
    """Seconds of the bounds check alone (limits.check_xlsx / check_csv), in this process."""
    from dangvu.imports import limits

    t0 = time.perf_counter()
    try:
        if path.is_dir():
            for p in path.glob("*.csv"):
                limits.check_csv(p, p.name)
        else:
            limits.check_xlsx(path, path.name)
    except limits.TooLarge:
        pass
    return time.perf_counter() - t0


def run(path: Path, env: dict[str, str]) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit code, last line of output) of one `dangvu import PATH`."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [DANGVU, "import", str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    out = proc.stdout.read() if proc.stdout else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in out.splitlines() if line.strip()]
    return seconds, usage.ru_maxrss / 1024, proc.returncode, " | ".join(lines)[:1200]


def fresh_postgres(url: str) -> None:
    """Drop and create the database `url` names (through the server's `postgres` database)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--valid", type=Path, action="append", default=[], help="a valid workbook or CSV directory (repeatable)"
    )
    ap.add_argument("--no-hostile", action="store_true", help="only the valid files")
    ap.add_argument("--database-url", help="PostgreSQL for the valid files (dropped and created for each)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    folder = Path(tempfile.mkdtemp(prefix="dangvu-limits-"))
    db = folder / "db.sqlite3"
    env = {**os.environ, "DANGVU_DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run([DANGVU, "migrate", "-v0"], env=env, check=True)
    empty = folder / "empty.sqlite3"
    shutil.copy(db, empty)
    print(f"{'file':42} {'size':>9} {'s':>6} {'MB':>7} exit {'check s':>7}  message")
    try:
        seconds, peak, code, message = run(folder / "khong-co.xlsx", env)
        print(f"{'startup only (a missing file)':42} {0:8.1f}M {seconds:6.2f} {peak:7.0f} {code:4} {'':7}  {message}")
        for label, build in [] if args.no_hostile else hostile_files(folder):
            path = build()
            size = sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size
            seconds, peak, code, message = run(path, env)
            check = check_in_process(path)
            print(f"{label:42} {size / MB:8.1f}M {seconds:6.2f} {peak:7.0f} {code:4} {check:7.3f}  {message}")
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        for valid in args.valid:
            if args.database_url:
                env = {**os.environ, "DANGVU_DATABASE_URL": args.database_url}
                fresh_postgres(args.database_url)
                subprocess.run([DANGVU, "migrate", "-v0"], env=env, check=True)
            else:
                shutil.copy(empty, db)
            size = valid.stat().st_size if valid.is_file() else 0
            seconds, peak, code, message = run(valid, env)
            print(f"{'valid: ' + valid.name:42} {size / MB:8.1f}M {seconds:6.2f} {peak:7.0f} {code:4}  {message}")
            sys.stdout.flush()
    finally:
        if not args.keep:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
