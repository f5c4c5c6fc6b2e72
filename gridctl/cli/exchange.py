"""`bundle`, `merge`, `status`: hand ledgers up between the four platforms (四级平台)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, AsOfOption, JsonOption, emit_json, guarded, group
from gridctl.cli.render import progress
from gridctl.messages import t


@guarded()
def bundle(
    output: Annotated[Path, typer.Option("--output", "-o", help="opt.exchange.output")],
    since: Annotated[Optional[Path], typer.Option("--since", help="opt.exchange.since")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.exchange import bundle as run

    header = run(STATE.db, output, since)
    if as_json:
        emit_json(header)
    else:
        chains = ", ".join(f"{o} #{c['first_n']}–{c['last_n']}" for o, c in header["chains"].items())
        typer.echo(t("bundle.written", file=output, count=header["count"], chains=chains or "-"))


@guarded()
def merge(
    file: Annotated[Path, typer.Argument(help="arg.exchange.file")],
    receipt: Annotated[Optional[Path], typer.Option("--receipt", help="opt.receipt")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.exchange import merge as run
    from gridctl.outfile import check_source

    with progress("progress.merge", as_json) as meter:
        result = run(STATE.db, check_source(file), meter)
    if receipt:
        from gridctl.outfile import replacing

        with replacing(receipt) as temporary:
            temporary.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    if as_json:
        emit_json(result)
        return
    typer.echo(t("bundle.merged", file=file, added=result["added"]))
    for office, chain in result["chains"].items():
        typer.echo(t("bundle.receipt_line", office=office, n=chain["last_n"], hash=chain["last_hash"]))
    _say_repeats(result)


def _say_repeats(result: dict) -> None:
    """What the merge took in that the one-record rules would have refused (a ledger written before
    them): each named with its event, and how it is counted."""
    repeats, callbacks = result.get("repeats", []), result.get("uncounted_callbacks", [])
    if repeats:
        typer.echo(t("bundle.repeats", count=len(repeats), repeats="; ".join(map(repeat_said, repeats))), err=True)
    if callbacks:
        typer.echo(t("bundle.callbacks_uncounted", count=len(callbacks), callbacks="; ".join(map(callback_said, callbacks))),
                   err=True)
    if overlaps := result.get("absences_overlapping", []):
        typer.echo(t("bundle.absences_overlap", count=len(overlaps), overlaps="; ".join(map(overlap_said, overlaps))),
                   err=True)
    if on_leave := result.get("absences_on_leave", []):
        typer.echo(t("bundle.absences_on_leave", count=len(on_leave), pairs="; ".join(map(on_leave_said, on_leave))),
                   err=True)


def repeat_said(r: dict) -> str:
    """A record the one-record rules would have refused, held all the same (`ledger.records.repeats`),
    as `merge` and `verify --deep` name it: its event, and the first, which counts."""
    return t("bundle.repeat_same" if r["same"] else "bundle.repeat_differs", office=r["office"], n=r["n"],
             kind=t(f"kind.{r['kind']}"), record=r["record"], first=r["first"])


def callback_said(c: dict) -> str:
    """A second callback on one closing, no correction (`uncounted_callbacks`), as both name it."""
    return t("bundle.callback_uncounted", office=c["office"], n=c["n"], issue=c["issue"],
             result=t(f"callback.{c['result']}"), counted=t(f"callback.{c['counted']}"))


def overlap_said(o: dict) -> str:
    """A 不在岗 meeting the days of one written before (`overlapping_absences`), as both name it."""
    return t("bundle.absence_overlap", **o)


def on_leave_said(p: dict) -> str:
    """A 不在岗 and a 请假 of one person sharing a day (`absences_on_leave`), as both name it."""
    return t("bundle.absence_on_leave", **p)


@guarded()
def status(as_of: Annotated[Optional[str], AsOfOption] = None, as_json: Annotated[bool, JsonOption] = False) -> None:
    from gridctl.exchange import status as run

    result = run(STATE.db, as_of)
    if as_json:
        emit_json(result)
        return
    if not result["offices"]:
        typer.echo(t("status.none"))
    for row in result["offices"]:
        typer.echo(t("status.line", office=row["office"], received=row["received_at"][:16].replace("T", " "), sender=row["sender"],
                     n=row["last_n"], added=row["added"], merges=row["merges"],
                     flag="" if row["this_week"] else t("status.late")))


app = group()
app.command()(bundle)
app.command()(merge)
app.command()(status)
