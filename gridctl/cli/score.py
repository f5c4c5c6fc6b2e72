"""`gridctl score`: the quarterly (or yearly) assessment, its trace, approval and flags."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, guarded, named, usage_error
from gridctl.cli.render import progress
from gridctl.messages import CATALOGUE, action_words, t

app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False,
                  invoke_without_command=True)
QuarterOption = typer.Option("--quarter", "-q", help="opt.quarter")
YearOption = typer.Option("--year", help="opt.year")
ConfigOption = typer.Option("--config", help="opt.config")
ReasonOption = typer.Option("--reason", help="opt.score.reason")
PersonOption = typer.Option("--person", "-p", help="opt.score.person")
TeamOption = typer.Option("--team", help="opt.team")
UnitOption = typer.Option("--unit", "-u", help="opt.score.unit")


def _period(quarter: Optional[str], year: Optional[str]) -> str:
    """The period as the ledger keys it (`2026q3` is 2026Q3: `service.period_text`)."""
    from gridctl.scoring.service import period_text

    if bool(quarter) == bool(year):
        usage_error(t("issue.option_required", option="--quarter | --year"))
    return period_text(quarter or year or "")


def _fig(value: float | None, width: int = 6) -> str:
    """A figure rounded for display only (the results keep every digit)."""
    if value is None:
        text = t("scoring.unrated")
        return text.rjust(width - 2) if width > 2 else text
    return f"{value:{width}.2f}"


def _grade(name: str | None) -> str:
    """A grade in the reader's language where the catalogue knows it (scoring.yaml may name others)."""
    if not name:
        return ""
    return t(f"grade.{name}") if f"grade.{name}" in CATALOGUE else name


def _conduct_words(item) -> str:
    """One item of 思想作风 said in words, from the catalogue (`sc.explain.*`)."""
    key, p = item.calc.key, item.calc.params
    if key == "publicity" and p["quota"] <= 0:
        key = "publicity_none"
    elif key == "attendance" and p["absent"] == p["notices"] == 0:
        key = "attendance_clean"
    elif key == "study" and p["missed"] == p["patrols"] == p["meetings"] == 0:
        key = "study_clean"
    elif key == "satisfaction_scaled":
        p = p | {"points": p["scale"] * max(p["ws"], p["wf"], p["wu"])}
    return t(f"sc.explain.{key}", **p)


def _rate_words(rate: str, item, variant: str) -> str:
    """One rate of 工作业绩 in words: what was counted, or why it is not rated and what the rules
    then give (`0/0 → full (20)` is said 无应处置问题, 按规则记满分 20)."""
    key, p = item.calc.key, item.calc.params
    if key == "rate":
        name = {"satisfaction": "satisfaction_rate",
                "handling": "on_time_handling" if variant == "on_time" else "handling"}.get(rate, rate)
        return t(f"sc.explain.{name}", **p)
    rule = key.removeprefix("not_rated_")
    return t("sc.explain.joined", none=t(f"sc.explain.none.{rate}"), rule=t(f"sc.explain.rule.{rule}", **p))


def _said(label: str, points: float | None, words: str) -> str:
    if points is None:
        return "  " + t("sc.explain.item_unrated", item=label, words=words)
    return "  " + t("sc.explain.item", item=label, points=_fig(points, 0), words=words)


@app.callback()
@guarded()
def score(
    ctx: typer.Context,
    quarter: Annotated[Optional[str], QuarterOption] = None,
    year: Annotated[Optional[str], YearOption] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="opt.score.score.unit")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="opt.score.output")] = None,
    config: Annotated[Optional[Path], ConfigOption] = None,
    paper: Annotated[str, typer.Option("--paper", help="opt.paper")] = "A4",
    members: Annotated[bool, typer.Option("--members", help="opt.members")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    if ctx.invoked_subcommand:
        return
    from gridctl.reports.book import check_output, paper_named
    from gridctl import collector
    from gridctl.scoring.service import compute
    from gridctl.scoring.workbook import build

    kind = check_output(output) if output else None
    sheet = paper_named(paper)              # a wrong paper is refused before anything is computed
    with collector.paused():                # the results are acyclic: no collector passes over them
        with progress("progress.score", as_json):
            result = compute(STATE.db, _period(quarter, year), unit, config)
        if output:
            from gridctl.outfile import replacing

            with replacing(output) as temporary:
                build(result, sheet, kind == "csv").save(temporary)
        if as_json:
            data = result.to_dict(lazy=True)        # members written one by one (a city's are many)
            data.pop("config")
            emit_json(data | {"config_version": result.version, "missing": data.pop("gaps")})
            return
    if output:
        typer.echo(t("report.saved", file=output))
    else:
        _print_result(result, members)
    if result.unit:
        typer.echo(t("scoring.partial_view", unit=result.scope["name"] if result.scope else result.unit))
    _print_changed(result.changed)


def _print_result(result, members: bool) -> None:
    """The assessment for people: a header (period, scope, draft or approved), the teams, the
    dispatching units, the awards and, with --members, every member; tables aligned for CJK."""
    from gridctl.cli import render

    render.heading(t("scoring.title_all", period=result.period, as_of=result.as_of))
    render.line(_scope_line(result.scope))
    approval = result.approval
    render.line(t("scoring.approved", at=approval["at"], by=approval["actor"]) if approval
                else t("scoring.draft_notice"))
    render.line(f"{t('scoring.version')}: {result.version}")
    _print_teams(render, result)
    _print_units(render, result)
    _print_awards(render, result)
    if members:
        _print_members(render, result)
    elif result.members:
        render.line(t("scoring.members_hint", count=len(result.members)))


def _scope_line(scope: dict | None) -> str:
    if scope is None or scope["whole"]:
        return t("scoring.scope_all")
    return t("scoring.scope_node" if scope["default"] else "scoring.scope_unit", name=scope["name"])


def _rank(row) -> str:
    return str(row.rank) if row.rank else "-"


def _print_teams(render, result) -> None:
    heads = [t(k) for k in ("sc.rank", "sc.team", "scoring.col.name", "sc.unit", "scoring.col.rated",
                            "scoring.col.conduct", "scoring.col.performance", "sc.total", "sc.tier")]
    rows = []
    for row in sorted(result.teams, key=lambda x: (x.rank or 10**9, x.id)):
        if row.total is not None:
            grade = _grade(row.grade)
        else:                                   # why not rated, where the grade would be
            grade = t("scoring.note.no_rated_item" if row.performance is None else "scoring.note.no_votes")
        rows.append([_rank(row), row.team, row.name, row.unit, f"{row.rated_members}/{row.members}",
                     _fig(row.conduct, 0), _fig(row.performance, 0), _fig(row.total, 0), grade])
    render.table(heads, rows, title=t("scoring.teams"), wrap=(8,), right=(4, 5, 6, 7))


def _print_units(render, result) -> None:
    heads = [t(k) for k in ("sc.rank", "sc.unit", "sc.teams_count", "sc.total", "sc.tier")]
    rows = [[_rank(row), row.name, row.teams, _fig(row.total, 0), _grade(row.grade) if row.total is not None else ""]
            for row in sorted(result.units, key=lambda x: (x.rank or 10**9, x.id))]
    render.table(heads, rows, title=t("scoring.units"), right=(2, 3))


def _print_awards(render, result) -> None:
    if not result.awards:
        awards = result.config["awards"]
        render.line(t("scoring.no_awards", tier=f"{_grade(awards['min_tier'])} / {_grade(awards['min_member_tier'])}"))
        return
    rows = [[a.award + (f" ({t('sc.shared')})" if a.shared else ""), named(a.name, a.id), _fig(a.total, 0)]
            for a in result.awards]
    render.table([t("sc.award"), t("sc.who"), t("sc.total")], rows, title=t("scoring.awards"), right=(2,))


def _print_members(render, result) -> None:
    heads = [t(k) for k in ("sc.rank", "sc.team", "sc.person", "sc.name", "sc.role", "scoring.col.conduct",
                            "scoring.col.performance", "sc.total", "sc.tier")]
    rows = []
    for m in sorted(result.members, key=lambda m: (m.rank or 10**9, m.id)):
        grade = _grade(m.grade) or t("scoring.unrated")     # the workbook's word (why: its 备注, `score explain`)
        rows.append([_rank(m), m.team, m.person, m.name or "", t(f"sc.{m.role}"), _fig(m.conduct, 0),
                     _fig(m.performance, 0), _fig(m.total, 0), grade])
    render.table(heads, rows, title=t("scoring.members"), right=(5, 6, 7))


def _print_changed(changed: dict | None) -> None:
    if not changed or not changed["events"]:
        return
    typer.echo(t("scoring.changed_since", events=len(changed["events"]), figures=len(changed["figures"])))
    for row in changed["figures"]:
        typer.echo(t("scoring.changed_row", id=row["id"], approved=_fig(row["approved"], 0), now=_fig(row["now"], 0)))
    for e in changed["events"]:
        typer.echo(t("scoring.changed_event", seq=e["seq"], action=action_words(e["action"]), subject=e["issue"] or e["record"] or "",
                     happened_at=e["happened_at"], recorded_at=e["recorded_at"].replace("T", " ")))


@app.command()
@guarded()
def explain(
    person: Annotated[str, PersonOption],
    quarter: Annotated[Optional[str], QuarterOption] = None,
    year: Annotated[Optional[str], YearOption] = None,
    config: Annotated[Optional[Path], ConfigOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.scoring.service import explain as run

    result = run(STATE.db, person, _period(quarter, year), config)
    if as_json:
        data = result.to_dict()
        emit_json({"person": result.members[0].person, "period": result.period, "version": result.version,
                   "as_of": result.as_of, "handling_variant": result.config["handling_variant"],
                   "memberships": data["members"]})
        return
    if result.approval:
        typer.echo(t("scoring.explain_live", at=result.approval["at"], by=result.approval["actor"]))
    for m in result.members:
        _print_trace(result, m)


def _ids(ids: list[str]) -> str:
    return ", ".join(ids) or "-"


def _print_trace(result, m) -> None:
    typer.echo(t("sc.explain_head", person=m.person, name=m.name or "", team=m.team, team_name=m.team_name,
                 role=t(f"sc.{m.role}"), period=result.period, version=result.version))
    rows = m.rows
    where = {"publicity": [("kind.publicity", rows["publicity"])],
             "attendance": [("kind.attendance", rows["attendance"])],
             "study": [("kind.study", rows["study"]), ("sc.patrol_weeks", rows["patrol_weeks"]),
                       ("sc.meetings", rows["meetings"])],
             "satisfaction": [("kind.survey", rows["survey"])]}
    for key, item in m.conduct_items.items():
        typer.echo(_said(t("sc.cfg." + key), item.points, _conduct_words(item)))
        for label, ids in where[key]:
            typer.echo(f"    {t(label)}: {_ids(ids)}")
    typer.echo(f"  {t('sc.conduct')} = {_fig(m.conduct, 0)}")
    variant = result.config["handling_variant"]
    for key, item in m.performance_items.items():
        typer.echo(_said(t("rate." + key), item.points, _rate_words(key, item, variant)))
        ids = rows["issues"]["on_time_handling" if key == "handling" and variant == "on_time" else key]
        typer.echo(f"    {t('sc.issues_num')}: {_ids(ids['numerator'])}")
        typer.echo(f"    {t('sc.issues_den')}: {_ids(ids['denominator'])}")
    if m.performance is not None and any(i.points is None for i in m.performance_items.values()):
        scale = 80 / sum(i.calc.params["weight"] for i in m.performance_items.values() if i.points is not None)
        typer.echo(f"  {t('sc.explain.prorate', scale=scale)}")
    typer.echo(f"  {t('sc.performance')} = {_fig(m.performance, 0)}")
    if m.total is None:
        typer.echo(f"  {t('sc.not_rated_total', missing=', '.join(_missing(x) for x in m.missing))}")
    else:
        typer.echo(f"  {t('sc.total')} = {_fig(m.conduct, 0)} + {_fig(m.performance, 0)} = {_fig(m.total, 0)} "
                   f"({_grade(m.grade)}, {m.letter})")
    reasons = [t(f"sc.unfit.{u}") for u in m.unfit if u in ("absent", "notices")]
    if reasons:
        typer.echo(f"  {t('sc.unfit_by_rule', reasons='; '.join(reasons))}")
    earlier = [u for u in m.unfit if u not in ("absent", "notices")]
    if earlier:
        typer.echo(f"  {t('sc.unfit_before', periods=', '.join(earlier))}")


def _missing(item: str) -> str:
    """A 缺项 name: `team:discovery` → 工作队 发现率; `survey` → 民意测评."""
    if item.startswith("team:"):
        key = item.split(":", 1)[1]
        return f"{t('sc.team')} {t('rate.' + key) if key != 'performance' else t('sc.item.performance')}"
    return t(f"sc.item.{item}")


@app.command()
@guarded()
def approve(
    quarter: Annotated[Optional[str], QuarterOption] = None,
    year: Annotated[Optional[str], YearOption] = None,
    config: Annotated[Optional[Path], ConfigOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.scoring.marks import approve as run

    period = _period(quarter, year)
    result = run(STATE.db, period, STATE.by, config)
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("scoring.approved_now", period=period))


@app.command()
@guarded()
def reopen(
    reason: Annotated[str, ReasonOption],
    quarter: Annotated[Optional[str], QuarterOption] = None,
    year: Annotated[Optional[str], YearOption] = None,
    config: Annotated[Optional[Path], ConfigOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.scoring.marks import reopen as run

    period = _period(quarter, year)
    result = run(STATE.db, period, reason, STATE.by, config)
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("scoring.reopened", period=period, reason=reason))


def _subject(person, team, unit) -> tuple[str, str]:
    """The one subject given (`--person`, `--team` or `--unit`); one of blanks is none given (it
    was looked up as a person named " ": 人员   不存在)."""
    given = [(k, v.strip()) for k, v in (("person", person), ("team", team), ("unit", unit)) if v and v.strip()]
    if len(given) != 1:
        usage_error(t("scoring.need_one_subject"))
    return given[0]


@app.command()
@guarded()
def flag(
    reason: Annotated[str, typer.Option("--reason", help="opt.score.flag.reason")],
    person: Annotated[Optional[str], PersonOption] = None,
    team: Annotated[Optional[str], TeamOption] = None,
    unit: Annotated[Optional[str], UnitOption] = None,
    quarter: Annotated[Optional[str], QuarterOption] = None,
    year: Annotated[Optional[str], YearOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.scoring.marks import flag as run

    kind, subject = _subject(person, team, unit)
    result = run(STATE.db, _period(quarter, year), kind, subject, reason, STATE.by)
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("scoring.flagged", subject=subject, reason=reason))


@app.command()
@guarded()
def unflag(
    reason: Annotated[str, ReasonOption],
    person: Annotated[Optional[str], PersonOption] = None,
    team: Annotated[Optional[str], TeamOption] = None,
    unit: Annotated[Optional[str], UnitOption] = None,
    quarter: Annotated[Optional[str], QuarterOption] = None,
    year: Annotated[Optional[str], YearOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.scoring.marks import unflag as run

    kind, subject = _subject(person, team, unit)
    result = run(STATE.db, _period(quarter, year), kind, subject, reason, STATE.by)
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("scoring.unflagged", subject=subject, reason=reason))
