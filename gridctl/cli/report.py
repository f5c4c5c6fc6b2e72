"""`gridctl report …`: the weekly 动态台账, the monthly 通报 and the 公示 board as workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, AsOfOption, JsonOption, emit_json, group, guarded
from gridctl.cli.render import progress
from gridctl.messages import t

app = group()
UnitOption = typer.Option("--unit", "-u", help="opt.report.unit")
OutputOption = typer.Option("--output", "-o", help="opt.report.output")
PaperOption = typer.Option("--paper", help="opt.paper")


def _save(build, output: Path, as_json: bool) -> None:
    """`build()` (→ the workbook and its figures) inside the writing of `output`: a workbook's rows
    are rendered into scratch files as they are made, and a fault there (a full disk, `ulimit -f`)
    is this file not written, said by `replacing` with the file's name."""
    from gridctl import collector
    from gridctl.outfile import replacing

    with replacing(output) as temporary, collector.paused():     # a city's rows make no cycles
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
    week: Annotated[Optional[str], typer.Option("--week", help="opt.report.week")] = None,
    as_of: Annotated[Optional[str], AsOfOption] = None,
    paper: Annotated[str, PaperOption] = "A4",
    detail: Annotated[bool, typer.Option("--detail", help="opt.report.weekly.detail")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.reports.book import check_output, paper_named
    from gridctl.records.rules import week_text
    from gridctl.reports.weekly import weekly_report

    kind = check_output(output)
    if week is None:  # this week, as a clerk means it
        from datetime import date

        year, number, _ = date.today().isocalendar()
        week = f"{year}-W{number:02d}"
    week = week_text(week)                  # 2026-w47 is 2026-W47, and said so on the workbook
    sheet = paper_named(paper)
    _save(lambda: weekly_report(STATE.db, unit, week, as_of, sheet, detail, kind == "csv"), output, as_json)


@app.command()
@guarded()
def notice(
    grid: Annotated[str, typer.Option("--grid", "-g", help="opt.report.grid")],
    output: Annotated[Path, OutputOption],
    as_of: Annotated[Optional[str], AsOfOption] = None,
    paper: Annotated[str, PaperOption] = "A4",
    mask_phones: Annotated[bool, typer.Option("--mask-phones", help="opt.mask_phones")] = False,
    supervision: Annotated[Optional[str], typer.Option("--supervision-phone", help="opt.supervision_phone")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.reports.book import check_output, paper_named
    from gridctl.reports.notice import notice_board

    kind = check_output(output)
    sheet = paper_named(paper)
    _save(lambda: notice_board(STATE.db, grid, as_of, sheet, mask_phones, supervision, kind == "csv"), output, as_json)


@app.command()
@guarded()
def monthly(
    unit: Annotated[str, UnitOption],
    month: Annotated[str, typer.Option("--month", help="opt.report.month")],
    output: Annotated[Path, OutputOption],
    as_of: Annotated[Optional[str], AsOfOption] = None,
    paper: Annotated[str, PaperOption] = "A4",
    detail: Annotated[bool, typer.Option("--detail", help="opt.report.monthly.detail")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.reports.book import check_output, paper_named
    from gridctl.reports.monthly import monthly_report

    kind = check_output(output)
    sheet = paper_named(paper)
    _save(lambda: monthly_report(STATE.db, unit, month, as_of, sheet, detail, kind == "csv"), output, as_json)
