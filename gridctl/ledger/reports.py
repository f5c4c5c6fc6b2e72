"""SQL behind the reports: a unit's scope, its issues as stored, events up to a time, patrols."""

from __future__ import annotations

from gridctl.config.levels import CODE_LENGTH
from gridctl.errors import NotFound
from gridctl.ledger import grids as gq
from gridctl.ledger import tally
from gridctl.ledger.events import last_dated
from gridctl.ledger.issues import ISSUE_COLS, OPEN_SQL, IssueState
from gridctl.ledger.records import first_of_its_kind


def resolve_unit(conn, text: str) -> dict:
    """A report's unit: a team code, a department code, or a grid node (with its descendants)."""
    row = conn.execute("SELECT code, name FROM teams WHERE code = ?", (text,)).fetchone()
    if row:
        grids = [g for (g,) in conn.execute("SELECT DISTINCT grid FROM team_grids WHERE team = ?", (text,))]
        return {"kind": "team", "code": row[0], "name": row[1], "grids": grids}
    row = conn.execute("SELECT code, name FROM departments WHERE code = ?", (text,)).fetchone()
    if row:
        return {"kind": "department", "code": row[0], "name": row[1], "grids": []}
    try:
        grid = gq.resolve_node(conn, text)
    except NotFound as exc:
        raise NotFound("report.no_unit", problem=exc) from None
    return {"kind": "grid", "code": grid["code"], "name": grid["path"], "grids": [grid["code"]]}


def _scope(unit: dict, alias: str = "") -> tuple[str, list]:
    """The SQL condition for a unit's issues (columns of `issues`, optionally aliased)."""
    p = f"{alias}." if alias else ""
    if unit["kind"] == "all":
        return "1", []
    if unit["kind"] == "department":
        return f"({p}department = ? OR {p}assignee = ?)", [unit["code"], unit["code"]]
    parts, params = [], []
    for code in unit["grids"]:
        parts.append(f"({p}grid >= ? AND {p}grid < ?)")
        params += [code, code + ":"]
    if unit["kind"] == "team":
        parts.append(f"{p}team = ? OR {p}assignee = ?")
        params += [unit["code"], unit["code"]]
    return "(" + (" OR ".join(parts) or "0") + ")", params


_TIMES = ("reported_at", "accepted_at", "deadline", "handled_at", "closed_at", "callback_at")


def issues_in(conn, unit: dict, as_of: str, touching: tuple[str, str] | None = None, batch: int = 5000):
    """The unit's issues reported by `as_of`, as stored now, in batches (ordered by id).

    With `touching=(start, end)`, only issues with a stage time in the period — or changed
    after `as_of`, whose state then must be replayed — come back: the rest count for nothing."""
    where, params = _scope(unit)
    if touching:
        where += " AND (updated_at > ? OR " + " OR ".join(f"{c} BETWEEN ? AND ?" for c in _TIMES) + ")"
        params = [*params, as_of, *(touching * len(_TIMES))]
    cursor = conn.execute(f"SELECT {', '.join(ISSUE_COLS)} FROM issues WHERE {where} AND reported_at <= ? "
                          "ORDER BY id", (*params, as_of))
    while rows := cursor.fetchmany(batch):
        yield [IssueState.from_row(r) for r in rows]


def events_until(conn, issue: str, as_of: str) -> list[dict]:
    cols = ("action", "to_status", "level", "happened_at", "note", "details", "hash")
    rows = conn.execute(f"SELECT {', '.join(cols)} FROM events WHERE issue = ? AND happened_at <= ? "
                        "ORDER BY seq", (issue, as_of))
    return [dict(zip(cols, r)) for r in rows]


def last_event(conn, as_of: str) -> tuple | None:
    """The last event in the chain that happened at or before `as_of`: (seq, office, n, hash)."""
    return last_dated(conn, as_of, "seq, office, n, hash")


def patrols_between(conn, unit: dict, monday: str, last_day: str, as_of: str) -> list[dict]:
    """Patrols dated in the period per person and grid: count, households, issues found. A repeat
    counts once (`records.first_of_its_kind`), its households with it; its issues found count."""
    if unit["kind"] == "department":
        return []
    if unit["kind"] == "grid":
        return _grid_patrols_between(conn, unit["code"], monday, last_day, as_of)
    where = ("(p.team = ? OR p.person IN (SELECT person FROM team_members WHERE team = ?) "
             "OR p.person = (SELECT leader FROM teams WHERE code = ?))")
    first = first_of_its_kind("patrols", "p", "({e}.voided = 0 OR {e}.voided_at > ?)")
    rows = conn.execute(f"""
        SELECT person, name, grid, path, sum(first), sum(CASE WHEN first THEN households ELSE 0 END), sum(found)
        FROM (SELECT p.person, pe.name, p.grid, g.path, coalesce(p.households, 0) AS households, {first} AS first,
                     (SELECT count(*) FROM patrol_issues pi WHERE pi.patrol = p.id) AS found
              FROM patrols p JOIN people pe ON pe.id = p.person JOIN grids g ON g.code = p.grid
              WHERE {where} AND p.date BETWEEN ? AND ? AND (p.voided = 0 OR p.voided_at > ?))
        GROUP BY person, grid ORDER BY grid, person""", (as_of, *[unit["code"]] * 3, monday, last_day, as_of))
    return [dict(zip(_PATROL_COLS, r)) for r in rows]


_PATROL_COLS = ("person", "name", "grid", "path", "patrols", "households", "found")


def _grid_patrols_between(conn, code: str, monday: str, last_day: str, as_of: str) -> list[dict]:
    """`patrols_between` of a grid node: a patrol's repeats (the same person, grid and day) are
    among the node's patrols of the period too, so the first of each (person, grid, day) there is
    the one that counts (as `records.week_patrols` counts them), with no look-up of each row in
    `patrols_made`: a city month's 359k patrols read 317k pages that way."""
    rows = conn.execute("""
        SELECT d.person, pe.name, d.grid, g.path, count(*),
               sum((SELECT coalesce(f.households, 0) FROM patrols f WHERE f.rowid = d.first)), sum(d.found)
        FROM (SELECT p.person, p.grid, min(p.rowid) AS first,
                     sum((SELECT count(*) FROM patrol_issues pi WHERE pi.patrol = p.id)) AS found
              FROM patrols p WHERE p.grid >= ? AND p.grid < ? AND p.date BETWEEN ? AND ?
              AND (p.voided = 0 OR p.voided_at > ?) GROUP BY p.person, p.grid, p.date) d
        JOIN people pe ON pe.id = d.person JOIN grids g ON g.code = d.grid
        GROUP BY d.person, d.grid ORDER BY d.grid, d.person""", (code, code + ":", monday, last_day, as_of))
    return [dict(zip(_PATROL_COLS, r)) for r in rows]


def meetings_between(conn, unit: dict, monday: str, last_day: str, as_of: str) -> list[dict]:
    """The unit's meetings dated in the period, live as of `as_of`, the first of each kind a day.
    A grid's two kinds of unit each say the days (not once outside them): SQLite takes each of
    an OR's halves to an index with that half's own terms only, and read every meeting of each of
    the grid's teams (a city's week: 25k pages, 400 MB from a cold disk, against 3.8k)."""
    days = "date BETWEEN :first AND :last"
    if unit["kind"] == "grid":
        where = (f"(unit_kind = 'grid' AND unit >= :code AND unit < :end AND {days}) OR (unit_kind = 'team' AND "
                 f"unit IN (SELECT team FROM team_grids WHERE grid >= :code AND grid < :end) AND {days})")
    else:
        where = "unit = :code"
    first = first_of_its_kind("meetings", "m", "({e}.voided = 0 OR {e}.voided_at > :as_of)")
    rows = conn.execute(f"""SELECT id, date, unit, kind, attendees, notes FROM meetings m
        WHERE ({where}) AND {days} AND (voided = 0 OR voided_at > :as_of) AND {first} ORDER BY date, id""",
                        {"code": unit["code"], "end": unit["code"] + ":", "first": monday, "last": last_day,
                         "as_of": as_of})
    return [dict(zip(("id", "date", "unit", "kind", "attendees", "notes"), r)) for r in rows]


def teams_in(conn, unit: dict) -> set[str]:
    if unit["kind"] == "team":
        return {unit["code"]}
    if unit["kind"] == "department":
        return set()
    return {c for (c,) in conn.execute("SELECT DISTINCT team FROM team_grids WHERE grid >= ? AND grid < ?",
                                       (unit["code"], unit["code"] + ":"))}


def load_in_force(conn, moment: str) -> tuple[tuple | None, bool]:
    """The load (loaded_at, as_of, digest) the ledger held at `moment` (YYYY-MM-DD HH:MM): the last
    made by then; where every load was made after it, the first of them, flagged as later (True)."""
    cols = "SELECT loaded_at, as_of, digest FROM loads"
    row = conn.execute(f"{cols} WHERE substr(replace(loaded_at, 'T', ' '), 1, 16) <= ? ORDER BY id DESC LIMIT 1",
                       (moment,)).fetchone()
    if row is not None:
        return row, False
    row = conn.execute(f"{cols} ORDER BY id LIMIT 1").fetchone()
    return row, row is not None


def found_by_patrol(conn) -> set[str]:
    """Issues linked to a live patrol: they count as found by the grid's own patrols."""
    return {i for (i,) in conn.execute(
        "SELECT pi.issue FROM patrol_issues pi JOIN patrols p ON p.id = pi.patrol WHERE p.voided = 0")}


_START = "coalesce(accepted_at, reported_at)"


def colour_sql(as_of: str, yellow: float) -> tuple[str, list]:
    """lifecycle.colour in SQL, over the stored projection: (expression, its parameters)."""
    sql = f"""CASE WHEN NOT ({OPEN_SQL}) OR due IS NULL THEN NULL
        WHEN due < ? THEN 'red'
        WHEN julianday(due) <= julianday({_START}) THEN 'yellow'
        WHEN (julianday(?) - julianday({_START})) / (julianday(due) - julianday({_START})) >= ? THEN 'yellow'
        ELSE 'green' END"""
    return sql, [as_of, as_of, yellow]


def settled_figures(conn, unit: dict, as_of: str, start: str, end: str, yellow: float):
    """Grouped counts over the unit's issues not changed after `as_of` (their row is their state
    then): (status, category, source, colour, new this week, closed this week, count)."""
    where, params = _scope(unit)
    colour, colour_params = colour_sql(as_of, yellow)
    return conn.execute(f"""
        SELECT status, category, source, {colour}, reported_at BETWEEN ? AND ?,
               coalesce(closed_at BETWEEN ? AND ?, 0), count(*)
        FROM issues WHERE {where} AND reported_at <= ? AND updated_at <= ?
        GROUP BY 1, 2, 3, 4, 5, 6""", (*colour_params, start, end, start, end, *params, as_of, as_of))


def settled_rows(conn, unit: dict, as_of: str, start: str):
    """Settled issues the weekly sheets list — changed since `start`, or open past their due
    time — in id order. Two indexed queries (by last change; open by due) instead of one scan."""
    where, params = _scope(unit)
    cols, reported = f"SELECT {', '.join(ISSUE_COLS)} FROM", f"WHERE {where} AND reported_at <= ?"
    changed = conn.execute(f"{cols} issues {reported} AND updated_at BETWEEN ? AND ?",
                           (*params, as_of, start, as_of)).fetchall()
    late = conn.execute(f"{cols} {open_issues(unit)} {reported} AND {OPEN_SQL} AND due < ? AND updated_at < ?",
                        (*params, as_of, as_of, start)).fetchall()
    rows = sorted(changed + late, key=lambda r: r[0])
    return (IssueState.from_row(r) for r in rows)


def moved_ids(conn, unit: dict, as_of: str) -> list[str]:
    """Issues reported by `as_of` whose row has changed since: they must be replayed."""
    where, params = _scope(unit)
    return sorted(i for (i,) in conn.execute(f"""SELECT id FROM issues INDEXED BY issues_updated
        WHERE {where} AND reported_at <= ? AND updated_at > ?""", (*params, as_of, as_of)))


def events_of_many(conn, ids: list[str], as_of: str):
    """The events (up to `as_of`) of many issues, grouped by issue in id order."""
    cols = ("issue", "action", "to_status", "level", "happened_at", "note", "details", "hash")
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        rows = conn.execute(f"""SELECT {', '.join(cols)} FROM events WHERE issue IN ({', '.join('?' * len(part))})
            AND happened_at <= ? ORDER BY issue, seq""", (*part, as_of))
        yield from (dict(zip(cols, r)) for r in rows)


def escalated_count(conn, unit: dict, start: str, end: str) -> int:
    where, params = _scope(unit, "i")
    return conn.execute(f"""SELECT count(DISTINCT e.issue) FROM events e JOIN issues i ON i.id = e.issue
        WHERE e.action = 'escalate' AND e.happened_at BETWEEN ? AND ? AND {where}""",
                        (start, end, *params)).fetchone()[0]


def category_names(conn) -> dict[str, str]:
    return dict(conn.execute("SELECT code, name FROM categories"))


def team_names(conn) -> dict[str, str]:
    return dict(conn.execute("SELECT code, name FROM teams"))


def child_grids(conn, code: str) -> dict[str, str]:
    """The live children of a grid node: code → name, in code order."""
    return dict(conn.execute("SELECT code, name FROM grids WHERE parent = ? AND retired IS NULL ORDER BY code",
                             (code,)))


def team_of_people(conn) -> dict[str, str]:
    """person → the team they lead or belong to (the first by code), for the people summaries."""
    out: dict[str, str] = {}
    for person, team in conn.execute("""SELECT person, team FROM (SELECT person, team FROM team_members
            UNION SELECT leader, code FROM teams WHERE leader IS NOT NULL) ORDER BY team DESC"""):
        out[person] = team
    return out


def teams_with_units(conn) -> dict[str, tuple[str, str]]:
    """team code → (name, dispatching unit)."""
    return {code: (name, unit) for code, name, unit in conn.execute("SELECT code, name, unit FROM teams")}


def team_grids(conn) -> dict[str, list[str]]:
    """team code → the grids it has ever been assigned to, in code order."""
    out: dict[str, list[str]] = {}
    for team, grid in conn.execute("SELECT DISTINCT team, grid FROM team_grids ORDER BY team, grid"):
        out.setdefault(team, []).append(grid)
    return out


def descendants(conn, code: str) -> list[str]:
    """The live grid nodes below `code`, in code order."""
    return [c for (c,) in conn.execute("SELECT code FROM grids WHERE code > ? AND code < ? AND retired IS NULL "
                                       "ORDER BY code", (code, code + ":"))]


def duties_by_role(conn) -> dict[str, list[str]]:
    """post → the categories it leads (the duty matrix read by role), for the 公示牌."""
    out: dict[str, list[str]] = {}
    for name, role in conn.execute("SELECT name, lead_role FROM categories WHERE retired IS NULL ORDER BY code"):
        out.setdefault(role, []).append(name)
    return out


def city_duty_phone(conn) -> str | None:
    row = conn.execute("SELECT duty_phone FROM grids WHERE level = 'city'").fetchone()
    return row[0] if row else None


def people_phones(conn, ids: list[str]) -> dict[str, str]:
    ids = sorted(set(i for i in ids if i))
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        out.update(conn.execute(f"SELECT id, phone FROM people WHERE id IN ({', '.join('?' * len(part))}) "
                                "AND phone IS NOT NULL", part))
    return out


def settled_scope(unit: dict) -> tuple[str, dict]:
    """The unit's condition on `issues` with named parameters (for `ledger.tally`)."""
    return tally.named(*_scope(unit))


def counted(unit: dict) -> str:
    """`issues`, read through the covering index when the unit is a range of grids (SQLite
    otherwise may take another index and read every row from the table)."""
    return "issues INDEXED BY issues_tally" if unit["kind"] == "grid" else "issues"


def open_issues(unit: dict) -> str:
    """`issues`, read through the open issues' index (`issues_open_due`) for a question of open
    issues by due time over a city or a district: left to itself SQLite reads the grids' range of
    `issues_tally` and the row of each open issue found there (a city's: 75.6k pages, against 14.7k
    through the open index); a smaller unit's range of `issues_tally` is the smaller read."""
    return "issues INDEXED BY issues_open_due" if _wide(unit) else "issues"


def reported_between(unit: dict) -> str:
    """`issues` for a question of the issues reported in a period: over a city or a district,
    read through `issues_reported` (the period's rows: a city month's 12.3k pages, against the
    60k of `issues_tally`, every issue of it); a smaller unit, as `counted`."""
    return "issues INDEXED BY issues_reported" if _wide(unit) else counted(unit)


def _wide(unit: dict) -> bool:
    """A city or a district: a range of `issues_tally` that is most of a city's."""
    return unit["kind"] == "grid" and len(unit["code"]) <= CODE_LENGTH["district"]


def handled_by(conn, unit: dict, since: str, until: str, as_of: str) -> list[tuple[str, int]]:
    """(牵头人, how many) of the settled issues handled over [since, until] — closed, for those
    closed on the spot — by the person leading them."""
    where, params = settled_scope(unit)
    return conn.execute(f"""SELECT lead_person, count(*) FROM {counted(unit)} WHERE {where} AND {tally.SETTLED}
        AND coalesce(lead_person, '') != ''
        AND CASE WHEN on_the_spot THEN closed_at ELSE handled_at END BETWEEN :s AND :e
        GROUP BY lead_person""", {**params, "s": since, "e": until, "as_of": as_of}).fetchall()


def overdue_by(conn, unit: dict, until: str, as_of: str) -> list[tuple[str, str | None, int]]:
    """(assignee kind, assignee, how many) of the settled open issues past their due time at
    `until`; an issue with no assignee is its department's (or else its platform's)."""
    where, params = settled_scope(unit)
    return conn.execute(f"""SELECT coalesce(nullif(assignee_kind, ''), 'department'),
            coalesce(nullif(assignee, ''), nullif(department, ''), holder), count(*)
        FROM {open_issues(unit)} WHERE {where} AND {tally.SETTLED} AND {OPEN_SQL} AND coalesce(due, '') != ''
        AND due < :e GROUP BY 1, 2""", {**params, "e": until, "as_of": as_of}).fetchall()


def daily_moves(conn, unit: dict, since: str, until: str, as_of: str) -> list[tuple[str, str, int]]:
    """("opened" | "closed", day, how many) of the settled issues reported, closed over [since, until]."""
    where, params = settled_scope(unit)
    out = []
    for kind, column, table in (("opened", "reported_at", reported_between(unit)), ("closed", "closed_at", counted(unit))):
        out += [(kind, day, n) for day, n in conn.execute(f"""SELECT substr({column}, 1, 10), count(*) FROM {table}
            WHERE {where} AND {tally.SETTLED} AND {column} BETWEEN :s AND :e GROUP BY 1""",
                                                           {**params, "s": since, "e": until, "as_of": as_of})]
    return out


def patrol_linked(conn, unit: dict, group: tuple[str, dict], since: str, until: str, as_of: str) -> list[tuple[str, int, int]]:
    """(group, how many, how many in time) of the settled issues recorded over [since, until]
    not from 巡查发现 but linked to a live patrol: the group's own finds too (`metrics.patrol_found`)."""
    where, params = settled_scope(unit)
    return conn.execute(f"""SELECT {group[0]}, count(*), total({tally.IN_TIME.replace('i.', '')}) FROM issues
        WHERE id IN (SELECT pi.issue FROM patrol_issues pi JOIN patrols p ON p.id = pi.patrol WHERE p.voided = 0)
        AND {where} AND {tally.SETTLED} AND source != 'patrol' AND status != 'rejected'
        AND reported_at BETWEEN :s AND :e GROUP BY 1""",
                        {**params, **group[1], "s": since, "e": until, "as_of": as_of}).fetchall()


def group_of(unit: dict, length: int | None) -> tuple[str, dict]:
    """`reports.monthly._Groups.of` in SQL: the issue's grid cut to the unit's child level
    (`length`), else for a team the first of its grids holding the issue, else the unit itself."""
    if length:
        return f"CASE WHEN length(grid) >= {int(length)} THEN substr(grid, 1, {int(length)}) ELSE :unit END", \
            {"unit": unit["code"]}
    params = {"unit": unit["code"]}
    whens = ""
    if unit["kind"] == "team":
        params |= {f"g{i}": grid for i, grid in enumerate(unit["grids"])}
        whens = " ".join(f"WHEN substr(grid, 1, length(:g{i})) = :g{i} THEN :g{i}" for i in range(len(unit["grids"])))
    return (f"CASE {whens} ELSE :unit END" if whens else ":unit"), params
