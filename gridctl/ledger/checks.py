"""SQL for `verify`: the tables a score, a report or a merge reads that are not issue or record
rows (score marks, patrol–issue links, merges), the events they come from, and SQLite's own
integrity check."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def score_marks(conn: sqlite3.Connection) -> list[tuple]:
    """(period, kind, subject, reason, actor, at, event) of every stored mark, by event hash."""
    return conn.execute("SELECT period, kind, subject, reason, actor, at, event FROM score_marks "
                        "ORDER BY event, id").fetchall()


def score_events(conn: sqlite3.Connection) -> list[tuple]:
    """The same, as the `score.*` events of the chain say (the mark's action after `score.`)."""
    rows = conn.execute("SELECT action, details, actor, happened_at, hash FROM events "
                        "WHERE action LIKE 'score.%' ORDER BY hash")
    out = []
    for action, details, actor, at, digest in rows:
        d = json.loads(details)
        out.append((d.get("period"), action.partition(".")[2], d.get("subject"), d.get("reason"), actor, at, digest))
    return out


def score_snapshots(conn: sqlite3.Connection) -> list[tuple]:
    """(event, period, snapshot, the approving event's action, period and details) of every
    frozen result; the event columns are None when no event has that hash."""
    return conn.execute("""SELECT s.event, s.period, s.snapshot, e.action, e.record, e.details
        FROM score_snapshots s LEFT JOIN events e ON e.hash = s.event ORDER BY s.event""").fetchall()


def patrol_links(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    return set(conn.execute("SELECT patrol, issue FROM patrol_issues"))


def link_events(conn: sqlite3.Connection):
    """(action, record, details) of every event that makes or breaks a patrol–issue link, in
    recording order: patrol.add (its `found`), patrol.link, patrol.void, and an issue added with
    its patrol (`add` with details.patrol)."""
    return conn.execute("""SELECT action, coalesce(record, issue), details FROM events
        WHERE action IN ('patrol.add', 'patrol.link', 'patrol.void')
           OR (action = 'add' AND details LIKE '%"patrol":%') ORDER BY seq""")


def merges(conn: sqlite3.Connection) -> list[tuple]:
    """(id, office, last_n, last_hash) of every merge and the hash the chain holds at last_n."""
    return conn.execute("""SELECT m.id, m.office, m.last_n, m.last_hash,
            (SELECT e.hash FROM events e WHERE e.office = m.office AND e.n = m.last_n)
        FROM merges m ORDER BY m.id""").fetchall()


def days_not_kept(conn: sqlite3.Connection) -> tuple[str, int | None, int | None] | None:
    """The first day whose last event (`event_days`, m017) is not the one the events say: (day,
    the `seq` of the last event dated on it, the table's); None when they agree. One read of the
    events (a district year's 1.25M: 0.75 s, SQL alone)."""
    held = dict(conn.execute("SELECT day, last_seq FROM event_days"))
    dated = dict(conn.execute("SELECT substr(happened_at, 1, 10), max(seq) FROM events GROUP BY 1"))
    return next(((day, dated.get(day), held.get(day)) for day in sorted(held.keys() | dated.keys())
                 if held.get(day) != dated.get(day)), None)


def integrity(conn: sqlite3.Connection, full: bool) -> list[str]:
    """SQLite's own check of the file: `quick_check` (O(N)), or `integrity_check` with `full`.
    Returns its complaints; empty when it says ok."""
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check")]
    return [] if rows == ["ok"] else rows


class SchemaGone(Exception):
    """A table or column the ledger's schema has is not in the file (dropped or altered behind the
    ledger's back): damage to be said, as SQLite's check says it. `args`: (what, name)."""


def _schema_gone(exc: sqlite3.DatabaseError) -> SchemaGone | None:
    said = str(exc)
    for what in ("table", "column"):
        if said.startswith(f"no such {what}: "):
            return SchemaGone(what, said.split(": ", 1)[1])
    return None


def integrity_beside(conn: sqlite3.Connection, path: Path | str, full: bool,
                     work: Callable[[], T]) -> tuple[list[str], T | None]:
    """`integrity` of the ledger at `path`, run on a second connection in a thread while `work`
    runs on `conn`. SQLite lets go of Python's lock while it checks, so on a machine with a core
    to spare the check adds no waiting; it is the same check, on the same file.

    Returns (the check's complaints, work's result). When the check finds damage, that is the
    answer: `work` is interrupted (or its failure on the damaged file dropped) and its result is None."""
    from gridctl.ledger.db import open_ledger

    outcome: list = []

    def check() -> None:
        try:
            second = open_ledger(path)
            try:
                outcome.append(integrity(second, full))
            finally:
                second.close()
        except sqlite3.DatabaseError as exc:        # a file too damaged for SQLite to open or walk
            outcome.append([str(exc)])
        except Exception as exc:  # noqa: BLE001 - handed to the caller's thread below
            outcome.append(exc)
        if outcome[0] and isinstance(outcome[0], list):
            conn.interrupt()

    thread = threading.Thread(target=check, name="integrity_check", daemon=True)
    thread.start()
    try:
        result: T | None = work()
    except sqlite3.DatabaseError as exc:
        thread.join()
        if isinstance(outcome[0], list) and outcome[0]:
            return outcome[0], None
        gone = _schema_gone(exc)        # a table read by the replays or beside them dropped: said, not exit 3
        if gone is not None:
            raise gone from None
        raise
    thread.join()
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    return (outcome[0], None) if outcome[0] else ([], result)
