"""Many rows in few statements: `INSERT … VALUES (…), (…), …` with up to a few thousand rows each.

SQLite runs one such statement in a single `sqlite3_step`, during which Python's sqlite3 lets
go of the GIL. `executemany` steps once per row and takes the GIL back between rows, so a
writer thread doing it (`recorder.Recorder.background`) waits for the interpreter at every row
and hardly overlaps the Python work of the thread that records the next batch; with a few
thousand rows per step it does. Alone it is faster too (fewer trips through the interpreter).
"""

from __future__ import annotations

import sqlite3
from itertools import chain

ROWS_PER_STATEMENT = 2000


def insert_rows(conn: sqlite3.Connection, sql: str, width: int, rows: list[tuple]) -> None:
    """`sql` for every row, in order, as statements of many rows each: its `{values}` stands for
    the rows' `(?, …), (?, …)` (`INSERT INTO t (a, b) VALUES {values}`, or `… SELECT … FROM
    (VALUES {values})`); each row has `width` values. The rows go in as `executemany` puts them."""
    limit = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(ROWS_PER_STATEMENT, limit // width))
    one = "(" + ", ".join("?" * width) + ")"
    for start in range(0, len(rows), per):
        part = rows[start:start + per]
        conn.execute(sql.format(values=", ".join([one] * len(part))), list(chain.from_iterable(part)))
