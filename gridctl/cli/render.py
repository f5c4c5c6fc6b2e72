"""Terminal output for people: every table, detail line and progress indicator goes through here.

- User text is escaped for rich markup: an issue titled `垃圾[/]堆放` prints as written.
- Widths count a CJK character as two columns (rich's cell width; `plain` for long lists).
- Progress shows on stderr only when stderr is a terminal and the command was not asked for
  `--json`, so scripts and pipes see nothing of it.
rich is imported inside the functions: `gridctl --help` does not pay for it.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import typer

from gridctl.messages import t
from gridctl.progress import QUIET, Meter


@dataclass(frozen=True)
class Styled:
    """A cell shown in a style (the colour column): the text is still escaped."""

    text: str
    style: str


def escape(text: object) -> str:
    """User text made safe for rich markup: `垃圾[/]堆放` prints as written instead of crashing."""
    from rich.markup import escape as rich_escape

    return rich_escape("" if text is None else str(text))


def _cell(value: object) -> str:
    if isinstance(value, Styled):
        return f"[{value.style}]{escape(value.text)}[/]"
    return escape("" if value is None else value)


def _plain(value: object) -> str:
    if isinstance(value, Styled):
        return value.text
    return "" if value is None else str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, title: str | None = None,
          wrap: Sequence[int] = (), right: Sequence[int] = (), lines: bool = False) -> None:
    """Rows under (already translated) headers, aligned for CJK width; long lists print plain.

    `wrap`: columns that fold onto more lines (paths, titles); `right`: numbers."""
    from gridctl.cli import plain

    if len(rows) > plain.LONG:
        if title:
            sys.stdout.write(title + "\n")
        plain.table(list(headers), [[v if v.__class__ is str else _plain(v) for v in row] for row in rows])
        return
    from rich.table import Table

    piped = not sys.stdout.isatty()
    grid = Table(title=escape(title) if title else None, show_edge=False, show_lines=lines)
    for i, head in enumerate(headers):
        folds = i in wrap
        grid.add_column(escape(head), no_wrap=not folds, overflow="fold" if folds else "ellipsis",
                        justify="right" if i in right else "left", min_width=plain.width(head) if piped else None)
    for row in rows:
        grid.add_row(*(_cell(v) for v in row))
    out = console()
    if piped:   # a pipe or a file (no window to fit): wide enough that only the folding columns fold
        fixed, out.width = out.width, _UNBOUNDED
        out.width = max(fixed, out.measure(grid).minimum)
    out.print(grid)


_UNBOUNDED = 100_000
"""Columns a piped table is measured in: the least it takes with no header folded and no cell of
a column that does not fold (ids, names, times) cut short."""


def details(pairs: Sequence[tuple[str, object]]) -> None:
    """`label: value` lines for the values that are there (labels already translated)."""
    out = console()
    for label, value in pairs:
        if value not in (None, ""):
            out.print(f"{escape(label)}: {escape(value)}")


def heading(bold: str, rest: str = "") -> None:
    console().print(f"[bold]{escape(bold)}[/bold]  {escape(rest)}".rstrip())


def line(text: str) -> None:
    console().print(escape(text))


def console(stderr: bool = False):
    stream = sys.stderr if stderr else sys.stdout
    return _console_class()(stderr=stderr, highlight=False, soft_wrap=False,
                            width=None if stream.isatty() else 120)


@functools.cache
def _console_class():
    from rich.console import Console

    class Quiet(Console):
        """Rich's console, ending as plain output does when the reader has gone (`gridctl score |
        head`): exit 0, like `guarded`'s BrokenPipeError (rich's own exits 1, saying nothing)."""

        def on_broken_pipe(self) -> None:
            from gridctl.cli.common import stdout_gone

            self.quiet = True
            stdout_gone()
            raise typer.Exit(0)

    return Quiet


def quiet(as_json: bool = False) -> bool:
    """No progress under --json, nor when stderr is not a terminal (a pipe, a log, a test)."""
    return as_json or not sys.stderr.isatty()


@contextmanager
def progress(key: str, as_json: bool = False, total: int | None = None, **params) -> Iterator[Meter]:
    """A progress bar on stderr for a command that may take seconds; yields the `Meter` to hand
    to the core (`gridctl/progress.py`), which tells it how much there is and how much is done.

    Until the core says how much there is, the bar pulses and counts what is done (`1200/?`)."""
    if quiet(as_json):
        yield QUIET
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from gridctl.forked import pausing

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=console(stderr=True), transient=True, auto_refresh=False) as bar:
        task = bar.add_task(t(key, **params), total=total)
        ticking = _Ticking(bar.refresh)
        with ticking, pausing(ticking.stop, ticking.start):
            yield Meter(total=lambda n: bar.update(task, total=n, completed=0),  # a new stage starts at 0
                        step=lambda n: bar.advance(task, n))


class _Ticking:
    """The bar redrawn four times a second (its pulse, its clock) by a thread of gridctl's own
    rather than rich's: a command that forks (`gridctl.forked.fork`) stops it for the fork, which
    happens only while no other thread runs, and starts it again after."""

    def __init__(self, redraw) -> None:
        self.redraw = redraw
        self.thread: threading.Thread | None = None
        self.done = threading.Event()

    def start(self) -> None:
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(self.done,), name="gridctl-progress", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Ended (it returns once the thread has)."""
        if self.thread is not None:
            self.done.set()
            self.thread.join()
            self.thread = None

    def _run(self, done: threading.Event) -> None:
        from gridctl.interrupts import leave_to_main_thread

        leave_to_main_thread()
        while not done.wait(0.25):
            self.redraw()

    def __enter__(self) -> _Ticking:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
