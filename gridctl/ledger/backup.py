"""SQLite's online backup API: a consistent copy of a ledger while others write, and a copy
written into a live ledger under SQLite's own locking (readers see the old or the new whole)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gridctl.ledger.db import applied_migrations, busy_timeout_ms, mark_writing

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


def copy_into(source: Path, live: Path) -> None:
    """The live ledger's content becomes `source`'s, in one write transaction of SQLite's."""
    mark_writing()
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(live, timeout=busy_timeout_ms() / 1000)
    try:
        dst.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
        src.backup(dst)
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
