"""`gridctl patrol …`: 巡查 — one person walking one grid node on one date."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, group, guarded, show_encoding
from gridctl.cli.records_common import list_command, print_table, show_added, void_command
from gridctl.cli.render import progress
from gridctl.messages import t

app = group()


@guarded()
def add(
    person: Annotated[str, typer.Option("--person", "-p", help="opt.patrol.person")],
    grid: Annotated[str, typer.Option("--grid", "-g", help="opt.patrol.grid")],
    date: Annotated[str, typer.Option("--date", "-d", help="opt.date")],
    households: Annotated[Optional[int], typer.Option("--households", min=0, help="opt.households")] = None,
    notes: Annotated[Optional[str], typer.Option("--notes", help="opt.patrol.notes")] = None,
    found: Annotated[Optional[str], typer.Option("--found", help="opt.patrol.add.found")] = None,
    visited: Annotated[Optional[str], typer.Option(
        "--visited", help="opt.visited")] = None,
    visiting: Annotated[bool, typer.Option("--visiting", help="opt.visiting")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.records.service import add_record

    values = {"person": person, "grid": grid, "date": date, "households": households, "notes": notes,
              "found": found, "visiting": visiting, "visited": visited}
    show_added("patrol", add_record(STATE.db, "patrol", values, STATE.by), as_json)


@guarded()
def link(
    patrol: Annotated[str, typer.Argument(help="arg.patrol")],
    found: Annotated[str, typer.Option("--found", help="opt.patrol.link.found")],
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.records.service import link_patrol

    row = link_patrol(STATE.db, patrol, found, STATE.by)
    if as_json:
        emit_json(row)
    else:
        typer.echo(f"{row['id']}: {', '.join(row['found'])}")


@guarded()
def missing(
    week: Annotated[str, typer.Option("--week", help="opt.patrol.week")],
    unit: Annotated[Optional[str], typer.Option("--unit", help="opt.patrol.unit")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl import collector
    from gridctl.records.rules import week_text
    from gridctl.records.weekly import patrol_missing

    week = week_text(week)                  # 2026-w47 is 2026-W47, and said so
    with collector.paused():                # a city's 88k rows make no cycles: no collector passes
        result = patrol_missing(STATE.db, week, unit)
        if as_json:
            emit_json(result)
            return
        typer.echo(t("missing.patrols", week=week, monday=result["monday"], sunday=result["sunday"],
                     owed=result["owed"], n=len(result["missing"])))
        if result["sunday"] >= date.today().isoformat():    # a week not over: what is missing so far
            typer.echo(t("missing.not_over", sunday=result["sunday"]), err=True)   # the table alone on stdout
        print_table(["col.person", "col.person_name", "col.grid", "grid.path", "missing.via", "missing.made"],
                    [[m["person"], m["name"], m["grid"], m["grid_path"], m["via_text"], m["made"]]
                     for m in result["missing"]])


@guarded()
def import_(
    file: Annotated[Path, typer.Argument(help="arg.patrol.file")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="opt.patrol.dry_run")] = False,
    ignore_extra: Annotated[bool, typer.Option("--ignore-extra", help="opt.patrol.ignore_extra")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.records.transfer import import_patrols

    with progress("progress.import", as_json) as meter:
        result = import_patrols(STATE.db, file, dry_run=dry_run, ignore_extra=ignore_extra, actor=STATE.by,
                                meter=meter)
    if as_json:
        emit_json(result)
    else:
        show_encoding(result["encoding"])
        typer.echo(t("import.dry_run" if dry_run else "import.done", rows=result["rows"],
                     imported=result["imported"], already=result["already"]))


app.command()(add)
app.command("list")(list_command("patrol", grid=True, team=True))
app.command("import")(import_)
app.command()(link)
app.command()(missing)
app.command("void")(void_command("patrol"))
