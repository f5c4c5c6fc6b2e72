"""A large import's rows read, checked and routed in a second process (分流进程), one pass:
it reads each row of the sheet, checks it as the import's first pass does (`transfer._Rows`),
keys it, finds whether the ledger holds it already, and routes it (`routing.RouteFacts.routed`
over every grid's routing facts, read once under the write lock), while the importing process
records the batch before (events, hash chain, fold) and its writer thread writes the one before
that. One process runs Python on one core at a time; on a machine with a second core the import
ends that much sooner (the same rows, routes, events and refusals).

The importing process forks it once the sheet's header is read and before the ledger is opened
(no SQLite file may be carried across a fork); it reads the rows itself, an .xlsx a piece at a
time (`xlsxpieces`; a workbook read whole, where the pieces cannot follow it, is shared as
calamine holds it), and keeps their keys in a temporary database (`ledger.sheetkeys`).
Told to check (once the importing process has the ledger open), it reads the ledger in one
snapshot and goes through the sheet; as soon as a batch of good rows holds one the ledger does
not, it asks for the write lock and waits. The importing process takes it and tells it to go:
it then reads in a snapshot taken under that lock, what the importing transaction reads
(nobody else can write meanwhile). If the ledger changed in between (`PRAGMA data_version`),
it goes through the sheet again from its first row; else it goes on. A sheet the ledger holds
whole takes no lock. The sheet's problems travel with the batches, in the order found: once
there is one, rows are still checked but no longer routed, and the import writes nothing.
Its batches wait in a queue of their own (`_Sender`) when the importing process is slower.

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
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, NoReturn

from gridctl.errors import GridctlError
from gridctl.forked import end_process, fork, leave_the_terminal
from gridctl.interrupts import SIGNALS

if TYPE_CHECKING:
    from gridctl.routing import RouteFacts

CHECK = b"c"
GO = b"g"


class RoutedRow(NamedTuple):
    """One good row of the sheet the ledger does not hold, checked and routed by the second
    process (as `_entries` gives it, names resolved to codes)."""

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
    routing: tuple


class Router:
    """The importing side: forks the second process, tells it to check and to go, reads what it says.

    It forks before the importing process opens the ledger (a process must not carry an open
    SQLite file across a fork) and after it has read the sheet's header."""

    def __init__(self, db: Path, sheet, index: dict[str, int], moment: datetime, batch: int):
        request = {"db": str(db), "index": index, "moment": moment, "batch": batch}
        fds: list[int] = []
        try:                        # no process to be had: the pipes closed, the OSError raised
            fds += os.pipe()
            fds += os.pipe()
            go_read, go_write, rows_read, rows_write = fds
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)   # none until the child's own handlers
            try:
                self.pid = fork()          # OSError too while another thread runs
                if self.pid == 0:
                    _child(request, sheet, go_read, rows_write, (go_write, rows_read))
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        except OSError:
            for fd in fds:
                os.close(fd)
            raise
        os.close(go_read)
        os.close(rows_write)
        self.go_pipe: IO[bytes] | None = os.fdopen(go_write, "wb")
        self.rows: IO[bytes] = os.fdopen(rows_read, "rb")

    def check(self) -> None:
        """Start reading and checking the sheet: call once the ledger is open (and up to date)."""
        assert self.go_pipe is not None, "told once"
        self.go_pipe.write(CHECK)
        self.go_pipe.flush()

    def go(self) -> None:
        """Route under the write lock it asked for: call inside the write transaction (once)."""
        if self.go_pipe is None:
            return
        self.go_pipe.write(GO)
        self.go_pipe.close()
        self.go_pipe = None

    def messages(self) -> Iterator[tuple[str, Any]]:
        """What the second process says, in order, to its last word: ("seen", rows read) before
        the lock; ("lock", rows to go) when it needs the write lock (then `go`); ("total", rows to
        go) when it reads again from the first row; ("rows", (routed rows, rows read, problems))
        for each batch; ("end", (rows, rows held, problems)). A refusal it met is raised here."""
        while True:
            try:
                kind, body = pickle.load(self.rows)
            except (EOFError, pickle.UnpicklingError):   # killed (out of memory, kill -9) mid-word
                raise GridctlError("import.router_lost", why=self._end()) from None
            if kind == "refused":
                raise body
            if kind == "error":
                raise GridctlError("import.router_lost", why=body)
            yield kind, body
            if kind == "end":
                return

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
        if self.pid:
            end_process(self.pid)


def _child(request: dict, sheet, go: int, out: int, parents: tuple[int, int]) -> NoReturn:
    """The forked process: out of the terminal's process group, deaf to Ctrl+C, and it never
    returns into the importing process's code (`os._exit`, whatever happens)."""
    code = 1
    try:
        leave_the_terminal()
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
    """The second process: wait to be told to check, then read, check, key and route the sheet's
    rows and hand them back (`Router.messages` says what it says). Its batches wait in
    `_Sender`'s queue (as pickled bytes) until the importing process reads them."""
    from gridctl import collector
    from gridctl.ledger import ledger
    from gridctl.ledger.db import begin_reading, end_reading

    if go.read(1) != CHECK:         # the importing process ended (refused before it opened the ledger)
        return
    with collector.paused(), ledger(Path(request["db"])) as conn, _Sender(out) as send:
        locked = False
        while True:
            version = begin_reading(conn)
            try:
                ended = _Pass(conn, sheet, request, send, version).run(go, locked)
            finally:
                end_reading(conn)
            if ended:
                return
            locked = True           # the ledger changed before the lock: again, from the first row


class _Pass:
    """One pass of `serve` over the sheet, inside a read transaction on `conn`."""

    def __init__(self, conn, sheet, request: dict, send: _Sender, version: int):
        from gridctl.issues.transfer import _Rows
        from gridctl.ledger import ledger_node
        from gridctl.ledger.recorder import office_code

        self.conn, self.sheet, self.request, self.send = conn, sheet, request, send
        self.check = _Rows(conn, sheet.label, office_code(conn), bool(ledger_node(conn)))  # as the import sees it
        self.version = version      # the snapshot's `data_version`
        self.facts: RouteFacts | None = None     # every grid's routing facts, read under the write lock
        self.told = 0               # the problems handed over so far

    def run(self, go: IO[bytes], locked: bool) -> bool:
        """Through the sheet: True at its end (or when the importing process is gone), False when
        the ledger changed before the write lock was taken (a new pass must begin, locked)."""
        from gridctl.issues.transfer import _as_written, _entries, _held, _unique, batches
        from gridctl.ledger.db import begin_reading, end_reading
        from gridctl.ledger.sheetkeys import SheetKeys

        sheet, index, check = self.sheet, self.request["index"], self.check
        rows = sheet.below_header() or 0
        if locked:
            self._locked()
            self.send(("total", rows))
        with SheetKeys() as seen:   # the sheet's keys in a temporary database: memory the same at any size
            written: dict[tuple[str, str], tuple[str, str]] = {}
            held_total = 0
            entries = _unique(check, _as_written(_entries(sheet, index, check, self.request["moment"]), sheet, index,
                                                 written), seen)
            before = 0
            for chunk, bad in batches(check, entries, self.request["batch"]):
                held = _held(self.conn, check, chunk, written, index, bad)
                written.clear()
                todo = [entry for entry, key in chunk if key not in held]
                held_total += len(chunk) - len(todo)
                if todo and not locked:
                    end_reading(self.conn)
                    self.send(("lock", rows - before))
                    if go.read(1) != GO:                # the importing process ended (refused, Ctrl+C)
                        return True
                    if begin_reading(self.conn) != self.version:
                        return False
                    locked = True
                    self._locked()
                read, before = check.rows - before, check.rows
                if locked:
                    self.send(("rows", (self._routed(todo), read, self._problems())))
                else:
                    self.send(("seen", read))
        self.send(("end", (check.rows, held_total, self._problems())))
        return True

    def _locked(self) -> None:
        from gridctl.territory import route_facts

        self.facts = route_facts(self.conn, None, self.check.grids)

    def _problems(self) -> list:
        """The problems found since the last said."""
        found = self.check.problems[self.told:]
        self.told += len(found)
        return found

    def _routed(self, todo: list) -> list[tuple]:
        """A batch's rows to write, routed (`RoutedRow`'s fields); none once the sheet has a problem."""
        if self.check.problems or not todo:
            return []
        facts = self.facts
        assert facts is not None, "locked"
        days: dict[datetime, str] = {}
        out = []
        for row, new, (grid, category, source), reported in todo:
            day = days.get(reported)
            if day is None:
                day = days[reported] = reported.date().isoformat()
            out.append((row, grid["code"], grid["level"], category["code"], source, new.title, new.found_at,
                        new.place, new.reporter, new.phone, new.ref, reported,
                        facts.routed(grid["code"], category, day)))
        return out


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
