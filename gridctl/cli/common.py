"""What every command shares: the global state, output helpers and the error edge."""

from __future__ import annotations

import codecs
import errno
import functools
import io
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import NoReturn

import typer
from typer._click import core as click_core
from typer._click import exceptions as ce  # Typer re-exports none of them (typer discussion #1832)
from typer.core import TyperGroup

from gridctl.errors import GridctlError, InputProblems
from gridctl.messages import t


class Lang(str, Enum):
    zh = "zh"
    en = "en"


@dataclass
class State:
    db: Path = Path("gridctl.db")
    by: str | None = None


STATE = State()

JsonOption = typer.Option("--json", help="opt.json")
AsOfOption = typer.Option("--as-of", help="opt.common.as_of")


class Context(click_core.Context):
    """Help pages in the clerk's language: `cli/helptext.py`, imported when one is shown."""

    def make_formatter(self):
        from gridctl.cli.helptext import Formatter

        return Formatter(width=self.terminal_width, max_width=self.max_content_width)

    def __exit__(self, exc_type, exc_value, tb):
        """Click's parser says an option missing its value (`--days` last) naming no command:
        it is this context's, so the error is said with its `--help` line as the others are."""
        if isinstance(exc_value, ce.UsageError) and exc_value.ctx is None:
            exc_value.ctx = self
        return super().__exit__(exc_type, exc_value, tb)


class Group(TyperGroup):
    """A command group whose help (and each command's line in it) is in the clerk's language."""

    context_class = Context

    def format_commands(self, ctx, formatter) -> None:
        from gridctl.cli.helptext import help_text
        from typer._click.utils import make_default_short_help

        helps = {}
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                helps[name] = help_text(command.help or "")  # one language first, then shortened
        if helps:
            limit = formatter.width - 6 - max(len(name) for name in helps)
            rows = [(name, make_default_short_help(text, limit)) for name, text in helps.items()]
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def group(**kwargs) -> typer.Typer:
    """A command group. Help is plain text: rich-formatted help costs ~50 ms at every start."""
    kwargs.setdefault("add_completion", False)  # only the root offers --install-completion
    return typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                       pretty_exceptions_enable=False, **kwargs)


def named(name: str | None, code: str | None) -> str | None:
    """`金水区城管执法局 (CG105)`: the name a clerk reads, with the code a clerk types."""
    if not code:
        return None
    return f"{name} ({code})" if name and name != code else code


def err(message: str) -> None:
    typer.echo(message, err=True)


def show_encoding(encoding: str | None) -> None:
    """Tell the clerk which encoding a CSV was read in (UTF-8, UTF-8 BOM or GB18030)."""
    if encoding:
        typer.echo(t("sheet.encoding", encoding=encoding))


INDENT_BELOW = 1 << 20  # characters: a longer document prints compact (json's indent is pure Python)


def emit_json(data) -> None:
    """One JSON document: indented for reading, or compact past 1 MiB (a city's 88k-row listing
    took 4 s to indent, 0.4 s compact). A top-level value given as an iterator (a city's score
    members) is written item by item, never held whole: the same text as its list would give."""
    if isinstance(data, dict) and any(isinstance(v, Iterator) for v in data.values()):
        _emit_streamed(data)
        return
    plain = not utf8_stdout()      # ASCII escapes where stdout cannot carry every character
    text = json.dumps(data, ensure_ascii=plain, default=str)
    if len(text) < INDENT_BELOW:
        text = json.dumps(data, ensure_ascii=plain, indent=2, default=str)
    typer.echo(text)


def _json_pieces(data: dict) -> Iterator[str]:
    """`json.dumps(data)`'s compact text in pieces, an iterator value as the list of what it yields."""
    dumps = functools.partial(json.dumps, ensure_ascii=not utf8_stdout(), default=str)
    yield "{"
    for n, (key, value) in enumerate(data.items()):
        yield f"{', ' if n else ''}{dumps(key)}: "
        if not isinstance(value, Iterator):
            yield dumps(value)
            continue
        yield "["
        for i, item in enumerate(value):
            yield f"{', ' if i else ''}{dumps(item)}"
        yield "]"
    yield "}"


def _emit_streamed(data: dict) -> None:
    """`emit_json` of a document with iterator values: held until it passes `INDENT_BELOW` (a
    shorter one is read back and indented, as ever), then written in pieces as it is made."""
    held: list[str] = []
    size, flowing = 0, False
    for piece in _json_pieces(data):
        held.append(piece)
        size += len(piece)
        if size >= INDENT_BELOW:
            typer.echo("".join(held), nl=False)
            held.clear()
            size, flowing = 0, True
    if flowing:
        typer.echo("".join(held))
    else:
        typer.echo(json.dumps(json.loads("".join(held)), ensure_ascii=not utf8_stdout(), indent=2))


def report_problems(exc: InputProblems, as_json: bool) -> None:
    if as_json:
        emit_json([p.to_dict() for p in exc.problems])
    else:
        for problem in exc.problems:
            err(str(problem))
    err(t("check.problems", n=len(exc.problems)))


def refuse(exc: GridctlError, as_json: bool) -> None:
    """A refusal, worded once here in the language in force: on stderr, and with `--json` also as
    `{"error": {"code", "params", "message"}}` on stdout (the code is the catalogue key)."""
    if as_json:
        emit_json({"error": exc.to_dict()})
    err(f"{t('error.prefix')}: {exc}")


def _option_name(fn, param: str) -> str:
    """`--limit` for the parameter `limit`, an argument as its usage line shows it (`{问题编号}`,
    `{issue}`: it said `ISSUE`, English on the Chinese screen), for a refusal message."""
    import typing

    from gridctl.cli.helptext import argument

    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception:  # noqa: BLE001 - only the message's wording depends on it
        return "{" + argument(param) + "}"
    for meta in getattr(hints.get(param), "__metadata__", ()):
        # with Annotated, typer keeps the first declaration in `default`
        decls = [d for d in (getattr(meta, "default", None), *(getattr(meta, "param_decls", None) or ()))
                 if isinstance(d, str) and d.startswith("--")]
        if decls:
            return decls[0]
    return "{" + argument(param) + "}"


OUTPUTS = ("output", "receipt")
"""Parameters naming a file a command writes: checked before the command does any work."""


def check_arguments(fn, kwargs: dict, outputs: tuple[str, ...] = OUTPUTS) -> dict:
    """The edge for every command: text without control characters (a non-UTF-8 argument
    arrives as lone surrogates), integers that SQLite and the calendar can hold. Returns the
    arguments with the zero-width characters of their text dropped (`bounds.visible`; a file
    name, a `Path`, is taken as given: it names what is on the disk)."""
    from gridctl import bounds

    from gridctl.outfile import check_not_a_database, check_portable_name, check_target

    bounds.text(str(STATE.db), "--db")              # the global options (set in the root callback)
    _db_named()
    if STATE.by is not None:
        STATE.by = bounds.text(bounds.visible_given(STATE.by, "--by"), "--by")
    checked = {}
    for name, value in kwargs.items():
        if name in outputs and value is not None:
            _not_written_as_a_folder(fn, name)
            bounds.file_name(str(value), _option_name(fn, name))
            check_portable_name(value, _option_name(fn, name))
            if name in OUTPUTS:     # a report, a bundle, a receipt; not backup's copy (its own checks)
                _not_onto_the_ledger(value)
            _not_onto_an_input(fn, name, value, kwargs)
            check_target(value)
            if name in OUTPUTS:
                check_not_a_database(value)
        try:
            checked[name] = _checked(value, name)
        except bounds.OutOfRange as exc:
            raise bounds.OutOfRange(_option_name(fn, name), exc.what, **exc.params) from None
    return checked


def _db_named() -> None:
    """`--db ''` (a script's unset variable: `--db "$LEDGER"`) is said as no ledger named, not as
    `. 是文件夹, 不是台账文件` (Path("") is the current folder)."""
    from typer._click.globals import get_current_context

    from gridctl.outfile import FileRefused

    context = get_current_context(silent=True)
    if context is not None and context.find_root().params.get("db") == "":
        raise FileRefused("file.no_name", field="--db")


def _not_written_as_a_folder(fn, name: str) -> None:
    """An output written as a folder (`-o newdir/`, `backup 备份/`) is refused as a folder that
    exists is (`file.is_dir`: give a file name): Typer's Path drops the trailing slash, and a file
    `newdir` was written. An empty one (`-o ''`, the current folder to Path) is said as empty. The text as typed is the context's parameter, before Typer makes it a Path."""
    from typer._click.globals import get_current_context

    from gridctl.outfile import FileRefused

    context = get_current_context(silent=True)
    typed = context.params.get(name) if context else None
    if typed == "":         # Path("") is the current folder: said as that, a folder
        raise FileRefused("file.no_name", field=_option_name(fn, name))
    if isinstance(typed, str) and typed.endswith(("/", os.sep)):
        raise FileRefused("file.written_as_folder", field=_option_name(fn, name), path=typed)


def _not_onto_an_input(fn, name: str, output, kwargs: dict) -> None:
    """An output never replaces a file the same command reads: `merge 经八路.jsonl.gz --receipt
    经八路.jsonl.gz` merged, then wrote the receipt over the bundle (exit 0, the bundle gone);
    `bundle -o 回执.json --since 回执.json` the bundle over the receipt the next week needs."""
    from gridctl.outfile import FileRefused, same_file

    for other, given in kwargs.items():
        if other != name and isinstance(given, Path) and same_file(output, given):
            raise FileRefused("file.onto_input", field=_option_name(fn, name), path=output,
                              input=_option_name(fn, other))


def _not_onto_the_ledger(output) -> None:
    """An output never names the ledger in use, its key or its journal: `bundle -o gridctl.db`
    replaced the ledger with the bundle."""
    from gridctl.backup import is_own_file
    from gridctl.outfile import FileRefused

    if is_own_file(STATE.db, output):
        raise FileRefused("file.onto_ledger", path=output)


def _checked(value, name: str):
    """One argument's value checked (each of a list's), its text without zero-width characters."""
    from gridctl import bounds

    if isinstance(value, (list, tuple)):
        return type(value)(_checked(one, name) for one in value)
    if type(value) is str:
        return bounds.text(bounds.visible_given(value, name), name)
    if isinstance(value, (str, Path)):
        bounds.text(str(value), name)
    elif isinstance(value, int) and not isinstance(value, bool):
        bounds.integer(value, name)
    return value


def _release(exc: BaseException) -> None:
    """Free what the failed command held (a half-written workbook's open generators) now and
    quietly, instead of openpyxl's "Exception ignored … closed file" at exit."""
    import gc
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        seen: BaseException | None = exc
        for _ in range(8):                           # the chain: the OSError behind a refusal too
            if seen is None:
                break
            traceback.clear_frames(seen.__traceback__)
            seen = seen.__context__ or seen.__cause__
        gc.collect()
    finally:
        sys.unraisablehook = hook


def guarded(json_flag: str | None = "as_json", outputs: tuple[str, ...] = OUTPUTS):
    """Translate domain errors into one message on stderr and exit 1 (3 for our own bugs).

    `GRIDCTL_DEBUG=1` lets the real exception through, traceback and all.
    """

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            from gridctl.interrupts import terminate_as_interrupt
            from gridctl.ledger.db import forget_writing
            from gridctl.outfile import watch_size_limit

            watch_size_limit()
            forget_writing()
            stdout_whole()
            stdout_lenient()
            terminate_as_interrupt()
            try:
                kwargs = check_arguments(fn, kwargs, outputs)
                done = fn(*args, **kwargs)
                say_replaced()
                return done
            except InputProblems as exc:
                if os.environ.get("GRIDCTL_DEBUG"):
                    raise
                report_problems(exc, bool(kwargs.get(json_flag)) if json_flag else False)
                raise typer.Exit(1) from None
            except GridctlError as exc:
                if os.environ.get("GRIDCTL_DEBUG"):
                    raise
                refuse(_size_limited(exc), bool(json_flag and kwargs.get(json_flag)))
                _release(exc)
                raise typer.Exit(1) from None
            except KeyboardInterrupt:   # Ctrl+C, or SIGTERM (interrupts): all rolled back by now
                from gridctl.interrupts import exit_status, quiet_from_now

                quiet_from_now()
                err(t("usage.interrupted"))
                raise typer.Exit(exit_status()) from None
            except (typer.Exit, typer.Abort, ce.UsageError):   # a usage error: said by Root.main, exit 2
                raise
            except BrokenPipeError:  # `gridctl issue list | head`: the reader has gone
                stdout_gone()
                raise typer.Exit(0) from None
            except OSError as exc:  # a file the command was given: missing, a folder, no room, …
                from gridctl.outfile import FileRefused, file_error

                if os.environ.get("GRIDCTL_DEBUG"):
                    raise
                if _stdout_failed(exc):  # `--json > full-disk/out.json`
                    said = FileRefused("file.stdout", error=exc.strerror or exc)
                    refuse(_size_limited(said), False)   # stderr only
                    raise typer.Exit(1) from None
                refuse(file_error(exc), bool(json_flag and kwargs.get(json_flag)))
                raise typer.Exit(1) from None
            except Exception as exc:  # noqa: BLE001 - the last edge before a traceback
                from gridctl.ledger.db import environment_error

                known = environment_error(exc, STATE.db)
                if known and not os.environ.get("GRIDCTL_DEBUG"):
                    refuse(_size_limited(known), bool(json_flag and kwargs.get(json_flag)))
                    raise typer.Exit(1) from None
                if os.environ.get("GRIDCTL_DEBUG"):
                    raise
                err(t("error.unexpected", error=f"{type(exc).__name__}: {exc}"))
                raise typer.Exit(3) from None

        return wrapper

    return decorate


def _size_limited(refusal: GridctlError) -> GridctlError:
    """The refusal a write stopped by the file size limit (`ulimit -f`) led to, said as that:
    SQLite words it as a disk I/O error, a backup as a damaged copy, printed output as a fault."""
    from gridctl.outfile import size_limit_refusal

    if refusal.code in ("file.size_limit", "ledger.size_limit", "ledger.size_limit_temp", "file.stdout_size_limit"):
        return refusal
    if refusal.code == "file.stdout":
        return size_limit_refusal(key="file.stdout_size_limit") or refusal
    if refusal.code and refusal.code.startswith("ledger."):
        return size_limit_refusal(refusal.params.get("path") or STATE.db, _ledger_limit_key()) or refusal
    path = refusal.params.get("path") or refusal.params.get("file")
    limited = size_limit_refusal(path) if path else size_limit_refusal(STATE.db, _ledger_limit_key())
    return limited or refusal


def _ledger_limit_key() -> str:
    """A command that began writing the ledger met the limit there (`ledger.size_limit`); one that
    had not (a list, a search; any command as it opens the ledger) met it in a file SQLite writes
    beside its reading: a large sort's temporary file, the ledger's `-shm` (`ledger.size_limit_temp`)."""
    from gridctl.ledger.db import began_writing

    return "ledger.size_limit" if began_writing() else "ledger.size_limit_temp"


_OUTPUT_FAULTS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF}


def _stdout_failed(exc: OSError) -> bool:
    """Whether what the command printed could not be written (`--json > out.json` on a full disk,
    a closed stdout): a write fault naming no file (the files a command writes go through
    `outfile.replacing`, whose faults name them). Stdout is then pointed at /dev/null, so neither
    the refusal nor the flush at exit tries it again and ends in a traceback."""
    if exc.filename is not None or exc.errno not in _OUTPUT_FAULTS:
        return False
    stdout_gone()
    return True


class _WholeWrites(io.FileIO):
    """Unbuffered stdout (`PYTHONUNBUFFERED=1`, `python -u`) that writes each piece whole. Python's
    own is this file under a text layer that ignores how much a write took: a write the file
    system cut short (stdout redirected to a file at `ulimit -f`) lost its rest silently and the
    command ended 0 with its output cut. Here the rest is written again, and that write's failure
    (EFBIG, ENOSPC) is raised, as a buffered stdout's flush raises it, and said (`_stdout_failed`)."""

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            written = super().write(view[done:])
            if not written:         # None: a non-blocking stdout that would block (as Python's own: left)
                break
            done += written
        return done


def stdout_whole() -> None:
    """Unbuffered stdout made to write whole (`_WholeWrites`); a buffered one (the default) already
    does, in its flush, and a test runner's captured stdout is left alone."""
    out = sys.stdout
    if type(getattr(out, "buffer", None)) is not io.FileIO:
        return
    raw = _WholeWrites(out.fileno(), "w", closefd=False)
    sys.stdout = io.TextIOWrapper(raw, encoding=out.encoding, errors=out.errors, newline="\n",
                                  line_buffering=bool(out.line_buffering), write_through=True)


def utf8_stdout() -> bool:
    """Whether stdout carries every character: its encoding is UTF-8 (a terminal, a pipe on Linux,
    a test's capture), not GBK (a pipe or file on a Chinese Windows) or ASCII."""
    try:
        return codecs.lookup(getattr(sys.stdout, "encoding", None) or "utf-8").name.startswith("utf-8")
    except LookupError:
        return False


def stdout_lenient() -> None:
    """A stdout that cannot carry every character writes `?` for one it cannot encode (an emoji
    pasted into a title, on a GBK stdout), where `issue list` ended in 内部错误: UnicodeEncodeError,
    exit 3; `--json` is written in ASCII escapes there (`emit_json`), so the document stays exact.
    The characters so replaced are counted, and said once the command is done (`say_replaced`):
    a `--csv` written so and imported again would not be the ledger's text."""
    if not utf8_stdout() and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors=_REPLACING)


_REPLACING = "gridctl.replace"
_replaced = [0]


def _replace(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeEncodeError), "registered for stdout's encoding only"
    _replaced[0] += exc.end - exc.start
    return "?" * (exc.end - exc.start), exc.end


codecs.register_error(_REPLACING, _replace)


def say_replaced() -> None:
    """After a command: how many characters stdout could not hold and wrote as `?`, if any."""
    if _replaced[0]:
        sys.stdout.flush()
        err(t("output.replaced", n=_replaced[0], encoding=getattr(sys.stdout, "encoding", "")))
        _replaced[0] = 0


def usage_error(message: str) -> NoReturn:
    """A usage error a command finds itself (one of two options needed): said as Typer's own are
    (`错误: …`, the help hint, `{"error": …}` under --json: cli/usage.py), exit 2."""
    from typer._click.globals import get_current_context

    raise ce.UsageError(message, ctx=get_current_context(silent=True))


def stdout_gone() -> None:
    """Point stdout at /dev/null: its reader has gone or its disk refused it, so neither a later
    print nor the flush at exit tries it again (and ends in a traceback)."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class Root(TyperGroup):
    """The root group: usage errors rendered from the catalogue (cli/usage.py, imported only
    when there is one), exit codes as before; help in the clerk's language (`Context`)."""

    context_class = Context

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ce.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except ce.UsageError as exc:
            from gridctl.cli import usage

            usage.show(exc, sys.argv[1:] if args is None else [str(a) for a in args])
            sys.exit(exc.exit_code)
        except ce.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo(t("usage.aborted"), err=True)
            sys.exit(1)
        if result == 130:    # Typer's status for a KeyboardInterrupt met outside `guarded`: SIGTERM's is 143
            from gridctl.interrupts import exit_status

            result = exit_status()
        sys.exit(result if isinstance(result, int) else 0)
