"""Reading the territory: the grid tree, one node in full, and who has which duty there."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from gridctl.errors import NotFound
from gridctl.ledger import grids as q
from gridctl.ledger import ledger
from gridctl.routing import Route, RouteContext, RouteFacts, platform_level, route
from gridctl.text import mask_phone
from gridctl.timefmt import as_of_day

if TYPE_CHECKING:   # the register is read by `grid show` and reports, not by routing an issue
    from gridctl.ledger import register as rg


def _today(as_of: str | None) -> str:
    return as_of_day(as_of)


def grid_tree(db: Path, node: str | None = None, depth: int | None = None) -> list[dict]:
    with ledger(db) as conn:
        start = q.resolve_node(conn, node) if node else None
        roots = q.subtree(conn, start, depth)
        if not roots:       # a ledger before its first load: printed nothing at all, exit 0
            raise NotFound("grid.empty")
        return roots


def grid_show(db: Path, node: str, as_of: str | None = None) -> dict:
    """One node: its path, posts and holders (phones masked), teams, departments, children."""
    from gridctl.ledger.register import changed_after

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
            **register_population(conn, grid, changed_after(conn, as_of)),      # the register then
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


def route_context(conn, code: str, day: str) -> RouteContext:
    """What `duty who` reads about grid `code` on `day`: its routing facts, and the grids, people,
    teams and departments they name, with their names."""
    up = q.chain(conn, code)
    facts = route_facts(conn, [code])
    people = {post[2] for posts in facts.posts.values() for post in posts}
    teams = {team[0] for assigned in facts.teams.values() for team in assigned}
    departments = {d["code"]: d for d in q.departments_at(conn, [g["code"] for g in up])}
    return RouteContext(up, facts, day, q.contacts(conn, people), q.team_names(conn, teams), departments)


def route_facts(conn, codes: list[str] | None = None, nodes: Mapping[str, dict] | None = None,
                into: RouteFacts | None = None) -> RouteFacts:
    """The routing facts (`routing.RouteFacts`) of these grids and their ancestors, or of every
    grid (`codes` None), one query per table either way; with `into`, added to the facts read
    before (the grids it knows are not read again). `nodes`, the grids in force by code (code,
    level, parent …) as the caller holds them already, spares reading the tree where the grids'
    ancestors are all among them (else it is read, retired grids included, as `chain` climbs)."""
    known = {} if into is None else into.grids
    tree = _tree(codes, nodes, known) if nodes is not None else None
    if tree is None:
        tree = {code: up for code, up in q.grid_levels(conn, codes).items() if code not in known}
    if into is None:
        return RouteFacts(tree, *q.routing_facts(conn, None if codes is None else list(tree)))
    if tree:
        into.add(tree, *q.routing_facts(conn, list(tree)))
    return into


def _tree(codes: list[str] | None, nodes: Mapping[str, dict], known) -> dict[str, tuple[str, str | None]] | None:
    """(level, parent) of these grids and their ancestors not `known`, or of every grid (`codes`
    None), from `nodes`; None if a grid or an ancestor is not there."""
    if codes is None:
        tree = {code: (node["level"], node["parent"]) for code, node in nodes.items()}
        return tree if all(parent is None or parent in tree for _, parent in tree.values()) else None
    found: dict[str, tuple[str, str | None]] = {}
    for code in codes:
        while code not in found and code not in known:
            node = nodes.get(code)
            if node is None:
                return None
            found[code] = (node["level"], node["parent"])
            if not node["parent"]:
                break
            code = node["parent"]
    return found


class Routes:
    """Routing an issue at a time (`issue add`, an import in one process) from the routing facts
    of the grids met so far (`route_facts` into one `RouteFacts`): a batch's grids read together
    (`prefetch`), any other grid when first met. `before` runs before any SQL (the recorder's wait
    for a batch being written on the same connection)."""

    def __init__(self, conn, before: Callable[[], None] = lambda: None):
        self.conn, self.before = conn, before
        self.facts = RouteFacts()

    def prefetch(self, codes, nodes: Mapping[str, dict] | None = None) -> None:
        """The routing facts of these grids (and their ancestors) not read yet. `nodes`: the
        grids in force by code, when the caller holds them (`route_facts`)."""
        wanted = sorted({code for code in codes if code not in self.facts.grids})
        if wanted:
            self.before()
            route_facts(self.conn, wanted, nodes, self.facts)

    def routed(self, code: str, category: dict, day: str) -> tuple:
        """`RouteFacts.routed`: where an issue of `category` found at grid `code` on `day` goes."""
        if code not in self.facts.grids:
            self.prefetch((code,))
        return self.facts.routed(code, category, day)


def register_population(conn, grid: dict, then: rg.Changed | None = None) -> dict:
    """户数 and 人口 from the base register when it holds anyone under the node, else as defined;
    the register's as it stood at the end of `then.day` where `then` (`ledger.register.changed_after`) is given."""
    from gridctl.ledger import register as rg

    counts = rg.counts(conn, grid["code"], then)
    if not (counts["household"] or counts["resident"]):
        return {"households": grid["households"], "residents": grid["residents"], "population_from": "definitions"}
    return {"households": counts["household"], "residents": counts["resident"], "population_from": "register"}
