"""`grid tree` and `grid show`: the territory as the ledger holds it."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, group, AsOfOption, JsonOption, emit_json, guarded
from gridctl.messages import t

app = group()
NodeArg = typer.Argument(help="arg.node")


@app.command()
@guarded()
def tree(
    node: Annotated[Optional[str], NodeArg] = None,
    depth: Annotated[Optional[int], typer.Option("--depth", min=0, help="opt.depth")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.territory import grid_tree

    roots = grid_tree(STATE.db, node, depth)
    if as_json:
        emit_json(roots[0] if node else roots)
        return
    from gridctl.cli import plain

    plain.tree(roots, _label)


def _label(item: dict) -> str:
    kind = f" {item['kind']}" if item.get("kind") else ""
    return f"{item['name']}  {item['code']}{kind}"


@app.command()
@guarded()
def show(
    node: Annotated[str, NodeArg],
    as_of: Annotated[Optional[str], AsOfOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.territory import grid_show

    info = grid_show(STATE.db, node, as_of)
    if as_json:
        emit_json(info)
        return
    _print_show(info)


def _print_show(info: dict) -> None:
    from gridctl.cli import render

    render.heading(info["path"], info["code"])
    counted = f" ({t('grid.from_register')})" if info.get("population_from") == "register" else ""

    def count(value):       # said with where it is from when the register gave it; none stays none
        return value if value is None else f"{value}{counted}"

    facts = [("grid.level", t(f"level.{info['level']}")), ("grid.kind", info["kind"]),
             ("grid.platform", t(f"platform.{info['platform']}")),
             ("grid.households", count(info["households"])), ("grid.residents", count(info["residents"])),
             ("grid.extent", info["extent"]), ("grid.duty_phone", info["duty_phone"]),
             ("grid.children", "  ".join(f"{t('level.' + k)} {v}" for k, v in info["children"].items()))]
    render.details([(t(key), value) for key, value in facts])
    if info["posts"]:
        render.table([t(k) for k in ("grid.role", "grid.person", "grid.phone", "grid.since")],
                     [[p["role"], p["name"], p["phone"], p["since"]] for p in info["posts"]], title=t("grid.posts"))
    else:
        render.line(f"{t('grid.posts')}: {t('grid.none')}")
    teams = [f"{tm['name']} ({tm['code']}, {t('grid.team_unit')} {tm['unit']}, "
             f"{t('grid.leader')} {tm['leader_name']})"
             + (" " + t("grid.inherited", node=tm["via"]) if tm["via"] != info["code"] else "")
             for tm in info["teams"]]
    render.line(f"{t('grid.teams')}: " + ("; ".join(teams) or t("grid.none")))
    depts = [f"{d['name']} ({d['code']}, {d['kind']})" for d in info["departments"]]
    render.line(f"{t('grid.departments')}: " + ("; ".join(depts) or t("grid.none")))
