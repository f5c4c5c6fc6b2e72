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
        if result.get("repeats"):
            _say_repeats(result["repeats"])
        if result.get("uncounted_callbacks"):
            _say_callbacks(result["uncounted_callbacks"])
        if result.get("absences_overlapping"):
            _say_overlaps(result["absences_overlapping"])
    if not result["ok"]:
        raise typer.Exit(1)


SHOWN = 20
"""Repeats named one by one; the rest counted (all in --json)."""


def _say_repeats(repeats: list[dict]) -> None:
    """Records the one-record rules would have refused, held all the same (a ledger written by an
    older gridctl, here or merged in): each counted once, the first; said, not a fault of the file."""
    said = [t("bundle.repeat_same" if r["same"] else "bundle.repeat_differs", office=r["office"], n=r["n"],
              kind=t(f"kind.{r['kind']}"), record=r["record"], first=r["first"]) for r in repeats[:SHOWN]]
    if len(repeats) > SHOWN:
        said.append(t("verify.repeats_more", n=len(repeats) - SHOWN))
    err(t("verify.repeats", count=len(repeats), repeats="; ".join(said)))



def _say_callbacks(callbacks: list[dict]) -> None:
    """Second callbacks on one closing, no correction, held all the same (an older gridctl): the
    first counts; said as the merge says those it takes in, not a fault of the file."""
    said = [t("bundle.callback_uncounted", office=c["office"], n=c["n"], issue=c["issue"],
              result=t(f"callback.{c['result']}"), counted=t(f"callback.{c['counted']}")) for c in callbacks[:SHOWN]]
    if len(callbacks) > SHOWN:
        said.append(t("verify.repeats_more", n=len(callbacks) - SHOWN))
    err(t("verify.callbacks_uncounted", count=len(callbacks), callbacks="; ".join(said)))


def _say_overlaps(overlaps: list[dict]) -> None:
    """不在岗 whose days meet those of one written before (an older gridctl): each day counts once;
    said as the merge says those it takes in, not a fault of the file."""
    said = [t("bundle.absence_overlap", **o) for o in overlaps[:SHOWN]]
    if len(overlaps) > SHOWN:
        said.append(t("verify.repeats_more", n=len(overlaps) - SHOWN))
    err(t("verify.absences_overlap", count=len(overlaps), overlaps="; ".join(said)))


app = group()
app.command()(verify)
