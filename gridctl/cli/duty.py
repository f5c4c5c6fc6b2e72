"""`duty who`: the duty matrix applied to one node, with the rule behind each answer."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, group, AsOfOption, JsonOption, emit_json, guarded
from gridctl.messages import t

app = group()


@app.command()
@guarded()
def who(
    category: Annotated[str, typer.Option("--category", "-c", help="opt.duty.category")],
    grid: Annotated[str, typer.Option("--grid", "-g", help="opt.duty.grid")],
    as_of: Annotated[Optional[str], AsOfOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.territory import duty_who

    answer = duty_who(STATE.db, category, grid, as_of)
    if as_json:
        emit_json(answer.to_dict())
        return
    _print_route(answer)


def _describe(key: str, value) -> str:
    if value is None:
        return t("grid.none")
    if key == "lead":
        return "、".join(f"{p['name']} ({p['id']})" for p in value["people"]) + f" — {value['role']} @ {value['grid_path']}"
    if key in ("department", "assist"):
        return "、".join(f"{v['name']} ({v['code']})" for v in value)
    if key == "authority":
        return t(f"level.{value}")
    if key == "platform":
        return f"{value['name']} ({t('platform.' + value['level'])})"
    return value["text"]


def _print_route(route) -> None:
    from gridctl.cli import render

    rows = [[t(f"duty.{key}"), _describe(key, getattr(route, key).value), getattr(route, key).rule]
            for key in ("lead", "department", "assist", "authority", "platform", "deadline")]
    render.table(["", t("duty.answer"), t("duty.rule")], rows, lines=True, wrap=(1, 2),
                 title=t("duty.title", category=route.category["name"], grid=route.grid["path"]))
