"""Who owed a patrol or a meeting in a week and did not make it (`patrol missing`, `meeting missing`).

`missing_patrols` is a pure function over obligations and the week's patrols; the ledger
supplies both in two queries, so a whole city's week takes seconds.
"""

from __future__ import annotations

from pathlib import Path

from gridctl.ledger import grids as gq
from gridctl.ledger import ledger
from gridctl.ledger import records as rq
from gridctl.records.rules import load_rules, week_bounds


def missing_patrols(obligations: list[dict], patrols: dict[str, list[tuple[str, int]]]) -> list[dict]:
    """Each obligation whose person made fewer patrols of that grid (or below it) than owed."""
    out = []
    for ob in obligations:
        made = sum(n for grid, n in patrols.get(ob["person"], ()) if grid.startswith(ob["grid"]))
        if made < ob["per_week"]:
            out.append(dict(ob, made=made))
    return out


def _unit_filter(conn, unit: str | None):
    """A grid node keeps obligations within it; a team code keeps that team's own."""
    if not unit:
        return lambda ob: True
    team = rq.find_team(conn, unit)
    if team:
        via = f"team:{team[0][0]}"
        return lambda ob: ob["via"] == via
    code = gq.resolve_node(conn, unit)["code"]
    return lambda ob: ob["grid"].startswith(code)


def patrol_missing(db: Path, week: str, unit: str | None = None) -> dict:
    monday, sunday = week_bounds(week)
    rules = load_rules()
    with ledger(db) as conn:
        keep = _unit_filter(conn, unit)
        obligations = [ob for ob in rq.week_obligations(conn, rules["patrols"], monday, sunday) if keep(ob)]
        missing = missing_patrols(obligations, rq.week_patrols(conn, monday, sunday))
        missing.sort(key=lambda ob: (ob["grid"], ob["person"], ob["via"]))
        people = gq.names(conn, "people", [m["person"] for m in missing])
        paths = gq.names(conn, "grids", [m["grid"] for m in missing])
        for m in missing:
            m.update(name=people.get(m["person"]), grid_path=paths.get(m["grid"]))
    return {"week": week, "monday": monday, "sunday": sunday, "owed": len(obligations),
            "missing": missing, "rules_version": rules["version"]}


def meeting_missing(db: Path, week: str, unit: str | None = None) -> dict:
    monday, sunday = week_bounds(week)
    rules = load_rules()
    with ledger(db) as conn:
        teams = rq.week_teams(conn, monday, sunday)
        if unit:
            wanted = {code for code, _ in rq.find_team(conn, unit)}
            teams = [tm for tm in teams if tm[0] in wanted]
        missing, owed = [], 0
        for rule in rules["meetings"]:
            held = rq.week_meetings(conn, rule["kind"], monday, sunday)
            for code, name in teams:
                owed += 1
                if held.get(code, 0) < rule["per_week"]:
                    missing.append({"team": code, "name": name, "kind": rule["kind"],
                                    "per_week": rule["per_week"], "held": held.get(code, 0)})
    return {"week": week, "monday": monday, "sunday": sunday, "owed": owed, "missing": missing,
            "rules_version": rules["version"]}
