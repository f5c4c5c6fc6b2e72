"""Many rows in few statements: `INSERT … VALUES (…), (…), …` with up to a few thousand rows each.

SQLite runs one such statement in a single `sqlite3_step`, during which Python's sqlite3 lets
go of the GIL. `executemany` steps once per row and takes the GIL back between rows, so a
writer thread doing it (`writer.WriterThread`) waits for the interpreter at every row
and hardly overlaps the Python work of the thread that records the next batch; with a few
thousand rows per step it does. Alone it is faster too (fewer trips through the interpreter).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

NULL = float("nan")
"""What a NULL is bound as. SQLite binds a NaN as NULL (`sqlite3_bind_double` leaves the value NULL
for a NaN), so the row stored is the same; Python's sqlite3 binds a float directly, while a None
first goes through its adapter look-up (a tuple built, a dict and two attributes looked up): about
0.35 µs per None, ten times an integer's cost, all of it while holding the GIL (a merge's writer
binds about three per event and six per issue row)."""

SIZES = (2000, 200, 20, 1)
"""Statements are made of these many rows only, so each SQL text has at most four shapes in
the connection's statement cache (a statement of any other size would be prepared, and kept,
for every size a batch ends with)."""


def insert_rows(conn: sqlite3.Connection, sql: str, width: int, rows: list[tuple]) -> None:
    """`sql` for every row, in order, as statements of many rows each: its `{values}` stands for
    the rows' `(?, …), (?, …)` (`INSERT INTO t (a, b) VALUES {values}`, or `… SELECT … FROM
    (VALUES {values})`); each row has `width` values. The rows go in as `executemany` puts them
    (None as `NULL`, which is the same to SQLite)."""
    limit = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    start = 0
    for size in SIZES:
        size = max(1, min(size, limit // width))
        if len(rows) - start < size:
            continue
        text = _statement(sql, width, size)
        while len(rows) - start >= size:
            conn.execute(text, [NULL if value is None else value for row in rows[start:start + size] for value in row])
            start += size


@functools.lru_cache(maxsize=64)
def _statement(sql: str, width: int, size: int) -> str:
    """`sql` with `size` rows of `width` placeholders, built once (a 2,000-row statement of 51
    columns is 300 KB of text, hashed by the statement cache on every use if built afresh)."""
    one = "(" + ", ".join("?" * width) + ")"
    return sql.format(values=", ".join([one] * size))


@contextmanager
def indexes_put_off(conn: sqlite3.Connection, table: str) -> Iterator[None]:
    """Inside a write transaction: `table`'s own indexes (those made by CREATE INDEX, not its
    constraints') dropped for the block and created again at its end, each with its own SQL, in
    the order they were made. An index made at once sorts the table's rows once, where inserting
    them one by one walks it for every row: a merge into a ledger holding few issues wrote its
    issue rows in half the time (six indexes, one of 20 columns). A block that fails leaves them
    dropped: the transaction's rollback, which must follow, brings them back as they were.

    Made again, they are listed last in the schema (`sqlite_master`, `.schema`, `.dump`), in their
    own order: SQLite puts each entry made anew at its end, and no statement puts one back. Nothing
    reads that order but this (their order among themselves); `backup` and `restore` keep it
    (test_merge_indexes)."""
    made = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                        "AND sql IS NOT NULL ORDER BY rowid", (table,)).fetchall()
    for name, _ in made:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in made:
        conn.execute(sql)
