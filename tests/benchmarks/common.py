"""What the benchmarks share: where they cache their ledgers and how they time a command."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
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
    together = _Together(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0, args
    return Run(seconds, max(usage.ru_maxrss / 1024, together.stop()), usage.ru_utime + usage.ru_stime)


class _Together(threading.Thread):
    """The peak memory of a process and the processes it started, together, sampled every 50 ms
    (MiB; Linux). `ru_maxrss` is the largest one process reached alone: an import that routes in a
    second process (sharing the sheet's pages with it) uses the sum of both, each shared page
    counted once (PSS)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()
        if Path(f"/proc/{pid}/smaps_rollup").exists():
            self.start()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak = max(self.peak, sum(_pss(pid) for pid in _tree(self.pid)) / 1024)

    def stop(self) -> float:
        self.done.set()
        return self.peak


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        here = todo.pop()
        found.append(here)
        for children in Path(f"/proc/{here}/task").glob("*/children"):
            try:
                todo += [int(c) for c in children.read_text().split()]
            except OSError:
                pass
    return found


def _pss(pid: int) -> int:
    """KiB, 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
