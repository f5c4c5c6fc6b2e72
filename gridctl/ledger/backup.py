"""SQLite's online backup API: a consistent copy of a ledger while others write, and a copy
written into a live ledger under SQLite's own locking (readers see the old or the new whole)."""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

from gridctl.ledger.db import applied_migrations, busy_timeout_ms, mark_writing
from gridctl.messages import t

NotALedger = sqlite3.DatabaseError
"""What these functions raise when a file is not a whole SQLite database (damaged, or not SQLite)."""
CannotWrite = sqlite3.OperationalError
"""What they raise when the copy could not be written (a full disk, `ulimit -f`): a NotALedger too."""
SIDE_FILES = ("-journal", "-wal", "-shm")
"""What SQLite may leave beside a database file it was writing."""


def copy_out(source: Path, target: Path) -> None:
    """`target` (a new file) becomes a snapshot of `source` at one moment."""
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True,
                          timeout=busy_timeout_ms() / 1000)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)             # one step: a read transaction on source for the whole copy
        dst.execute("PRAGMA journal_mode=DELETE")   # one self-contained file
    finally:
        dst.close()
        src.close()


def self_contained(path: Path) -> None:
    """Checkpoint and leave rollback-journal mode: the file alone is the whole ledger."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


class Busy(Exception):
    """Another command held the live ledger for longer than the busy timeout (not a NotALedger:
    the live file is whole, only taken)."""


def copy_into(source: Path, live: Path) -> None:
    """The live ledger's content becomes `source`'s, in one write transaction of SQLite's. While
    another command holds the ledger it says so and waits the busy timeout, then raises Busy:
    SQLite's backup retried for as long as the other held it, without a word (a 10-minute import
    kept `restore` silent for 10 minutes)."""
    mark_writing()
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(live, timeout=busy_timeout_ms() / 1000)
    since: list[float] = []

    def waiting(status: int, remaining: int, pages: int) -> None:
        if status not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return
        if not since:
            since.append(time.monotonic())
            print(t("ledger.waiting", path=live), file=sys.stderr, flush=True)
        elif time.monotonic() - since[0] > busy_timeout_ms() / 1000:
            raise Busy(live)

    try:
        dst.execute(f"PRAGMA busy_timeout={min(250, busy_timeout_ms())}")    # each step; `waiting` the whole
        src.backup(dst, progress=waiting, sleep=0.1)
        dst.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()
        src.close()


def is_ledger(path: Path) -> bool:
    """Whether a database file holds a gridctl ledger (gridctl's migrations applied): an empty file,
    or another program's SQLite database, does not (verified, either would pass as an empty ledger)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return bool(applied_migrations(conn))
    finally:
        conn.close()


def node_of(path: Path) -> str | None:
    """The office node a ledger file belongs to, read without opening it for gridctl ('' = city)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM ledger_meta WHERE key = 'node'").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def events_not_in(live: Path, copy: Path) -> tuple[int, str | None]:
    """How many of `live`'s events the ledger `copy` does not hold, and when the latest of them was
    recorded ((0, None) when it holds them all). Each office's chain is compared by its hashes: an
    event's hash seals every event before it, so two chains agree up to the last `n` whose hashes are
    equal (found by halving) and differ after it. NotALedger when `live` cannot be read as a ledger."""
    conn = sqlite3.connect(f"{Path(live).resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout_ms() / 1000)
    try:
        conn.execute("ATTACH DATABASE ? AS copy", (f"{Path(copy).resolve().as_uri()}?mode=ro",))
        lost, latest = 0, None
        for office, last in conn.execute("SELECT office, max(n) FROM main.events GROUP BY office").fetchall():
            agreed = _agreed(conn, office, last)
            if agreed < last:
                count, when = conn.execute("SELECT count(*), max(recorded_at) FROM main.events "
                                           "WHERE office = ? AND n > ?", (office, agreed)).fetchone()
                lost, latest = lost + count, max(latest or "", when)
        return lost, latest
    finally:
        conn.close()


def _agreed(conn, office: str, last: int) -> int:
    """The last `n` up to which the office's chain in `main` is the one in `copy` (0: none of it)."""
    held = conn.execute("SELECT max(n) FROM copy.events WHERE office = ?", (office,)).fetchone()[0] or 0

    def same(n: int) -> bool:
        mine = conn.execute("SELECT hash FROM main.events WHERE office = ? AND n = ?", (office, n)).fetchone()
        theirs = conn.execute("SELECT hash FROM copy.events WHERE office = ? AND n = ?", (office, n)).fetchone()
        return mine is not None and mine == theirs

    low, high = 0, min(held, last)
    if high and same(high):
        return high
    while high - low > 1:                # same(low) (0: trivially), not same(high)
        middle = (low + high) // 2
        low, high = (middle, high) if same(middle) else (low, middle)
    return low
