"""Ctrl+C and SIGTERM: one clean way to stop a command.

Ctrl+C raises KeyboardInterrupt in the main thread: the transaction in progress rolls back, an
output file's temporary copy is removed, and the command line says so and exits 130. SIGTERM (what
`kill`, systemd and `docker stop` send) is made to take the same path instead of ending the process
where it stands, and exits 143: the status is 128 + the signal's number, as a shell reports a
process the signal ended (`exit_status`). Threads that work beside the main one (the writer of an import or a merge, the
score's reader) leave both signals to the main thread, so it sees them at once.
"""

from __future__ import annotations

import signal

SIGNALS = {signal.SIGINT, signal.SIGTERM}

_received: list[int] = []
"""The signals `_interrupt` turned into KeyboardInterrupt (SIGINT's own handler records none)."""


def terminate_as_interrupt() -> None:
    """SIGTERM raises KeyboardInterrupt in the main thread, as Ctrl+C does; left alone when the
    process was started with SIGTERM ignored or handled, or off the main thread."""
    try:
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:          # not the main thread (signal handlers are the main thread's)
        pass


def _interrupt(signum, frame) -> None:
    _received.append(signum)
    raise KeyboardInterrupt


def exit_status() -> int:
    """The exit status of a command stopped by an interruption: 128 + the signal's number, 130
    for Ctrl+C (SIGINT), 143 for SIGTERM; the first signal that stopped it decides."""
    return 128 + (_received[0] if _received else signal.SIGINT)


def leave_to_main_thread() -> None:
    """In a worker thread: Ctrl+C and SIGTERM go to the main thread. Delivered to the worker, the
    signal would be seen only once the main thread next ran Python, after what it is waiting for."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)


def quiet_from_now() -> None:
    """Once the interruption has been handled (rolled back, said): a further Ctrl+C or SIGTERM
    while the process ends is ignored, instead of breaking into Python's own shutdown with
    "Exception ignored in …" and a traceback."""
    try:
        for each in SIGNALS:
            signal.signal(each, signal.SIG_IGN)
    except ValueError:          # not the main thread
        pass
