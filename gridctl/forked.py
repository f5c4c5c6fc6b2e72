"""Work in a process of its own (分进程): Python that runs on a second core while the main thread
goes on, where a thread would not (one process runs Python on one core at a time).

The process forks before the command opens its ledger and before any thread that uses SQLite
starts (no SQLite connection, and no lock SQLite holds in another thread, may be carried across a
fork): the work opens the ledger itself. It forks only while no other thread runs (`fork`): a
thread may hold a lock the child then needs and never gets (the console's, stderr's, SQLite's),
and Python 3.12 warns of it (DeprecationWarning); the progress bar's ticking stops for the fork. It shares what the process held when it forked and hands
back its result pickled through a pipe.

It leaves the terminal's process group and ignores Ctrl+C (SIGTERM ends it at once), which are
the main process's to handle: the main process ends it (SIGKILL) and reaps it on leaving, also on
Ctrl+C or an error, and never waits for its work to finish. Its standard output and error go to
/dev/null, so a caller reading the command's output is never held open by it, and the temporary
files it makes (Python's `tempfile`: openpyxl's sheets) go into a folder of its own, removed with
it (it ends by `os._exit`, which runs no clean-up of its own). A work that fails,
or a process that ends without a result, is not an error here: `result` runs the work's
`otherwise` in the main process instead, whose failure is then the command's.
"""

from __future__ import annotations

import atexit
import errno
import os
import pickle
import resource
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any, NoReturn

from gridctl.interrupts import SIGNALS


STAT = "/proc/stat"
"""Where Linux tells the machine's CPU time (its first line: `cpu  user nice system idle iowait
irq softirq steal …`, in clock ticks)."""


def _busy() -> float | None:
    """CPU seconds the whole machine has spent busy since it started (`STAT`: all but idle and
    I/O wait), or None where there is no such file or it says something else."""
    try:
        with open(STAT, "rb") as stat:
            head, *fields = stat.readline().split()[:9]
        if head != b"cpu" or len(fields) != 8:
            return None
        user, nice, system, _idle, _wait, irq, softirq, steal = map(int, fields)
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return None


def _own() -> float:
    """CPU seconds this process and its reaped children have spent."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


_SINCE = (time.monotonic(), _busy(), _own())
"""When this module was imported (the command's start): the clock, the machine's busy time, ours."""


def spare_core() -> bool:
    """Whether the machine has a core to spare for a second process: since the command started,
    the other work on the machine has kept busy less than its cores less one and a half (on two
    cores: half of one), measured from the machine's busy time less this process's own (Linux);
    elsewhere, the load of the last minute below the cores less a half. Work whose second process
    only shortens the wall time (it costs more CPU than it saves) is done in one process
    otherwise: on a busy machine the second process would take the first one's core."""
    cores = os.cpu_count() or 1
    began, busy_then, own_then = _SINCE
    busy, elapsed = _busy(), time.monotonic() - began
    if busy is not None and busy_then is not None and elapsed >= 1:
        others = (busy - busy_then) - (_own() - own_then)
        return others / elapsed < cores - 1.5
    try:
        return os.getloadavg()[0] < cores - 0.5
    except OSError:                 # no load average on this system
        return False


_PAUSED: list[tuple[Callable[[], None], Callable[[], None]]] = []
"""(pause, resume) of each thread that stops for a fork (`pausing`): the progress bar's ticking."""


@contextmanager
def pausing(pause: Callable[[], None], resume: Callable[[], None]) -> Iterator[None]:
    """For the block, a thread beside the main one that `fork` stops (`pause()`, which returns once
    it has ended) and starts again in this process after the fork (`resume()`)."""
    pair = (pause, resume)
    _PAUSED.append(pair)
    try:
        yield
    finally:
        _PAUSED.remove(pair)


def threads() -> int:
    """How many threads this process runs: the kernel's count (Linux), which sees threads that a
    library started outside Python too, as Python 3.12's fork warning does; else Python's own."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"Threads:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return threading.active_count()


ENDING = 2.0
"""Seconds `alone` gives threads Python no longer runs to be gone from the kernel's count."""


def alone(wait: float = 0.1) -> bool:
    """Whether this thread is the process's only one, giving the kernel up to `wait` seconds to
    stop counting threads that have ended: `join()` returns before the kernel's task of the thread
    is gone (right after a join it is still counted about half the time), so the progress bar's
    thread, just stopped for the fork, could stop the fork. Where Python runs no other thread,
    what the kernel still counts has ended (or was started outside Python): up to `ENDING` then,
    since on a busy machine an ended thread's task may wait its turn to go (test_forks' router
    fork was refused about once in twenty runs with four test runs sharing two cores)."""
    until = time.monotonic() + (max(wait, ENDING) if threading.active_count() == 1 else wait)
    while threads() > 1:
        if time.monotonic() >= until:
            return False
        time.sleep(0.001)
    return True


def fork() -> int:
    """`os.fork()` (0 in the child, its pid here) with no other thread running, or OSError (as
    when the system has no process to give): the threads of `pausing` stopped for it and started
    again here after it; should another thread still run, none is forked (the caller then works
    in one process). A thread at a fork may hold a lock the child needs (the console's, stderr's,
    SQLite's), which no one would ever release there; Python 3.12 warns of it."""
    for pause, _resume in _PAUSED:
        pause()
    pid = -1
    try:
        if not alone():
            raise OSError(errno.EAGAIN, "another thread runs: no fork")
        pid = os.fork()
        return pid
    finally:
        if pid != 0:
            for _pause, resume in _PAUSED:
                resume()


class Forked:
    """`work()` in a forked process from now on; `result(otherwise)` waits for what it returned."""

    def __init__(self, work: Callable[[], Any]):
        self.pid, self.folder, self.unread = 0, "", True
        self.pipe: IO[bytes] | None = None
        try:
            self._start(work)
        except OSError:         # no process to be had (too many, no memory, no temporary folder)
            self.close()        # `result` then does the work here, as when the process fails

    @property
    def running(self) -> bool:
        """Whether the work runs apart (else `result` does it in this process)."""
        return bool(self.pid)

    def _start(self, work: Callable[[], Any]) -> None:
        self.folder = tempfile.mkdtemp(prefix="gridctl-forked.")
        read, write = os.pipe()
        self.pipe = os.fdopen(read, "rb")
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)   # none until the child's own handlers
        try:
            self.pid = fork()
            if self.pid == 0:
                _child(work, read, write, self.folder)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            os.close(write)                  # the child's end (in the child, `_child` never returns)
        atexit.register(self.close)          # left unclosed (an error between two steps): at exit

    def result(self, otherwise: Callable[[], Any]):
        """What the work returned; `otherwise()` when it failed, its process ended without a word,
        or none could be started."""
        assert self.unread, "a result is read once"
        self.unread = False
        if self.pipe is None:
            return otherwise()
        try:
            kind, body = pickle.load(self.pipe)
        except (EOFError, pickle.UnpicklingError):      # killed (out of memory, kill -9) mid-word
            kind, body = "lost", None
        finally:
            self.close()
        return body if kind == "done" else otherwise()

    def close(self) -> None:
        """End the process (if still running) and reap it, whatever Ctrl+C comes meanwhile."""
        if self.pipe is not None:
            self.pipe.close()
            self.pipe = None
        if self.pid:
            end_process(self.pid)
            self.pid = 0
            atexit.unregister(self.close)
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = ""

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def end_process(pid: int) -> None:
    """Kill a forked process and reap it, whatever Ctrl+C comes meanwhile."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    while True:
        try:
            os.waitpid(pid, 0)
            return
        except KeyboardInterrupt:
            continue
        except ChildProcessError:
            return


def leave_the_terminal() -> None:
    """In a forked process, first: out of the terminal's process group and deaf to Ctrl+C, which
    are the main process's to handle; SIGTERM ends it at once (not as a KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
    os.setpgid(0, 0)


def _child(work: Callable[[], Any], read: int, write: int, folder: str) -> NoReturn:
    """The forked process: out of the terminal's process group, deaf to Ctrl+C, silent, and it
    never returns into the main process's code (`os._exit`, whatever happens)."""
    code = 1
    try:
        leave_the_terminal()
        os.close(read)
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        tempfile.tempdir = folder
        with os.fdopen(write, "wb") as out:
            try:
                outcome = ("done", work())
            except BaseException as exc:  # noqa: BLE001 - the main process does the work itself
                outcome = ("failed", f"{type(exc).__name__}: {exc}")
            pickle.dump(outcome, out, pickle.HIGHEST_PROTOCOL)
            code = 0
    finally:
        os._exit(code)
