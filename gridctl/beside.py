"""Reading beside the main thread: a piece of a report's work on a second connection, in a thread.

SQLite runs a statement without holding Python's lock, so on a machine with a second core a report
whose two halves are mostly SQL (the monthly's two months, the weekly's grouped counts beside its
lists) takes about as long as its longer half. The thread writes nothing. It leaves Ctrl+C and
SIGTERM to the main thread (`interrupts.leave_to_main_thread`) and is a daemon: an interrupted
command does not wait for it; its statement is cut short (`Connection.interrupt`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gridctl import interrupts


class Beside:
    """`work(conn, check)` in a thread of its own, on its own connection to `db`; `result()` waits
    for it. `check()` raises KeyboardInterrupt once the reader is stopped: SQLite's interrupt cuts
    short only a statement that is running, so work of several statements calls it between them."""

    def __init__(self, db: Path, name: str, work: Callable[[Any, Callable[[], None]], Any],
                 cache_mib: int | None = None):
        self.conn = None
        self.stopped = False
        self.outcome: list = []
        self.done = threading.Event()
        self.held = threading.Lock()            # `conn` is interrupted only while it is open
        self.thread = threading.Thread(target=self._run, args=(db, work, cache_mib), name=name, daemon=True)
        self.thread.start()

    def _run(self, db: Path, work: Callable[[Any, Callable[[], None]], Any], cache_mib: int | None) -> None:
        from gridctl.ledger import ledger

        interrupts.leave_to_main_thread()
        try:
            with ledger(db, cache_mib=cache_mib) as conn:
                with self.held:
                    self.conn = conn
                try:
                    self.outcome.append(work(conn, self.check))
                finally:
                    with self.held:
                        self.conn = None
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread by `result`
            self.outcome.append(exc)
        finally:
            self.done.set()

    def check(self) -> None:
        if self.stopped:
            raise KeyboardInterrupt

    def result(self):
        self.done.wait()
        self.thread.join()          # ended with its work: no thread left running for a fork to meet
        if isinstance(self.outcome[0], BaseException):
            raise self.outcome[0]
        return self.outcome[0]

    def stop(self, wait: bool) -> None:
        """Its statement cut short where it stands (safe from another thread); waited for unless
        the command itself was interrupted."""
        self.stopped = True
        with self.held:                         # once it has finished, its connection is closed
            if self.conn is not None:
                self.conn.interrupt()
        if wait:
            self.done.wait()


@contextmanager
def beside(db: Path, name: str, work: Callable[[Any, Callable[[], None]], Any],
           cache_mib: int | None = None) -> Iterator[Beside]:
    """`Beside(db, name, work, cache_mib)` for the block; stopped if the block fails (not waited
    for when it was interrupted)."""
    reader = Beside(db, name, work, cache_mib)
    try:
        yield reader
    except KeyboardInterrupt:
        reader.stop(wait=False)
        raise
    except BaseException:
        reader.stop(wait=True)
        raise
