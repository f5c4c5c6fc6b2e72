"""The root `gridctl` app: global options, then every command from ONE static table.

How to add a command (the only way): write it in a module of `gridctl/cli/` on that module's
`app = common.group()` (`@app.command()` or `app.command("name")(fn)`), then add one line to
`COMMANDS` below. A group line (`Group`) puts the module's whole app under a name
(`gridctl issue …`); a command line (`Command`) takes one command of the module's app to the root
(`gridctl init`). Nothing else registers commands: the root never imports a command module until
that command is invoked, so `gridctl issue add` builds the issue group only, and `gridctl --help`
lists this table without importing any of them.
"""

from __future__ import annotations

import copy
import functools
import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl import __version__
from gridctl.cli import common
from gridctl.messages import set_lang
from gridctl.paths import db_path


@dataclass(frozen=True)
class Group:
    """`gridctl NAME …`: the `app` of each module, merged in order, as one command group."""

    modules: tuple[str, ...]
    help: str


@dataclass(frozen=True)
class Command:
    """`gridctl NAME`: the command NAME of the module's `app`, at the root."""

    module: str
    help: str


def _group(*modules: str, help: str) -> Group:
    return Group(tuple(f"gridctl.cli.{m}" for m in modules), help)


def _command(module: str, help: str) -> Command:
    return Command(f"gridctl.cli.{module}", help)


COMMANDS: dict[str, Group | Command] = {
    "init": _command("setup", "创建空台账 / Create an empty ledger for one platform."),
    "check": _command("setup", "检查 YAML 定义, 列出全部问题 / Validate a folder of YAML; list every problem."),
    "load": _command("setup", "检查并载入 YAML 定义 (幂等, 保留岗位历史) / Validate, then load the YAML."),
    "verify": _command("verify", "核验事件链 / Verify the event log: exit 0 when whole, else the first change."),
    "bundle": _command("exchange", "打包本台账上级尚未有的事件 / Write the events the platform above lacks."),
    "merge": _command("exchange", "合并数据包, 全部无误才写入 / Merge a bundle, all or nothing."),
    "status": _command("exchange", "各下级平台最近一次上报与合并 / Which offices below handed up, and when."),
    "backup": _command("backup", "备份台账 (他人写入时亦可), 核验后写成 / Back the ledger up, verified."),
    "restore": _command("backup", "从核验过的备份恢复台账 / Restore the ledger from a verified backup."),
    "demo": _command("demo", "生成模拟城市; 可载入台账并生成一年的问题 / Write a synthetic city."),
    "serve": _command("serve", "领导查看窗口: 浏览器中只读查看台账 / Read-only web view of the ledger."),
    "grid": _group("grid", help="网格树与网格详情 / the grid tree and one node in full"),
    "duty": _group("duty", help="职责查询 / who is responsible for what, where"),
    "issue": _group("issue", "issue_read", help="问题台账 / the issue ledger: add, move, list, import, export"),
    "patrol": _group("patrol", help="巡查 / patrols: add, list, import, missing, void"),
    "meeting": _group("conduct:meeting", help="会议: 碰头会、民情分析会 / meetings held and missed"),
    "attendance": _group("conduct:attendance", help="出勤: 请假、销假、不在岗、督查通报 / attendance"),
    "study": _group("conduct:study", help="学习、汇报、会议、巡查参加情况 / study and participation"),
    "publicity": _group("conduct:publicity", help="宣传报道 / publicity items"),
    "survey": _group("conduct:survey", help="民意测评 / opinion surveys"),
    "report": _group("report", help="报表 / weekly and monthly reports and the public notice"),
    "score": _group("score", help="考核 / the assessment: score, explain, approve, flag"),
    "register": _group("register", help="基础信息与民情档案 / the base register: households, residents, places, orgs"),
}


def _module_app(where: str) -> typer.Typer:
    """`gridctl.cli.issue` → its `app`; `gridctl.cli.conduct:meeting` → its `meeting`."""
    module, _, attr = where.partition(":")
    return getattr(importlib.import_module(module), attr or "app")


def _converter(owner: typer.Typer, info) -> Callable[[], object]:
    def convert():
        command = typer.main.get_command_from_info(
            info, pretty_exceptions_short=owner.pretty_exceptions_short, rich_markup_mode=owner.rich_markup_mode)
        command.context_class = common.Context  # its --help in the clerk's language
        return command

    return convert


def _command_makers(apps: list[typer.Typer]) -> dict[str, Callable[[], object]]:
    """Each command of these apps by its command-line name, as a function that converts it."""
    return {info.name or typer.main.get_command_name(_callback(info).__name__): _converter(owner, info)
            for owner in apps for info in owner.registered_commands}


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
    group.commands = Lazy(_command_makers(apps))  # type: ignore[assignment]
    group.name = name
    group.help = group.help or entry.help
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
    help="网格化管理工具: 网格、岗位、职责、问题台账、巡查、报表与考核。 / "
         "Grid-based community governance: grids, posts, duties, issue ledgers, patrols, "
         "reports and assessment.\n\n"
         "Example: gridctl --db city.db load examples/zhengzhou && gridctl --db city.db grid tree",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gridctl {__version__}")
        raise typer.Exit()


def _lang(value: common.Lang) -> str:
    """`--lang` is read first (eager), so that `gridctl --lang en --help` is in English."""
    set_lang(value.value)
    return value.value  # Typer converts the callback's result to the enum again


@app.callback()
def main(
    db: Annotated[Optional[Path], typer.Option(
        "--db", envvar="GRIDCTL_DB", help="台账文件 (默认 ./gridctl.db) / ledger file (default ./gridctl.db)")] = None,
    lang: Annotated[common.Lang, typer.Option(
        "--lang", envvar="GRIDCTL_LANG", is_eager=True, callback=_lang,  # before an eager --help
        help="语言 / language of messages")] = common.Lang.zh,
    by: Annotated[Optional[str], typer.Option(
        "--by", envvar="GRIDCTL_USER", help="操作人 / who is acting")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="显示版本 / show the version")] = False,
) -> None:
    """Global options come before the command: gridctl --db x.db --lang en grid tree"""
    common.STATE.db = db_path(str(db) if db else None)
    common.STATE.by = by
    set_lang(lang.value)
