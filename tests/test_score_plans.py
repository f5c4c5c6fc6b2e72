"""The indexes `score` reads a city through (an index diet must keep them, or give these
questions another): each statement is the ledger's own, caught as it runs, and SQLite's plan for
it must name its index. On the city (1M issues, 4.2M patrols, 11.7M events) each of these read
without its index is a scan of the table."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gridctl.ledger import open_ledger
from gridctl.ledger import reports as lr
from gridctl.ledger import scoring as sq
from gridctl.scoring.service import _weeks
from tests.test_score import scripted_quarter

AS_OF = "2026-09-30 23:59"


def _plan(db, call: Callable, table: str) -> str:
    conn = open_ledger(db)
    try:
        seen: list[str] = []
        conn.set_trace_callback(seen.append)
        result = call(conn)
        if result is not None and not isinstance(result, (int, list, dict)):
            list(result)
        conn.set_trace_callback(None)
        sql = next(s for s in seen if f"FROM {table}" in s)
        return " / ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
    finally:
        conn.close()


@pytest.mark.parametrize(("call", "table", "index"), [
    (lambda conn: sq.grid_counts(conn, "2026-07-01 00:00", AS_OF, ("recorded", "due")), "issues", "issues_tally"),
    (lambda conn: lr.moved_ids(conn, {"kind": "all"}, AS_OF), "issues", "issues_updated"),
    (lambda conn: lr.events_of_many(conn, ["4101-2026-000001", "4101-2026-000002"], AS_OF), "events", "events_issue"),
    (lambda conn: sq.team_finds(conn, "2026-07-01", "2026-09-30", "2026-07-01 00:00", AS_OF), "issues i",
     "issues_reported"),
    (lambda conn: sq.short_patrols(conn, [w for w in _weeks("2026-07-01", "2026-09-30") if w[1] <= "2026-09-30"], 1),
     "patrols p", "patrols_made"),
])
def test_each_question_of_score_reads_its_index(db, templates, call, table, index):
    templates.copy("two_teams_quarter", scripted_quarter, db)
    plan = _plan(db, call, table)
    assert f"INDEX {index}" in plan, plan
