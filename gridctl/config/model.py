"""Plain records the YAML definitions become (定人、定岗、定责): no database, no CLI."""

from __future__ import annotations

from dataclasses import dataclass, field

from gridctl.config.levels import (  # noqa: F401  (their home: a clerk's every command reads them)
    CODE_LENGTH, DEADLINE_UNITS, KINDS, LEVELS, PLATFORM_LEVELS, deadline_parts,
)


@dataclass(slots=True)
class Grid:
    code: str
    name: str
    level: str
    parent: str | None
    kind: str | None = None
    path: str = ""
    households: int | None = None
    residents: int | None = None
    extent: str | None = None
    duty_phone: str | None = None


@dataclass(slots=True)
class Person:
    id: str
    name: str
    phone: str | None = None
    unit: str | None = None


@dataclass(slots=True)
class Post:
    """定岗: a person in a post at a grid node from `since`, until `until` (inclusive) if set."""

    grid: str
    role: str
    person: str
    since: str
    until: str | None = None


@dataclass(slots=True)
class Department:
    """职能部门 at city or district level; `kind` matches a category's `department`."""

    code: str
    name: str
    grid: str
    kind: str


@dataclass(slots=True)
class Span:
    """A team's member or assigned grid for a period (驻村 / 下沉)."""

    ref: str
    since: str
    until: str | None = None
    explicit: bool = True
    """False when `since` was taken from the team because the YAML gave a bare id."""


@dataclass(slots=True)
class Team:
    """群众工作队 / 下沉小组 sent by a dispatching unit (派出单位)."""

    code: str
    name: str
    unit: str
    leader: str
    since: str
    until: str | None = None
    members: list[Span] = field(default_factory=list)
    grids: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Category:
    """One row of the duty matrix (差异化职责)."""

    code: str
    name: str
    authority: str
    lead_role: str
    deadline: str
    department: str | None = None
    assist: str | None = None
    origin: str = ""


@dataclass
class Config:
    grids: dict[str, Grid] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    departments: dict[str, Department] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    department_kinds: list[str] = field(default_factory=list)
