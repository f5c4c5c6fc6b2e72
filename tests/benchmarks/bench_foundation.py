"""Foundation benchmarks (run on demand, they report figures):

    python -m pytest tests/benchmarks/bench_foundation.py -s

- `gridctl load` of a city-scale demo (≈50,000 blocks, ≈100,000 people in posts): target < 30 s
- reloading it unchanged (the idempotent path)
- `gridctl --help` start-up: target < 0.15 s
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

GRIDCTL = [sys.executable, "-m", "gridctl"]


def timed(args, env) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def test_city_load_and_help(tmp_path):
    env = dict(os.environ, GRIDCTL_DB=str(tmp_path / "city.db"))
    city = tmp_path / "city"
    demo = timed(GRIDCTL + ["demo", "--scale", "city", "--seed", "1", "-o", str(city)], env)
    size = sum(p.stat().st_size for p in Path(city).iterdir()) / 2**20
    first = timed(GRIDCTL + ["load", str(city)], env)
    again = timed(GRIDCTL + ["load", str(city)], env)
    helps = [timed(GRIDCTL + ["--help"], env) for _ in range(7)]
    script = Path(sys.executable).with_name("gridctl")
    if script.exists():
        helps_script = [timed([str(script), "--help"], env) for _ in range(7)]
    else:
        helps_script = helps
    print(f"\ndemo city written: {demo:.2f} s ({size:.1f} MiB of YAML)")
    print(f"load city (first): {first:.2f} s   (target < 30 s)")
    print(f"load city (unchanged): {again:.2f} s")
    print(f"gridctl --help: median {statistics.median(helps_script):.3f} s "
          f"(python -m gridctl: {statistics.median(helps):.3f} s)   (target < 0.15 s)")
    assert first < 30
    assert statistics.median(helps_script) < 0.15
