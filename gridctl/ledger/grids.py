"""Queries on the grid tree and who holds what there (all SQL for grids, posts, teams)."""

from __future__ import annotations

import difflib
import functools
import json
import sqlite3

from gridctl.config.levels import LEVELS
from gridctl.errors import NotFound
from gridctl.messages import lang

GRID_COLS = ("code", "name", "level", "parent", "kind", "path", "households", "residents",
             "extent", "duty_phone", "retired")


def _grid(row) -> dict:
    return dict(zip(GRID_COLS, row))


def _select(conn, where: str, params=()) -> list[dict]:
    return [_grid(r) for r in conn.execute(f"SELECT {', '.join(GRID_COLS)} FROM grids WHERE {where}", params)]


def resolve_node(conn: sqlite3.Connection, text: str) -> dict:
    """A grid by code, by path of names (`金水区/经八路街道/黄河路社区`) or by a unique name. A path
    typed with a Chinese input method's full-width slash (`黄河路社区／1号楼院`) is the same path, and
    a code in its full-width digits (`４１０１０５`) the same code."""
    text = text.replace("／", "/").strip().strip("/")
    if not text:            # `grid show ''`: not a search for a grid named nothing
        raise NotFound("grid.none_given")
    if text.isdecimal():
        text = "".join(str(int(digit)) for digit in text)
    if not conn.execute("SELECT 1 FROM grids LIMIT 1").fetchone():
        raise NotFound("grid.empty")
    if text.isdigit():
        found = _select(conn, "code = ?", (text,))
        if found:
            return found[0]
        raise _not_found(text, _close_codes(conn, text))
    found = _select(conn, "path = ?", (text,))
    if not found:
        city = _select(conn, "level = 'city'")
        if city and text.startswith(city[0]["name"] + "/"):
            found = _select(conn, "path = ?", (text[len(city[0]["name"]) + 1:],))
        elif city and text == city[0]["name"]:
            found = city
    if not found:  # a unique name, or a unique tail of a path (纬五路社区/2号楼院)
        tail = "/" + text
        found = _select(conn, "name = ?", (text,)) if "/" not in text else \
            _select(conn, "substr(path, -?) = ?", (len(tail), tail))
        if len(found) > 1:
            matches = ", ".join(g["path"] for g in found[:8])
            raise NotFound("grid.ambiguous", node=text, matches=matches)
    if found:
        return found[0]
    raise _not_found(text, _substring_matches(conn, text) or _close_paths(conn, text))


def _not_found(text: str, matches: list[str]) -> NotFound:
    if matches:
        return NotFound("grid.not_found_near", node=text, matches=", ".join(matches))
    return NotFound("grid.not_found", node=text)


def _close_codes(conn, code: str) -> list[str]:
    for keep in range(len(code) - 1, 0, -1):
        prefix = code[:keep]
        rows = conn.execute("SELECT code, path FROM grids WHERE code >= ? AND code < ? LIMIT 500",
                            (prefix, prefix + ":")).fetchall()
        if rows:
            paths = dict(rows)
            best = difflib.get_close_matches(code, list(paths), n=5, cutoff=0.5) or list(paths)[:5]
            return [f"{c} {paths[c]}" for c in best]
    return []


def _substring_matches(conn, text: str, n: int = 5) -> list[str]:
    """Nodes whose name or path holds what was typed (黄河路 → 黄河路社区), best first: the name
    itself, a name that starts with it, a name that holds it, a path that holds it; then the
    shallower node; then the path."""
    needles = [text] + ([text.split("/")[-1]] if "/" in text else [])
    for needle in needles:
        rows = conn.execute("SELECT path, name FROM grids WHERE retired IS NULL AND instr(path, ?) > 0 "
                            "LIMIT 5000", (needle,)).fetchall()
        if rows:
            return [path for path, _ in sorted(rows, key=functools.partial(_rank, typed=needle))[:n]]
    return []


def _rank(row: tuple[str, str], typed: str) -> tuple[int, int, str]:
    path, name = row
    place = 0 if name == typed else 1 if name.startswith(typed) else 2 if typed in name else 3
    return place, path.count("/"), path


def _close_paths(conn, text: str) -> list[str]:
    """Walk the path while it exists; suggest among the children where it stops."""
    parts = [p for p in text.split("/") if p]
    parent_path = ""
    for i, part in enumerate(parts):
        here = f"{parent_path}/{part}" if parent_path else part
        if i < len(parts) - 1 and _select(conn, "path = ?", (here,)):
            parent_path = here
            continue
        if parent_path:
            parent = _select(conn, "path = ?", (parent_path,))[0]
            children = _select(conn, "parent = ?", (parent["code"],))
        else:
            children = _select(conn, "level = 'district'")
        names = {g["name"]: g["path"] for g in children}
        best = difflib.get_close_matches(part, list(names), n=5, cutoff=0.3) or list(names)[:5]
        return [names[n] for n in best]
    return []


def subtree(conn: sqlite3.Connection, node: dict | None, depth: int | None) -> list[dict]:
    """The node (or every root) with its descendants down `depth` levels, as nested dicts."""
    if node is None:
        rows = _select(conn, "retired IS NULL ORDER BY code")
        top = min((LEVELS.index(r["level"]) for r in rows), default=0)
    else:
        rows = _select(conn, "code >= ? AND code < ? AND retired IS NULL ORDER BY code",
                       (node["code"], node["code"] + ":"))
        top = LEVELS.index(node["level"])
    bottom = top + depth if depth is not None else len(LEVELS)
    by_code: dict[str, dict] = {}
    roots: list = []
    for row in rows:
        if LEVELS.index(row["level"]) > bottom:
            continue
        item = {k: row[k] for k in ("code", "name", "level", "kind")} | {"children": []}
        by_code[row["code"]] = item
        parent = by_code.get(row["parent"])
        (parent["children"] if parent else roots).append(item)
    return roots


def chain(conn: sqlite3.Connection, code: str) -> list[dict]:
    """The node and its ancestors, node first."""
    rows = conn.execute(f"""
        WITH RECURSIVE up(code, n) AS (
            SELECT ?, 0 UNION ALL
            SELECT g.parent, up.n + 1 FROM grids g JOIN up ON g.code = up.code
            WHERE g.parent IS NOT NULL)
        SELECT {', '.join('g.' + c for c in GRID_COLS)} FROM up JOIN grids g ON g.code = up.code
        ORDER BY up.n""", (code,))
    return [_grid(r) for r in rows]


def _in(codes) -> str:
    return ", ".join("?" * len(codes))


def _on(alias: str, as_of: str | None) -> tuple[str, tuple]:
    if as_of is None:
        return "", ()
    return f" AND {alias}.since <= ? AND ({alias}.until IS NULL OR {alias}.until >= ?)", (as_of, as_of)


def posts_at(conn, codes: list[str], as_of: str | None) -> dict[str, list[dict]]:
    """Posts held at these grids on `as_of` (every post ever, if None), with holder name and phone."""
    when, params = _on("p", as_of)
    rows = conn.execute(f"""
        SELECT p.grid, p.role, p.person, pe.name, pe.phone, p.since, p.until
        FROM posts p JOIN people pe ON pe.id = p.person
        WHERE p.grid IN ({_in(codes)}){when}
        ORDER BY p.grid, p.id""", (*codes, *params))
    out: dict[str, list[dict]] = {}
    for grid, role, person, name, phone, since, until in rows:
        out.setdefault(grid, []).append({"role": role, "person": person, "name": name,
                                         "phone": phone, "since": since, "until": until})
    return out


def grid_levels(conn, codes: list[str] | None = None) -> dict[str, tuple[str, str | None]]:
    """Every grid (`codes` None), or these grids and their ancestors, retired ones included (as
    `chain` climbs): code → (level, parent; None at the top or where the parent is no grid)."""
    if codes is None:
        rows = conn.execute("SELECT code, level, parent FROM grids").fetchall()
    else:
        rows = conn.execute("""
            WITH RECURSIVE up(code) AS (
                SELECT value FROM json_each(?) UNION
                SELECT g.parent FROM grids g JOIN up ON g.code = up.code WHERE g.parent IS NOT NULL)
            SELECT g.code, g.level, g.parent FROM up JOIN grids g ON g.code = up.code""", (_json(codes),)).fetchall()
    found = {code for code, _, _ in rows}
    return {code: (level, parent if parent in found else None) for code, level, parent in rows}


def routing_facts(conn, codes: list[str] | None = None) -> tuple[dict, dict, dict]:
    """The routing facts (`routing.RouteFacts`) of these grids, or of every grid (`codes` None:
    one pass over each table), by grid: its posts of a role some category leads by (牵头岗位,
    `categories.lead_role`: a city's 专职网格员, a role none leads by, are a third of its posts)
    as (grid, role, person, since, until) in the ledger's order, the teams assigned there (team,
    since, until) by code, its departments in force (kind, code) by code."""
    among, params = ("", ()) if codes is None else (" AND {} IN (SELECT value FROM json_each(?))", (_json(codes),))
    posts: dict[str, list[tuple]] = {}
    for post in conn.execute("SELECT grid, role, person, since, until FROM posts "
                             "WHERE role IN (SELECT lead_role FROM categories)" + among.format("grid") +
                             " ORDER BY id", params):
        held = posts.get(post[0])
        if held is None:
            posts[post[0]] = [post]
        else:
            held.append(post)
    teams: dict[str, list[tuple]] = {}
    for grid, *team in conn.execute("""
            SELECT tg.grid, t.code, tg.since, tg.until
            FROM team_grids tg JOIN teams t ON t.code = tg.team JOIN people pe ON pe.id = t.leader
            WHERE t.retired IS NULL""" + among.format("tg.grid") + " ORDER BY tg.grid, t.code", params):
        teams.setdefault(grid, []).append(tuple(team))
    departments: dict[str, list[tuple]] = {}
    for grid, kind, code in conn.execute("SELECT grid, kind, code FROM departments WHERE retired IS NULL" +
                                         among.format("grid") + " ORDER BY code", params):
        departments.setdefault(grid, []).append((kind, code))
    return posts, teams, departments


def contacts(conn, people) -> dict[str, tuple[str, str | None]]:
    """These people's names and phones: id → (name, phone)."""
    rows = conn.execute("SELECT id, name, phone FROM people WHERE id IN (SELECT value FROM json_each(?))",
                        (_json(list(people)),))
    return {person: (name, phone) for person, name, phone in rows}


def team_names(conn, codes) -> dict[str, tuple[str, str, str, str]]:
    """These teams' names, units and leaders: code → (name, unit, leader, the leader's name)."""
    rows = conn.execute("""SELECT t.code, t.name, t.unit, t.leader, pe.name FROM teams t JOIN people pe ON pe.id = t.leader
        WHERE t.code IN (SELECT value FROM json_each(?))""", (_json(list(codes)),))
    return {code: (name, unit, leader, leader_name) for code, name, unit, leader, leader_name in rows}


def _json(codes: list[str]) -> str:
    """A list of codes as one JSON parameter (`json_each`): one binding, whatever their number."""
    return json.dumps(codes, ensure_ascii=False)


def teams_at(conn, codes: list[str], as_of: str | None) -> dict[str, list[dict]]:
    """Teams assigned to these grids on `as_of` (every assignment, if None)."""
    when, params = _on("tg", as_of)
    rows = conn.execute(f"""
        SELECT tg.grid, t.code, t.name, t.unit, t.leader, pe.name, tg.since, tg.until
        FROM team_grids tg JOIN teams t ON t.code = tg.team JOIN people pe ON pe.id = t.leader
        WHERE tg.grid IN ({_in(codes)}){when} AND t.retired IS NULL
        ORDER BY tg.grid, t.code""", (*codes, *params))
    out: dict[str, list[dict]] = {}
    for grid, code, name, unit, leader, leader_name, since, until in rows:
        out.setdefault(grid, []).append({"code": code, "name": name, "unit": unit, "leader": leader,
                                         "leader_name": leader_name, "since": since, "until": until})
    return out


def departments_at(conn, codes: list[str]) -> list[dict]:
    rows = conn.execute(f"""SELECT code, name, grid, kind FROM departments
        WHERE grid IN ({_in(codes)}) AND retired IS NULL ORDER BY code""", codes)
    return [dict(zip(("code", "name", "grid", "kind"), r)) for r in rows]


def child_counts(conn, node: dict) -> dict[str, int]:
    """How many nodes of each level lie below `node`."""
    rows = conn.execute("""SELECT level, count(*) FROM grids
        WHERE code > ? AND code < ? AND retired IS NULL GROUP BY level""",
                        (node["code"], node["code"] + ":"))
    counts = dict(rows)
    return {level: counts[level] for level in LEVELS if counts.get(level)}


def category(conn, text: str) -> dict:
    """A category of the duty matrix by code or Chinese name."""
    if not text.strip():
        raise NotFound("duty.no_category")
    cols = ("code", "name", "authority", "lead_role", "department", "assist", "deadline", "origin")
    row = conn.execute(f"SELECT {', '.join(cols)} FROM categories WHERE (code = ? OR name = ?) "
                       "AND retired IS NULL", (text, text)).fetchone()
    if row:
        return dict(zip(cols, row))
    pairs = conn.execute("SELECT code, name FROM categories WHERE retired IS NULL").fetchall()
    said = {word: pair[1] if lang() == "zh" else pair[0] for pair in pairs for word in (pair[1], pair[0])}
    best = difflib.get_close_matches(text, list(said), n=5, cutoff=0.3)
    if best:    # a near code or name, said as the Chinese name in Chinese, the code in English
        matches = ", ".join(dict.fromkeys(said[word] for word in best))
        raise NotFound("duty.unknown_category_near", value=text, matches=matches)
    raise NotFound("duty.unknown_category", value=text)


def find_assignee(conn, text: str) -> tuple[str, str] | None:
    """`dispatch --to`: a department code, a team code or a person id, with its kind."""
    for table, key, kind in (("departments", "code", "department"), ("teams", "code", "team"),
                             ("people", "id", "person")):
        if conn.execute(f"SELECT 1 FROM {table} WHERE {key} = ?", (text,)).fetchone():
            return text, kind
    rows = conn.execute("SELECT id FROM people WHERE name = ?", (text,)).fetchall()
    return (rows[0][0], "person") if len(rows) == 1 else None


SCAN_FROM = 2000
"""`names` of more codes than this, and more than a quarter of the table's rows, reads the
whole table (a city's 88k people behind `patrol missing`: 0.19 s, where 177 look-ups of 500
took 0.69 s)."""


def names(conn, table: str, codes) -> dict[str, str]:
    """code → name (or path, for grids) for the given codes."""
    codes = list(set(c for c in codes if c))
    col, key = ("path", "code") if table == "grids" else ("name", "id" if table == "people" else "code")
    if len(codes) > SCAN_FROM and all(c.__class__ is str for c in codes):
        rows = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
        if len(codes) * 4 > rows:     # a good part of the table: one pass beats a look-up each
            wanted = set(codes)
            return {code: name for code, name in conn.execute(f"SELECT {key}, {col} FROM {table}")
                    if code in wanted}
    out: dict[str, str] = {}
    for i in range(0, len(codes), 500):
        part = codes[i:i + 500]
        out.update(conn.execute(f"SELECT {key}, {col} FROM {table} WHERE {key} IN ({_in(part)})", part))
    return out


_NODE_COLS = ("code", "name", "level", "path", "parent")
_CATEGORY_COLS = ("code", "name", "authority", "lead_role", "department", "assist", "deadline")


def current_nodes(conn, level: str | None = None) -> list[dict]:
    """Grid nodes in force (not retired), of one level or all, by code: code, name, level, path, parent."""
    where, params = ("AND level = ?", (level,)) if level else ("", ())
    rows = conn.execute(f"SELECT {', '.join(_NODE_COLS)} FROM grids WHERE retired IS NULL {where} ORDER BY code",
                        params)
    return [dict(zip(_NODE_COLS, r)) for r in rows]


def grid_codes(conn) -> set[str]:
    """Every grid code the ledger knows, retired ones included."""
    return {code for (code,) in conn.execute("SELECT code FROM grids")}


def current_districts(conn) -> dict[str, str]:
    """The districts (县区) in force: code → name."""
    return dict(conn.execute("SELECT code, name FROM grids WHERE level = 'district' AND retired IS NULL ORDER BY code"))


def category_codes(conn) -> set[str]:
    """Every category code the ledger knows, retired ones included."""
    return {code for (code,) in conn.execute("SELECT code FROM categories")}


def reference_codes(conn) -> dict[str, set[str]]:
    """What records name, as this ledger knows it (retired ones included): people's ids, teams'
    codes, departments' codes, the teams' units (派出单位: a score flag's unit)."""
    return {"people": {i for (i,) in conn.execute("SELECT id FROM people")},
            "teams": {c for (c,) in conn.execute("SELECT code FROM teams")},
            "departments": {c for (c,) in conn.execute("SELECT code FROM departments")},
            "units": {u for (u,) in conn.execute("SELECT DISTINCT unit FROM teams")}}


def current_categories(conn) -> list[dict]:
    """The duty matrix's categories in force, by code (the routing fields of each)."""
    rows = conn.execute(f"SELECT {', '.join(_CATEGORY_COLS)} FROM categories WHERE retired IS NULL ORDER BY code")
    return [dict(zip(_CATEGORY_COLS, r)) for r in rows]


def current_teams(conn) -> list[tuple[str, str]]:
    """Work teams in force: (code, leader), by code."""
    return conn.execute("SELECT code, leader FROM teams WHERE retired IS NULL ORDER BY code").fetchall()


def team_members(conn) -> dict[str, list[str]]:
    """Every team's members (as ever recorded), team → people, sorted."""
    members: dict[str, list[str]] = {}
    for team, person in conn.execute("SELECT team, person FROM team_members ORDER BY team, person"):
        members.setdefault(team, []).append(person)
    return members
