"""m014's index diet: the questions that lost `events_action_time` are still answered from an
index, not by reading every event (a city's 11.7M). The statements are the ledger's own, caught
as they run; SQLite's plan for each must name the partial index made for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gridctl.ledger import open_ledger
from gridctl.ledger import issues as iq
from gridctl.ledger import records as rq
from gridctl.ledger import reports as lr


def _plan(db, call: Callable) -> str:
    conn = open_ledger(db)
    try:
        seen: list[str] = []
        conn.set_trace_callback(seen.append)
        result = call(conn)
        if result is not None and not isinstance(result, (int, list)):
            list(result)
        conn.set_trace_callback(None)
        sql = next(s for s in seen if "FROM events" in s)
        return " / ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
    finally:
        conn.close()


@pytest.mark.parametrize(("call", "index"), [
    (lambda conn: iq.duplicates_of(conn, "4101-2026-000001"), "events_duplicate_of"),
    (lambda conn: lr.escalated_count(conn, {"kind": "grid", "code": "4101", "grids": ["4101"]},
                                     "2026-11-01", "2026-11-30"), "events_escalated"),
    (lambda conn: rq.events_of_kind(conn, "patrol"), "events_record_kind"),
    (lambda conn: lr.events_until(conn, "4101-2026-000001", "2026-11-30"), "events_issue"),
])
def test_each_question_of_the_events_reads_its_index(loaded, db, call, index):
    plan = _plan(db, call)
    assert f"INDEX {index}" in plan, plan


def test_the_dropped_indexes_are_gone_and_issues_by_grid_read_the_tally_index(loaded, db):
    conn = open_ledger(db)
    try:
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert not names & {"issues_grid", "issues_status", "events_action_time"}
        plan = " / ".join(row[3] for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM issues WHERE grid >= '4101' AND grid < '4101:'"))
        assert "issues_tally" in plan, plan
    finally:
        conn.close()


@pytest.mark.parametrize("table", sorted(rq.ONE_RECORD))
def test_a_record_s_repeats_are_looked_up_by_its_key_s_index(loaded, db, table):
    """Whether an earlier live record is the same record (`first_of_its_kind`, counted in every
    report and score) is one probe of the key's index: left to itself SQLite took `patrols_grid`,
    every earlier patrol of the grid (a city month's patrols: 26 s against 1.4 s)."""
    conn = open_ledger(db)
    try:
        plan = " / ".join(row[3] for row in conn.execute(
            f"EXPLAIN QUERY PLAN SELECT r.id FROM {table} r WHERE r.date >= '2026-11-01' AND "
            + rq.first_of_its_kind(table, "r")))
        assert f"INDEX {rq._BY_KEY[table]} (" in plan.split("SUBQUERY")[-1], plan
    finally:
        conn.close()


CITY = {"kind": "grid", "code": "4101", "grids": ["4101"]}
DISTRICT = {"kind": "grid", "code": "410105", "grids": ["410105"]}


def _issue_plan(db, sql: str, params: tuple | dict = ()) -> str:
    conn = open_ledger(db)
    try:
        return " / ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    finally:
        conn.close()


def _by_due_time(sql: str) -> bool:
    return "FROM issues" in sql and ("due <" in sql or "due >=" in sql)


def _caught(db, call: Callable, wanted: Callable[[str], bool] = _by_due_time) -> list[tuple[str, str]]:
    """The statements `call` runs that are `wanted` (by default those reading issues by due time),
    each with its plan."""
    conn = open_ledger(db)
    try:
        seen: list[str] = []
        conn.set_trace_callback(seen.append)
        call(conn)
        conn.set_trace_callback(None)
        return [(s, " / ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + s)))
                for s in seen if wanted(s)]
    finally:
        conn.close()


@pytest.mark.parametrize("call", [
    lambda conn: iq.query(conn, {"overdue": True}, "2026-11-20 18:00", 0.8, None),
    lambda conn: iq.query(conn, {"colour": "yellow"}, "2026-11-20 18:00", 0.8, None),
    lambda conn: lr.overdue_by(conn, CITY, "2026-11-30 23:59", "2026-11-30 23:59"),
    lambda conn: lr.overdue_by(conn, DISTRICT, "2026-11-30 23:59", "2026-11-30 23:59"),
    lambda conn: lr.settled_rows(conn, CITY, "2026-11-22 18:00", "2026-11-16 00:00"),
], ids=["overdue", "yellow", "monthly-city", "monthly-district", "weekly-city"])
def test_open_issues_by_due_time_read_the_open_index(loaded, db, call):
    """m025 made `issues_open_due` over two statuses: the queries of open issues by due time say
    them word for word (`ledger.issues.OPEN_SQL`), else SQLite would not use the partial index.
    A city's or a district's report names it: left to itself SQLite read the grids' range of
    `issues_tally`, every issue of a city (the monthly's 超期未处置: 75.6k pages against 14.7k)."""
    caught = _caught(db, call)
    assert caught, "no statement read issues by due time"
    for sql, plan in caught:
        assert "INDEX issues_open_due" in plan, (sql, plan)


def test_the_window_s_overdue_questions_read_the_open_index(loaded, db):
    from gridctl.ledger import window as wq

    for sql in (wq.overdue_by_unit(), wq.overdue_issues(), wq.warnings(0.8)):
        plan = _issue_plan(db, sql, {"截至": "", "处置单位": ""})
        assert "INDEX issues_open_due" in plan, plan


def test_a_city_s_meetings_of_a_week_are_read_by_their_teams_and_days(loaded, db):
    """The weekly's meetings of a grid node: each of the OR's halves (the grid's own, its teams')
    says the days, so each team's meetings are looked up by team and day, not read whole."""
    (_sql, plan), *_ = _caught(db, lambda conn: lr.meetings_between(
        conn, CITY, "2026-11-16", "2026-11-22", "2026-11-22 23:59"), lambda sql: "FROM meetings m" in sql)
    assert "meetings_unit (unit=? AND date>? AND date<?)" in plan, plan


@pytest.mark.parametrize("unit", [CITY, DISTRICT], ids=["city", "district"])
def test_a_wide_unit_s_issues_reported_in_a_month_are_read_by_report_time(loaded, db, unit):
    """The monthly's issues opened each day of a city or a district read `issues_reported` (the
    month's rows), not the grids' range of `issues_tally` (every issue of a city: 60k pages)."""
    (_sql, plan), *_ = _caught(db, lambda conn: lr.daily_moves(
        conn, unit, "2026-11-01 00:00", "2026-11-30 23:59", "2026-11-30 23:59"), lambda sql: "substr(reported_at" in sql)
    assert "INDEX issues_reported (reported_at>? AND reported_at<?)" in plan, plan
