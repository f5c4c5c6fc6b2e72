"""`backup` and `restore`: copies of the ledger an office can trust."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, group, guarded
from gridctl.messages import t


@guarded(outputs=("file",))
def backup(
    file: Annotated[Path, typer.Argument(help="arg.backup.backup.file")],
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.backup import backup as run

    result = run(STATE.db, file)
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("backup.written", file=file, events=result["events"]))


@guarded(outputs=())
def restore(
    file: Annotated[Path, typer.Argument(help="arg.backup.restore.file")],
    force: Annotated[bool, typer.Option("--force", help="opt.backup.restore.force")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.backup import restore as run

    result = run(STATE.db, file, force)
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("backup.restored", file=file, db=STATE.db, events=result["events"]))
        if result["dropped"]:
            typer.echo(t("backup.dropped", n=result["dropped"]))


app = group()
app.command()(backup)
app.command()(restore)
