"""The duty matrix applied to the grids (差异化职责): who leads, enforces, assists, closes.

One engine: `RouteFacts` holds the routing facts (分流依据) of some grids, each with its
ancestors (`issue add`, `duty who`, a small import), or of the whole territory (a large import's
second process), and its methods are the rules: the lead post, the enforcing department, the
assisting team, the platform holding an issue and its escalation path, and what the blocks of a
community share (`routed`). `Route` words each answer with its rule for `duty who` (worded when
read: an import routes every row and shows no rule). Pure: `territory` reads the facts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from dataclasses import dataclass, field

from gridctl.config.levels import PLATFORM_LEVELS, deadline_parts
from gridctl.messages import lang, t

T = TypeVar("T")

Post = tuple
"""A post of a role some category leads by: (grid, role, person, since, until)."""
Team = tuple
"""A team's assignment to a grid: (team, since, until)."""
Department = tuple
"""A department in force: (kind, code)."""


def held(item: tuple, day: str) -> bool:
    """Whether a post or a team's assignment (`Post`, `Team`: since and until their last two
    fields) holds on `day`: since ≤ day ≤ until, no until being held still."""
    until = item[-1]
    return item[-2] <= day and (until is None or until >= day)


class RouteFacts:
    """The routing facts of some grids or of all, and the duty matrix's rules over them.

    `grids`: code → (level, parent: None at the top, or where the parent is not a grid); every
    grid named here has all its facts below, and its ancestors are named too;
    `posts`: grid → its posts of a lead role (`Post`), in the ledger's order;
    `teams`: grid → the teams assigned there (`Team`), by code;
    `departments`: grid → its departments in force (`Department`), by code.

    The lead, the enforcing department and the assisting team are each found at the nearest grid
    of a grid's chain (the grid, its parent, …) that has one: what lies above a grid (`_above`) is
    worked out once per parent and what the rule reads (role and day, kind, day), and kept."""

    def __init__(self, grids: dict[str, tuple[str, str | None]] | None = None,
                 posts: dict[str, list[Post]] | None = None, teams: dict[str, list[Team]] | None = None,
                 departments: dict[str, list[Department]] | None = None):
        self.grids = {} if grids is None else grids
        self.posts = {} if posts is None else posts
        self.teams = {} if teams is None else teams
        self.departments = {} if departments is None else departments
        self.above: dict[tuple, Any] = {}       # `_above`'s answers
        self.paths: dict[tuple[str, str], tuple[tuple[str, str | None], ...]] = {}   # `escalation`'s
        self.shared: dict[tuple[str, str, str], tuple] = {}    # `routed`'s answers a community's blocks share

    def add(self, grids: dict[str, tuple[str, str | None]], posts: dict[str, list[Post]],
            teams: dict[str, list[Team]], departments: dict[str, list[Department]]) -> None:
        """The facts of more grids (none of them known yet, their ancestors known or among them)."""
        self.grids.update(grids)
        self.posts.update(posts)
        self.teams.update(teams)
        self.departments.update(departments)

    def chain(self, code: str) -> list[str]:
        """The grid and its ancestors, the grid first."""
        chain = [code]
        while (code := self.grids[code][1]) is not None:   # type: ignore[assignment]
            chain.append(code)
        return chain

    def _above(self, here: Callable[[RouteFacts, str, Any], T | None], code: str, what: Any) -> T | None:
        """`here`'s answer at the nearest grid above grid `code` where it has one, for `what` (what
        the rule reads besides the grid); None if none has. Worked out once per parent, kept."""
        parent = self.grids[code][1]
        if parent is None:
            return None
        key = (here, parent, what)
        above = self.above
        if key not in above:
            above[key] = here(self, parent, what) or self._above(here, parent, what)
        return above[key]

    def holders(self, grid: str, role: str, day: str) -> list[Post]:
        """The posts of `role` at `grid` held on `day`, in the ledger's order."""
        return [post for post in self.posts.get(grid, ()) if post[1] == role and held(post, day)]

    def lead(self, code: str, role: str, day: str) -> tuple[str, Post] | None:
        """牵头: the nearest grid of the chain where a post of `role` is held on `day`, and the
        first such post there; None if no grid of the chain has one."""
        what = (role, day)
        return self._lead_here(code, what) or self._above(RouteFacts._lead_here, code, what)

    def _lead_here(self, grid: str, what: tuple[str, str]) -> tuple[str, Post] | None:
        role, day = what
        for post in self.posts.get(grid, ()):
            if post[1] == role and held(post, day):     # the first of `holders`
                return grid, post
        return None

    def enforcing(self, code: str, kind: str | None) -> tuple[str, list[Department]] | None:
        """执法部门: the departments of `kind` (by code) at the nearest district, else the city, of
        the chain that has any; None if the category needs none (`kind` empty) or none has."""
        if not kind:
            return None
        return self._enforcing_here(code, kind) or self._above(RouteFacts._enforcing_here, code, kind)

    def _enforcing_here(self, grid: str, kind: str) -> tuple[str, list[Department]] | None:
        if grid in self.departments and self.grids[grid][0] in ("district", "city"):
            found = [department for department in self.departments[grid] if department[0] == kind]
            if found:
                return grid, found
        return None

    def teams_on(self, grid: str, day: str) -> list[Team]:
        """The teams assigned to `grid` on `day`, by code."""
        return [team for team in self.teams.get(grid, ()) if held(team, day)]

    def assisting(self, code: str, day: str) -> tuple[str, list[Team]] | None:
        """协助团队: the teams assigned on `day` to the nearest grid of the chain that has any; None
        if none has."""
        return self._assisting_here(code, day) or self._above(RouteFacts._assisting_here, code, day)

    def _assisting_here(self, grid: str, day: str) -> tuple[str, list[Team]] | None:
        teams = self.teams_on(grid, day) if grid in self.teams else None
        return (grid, teams) if teams else None

    def holder(self, code: str) -> str:
        """The platform that holds an issue found at grid `code`: the nearest grid of its chain at
        its platform level (the grid itself; a block's community)."""
        grids = self.grids
        own = platform_level(grids[code][0])
        while grids[code][0] != own:
            code = grids[code][1]                           # type: ignore[assignment]
        return code

    def escalation(self, code: str, authority: str) -> tuple[tuple[str, str | None], ...]:
        """The platforms an issue found at grid `code` passes through, beyond the one holding it,
        up to its authority (事权): (level, the chain's grid of that level or None), in order. It
        reads only the holding platform's chain: worked out once per platform and authority."""
        holder = self.holder(code)
        key = (holder, authority)
        path = self.paths.get(key)
        if path is None:
            grids = self.grids
            own = PLATFORM_LEVELS.index(grids[holder][0])
            target = PLATFORM_LEVELS.index(authority)
            by_level = {grids[grid][0]: grid for grid in self.chain(holder)}
            path = self.paths[key] = tuple((level, by_level.get(level))
                                           for level in reversed(PLATFORM_LEVELS[target:own]))
        return path

    def routed(self, code: str, category: dict, day: str) -> tuple:
        """Where an issue of `category` found at grid `code` and reported on `day` goes, as its add
        records it (`issues.service.Routed`'s fields): the holding platform, the lead's person and
        grid, the enforcing department and the assisting team (the first of each), the escalation
        path. For a block (三级网格) with no team of its own that day, all but the lead read only
        the grids above it: worked out once per community, category and day."""
        level, parent = self.grids[code]
        lead = self.lead(code, category["lead_role"], day)
        if level == "block" and parent is not None and not (code in self.teams and self.teams_on(code, day)):
            key = (parent, category["code"], day)
            upper = self.shared.get(key)
            if upper is None:
                upper = self.shared[key] = self._upper(code, category, day)
        else:
            upper = self._upper(code, category, day)
        holder, department, team, path = upper
        if lead is None:
            return holder, None, None, department, team, path
        return holder, lead[1][2], lead[0], department, team, path

    def _upper(self, code: str, category: dict, day: str) -> tuple:
        """`routed`'s answers but the lead: holder, department, team, escalation path."""
        department = self.enforcing(code, category.get("department"))
        team = self.assisting(code, day) if category.get("assist") == "team" else None
        return (self.holder(code), department[1][0][1] if department else None, team[1][0][0] if team else None,
                self.escalation(code, category["authority"]))


@dataclass
class RouteContext:
    """What `duty who` reads about one grid on one day: its chain as grids (the grid first: names,
    paths), their routing facts, and the names of the people, teams and departments there."""

    chain: list[dict]
    facts: RouteFacts
    day: str
    people: Mapping[str, tuple[str, str | None]]          # person → (name, phone)
    teams: Mapping[str, tuple[str, str, str, str]]        # team → (name, unit, leader, leader's name)
    departments: Mapping[str, dict]                       # department → code, name, grid, kind


@dataclass
class Answer:
    value: object
    why: Callable[[], str] = field(repr=False)   # the rule's words, built on demand

    @property
    def rule(self) -> str:
        return self.why()


class Route:
    """Where an issue of `category` found at the context's grid goes, in `duty who`'s words: each
    answer (lead, department, assist, authority, platform, deadline) and the escalation path,
    worked out when first read and kept (the rules: `RouteFacts`)."""

    def __init__(self, category: dict, ctx: RouteContext):
        self.of, self.ctx = category, ctx
        self.codes = [grid["code"] for grid in ctx.chain]

    @functools.cached_property
    def category(self) -> dict:
        return {"code": self.of["code"], "name": self.of["name"]}

    @functools.cached_property
    def grid(self) -> dict:
        node = self.ctx.chain[0]
        return {k: node[k] for k in ("code", "name", "level", "path")}

    @functools.cached_property
    def lead(self) -> Answer:
        return _lead(self.of, self.ctx)

    @functools.cached_property
    def department(self) -> Answer:
        return _department(self.of, self.ctx, self.codes)

    @functools.cached_property
    def assist(self) -> Answer:
        return _assist(self.of, self.ctx, self.codes)

    @functools.cached_property
    def authority(self) -> Answer:
        category = self.of
        return Answer(category["authority"], lambda: t("rule.authority", category=category["name"],
                                                       level=t(f"level.{category['authority']}")))

    @functools.cached_property
    def platform(self) -> Answer:
        return _platform(self.ctx, self.codes, self.escalation_path)

    @functools.cached_property
    def deadline(self) -> Answer:
        return _deadline(self.of)

    @functools.cached_property
    def escalation_path(self) -> list[dict]:
        """The platforms an issue found here passes through, beyond its own, up to its authority."""
        by_code = {grid["code"]: grid for grid in self.ctx.chain}
        return [{"level": level, "code": code, "name": by_code[code]["name"] if code else t(f"platform.{level}")}
                for level, code in self.ctx.facts.escalation(self.codes[0], self.of["authority"])]

    @property
    def escalate(self) -> bool:
        return bool(self.escalation_path)

    def to_dict(self) -> dict:
        answers = {key: {"value": getattr(self, key).value, "rule": getattr(self, key).rule} for key in ANSWERS}
        return {"category": self.category, "grid": self.grid, **answers,
                "escalate": self.escalate, "escalation_path": self.escalation_path}


ANSWERS = ("lead", "department", "assist", "authority", "platform", "deadline")


def _words(key: str, **params) -> Callable[[], str]:
    """A rule's words from the catalogue, looked up when shown."""
    return lambda: t(key, **params)


def platform_level(level: str) -> str:
    """A block (三级网格) uses its community's platform."""
    return "community" if level == "block" else level


def route(category: dict, ctx: RouteContext) -> Route:
    """The duty matrix's answer for `category` at the context's grid (差异化职责)."""
    return Route(category, ctx)


def _lead(category: dict, ctx: RouteContext) -> Answer:
    role, c = category["lead_role"], category["name"]
    found = ctx.facts.lead(ctx.chain[0]["code"], role, ctx.day)
    if found:
        grid = next(g for g in ctx.chain if g["code"] == found[0])
        people = [{"id": post[2], "name": ctx.people[post[2]][0], "phone": ctx.people[post[2]][1]}
                  for post in ctx.facts.holders(found[0], role, ctx.day)]
        key = "rule.lead_here" if found[0] == ctx.chain[0]["code"] else "rule.lead_up"
        value = {"role": role, "grid": grid["code"], "grid_path": grid["path"], "people": people}
        return Answer(value, _words(key, category=c, role=role, grid=f"{grid['path']} ({grid['code']})"))
    return Answer(None, _words("rule.lead_none", category=c, role=role))


def _department(category: dict, ctx: RouteContext, codes: list[str]) -> Answer:
    kind, c = category.get("department"), category["name"]
    if not kind:
        return Answer(None, _words("rule.dept_none_needed", category=c))
    found = ctx.facts.enforcing(codes[0], kind)
    if found:
        grid = next(g for g in ctx.chain if g["code"] == found[0])
        departments = [ctx.departments[code] for _, code in found[1]]
        key = "rule.dept_district" if grid["level"] == "district" else "rule.dept_city"
        return Answer(departments, _words(key, category=c, kind=kind, grid=f"{grid['name']} ({grid['code']})"))
    return Answer(None, _words("rule.dept_missing", category=c, kind=kind))


def _assist(category: dict, ctx: RouteContext, codes: list[str]) -> Answer:
    c = category["name"]
    if category.get("assist") != "team":
        return Answer(None, _words("rule.assist_none", category=c))
    found = ctx.facts.assisting(codes[0], ctx.day)
    if found:
        grid = next(g for g in ctx.chain if g["code"] == found[0])
        teams = [dict(zip(("code", "name", "unit", "leader", "leader_name", "since", "until"),
                          (code, *ctx.teams[code], since, until))) for code, since, until in found[1]]
        return Answer(teams, _words("rule.assist_here", category=c, grid=f"{grid['path']} ({grid['code']})"))
    return Answer(None, _words("rule.assist_missing", category=c))


def _platform(ctx: RouteContext, codes: list[str], steps: list[dict]) -> Answer:
    node = ctx.chain[0]
    if not steps:
        holder = ctx.facts.holder(codes[0])
        own = next(g for g in ctx.chain if g["code"] == holder)
        value = {"level": own["level"], "code": own["code"], "name": own["name"]}
        return Answer(value, lambda: t("rule.platform_own", level=t(f"level.{node['level']}")))
    target = steps[-1]
    names = " → ".join(s["name"] for s in steps)
    return Answer(target, lambda: t("rule.platform_escalate", level=t(f"level.{node['level']}"),
                                    platform=t(f"platform.{target['level']}"), path=names))


def deadline_words(rule: str | None) -> str | None:
    """`5` → 5个工作日, `4h` → 4个工作小时, `3d` → 3个自然日, `24ch` → 24小时 (办结时限 in words)."""
    if not rule:
        return rule
    return _deadline_words(str(rule), lang())


@functools.lru_cache(maxsize=256)
def _deadline_words(rule: str, language: str) -> str:
    """`deadline_words` worded once per rule and language (an import routes every row)."""
    n, unit = deadline_parts(rule)
    return t(f"deadline.{unit}", n=n)


def _deadline(category: dict) -> Answer:
    n, unit = deadline_parts(str(category["deadline"]))
    value = {"amount": n, "unit": unit, "text": deadline_words(str(category["deadline"]))}
    return Answer(value, _words("rule.deadline", category=category["name"], value=value["text"]))

