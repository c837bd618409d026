"""`make bench`: the district-size benchmarks on SQLite, one after the other (a few minutes).

The national benchmarks need the national profile on PostgreSQL and run separately; the commands are in
BENCHMARKS.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = [
    ["foundation.py", "district"],
    ["review_district.py"],
    ["indicators.py", "district"],
]

for script, *args in RUNS:
    print(f"== bench/{script} {' '.join(args)} ==", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=True)
