"""gridctl forks (`gridctl.forked.fork`: score's replay and workbook rows, import's router) only
while no other thread runs: a thread at a fork may hold a lock the child then needs and never gets
(the console's, stderr's, SQLite's), and Python 3.12 warns of it (DeprecationWarning). The
progress bar's ticking stops for the fork; any other thread means no fork (the work done in one
process, with the same result). `forked.spare_core` decides from the machine's CPU time."""

from __future__ import annotations

import ast
import os
import pty
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from tests.test_issue_transfer import HEADER, sheet_rows, write_xlsx

# Each fork logged with the threads then running and whether a progress bar had stopped for it.
# Forced here on the example: score replays and renders its workbook's rows apart, import routes
# apart. {stray}: a thread of another's, waiting, runs from the start.
WATCHED = """  # .format(log=..., stray=...)
import os, sys, threading
import gridctl.forked as forked
import gridctl.issues.transfer as transfer
import gridctl.reports.book as book
import gridctl.scoring.service as service
import gridctl.scoring.workbook as workbook
book.SAMPLE = workbook.SAMPLE = 2
book.spare_core = lambda: True            # however busy the machine running the tests
workbook.APART_FROM = service.APART_FROM = 0
transfer.ROUTED_APART = 1
real = os.fork

def fork():
    with open("/proc/self/status") as status:       # the threads the kernel counts, as Python 3.12 does
        threads = int(next(line for line in status if line.startswith("Threads:")).split()[1])
    with open({log!r}, "a") as log:
        log.write(repr((threads, [t.name for t in threading.enumerate()], len(getattr(forked, "_PAUSED", [])))) + "\\n")
    return real()

os.fork = fork
if {stray}:
    threading.Thread(target=threading.Event().wait, name="stray", daemon=True).start()
from gridctl.cli import main
sys.argv = ["gridctl", *sys.argv[1:]]
main()
"""


def _run(db: Path, log: Path, *args, stray: bool = False) -> tuple[int, str, str]:
    """The command with its standard error on a terminal (so the progress bar shows and ticks);
    its exit status, what the terminal got and its standard output."""
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db), GRIDCTL_USER="P001", COLUMNS="100")
    main, side = pty.openpty()
    seen: list[bytes] = []

    def drain():                            # a full terminal would hold the command still
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:                 # the command has gone (EIO)
                return
            if not chunk:
                return
            seen.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        done = subprocess.run([sys.executable, "-W", "always::DeprecationWarning", "-c", WATCHED.format(log=str(log), stray=stray), *map(str, args)],
                              stdout=subprocess.PIPE, stderr=side, timeout=120, env=env)
    finally:
        os.close(side)
        reader.join(10)
        os.close(main)
    screen = b"".join(seen).decode(errors="replace")
    assert "Warning" not in screen, screen          # Python 3.12's fork warning among them
    return done.returncode, screen, done.stdout.decode()


def _forks(log: Path) -> list[tuple]:
    """Each fork's (threads the kernel counted, Python's threads by name, threads paused for it)."""
    return [ast.literal_eval(line) for line in log.read_text().splitlines()] if log.exists() else []


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist() if name != "docProps/core.xml"}


def test_a_fork_happens_only_while_no_other_thread_runs(loaded, db, tmp_path):
    score_log, import_log, stray_log = tmp_path / "score.log", tmp_path / "import.log", tmp_path / "stray.log"
    code, screen, said = _run(db, score_log, "score", "--quarter", "2026Q3", "-o", tmp_path / "apart.xlsx")
    assert code == 0 and "正在计算考核" in screen and "已写入" in said, screen
    forks = _forks(score_log)
    assert [(threads, names) for threads, names, _ in forks] == [(1, ["MainThread"])] * 2   # replay, rows
    assert forks[0][2] == 1                         # the bar was showing: it stopped for the fork

    rows = [[*row, f"2026-11-{21 + i % 5:02d} 09:00"] for i, row in enumerate(sheet_rows(20))]
    sheet = write_xlsx(tmp_path / "big.xlsx", rows, header=[*HEADER, "上报时间"])
    code, screen, said = _run(db, import_log, "issue", "import", sheet)
    assert code == 0 and "正在导入" in screen and "导入 20 条" in said, screen
    assert [(threads, paused) for threads, _, paused in _forks(import_log)] == [(1, 1)]     # the router

    code, screen, said = _run(db, stray_log, "score", "--quarter", "2026Q3", "-o", tmp_path / "alone.xlsx", stray=True)
    assert code == 0 and "已写入" in said, screen
    assert _forks(stray_log) == []                  # another's thread: done in one process
    assert _parts(tmp_path / "alone.xlsx") == _parts(tmp_path / "apart.xlsx")


def test_a_spare_core_is_decided_from_the_machine_s_cpu_time(tmp_path, monkeypatch):
    """`spare_core` reads the first line of /proc/stat (`forked.STAT`): busy is all but idle and
    I/O wait. The other work's busy time since the command began (less this process's own), over
    the time elapsed, must stay below the cores less one and a half; where the file says nothing
    usable, or less than a second has passed, the last minute's load average decides."""
    from gridctl import forked

    stat = tmp_path / "stat"
    monkeypatch.setattr(forked, "STAT", str(stat))
    monkeypatch.setattr(forked.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(forked.os, "getloadavg", lambda: (3.9, 0.0, 0.0))   # 4 cores less a half: busy
    ticks = os.sysconf("SC_CLK_TCK")

    def line(user=0, nice=0, system=0, idle=0, wait=0, irq=0, softirq=0, steal=0):
        return f"cpu  {user} {nice} {system} {idle} {wait} {irq} {softirq} {steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n"

    def spare(before: str, after: str, elapsed: float = 10) -> bool:
        stat.write_text(before)
        monkeypatch.setattr(forked, "_SINCE", (time.monotonic() - elapsed, forked._busy(), forked._own()))
        stat.write_text(after)
        return forked.spare_core()

    start = line(user=1000, idle=5000)
    stat.write_text(line(100, 20, 30, 999, 888, 4, 5, 6))
    assert forked._busy() == pytest.approx(165 / ticks)             # idle and I/O wait not counted
    # 10 s on 4 cores: others may keep 2.5 cores busy, 25 s of the 40
    assert spare(start, line(user=1000 + 24 * ticks, idle=5000)) is True
    assert spare(start, line(user=1000 + 26 * ticks, idle=5000)) is False
    assert spare(start, line(user=1000, system=10 * ticks, steal=16 * ticks, idle=5000)) is False
    assert spare(start, line(user=1000, idle=5000 + 30 * ticks, wait=30 * ticks)) is True
    assert spare(start, line(user=1000 + 24 * ticks, idle=5000), elapsed=0.5) is False     # too soon: load 3.9
    for unusable in ("", "cpu0 1 2 3 4 5 6 7 8\n", "cpu  1 2 three 4 5 6 7 8\n", "cpu  1 2 3\n", "intr 5 6 7 8 9 1 2 3\n"):
        stat.write_text(unusable)
        assert forked._busy() is None, unusable
        assert spare(unusable, unusable) is False                                       # the load decides
    monkeypatch.setattr(forked.os, "getloadavg", lambda: (3.4, 0.0, 0.0))
    assert spare("", "") is True
    monkeypatch.setattr(forked, "STAT", str(tmp_path / "none"))
    assert forked.spare_core() is True


def test_a_thread_just_joined_does_not_stop_a_fork(monkeypatch):
    """`join()` returns before the kernel stops counting the thread (right after a join it still
    counted it in about half of 3,000 tries): the progress bar's thread, stopped for a fork, then
    stopped the fork itself, and score worked in one process (the test above failed so in landings
    on a busy machine). `alone` gives the kernel a moment; a thread that keeps running still means
    no fork."""
    from gridctl import forked

    real, others = forked.threads, forked.threads() - 1         # threads the test run itself has
    monkeypatch.setattr(forked, "threads", lambda: real() - others)
    for _ in range(200):
        thread = threading.Thread(target=lambda: None)
        thread.start()
        thread.join()
        assert forked.alone()
    running = threading.Event()
    stray = threading.Thread(target=running.wait, daemon=True)
    stray.start()
    started = time.monotonic()
    assert not forked.alone(wait=0.05) and time.monotonic() - started >= 0.05
    running.set()
    stray.join()
