"""The duty matrix applied to one grid node (差异化职责): who leads, enforces, assists, closes.

Pure functions over plain records: `duty who` and (later) `issue add` both call `route`.
Each answer carries the rule that produced it, in the user's language, worded when read (an
import routes every row and shows no rule).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, Generic, NamedTuple, TypeVar, overload
from dataclasses import dataclass, field

from gridctl.config.levels import PLATFORM_LEVELS, deadline_parts
from gridctl.messages import lang, t


@dataclass
class RouteContext:
    """What routing needs from the ledger about one node, as of one date."""

    chain: list[dict]                  # the node first, then each ancestor up to the root
    posts: Mapping[str, list[dict]]    # grid code → posts held there: role, person, name, phone
    departments: list[dict]            # departments at grids in the chain: code, name, grid, kind
    teams: Mapping[str, list[dict]]    # grid code → teams assigned there: code, name, unit, leader


@dataclass
class Answer:
    value: object
    why: Callable[[], str] = field(repr=False)   # the rule's words, built on demand

    @property
    def rule(self) -> str:
        return self.why()


T = TypeVar("T")


class _kept(Generic[T]):
    """An attribute worked out on first read and kept on the instance: `functools.cached_property`
    without the lock Python 3.11 takes on every first read (an import reads four per row)."""

    def __init__(self, work: Callable[[Any], T]):
        self.work, self.name = work, work.__name__

    @overload
    def __get__(self, obj: None, owner: type) -> _kept[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.work(obj)   # shadows this (non-data) descriptor
        return value


class Route:
    """Where an issue of `category` found at the context's node goes: each answer (lead,
    department, assist, authority, platform, deadline) and the escalation path, worked out when
    first read and kept (an import reads four of them for every row)."""

    def __init__(self, category: dict, ctx: RouteContext):
        self.of, self.ctx = category, ctx

    @_kept
    def category(self) -> dict:
        return {"code": self.of["code"], "name": self.of["name"]}

    @_kept
    def grid(self) -> dict:
        node = self.ctx.chain[0]
        return {k: node[k] for k in ("code", "name", "level", "path")}

    @_kept
    def lead(self) -> Answer:
        return _lead(self.of, self.ctx)

    @_kept
    def department(self) -> Answer:
        return _department(self.of, self.ctx)

    @_kept
    def assist(self) -> Answer:
        return _assist(self.of, self.ctx)

    @_kept
    def authority(self) -> Answer:
        category = self.of
        return Answer(category["authority"], lambda: t("rule.authority", category=category["name"],
                                                       level=t(f"level.{category['authority']}")))

    @_kept
    def platform(self) -> Answer:
        return _platform(self.ctx, self.escalation_path)

    @_kept
    def deadline(self) -> Answer:
        return _deadline(self.of)

    @_kept
    def escalation_path(self) -> list[dict]:
        """The platforms an issue found here passes through, beyond its own, up to its authority."""
        return escalation(self.of, self.ctx)

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
    """The duty matrix's answer for `category` at the context's node (差异化职责)."""
    return Route(category, ctx)


class LeadPost(NamedTuple):
    """Where a category's lead role is held (牵头岗位): the grid, how far up the chain it is from
    the node (0: the node itself), and its posts of that role."""

    depth: int
    grid: dict
    holders: list[dict]


class Units(NamedTuple):
    """The units a routing answer names (departments, teams) and the grid they were found at."""

    grid: dict
    units: list[dict]


def lead_post(category: dict, ctx: RouteContext) -> LeadPost | None:
    """The nearest grid of the chain, the node first, where someone holds the category's lead
    role, with its posts of that role; None if no grid has one."""
    role = category["lead_role"]
    for depth, grid in enumerate(ctx.chain):
        holders = [p for p in ctx.posts.get(grid["code"], []) if p["role"] == role]
        if holders:
            return LeadPost(depth, grid, holders)
    return None


def enforcing(category: dict, ctx: RouteContext) -> Units | None:
    """The district, else the city, with departments of the kind the
    category needs (执法部门); None if it needs none or none is there."""
    kind = category.get("department")
    if not kind:
        return None
    for grid in ctx.chain:
        if grid["level"] not in ("district", "city"):
            continue
        found = [d for d in ctx.departments if d["grid"] == grid["code"] and d["kind"] == kind]
        if found:
            return Units(grid, found)
    return None


def assisting(category: dict, ctx: RouteContext) -> Units | None:
    """The nearest grid of the chain with teams assigned (协助团队), for a category
    that asks a team's help; None if it asks none or no grid has one."""
    if category.get("assist") != "team":
        return None
    for grid in ctx.chain:
        teams = ctx.teams.get(grid["code"])
        if teams:
            return Units(grid, teams)
    return None


def _lead(category: dict, ctx: RouteContext) -> Answer:
    role, c = category["lead_role"], category["name"]
    found = lead_post(category, ctx)
    if found:
        depth, grid, holders = found
        key = "rule.lead_here" if depth == 0 else "rule.lead_up"
        value = {"role": role, "grid": grid["code"], "grid_path": grid["path"],
                 "people": [{"id": p["person"], "name": p["name"], "phone": p["phone"]} for p in holders]}
        return Answer(value, _words(key, category=c, role=role, grid=f"{grid['path']} ({grid['code']})"))
    return Answer(None, _words("rule.lead_none", category=c, role=role))


def _department(category: dict, ctx: RouteContext) -> Answer:
    kind, c = category.get("department"), category["name"]
    if not kind:
        return Answer(None, _words("rule.dept_none_needed", category=c))
    found = enforcing(category, ctx)
    if found:
        grid, departments = found
        key = "rule.dept_district" if grid["level"] == "district" else "rule.dept_city"
        return Answer(departments, _words(key, category=c, kind=kind, grid=f"{grid['name']} ({grid['code']})"))
    return Answer(None, _words("rule.dept_missing", category=c, kind=kind))


def _assist(category: dict, ctx: RouteContext) -> Answer:
    c = category["name"]
    if category.get("assist") != "team":
        return Answer(None, _words("rule.assist_none", category=c))
    found = assisting(category, ctx)
    if found:
        grid, teams = found
        return Answer(teams, _words("rule.assist_here", category=c, grid=f"{grid['path']} ({grid['code']})"))
    return Answer(None, _words("rule.assist_missing", category=c))


def escalation(category: dict, ctx: RouteContext) -> list[dict]:
    """The platforms an issue found at this node passes through, beyond its own, up to authority."""
    own = PLATFORM_LEVELS.index(platform_level(ctx.chain[0]["level"]))
    target = PLATFORM_LEVELS.index(category["authority"])
    if target >= own:
        return []
    by_level = {g["level"]: g for g in ctx.chain}
    path = []
    for level in reversed(PLATFORM_LEVELS[target:own]):
        grid = by_level.get(level)
        path.append({"level": level, "code": grid["code"] if grid else None,
                     "name": grid["name"] if grid else t(f"platform.{level}")})
    return path


def _platform(ctx: RouteContext, steps: list[dict]) -> Answer:
    node = ctx.chain[0]
    own_level = platform_level(node["level"])
    if not steps:
        own = next(g for g in ctx.chain if g["level"] == own_level)
        value = {"level": own_level, "code": own["code"], "name": own["name"]}
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



class RouteTable:
    """The duty matrix's answers for an import's rows (`issues.service.routed`'s, the same
    functions' answers: lead, holding platform, department, team, escalation path) from the
    routing facts of every grid at once, read in one pass each (`territory.route_table`): no
    `RouteContext` per grid, and what a grid's rows share with its siblings' (whatever the
    grids above them answer) worked out once per grid above, category and day.

    `grids`: code → (level, parent: None at the top, or where the parent is not a grid);
    `posts`: grid → its posts of a lead role (grid, role, person, since, until), in the ledger's order;
    `teams`: grid → the teams assigned there (team, since, until), by code;
    `departments`: grid → its departments in force (kind, code), by code."""

    def __init__(self, grids: dict[str, tuple[str, str | None]], posts: dict[str, list[tuple]],
                 teams: dict[str, list[tuple]], departments: dict[str, list[tuple[str, str]]]):
        self.grids, self.posts, self.teams, self.departments = grids, posts, teams, departments
        self.leads: dict[tuple[str, str, str], tuple[str, str] | None] = {}
        self.uppers: dict[tuple[str, str, str], tuple] = {}

    def routed(self, code: str, category: dict, day: str) -> tuple:
        """(holder, lead person, lead grid, department, team, escalation path) of an issue of
        `category` at grid `code` reported on `day` (as `issues.service.Routed`). For a block
        (三级网格) with no team of its own that day, all but the lead read only the grids above it:
        worked out once per community, category and day."""
        level, parent = self.grids[code]
        lead = self.lead(code, category["lead_role"], day)
        if level == "block" and parent is not None and not (code in self.teams and self._teams_on(code, day)):
            key = (parent, category["code"], day)
            upper = self.uppers.get(key)
            if upper is None:
                upper = self.uppers[key] = self._upper(code, category, day)
        else:
            upper = self._upper(code, category, day)
        holder, department, team, path = upper
        if lead is None:
            return holder, None, None, department, team, path
        return holder, lead[0], lead[1], department, team, path

    def lead(self, code: str, role: str, day: str) -> tuple[str, str] | None:
        """`lead_post`'s answer: (person, grid) of the first post of `role` held on `day` at the
        nearest grid of the chain that has one; None if none has. The grids above are asked once
        per role and day."""
        posts = self.posts.get(code)
        if posts is not None:
            for _, held, person, since, until in posts:
                if held == role and since <= day and (until is None or until >= day):
                    return person, code
        parent = self.grids[code][1]
        if parent is None:
            return None
        key = (parent, role, day)
        if key not in self.leads:
            self.leads[key] = self.lead(parent, role, day)
        return self.leads[key]

    def chain(self, code: str) -> list[str]:
        """The grid and its ancestors, the grid first."""
        chain = [code]
        while (code := self.grids[code][1]) is not None:   # type: ignore[assignment]
            chain.append(code)
        return chain

    def _teams_on(self, code: str, day: str) -> list[str]:
        """The teams assigned to grid `code` on `day`, by code."""
        return [team for team, since, until in self.teams.get(code, ())
                if since <= day and (until is None or until >= day)]

    def _upper(self, code: str, category: dict, day: str) -> tuple:
        """The platform holding the issue, the enforcing department, the assisting team and the
        escalation path ((level, code), …)."""
        chain, grids = self.chain(code), self.grids
        own_level = platform_level(grids[code][0])
        own = next(c for c in chain if grids[c][0] == own_level)
        department = self._enforcing(chain, category.get("department"))
        team = None
        if category.get("assist") == "team":
            team = next((held[0] for c in chain if (held := self._teams_on(c, day))), None)
        return own, department, team, self._escalation(chain, category)

    def _enforcing(self, chain: list[str], kind: str | None) -> str | None:
        """`enforcing`'s first department: the one of `kind` first by code at the nearest district
        or city of the chain that has one."""
        if not kind:
            return None
        for c in chain:
            if self.grids[c][0] in ("district", "city"):
                for held, department in self.departments.get(c, ()):
                    if held == kind:
                        return department
        return None

    def _escalation(self, chain: list[str], category: dict) -> tuple:
        """`escalation`'s path as an issue records it: (level, code or None), in order."""
        grids = self.grids
        own = PLATFORM_LEVELS.index(platform_level(grids[chain[0]][0]))
        target = PLATFORM_LEVELS.index(category["authority"])
        if target >= own:
            return ()
        by_level = {grids[c][0]: c for c in chain}
        return tuple((level, by_level.get(level)) for level in reversed(PLATFORM_LEVELS[target:own]))
