"""What the patrol and conduct command groups share: printing, listing and voiding records."""

from __future__ import annotations

import csv
import sys
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, guarded
from gridctl.messages import t

LIST_COLUMNS = {
    "patrol": ("id", "date", "person", "person_name", "grid", "households", "notes", "found"),
    "meeting": ("id", "date", "unit", "kind", "attendees", "notes"),
    "attendance": ("id", "date", "person", "person_name", "kind", "days", "reason"),
    "study": ("id", "date", "person", "person_name", "kind", "attended", "notes"),
    "publicity": ("id", "date", "person", "person_name", "kind", "title", "outlet"),
    "survey": ("id", "date", "team", "person", "person_name", "participants", "satisfied", "fair",
               "unsatisfied"),
}


def show_added(kind: str, row: dict, as_json: bool) -> None:
    if as_json:
        emit_json(row)
    else:
        typer.echo(t("record.added", kind=t(f"kind.{kind}"), id=row["id"]))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(value)
    return str(value)


def _head(kind: str, column: str) -> str:
    """A column's head; a meeting's or a study record's notes are not a patrol's 民情日记."""
    from gridctl.messages import CATALOGUE

    own = f"col.{column}.{kind}"
    return t(own if own in CATALOGUE else f"col.{column}")


def _shown(kind: str, column: str, value) -> str:
    """A cell as a clerk reads it: a kind in words (`leave` → 请假 in Chinese, 碰头会 → team huddle
    in English), attended as 是/否; the rest as stored."""
    from gridctl.messages import known, lang
    from gridctl.records import kinds

    if column == "kind" and value:
        words = {"attendance": kinds.ATTENDANCE_KINDS, "study": kinds.STUDY_KINDS,
                 "publicity": kinds.PUBLICITY_KINDS, "meeting": kinds.MEETING_KINDS}.get(kind, {})
        if lang() == "zh":
            return words.get(value, value)
        return known("mkind", value) or value
    if column == "attended" and value is not None:
        return t("yes" if value else "no")
    return _cell(value)


def print_rows(kind: str, rows: list[dict], as_csv: bool = False) -> None:
    cols = LIST_COLUMNS[kind]
    if as_csv:
        from gridctl.sheets import guard_csv

        writer = csv.writer(sys.stdout)
        writer.writerow([_head(kind, c) for c in cols])
        for row in rows:
            writer.writerow([guard_csv(_cell(row.get(c))) for c in cols])
        return
    if not rows:
        typer.echo(t("record.none"))
        return
    from gridctl.cli import render

    render.table([_head(kind, c) for c in cols], [[_shown(kind, c, row.get(c)) for c in cols] for row in rows],
                 wrap=tuple(i for i, c in enumerate(cols) if c in ("notes", "title", "reason", "attendees", "found")))


def print_table(header_keys: list[str], rows: list[list]) -> None:
    """A table under translated headers (the `missing` listings); a long one prints plain. None
    at all when nothing is listed: the count above it says 0 (a bare header read as a list cut off)."""
    from gridctl.cli import render

    if not rows:
        return
    render.table([t(k) for k in header_keys], [[v if v.__class__ is str else _cell(v) for v in row] for row in rows],
                 wrap=tuple(range(len(header_keys))))


def list_command(kind: str, *, grid: bool = False, team: bool = False):
    """`<group> list` for one kind of record, with the filters that kind has."""

    def command(
        person: Annotated[Optional[str], typer.Option("--person", "-p", help="opt.records_common.person")] = None,
        team_: Annotated[Optional[str], typer.Option("--team", help="opt.team")] = None,
        grid_: Annotated[Optional[str], typer.Option("--grid", "-g", help="opt.records_common.grid")] = None,
        since: Annotated[Optional[str], typer.Option("--since", help="opt.records_common.since")] = None,
        until: Annotated[Optional[str], typer.Option("--until", help="opt.records_common.until")] = None,
        voided: Annotated[bool, typer.Option("--voided", help="opt.voided")] = False,
        limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="opt.records_common.limit")] = None,
        as_csv: Annotated[bool, typer.Option("--csv", help="opt.csv")] = False,
        as_json: Annotated[bool, JsonOption] = False,
    ) -> None:
        from gridctl.records.service import list_records

        filters = {"person": person, "team": team_ if team else None, "grid": grid_ if grid else None,
                   "since": since, "until": until, "voided": voided}
        rows = list_records(STATE.db, kind, filters, limit)
        if as_json:
            emit_json(rows)
        else:
            print_rows(kind, rows, as_csv)

    return guarded()(command)


def void_command(kind: str):
    """`<group> void ID --reason`: a correction is a new event, never an edit."""

    def command(
        record: Annotated[str, typer.Argument(help="arg.record")],
        reason: Annotated[str, typer.Option("--reason", help="opt.records_common.reason")],
        as_json: Annotated[bool, JsonOption] = False,
    ) -> None:
        from gridctl.records.service import void_record

        row = void_record(STATE.db, kind, record, reason, STATE.by)
        if as_json:
            emit_json(row)
        else:
            typer.echo(t("record.voided", id=row["id"], reason=reason))

    return guarded()(command)
