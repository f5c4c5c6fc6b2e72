"""Opening a ledger: WAL, busy timeout, foreign keys, and the schema brought up to date."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gridctl.errors import LedgerError
from gridctl.ledger.names import NAMES
from gridctl.messages import reason, t

BUSY_TIMEOUT_MS = 10_000

ConstraintError = sqlite3.IntegrityError
"""A write the ledger's constraints refuse (a unique key, a foreign key), as code outside ledger/ catches it."""

BindingError = sqlite3.ProgrammingError
"""A value SQLite cannot store (a list, a mapping) given to a write, among other misuses: said by its text."""


def busy_timeout_ms() -> int:
    """How long a writer waits for another command's lock: `GRIDCTL_BUSY_TIMEOUT_MS`, else 10 s."""
    try:
        return max(0, int(os.environ.get("GRIDCTL_BUSY_TIMEOUT_MS", BUSY_TIMEOUT_MS)))
    except ValueError:
        return BUSY_TIMEOUT_MS
_NODE = re.compile(r"[0-9]{4}([0-9]{2}([0-9]{3}([0-9]{3})?)?)?")


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_sqlite_migrations'").fetchone()
    if not has_table:
        return []
    rows = conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set='gridctl' ORDER BY id")
    return [name for (name,) in rows]


_MAKES = [True]
"""Whether opening a ledger that does not exist makes it (`makes_ledgers`)."""


def makes_ledgers(allowed: bool) -> None:
    """From now on, whether a ledger that does not exist is made when opened (the default, and
    `init`, `load`, `restore`, `demo`) or refused (the CLI's other commands: a mistyped `--db` was
    made into an empty ledger, read as one, `没有符合条件的问题`, and left behind)."""
    _MAKES[0] = allowed


def _connect(path: Path, shared: bool = False) -> tuple[sqlite3.Connection, bool]:
    """(connection, read_only). A ledger this user may not write (file or folder read-only) is
    opened read-only, so it can still be read; a missing folder or a directory is refused.
    `shared`: the connection may be used from another thread too, one thread at a time
    (`writer.WriterThread`: the batches of an import or a merge)."""
    if path.is_dir():
        raise LedgerError("ledger.is_dir", path=path)
    if path.exists() and not path.is_file():        # /dev/null, a pipe: SQLite left a journal beside it
        raise LedgerError("ledger.not_regular", path=path)
    if not path.parent.is_dir():
        raise LedgerError("ledger.no_folder", path=path, folder=path.parent)
    if not _MAKES[0] and not path.exists():
        raise LedgerError("ledger.missing", path=path)
    writable = os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))
    if writable:
        return sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms() / 1000,
                               check_same_thread=not shared), False
    if not path.exists():
        raise LedgerError("ledger.read_only_folder", path=path, folder=path.parent)
    # read-only: without write access to the folder SQLite cannot make the WAL index, so the
    # file is read as it stands (immutable) — nothing can be writing it through this user anyway
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if os.access(path.parent, os.W_OK) else "&immutable=1")
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=busy_timeout_ms() / 1000,
                           check_same_thread=not shared), True


def open_ledger(path: Path | str, shared: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) and upgrade the ledger; refuse one from a newer gridctl.

    The connection is in autocommit mode: writers open `transaction(conn)`. A read-only ledger
    opens for reading; a write to it is refused by `environment_error`.
    """
    path = Path(path)
    conn, read_only = _connect(path, shared=True) if shared else _connect(path)
    try:
        applied = applied_migrations(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        known = environment_error(exc, path)
        raise known or LedgerError("ledger.not_sqlite", path=path, error=reason(exc)) from None
    unknown = [name for name in applied if name not in NAMES]
    if unknown:
        conn.close()
        raise LedgerError("ledger.too_new", path=path, names=", ".join(unknown))
    conn.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    if read_only:
        if len(applied) < len(NAMES):
            conn.close()
            raise LedgerError("ledger.read_only_upgrade", path=path)
        return conn
    if len(applied) < len(NAMES):
        mark_writing()                          # a new ledger made, or an older one upgraded
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        if len(applied) < len(NAMES):
            migrate(conn)
    except sqlite3.OperationalError as exc:
        conn.close()
        raise environment_error(exc, path) or exc from None
    return conn


_ENVIRONMENT = (  # SQLite's words for what the machine, not gridctl, got wrong
    ("database is locked", "ledger.busy"), ("database table is locked", "ledger.busy"),
    ("database or disk is full", "ledger.disk_full"), ("readonly database", "ledger.read_only"),
    ("unable to open database file", "ledger.cannot_open"), ("disk i/o error", "ledger.io_error"),
    ("no such table", "ledger.schema_damaged"), ("no such column", "ledger.schema_damaged"),
)  # a table or column the migrations made, gone: the file was altered outside gridctl (verify names it)


def environment_error(exc: BaseException, path: Path | str | None = None) -> LedgerError | None:
    """A refusal naming the cause when `exc` is SQLite reporting a busy, full, read-only or
    unreachable ledger, or one whose file is damaged; None for anything else (that stays a bug)."""
    if type(exc) is sqlite3.DatabaseError and "malformed" in str(exc):    # SQLITE_CORRUPT: a page read back damaged
        return LedgerError("ledger.damaged", path=path or "")
    if not isinstance(exc, sqlite3.OperationalError):
        return None
    text = str(exc).lower()
    key = next((key for words, key in _ENVIRONMENT if words in text), None)
    if key == "ledger.io_error" and _no_room(path):
        key = "ledger.no_room"
    return LedgerError(key, path=path or "") if key else None


def _no_room(path: Path | str | None) -> bool:
    """Whether the ledger's disk is full: SQLite says a disk I/O error, not a full disk, when the
    `-shm` file beside the ledger cannot grow (SQLITE_IOERR_SHMSIZE), which every command needs,
    a list or a verify as much as a write."""
    import shutil

    try:
        return shutil.disk_usage(Path(path or ".").resolve().parent).free < _ROOM
    except OSError:
        return False


_ROOM = 1 << 20
"""Less free space than this on the ledger's disk is a full disk (the `-shm` file alone takes 32 KiB)."""


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
    _begin(conn)
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction: everything the block reads is the ledger as it stood at its first
    read, whatever others commit meanwhile (WAL); nothing is written. (An import's routing
    process reads so what the importing transaction reads.)"""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")


def begin_reading(conn: sqlite3.Connection) -> int:
    """Begin a read transaction (as `snapshot` does, ended by `end_reading`) and say the
    connection's `PRAGMA data_version` in it: a later one differs only if another connection
    committed in between (an import's second process checks before the write lock and routes
    under it: the same reads if nothing was committed meanwhile)."""
    conn.execute("BEGIN")
    conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()      # the snapshot taken now
    return data_version(conn)


def data_version(conn: sqlite3.Connection) -> int:
    """The connection's `PRAGMA data_version`: a later one differs only if another connection
    committed in between (this one's own writes leave it as it was)."""
    return conn.execute("PRAGMA data_version").fetchone()[0]


def end_reading(conn: sqlite3.Connection) -> None:
    """End the read transaction `begin_reading` began (if still open)."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


_writes = [False]


def began_writing() -> bool:
    """Whether this command began writing a ledger (a write transaction, a new or upgraded
    ledger) since `forget_writing()`: a write that the file size limit stopped in a command that
    never did was to one of SQLite's own files (a temporary file for a large sort, `-shm`)."""
    return _writes[0]


def forget_writing() -> None:
    _writes[0] = False


def mark_writing() -> None:
    """Note that this command writes a ledger (besides `transaction`: a restore's copy into it)."""
    _writes[0] = True


def _begin(conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE; when another command holds the write lock, say so on stderr and wait
    the busy timeout (then SQLite's "database is locked" becomes `ledger.busy`, exit 1)."""
    mark_writing()
    conn.execute(f"PRAGMA busy_timeout={min(500, busy_timeout_ms())}")
    try:
        conn.execute("BEGIN IMMEDIATE")
        return
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
            raise
        path = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
        print(t("ledger.waiting", path=path), file=sys.stderr, flush=True)
    finally:
        conn.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    conn.execute("BEGIN IMMEDIATE")


LARGE = 2_000
"""A write of this many rows or events holds the ledger long enough to say so."""


def holding(conn: sqlite3.Connection, count: int, what: str) -> None:
    """Inside a large write transaction: tell the person up front that others' writes wait."""
    if count >= LARGE:
        path = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
        print(t("ledger.holding", path=path, count=count, what=what), file=sys.stderr, flush=True)


def migrate(conn: sqlite3.Connection, stop_before: str | None = None) -> None:
    """Apply pending migrations under one write lock, so two processes cannot race."""
    from sqlite_utils import Database

    from gridctl.ledger.schema import migrations

    with transaction(conn):
        migrations.apply(Database(conn), stop_before=stop_before)


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM ledger_meta WHERE key=?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO ledger_meta (key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def bulk_cache(conn: sqlite3.Connection, mib: int = 32) -> None:
    """A larger page cache for one long write (an import, a merge): its indexes grow in memory
    rather than through the 8 MiB default (100k-row import: 47 s → 31 s, +32 MiB peak). Also for
    a report's or a score's reads (`READS_MIB`)."""
    conn.execute(f"PRAGMA cache_size = -{mib * 1024}")


READS_MIB = 32
"""The page cache of a report's and a score's connections: their queries come back to pages they
have read (a table's rows met again in another index's order, the events of a batch of issues),
which with SQLite's 2 MiB default were read from the file again each time: a city's weekly read
2.05 GB through the file, 1.12 GB with 32 MiB (its system CPU 3.5 → 1.0 s); at most 32 MiB more
memory a connection, taken only as pages are read."""


def ledger_node(conn: sqlite3.Connection) -> str | None:
    """The platform node whose office keeps this ledger; None means the city platform."""
    return get_meta(conn, "node") or None


def init_ledger(path: Path | str, node: str | None) -> tuple[str | None, bool]:
    """Create (or confirm) a ledger for the platform at `node`. Returns (node, created)."""
    if node is not None and not _NODE.fullmatch(node):
        raise LedgerError("ledger.bad_node", node=node)
    conn = open_ledger(path)
    try:
        current = get_meta(conn, "node")
        if current is None:
            used = conn.execute("SELECT EXISTS (SELECT 1 FROM loads) OR EXISTS (SELECT 1 FROM events)").fetchone()[0]
            if used and node:       # made by `load` without init: the city's ledger, with content
                raise LedgerError("ledger.used_as_city", path=path, wanted=node)
            with transaction(conn):
                conn.execute("INSERT INTO ledger_meta VALUES ('node', ?)", (node or "",))
            return node, not used
        if node is not None and node != current:
            raise LedgerError("ledger.other_node", node=current or t("ledger.city"), wanted=node)
        return current or None, False
    finally:
        conn.close()
