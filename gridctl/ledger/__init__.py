"""The ledger: one SQLite file per office. All SQL lives in this package.

`ledger(path)` opens it, `transaction(conn)` is the one way to write, and
`gridctl.ledger.recorder` appends events with the projections they change."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from gridctl.ledger.db import ConstraintError, bulk_cache, init_ledger, ledger_node, open_ledger, transaction


@contextmanager
def ledger(path: Path | str, shared: bool = False, cache_mib: int | None = None):
    """Open, upgrade and finally close the ledger at `path` (`shared`: usable from a second
    thread, one at a time, as `Recorder.background` writes; `cache_mib`: a page cache that size,
    `db.READS_MIB` for a report's reads)."""
    conn = open_ledger(path, shared)
    try:
        if cache_mib:
            bulk_cache(conn, cache_mib)
        yield conn
    finally:
        conn.close()


__all__ = ["ConstraintError", "init_ledger", "ledger", "ledger_node", "open_ledger", "transaction"]
