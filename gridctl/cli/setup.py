"""`init`, `check`, `load`: create a ledger and bring the YAML definitions into it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, AsOfOption, JsonOption, emit_json, guarded, group
from gridctl.cli.render import progress
from gridctl.messages import t

FolderArg = typer.Argument(help="arg.folder")


@guarded()
def init(
    node: Annotated[Optional[str], typer.Option(
        "--node", help="opt.node")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.ledger import init_ledger

    node, created = init_ledger(STATE.db, node)
    if as_json:
        emit_json({"db": str(STATE.db), "node": node, "created": created})
        return
    key = "ledger.created" if created else "ledger.exists"
    typer.echo(t(key, path=STATE.db, node=node or t("ledger.city")))


@guarded()
def check(folder: Annotated[Path, FolderArg], as_json: Annotated[bool, JsonOption] = False) -> None:
    from gridctl.config.yamlread import yaml_files
    from gridctl.loading import check_folder

    check_folder(folder)
    if as_json:
        emit_json([])
    else:       # the files check read (a glob of *.y*ml counted notes.yes.html, not JINSHUI.YAML)
        typer.echo(t("check.ok", files=sum(p.is_file() for p in yaml_files(folder))))


@guarded()
def load(
    folder: Annotated[Path, FolderArg],
    as_of: Annotated[Optional[str], AsOfOption] = None,
    retire_districts: Annotated[bool, typer.Option("--retire-districts", help="opt.setup.load.retire_districts")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.loading import load_folder

    with progress("progress.load", as_json) as meter:
        summary = load_folder(STATE.db, folder, as_of, meter, retire_districts)
    if as_json:
        emit_json(summary.to_dict())
        return
    typer.echo(t("load.done" if summary.changed else "load.no_change", folder=folder))
    _print_summary(summary)


def _print_summary(summary) -> None:
    from gridctl.cli import render

    heads = ("load.summary_head", "load.total", "load.added", "load.changed", "load.ended")
    rows = [[t(f"table.{name}"), *(c[k] for k in ("total", "added", "changed", "ended"))]
            for name, c in summary.counts.items()]
    render.table([t(h) for h in heads], rows, right=(1, 2, 3, 4))
    typer.echo("  ".join(f"{t('level.' + k)} {v}" for k, v in summary.levels.items() if v))


app = group()
app.command()(init)
app.command()(check)
app.command()(load)
