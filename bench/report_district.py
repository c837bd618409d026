"""Benchmark: a district's annual report with all outputs (DOCX, XLSX with charts, PDF) — aim < 3 s.

    .venv/bin/python bench/report_district.py --db sqlite:////tmp/demo.sqlite3    # a demo database
    .venv/bin/python bench/report_district.py                                     # generates one first (minutes)
    options: --root CODE (default: the first district) --year 2024 --runs 3 --postgres URL

Prints the median of each step and of the whole generate() call; BENCHMARKS.md records the results.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup(db: str | None, profile: str, analyze: bool = True) -> None:
    os.environ["DANGVU_DATABASE_URL"] = db or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from dangvu.orgs.models import Organization

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        print(f"Sinh dữ liệu mẫu ({profile}) …", flush=True)
        call_command("generate", profile=profile, seed=2016, rate_from=2020)
    from django.db import connection

    if analyze and connection.vendor == "sqlite":
        # A bulk-loaded SQLite file has no planner statistics until ANALYZE (PostgreSQL's autovacuum gathers them):
        # without them the subtree joins pick the wrong index (a province's report: 19 s for one query instead of 2).
        with connection.cursor() as c:
            c.execute("ANALYZE")


def median(fn, runs: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def run(kind_of_root: str, aim_s: float, default_profile: str) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=None, help="DANGVU_DATABASE_URL of a generated database")
    ap.add_argument("--root", default=None)
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-analyze", action="store_true", help="SQLite: measure without planner statistics")
    o = ap.parse_args()
    setup(o.db, default_profile, analyze=not o.no_analyze)
    import datetime as dt

    from django.db.models import Count

    from dangvu.audit.services import Actor
    from dangvu.orgs.models import Organization
    from dangvu.reports.api import generate
    from dangvu.reports.builders import build
    from dangvu.reports.render.docx import render_docx
    from dangvu.reports.render.pdf import render_pdf
    from dangvu.reports.render.xlsx import render_xlsx

    # The root of that kind with the largest subtree (the demo's neighbour province is a handful of units).
    biggest = (
        Organization.objects.filter(versions__kind=kind_of_root)
        .annotate(n=Count("descendancy"))
        .order_by("-n", "code")
        .first()
    )
    root = o.root or biggest.code  # type: ignore[union-attr]
    period, when = str(o.year), dt.date(o.year + 1, 1, 12)
    out = Path(tempfile.mkdtemp())
    actor = Actor("bench")
    now = dt.datetime.now()
    generate(root=root, kind="annual", period=period, out_dir=out, formats=("docx",), actor=actor, issued_on=when)
    t_build, rep = median(lambda: build(root=root, kind="annual", period=period, issued_on=when), o.runs)
    t_docx, _ = median(lambda: render_docx(rep, out / "a.docx", actor="bench", at=now), o.runs)  # type: ignore[arg-type]
    t_xlsx, _ = median(lambda: render_xlsx(rep, out / "a.xlsx", actor="bench", at=now), o.runs)  # type: ignore[arg-type]
    t_pdf, _ = median(lambda: render_pdf(out / "a.docx", out), o.runs)
    t_no_pdf, _ = median(
        lambda: generate(
            root=root, kind="annual", period=period, out_dir=out, formats=("docx", "xlsx"), actor=actor, issued_on=when
        ),
        o.runs,
    )
    t_all, paths = median(
        lambda: generate(
            root=root,
            kind="annual",
            period=period,
            out_dir=out,
            formats=("docx", "xlsx", "pdf"),
            actor=actor,
            issued_on=when,
        ),
        o.runs,
    )
    members = rep.figures and next((f.value for f in rep.figures if f.code.endswith("structure.grassroots")), 0)  # type: ignore[union-attr]
    from django.db import connection

    print(
        f"root {root} ({kind_of_root}), annual {period}, {members} grassroots organizations, runs {o.runs}, "
        f"{connection.vendor}{'' if o.no_analyze or connection.vendor != 'sqlite' else ' (ANALYZE)'}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"  build (figures, sentences)  {t_build:6.2f} s")
    print(f"  DOCX (docxtpl + charts)     {t_docx:6.2f} s")
    print(f"  XLSX                        {t_xlsx:6.2f} s")
    print(f"  PDF (LibreOffice)           {t_pdf:6.2f} s")
    print(f"  generate(), DOCX + XLSX     {t_no_pdf:6.2f} s")
    print(f"  generate(), all outputs     {t_all:6.2f} s   (aim < {aim_s:.0f} s) -> {[p.name for p in paths]}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    run("district", 3, "district")
