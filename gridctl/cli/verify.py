"""`gridctl verify`: prove the hash-chained event log is intact."""

from __future__ import annotations

from typing import Annotated

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, err, guarded, group
from gridctl.cli.render import progress
from gridctl.messages import t


@guarded()
def verify(
    deep: Annotated[bool, typer.Option("--deep", help="opt.deep")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.verify import verify_ledger

    with progress("progress.verify", as_json) as meter:
        result = verify_ledger(STATE.db, deep, meter)
    if as_json:
        emit_json(result)
    elif result["break"]:
        err(result["break"]["message"])
    else:
        typer.echo(t("verify.ok", count=result["events"], offices=len(result["offices"])))
        projection = result["projection"]
        if projection and projection["mismatch"]:
            err(projection["mismatch"]["message"])
        elif projection:
            typer.echo(t("verify.projection_ok", issues=projection["issues"], records=projection.get("records", 0),
                         register=projection.get("register", 0)))
    if not result["ok"]:
        raise typer.Exit(1)


app = group()
app.command()(verify)
