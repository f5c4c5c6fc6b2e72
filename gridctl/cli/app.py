"""The root `gridctl` app: global options, then every command from ONE static table.

How to add a command (the only way): write it in a module of `gridctl/cli/` on that module's
`app = common.group()` (`@app.command()` or `app.command("name")(fn)`), then add one line to
`COMMANDS` below. A group line (`Group`) puts the module's whole app under a name
(`gridctl issue …`); a command line (`Command`) takes one command of the module's app to the root
(`gridctl init`). Nothing else registers commands: the root never imports a command module until
that command is invoked, so `gridctl issue add` builds the issue group only, and `gridctl --help`
lists this table without importing any of them.

Its help goes into the catalogue (gridctl/messages.py), Chinese and English: `root.<name>` for the
table's line, `cmd.<path>` (`cmd.issue.add`) for its page, which `build` gives the command from its
place (the function has no docstring), and an `opt.…`/`arg.…` key as each option's `help=`.

No `from __future__ import annotations` here (nor in cli/issue.py, cli/issue_read.py): Typer would
parse the root options' annotations from their text at every start.
"""

import copy
import functools
import importlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, NamedTuple, Optional

import typer

from gridctl import __version__
from gridctl.cli import common
from gridctl.messages import CATALOGUE, set_lang
from gridctl.paths import db_path


class Group(NamedTuple):
    """`gridctl NAME …`: the `app` of each module, merged in order, as one command group.
    (Named tuples, not dataclasses: a dataclass compiles its methods from source at every start.)"""

    modules: tuple[str, ...]
    help: str


class Command(NamedTuple):
    """`gridctl NAME`: the command NAME of the module's `app`, at the root."""

    module: str
    help: str


def _group(*modules: str, help: str) -> Group:
    return Group(tuple(f"gridctl.cli.{m}" for m in modules), help)


def _command(module: str, help: str) -> Command:
    return Command(f"gridctl.cli.{module}", help)


COMMANDS: dict[str, Group | Command] = {
    "init": _command("setup", "root.init"),
    "check": _command("setup", "root.check"),
    "load": _command("setup", "root.load"),
    "verify": _command("verify", "root.verify"),
    "bundle": _command("exchange", "root.bundle"),
    "merge": _command("exchange", "root.merge"),
    "status": _command("exchange", "root.status"),
    "backup": _command("backup", "root.backup"),
    "restore": _command("backup", "root.restore"),
    "demo": _command("demo", "root.demo"),
    "serve": _command("serve", "root.serve"),
    "grid": _group("grid", help="root.grid"),
    "duty": _group("duty", help="root.duty"),
    "issue": _group("issue", "issue_read", help="root.issue"),
    "patrol": _group("patrol", help="root.patrol"),
    "meeting": _group("conduct:meeting", help="root.meeting"),
    "attendance": _group("conduct:attendance", help="root.attendance"),
    "study": _group("conduct:study", help="root.study"),
    "publicity": _group("conduct:publicity", help="root.publicity"),
    "survey": _group("conduct:survey", help="root.survey"),
    "report": _group("report", help="root.report"),
    "score": _group("score", help="root.score"),
    "register": _group("register", help="root.register"),
}


def _module_app(where: str) -> typer.Typer:
    """`gridctl.cli.issue` → its `app`; `gridctl.cli.conduct:meeting` → its `meeting`."""
    module, _, attr = where.partition(":")
    return getattr(importlib.import_module(module), attr or "app")


def _converter(owner: typer.Typer, info, key: str) -> Callable[[], object]:
    def convert():
        command = typer.main.get_command_from_info(
            info, pretty_exceptions_short=owner.pretty_exceptions_short, rich_markup_mode=owner.rich_markup_mode)
        command.context_class = common.Context  # its --help in the clerk's language
        command.help = key                      # its help page: the catalogue's `cmd.<its path>`
        return command

    return convert


def _command_makers(apps: list[typer.Typer], group: str | None = None) -> dict[str, Callable[[], object]]:
    """Each command of these apps by its command-line name, as a function that converts it."""
    makers = {}
    for owner in apps:
        for info in owner.registered_commands:
            name = info.name or typer.main.get_command_name(_callback(info).__name__)
            makers[name] = _converter(owner, info, f"cmd.{group}.{name}" if group else f"cmd.{name}")
    return makers


def _callback(info) -> Callable:
    """A registered command's function (every command here is registered with one)."""
    assert info.callback is not None, f"command {info.name} has no function"
    return info.callback


def build(name: str, entry: Group | Command):
    """The click command for one table line: imports that line's modules, converts on demand."""
    if isinstance(entry, Command):
        return _command_makers([_module_app(entry.module)])[name]()
    apps = [_module_app(m) for m in entry.modules]
    shell = copy.copy(apps[0])  # the group itself (options, callback) without its commands
    shell.registered_commands = []
    shell.info = copy.copy(shell.info)
    shell.info.cls = common.Group  # its help in the clerk's language
    group = typer.main.get_group(shell)
    group.commands = Lazy(_command_makers(apps, name))  # type: ignore[assignment]
    group.name = name
    group.help = f"cmd.{name}" if f"cmd.{name}" in CATALOGUE else entry.help   # its own page (score) or the table's line
    return group


class Lazy(Mapping):
    """Sub-commands by name, each built on its first look-up (listing names builds nothing)."""

    def __init__(self, makers: dict[str, Callable[[], object]]) -> None:
        self._makers = makers
        self._built: dict[str, object] = {}

    def __getitem__(self, name: str):
        if name not in self._built:
            self._built[name] = self._makers[name]()
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


class LazyGroup(common.Root):
    """The root group: lists `COMMANDS` without importing them; builds the invoked one
    (usage errors in the clerk's language: `common.Root`)."""

    def __init__(self, **attrs) -> None:
        super().__init__(**attrs)
        self.commands = Lazy({name: functools.partial(build, name, entry)  # type: ignore[assignment]
                              for name, entry in COMMANDS.items()})

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def format_commands(self, ctx, formatter) -> None:
        rows = [(name, entry.help) for name, entry in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = common.group(
    name="gridctl",
    cls=LazyGroup,
    add_completion=True,  # gridctl --install-completion (bash, zsh, fish, PowerShell)
    help="cmd.gridctl",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gridctl {__version__}")
        raise typer.Exit()


def _lang(value: common.Lang) -> str:
    """`--lang` is read first (eager), so that `gridctl --lang en --help` is in English."""
    set_lang(value.value)
    return value.value  # Typer converts the callback's result to the enum again


MAKERS = frozenset({"init", "load", "restore", "demo"})
"""The commands that make a ledger when --db names none; every other refuses a missing one."""


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[Optional[Path], typer.Option(
        "--db", envvar="GRIDCTL_DB", help="opt.app.db")] = None,
    lang: Annotated[common.Lang, typer.Option(
        "--lang", envvar="GRIDCTL_LANG", is_eager=True, callback=_lang,  # before an eager --help
        case_sensitive=False,                                            # GRIDCTL_LANG=EN as en
        help="opt.lang")] = common.Lang.zh,
    by: Annotated[Optional[str], typer.Option(
        "--by", envvar="GRIDCTL_USER", help="opt.by")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="opt.version")] = False,
) -> None:
    """Global options come before the command: gridctl --db x.db --lang en grid tree"""
    from gridctl.ledger.db import makes_ledgers

    common.STATE.db = db_path(str(db) if db else None)
    common.STATE.by = by
    set_lang(lang.value)
    makes_ledgers(ctx.invoked_subcommand in MAKERS)     # `--db jingbalu.bd issue list`: refused, not made
    ctx.call_on_close(lambda: makes_ledgers(True))
