"""Conduct records (思想作风): `meeting`, `attendance`, `study`, `publicity`, `survey`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, group, guarded, show_encoding
from gridctl.cli.records_common import list_command, print_table, show_added, void_command
from gridctl.cli.render import progress
from gridctl.messages import t

meeting, attendance, study, publicity, survey = group(), group(), group(), group(), group()
PersonOption = typer.Option("--person", "-p", help="人员编号或姓名 / person id or unique name")
DateOption = typer.Option("--date", "-d", help="日期 YYYY-MM-DD / date YYYY-MM-DD")


def _add(kind: str, values: dict, as_json: bool) -> None:
    from gridctl.records.service import add_record

    show_added(kind, add_record(STATE.db, kind, values, STATE.by), as_json)


@guarded()
def meeting_add(
    unit: Annotated[str, typer.Option("--unit", help="工作队、网格或部门 / team, grid or department")],
    date: Annotated[str, DateOption],
    kind: Annotated[str, typer.Option("--kind", help="会议类别: `碰头会` | `民情分析会` | `例会` / kind: `碰头会` (weekly stand-up), `民情分析会` (public-opinion analysis) or `例会` (regular meeting)")],
    attendees: Annotated[Optional[str], typer.Option("--attendees", help="参会人员, 逗号分隔 / attendees, separated by commas")] = None,
    notes: Annotated[Optional[str], typer.Option("--notes", help="会议记录 / minutes")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """记录会议 (碰头会、民情分析会、例会) / Record a meeting.

    Example: gridctl meeting add --unit T01 -d 2026-11-20 --kind 碰头会 --attendees P101,P102
    """
    _add("meeting", {"unit": unit, "date": date, "kind": kind, "attendees": attendees, "notes": notes},
         as_json)


@guarded()
def meeting_missing(
    week: Annotated[str, typer.Option("--week", help="ISO 周, 如 2026-W47 / ISO week, e.g. 2026-W47")],
    unit: Annotated[Optional[str], typer.Option("--unit", help="工作队 / team")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """本周应开而未开碰头会的工作队 / Teams that owed a meeting in the week and held none.

    Example: gridctl meeting missing --week 2026-W47
    """
    from gridctl.records.weekly import meeting_missing as find

    result = find(STATE.db, week, unit)
    if as_json:
        emit_json(result)
        return
    typer.echo(t("missing.meetings", week=week, monday=result["monday"], sunday=result["sunday"],
                 owed=result["owed"], n=len(result["missing"])))
    print_table(["col.team", "grid.name", "col.kind", "missing.held"],
                [[m["team"], m["name"], m["kind"], m["held"]] for m in result["missing"]])


@guarded()
def attendance_add(
    person: Annotated[str, PersonOption], date: Annotated[str, DateOption],
    kind: Annotated[str, typer.Option("--kind", help="类别: `请假` | `销假` | `不在岗` | `督查通报` / kind: `leave`, `cancel`, `absent` or `notice`")],
    days: Annotated[Optional[int], typer.Option("--days", min=1, help="天数 (默认 1) / days (default 1)")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="事由 / reason")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """记录出勤: 请假、销假、不在岗、督查通报 / Record leave, its cancellation, an absence or a notice.

    批准的请假在考核中按在岗计。 / Approved leave counts as present in the assessment.

    Example: gridctl attendance add -p P102 -d 2026-11-18 --kind 请假 --days 2 --reason 病假
    """
    _add("attendance", {"person": person, "date": date, "kind": kind, "days": days, "reason": reason},
         as_json)


@guarded()
def study_add(
    person: Annotated[str, PersonOption], date: Annotated[str, DateOption],
    kind: Annotated[str, typer.Option("--kind", help="类别: `组织学习` | `汇报` | `参加会议` | `参与巡查` / kind: `study`, `report`, `meeting` or `patrol`")],
    attended: Annotated[str, typer.Option("--attended", help="是否参加: `yes` 或 `no` (缺席记 `no`) / `yes` or `no` (missed)")] = "yes",
    notes: Annotated[Optional[str], typer.Option("--notes", help="备注 / notes")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """记录学习、汇报、会议、巡查的参加情况 / Record a study session or meeting, attended or missed.

    Example: gridctl study add -p P103 -d 2026-11-19 --kind study --attended no
    """
    _add("study", {"person": person, "date": date, "kind": kind, "attended": attended, "notes": notes},
         as_json)


@guarded()
def publicity_add(
    person: Annotated[str, PersonOption], date: Annotated[str, DateOption],
    kind: Annotated[str, typer.Option("--kind", help="类别: `工作动态` | `工作简报` | `工作研究` / kind: `工作动态` (news), `工作简报` (bulletin) or `工作研究` (study)")],
    title: Annotated[str, typer.Option("--title", help="标题 / title")],
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="刊发平台 / where it was published")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """记录宣传报道 (工作动态、工作简报、工作研究) / Record a publicity item.

    Example: gridctl publicity add -p P101 -d 2026-11-20 --kind 工作动态 --title "驻村工作队走访困难户"
    """
    _add("publicity", {"person": person, "date": date, "kind": kind, "title": title, "outlet": outlet},
         as_json)


@guarded()
def survey_add(
    team: Annotated[str, typer.Option("--team", help="工作队 / team")],
    date: Annotated[str, DateOption],
    participants: Annotated[int, typer.Option("--participants", help="参会人数 (至少 50) / participants (at least 50)")],
    person: Annotated[str, PersonOption],
    satisfied: Annotated[int, typer.Option("--satisfied", min=0, help="满意票 / votes satisfied")],
    fair: Annotated[int, typer.Option("--fair", min=0, help="一般满意票 / votes fairly satisfied")],
    unsatisfied: Annotated[int, typer.Option("--unsatisfied", min=0, help="不满意票 / votes unsatisfied")],
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """记录一名队员的民意测评结果 / Record one member's opinion-survey votes.

    参会人数少于 `configs/conduct.yaml` 的要求 (50) 或票数多于参会人数时拒绝。 / Refused with fewer
    participants than `configs/conduct.yaml` asks (50) or more votes than participants.

    Example: gridctl survey add --team T01 -d 2026-11-25 --participants 56 -p P102 --satisfied 48 --fair 6 --unsatisfied 2
    """
    _add("survey", {"team": team, "date": date, "participants": participants, "person": person,
                    "satisfied": satisfied, "fair": fair, "unsatisfied": unsatisfied}, as_json)


@guarded()
def survey_import(
    file: Annotated[Path, typer.Argument(help=".xlsx 或 .csv 文件 / an .xlsx or .csv file")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查不写入 / check only, write nothing")] = False,
    ignore_extra: Annotated[bool, typer.Option("--ignore-extra", help="忽略多余的列 / ignore columns gridctl does not know")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """导入民意测评表 (每行一名队员) / Import a survey sheet, one row per member, all or nothing.

    表头: 工作队 日期 参会人数 人员 满意 一般满意 不满意 (表头别名见 `docs/formats.md`)。 / Headers: team date
    participants person satisfied fair unsatisfied, or the Chinese names (`docs/formats.md`).

    Example: gridctl survey import 民意测评.xlsx
    """
    from gridctl.records.transfer import import_surveys

    with progress("progress.import", as_json) as meter:
        result = import_surveys(STATE.db, file, dry_run=dry_run, ignore_extra=ignore_extra, actor=STATE.by,
                                meter=meter)
    if as_json:
        emit_json(result)
    else:
        show_encoding(result["encoding"])
        typer.echo(t("import.dry_run" if dry_run else "import.done", rows=result["rows"],
                     imported=result["imported"], already=result["already"]))


meeting.command("add")(meeting_add)
meeting.command("list")(list_command("meeting", "gridctl meeting list --since 2026-11-01"))
meeting.command("missing")(meeting_missing)
meeting.command("void")(void_command("meeting", 'gridctl meeting void 3 --reason "重复记录"'))
attendance.command("add")(attendance_add)
attendance.command("list")(list_command("attendance", "gridctl attendance list -p P102"))
attendance.command("void")(void_command("attendance", 'gridctl attendance void 5 --reason "录错人"'))
study.command("add")(study_add)
study.command("list")(list_command("study", "gridctl study list -p P103"))
study.command("void")(void_command("study", 'gridctl study void 2 --reason "日期有误"'))
publicity.command("add")(publicity_add)
publicity.command("list")(list_command("publicity", "gridctl publicity list --since 2026-10-01"))
publicity.command("void")(void_command("publicity", 'gridctl publicity void 1 --reason "重复"'))
survey.command("add")(survey_add)
survey.command("import")(survey_import)
survey.command("list")(list_command("survey", "gridctl survey list --team T01", team=True))
survey.command("void")(void_command("survey", 'gridctl survey void 4 --reason "票数录错"'))
