"""Benchmark: a province's annual report with all outputs — aim < 30 s.

.venv/bin/python bench/report_province.py --db sqlite:////tmp/province.sqlite3
(without --db it generates the province profile first: six districts, tens of minutes)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_district import run

if __name__ == "__main__":
    run("province", 30, "province")
