"""A large import's routing in a second process (分流进程): it reads the sheet's rows a second
time and routes each (`service.routed`: the grid's routing facts, the duty matrix's answers)
while the importing process records the batch before (events, hash chain, fold) and its writer
thread writes the one before that. One process runs Python on one core at a time; reading and
routing are a third of a large import's Python, so on a machine with a second core the import
ends that much sooner (the same rows, routes and events).

The importing process forks it once the sheet is read and before the ledger is opened (no SQLite
file may be carried across a fork): the two share the sheet's cells as calamine holds them.
It opens the ledger only when told to go: as soon as the importing process holds the write
lock, which it takes while it checks the sheet (pass 1) once it meets rows the ledger does not
hold, so that routing runs while pass 1 does. It reads the ledger in one snapshot, taken under
that lock: what the importing transaction reads (nobody else can write meanwhile). Its batches
wait in a queue of their own (`_Sender`) while the importing process checks, so it does not stop
once the pipe is full. It hands back the sheet's good rows in batches, each with where it goes
(`RoutedRow`), as plain tuples through a pipe; a row that no longer reads as the first pass read
it is counted (the sheet changed: refused, as in one process).

It leaves the terminal's process group and ignores Ctrl+C (SIGTERM ends it at once), which is
the importing process's to handle: that process ends it on leaving (`Router.close`, also on
Ctrl+C or an error), and it ends by itself when the importing process is gone (its pipe closed).
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import threading
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import IO, NamedTuple, NoReturn

from gridctl.errors import GridctlError
from gridctl.interrupts import SIGNALS

GO = b"g"


class RoutedRow(NamedTuple):
    """One good row of the sheet, checked and routed by the second process (as `_entries` gives
    it, names resolved to codes), with the key the ledger may already hold it under."""

    row: int
    grid: str
    level: str          # the grid's
    category: str
    source: str
    title: str
    found_at: str
    place: str | None
    reporter: str | None
    phone: str | None
    ref: str | None
    reported: datetime
    key: tuple[str, str]
    routing: tuple


class Router:
    """The importing side: forks the second process, tells it to go, reads its batches.

    It forks before the importing process opens the ledger (a process must not carry an open
    SQLite file across a fork) and after it has read the sheet, whose cells (held by calamine)
    the two processes then share rather than each reading the file."""

    def __init__(self, db: Path, sheet, index: dict[str, int], moment: datetime, batch: int):
        self.problems = 0
        request = {"db": str(db), "index": index, "moment": moment, "batch": batch}
        go_read, go_write = os.pipe()
        rows_read, rows_write = os.pipe()
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)   # none until the child's own handlers
        try:
            self.pid = os.fork()
            if self.pid == 0:
                _child(request, sheet, go_read, rows_write, (go_write, rows_read))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(go_read)
        os.close(rows_write)
        self.go_pipe: IO[bytes] | None = os.fdopen(go_write, "wb")
        self.rows: IO[bytes] = os.fdopen(rows_read, "rb")

    @property
    def told(self) -> bool:
        """Told to go already (or closed)."""
        return self.go_pipe is None

    def go(self) -> None:
        """Open the ledger and route: call inside the write transaction (once; again does nothing)."""
        if self.go_pipe is None:
            return
        self.go_pipe.write(GO)
        self.go_pipe.close()
        self.go_pipe = None

    def batches(self) -> Iterator[list[RoutedRow]]:
        """The sheet's good rows, routed, batch by batch; `problems` then says how many rows did
        not read as the first pass read them (the sheet changed meanwhile)."""
        while True:
            try:
                kind, body = pickle.load(self.rows)
            except (EOFError, pickle.UnpicklingError):   # killed (out of memory, kill -9) mid-word
                raise GridctlError("import.router_lost", why=self._end()) from None
            if kind == "rows":
                yield [RoutedRow._make(row) for row in body]
            elif kind == "end":
                self.problems = body
                return
            elif kind == "refused":
                raise body
            else:
                raise GridctlError("import.router_lost", why=body)

    def _end(self) -> str:
        """How the second process ended, once its pipe closed without a last word."""
        try:
            pid, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return "?"
        self.pid = 0                        # waited for: nothing left for `close` to end
        if os.WIFSIGNALED(status):
            return signal.Signals(os.WTERMSIG(status)).name
        return f"exit {os.waitstatus_to_exitcode(status)}"

    def close(self) -> None:
        """End the second process (if still running) and wait for it, whatever Ctrl+C comes."""
        for stream in (self.go_pipe, self.rows):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        self.go_pipe = None
        if not self.pid:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        while True:
            try:
                os.waitpid(self.pid, 0)
                return
            except KeyboardInterrupt:
                continue
            except ChildProcessError:
                return


def _child(request: dict, sheet, go: int, out: int, parents: tuple[int, int]) -> NoReturn:
    """The forked process: out of the terminal's process group, deaf to Ctrl+C, and it never
    returns into the importing process's code (`os._exit`, whatever happens)."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)      # not the importing process's KeyboardInterrupt
        signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
        os.setpgid(0, 0)
        for fd in parents:
            os.close(fd)
        with os.fdopen(go, "rb") as go_pipe, os.fdopen(out, "wb") as rows:
            try:
                serve(request, sheet, go_pipe, rows)
                code = 0
            except BrokenPipeError:                  # the importing process is gone
                pass
            except GridctlError as exc:              # a refusal (a busy or damaged ledger): handed back whole
                pickle.dump(("refused", exc), rows)
            except BaseException as exc:  # noqa: BLE001 - said, and the importing process refuses the import
                pickle.dump(("error", f"{type(exc).__name__}: {exc}"), rows)
    finally:
        os._exit(code)


def serve(request: dict, sheet, go: IO[bytes], out: IO[bytes]) -> None:
    """The second process: wait to be told to go, then route the sheet's rows and hand them back.

    Told to go before the importing process checks the sheet (its pass 1), it routes meanwhile:
    its batches wait in `_Sender`'s queue (as pickled bytes) until the importing process reads
    them, rather than it stopping once the pipe is full."""
    from gridctl import collector
    from gridctl.issues.service import RouteFacts, routed
    from gridctl.issues.transfer import _again, _Rows, row_key
    from gridctl.ledger import ledger, ledger_node
    from gridctl.ledger.db import snapshot
    from gridctl.ledger.recorder import office_code

    if go.read(1) != GO:            # the importing process ended (refused, dry run, nothing to write)
        return
    with collector.paused(), ledger(Path(request["db"])) as conn, snapshot(conn), _Sender(out) as send:
        check = _Rows(conn, sheet.label, office_code(conn), bool(ledger_node(conn)))   # as the import sees it
        facts = RouteFacts(conn)
        entries = _again(sheet, request["index"], check, request["moment"])
        while chunk := list(islice(entries, request["batch"])):
            facts.prefetch((entry[1]["code"] for entry in chunk), check.grids)
            rows = []
            for row, grid, category, source, title, found_at, place, reporter, phone, ref, reported in chunk:
                code = grid["code"]
                rows.append((row, code, grid["level"], category["code"], source, title, found_at, place, reporter,
                             phone, ref, reported, row_key(ref, code, category["code"], source, title, found_at),
                             tuple(routed(facts, grid, category, reported))))
            send(("rows", rows))
        send(("end", len(check.problems)))


class _Sender:
    """The second process's batches written to the pipe by a thread of their own, in order, so
    routing goes on while the importing process is not reading yet (checking the sheet). At most
    `AHEAD` batches wait (their pickled bytes: ~1 MB for 2,500 rows)."""

    AHEAD = 16

    def __init__(self, out: IO[bytes]):
        self.out = out
        self.queue: queue.Queue[bytes | None] = queue.Queue(self.AHEAD)
        self.failed: BaseException | None = None
        self.thread = threading.Thread(target=self._write, daemon=True)

    def __enter__(self) -> _Sender:
        self.thread.start()
        return self

    def __call__(self, message: tuple) -> None:
        if self.failed is not None:
            raise self.failed
        self.queue.put(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))

    def __exit__(self, *exc) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.failed is not None and exc[0] is None:
            raise self.failed

    def _write(self) -> None:
        while (data := self.queue.get()) is not None:
            if self.failed is None:
                try:
                    self.out.write(data)
                    self.out.flush()
                except BaseException as exc:  # noqa: BLE001 - raised in the routing thread (a closed pipe)
                    self.failed = exc
