"""The root `gridctl` app: global options, then one small Typer per command group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl import __version__
from gridctl.cli import (
    common, conduct, demo, duty, exchange, grid, issue, issue_read, patrol, report, score, setup, verify,
)
from gridctl.messages import set_lang
from gridctl.paths import db_path

app = common.group(
    name="gridctl",
    help="网格化管理工具: 网格、岗位、职责、问题台账、巡查、报表与考核。\n\n"
         "Grid-based community governance: grids, posts, duties, issue ledgers, patrols, "
         "reports and assessment.\n\n"
         "Example: gridctl --db city.db load examples/zhengzhou && gridctl --db city.db grid tree",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gridctl {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    db: Annotated[Optional[Path], typer.Option(
        "--db", envvar="GRIDCTL_DB", help="台账文件 / ledger file [default: ./gridctl.db]")] = None,
    lang: Annotated[common.Lang, typer.Option(
        "--lang", envvar="GRIDCTL_LANG", help="语言 / language of messages")] = common.Lang.zh,
    by: Annotated[Optional[str], typer.Option(
        "--by", envvar="GRIDCTL_USER", help="操作人 / who is acting")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="显示版本 / show the version")] = False,
) -> None:
    """Global options come before the command: gridctl --db x.db --lang en grid tree"""
    common.STATE.db = db_path(str(db) if db else None)
    common.STATE.by = by
    set_lang(lang.value)


setup.register(app)
verify.register(app)
exchange.register(app)
demo.register(app)
issue_read.register(issue.app)
app.add_typer(grid.app, name="grid", help="网格树与网格详情 / the grid tree and one node in full")
app.add_typer(duty.app, name="duty", help="职责查询 / who is responsible for what, where")
app.add_typer(issue.app, name="issue", help="问题台账 / the issue ledger: add, move, list, import, export")
app.add_typer(patrol.app, name="patrol", help="巡查 / patrols: add, list, import, missing, void")
for _name, (_group, _help) in conduct.GROUPS.items():
    app.add_typer(_group, name=_name, help=_help)
app.add_typer(report.app, name="report", help="报表 / weekly and monthly reports and the public notice")
app.add_typer(score.app, name="score", help="考核 / the assessment: score, explain, approve, flag")
