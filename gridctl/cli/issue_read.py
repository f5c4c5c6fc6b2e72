"""`issue list/show/search/import/export`: reading the ledger and moving sheets in and out.

No `from __future__ import annotations` here: Typer would parse each option's annotation from
its text at every start of an `issue` command (every option of the group's commands, ~50 of them).
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from gridctl.cli.common import STATE, AsOfOption, JsonOption, emit_json, group, guarded, named, show_encoding
from gridctl.messages import known, t

if TYPE_CHECKING:
    from gridctl.issues.reading import IssueDetail
    from gridctl.issues.service import IssueView

TABLE_LIMIT = 100


def list_(
    grid: Annotated[Optional[str], typer.Option("--grid", "-g", help="opt.issue_read.list.grid")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="opt.status")] = None,
    category: Annotated[Optional[str], typer.Option("--category", "-c", help="opt.issue_read.category")] = None,
    source: Annotated[Optional[str], typer.Option("--source", "-s", help="opt.issue_read.source")] = None,
    open_: Annotated[bool, typer.Option("--open", help="opt.issue_read.list.open")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="opt.overdue")] = False,
    colour: Annotated[Optional[str], typer.Option("--colour", "--color", help="opt.colour")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="opt.issue_read.since")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="opt.issue_read.until")] = None,
    assigned: Annotated[Optional[str], typer.Option("--assigned", help="opt.assigned")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="opt.issue_read.limit")] = None,
    as_of: Annotated[Optional[str], AsOfOption] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="opt.csv")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.issues.reading import list_issues

    filters = dict(grid=grid, status=status, category=category, source=source, open=open_,
                   overdue=overdue, colour=colour, since=since, until=until, assigned=assigned)
    if as_csv:
        from gridctl.issues.transfer import export_header, iter_export
        from gridctl.sheets import write_csv

        write_csv(sys.stdout, export_header(), iter_export(STATE.db, filters, as_of, False))
        return
    shown = limit or (None if as_json else TABLE_LIMIT)
    items, total = list_issues(STATE.db, filters, as_of, shown)
    if as_json:
        emit_json([i.as_dict() for i in items])
        return
    _print_table(items)
    if total > len(items):
        typer.echo(t("issue.showing", shown=len(items), total=total))


def _print_table(items: "list[IssueView]") -> None:
    if not items:
        typer.echo(t("issue.none_found"))
        return
    from gridctl.cli import render

    heads = ("export.id", "export.status", "export.colour", "export.grid_name", "export.category",
             "export.source", "export.title", "export.deadline")
    rows = [[i.state.id, t(f"status.{i.state.status}"),
             render.Styled(t(f"colour.{i.colour}"), i.colour) if i.colour else None,
             i.grid_path, i.category_name, i.source_name, i.state.title, i.state.deadline] for i in items]
    render.table([t(h) for h in heads], rows, wrap=(3, 6))


def show(issue: Annotated[str, typer.Argument(help="arg.issue")],
         as_of: Annotated[Optional[str], AsOfOption] = None,
         as_json: Annotated[bool, JsonOption] = False) -> None:
    from gridctl.issues.reading import show_issue

    detail = show_issue(STATE.db, issue, as_of)
    if as_json:
        emit_json(detail.as_dict())
        return
    from gridctl.cli import render

    render.heading(detail.view.state.id, detail.view.state.title)
    render.details([(t(key), value) for key, value in _details(detail)])
    heads = ["#"] + [t(f"timeline.{h}") for h in ("time", "action", "status", "platform", "by", "note")]
    rows = [[e.n, e.happened_at, _action_said(e, e.seq in detail.uncounted), t(f"status.{e.to_status}"),
             t(f"platform.{e.level}"), named(detail.people.get(e.actor or ""), e.actor), e.note]
            for e in detail.timeline]
    render.table(heads, rows, title=t("issue.timeline"), wrap=(6,))


def _action_said(step, uncounted: bool = False) -> str:
    """A step's action as the timeline says it: a 回访 with its result (`回访: 不满意`), so a
    callback and its correction, or the callbacks of two closings, are told apart on the screen;
    one that counts for nothing (a second on a closing, no correction) says so."""
    said = t(f"action.{step.action}")
    result = step.details.get("result") if step.action == "callback" else None
    if not result:
        return said
    return t("issue.callback_uncounted" if uncounted else "issue.callback_step", action=said,
             result=known("callback", result))


def _details(detail: "IssueDetail") -> list[tuple[str, object]]:
    """What a clerk asks about one issue, in the order they ask it."""
    v, s = detail.view, detail.view.state
    approvers = [named(a.name, a.id) for a in detail.approvers]
    return [
        ("export.status", t(f"status.{s.status}")),
        ("export.colour", t(f"colour.{v.colour}") if v.colour else None),
        ("export.grid_name", v.grid_path), ("export.category", v.category_name),
        ("export.source", v.source_name), ("export.place", s.place),
        ("show.found_at", s.found_at), ("show.reporter", named(detail.people.get(s.reporter or ""), s.reporter)),
        ("show.late_report", t("yes") if s.late_report else None),
        ("export.holder", named(v.holder_name, s.holder)),
        ("show.lead", named(v.lead_name, s.lead_person)),
        ("show.department", named(v.department_name, s.department)),
        ("show.team", named(v.team_name, s.team)),
        ("show.assignee", named(v.assignee_name, s.assignee)),
        ("export.deadline_rule", v.deadline_text), ("export.deadline", s.deadline),
        ("show.approver", ", ".join(a for a in approvers if a) or None),
        ("export.on_time", None if v.on_time is None else t("yes" if v.on_time else "no")),
        ("export.callback", v.callback_name),
        ("show.duplicate_of", detail.duplicate_of),
        ("show.duplicates", ", ".join(detail.duplicates) or None),
    ]


def search(text: Annotated[str, typer.Argument(help="arg.issue_read.text")],
           limit: Annotated[int, typer.Option("--limit", min=1, help="opt.issue_read.limit")] = 50,
           as_json: Annotated[bool, JsonOption] = False) -> None:
    from gridctl.issues.reading import search_issues

    items = search_issues(STATE.db, text, limit)
    if as_json:
        emit_json([i.as_dict() for i in items])
    else:
        _print_table(items)


def import_(file: Annotated[Path, typer.Argument(help="arg.issue_read.file")],
            dry_run: Annotated[bool, typer.Option("--dry-run", help="opt.issue_read.dry_run")] = False,
            ignore_extra: Annotated[bool, typer.Option("--ignore-extra", help="opt.issue_read.ignore_extra")] = False,
            as_json: Annotated[bool, JsonOption] = False) -> None:
    from gridctl.cli.render import progress
    from gridctl.issues.transfer import import_issues

    with progress("progress.import", as_json) as meter:
        result = import_issues(STATE.db, file, dry_run=dry_run, ignore_extra=ignore_extra, actor=STATE.by,
                               meter=meter)
    if as_json:
        emit_json(result.to_dict())
    else:
        show_encoding(result.encoding)
        typer.echo(t("import.dry_run" if dry_run else "import.done", rows=result.rows,
                     imported=result.imported, already=result.already))
        _show_possible_duplicates(result.possible_duplicates, dry_run)


def _show_possible_duplicates(found: list[dict] | None, dry_run: bool, shown: int = 20) -> None:
    """Imported rows that may repeat an issue (not refused: see issues/duplicates.among)."""
    if found is None:
        from gridctl.issues.duplicates import GROUPS_CHECKED

        typer.echo(t("import.duplicates_unchecked", groups=GROUPS_CHECKED))
        return
    if not found:
        return
    typer.echo(t("import.possible_duplicates_dry" if dry_run else "import.possible_duplicates", count=len(found)))
    for row in found[:shown]:                   # an imported issue, or a sheet row of a dry run
        key, ref = ("import.duplicate_line", row["id"]) if "id" in row else ("import.duplicate_row", row["row"])
        typer.echo(t(key, id=ref, title=row["title"], candidates=", ".join(row["candidates"])))
    if len(found) > shown:
        typer.echo(t("import.more_duplicates", more=len(found) - shown))


def export(output: Annotated[Path, typer.Option("--output", "-o", help="opt.issue_read.output")],
           grid: Annotated[Optional[str], typer.Option("--grid", "-g", help="opt.issue_read.export.grid")] = None,
           open_: Annotated[bool, typer.Option("--open", help="opt.issue_read.export.open")] = False,
           as_of: Annotated[Optional[str], AsOfOption] = None,
           paper: Annotated[str, typer.Option("--paper", help="opt.paper")] = "A4") -> None:
    from gridctl.cli.render import progress
    from gridctl.reports.book import paper_named
    from gridctl.reports.export import export_file

    with progress("progress.export") as meter:
        count = export_file(STATE.db, output, {"grid": grid, "open": open_}, as_of, paper_named(paper), meter)
    typer.echo(t("export.done", count=count, file=output))


app = group()
app.command("list")(guarded()(list_))
app.command()(guarded()(show))
app.command()(guarded()(search))
app.command("import")(guarded()(import_))
app.command()(guarded(None)(export))
