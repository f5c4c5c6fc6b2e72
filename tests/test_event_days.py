"""`event_days` (m017): the last event dated on each day, kept as events are written (a command,
an import, a merge) and made for a ledger from before it; the last event dated at or before a
moment (score's last event counted, a report's last event) read from it is the one a read of the
whole chain finds."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from tests.helpers import ok, run
from tests.test_exchange import hand_up_a_week
from tests.test_issue_transfer import sheet_rows, write_xlsx
from tests.test_migrations import _old_ledger

BLOCK = "410105001001001"


def _kept(db) -> list[tuple[str, int]]:
    """The ledger's `event_days`, checked against the day of every event in the chain."""
    with sqlite3.connect(db) as conn:
        kept = conn.execute("SELECT day, last_seq FROM event_days ORDER BY day").fetchall()
        made = conn.execute("SELECT substr(happened_at, 1, 10), max(seq) FROM events GROUP BY 1 ORDER BY 1").fetchall()
    assert kept == made
    return kept


def _scanned(conn, as_of: str) -> tuple | None:
    """The last event dated at or before `as_of`, read backwards from the newest (as it was)."""
    return conn.execute("SELECT seq, office, n, hash FROM events WHERE happened_at <= ? ORDER BY seq DESC LIMIT 1",
                        (as_of,)).fetchone()


def _moments(conn) -> list[str]:
    """Every moment an event is dated, a minute either side, each such day's first and last minute."""
    out = {"2000-01-01 00:00", "2999-12-31 23:59"}
    for (at,) in conn.execute("SELECT DISTINCT happened_at FROM events"):
        moment = datetime.strptime(at, "%Y-%m-%d %H:%M")
        out |= {(moment + timedelta(minutes=d)).strftime("%Y-%m-%d %H:%M") for d in (-1, 0, 1)}
        out |= {f"{at[:10]} 00:00", f"{at[:10]} 23:59"}
    return sorted(out)


def _backdated(db) -> None:
    """Issues recorded out of date order: a March issue recorded after November's, moves the
    same day at several minutes, and one closed on the day the next issue is backdated to."""
    a = ok("issue", "add", "-g", BLOCK, "-c", "环境卫生", "-s", "巡查发现", "-t", "一", "--at", "2026-11-20 09:00")["id"]
    ok("issue", "accept", a, "--at", "2026-11-20 10:00")
    b = ok("issue", "add", "-g", BLOCK, "-c", "道路", "-s", "群众举报", "-t", "二", "--at", "2026-03-02 08:00")["id"]
    ok("issue", "accept", b, "--at", "2026-11-20 09:30")
    ok("issue", "add", "-g", BLOCK, "-c", "环境卫生", "-s", "巡查发现", "-t", "三", "--at", "2026-11-19 23:59")
    ok("issue", "dispatch", a, "--at", "2026-11-20 10:00")
    ok("issue", "add", "-g", BLOCK, "-c", "道路", "-s", "群众举报", "-t", "四", "--at", "2026-03-02 07:59")


def test_the_last_event_dated_by_a_moment_is_the_one_a_read_of_the_chain_finds(loaded, db):
    _backdated(db)
    assert len(_kept(db)) >= 3
    from gridctl.ledger.events import last_dated

    with sqlite3.connect(db) as conn:
        moments = _moments(conn)
        assert len(moments) > 20
        for moment in moments:
            assert last_dated(conn, moment, "seq, office, n, hash") == _scanned(conn, moment), moment


def test_the_score_counts_up_to_the_event_a_read_of_the_chain_finds(loaded, db):
    _backdated(db)
    with sqlite3.connect(db) as conn:
        for quarter, end in (("2026Q1", "2026-03-31 23:59"), ("2026Q4", "2026-12-31 23:59")):
            last = _scanned(conn, min(end, datetime.now().strftime("%Y-%m-%d %H:%M")))
            assert ok("score", "--quarter", quarter)["last_event"] == last[3]


def test_an_import_keeps_each_days_last_event(loaded, tmp_path, db):
    _backdated(db)
    before = _kept(db)
    path = write_xlsx(tmp_path / "a.xlsx", sheet_rows(60))
    assert run("issue", "import", path).exit_code == 0
    assert _kept(db) != before


def test_a_merge_keeps_each_days_last_event(tmp_path):
    district, bundle = hand_up_a_week(tmp_path)
    before = _kept(district)
    ok("merge", bundle, db=district)
    assert len(_kept(district)) > len(before)


def test_a_ledger_from_before_m017_gets_each_days_last_event(tmp_path):
    path = _old_ledger(tmp_path)
    assert run("--db", path, "verify").exit_code == 0
    assert _kept(path)
