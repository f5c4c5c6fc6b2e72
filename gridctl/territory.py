"""Reading the territory: the grid tree, one node in full, and who has which duty there."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from gridctl.errors import NotFound
from gridctl.ledger import grids as q
from gridctl.ledger import ledger
from gridctl.routing import Route, RouteContext, RouteTable, platform_level, route
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


def route_facts(conn, code: str) -> RouteContext:
    """Everything routing may need about a node, for every date (filter with `on`)."""
    up = q.chain(conn, code)
    codes = [g["code"] for g in up]
    return RouteContext(chain=up, posts=q.posts_at(conn, codes, None),
                        departments=q.departments_at(conn, codes), teams=q.teams_at(conn, codes, None))


def route_table(conn, nodes: Mapping[str, dict] | None = None) -> RouteTable:
    """The routing facts of every grid, for routing many rows across the territory (`RouteTable`).
    `nodes`, the grids in force by code (code, level, parent …) as the caller holds them already,
    spares reading the tree again where each of their parents is one of them (else it is read
    whole, retired grids included, as `route_facts` climbs it)."""
    tree = None
    if nodes is not None:
        tree = {code: (node["level"], node["parent"]) for code, node in nodes.items()}
        if any(parent is not None and parent not in tree for _, parent in tree.values()):
            tree = None
    return RouteTable(tree or q.grid_levels(conn), *q.routing_tables(conn))


def route_facts_many(conn, codes, above: dict[str, RouteContext] | None = None,
                     nodes: Mapping[str, dict] | None = None) -> dict[str, RouteContext]:
    """`route_facts` for many nodes at once (an import's batch): a few queries per 500 nodes.

    `above`, kept by the caller from batch to batch, holds the facts of the nodes that are some
    node's parent (communities, townships …): each is fetched once per import, not once per batch.
    `nodes`, the grids in force by code (code, name, level, path, parent) as the caller holds
    them already, spares asking the ledger for the chain of each node (routing reads no more).
    Posts are `holders_at`'s, without the holders' names and phones (`route` shows them: its
    callers use `route_facts`)."""
    known: dict[str, RouteContext] = {} if above is None else above
    wanted = [c for c in codes if c not in known]
    grids = _climb(wanted, nodes, known) if nodes is not None else None
    if grids is None:
        grids = q.with_ancestors(conn, wanted, known)
    every = sorted(grids)
    posts: dict[str, list[dict]] = {}
    teams: dict[str, list[dict]] = {}
    departments: dict[str, list[dict]] = {}
    for start in range(0, len(every), 500):
        part = every[start:start + 500]
        posts.update(q.holders_at(conn, part))    # who holds which role: all routing reads
        teams.update(q.teams_at(conn, part, None))
        for dept in q.departments_at(conn, part):
            departments.setdefault(dept["grid"], []).append(dept)

    joined = _Joined(grids, posts, teams, departments, known)
    found = {code: joined.facts(code) for code in codes}
    parents = {g["parent"] for g in grids.values()}
    for code in grids:
        if code not in parents:
            del known[code]     # a leaf of this batch: not kept
    return found


def _climb(codes, nodes: Mapping[str, dict], known) -> dict[str, dict] | None:
    """These nodes and their ancestors up to those in `known`, from `nodes`; None if one is not there."""
    found: dict[str, dict] = {}
    for code in codes:
        while code not in found and code not in known:
            node = nodes.get(code)
            if node is None:
                return None
            found[code] = node
            if not node["parent"]:
                break
            code = node["parent"]
    return found


class _Joined:
    """A batch's routing facts joined node by node into `known`, each node's from its parent's.
    (A class, not a nested function calling itself: that closure would be a reference cycle
    keeping the batch's facts alive until the cyclic collector ran.)"""

    def __init__(self, grids: dict[str, dict], posts: dict[str, list[dict]], teams: dict[str, list[dict]],
                 departments: dict[str, list[dict]], known: dict[str, RouteContext]):
        self.grids, self.posts, self.teams, self.departments, self.known = grids, posts, teams, departments, known

    def facts(self, code: str) -> RouteContext:
        """A node's facts from its parent's (computed once per ancestor, shared by its children)."""
        known = self.known
        if code not in known:
            grids, posts, teams = self.grids, self.posts, self.teams
            grid, parent = grids[code], grids[code]["parent"]
            up = self.facts(parent) if parent in grids or parent in known else RouteContext([], {}, [], {})
            own = self.departments.get(code)
            known[code] = RouteContext(
                chain=[grid, *up.chain],
                posts={code: posts[code], **up.posts} if code in posts else up.posts,
                departments=sorted(own + up.departments, key=lambda d: d["code"]) if own else up.departments,
                teams={code: teams[code], **up.teams} if code in teams else up.teams)
        return known[code]


def on(facts: RouteContext, day: str, memo: dict | None = None) -> RouteContext:
    """The facts that hold on `day`: posts held and teams assigned then.

    Each grid's list is filtered when routing first reads it (it reads one or two grids of the
    chain); `memo` (kept by the caller while `facts` live) remembers each list filtered for a day,
    so the nodes of a batch share their ancestors' filtering."""
    memo = {} if memo is None else memo
    return RouteContext(chain=facts.chain, departments=facts.departments,
                        posts=_OnDay(facts.posts, day, memo), teams=_OnDay(facts.teams, day, memo))


def held_on(items: list[dict], day: str, memo: dict) -> list[dict]:
    """The items of a grid's list (posts, teams) that hold on `day` (since ≤ day ≤ until), each
    list filtered once a day: `memo` remembers it by the list and the day."""
    key = (id(items), day)
    found = memo.get(key)
    if found is None:
        found = memo[key] = [i for i in items if i["since"] <= day and (i["until"] is None or i["until"] >= day)]
    return found


class _OnDay(Mapping):
    """grid → the items of its list that hold on `day` (since ≤ day ≤ until), filtered on access."""

    def __init__(self, lists: Mapping[str, list[dict]], day: str, memo: dict):
        self.lists, self.day, self.memo = lists, day, memo

    def __getitem__(self, grid: str) -> list[dict]:
        return held_on(self.lists[grid], self.day, self.memo)

    def get(self, grid, default=None):
        """`self[grid]`, or `default` for a grid with no list (without raising and catching KeyError)."""
        return self[grid] if grid in self.lists else default

    def __iter__(self) -> Iterator[str]:
        return iter(self.lists)

    def __len__(self) -> int:
        return len(self.lists)


def route_context(conn, code: str, as_of: str) -> RouteContext:
    return on(route_facts(conn, code), as_of)


def register_population(conn, grid: dict, then: rg.Changed | None = None) -> dict:
    """户数 and 人口 from the base register when it holds anyone under the node, else as defined;
    the register's as it stood at the end of `then.day` where `then` (`ledger.register.changed_after`) is given."""
    from gridctl.ledger import register as rg

    counts = rg.counts(conn, grid["code"], then)
    if not (counts["household"] or counts["resident"]):
        return {"households": grid["households"], "residents": grid["residents"], "population_from": "definitions"}
    return {"households": counts["household"], "residents": counts["resident"], "population_from": "register"}
