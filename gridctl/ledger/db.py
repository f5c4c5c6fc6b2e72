"""Opening a ledger: WAL, busy timeout, foreign keys, and the schema brought up to date."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gridctl.errors import LedgerError
from gridctl.ledger.names import NAMES
from gridctl.messages import t

BUSY_TIMEOUT_MS = 10_000
_NODE = re.compile(r"[0-9]{4}([0-9]{2}([0-9]{3}([0-9]{3})?)?)?")


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_sqlite_migrations'").fetchone()
    if not has_table:
        return []
    rows = conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set='gridctl' ORDER BY id")
    return [name for (name,) in rows]


def open_ledger(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) and upgrade the ledger; refuse one from a newer gridctl.

    The connection is in autocommit mode: writers open `transaction(conn)`.
    """
    path = Path(path)
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        applied = applied_migrations(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise LedgerError(t("ledger.not_sqlite", path=path, error=exc)) from None
    unknown = [name for name in applied if name not in NAMES]
    if unknown:
        conn.close()
        raise LedgerError(t("ledger.too_new", path=path, names=", ".join(unknown)))
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    if len(applied) < len(NAMES):
        migrate(conn)
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, the write lock taken up front (BEGIN IMMEDIATE): committed when the
    block ends, rolled back when it raises (like sqlite-utils' `db.atomic()`).

    Inside another transaction it is a savepoint: rolled back alone, committed with the outer one."""
    if conn.in_transaction:
        conn.execute("SAVEPOINT gridctl_nested")
        try:
            yield conn
            conn.execute("RELEASE gridctl_nested")
        except BaseException:
            conn.execute("ROLLBACK TO gridctl_nested")
            conn.execute("RELEASE gridctl_nested")
            raise
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def migrate(conn: sqlite3.Connection, stop_before: str | None = None) -> None:
    """Apply pending migrations under one write lock, so two processes cannot race."""
    from sqlite_utils import Database

    from gridctl.ledger.schema import migrations

    with transaction(conn):
        migrations.apply(Database(conn), stop_before=stop_before)


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM ledger_meta WHERE key=?", (key,)).fetchone()
    return row[0] if row else None


def ledger_node(conn: sqlite3.Connection) -> str | None:
    """The platform node whose office keeps this ledger; None means the city platform."""
    return get_meta(conn, "node") or None


def init_ledger(path: Path | str, node: str | None) -> tuple[str | None, bool]:
    """Create (or confirm) a ledger for the platform at `node`. Returns (node, created)."""
    if node is not None and not _NODE.fullmatch(node):
        raise LedgerError(t("ledger.bad_node", node=node))
    conn = open_ledger(path)
    try:
        current = get_meta(conn, "node")
        if current is None:
            with transaction(conn):
                conn.execute("INSERT INTO ledger_meta VALUES ('node', ?)", (node or "",))
            return node, True
        if node is not None and node != current:
            raise LedgerError(t("ledger.other_node", node=current or t("ledger.city"), wanted=node))
        return current or None, False
    finally:
        conn.close()
