"""`gridctl report …`: the weekly 动态台账, the monthly 通报 and the 公示 board as workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, AsOfOption, JsonOption, emit_json, group, guarded
from gridctl.cli.render import progress
from gridctl.messages import t

app = group()
UnitOption = typer.Option("--unit", "-u", help="网格 (含下级)、工作队或部门 / grid node, team or department")
OutputOption = typer.Option("--output", "-o", help="写入的 .xlsx 或 .csv (UTF-8) / the workbook or CSV to write")
PaperOption = typer.Option("--paper", help="纸张 A4 (默认) 或 A3 / paper size")


def _save(build, output: Path, as_json: bool) -> None:
    """`build()` (→ the workbook and its figures) inside the writing of `output`: a workbook's rows
    are rendered into scratch files as they are made, and a fault there (a full disk, `ulimit -f`)
    is this file not written, said by `replacing` with the file's name."""
    from gridctl.outfile import replacing

    with replacing(output) as temporary:
        with progress("progress.report", as_json):
            book, figures = build()
        book.save(temporary)
    if as_json:
        emit_json(figures)
    else:
        typer.echo(t("report.saved", file=output))


@app.command()
@guarded()
def weekly(
    unit: Annotated[str, UnitOption],
    output: Annotated[Path, OutputOption],
    week: Annotated[Optional[str], typer.Option("--week", help="ISO 周, 如 2026-W47 (默认本周) / ISO week, default this week")] = None,
    as_of: Annotated[Optional[str], AsOfOption] = None,
    paper: Annotated[str, PaperOption] = "A4",
    detail: Annotated[bool, typer.Option("--detail", help="加巡查明细 (每人每网格一行) / add the patrol rows per grid")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """网格化管理动态台账 (周报) / The weekly ledger of a unit as a printable workbook.

    工作表: 概况、问题台账、超期督办、巡查情况、未巡查、会议、说明。--as-of 定下“现在” (默认周末或此刻, 取较早者),
    其后的事件不计。-o x.csv 把问题台账写成 UTF-8 CSV (带 BOM)。 / Sheets: overview, issues, overdue,
    patrols, not patrolled, meetings, notes. --as-of fixes "now" (default: the end of the week, or
    now if sooner); events after it are ignored. -o x.csv writes the issues as UTF-8 CSV (with BOM).

    Example: gridctl report weekly --unit 经八路街道 --week 2026-W47 -o 动态台账.xlsx
    """
    from gridctl.reports.book import check_output, paper_named
    from gridctl.reports.weekly import weekly_report

    kind = check_output(output)
    if week is None:  # this week, as a clerk means it
        from datetime import date

        year, number, _ = date.today().isocalendar()
        week = f"{year}-W{number:02d}"
    sheet = paper_named(paper)
    _save(lambda: weekly_report(STATE.db, unit, week, as_of, sheet, detail, kind == "csv"), output, as_json)


@app.command()
@guarded()
def notice(
    grid: Annotated[str, typer.Option("--grid", "-g", help="网格 (其下每个网格一页) / grid node")],
    output: Annotated[Path, OutputOption],
    as_of: Annotated[Optional[str], AsOfOption] = None,
    paper: Annotated[str, PaperOption] = "A4",
    mask_phones: Annotated[bool, typer.Option("--mask-phones", help="手机号打码 (网上公示用) / mask the numbers for a copy posted online")] = False,
    supervision: Annotated[Optional[str], typer.Option("--supervision-phone", help="监督电话 (默认市级值班电话或 12345) / the complaints line")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """公示牌: 每个网格一页, 岗位、姓名、联系电话、职责, 值班与监督电话 / The public notice of each node.

    电话号码完整印出 (供群众拨打); --mask-phones 打码, 用于网上公示。-o x.csv 把各牌的行写成 UTF-8 CSV。 /
    Numbers are printed in full (residents call them); --mask-phones masks them for a copy
    posted online. -o x.csv writes the boards' rows as UTF-8 CSV.

    Example: gridctl report notice --grid 金水区/经八路街道/黄河路社区 -o 公示牌.xlsx
    """
    from gridctl.reports.book import check_output, paper_named
    from gridctl.reports.notice import notice_board

    kind = check_output(output)
    sheet = paper_named(paper)
    _save(lambda: notice_board(STATE.db, grid, as_of, sheet, mask_phones, supervision, kind == "csv"), output, as_json)


@app.command()
@guarded()
def monthly(
    unit: Annotated[str, UnitOption],
    month: Annotated[str, typer.Option("--month", help="月份, 如 2026-11 / month, e.g. 2026-11")],
    output: Annotated[Path, OutputOption],
    as_of: Annotated[Optional[str], AsOfOption] = None,
    paper: Annotated[str, PaperOption] = "A4",
    detail: Annotated[bool, typer.Option("--detail", help="加人员明细 (每人一行) / add the rows per person")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """月报暨考核通报: 总体情况、考评与排名、高发问题、超期未处置、人员、图表 / The monthly report.

    人员情况每个工作队一行; --detail 另加人员明细 (每人一行)。-o x.csv 把“二、考评与排名”写成 UTF-8 CSV (带 BOM)。 /
    The staff sheet has one row per work team; --detail adds the staff detail (one row per
    person). -o x.csv writes the assessment and ranking as UTF-8 CSV (with BOM).

    Example: gridctl report monthly --unit 经八路街道 --month 2026-11 -o 月报.xlsx
    """
    from gridctl.reports.book import check_output, paper_named
    from gridctl.reports.monthly import monthly_report

    kind = check_output(output)
    sheet = paper_named(paper)
    _save(lambda: monthly_report(STATE.db, unit, month, as_of, sheet, detail, kind == "csv"), output, as_json)
