"""`gridctl register …`: the base register (人、地、物、组织) and each household's 民情档案."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, group, guarded
from gridctl.messages import t

app = group()
PersonalOption = typer.Option(
    "--include-personal", help="opt.include_personal")
WhatArg = typer.Argument(help="arg.what")
COLUMNS = {
    "household": ("id", "grid", "address", "head", "size", "phone", "tags", "retired"),
    "resident": ("id", "household", "name", "gender", "birth_year", "id_number", "residence", "phone", "tags",
                 "retired"),
    "place": ("id", "grid", "kind", "name", "address", "contact", "phone", "tags", "retired"),
    "org": ("id", "grid", "kind", "name", "address", "contact", "phone", "tags", "retired"),
}
WRAPS = ("address", "head", "name", "tags", "contact", "kind")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def print_entries(kind: str, rows) -> None:
    """`RegisterEntry` records as a table of their kind's columns."""
    if not rows:
        typer.echo(t("register.none"))
        return
    cols = COLUMNS[kind]
    from gridctl.cli import render

    # names, 门牌 and tags fold; ids, codes, 身份证号 and phones stay whole (a township's thousands
    # of rows print plain, as they go)
    render.table([t(f"reg.{c}") for c in cols], [[_cell(getattr(row, c)) for c in cols] for row in rows],
                 wrap=tuple(i for i, c in enumerate(cols) if c in WRAPS))


def _print_diff(diff: dict | None) -> None:
    if not diff:
        typer.echo(t("register.unchanged"))
        return
    typer.echo(f"{diff['id']} {t('reg.action_' + diff['action'])}")
    for key, (old, new) in diff["changes"].items():
        typer.echo(f"  {t('reg.' + key)}: {_cell(old) or '-'} → {_cell(new) or '-'}")


@guarded()
def import_(
    file: Annotated[Path, typer.Argument(help="arg.register.file")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="opt.register.dry_run")] = False,
    ignore_extra: Annotated[bool, typer.Option("--ignore-extra", help="opt.register.ignore_extra")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.register.transfer import import_register

    from gridctl.cli.render import progress

    with progress("progress.import", as_json) as meter:
        result = import_register(STATE.db, file, dry_run=dry_run, ignore_extra=ignore_extra, actor=STATE.by,
                                 meter=meter)
    if as_json:
        emit_json(result.to_dict())
        return
    typer.echo(t("register.import_dry" if dry_run else "register.import_done", kind=t(f"reg.kind_{result.kind}"),
                 rows=result.rows, added=result.added, changed=result.changed, unchanged=result.unchanged,
                 households=result.households_added))
    for diff in result.changes[:50]:
        _print_diff(diff)
    if len(result.changes) > 50:
        typer.echo(t("register.more_changes", n=len(result.changes) - 50))


def _values(**kwargs) -> dict:
    return {k: v for k, v in kwargs.items() if v is not None}


@guarded()
def add(
    what: Annotated[str, WhatArg],
    grid: Annotated[Optional[str], typer.Option("--grid", "-g", help="opt.register.add.grid")] = None,
    address: Annotated[Optional[str], typer.Option("--address", help="opt.address")] = None,
    head: Annotated[Optional[str], typer.Option("--head", help="opt.head")] = None,
    size: Annotated[Optional[str], typer.Option("--size", help="opt.size")] = None,
    household: Annotated[Optional[str], typer.Option("--household", help="opt.register.add.household")] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="opt.name")] = None,
    gender: Annotated[Optional[str], typer.Option("--gender", help="opt.register.add.gender")] = None,
    birth_year: Annotated[Optional[str], typer.Option("--birth-year", help="opt.birth_year")] = None,
    id_number: Annotated[Optional[str], typer.Option("--id-number", help="opt.register.add.id_number")] = None,
    residence: Annotated[Optional[str], typer.Option("--residence", help="opt.register.add.residence")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="opt.register.add.kind")] = None,
    contact: Annotated[Optional[str], typer.Option("--contact", help="opt.contact")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", help="opt.phone")] = None,
    tags: Annotated[Optional[str], typer.Option("--tags", help="opt.register.add.tags")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="opt.register.note")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.register.service import add_entry, kind_of

    values = _values(grid=grid, address=address, head=head, size=size, household=household, name=name,
                     gender=gender, birth_year=birth_year, id_number=id_number, residence=residence, kind=kind,
                     contact=contact, phone=phone, tags=tags, note=note)
    entry_kind = kind_of(what)
    row = add_entry(STATE.db, entry_kind, values, STATE.by)
    if as_json:
        emit_json(row.as_dict())
    else:
        typer.echo(t("register.added", kind=t(f"reg.kind_{entry_kind}"), id=row.id))


@guarded()
def update(
    entry: Annotated[str, typer.Argument(help="arg.register.update.entry")],
    grid: Annotated[Optional[str], typer.Option("--grid", "-g", help="opt.register.update.grid")] = None,
    address: Annotated[Optional[str], typer.Option("--address", help="opt.address")] = None,
    head: Annotated[Optional[str], typer.Option("--head", help="opt.head")] = None,
    size: Annotated[Optional[str], typer.Option("--size", help="opt.size")] = None,
    household: Annotated[Optional[str], typer.Option("--household", help="opt.register.update.household")] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="opt.name")] = None,
    gender: Annotated[Optional[str], typer.Option("--gender", help="opt.register.update.gender")] = None,
    birth_year: Annotated[Optional[str], typer.Option("--birth-year", help="opt.birth_year")] = None,
    id_number: Annotated[Optional[str], typer.Option("--id-number", help="opt.register.update.id_number")] = None,
    residence: Annotated[Optional[str], typer.Option("--residence", help="opt.register.update.residence")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="opt.register.update.kind")] = None,
    contact: Annotated[Optional[str], typer.Option("--contact", help="opt.contact")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", help="opt.phone")] = None,
    tags: Annotated[Optional[str], typer.Option("--tags", help="opt.register.update.tags")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="opt.register.note")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.register.service import update_entry

    values = _values(grid=grid, address=address, head=head, size=size, household=household, name=name,
                     gender=gender, birth_year=birth_year, id_number=id_number, residence=residence, kind=kind,
                     contact=contact, phone=phone, tags=tags, note=note)
    result = update_entry(STATE.db, entry, values, STATE.by)
    if as_json:
        emit_json(result.as_dict())
    else:
        _print_diff(result.diff)


@guarded()
def retire(
    entry: Annotated[str, typer.Argument(help="arg.register.retire.entry")],
    reason: Annotated[str, typer.Option("--reason", help="opt.register.reason")],
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.register.service import retire_entry

    result = retire_entry(STATE.db, entry, reason, STATE.by)
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("register.retired_done", ids=", ".join(result["retired"]), reason=reason))


@guarded()
def list_(
    what: Annotated[str, WhatArg] = "household",
    grid: Annotated[Optional[str], typer.Option("--grid", "-g", help="opt.register.list.grid")] = None,
    tag: Annotated[Optional[str], typer.Option("--tag", help="opt.tag")] = None,
    retired: Annotated[bool, typer.Option("--retired", help="opt.retired")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="opt.register.limit")] = None,
    personal: Annotated[bool, PersonalOption] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.register.service import kind_of, list_entries

    kind = kind_of(what)
    rows = list_entries(STATE.db, kind, grid, tag, retired=retired, personal=personal, actor=STATE.by, limit=limit)
    if as_json:
        emit_json([row.as_dict() for row in rows])
    else:
        print_entries(kind, rows)


@guarded()
def search(
    text: Annotated[str, typer.Argument(help="arg.register.text")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="opt.register.limit")] = 50,
    personal: Annotated[bool, PersonalOption] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.register.service import search_entries

    rows = search_entries(STATE.db, text, personal=personal, actor=STATE.by, limit=limit)
    if as_json:
        emit_json([row.as_dict() for row in rows])
        return
    if not rows:
        typer.echo(t("register.none"))
    for kind in COLUMNS:
        found = [r for r in rows if r.register == kind]
        if found:
            typer.echo(t(f"reg.heading_{kind}"))      # a heading; reg.kind_* are the words in sentences
            print_entries(kind, found)


app.command("import")(import_)
app.command()(add)
app.command()(update)
app.command()(retire)
app.command("list")(list_)
app.command()(search)


@guarded()
def show(
    entry: Annotated[str, typer.Argument(help="arg.register.show.entry")],
    personal: Annotated[bool, PersonalOption] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.register.dossier import show_entry

    info = show_entry(STATE.db, entry, personal=personal, actor=STATE.by)
    if as_json:
        emit_json(info.as_dict())
        return
    _print_dossier(info)


def _print_dossier(info) -> None:
    """The 民情档案 (a `register.dossier.Dossier`) through `cli/render.py`: every value a clerk typed
    is escaped (a tag `[/]` prints)."""
    from gridctl.cli import render

    row = info.entry
    title = row.address if info.kind == "household" else row.name
    render.heading(_cell(title), f"{row.id}  {info.grid_path}")
    labels = [c for c in COLUMNS[info.kind] if c not in ("id", "grid", "tags", "retired")]
    render.line("  ".join(f"{t('reg.' + c)}: {_cell(getattr(row, c))}" for c in labels
                          if getattr(row, c) not in (None, "")))
    household = info.household
    render.details([
        (t("reg.retired"), f"{row.retired} {_cell(row.retire_reason)}" if row.retired else None),
        (t("reg.tags"), "、".join(info.tags)),
        (t("reg.household"), f"{household.id} {household.address}" if household else None)])
    if info.members:
        render.line(t("register.members"))
        print_entries("resident", info.members)
    render.line(t("register.timeline"))
    if not info.timeline:
        render.line(t("register.none"))
    for item in info.timeline:
        render.line(_timeline_line(item))


def _timeline_line(item: dict) -> str:
    at = item["at"][:16]
    if item["type"] == "visit":
        return f"{at[:10]}  {t('register.visit')} {item['patrol']}  {item['person_name'] or item['person']}  " \
               f"{item['notes'] or ''}"
    if item["type"] == "issue":
        return f"{at}  {t('register.issue')} {item['issue']}  {item['category']}  {item['title']}  " \
               f"[{t('status.' + item['status'])}]"
    text = f"{at}  {t('reg.action_' + item['action'])} {item['subject']}"
    if item.get("entry"):
        text += f"  {_cell(item['entry'].name or item['entry'].address)}"
    for key, (old, new) in (item.get("changes") or {}).items():
        text += f"  {t('reg.' + key)}: {_cell(old) or '-'} → {_cell(new) or '-'}"
    if item.get("note"):
        text += f"  ({item['note']})"
    return text


@guarded()
def due(
    grid: Annotated[str, typer.Option("--grid", "-g", help="opt.register.due.grid")],
    month: Annotated[str, typer.Option("--month", help="opt.register.month")],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="opt.register.as_of")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.register.due import register_due

    report = register_due(STATE.db, grid, month, as_of)
    if as_json:
        emit_json(report.to_dict())
        return
    overdue = sum(c.overdue for c in report.by_grid)
    due_now = sum(c.due for c in report.by_grid)
    visited = sum(c.visited for c in report.by_grid)
    typer.echo(t("register.due_summary", month=report.month, as_of=report.as_of, overdue=overdue, due=due_now,
                 visited=visited))
    from gridctl.cli.records_common import print_table

    print_table(["reg.status", "reg.id", "reg.name", "reg.address", "reg.tags", "reg.cadence", "reg.missed",
                 "reg.last_visit"],
                [[t(f"register.{e.status}"), e.id, e.name, e.address, "、".join(e.tags), t(f"register.cadence_{e.cadence}"),
                  e.missed or "", e.last_visit or t("register.never")] for e in report.entries])


app.command()(show)
app.command()(due)
