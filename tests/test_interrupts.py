"""Ctrl+C during `issue import` and `merge`, whose batches are written by a second thread: the process ends
promptly, no traceback, and the ledger is exactly as before (the transaction never ends while a
batch is still being written under it)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.helpers import dump, run
from tests.test_exchange import township_and_district, week_of
from tests.test_issue_transfer import sheet_rows, write_xlsx

# The real CLI, with small batches and a writer that is still writing its second batch when Ctrl+C
# comes, and again while the command waits for that batch to end (a clerk pressing it twice). The
# writer says whether its transaction was still open after its batch: if the command had ended it
# (or the process) under a batch still being written, its remaining statements would commit on
# their own, or meet a closed connection (before the fix: half a batch committed, a crash).
TWICE = """  # .format(reader=module with BATCH, writer=module with _Batch); $STOP_SIGNAL: SIGINT (default) or SIGTERM
import os, signal, sqlite3, sys, threading, time
import gridctl.{reader} as reader
import gridctl.{writer} as writer

reader.BATCH = 3
original = writer._Batch.write
calls = []

def inside(conn):
    try:
        return conn.in_transaction
    except sqlite3.ProgrammingError:      # closed under it
        return False

MAIN = threading.main_thread().ident

def until(condition):                     # polled; after 0.3 s (the fixed wait these steps had) on as things are
    end = time.monotonic() + 0.3
    while not condition() and time.monotonic() < end:
        time.sleep(0.001)

def innermost():
    return sys._current_frames().get(MAIN)

def blocked():                            # the main thread waits on a lock (threading's Condition.wait)
    frame = innermost()
    return frame is not None and frame.f_code.co_name == "wait" and frame.f_code.co_filename.endswith("threading.py")

def draining():                           # the main thread took the press and waits for the batch (WriterThread._drain)
    frame = innermost()
    while frame is not None and frame.f_code.co_name != "_drain":
        frame = frame.f_back
    return frame is not None

def press():
    # Once the main thread waits for the batch: a signal that came just before it blocked would be
    # seen only once the wait ended (after this batch), so the press would not test the wait at all.
    until(blocked)
    time.sleep(0.002)
    waiting = innermost()
    stop()
    return waiting

def write(self, conn):
    calls.append(1)
    if len(calls) != 2:
        original(self, conn)
        return
    press()
    until(draining)                           # the command took it and waits for this batch to end
    waiting = press()                         # pressed again meanwhile: seen, and back to waiting
    until(lambda: innermost() is not waiting and draining() or not inside(conn))
    if inside(conn):
        original(self, conn)
    os.write(2, b"BATCH IN ITS TRANSACTION\\n" if inside(conn) else b"WRITER OUTLIVED ITS TRANSACTION\\n")

def stop():
    sent = getattr(signal, os.environ.get("STOP_SIGNAL", "SIGINT"))
    if sent == signal.SIGINT:                 # Ctrl+C: the terminal gives it to the main thread
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
    else:                                     # `kill`: to the process, any thread not blocking it
        os.kill(os.getpid(), sent)

writer._Batch.write = write
# Ctrl+C as a terminal gives it, however the tests were started: a job started in the
# background by a shell without job control (CI, `cmd &`) inherits SIGINT ignored
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
from gridctl.cli import main
sys.argv = ["gridctl", *sys.argv[1:]]
main()
"""

STATUS = {"SIGINT": 130, "SIGTERM": 143}     # 128 + the signal's number


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_ctrl_c_twice_while_a_batch_is_written_leaves_the_ledger_as_it_was(loaded, tmp_path, db, sig):
    """SIGTERM (`kill`, systemd, `docker stop`) takes Ctrl+C's path: rolled back, said; the exit status is
    128 + the signal's number, as a shell gives it: 130 for Ctrl+C, 143 for SIGTERM."""
    before = dump(db)
    sheet = write_xlsx(tmp_path / "a.xlsx", sheet_rows(20))
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db), GRIDCTL_USER="P001", STOP_SIGNAL=sig)
    script = TWICE.format(reader="issues.transfer", writer="ledger.recorder")
    done = subprocess.run([sys.executable, "-c", script, "issue", "import", str(sheet)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == STATUS[sig], done.stderr
    assert "Traceback" not in done.stderr and "已中断: 未完成的写入已撤销" in done.stderr, done.stderr
    assert "BATCH IN ITS TRANSACTION" in done.stderr and "OUTLIVED" not in done.stderr, done.stderr
    assert dump(db) == before
    assert run("verify", "--deep").exit_code == 0
    assert run("issue", "import", sheet, "--json").json()["imported"] == 20   # and it can be run again


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_ctrl_c_twice_while_a_merged_batch_is_written_leaves_the_ledger_as_it_was(tmp_path, sig):
    dbs = township_and_district(tmp_path)
    week_of(dbs["A"], "A")                              # 9 events: three batches of 3
    bundle = tmp_path / "a.jsonl.gz"
    assert run("--db", dbs["A"], "bundle", "-o", bundle).exit_code == 0
    before = dump(dbs["D"])
    env = dict(os.environ, GRIDCTL_LANG="en", GRIDCTL_DB=str(dbs["D"]), STOP_SIGNAL=sig)
    script = TWICE.format(reader="exchange", writer="exchange")
    done = subprocess.run([sys.executable, "-c", script, "merge", str(bundle)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == STATUS[sig], done.stderr
    assert "Traceback" not in done.stderr and "interrupted: the unfinished write was undone" in done.stderr
    assert "BATCH IN ITS TRANSACTION" in done.stderr and "OUTLIVED" not in done.stderr, done.stderr
    assert dump(dbs["D"]) == before
    assert run("--db", dbs["D"], "verify", "--deep").exit_code == 0
    assert run("--db", dbs["D"], "merge", bundle, "--json").json()["added"] == 9     # and it can be run again


# `score` reads the settled issues on a second connection in a worker thread. Here that read takes
# 5 s, and Ctrl+C comes once, or three times, while the main thread waits for it (a clerk giving up
# on a city). The first Ctrl+C used to wait for the whole read; a second one cut that wait short.
WAITED = """  # .format(presses=...)
import os, signal, sys, threading, time
import gridctl.scoring.service as service
original = service._settled_counts
MAIN = threading.main_thread().ident

def waiting_for_the_reader():             # the main thread waits for the reader's counts (Beside.result)
    inner = frame = sys._current_frames().get(MAIN)
    while frame is not None and frame.f_code.co_name != "result":
        frame = frame.f_back
    return frame is not None and inner.f_code.co_name == "wait"       # blocked in threading's wait

def slow(*args):
    end = time.monotonic() + 0.3              # polled; after 0.3 s (the fixed wait it had) on as things are
    while not waiting_for_the_reader() and time.monotonic() < end:
        time.sleep(0.001)
    time.sleep(0.002)                         # into the lock's wait, where the signal interrupts it
    for n in range({presses}):
        time.sleep(0.3 if n else 0)
        signal.pthread_kill(MAIN, signal.SIGINT)
    time.sleep(5)
    return original(*args)

service._settled_counts = slow
signal.signal(signal.SIGINT, signal.default_int_handler)
from gridctl.cli import main
sys.argv = ["gridctl", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("presses", [1, 3])
def test_ctrl_c_while_score_waits_for_its_reader_ends_at_once_and_quietly(loaded, db, presses):
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db))
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-c", WAITED.format(presses=presses), "score", "--quarter", "2026Q4",
                           "--json"],
                          capture_output=True, text=True, timeout=120, env=env)
    took = time.monotonic() - began
    assert done.returncode == 130, done.stderr
    assert "已中断" in done.stderr and "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
    assert took < 4, f"waited {took:.1f} s for the reader"


# The weekly and the monthly read part of their figures on a second connection beside the main
# thread (`gridctl.beside`): the weekly its settled issues' grouped counts, the monthly the month
# before. Here that read takes 5 s and Ctrl+C comes while the main thread waits for it.
BESIDE = """  # .format(module=..., function=...)
import signal, sys, threading, time
import {module} as patched
original = patched.{function}
MAIN = threading.main_thread().ident

def waiting_for_the_reader():             # the main thread waits for what is read beside (Beside.result)
    inner = frame = sys._current_frames().get(MAIN)
    while frame is not None and frame.f_code.co_name != "result":
        frame = frame.f_back
    return frame is not None and inner.f_code.co_name == "wait"

def slow(*args):
    if threading.get_ident() != MAIN:
        end = time.monotonic() + 3
        while not waiting_for_the_reader() and time.monotonic() < end:
            time.sleep(0.001)
        time.sleep(0.002)
        signal.pthread_kill(MAIN, signal.SIGINT)
        time.sleep(5)
    return original(*args)

patched.{function} = slow
signal.signal(signal.SIGINT, signal.default_int_handler)
from gridctl.cli import main
sys.argv = ["gridctl", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("report,module,function", [
    (("weekly", "--week", "2026-W47"), "gridctl.ledger.reports", "settled_figures"),
    (("monthly", "--month", "2026-10"), "gridctl.reports.monthly", "_pass")])
def test_ctrl_c_while_a_report_waits_for_what_it_reads_beside_ends_at_once(loaded, db, tmp_path, report, module,
                                                                          function):
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db))
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "r.xlsx"
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-c", BESIDE.format(module=module, function=function), "report", *report,
                           "--unit", "金水区", "-o", str(out)], capture_output=True, text=True, timeout=120, env=env)
    took = time.monotonic() - began
    assert done.returncode == 130, done.stderr
    assert "已中断" in done.stderr and "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert list(folder.iterdir()) == []                                  # nothing written, nothing left
    assert took < 4, f"waited {took:.1f} s for the reader"


# Ctrl+C while score replays, after its reader has finished and closed its connection: stopping the
# reader interrupted that closed connection (ProgrammingError, exit 3 内部错误) instead of ending at 130.
LATE = """
import signal, sys, threading, time
import gridctl.scoring.service as service
original = service._moved_counts
MAIN = threading.main_thread().ident

def late(*args):
    end = time.monotonic() + 10
    while any(t.name == "score-beside" and t.is_alive() for t in threading.enumerate()) and time.monotonic() < end:
        time.sleep(0.01)
    signal.pthread_kill(MAIN, signal.SIGINT)
    time.sleep(2)
    return original(*args)

service._moved_counts = late
signal.signal(signal.SIGINT, signal.default_int_handler)
from gridctl.cli import main
sys.argv = ["gridctl", *sys.argv[1:]]
main()
"""


def test_ctrl_c_after_score_s_reader_has_finished_is_an_interruption_not_a_crash(loaded, db):
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db))
    done = subprocess.run([sys.executable, "-c", LATE, "score", "--quarter", "2026Q4", "--json"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 130, done.stderr
    assert "已中断" in done.stderr and "内部错误" not in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


# The stops of the two templates below, once their work runs in a second process (gridctl.forked)
# that first writes its pid to {pids}: press Ctrl+C (or SIGTERM, $STOP_SIGNAL) once the main thread
# waits for that process's result, or refuse once it has begun.
STOPS_APART = """
def began_apart():                       # its pid written down: a busy machine may start it late
    return os.path.exists({pids!r}) and os.path.getsize({pids!r}) > 0

def waiting_apart():                     # the main thread reads the second process's pipe
    frame = sys._current_frames().get(MAIN)
    return frame is not None and frame.f_code.co_name == "result" and "forked" in frame.f_code.co_filename

def until_begun(also=lambda: True):
    end = time.monotonic() + 10
    while not (began_apart() and also()) and time.monotonic() < end:
        time.sleep(0.001)

def after_the_fork(then):                # started once forked: gridctl forks only while no other thread runs
    import gridctl.forked as forked
    fork, started = forked.fork, []

    def fork_then():
        pid = fork()
        if pid and not started:
            started.append(threading.Thread(target=then, daemon=True))
            started[0].start()
        return pid
    forked.fork = fork_then

def press():
    until_begun(waiting_apart)
    time.sleep(0.05)
    if os.environ.get("STOP_SIGNAL") == "SIGTERM":
        os.kill(os.getpid(), signal.SIGTERM)
    else:
        signal.pthread_kill(MAIN, signal.SIGINT)
"""


# A large ledger's score replays in a process of its own (`gridctl.forked`, `service._Replayer`;
# here forced on the example with APART_FROM = 0). That process takes 20 s here, and writes its pid
# down first. Ctrl+C (or SIGTERM) while the main thread waits for it, or a refusal in the main
# thread meanwhile, ends the score at once, and the replaying process with it.
APART = """  # .format(pids=..., end=...): end "signal" or "refusal"
import os, signal, sys, threading, time
import gridctl.scoring.service as service
from gridctl.errors import GridctlError
service.APART_FROM = 0
original, MAIN, PARENT = service._moved_counts, threading.main_thread().ident, os.getpid()

def slow(*args):
    if os.getpid() != PARENT:
        with open({pids!r}, "a") as f:
            f.write(f"{{os.getpid()}}\\n")
        time.sleep(20)
    return original(*args)

""" + STOPS_APART + """
def refuse(*args):
    until_begun()
    raise GridctlError("scoring.no_teams")

service._moved_counts = slow
if {end!r} == "signal":
    after_the_fork(press)
else:
    service.sq.conduct = refuse
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
from gridctl.cli import main
sys.argv = ["gridctl", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("end,sig", [("signal", "SIGINT"), ("signal", "SIGTERM"), ("refusal", None)])
def test_a_score_stopped_while_its_replay_runs_apart_ends_at_once_and_so_does_the_replay(loaded, db, tmp_path,
                                                                                        end, sig):
    pids = tmp_path / "pids"
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db), STOP_SIGNAL=sig or "")
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-c", APART.format(pids=str(pids), end=end), "score", "--quarter", "2026Q4",
                           "--json"], capture_output=True, text=True, timeout=120, env=env)
    took = time.monotonic() - began
    if end == "signal":
        assert done.returncode == STATUS[sig], done.stderr
        assert "已中断" in done.stderr and "Exception ignored" not in done.stderr
    else:
        assert done.returncode == 1 and "没有" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and done.stdout.startswith("{") == (end == "refusal")
    assert took < 12, f"waited {took:.1f} s for the replay"
    (pid,) = [int(line) for line in pids.read_text().split()]     # it did replay apart, and is gone
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_score_replayed_apart_is_the_score_replayed_in_place(loaded, db):
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db))
    scored = []
    for apart in (10**9, 0):
        code = (f"import sys, gridctl.scoring.service as s; s.APART_FROM = {apart}; from gridctl.cli import main; "
                "sys.argv = ['gridctl', *sys.argv[1:]]; main()")
        done = subprocess.run([sys.executable, "-c", code, "score", "--quarter", "2026Q3", "--json"],
                              capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 0, done.stderr
        scored.append(done.stdout)
    assert scored[0] == scored[1] and '"members"' in scored[0]


# A large workbook's first sheets are rendered by a second process (`Book.apart`; forced here on
# the example). That process takes 20 s here, and writes its pid down first. Ctrl+C (or SIGTERM)
# while the command waits for its rows ends at once: nothing written, the process gone, and no
# temporary file of either left behind.
APART_BOOK = """  # .format(pids=...)
import os, signal, sys, threading, time
import gridctl.reports.book as book
import gridctl.scoring.workbook as workbook
book.SAMPLE = workbook.SAMPLE = 2
book.spare_core = lambda: True            # however busy the machine running the tests
workbook.APART_FROM = 0
original, MAIN = book.Book._rendered, threading.main_thread().ident

def slow(self, *args):
    with open({pids!r}, "a") as f:
        f.write(f"{{os.getpid()}}\\n")
    time.sleep(20)
    return original(self, *args)

""" + STOPS_APART + """

book.Book._rendered = slow
after_the_fork(press)
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
from gridctl.cli import main
sys.argv = ["gridctl", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_ctrl_c_while_score_waits_for_the_rows_rendered_apart_ends_at_once(loaded, db, tmp_path, sig):
    pids, folder, scratch = tmp_path / "pids", tmp_path / "out", tmp_path / "tmp"
    folder.mkdir()
    scratch.mkdir()
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db), STOP_SIGNAL=sig, TMPDIR=str(scratch))
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-c", APART_BOOK.format(pids=str(pids)), "score", "--quarter", "2026Q3",
                           "-o", str(folder / "score.xlsx")], capture_output=True, text=True, timeout=120, env=env)
    took = time.monotonic() - began
    assert done.returncode == STATUS[sig], done.stderr
    assert "已中断" in done.stderr and "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert took < 12, f"waited {took:.1f} s for the rows"
    assert list(folder.iterdir()) == [] and list(scratch.iterdir()) == []
    (pid,) = [int(line) for line in pids.read_text().split()]
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
