"""Ctrl+C during `issue import` and `merge`, whose batches are written by a second thread: the process ends
promptly, no traceback, and the ledger is exactly as before (the transaction never ends while a
batch is still being written under it)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import dump, run
from tests.test_exchange import township_and_district, week_of
from tests.test_issue_transfer import sheet_rows, write_xlsx

# The real CLI, with small batches and a writer that is still writing its second batch when Ctrl+C
# comes, and again while the command waits for that batch to end (a clerk pressing it twice). The
# writer says whether its transaction was still open after its batch: if the command had ended it
# (or the process) under a batch still being written, its remaining statements would commit on
# their own, or meet a closed connection (before the fix: half a batch committed, a crash).
TWICE = """  # .format(reader=module with BATCH, writer=module with _Batch)
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

def write(self, conn):
    calls.append(1)
    if len(calls) != 2:
        original(self, conn)
        return
    main = threading.main_thread().ident
    signal.pthread_kill(main, signal.SIGINT)
    time.sleep(0.3)
    signal.pthread_kill(main, signal.SIGINT)
    time.sleep(0.3)
    if inside(conn):
        original(self, conn)
    os.write(2, b"BATCH IN ITS TRANSACTION\\n" if inside(conn) else b"WRITER OUTLIVED ITS TRANSACTION\\n")

writer._Batch.write = write
# Ctrl+C as a terminal gives it, however the tests were started: a job started in the
# background by a shell without job control (CI, `cmd &`) inherits SIGINT ignored
signal.signal(signal.SIGINT, signal.default_int_handler)
from gridctl.cli import main
sys.argv = ["gridctl", *sys.argv[1:]]
main()
"""


def test_ctrl_c_twice_while_a_batch_is_written_leaves_the_ledger_as_it_was(loaded, tmp_path, db):
    before = dump(db)
    sheet = write_xlsx(tmp_path / "a.xlsx", sheet_rows(20))
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db), GRIDCTL_USER="P001")
    script = TWICE.format(reader="issues.transfer", writer="ledger.recorder")
    done = subprocess.run([sys.executable, "-c", script, "issue", "import", str(sheet)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode != 0, done.stdout
    assert done.returncode != 3 and "Traceback" not in done.stderr, done.stderr
    assert "BATCH IN ITS TRANSACTION" in done.stderr and "OUTLIVED" not in done.stderr, done.stderr
    assert dump(db) == before
    assert run("verify", "--deep").exit_code == 0
    assert run("issue", "import", sheet, "--json").json()["imported"] == 20   # and it can be run again


def test_ctrl_c_twice_while_a_merged_batch_is_written_leaves_the_ledger_as_it_was(tmp_path):
    dbs = township_and_district(tmp_path)
    week_of(dbs["A"], "A")                              # 9 events: three batches of 3
    bundle = tmp_path / "a.jsonl.gz"
    assert run("--db", dbs["A"], "bundle", "-o", bundle).exit_code == 0
    before = dump(dbs["D"])
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(dbs["D"]))
    script = TWICE.format(reader="exchange", writer="exchange")
    done = subprocess.run([sys.executable, "-c", script, "merge", str(bundle)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode != 0, done.stdout
    assert done.returncode != 3 and "Traceback" not in done.stderr, done.stderr
    assert "BATCH IN ITS TRANSACTION" in done.stderr and "OUTLIVED" not in done.stderr, done.stderr
    assert dump(dbs["D"]) == before
    assert run("--db", dbs["D"], "verify", "--deep").exit_code == 0
    assert run("--db", dbs["D"], "merge", bundle, "--json").json()["added"] == 9     # and it can be run again
