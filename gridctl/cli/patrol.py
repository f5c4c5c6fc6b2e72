"""`gridctl patrol …`: 巡查 — one person walking one grid node on one date."""

from __future__ import annotations

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
    person: Annotated[str, typer.Option("--person", "-p", help="人员编号或姓名 / person id or unique name")],
    grid: Annotated[str, typer.Option("--grid", "-g", help="网格 / grid code or path")],
    date: Annotated[str, typer.Option("--date", "-d", help="日期 YYYY-MM-DD / date YYYY-MM-DD")],
    households: Annotated[Optional[int], typer.Option("--households", min=0, help="走访户数 / households visited (a count)")] = None,
    notes: Annotated[Optional[str], typer.Option("--notes", help="民情日记 / notes")] = None,
    found: Annotated[Optional[str], typer.Option("--found", help="发现的问题编号, 逗号分隔 / issue ids")] = None,
    visited: Annotated[Optional[str], typer.Option(
        "--visited", help="走访的户 (编号 H12 或门牌), 逗号分隔; 走访户数即其户数 / households visited")] = None,
    visiting: Annotated[bool, typer.Option("--visiting", help="非本人责任网格 (外出巡查) / not assigned here")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """记录一次巡查 / Record a patrol: who walked which grid on which date.

    此人在该网格及其上级没有岗位、也不在派驻该处的工作队 (除非 --visiting), 日期在将来, 或所记问题不存在
    或属于其他网格时拒绝。 / Refused when the person holds no post at the node or above and is in no
    team assigned there (unless --visiting), when the date is in the future, or when a found issue
    does not exist or lies in another grid.

    用 --visited 时走访户取自基础信息 (`gridctl register`), 走访户数即其户数; 每次走访记入该户的民情档案
    (`register show`)。 / With --visited the households come from the register (`gridctl register`)
    and the count of households visited is theirs; each visit shows in the household's record
    (`register show`).

    Example: gridctl patrol add -p P007 -g 黄河路社区/1号楼院 -d 2026-11-20 --households 12 --found 3
    """
    from gridctl.records.service import add_record

    values = {"person": person, "grid": grid, "date": date, "households": households, "notes": notes,
              "found": found, "visiting": visiting, "visited": visited}
    show_added("patrol", add_record(STATE.db, "patrol", values, STATE.by), as_json)


@guarded()
def link(
    patrol: Annotated[str, typer.Argument(help="巡查编号 / patrol id")],
    found: Annotated[str, typer.Option("--found", help="问题编号, 逗号分隔 / issue ids")],
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """把后来登记的问题关联到巡查 / Link issues to a patrol after the fact.

    Example: gridctl patrol link 12 --found 41,42
    """
    from gridctl.records.service import link_patrol

    row = link_patrol(STATE.db, patrol, found, STATE.by)
    if as_json:
        emit_json(row)
    else:
        typer.echo(f"{row['id']}: {', '.join(row['found'])}")


@guarded()
def missing(
    week: Annotated[str, typer.Option("--week", help="ISO 周, 如 2026-W47 / ISO week")],
    unit: Annotated[Optional[str], typer.Option("--unit", help="网格或工作队 / grid node or team")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """本周应巡查而未巡查的人 / Who owed a patrol in the week and made none.

    谁在哪里应巡查几次, 见 `configs/conduct.yaml`。 / The rule (who owes how many patrols where)
    is in `configs/conduct.yaml`.

    Example: gridctl patrol missing --week 2026-W47 --unit 经八路街道
    """
    from gridctl import collector
    from gridctl.records.weekly import patrol_missing

    with collector.paused():                # a city's 88k rows make no cycles: no collector passes
        result = patrol_missing(STATE.db, week, unit)
        if as_json:
            emit_json(result)
            return
        typer.echo(t("missing.patrols", week=week, monday=result["monday"], sunday=result["sunday"],
                     owed=result["owed"], n=len(result["missing"])))
        print_table(["col.person", "col.person_name", "col.grid", "grid.path", "missing.via", "missing.made"],
                    [[m["person"], m["name"], m["grid"], m["grid_path"], m["via_text"], m["made"]]
                     for m in result["missing"]])


@guarded()
def import_(
    file: Annotated[Path, typer.Argument(help=".xlsx 或 .csv 文件 / an .xlsx or .csv file")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查不写入 / check only")] = False,
    ignore_extra: Annotated[bool, typer.Option("--ignore-extra", help="忽略多余的列 / ignore columns gridctl does not know")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """导入巡查走访日志 (全部无误才写入; 重复导入不重复) / Import a patrol sheet, all or nothing.

    表头: 日期 人员 网格编码 [走访户数 民情日记 发现问题 走访户] (表头别名见 `docs/formats.md`)。 / Headers: date
    person grid [households notes found visited], or the Chinese names (`docs/formats.md`).

    Example: gridctl patrol import 巡查日志.xlsx --dry-run
    """
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
app.command("list")(list_command("patrol", "gridctl patrol list --grid 黄河路社区 --since 2026-11-01",
                                 grid=True, team=True))
app.command("import")(import_)
app.command()(link)
app.command()(missing)
app.command("void")(void_command("patrol", 'gridctl patrol void 12 --reason "日期填错"'))
