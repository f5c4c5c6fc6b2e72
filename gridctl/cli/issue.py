"""`gridctl issue …`: the issue ledger's life cycle, reading, import and export.

No `from __future__ import annotations` here: Typer would parse each option's annotation from
its text at every start of an `issue` command (every option of the group's commands, ~50 of them).
"""

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, err, group, guarded, named
from gridctl.messages import t

if TYPE_CHECKING:
    from gridctl.issues.service import IssueView

app = group()
ReasonOption = typer.Option("--reason", help="opt.issue.reason")
IdArg = typer.Argument(help="arg.id")
AtOption = typer.Option("--at", help="opt.at")
NoteOption = typer.Option("--note", help="opt.issue.note")


def _show_move(item: "IssueView", as_json: bool, before: str | None = None) -> None:
    if as_json:
        emit_json(item.as_dict())
        return
    s = item.state
    typer.echo(t("issue.moved", id=s.id, from_status=t(f"action.{s.last_action}"),
                 to_status=t(f"status.{s.status}")))
    typer.echo(t("issue.deadline_line", rule=item.deadline_text,
                 deadline=s.deadline or t("issue.not_yet")))


def _move(action: str, issue: str, at, note, as_json: bool, **params) -> "IssueView":
    from gridctl.issues.service import act

    item = act(STATE.db, issue, action, at=at, actor=STATE.by, note=note, **params)
    _show_move(item, as_json)
    return item


@guarded()
def add(
    grid: Annotated[str, typer.Option("--grid", "-g", help="opt.issue.grid")],
    category: Annotated[str, typer.Option("--category", "-c", help="opt.issue.category")],
    source: Annotated[str, typer.Option("--source", "-s", help="opt.issue.source")],
    title: Annotated[str, typer.Option("--title", "-t", help="opt.issue.title")],
    found_at: Annotated[Optional[str], typer.Option("--found-at", help="opt.found_at")] = None,
    place: Annotated[Optional[str], typer.Option("--place", help="opt.place")] = None,
    reporter: Annotated[Optional[str], typer.Option("--reporter", help="opt.reporter")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", help="opt.phone")] = None,
    ref: Annotated[Optional[str], typer.Option("--ref", help="opt.ref")] = None,
    patrol: Annotated[Optional[str], typer.Option("--patrol", help="opt.patrol")] = None,
    on_the_spot: Annotated[bool, typer.Option("--on-the-spot", help="opt.on_the_spot")] = False,
    force: Annotated[bool, typer.Option("--force", help="opt.force")] = False,
    at: Annotated[Optional[str], AtOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.issues.duplicates import PossibleDuplicates
    from gridctl.issues.service import NewIssue, add_issue

    new = NewIssue(grid, category, source, title, found_at, place, reporter, phone, ref, patrol)
    try:
        item = add_issue(STATE.db, new, at=at, actor=STATE.by, on_the_spot=on_the_spot, force=force)
    except PossibleDuplicates as exc:
        _show_candidates(exc, as_json)
        raise typer.Exit(1) from None
    if as_json:
        emit_json(item.as_dict())
        return
    s = item.state
    typer.echo(t("issue.added", id=s.id, category=item.category_name, grid=item.grid_path))
    none = t("grid.none")
    typer.echo(t("issue.route", holder=named(item.holder_name, s.holder) or none,
                 level=t(f"platform.{s.level}"),
                 lead=named(item.lead_name, s.lead_person) or none,
                 department=named(item.department_name, s.department) or none,
                 team=named(item.team_name, s.team) or none))
    typer.echo(t("issue.deadline_line", rule=item.deadline_text,
                 deadline=s.deadline or t("issue.not_yet")) + f"  [{t('status.' + s.status)}]")


def _show_candidates(exc, as_json: bool) -> None:
    """The possible duplicates `issue add` refused on: the candidates, and what to do."""
    from gridctl.cli import render

    if as_json:
        emit_json({"recorded": False, "code": exc.code, "candidates": [c.to_dict() for c in exc.candidates]})
    else:
        render.table([t("export.id"), t("export.title"), t("export.status"), t("export.reported_at"),
                      t("issue.similarity")],
                     [[c.id, c.title, t(f"status.{c.status}"), c.reported_at, f"{c.similarity:.0%}"]
                      for c in exc.candidates], title=t("issue.candidates"), wrap=(1,))
    err(f"{t('error.prefix')}: {exc}")
    err(t("issue.duplicate_hint"))


@guarded()
def reject(issue: Annotated[str, IdArg], reason: Annotated[str, ReasonOption],
           duplicate_of: Annotated[Optional[str], typer.Option("--duplicate-of", help="opt.duplicate_of")] = None,
           at: Annotated[Optional[str], AtOption] = None, note: Annotated[Optional[str], NoteOption] = None,
           as_json: Annotated[bool, JsonOption] = False) -> None:
    item = _move("reject", issue, at, note, as_json, reason=reason, duplicate_of=duplicate_of)
    if duplicate_of and not as_json:
        typer.echo(t("issue.marked_duplicate", id=item.state.id, original=item.duplicate_of))


@guarded()
def dispatch(issue: Annotated[str, IdArg],
             to: Annotated[Optional[str], typer.Option("--to", help="opt.to")] = None,
             at: Annotated[Optional[str], AtOption] = None, note: Annotated[Optional[str], NoteOption] = None,
             as_json: Annotated[bool, JsonOption] = False) -> None:
    _move("dispatch", issue, at, note, as_json, to=to)


@guarded()
def escalate(issue: Annotated[str, IdArg], reason: Annotated[Optional[str], ReasonOption] = None,
             at: Annotated[Optional[str], AtOption] = None, note: Annotated[Optional[str], NoteOption] = None,
             as_json: Annotated[bool, JsonOption] = False) -> None:
    _move("escalate", issue, at, note, as_json, reason=reason)


@guarded()
def extend(issue: Annotated[str, IdArg],
           days: Annotated[int, typer.Option("--days", help="opt.issue.days")],
           reason: Annotated[str, ReasonOption],
           approver: Annotated[str, typer.Option("--approver", help="opt.approver")],
           at: Annotated[Optional[str], AtOption] = None, note: Annotated[Optional[str], NoteOption] = None,
           as_json: Annotated[bool, JsonOption] = False) -> None:
    _move("extend", issue, at, note, as_json, days=days, reason=reason, approver=approver)


@guarded()
def callback(issue: Annotated[str, IdArg],
             result: Annotated[str, typer.Option("--result", help="opt.result")],
             correct: Annotated[bool, typer.Option("--correct", help="opt.callback.correct")] = False,
             at: Annotated[Optional[str], AtOption] = None, note: Annotated[Optional[str], NoteOption] = None,
             as_json: Annotated[bool, JsonOption] = False) -> None:
    _move("callback", issue, at, note, as_json, result=result, correct=correct)


def _plain_move(action: str):
    """A move that takes only the common options (accept, handle, close)."""

    def command(issue: Annotated[str, IdArg], at: Annotated[Optional[str], AtOption] = None,
                note: Annotated[Optional[str], NoteOption] = None,
                as_json: Annotated[bool, JsonOption] = False) -> None:
        _move(action, issue, at, note, as_json)

    return guarded()(command)


def _reason_move(action: str):
    """A move that must say why (rework, reopen)."""

    def command(issue: Annotated[str, IdArg], reason: Annotated[str, ReasonOption],
                at: Annotated[Optional[str], AtOption] = None,
                note: Annotated[Optional[str], NoteOption] = None,
                as_json: Annotated[bool, JsonOption] = False) -> None:
        _move(action, issue, at, note, as_json, reason=reason)

    return guarded()(command)


PLAIN = ("accept", "handle", "close")
WITH_REASON = ("rework", "reopen")
OWN = {"add": add, "reject": reject, "dispatch": dispatch, "escalate": escalate, "extend": extend, "callback": callback}

for _name in ("add", "accept", "dispatch", "handle", "close", "reject", "escalate", "rework", "extend",
              "reopen", "callback"):  # the life cycle's order, as `gridctl issue --help` lists them
    if _name in PLAIN:
        app.command(_name)(_plain_move(_name))
    elif _name in WITH_REASON:
        app.command(_name)(_reason_move(_name))
    else:
        app.command(_name)(OWN[_name])
