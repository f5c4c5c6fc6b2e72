"""The append-only, hash-chained event log (one chain per office) and its verification.

Each event carries the SHA-256 of its own content and of the previous event of the same
office. The chain's head (count and last hash) is kept in `ledger_meta` in the same
transaction, so a deleted last event is caught too. No code here updates or deletes an event.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass

GENESIS = "0" * 64
EVENT_COLS = ("office", "n", "issue", "action", "from_status", "to_status", "level", "actor",
              "happened_at", "recorded_at", "note", "details", "prev_hash", "hash")
_NULL = "\x1e"  # stands for NULL in the hashed text, so NULL and "" differ


def event_hash(office, n, issue, action, from_status, to_status, level, actor, happened_at,
               recorded_at, note, details, prev_hash) -> str:
    """SHA-256 over the event's fields joined with a unit separator (details as stored text)."""
    fields = (office, str(n), issue, action, from_status, to_status, level, actor, happened_at,
              recorded_at, note, details, prev_hash)
    text = "\x1f".join(_NULL if f is None else f for f in fields)
    return hashlib.sha256(text.encode()).hexdigest()


def details_text(details: dict | None) -> str:
    return json.dumps(details or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def head(conn: sqlite3.Connection, office: str) -> tuple[int, str]:
    row = conn.execute("SELECT value FROM ledger_meta WHERE key = ?", (f"head:{office}",)).fetchone()
    if not row:
        return 0, GENESIS
    n, _, last = row[0].partition(":")
    return int(n), last


def _set_head(conn, office: str, n: int, last: str) -> None:
    conn.execute("INSERT INTO ledger_meta (key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (f"head:{office}", f"{n}:{last}"))


class Chain:
    """Appends events for one office inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection, office: str):
        self.conn, self.office = conn, office
        self.n, self.last = head(conn, office)
        self.pending: list[tuple] = []

    def append(self, issue, action, from_status, to_status, level, actor, happened_at,
               recorded_at, note, details: dict | None) -> dict:
        self.n += 1
        text = details_text(details)
        digest = event_hash(self.office, self.n, issue, action, from_status, to_status, level,
                            actor, happened_at, recorded_at, note, text, self.last)
        row = (self.office, self.n, issue, action, from_status, to_status, level, actor,
               happened_at, recorded_at, note, text, self.last, digest)
        self.pending.append(row)
        self.last = digest
        return dict(zip(EVENT_COLS, row))

    def flush(self) -> None:
        if self.pending:
            self.conn.executemany(
                f"INSERT INTO events ({', '.join(EVENT_COLS)}) VALUES ({', '.join('?' * len(EVENT_COLS))})",
                self.pending)
            self.pending = []
            _set_head(self.conn, self.office, self.n, self.last)


@dataclass
class Break:
    """The first place a chain does not hold."""

    office: str
    n: int
    seq: int | None
    issue: str | None
    action: str | None
    kind: str        # edited | missing | inserted | relinked | truncated


def verify_chain(conn: sqlite3.Connection, office: str) -> tuple[int, Break | None]:
    """Walk one office's chain; return (events checked, first break or None)."""
    expected_n, prev = 0, GENESIS
    rows = conn.execute(f"SELECT seq, {', '.join(EVENT_COLS)} FROM events WHERE office = ? ORDER BY n",
                        (office,))
    for row in rows:
        seq, fields, stored = row[0], row[1:-1], row[-1]
        n = fields[1]
        expected_n += 1
        where = (office, n, seq, fields[2], fields[3])
        if n != expected_n:
            return expected_n - 1, Break(office, expected_n, None, None, None, "missing")
        if event_hash(*fields) != stored:
            return n - 1, Break(*where, "edited")
        if fields[-1] != prev:
            return n - 1, Break(*where, "relinked")
        prev = stored
    count, last = head(conn, office)
    if expected_n > count:
        extra = conn.execute("SELECT seq, issue, action FROM events WHERE office = ? AND n = ?",
                             (office, count + 1)).fetchone()
        return count, Break(office, count + 1, *extra, "inserted")
    if expected_n < count or (count and last != prev):
        return expected_n, Break(office, expected_n + 1, None, None, None, "truncated")
    return expected_n, None


def offices(conn: sqlite3.Connection) -> list[str]:
    """Every office with a chain in this ledger: those with events and those with a head."""
    found = {o for (o,) in conn.execute("SELECT DISTINCT office FROM events")}
    found |= {k[5:] for (k,) in conn.execute("SELECT key FROM ledger_meta WHERE key LIKE 'head:%'")}
    return sorted(found)
