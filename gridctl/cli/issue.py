"""`gridctl issue …`: the issue ledger's life cycle, reading, import and export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, err, group, guarded, named
from gridctl.messages import t

if TYPE_CHECKING:
    from gridctl.issues.service import IssueView

app = group()
ReasonOption = typer.Option("--reason", help="理由 / reason")
IdArg = typer.Argument(help="问题编号 (完整或本台账短号 42) / issue id, full or short (42)")
AtOption = typer.Option("--at", help="发生时间 YYYY-MM-DD HH:MM (默认现在) / when it happened")
NoteOption = typer.Option("--note", help="情况记录 / a note")


def _show_move(item: IssueView, as_json: bool, before: str | None = None) -> None:
    if as_json:
        emit_json(item.as_dict())
        return
    s = item.state
    typer.echo(t("issue.moved", id=s.id, from_status=t(f"action.{s.last_action}"),
                 to_status=t(f"status.{s.status}")))
    typer.echo(t("issue.deadline_line", rule=item.deadline_text,
                 deadline=s.deadline or t("issue.not_yet")))


def _move(action: str, issue: str, at, note, as_json: bool, **params) -> IssueView:
    from gridctl.issues.service import act

    item = act(STATE.db, issue, action, at=at, actor=STATE.by, note=note, **params)
    _show_move(item, as_json)
    return item


@guarded()
def add(
    grid: Annotated[str, typer.Option("--grid", "-g", help="网格编码或路径 / grid code or path")],
    category: Annotated[str, typer.Option("--category", "-c", help="问题类别 / category, name or code")],
    source: Annotated[str, typer.Option("--source", "-s", help="来源: 巡查发现、群众举报、来访、热线电话、网络平台、上级交办、督查发现 (别名见 `configs/sources.yaml`) / source: `patrol`, `report`, `visit`, `hotline`, `online`, `assigned` or `inspection` (or the Chinese names; aliases in `configs/sources.yaml`)")],
    title: Annotated[str, typer.Option("--title", "-t", help="问题描述 / what is wrong")],
    found_at: Annotated[Optional[str], typer.Option("--found-at", help="发现时间 (默认同上报时间) / when found")] = None,
    place: Annotated[Optional[str], typer.Option("--place", help="地点 / place")] = None,
    reporter: Annotated[Optional[str], typer.Option("--reporter", help="上报人 (默认 --by) / reporter")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", help="联系电话 / phone")] = None,
    ref: Annotated[Optional[str], typer.Option("--ref", help="原台账编号 / the clerk's own number")] = None,
    patrol: Annotated[Optional[str], typer.Option("--patrol", help="发现该问题的巡查编号 / the patrol that found it")] = None,
    on_the_spot: Annotated[bool, typer.Option("--on-the-spot", help="当场解决: 登记并结案 / add and close at once")] = False,
    force: Annotated[bool, typer.Option("--force", help="确认不是重复, 照样登记 / record despite similar issues")] = False,
    at: Annotated[Optional[str], AtOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """登记问题并按职责路由 / Record an issue and route it through the duty matrix.

    同一网格、同一类别、前后几天内 (`calendar.yaml` 的 `duplicate_days`) 已有描述相近的问题时,
    列出这些问题而不登记 (退出码 1); 确认不是重复再加 `--force` /
    A similar issue of the same grid and category within `duplicate_days` (`calendar.yaml`):
    listed, nothing recorded (exit 1); `--force` records it anyway.

    Example: gridctl --by P007 issue add -g 410105001001001 -c 非法建设 -s 巡查发现 -t "楼顶违建" --place "3号楼顶"
    """
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
           duplicate_of: Annotated[Optional[str], typer.Option("--duplicate-of", help="重复于哪个问题 (编号) / the issue this one repeats")] = None,
           at: Annotated[Optional[str], AtOption] = None, note: Annotated[Optional[str], NoteOption] = None,
           as_json: Annotated[bool, JsonOption] = False) -> None:
    """不予受理 / Reject an issue, with the reason.

    `--duplicate-of` 指明它重复的问题, 两个问题的 `issue show` 都显示这一关联 /
    `--duplicate-of` names the issue it repeats; `issue show` of either shows the link.

    Example: gridctl issue reject 43 --reason "重复上报" --duplicate-of 42
    """
    item = _move("reject", issue, at, note, as_json, reason=reason, duplicate_of=duplicate_of)
    if duplicate_of and not as_json:
        typer.echo(t("issue.marked_duplicate", id=item.state.id, original=item.duplicate_of))


@guarded()
def dispatch(issue: Annotated[str, IdArg],
             to: Annotated[Optional[str], typer.Option("--to", help="部门/工作队/人员 (默认路由的部门) / department, team or person")] = None,
             at: Annotated[Optional[str], AtOption] = None, note: Annotated[Optional[str], NoteOption] = None,
             as_json: Annotated[bool, JsonOption] = False) -> None:
    """派遣处置 / Dispatch an issue to a department, team or person.

    Example: gridctl issue dispatch 42 --to CG105
    """
    _move("dispatch", issue, at, note, as_json, to=to)


@guarded()
def escalate(issue: Annotated[str, IdArg], reason: Annotated[Optional[str], ReasonOption] = None,
             at: Annotated[Optional[str], AtOption] = None, note: Annotated[Optional[str], NoteOption] = None,
             as_json: Annotated[bool, JsonOption] = False) -> None:
    """上报上一级平台 (逐级上报) / Escalate: the platform one level up holds it.

    Example: gridctl issue escalate 42 --reason "需区城管执法"
    """
    _move("escalate", issue, at, note, as_json, reason=reason)


@guarded()
def extend(issue: Annotated[str, IdArg],
           days: Annotated[int, typer.Option("--days", help="延长天数 (工作日或自然日, 随时限类型) / days")],
           reason: Annotated[str, ReasonOption],
           approver: Annotated[str, typer.Option("--approver", help="批准人: 人员编号或唯一姓名 / who approved: a person's id or unique name")],
           at: Annotated[Optional[str], AtOption] = None, note: Annotated[Optional[str], NoteOption] = None,
           as_json: Annotated[bool, JsonOption] = False) -> None:
    """延期 / Extend the deadline, with reason and approver.

    Example: gridctl issue extend 42 --days 3 --reason "需协调产权单位" --approver P001
    """
    _move("extend", issue, at, note, as_json, days=days, reason=reason, approver=approver)


@guarded()
def callback(issue: Annotated[str, IdArg],
             result: Annotated[str, typer.Option("--result", help="回访结果: 满意、基本满意、不满意 / result: `满意` (satisfied), `基本满意` (fairly satisfied) or `不满意` (unsatisfied)")],
             at: Annotated[Optional[str], AtOption] = None, note: Annotated[Optional[str], NoteOption] = None,
             as_json: Annotated[bool, JsonOption] = False) -> None:
    """群众回访 (结案后) / Record the citizen's callback after closing.

    Example: gridctl issue callback 42 --result 满意
    """
    _move("callback", issue, at, note, as_json, result=result)


def _plain_move(action: str, doc: str):
    """A move that takes only the common options (accept, handle, close)."""

    def command(issue: Annotated[str, IdArg], at: Annotated[Optional[str], AtOption] = None,
                note: Annotated[Optional[str], NoteOption] = None,
                as_json: Annotated[bool, JsonOption] = False) -> None:
        _move(action, issue, at, note, as_json)

    command.__doc__ = doc
    return guarded()(command)


def _reason_move(action: str, doc: str):
    """A move that must say why (reject, rework, reopen)."""

    def command(issue: Annotated[str, IdArg], reason: Annotated[str, ReasonOption],
                at: Annotated[Optional[str], AtOption] = None,
                note: Annotated[Optional[str], NoteOption] = None,
                as_json: Annotated[bool, JsonOption] = False) -> None:
        _move(action, issue, at, note, as_json, reason=reason)

    command.__doc__ = doc
    return guarded()(command)


PLAIN = {
    "accept": '受理/立案; 办结时限自此起算 / Accept an issue; its deadline starts now.\n\n'
              'Example: gridctl issue accept 42 --at "2026-11-20 09:00"',
    "handle": '处置完毕 / Record that the issue was handled.\n\nExample: gridctl issue handle 42 --note "已拆除"',
    "close": '核查结案 / Close after checking the handling.\n\n'
             'Example: gridctl issue close 42 --note "现场核查属实"',
}
WITH_REASON = {
    "rework": '返工: 已处置 → 处置中 / Send handled work back for rework.\n\n'
              'Example: gridctl issue rework 42 --reason "未清理完"',
    "reopen": '重新办理: 已结案 → 处置中 / Reopen a closed issue.\n\n'
              'Example: gridctl issue reopen 42 --reason "群众反映问题复发"',
}
OWN = {"add": add, "reject": reject, "dispatch": dispatch, "escalate": escalate, "extend": extend, "callback": callback}

for _name in ("add", "accept", "dispatch", "handle", "close", "reject", "escalate", "rework", "extend",
              "reopen", "callback"):  # the life cycle's order, as `gridctl issue --help` lists them
    if _name in PLAIN:
        app.command(_name)(_plain_move(_name, PLAIN[_name]))
    elif _name in WITH_REASON:
        app.command(_name)(_reason_move(_name, WITH_REASON[_name]))
    else:
        app.command(_name)(OWN[_name])
