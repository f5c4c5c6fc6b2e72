"""`backup` and `restore`: copies of the ledger an office can trust."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, group, guarded
from gridctl.messages import t


@guarded(outputs=("file",))
def backup(
    file: Annotated[Path, typer.Argument(help="备份文件 / the backup file to write")],
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """备份台账 (他人写入时亦可), 核验后才写成 / Back the ledger up while others write; verified.

    Example: gridctl --db jingbalu.db backup 备份/经八路-2026-11-26.db
    """
    from gridctl.backup import backup as run

    result = run(STATE.db, file)
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("backup.written", file=file, events=result["events"]))


@guarded(outputs=())
def restore(
    file: Annotated[Path, typer.Argument(help="备份文件 / the backup to restore")],
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """从备份恢复台账: 先核验备份, 再整体替换 / Restore the ledger from a verified backup.

    Example: gridctl --db jingbalu.db restore 备份/经八路-2026-11-26.db
    """
    from gridctl.backup import restore as run

    result = run(STATE.db, file)
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("backup.restored", file=file, db=STATE.db, events=result["events"]))


app = group()
app.command()(backup)
app.command()(restore)
