"""`gridctl score`: the quarterly (or yearly) assessment, its trace, approval and flags."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, err, guarded
from gridctl.messages import t

app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False,
                  invoke_without_command=True)
QuarterOption = typer.Option("--quarter", "-q", help="考核季度, 如 2026Q4 / the quarter")
YearOption = typer.Option("--year", help="全年考核, 如 2026 / a whole year")
ConfigOption = typer.Option("--config", help="考核配置 (默认 configs/scoring.yaml) / scoring config")


def _period(quarter: Optional[str], year: Optional[str]) -> str:
    if bool(quarter) == bool(year):
        err(t("issue.option_required", option="--quarter | --year"))
        raise typer.Exit(2)
    return quarter or year


@app.callback()
@guarded()
def score(
    ctx: typer.Context,
    quarter: Annotated[Optional[str], QuarterOption] = None,
    year: Annotated[Optional[str], YearOption] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="工作队、派出单位或网格 / team, unit or grid")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="写入的 .xlsx")] = None,
    config: Annotated[Optional[Path], ConfigOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """考核: 每名成员、工作队、派出单位的百分制得分与奖项 / The assessment of members, teams and units.

    Member = own conduct (20) + the team's performance (80); team = mean of members;
    dispatching unit = mean of its teams. Weights, rules and cut-offs: configs/scoring.yaml.

    Example: gridctl score --quarter 2026Q4 -o 考核.xlsx
    """
    if ctx.invoked_subcommand:
        return
    from gridctl.scoring.service import compute
    from gridctl.scoring.workbook import build

    result = compute(STATE.db, _period(quarter, year), unit, config)
    if output:
        build(result).save(output)
    if as_json:
        emit_json({k: v for k, v in result.items() if k != "config"} | {"config_version": result["version"]})
    elif output:
        typer.echo(t("report.saved", file=output))
    else:
        for m in sorted(result["members"], key=lambda m: (m["rank"] or 10**9, m["id"])):
            typer.echo(f"{m['rank'] or '-':>4} {m['team']:<8} {m['person']:<10} {m['name'] or '':<6} "
                       f"{m['conduct']:6.2f} + {m['performance']:6.2f} = {m['total']:6.2f} {m['grade']}")


@app.command()
@guarded()
def explain(
    person: Annotated[str, typer.Option("--person", "-p", help="人员 / person")],
    quarter: Annotated[Optional[str], QuarterOption] = None,
    year: Annotated[Optional[str], YearOption] = None,
    config: Annotated[Optional[Path], ConfigOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """一个人得分的每一项及其台账依据 / Every figure of one person's score and the rows behind it.

    Example: gridctl score explain --person P102 --quarter 2026Q4
    """
    from gridctl.scoring.service import explain as run

    result = run(STATE.db, person, _period(quarter, year), config)
    if as_json:
        emit_json(result)
        return
    for m in result["memberships"]:
        typer.echo(f"{m['person']} {m['name']} — {m['team']} {m['team_name']} ({t('sc.' + m['role'])}), "
                   f"{result['period']}, {t('scoring.version')} {result['version']}")
        for key, item in m["conduct_items"].items():
            typer.echo(f"  {t('sc.cfg.' + key)}: {item['arithmetic']} = {item['points']:.2f}")
        rows = m["rows"]
        typer.echo(f"    {t('kind.publicity')}: {', '.join(rows['publicity']) or '-'}")
        typer.echo(f"    {t('kind.attendance')}: {', '.join(rows['attendance']) or '-'}")
        typer.echo(f"    {t('kind.study')}: {', '.join(rows['study']) or '-'}")
        typer.echo(f"    {t('kind.survey')}: {', '.join(rows['survey']) or '-'}")
        typer.echo(f"  {t('sc.conduct')} = {m['conduct']:.2f}")
        for key, item in m["performance_items"].items():
            typer.echo(f"  {t('rate.' + key)}: {item['arithmetic']} = {item['points']:.2f}")
            ids = rows["issues"]["on_time_handling" if key == "handling" and result["handling_variant"] == "on_time" else key]
            typer.echo(f"    {t('report.num')}: {', '.join(ids['numerator']) or '-'}")
            typer.echo(f"    {t('report.den')}: {', '.join(ids['denominator']) or '-'}")
        typer.echo(f"  {t('sc.performance')} = {m['performance']:.2f}")
        typer.echo(f"  {t('sc.total')} = {m['conduct']:.2f} + {m['performance']:.2f} = {m['total']:.2f} "
                   f"({m['grade']}, {m['letter']})")


@app.command()
@guarded()
def approve(
    quarter: Annotated[Optional[str], QuarterOption] = None,
    year: Annotated[Optional[str], YearOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """批准考核结果 (记入事件链); 未批准的结果标注“未经批准 不得外传” / Approve a period's results.

    Example: gridctl --by P001 score approve --quarter 2026Q4
    """
    from gridctl.scoring.service import mark

    period = _period(quarter, year)
    result = mark(STATE.db, period, "approve", None, None, STATE.by)
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("scoring.approved_now", period=period))


@app.command()
@guarded()
def flag(
    reason: Annotated[str, typer.Option("--reason", help="虚报/谎报的事实 / what was falsely reported")],
    person: Annotated[Optional[str], typer.Option("--person", "-p")] = None,
    team: Annotated[Optional[str], typer.Option("--team")] = None,
    quarter: Annotated[Optional[str], QuarterOption] = None,
    year: Annotated[Optional[str], YearOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """记录考核发现的虚报、谎报: 该成员或工作队不得评先 / Flag false reporting found by assessors.

    Example: gridctl score flag --team T02 --quarter 2026Q4 --reason "虚报走访户数"
    """
    from gridctl.scoring.service import mark

    if bool(person) == bool(team):
        err(t("scoring.need_subject"))
        raise typer.Exit(2)
    result = mark(STATE.db, _period(quarter, year), "flag", person or team, reason, STATE.by)
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("scoring.flagged", subject=person or team, reason=reason))
