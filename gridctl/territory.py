"""Reading the territory: the grid tree, one node in full, and who has which duty there."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gridctl.ledger import grids as q
from gridctl.ledger import ledger
from gridctl.ledger import register as rg
from gridctl.routing import Route, RouteContext, platform_level, route
from gridctl.text import mask_phone


def _today(as_of: str | None) -> str:
    return as_of or date.today().isoformat()


def grid_tree(db: Path, node: str | None = None, depth: int | None = None) -> list[dict]:
    with ledger(db) as conn:
        start = q.resolve_node(conn, node) if node else None
        return q.subtree(conn, start, depth)


def grid_show(db: Path, node: str, as_of: str | None = None) -> dict:
    """One node: its path, posts and holders (phones masked), teams, departments, children."""
    as_of = _today(as_of)
    with ledger(db) as conn:
        grid = q.resolve_node(conn, node)
        up = q.chain(conn, grid["code"])
        codes = [g["code"] for g in up]
        posts = q.posts_at(conn, [grid["code"]], as_of).get(grid["code"], [])
        for post in posts:
            post["phone"] = mask_phone(post["phone"])
        teams_by_grid = q.teams_at(conn, codes, as_of)
        teams = [dict(team, via=code) for code in codes for team in teams_by_grid.get(code, [])]
        return {
            **grid,
            **register_population(conn, grid),
            "platform": platform_level(grid["level"]),
            "as_of": as_of,
            "ancestors": [{k: g[k] for k in ("code", "name", "level")} for g in up[1:]],
            "posts": posts,
            "teams": teams,
            "departments": q.departments_at(conn, codes),
            "children": q.child_counts(conn, grid),
        }


def duty_who(db: Path, category: str, node: str, as_of: str | None = None) -> Route:
    as_of = _today(as_of)
    with ledger(db) as conn:
        cat = q.category(conn, category)
        grid = q.resolve_node(conn, node)
        return route(cat, route_context(conn, grid["code"], as_of))


def route_facts(conn, code: str) -> RouteContext:
    """Everything routing may need about a node, for every date (filter with `on`)."""
    up = q.chain(conn, code)
    codes = [g["code"] for g in up]
    return RouteContext(chain=up, posts=q.posts_at(conn, codes, None),
                        departments=q.departments_at(conn, codes), teams=q.teams_at(conn, codes, None))


def route_facts_many(conn, codes) -> dict[str, RouteContext]:
    """`route_facts` for many nodes at once (an import's batch): a few queries per 500 nodes."""
    grids = q.with_ancestors(conn, codes)
    every = sorted(grids)
    posts: dict[str, list[dict]] = {}
    teams: dict[str, list[dict]] = {}
    departments: dict[str, list[dict]] = {}
    for start in range(0, len(every), 500):
        part = every[start:start + 500]
        posts.update(q.posts_at(conn, part, None))
        teams.update(q.teams_at(conn, part, None))
        for dept in q.departments_at(conn, part):
            departments.setdefault(dept["grid"], []).append(dept)
    known: dict[str, RouteContext] = {}

    def facts(code: str) -> RouteContext:
        """A node's facts from its parent's (computed once per ancestor, shared by its children)."""
        if code not in known:
            grid, parent = grids[code], grids[code]["parent"]
            above = facts(parent) if parent in grids else RouteContext([], {}, [], {})
            own = departments.get(code)
            known[code] = RouteContext(
                chain=[grid, *above.chain],
                posts={code: posts[code], **above.posts} if code in posts else above.posts,
                departments=sorted(own + above.departments, key=lambda d: d["code"]) if own else above.departments,
                teams={code: teams[code], **above.teams} if code in teams else above.teams)
        return known[code]

    return {code: facts(code) for code in codes}


def on(facts: RouteContext, day: str, memo: dict | None = None) -> RouteContext:
    """The facts that hold on `day`: posts held and teams assigned then.

    `memo` (kept by the caller while `facts` live) remembers each list filtered for a day, so
    the nodes of a batch share their ancestors' filtering."""
    def held(items):
        key = (id(items), day)
        if memo is not None and key in memo:
            return memo[key]
        kept = [i for i in items if i["since"] <= day and (i["until"] is None or i["until"] >= day)]
        if memo is not None:
            memo[key] = kept
        return kept

    return RouteContext(chain=facts.chain, departments=facts.departments,
                        posts={g: held(p) for g, p in facts.posts.items()},
                        teams={g: held(tm) for g, tm in facts.teams.items()})


def route_context(conn, code: str, as_of: str) -> RouteContext:
    return on(route_facts(conn, code), as_of)


def register_population(conn, grid: dict) -> dict:
    """户数 and 人口 from the base register when it holds anyone under the node, else as defined."""
    counts = rg.counts(conn, grid["code"])
    if not (counts["household"] or counts["resident"]):
        return {"households": grid["households"], "residents": grid["residents"], "population_from": "definitions"}
    return {"households": counts["household"], "residents": counts["resident"], "population_from": "register"}
