"""A second thread that writes one batch while the caller prepares the next (批量写入线程).

Python's sqlite3 lets go of the GIL inside `sqlite3_step`, so a batch written as few large
statements (`bulk.insert_rows`) runs in SQLite while the calling thread parses, hashes and folds
the next batch in Python. Used by `issue import` (`Recorder.background`) and `merge`.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from gridctl import interrupts

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

SWITCH = 0.001
"""The interpreter's switch interval (seconds) while a writer thread runs. Each statement the
thread steps ends with it asking for the GIL back; the thread that records holds the GIL and
gives it up only every switch interval (5 ms by default), so a writer stepping a dozen statements
a batch sat out most of its batch's time waiting for the interpreter and the recording thread
then waited for it (an import of 100k rows: 2.6 s of waits at 5 ms, 0.1 s at 1 ms)."""


class WriterThread:
    """At most one batch in flight (`queue` hands a second part of it over behind the first). Outside `running()` (or with a SQLite build that is not
    serialized) `submit` writes in the caller's thread, as before there was a writer."""

    def __init__(self) -> None:
        self.pool: ThreadPoolExecutor | None = None
        self.writing: Future | None = None

    def submit(self, write: Callable[..., None], *args) -> None:
        """Write (`write(*args)`) after the batch before it; inside `running()` in the thread."""
        self.wait()
        if self.pool is None:
            write(*args)
        else:
            self.writing = self.pool.submit(write, *args)

    def queue(self, write: Callable[..., None], *args) -> None:
        """`submit` without waiting for the batch being written: `write(*args)` is handed over
        behind it (the thread takes them in turn) and written only if it was: the one before's
        error is then this one's, raised by `wait`. Outside `running()` it writes at once."""
        before = self.writing
        if self.pool is None or before is None:
            self.submit(write, *args)
            return

        def after() -> None:
            before.result()     # done by now (one thread, in order): its error stops this write
            write(*args)
        self.writing = self.pool.submit(after)

    def wait(self) -> None:
        """Until the batch being written (if any) is in; its error raised here. The connection is
        the caller's again: call before any other SQL on it."""
        writing, self.writing = self.writing, None
        if writing is not None:
            writing.result()

    @contextmanager
    def running(self) -> Iterator[WriterThread]:
        """Within the block `submit` hands each batch to the thread and returns. On leaving it,
        also when the block fails (then the batch's own error, if any, gives way to the block's),
        every batch handed over is written before the caller's transaction ends. The connection
        must be opened `shared` (`ledger(db, shared=True)`). A caller that reads through it
        meanwhile waits for SQLite's connection lock, which only a serialized build has: with
        another build the batches are written in turn."""
        if sqlite3.threadsafety != 3:
            yield self
            return
        from concurrent.futures import ThreadPoolExecutor  # here: a clerk's `issue add` never starts the thread

        self.pool = ThreadPoolExecutor(1, thread_name_prefix="gridctl-writer", initializer=interrupts.leave_to_main_thread)
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, SWITCH))
        try:
            self.pool.submit(int).result()  # its thread started now: a Ctrl+C that cuts short a later
            yield self                      # hand-over (a submit starting the thread) leaves no other one
            self.wait()
        finally:
            self._drain()
            sys.setswitchinterval(interval)

    def _drain(self) -> None:
        """Until the thread has written all it was handed, whatever comes meanwhile. A second
        Ctrl+C while the first one's batch is still being written must not end the transaction
        under it: its remaining statements would commit on their own (half a batch in the
        ledger, the chain broken) and the connection would be closed under it (a crash).
        It waits on a last, empty task (the one thread takes them in order), not on the thread:
        a join cut short by Ctrl+C takes the thread for ended in Python 3.11."""
        from concurrent import futures

        pool, self.pool, self.writing = self.pool, None, None
        assert pool is not None, "inside running()"
        last = pool.submit(int)             # after every batch, also one a `submit` cut short handed over
        while not last.done():
            try:
                futures.wait([last])
            except KeyboardInterrupt:
                continue
        pool.shutdown()

