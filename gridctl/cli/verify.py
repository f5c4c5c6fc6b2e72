"""`gridctl verify`: prove the hash-chained event log is intact."""

from __future__ import annotations

from typing import Annotated

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, err, guarded, group
from gridctl.cli.exchange import callback_said, on_leave_said, overlap_said, repeat_said
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
        for key, said, words, field in _NOTES:   # not faults of the file: said, counted as the merge counts
            if result.get(key):
                _say(result[key], said, words, field)
    if not result["ok"]:
        raise typer.Exit(1)


SHOWN = 20
"""Repeats named one by one; the rest counted (all in --json)."""

_NOTES = (("repeats", repeat_said, "verify.repeats", "repeats"),
          ("uncounted_callbacks", callback_said, "verify.callbacks_uncounted", "callbacks"),
          ("absences_overlapping", overlap_said, "verify.absences_overlap", "overlaps"),
          ("absences_on_leave", on_leave_said, "verify.absences_on_leave", "pairs"),
          ("households_sharing", lambda group: t("verify.household_group", **group), "verify.households_sharing",
           "groups"))
"""What a ledger written by an older gridctl (here or merged in) may hold that the rules now refuse:
records the one-record rules would have refused (the first counts), second callbacks on one
closing with no correction (the first counts), 不在岗 whose days meet those of one written before
(each day counts once), 不在岗 and 请假 sharing a day (the absence counts), households of one grid
whose 门牌 are one since m027 (a 门牌 finds the one written so). Each as `--json` keys it, how one is named, the line saying them and its list's word."""


def _say(found: list[dict], said, words: str, field: str) -> None:
    """The first `SHOWN` named, the rest counted."""
    named = [said(item) for item in found[:SHOWN]]
    if len(found) > SHOWN:
        named.append(t("verify.repeats_more", n=len(found) - SHOWN))
    err(t(words, count=len(found), **{field: "; ".join(named)}))


app = group()
app.command()(verify)
