"""`gridctl serve`: the leaders' read-only window onto the ledger (Datasette, extra `[serve]`)."""

from __future__ import annotations

from typing import Annotated

import typer

from gridctl.cli.common import STATE, err, group, guarded
from gridctl.messages import t


@guarded(json_flag=None)
def serve(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="opt.port")] = 8001,
    host: Annotated[str, typer.Option(
        "--host", help="opt.host")] = "127.0.0.1",
) -> None:
    from gridctl import window

    window.ready(host, port)
    with window.opened(STATE.db) as win:
        if not window.is_local(host):
            err(t("serve.exposed", host=host))
        typer.echo(t("serve.open", url=window.url(win, host, port), path=STATE.db))
        window.serve(win, host, port)
    typer.echo(t("serve.stopped"))


app = group()
app.command()(serve)
