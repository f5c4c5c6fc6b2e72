"""Conduct records (思想作风): `meeting`, `attendance`, `study`, `publicity`, `survey`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, group, guarded, show_encoding
from gridctl.cli.records_common import list_command, print_table, show_added, void_command
from gridctl.cli.render import progress
from gridctl.messages import known, t

meeting, attendance, study, publicity, survey = group(), group(), group(), group(), group()
PersonOption = typer.Option("--person", "-p", help="opt.conduct.person")
DateOption = typer.Option("--date", "-d", help="opt.date")


def _add(kind: str, values: dict, as_json: bool) -> None:
    from gridctl.records.service import add_record

    show_added(kind, add_record(STATE.db, kind, values, STATE.by), as_json)


@guarded()
def meeting_add(
    unit: Annotated[str, typer.Option("--unit", help="opt.conduct.meeting_add.unit")],
    date: Annotated[str, DateOption],
    kind: Annotated[str, typer.Option("--kind", help="opt.conduct.meeting_add.kind")],
    attendees: Annotated[Optional[str], typer.Option("--attendees", help="opt.attendees")] = None,
    notes: Annotated[Optional[str], typer.Option("--notes", help="opt.conduct.meeting_add.notes")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    _add("meeting", {"unit": unit, "date": date, "kind": kind, "attendees": attendees, "notes": notes},
         as_json)


@guarded()
def meeting_missing(
    week: Annotated[str, typer.Option("--week", help="opt.conduct.week")],
    unit: Annotated[Optional[str], typer.Option("--unit", help="opt.conduct.meeting_missing.unit")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.records.rules import week_text
    from gridctl.records.weekly import meeting_missing as find

    week = week_text(week)                  # 2026-w47 is 2026-W47, and said so

    result = find(STATE.db, week, unit)
    if as_json:
        emit_json(result)
        return
    typer.echo(t("missing.meetings", week=week, monday=result["monday"], sunday=result["sunday"],
                 owed=result["owed"], n=len(result["missing"])))
    print_table(["col.team", "grid.name", "col.kind", "missing.held"],
                [[m["team"], m["name"], known("mkind", m["kind"]), m["held"]] for m in result["missing"]])


@guarded()
def attendance_add(
    person: Annotated[str, PersonOption], date: Annotated[str, DateOption],
    kind: Annotated[str, typer.Option("--kind", help="opt.conduct.attendance_add.kind")],
    days: Annotated[Optional[int], typer.Option("--days", min=1, help="opt.conduct.days")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="opt.conduct.reason")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    _add("attendance", {"person": person, "date": date, "kind": kind, "days": days, "reason": reason},
         as_json)


@guarded()
def study_add(
    person: Annotated[str, PersonOption], date: Annotated[str, DateOption],
    kind: Annotated[str, typer.Option("--kind", help="opt.conduct.study_add.kind")],
    attended: Annotated[Optional[str], typer.Option("--attended", help="opt.attended")] = None,  # attended
    notes: Annotated[Optional[str], typer.Option("--notes", help="opt.conduct.study_add.notes")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    _add("study", {"person": person, "date": date, "kind": kind, "attended": attended or "yes", "notes": notes},
         as_json)


@guarded()
def publicity_add(
    person: Annotated[str, PersonOption], date: Annotated[str, DateOption],
    kind: Annotated[str, typer.Option("--kind", help="opt.conduct.publicity_add.kind")],
    title: Annotated[str, typer.Option("--title", help="opt.conduct.title")],
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="opt.outlet")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    _add("publicity", {"person": person, "date": date, "kind": kind, "title": title, "outlet": outlet},
         as_json)


@guarded()
def survey_add(
    team: Annotated[str, typer.Option("--team", help="opt.team")],
    date: Annotated[str, DateOption],
    participants: Annotated[int, typer.Option("--participants", help="opt.participants")],
    person: Annotated[str, PersonOption],
    satisfied: Annotated[int, typer.Option("--satisfied", min=0, help="opt.satisfied")],
    fair: Annotated[int, typer.Option("--fair", min=0, help="opt.fair")],
    unsatisfied: Annotated[int, typer.Option("--unsatisfied", min=0, help="opt.unsatisfied")],
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    _add("survey", {"team": team, "date": date, "participants": participants, "person": person,
                    "satisfied": satisfied, "fair": fair, "unsatisfied": unsatisfied}, as_json)


@guarded()
def survey_import(
    file: Annotated[Path, typer.Argument(help="arg.conduct.file")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="opt.conduct.dry_run")] = False,
    ignore_extra: Annotated[bool, typer.Option("--ignore-extra", help="opt.conduct.ignore_extra")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.records.transfer import import_surveys

    with progress("progress.import", as_json) as meter:
        result = import_surveys(STATE.db, file, dry_run=dry_run, ignore_extra=ignore_extra, actor=STATE.by,
                                meter=meter)
    if as_json:
        emit_json(result)
    else:
        show_encoding(result["encoding"])
        typer.echo(t("import.dry_run" if dry_run else "import.done", rows=result["rows"],
                     imported=result["imported"], already=result["already"]))


meeting.command("add")(meeting_add)
meeting.command("list")(list_command("meeting"))
meeting.command("missing")(meeting_missing)
meeting.command("void")(void_command("meeting"))
attendance.command("add")(attendance_add)
attendance.command("list")(list_command("attendance"))
attendance.command("void")(void_command("attendance"))
study.command("add")(study_add)
study.command("list")(list_command("study"))
study.command("void")(void_command("study"))
publicity.command("add")(publicity_add)
publicity.command("list")(list_command("publicity"))
publicity.command("void")(void_command("publicity"))
survey.command("add")(survey_add)
survey.command("import")(survey_import)
survey.command("list")(list_command("survey", team=True))
survey.command("void")(void_command("survey"))
