"""A large merge's second process (合并的第二进程): it reads the bundle (inflating it, hashing it),
parses each line, checks its shape and its hash and the chain it belongs to, and hands each batch
of new events over as their rows, while the merging process folds the batch before into issue
states and writes it. One process runs Python on one core at a time; with the work split so, on
a machine with a second core the two halves of a merge's Python run at once (a district year:
about equal halves, by instructions counted).

The merging process forks it before it opens the ledger (no SQLite file may be carried across a
fork) and while no other thread runs (`forked.fork`); it tells it to go once it holds the write
lock, so the second process reads the ledger in a snapshot taken under that lock: what the
merging transaction reads (nobody else can write meanwhile). It leaves the terminal's process
group, ignores Ctrl+C (SIGTERM ends it at once) and writes nothing to the terminal; the merging
process ends it on leaving (`close`), also on Ctrl+C or an error, and it ends by itself when the
merging process is gone (its pipe closed). Whatever goes wrong in it, it says only that it
failed: the merging process then rolls back and merges in one process (`exchange.merge`), which
says why in the usual words.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, NoReturn

from gridctl.forked import end_process, fork, leave_the_terminal, spare_core
from gridctl.interrupts import SIGNALS

GO = b"g"
APART_FROM = 1 << 20
"""Bytes of bundle from which a merge goes apart (about 10,000 events): below, one process."""

Work = Callable[[Any, Path, Callable[[tuple], None]], None]
"""What the second process does: (its connection to the ledger, the bundle, `send`)."""


class Failed(Exception):
    """The second process failed, or ended without its last word."""


class Apart:
    """The merging side: forks the second process, tells it to go, reads what it says in order:
    ("header", the bundle's header), ("batch", (rows, lines read, whether they end a batch)) for each
    piece of a batch, and
    ("end", its chains); ("failed", why) or a closed pipe instead raises `Failed`."""

    told = False        # the notice that others' writes wait was given (`ledger.db.holding`)

    def __init__(self, pid: int, go: IO[bytes], said: IO[bytes]):
        self.pid, self.said = pid, said
        self.go_pipe: IO[bytes] | None = go
        self.ended: dict | None = None

    @staticmethod
    def pays(path: Path) -> bool:
        """Whether a merge of this bundle goes apart: a bundle of `APART_FROM`, and a core to spare
        (`forked.spare_core`). Apart, a merge costs about a tenth more CPU (its rows made and read
        back, the details parsed twice) for its halves to run at once: where the machine's other
        work keeps the second core busy it only slows the merge (a district year beside others'
        tests, load 4–5: 61 s against 44–54 s in one process)."""
        try:
            return len(os.sched_getaffinity(0)) >= 2 and path.stat().st_size >= APART_FROM and spare_core()
        except (OSError, AttributeError):       # no such file (refused in one process), no affinity
            return False

    @classmethod
    def start(cls, db: Path, path: Path, work: Work) -> Apart | None:
        """The second process forked, waiting for `go`; None where none can be (then one process)."""
        fds: list[int] = []
        try:
            fds += os.pipe()
            fds += os.pipe()
            go_read, go_write, said_read, said_write = fds
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)   # none until the child's own handlers
            try:
                pid = fork()          # OSError too while another thread runs
                if pid == 0:
                    _child(db, path, work, go_read, said_write, (go_write, said_read))
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        except OSError:
            for fd in fds:
                os.close(fd)
            return None
        os.close(go_read)
        os.close(said_write)
        return cls(pid, os.fdopen(go_write, "wb"), os.fdopen(said_read, "rb"))

    def go(self) -> None:
        """Begin: call holding the ledger's write lock (once)."""
        assert self.go_pipe is not None, "told once"
        self.go_pipe.write(GO)
        self.go_pipe.close()
        self.go_pipe = None

    def _next(self, wanted: tuple[str, ...]) -> tuple[str, Any]:
        try:
            kind, body = pickle.load(self.said)
        except (EOFError, pickle.UnpicklingError):   # killed (out of memory, kill -9) mid-word
            raise Failed("lost") from None
        if kind not in wanted:
            raise Failed(body if kind == "failed" else kind)
        return kind, body

    def header(self) -> dict:
        return self._next(("header",))[1]

    def batches(self) -> Iterator[tuple[bytes, int, bool]]:
        """Each piece of a batch (its rows, the lines read up to its end, whether it ends a batch),
        until the second process's end."""
        while True:
            kind, body = self._next(("batch", "end"))
            if kind == "end":
                self.ended = body
                return
            yield body

    def end(self) -> dict:
        """office → (first_n, last_new, added, legacy) of each chain the bundle held."""
        assert self.ended is not None, "after batches()"
        return self.ended

    def close(self) -> None:
        """End the second process (if still running) and wait for it, whatever Ctrl+C comes."""
        for stream in (self.go_pipe, self.said):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        self.go_pipe = None
        if self.pid:
            end_process(self.pid)
            self.pid = 0

    def __enter__(self) -> Apart:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _child(db: Path, path: Path, work: Work, go: int, said: int, parents: tuple[int, int]) -> NoReturn:
    """The forked process: out of the terminal's process group, deaf to Ctrl+C, silent, and it
    never returns into the merging process's code (`os._exit`, whatever happens)."""
    code = 1
    try:
        leave_the_terminal()
        for fd in parents:
            os.close(fd)
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        with os.fdopen(go, "rb") as go_pipe, os.fdopen(said, "wb") as out:
            def send(message: tuple) -> None:
                pickle.dump(message, out, pickle.HIGHEST_PROTOCOL)
                out.flush()
            try:
                if go_pipe.read(1) == GO:       # else the merging process ended before it began
                    _work(db, path, work, send)
                code = 0
            except BrokenPipeError:             # the merging process is gone
                pass
            except BaseException as exc:  # noqa: BLE001 - the merging process merges in one process instead
                send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        os._exit(code)


def _work(db: Path, path: Path, work: Work, send: Callable[[tuple], None]) -> None:
    from gridctl import collector
    from gridctl.ledger import ledger

    with collector.paused(), ledger(db) as conn:
        work(conn, path, send)
