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
    """`work(conn)` in a thread of its own, on its own connection to `db`; `result()` waits for it."""

    def __init__(self, db: Path, name: str, work: Callable[[Any], Any]):
        self.conn = None
        self.outcome: list = []
        self.done = threading.Event()
        self.held = threading.Lock()            # `conn` is interrupted only while it is open
        self.thread = threading.Thread(target=self._run, args=(db, work), name=name, daemon=True)
        self.thread.start()

    def _run(self, db: Path, work: Callable[[Any], Any]) -> None:
        from gridctl.ledger import ledger

        interrupts.leave_to_main_thread()
        try:
            with ledger(db) as conn:
                with self.held:
                    self.conn = conn
                try:
                    self.outcome.append(work(conn))
                finally:
                    with self.held:
                        self.conn = None
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread by `result`
            self.outcome.append(exc)
        finally:
            self.done.set()

    def result(self):
        self.done.wait()
        if isinstance(self.outcome[0], BaseException):
            raise self.outcome[0]
        return self.outcome[0]

    def stop(self, wait: bool) -> None:
        """Its statement cut short where it stands (safe from another thread); waited for unless
        the command itself was interrupted."""
        with self.held:
            if self.conn is not None:
                self.conn.interrupt()
        if wait:
            self.done.wait()


@contextmanager
def beside(db: Path, name: str, work: Callable[[Any], Any]) -> Iterator[Beside]:
    """`Beside(db, name, work)` for the block; stopped if the block fails (not waited for when
    it was interrupted)."""
    reader = Beside(db, name, work)
    try:
        yield reader
    except KeyboardInterrupt:
        reader.stop(wait=False)
        raise
    except BaseException:
        reader.stop(wait=True)
        raise
