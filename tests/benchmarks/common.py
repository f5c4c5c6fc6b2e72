"""What the benchmarks share: where they cache their ledgers and how they time a command."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(os.environ.get("GRIDCTL_BENCH", "/tmp/gridctl-bench"))
SCRIPT = Path(sys.executable).with_name("gridctl")
GRIDCTL = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "gridctl"]


def gridctl(db: Path, *args: str) -> float:
    """Run `gridctl --db DB ARGS` as a whole process; return its wall seconds."""
    return measured(db, *args)[0]


def measured(db: Path, *args: str) -> tuple[float, float]:
    """Wall seconds, and the peak memory (MiB) of the children run so far."""
    start = time.perf_counter()
    subprocess.run(GRIDCTL + ["--db", str(db), *args], check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


class Run(NamedTuple):
    """One process as measured: wall seconds, peak memory (MiB), CPU seconds (user + system)."""
    seconds: float
    peak: float
    cpu: float


def child(args: list[str]) -> Run:
    """Run one process to its end (it must succeed) and measure it."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0, args
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)
