"""The keys of a large sheet's rows seen so far (已读行的键), kept in a temporary database rather
than in memory: an import finds a row given twice by its key, however far apart the two are,
and its memory stays the same whatever the sheet's size.

The keys go to a private temporary SQLite database (its pages in a bounded cache, the rest in
a temporary file SQLite deletes when it is closed) in batches; the latest batch waits in a dict.
A bitmap of the keys' hashes (a fixed 2 MiB) spares the look-up for nearly every key not seen:
a key whose bit is set is looked up, so a hash shared by two keys never changes an answer.
"""

from __future__ import annotations

import sqlite3

BITS = 1 << 24          # the bitmap's bits (2 MiB): at 400,000 keys ~2.4 % of unseen keys are looked up
BATCH = 2500            # keys waiting in memory before they are written


class SheetKeys:
    """key → the first row that gave it (`setdefault`, as a dict's), for one pass over a sheet."""

    def __init__(self) -> None:
        self.conn = sqlite3.connect("", isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-4096", "temp_store=FILE"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.conn.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID")
        self.bits = bytearray(BITS >> 3)
        self.waiting: dict[str, int] = {}

    def setdefault(self, key: tuple[str, str], row: int) -> int:
        """The first row that gave `key`; `row`, kept as that, if none did."""
        text = f"{key[0]}\x1f{key[1]}"
        first = self.waiting.setdefault(text, row)
        if first != row:
            return first
        h = hash(text) & (BITS - 1)
        if self.bits[h >> 3] & (1 << (h & 7)):
            found = self.conn.execute("SELECT row FROM seen WHERE key = ?", (text,)).fetchone()
            if found is not None:
                del self.waiting[text]
                return found[0]
        if len(self.waiting) >= BATCH:
            self._write()
        return row

    def _write(self) -> None:
        bits = self.bits
        for text in self.waiting:
            h = hash(text) & (BITS - 1)
            bits[h >> 3] |= 1 << (h & 7)
        self.conn.execute("BEGIN")
        self.conn.executemany("INSERT INTO seen (key, row) VALUES (?, ?)", self.waiting.items())
        self.conn.execute("COMMIT")
        self.waiting.clear()

    def __enter__(self) -> SheetKeys:
        return self

    def __exit__(self, *exc) -> None:
        self.conn.close()
