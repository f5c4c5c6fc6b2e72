"""Start-up benchmark (run on demand; prints gridctl beside its floor, with the ratio):

    python -m pytest tests/benchmarks/bench_startup.py -s

The floor is `python -c "import typer"` run in the same loop, interleaved with gridctl's runs,
so a busy machine slows both alike. Targets (issue #14): `issue add` ≤ 2.5× the floor,
`gridctl --help` ≤ 1.5×.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time

from tests.benchmarks.common import GRIDCTL, ROOT, gridctl

ROUNDS = 15


# As installed: byte-code cached (an environment with PYTHONDONTWRITEBYTECODE would compile
# gridctl's ~80 modules from source at every start, ~100 ms, which no installed copy does).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def once(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def test_start_up_against_import_typer(tmp_path):
    township = ROOT / "township-200.db"
    if not township.exists():
        ROOT.mkdir(parents=True, exist_ok=True)
        gridctl(township, "demo", "--scale", "township", "--seed", "1", "-o", str(ROOT / "township"),
                "--issues", "200")
    db = tmp_path / "copy.db"
    shutil.copy(township, db)
    block = subprocess.run(
        [sys.executable, "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("
         "\"SELECT code FROM grids WHERE level='block' LIMIT 1\").fetchone()[0])", str(db)],
        capture_output=True, text=True, check=True).stdout.strip()
    jobs = {
        "floor: python -c 'import typer'": [sys.executable, "-c", "import typer"],
        "gridctl --help": GRIDCTL + ["--help"],
        "gridctl issue add": GRIDCTL + ["--db", str(db), "--by", "P0000001", "issue", "add", "-g", block,
                                        "-c", "占道", "-s", "patrol", "-t", "基准", "--force"],
    }
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for args in jobs.values():  # warm-up: writes the byte-code caches
        once(args)
    for _ in range(ROUNDS):
        for name, args in jobs.items():
            times[name].append(once(args))
    median = {name: statistics.median(xs) for name, xs in times.items()}
    floor = median["floor: python -c 'import typer'"]
    print()
    for name, seconds in median.items():
        print(f"{name:<34} {seconds * 1000:6.0f} ms   {seconds / floor:4.2f}× floor")
    print("targets: issue add ≤ 2.5×, --help ≤ 1.5×")
