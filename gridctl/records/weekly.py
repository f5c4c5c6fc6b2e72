"""Who owed a patrol or a meeting in a week and did not make it (`patrol missing`, `meeting missing`).

`missing_patrols` is a pure function over obligations and the week's patrols; the ledger
supplies both in two queries, so a whole city's week takes seconds.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from gridctl.ledger import grids as gq
from gridctl.ledger import ledger, ledger_node
from gridctl.ledger import records as rq
from gridctl.messages import t
from gridctl.records.rules import load_rules, week_bounds
from gridctl.timefmt import begun


def leave_days(records: list[tuple]) -> dict[str, dict[date, tuple]]:
    """person → each day on approved leave (请假), after any 销假 → the 请假 record covering it.

    `records` are (person, kind, date, days, …) of leave and cancel records; a cancel on a day
    ends the person's leave that covers it the day before."""
    covered: dict[str, dict[date, tuple]] = {}
    for leave in sorted(records, key=lambda r: (r[0], r[2], r[1] != "leave")):
        person, kind, day, days = leave[:4]
        start = date.fromisoformat(day)
        mine = covered.setdefault(person, {})
        if kind == "leave":
            mine.update((start + timedelta(days=i), leave) for i in range(days))
        else:
            for ended in [d for d in mine if d >= start]:
                del mine[ended]
    return covered


def absences_on_leave(conn, after: int = 0) -> list[dict]:
    """不在岗 and 请假 of one person that share a day, either written after the row `after` (all
    when 0): what `attendance add` refuses either way round (a272325, and a 请假 over a 不在岗
    since), held all the same by a ledger written before, or merged from two offices that each
    wrote one. Each pair as the absence and the leave with their dates and days, the first day they
    share (a 销假 ends the leave from its day), and the later one's id, office and add event."""
    out, covered_of = [], {}
    for person, absence, day, days, leave, leave_day, leave_span, later, n in rq.absences_meeting_leave(conn, after):
        if person not in covered_of:
            covered_of[person] = leave_days(rq.leave_of(conn, person, "", "9999-12-31")).get(person, {})
        start, leave_start = date.fromisoformat(day), date.fromisoformat(leave_day)
        shared = (start + timedelta(days=i) for i in range(days))
        on = next((d for d in shared if d in covered_of[person] and 0 <= (d - leave_start).days < leave_span), None)
        if on is not None:
            out.append({"absence": absence, "absence_date": day, "absence_days": days, "leave": leave,
                        "leave_date": leave_day, "leave_days": leave_span, "on": on.isoformat(), "record": later,
                        "n": n, "office": later.split("-")[0]})
    return out


def on_leave(records: list[tuple[str, str, str, int]], workdays: list[date]) -> set[str]:
    """People on approved leave (请假) on every working day of the week, after any 销假."""
    return {person for person, days in leave_days(records).items() if workdays and all(d in days for d in workdays)}


def missing_patrols(obligations: list[dict], patrols: dict[str, list[tuple[str, int]]],
                    excused: frozenset[str] | set[str] = frozenset()) -> list[dict]:
    """Each obligation whose person made fewer patrols of that grid (or below it) than owed,
    unless the person was on leave all week."""
    out = []
    for ob in obligations:
        if ob["person"] in excused:
            continue
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
    begun(week, monday)         # a week ahead (a slip of the year) owes nothing yet: not "everyone missed"
    rules = load_rules()
    with ledger(db) as conn:
        keep = _unit_filter(conn, unit or ledger_node(conn))  # a ledger's default scope: its own node
        obligations = [ob for ob in rq.week_obligations(conn, rules["patrols"], monday, sunday) if keep(ob)]
        excused = excused_in(conn, monday, sunday)
        missing = missing_patrols(obligations, rq.week_patrols(conn, monday, sunday), excused)
        missing.sort(key=lambda ob: (ob["grid"], ob["person"], ob["via"]))
        people = gq.names(conn, "people", [m["person"] for m in missing])
        paths = gq.names(conn, "grids", [m["grid"] for m in missing])
        teams = gq.names(conn, "teams", [m["via"][5:] for m in missing if m["via"].startswith("team:")])
        said: dict[str, str] = {}                 # 依据 in words, once for each team or post
        for m in missing:
            via = m["via"]
            text = said.get(via)
            if text is None:
                text = said[via] = via_text(via, teams)
            m.update(name=people.get(m["person"]), grid_path=paths.get(m["grid"]), via_text=text)
    return {"week": week, "monday": monday, "sunday": sunday, "owed": len(obligations),
            "missing": missing, "excused": sorted(excused & {ob["person"] for ob in obligations}),
            "rules_version": rules["version"]}


def via_text(via: str, teams: dict[str, str]) -> str:
    """`team:T01` → 工作队 T01 市教体局驻黄河路社区工作队; `post:网格长` → 岗位 网格长 (依据 in words)."""
    kind, _, code = via.partition(":")
    if kind == "team":
        return t("missing.via_team", code=code, name=teams.get(code, ""))
    return t("missing.via_post", role=code)


def excused_in(conn, monday: str, sunday: str, as_of: str | None = None) -> set[str]:
    """Who was on leave every working day of the week (on the working calendar)."""
    from gridctl.issues.calendar import load_calendar

    cal = load_calendar()
    first = date.fromisoformat(monday)
    workdays = [d for d in (first + timedelta(days=i) for i in range(7)) if cal.is_workday(d)]
    return on_leave(rq.leave_records(conn, (first - timedelta(days=90)).isoformat(), sunday, as_of), workdays)


def meeting_missing(db: Path, week: str, unit: str | None = None) -> dict:
    monday, sunday = week_bounds(week)
    begun(week, monday)
    rules = load_rules()
    with ledger(db) as conn:
        teams = rq.week_teams(conn, monday, sunday)
        if unit:
            wanted = {code for code, _ in rq.find_team(conn, unit)}
            teams = [tm for tm in teams if tm[0] in wanted]
        elif node := ledger_node(conn):  # a township's ledger: its own teams, not the city's
            wanted = rq.teams_within(conn, node, monday, sunday)
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
