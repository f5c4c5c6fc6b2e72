"""Several clerks writing to one ledger at once lose nothing and break no chain."""

from __future__ import annotations

import multiprocessing
import sqlite3

from gridctl.issues.service import NewIssue, add_issue
from gridctl.verify import verify_ledger
from tests.helpers import run

WRITERS, EACH = 4, 150          # 600 issues from four processes at once: enough to contend for the lock
TOTAL = WRITERS * EACH


def _clerk(args):
    db, clerk = args
    for n in range(EACH):
        add_issue(db, NewIssue("410105001001001", "环境卫生", "patrol", f"清扫 {clerk}-{n}"),
                  at=f"2026-11-16 09:{n % 60:02d}", actor=("P001", "P007", "P101", "P102")[int(clerk) % 4])
    return clerk


def test_four_processes_adding_issues_at_once(loaded, db):
    with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
        assert sorted(pool.map(_clerk, [(str(db), c) for c in range(WRITERS)])) == list(range(WRITERS))
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*), count(DISTINCT id), max(seq) FROM issues").fetchone() == (TOTAL, TOTAL, TOTAL)
    assert conn.execute("SELECT count(*) FROM events").fetchone() == (TOTAL,)
    assert conn.execute("SELECT count(DISTINCT title) FROM issues").fetchone() == (TOTAL,)
    conn.close()
    result = verify_ledger(db)
    assert result["ok"] and result["events"] == TOTAL
    assert run("verify").exit_code == 0
