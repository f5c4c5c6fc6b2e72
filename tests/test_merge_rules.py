"""A ledger written by a gridctl before the one-record rules (one callback a closing; one patrol,
meeting, attendance, study, publicity or survey record of a kind a day) may hold what those rules
now refuse. Merged upward (the event log is append-only: a lower office's events are never
dropped) or read where it was written, it is counted as if the rules had held: the same figures
as the ledger of a clerk whom gridctl refused, and the ambiguity said where there is one."""

from __future__ import annotations

import functools
import sqlite3

import pytest

from tests import helpers
from tests.helpers import run
from tests.test_exchange import township_and_district

ok = functools.partial(helpers.ok, by="P1")
BLOCK = "410105001001001"
DAY = "2026-11-16"


@pytest.fixture
def older_gridctl(monkeypatch):
    """What a gridctl before the rules did: took a second callback on a closing as a callback."""
    from gridctl.issues import service

    def older():
        monkeypatch.setattr(service, "_callback_correction", lambda state, correct: {})
    return older


def closed_and_called_back(db, results, older=None) -> str:
    """An issue of township A closed and called back with each of `results` in turn (the later
    ones as the older gridctl took them: `older` set before them)."""
    issue = ok("issue", "add", "-g", BLOCK, "-c", "环境卫生", "-s", "热线电话", "-t", "垃圾堆放",
               "--at", f"{DAY} 09:00", db=db)["id"]
    for action, hour in (("accept", 10), ("dispatch", 11), ("handle", 15), ("close", 16)):
        ok("issue", action, issue, "--at", f"{DAY} {hour}:00", db=db)
    for day, result in enumerate(results, start=17):
        if day > 17 and older:
            older()
        ok("issue", "callback", issue, "--result", result, "--at", f"2026-11-{day} 09:00", db=db)
    return issue


def handed_up(base, results, older=None) -> tuple:
    dbs = township_and_district(base)
    issue = closed_and_called_back(dbs["A"], results, older)
    ok("bundle", "-o", base / "a.jsonl.gz", db=dbs["A"])
    ok("merge", base / "a.jsonl.gz", db=dbs["D"])
    return dbs, issue


def test_a_second_callback_merged_from_an_older_ledger_leaves_the_first_counted(tmp_path, older_gridctl, monkeypatch):
    """Township A's older gridctl took 不满意 then 满意 on one closing; merged into the district, the
    issue said 满意 (the later replaced the earlier: a resident's 不满意 hidden) and the 满意率 of
    the month and the quarter counted it satisfied. Now the first counts, as the rule would have
    had it (the second refused, or recorded as `--correct`); `issue show` says the second is not
    counted, in both languages; the figures equal those of a ledger where the rule held."""
    (tmp_path / "old").mkdir()
    (tmp_path / "ruled").mkdir()
    old, issue = handed_up(tmp_path / "old", ["不满意", "满意"], older_gridctl)
    ruled, same = handed_up(tmp_path / "ruled", ["不满意"])
    assert issue == same
    for dbs in (old, ruled):
        for db in dbs.values():
            shown = ok("issue", "show", issue, db=db)
            assert (shown["callback"], shown["callback_at"]) == ("unsatisfied", "2026-11-17 09:00"), db
            assert run("--db", db, "verify", "--deep").exit_code == 0
    screen = run("--db", old["D"], "issue", "show", issue)
    assert "回访: 不满意" in screen.stdout and "群众满意度" in screen.stdout, screen.stdout
    assert "回访: 满意 (未计入: 本次结案已回访)" in screen.stdout, screen.stdout
    english = run("--lang", "en", "--db", old["D"], "issue", "show", issue)
    assert "callback: satisfied (not counted: called back already)" in english.stdout, english.stdout
    figures = []
    for dbs in (old, ruled):
        monthly = ok("report", "monthly", "--unit", "金水区", "--month", "2026-11", "--as-of", "2026-11-26 18:00",
                     "-o", dbs["D"].with_suffix(".xlsx"), db=dbs["D"])
        scored = ok("score", "--quarter", "2026Q4", db=dbs["D"])
        figures.append(([(r["name"], r["points"], r["rates"]) for r in monthly["ranking"]],
                        [(t["id"], t["total"], t["rates"]) for t in scored["teams"]]))
    assert figures[0] == figures[1]
    assert "satisfaction" in str(figures[0])
    # the township's own ledger as the older gridctl left it (the later callback in its row) is
    # folded again when this gridctl opens it (m020), and verifies
    with sqlite3.connect(old["A"]) as conn:
        conn.execute("UPDATE issues SET callback = 'satisfied', callback_at = '2026-11-18 09:00'")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm020_one_callback_a_closing'")
    assert ok("issue", "show", issue, db=old["A"])["callback"] == "unsatisfied"
    assert run("--db", old["A"], "verify", "--deep").exit_code == 0
    # with this gridctl the township's correction is recorded as one, and it counts
    monkeypatch.undo()
    ok("issue", "callback", issue, "--result", "满意", "--correct", "--at", "2026-11-20 09:00", db=old["A"])
    assert ok("issue", "show", issue, db=old["A"])["callback"] == "satisfied"
