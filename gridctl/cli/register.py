"""`gridctl register …`: the base register (人、地、物、组织) and each household's 民情档案."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, group, guarded
from gridctl.messages import t

app = group()
PersonalOption = typer.Option(
    "--include-personal", help="显示完整电话 (记录谁导出了什么; 需 --by) / show phones in full (recorded; needs --by)")
WhatArg = typer.Argument(help="类别: `household` 户, `resident` 人, `place` 地物, `org` 组织 / what: `household`, `resident`, `place` or `org`")
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
    file: Annotated[Path, typer.Argument(help=".xlsx 或 .csv 文件 / an .xlsx or .csv file")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查不写入 / check only")] = False,
    ignore_extra: Annotated[bool, typer.Option("--ignore-extra", help="忽略多余的列 / ignore columns gridctl does not know")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """导入户、人、地物或组织 (按表头判断; 全部无误才写入; 重复导入不重复) / Import a register sheet.

    户: 网格编码 门牌 [户主 人口 联系电话 标签 备注]。人: 网格编码 门牌 姓名 [性别 出生年份 身份证号 户籍类型 联系电话
    标签 备注]。地物: 网格编码 场所类别 名称 [地址 联系人 联系电话 风险标签]。组织: 网格编码 组织类别 名称 [地址 联系人
    联系电话 标签]。标签以 、 或 , 分隔。与登记不同的行记为变更, 显示差异。 / Households: grid address [head size
    phone tags note]. Residents: grid address name [gender birth_year id_number residence phone
    tags note]. Places: grid place_kind name [address contact phone tags]. Organisations: grid
    org_kind name [address contact phone tags note]; or the Chinese headers (`docs/formats.md`).
    Tags are separated by commas. A row that differs from the register is an update, shown as
    a diff.

    Example: gridctl register import 居民花名册.xlsx --dry-run
    """
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
    grid: Annotated[Optional[str], typer.Option("--grid", "-g", help="三级网格 / block code or path")] = None,
    address: Annotated[Optional[str], typer.Option("--address", help="门牌或地址 / address")] = None,
    head: Annotated[Optional[str], typer.Option("--head", help="户主 / head of the household")] = None,
    size: Annotated[Optional[str], typer.Option("--size", help="人口 / household size")] = None,
    household: Annotated[Optional[str], typer.Option("--household", help="所在户 (编号或门牌) / household")] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="姓名或名称 / name")] = None,
    gender: Annotated[Optional[str], typer.Option("--gender", help="性别: 男、女 / gender: `男` (male) or `女` (female)")] = None,
    birth_year: Annotated[Optional[str], typer.Option("--birth-year", help="出生年份 / year of birth")] = None,
    id_number: Annotated[Optional[str], typer.Option("--id-number", help="身份证号 (只存密钥散列与后四位) / ID number (only a keyed hash and the last four are kept)")] = None,
    residence: Annotated[Optional[str], typer.Option("--residence", help="户籍类型: 户籍、流动、寄住 / residence: `户籍` (registered), `流动` (migrant) or `寄住` (lodging)")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="场所或组织类别 / place or org kind")] = None,
    contact: Annotated[Optional[str], typer.Option("--contact", help="联系人 / contact person")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", help="联系电话 / phone")] = None,
    tags: Annotated[Optional[str], typer.Option("--tags", help="标签, 以 、 或 , 分隔 / tags, separated by commas")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="备注 / note")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """登记一户、一人、一处地物或一个组织 / Register one household, resident, place or organisation.

    Example: gridctl register add household -g 黄河路社区/1号楼院 --address 1号楼1单元101 --head 王建国 --tags 低保户
    """
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
    entry: Annotated[str, typer.Argument(help="编号 (H12, R7, 完整编号) 或门牌 / id (H12, R7, in full) or address")],
    grid: Annotated[Optional[str], typer.Option("--grid", "-g", help="迁到另一网格 / move to a block")] = None,
    address: Annotated[Optional[str], typer.Option("--address", help="门牌或地址 / address")] = None,
    head: Annotated[Optional[str], typer.Option("--head", help="户主 / head of the household")] = None,
    size: Annotated[Optional[str], typer.Option("--size", help="人口 / household size")] = None,
    household: Annotated[Optional[str], typer.Option("--household", help="迁入另一户 / move to a household")] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="姓名或名称 / name")] = None,
    gender: Annotated[Optional[str], typer.Option("--gender", help="性别 / gender")] = None,
    birth_year: Annotated[Optional[str], typer.Option("--birth-year", help="出生年份 / year of birth")] = None,
    id_number: Annotated[Optional[str], typer.Option("--id-number", help="身份证号 / ID number")] = None,
    residence: Annotated[Optional[str], typer.Option("--residence", help="户籍类型 / residence")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="类别 / kind")] = None,
    contact: Annotated[Optional[str], typer.Option("--contact", help="联系人 / contact person")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", help="联系电话 / phone")] = None,
    tags: Annotated[Optional[str], typer.Option("--tags", help="标签 (全部替换; \"\" 清空) / tags (all replaced; \"\" clears them)")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="备注 / note")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """变更登记 (记录差异; 换网格或换户为迁移) / Change an entry; the difference is recorded.

    Example: gridctl register update H12 --tags 低保户、独居老人 --phone 13900001111
    """
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
    entry: Annotated[str, typer.Argument(help="编号或门牌 / id or address")],
    reason: Annotated[str, typer.Option("--reason", help="注销原因 (迁出、死亡、拆除、注销…) / reason (moved away, died, demolished, closed…)")],
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """注销 (一户注销时其成员一并注销) / Retire an entry with a reason; a household's members too.

    Example: gridctl register retire H12 --reason 整户迁出
    """
    from gridctl.register.service import retire_entry

    result = retire_entry(STATE.db, entry, reason, STATE.by)
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("register.retired_done", ids=", ".join(result["retired"]), reason=reason))


@guarded()
def list_(
    what: Annotated[str, WhatArg] = "household",
    grid: Annotated[Optional[str], typer.Option("--grid", "-g", help="网格 (含下级) / grid and below")] = None,
    tag: Annotated[Optional[str], typer.Option("--tag", help="带此标签 / with this tag")] = None,
    retired: Annotated[bool, typer.Option("--retired", help="含已注销 / include retired")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="最多条数 / at most this many")] = None,
    personal: Annotated[bool, PersonalOption] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """列出户、人、地物或组织 / List the register's entries of one kind.

    Example: gridctl register list resident --grid 黄河路社区 --tag 独居老人
    """
    from gridctl.register.service import kind_of, list_entries

    kind = kind_of(what)
    rows = list_entries(STATE.db, kind, grid, tag, retired=retired, personal=personal, actor=STATE.by, limit=limit)
    if as_json:
        emit_json([row.as_dict() for row in rows])
    else:
        print_entries(kind, rows)


@guarded()
def search(
    text: Annotated[str, typer.Argument(help="姓名、门牌、名称的一部分, 或完整身份证号 / part of a name or address, or a whole ID number")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="最多条数 / at most this many")] = 50,
    personal: Annotated[bool, PersonalOption] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """查找登记 (完整身份证号按密钥散列匹配) / Search names, addresses and names of places.

    Example: gridctl register search 王建国
    """
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
    entry: Annotated[str, typer.Argument(help="编号 (H12, R7, 完整编号) 或门牌 / id (H12, R7, in full) or address")],
    personal: Annotated[bool, PersonalOption] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """一户的民情档案: 成员、标签、每次走访与民情日记、该门牌的问题, 按时间排列 / A household's file.

    人、地物或组织: 该条登记及其变更经过。 / For a resident, place or organisation: the entry and its history.

    Example: gridctl register show H3
    """
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
    grid: Annotated[str, typer.Option("--grid", "-g", help="网格 (含下级) / grid and below")],
    month: Annotated[str, typer.Option("--month", help="月份 YYYY-MM / month YYYY-MM")],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="以该日期为准 (默认今天与月末中较早者) / as of this date (default today or the month's end, whichever is sooner)")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """重点人群走访: 按标签的走访周期, 列出超期 (及本期尚未走访) 的人和户, 附最近一次走访 / Who is overdue a visit.

    各标签的走访周期见 `configs/register.yaml` (独居老人每月, 社区矫正每周, …)。走访即 `patrol add --visited`,
    对该户及其全部成员计。 / Cadences per tag are in `configs/register.yaml` (monthly for elderly
    living alone, weekly for community correction, …). A visit is `patrol add --visited`; it
    counts for the household and all its members.

    Example: gridctl register due --grid 黄河路社区 --month 2026-11
    """
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
