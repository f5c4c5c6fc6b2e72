"""The assessment's typed results, passed from the service to the CLI and the workbook.

Figures are kept unrounded (rounding is for display only). `to_dict` gives the `--json`
document and the approval snapshot; `from_dict` reads a snapshot back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from gridctl.metrics import Rate


@dataclass(frozen=True)
class Calc:
    """How a figure was worked out: what kind of working (`publicity`, `rate`, `not_rated_full`, …)
    and its numbers, so `score explain` can say it in words in the reader's language (`sc.explain.*`)."""

    key: str
    params: dict = field(default_factory=dict)


@dataclass
class Item:
    """One item of 思想作风 or 工作业绩: its points (None = not rated) and the arithmetic."""

    points: float | None
    calc: Calc


@dataclass
class Gap:
    """缺项: a figure that could not be rated, and why (`sc.gap.*`)."""

    subject: str
    name: str | None
    item: str
    reason: str


@dataclass
class MemberScore:
    id: str
    person: str
    name: str | None
    team: str
    team_name: str
    unit: str
    role: str
    days: int
    counts: dict
    votes: dict
    conduct_items: dict[str, Item]
    conduct: float
    performance: float | None
    performance_items: dict[str, Item]
    rates: dict[str, Rate]
    total: float | None
    grade: str | None
    letter: str | None
    missing: list[str]
    unfit: list[str]
    flag: str | None = None
    rank: int | None = None
    rows: dict | None = None

    @property
    def rated(self) -> bool:
        return self.total is not None


@dataclass
class TeamScore:
    id: str
    team: str
    name: str
    unit: str
    members: int
    rated_members: int
    conduct: float | None
    performance: float | None
    rates: dict[str, Rate]
    total: float | None
    grade: str | None
    letter: str | None
    missing: list[str]
    flag: str | None = None
    rank: int | None = None


@dataclass
class UnitScore:
    id: str
    unit: str
    name: str
    teams: int
    total: float | None
    grade: str | None
    letter: str | None
    flag: str | None = None
    rank: int | None = None


@dataclass
class Award:
    kind: str
    award: str
    id: str
    name: str | None
    total: float
    shared: bool = False


@dataclass
class Exclusion:
    """One who is not awarded although it might have been, and why (`sc.why.*`)."""

    kind: str
    id: str
    name: str | None
    reason: str
    detail: str | None = None


@dataclass
class Flag:
    """A 虚报/谎报 flag in force (not withdrawn)."""

    subject: str
    kind: str
    reason: str
    by: str | None
    at: str


@dataclass
class Assessment:
    period: str
    start: str
    end: str
    as_of: str
    version: str
    config: dict
    last_event: str | None
    unit: str | None
    members: list[MemberScore]
    teams: list[TeamScore]
    units: list[UnitScore]
    awards: list[Award]
    exclusions: list[Exclusion]
    gaps: list[Gap]
    flags: list[Flag]
    approval: dict | None = None
    changed: dict | None = None
    scope: dict | None = None
    """The view shown: {unit, name, default (a township ledger's own node), whole}; None = all."""

    def to_dict(self, lazy: bool = False) -> dict:
        """Plain data (the `--json` document and the approval snapshot); a rate with its value.
        `lazy`: the members as an iterator, each made plain when it is reached (a city's
        39k members are written out one by one instead of held twice)."""
        out = {name: _plain(getattr(self, name)) for name in self.__dataclass_fields__ if name != "members"}
        last: dict[str, tuple[Any, Any]] = {}
        members = (_member_plain(m, last) for m in self.members)
        return {name: (members if lazy else list(members)) if name == "members" else out[name]
                for name in self.__dataclass_fields__}


def _member_plain(member: MemberScore, last: dict[str, tuple[Any, Any]]) -> dict:
    """A member as plain data. The team's rates and performance items, which its members (listed
    team by team) share as the same objects, are made plain once for the run of them (`last`:
    field → the object seen last and its plain data)."""
    row = {}
    for name in member.__dataclass_fields__:
        value = getattr(member, name)
        if name in ("rates", "performance_items"):
            seen, plain = last.get(name, (None, None))
            if seen is not value:
                plain = _plain(value)
                last[name] = (value, plain)
            row[name] = plain
        else:
            row[name] = value if type(value) in _LEAF else _plain(value)
    if row["rows"] is None:
        row.pop("rows")
    return row


_LEAF = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """Like `dataclasses.asdict`, without its deep copies (a city's result is large); a leaf
    (text, number, None) is taken as it is without a call."""
    kind = type(value)
    if kind in _LEAF:
        return value
    if kind is Rate:
        return value.to_dict()
    if hasattr(value, "__dataclass_fields__"):
        return {name: (v if type(v) in _LEAF else _plain(v))
                for name, v in ((name, getattr(value, name)) for name in value.__dataclass_fields__)}
    if isinstance(value, dict):
        return {k: (v if type(v) in _LEAF else _plain(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _LEAF else _plain(v) for v in value]
    return value


def _rates(data: dict) -> dict[str, Rate]:
    return {k: Rate(v["numerator"], v["denominator"]) for k, v in data.items()}


def _items(data: dict) -> dict[str, Item]:
    return {k: Item(v["points"], Calc(v["calc"]["key"], v["calc"]["params"])) for k, v in data.items()}


def _only(cls, data: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def from_dict(data: dict) -> Assessment:
    """An assessment read back from its approval snapshot."""
    members = [MemberScore(**_only(MemberScore, m) | {"rates": _rates(m["rates"]),
                                                     "conduct_items": _items(m["conduct_items"]),
                                                     "performance_items": _items(m["performance_items"])})
               for m in data["members"]]
    teams = [TeamScore(**_only(TeamScore, t) | {"rates": _rates(t["rates"])}) for t in data["teams"]]
    simple = {"units": UnitScore, "awards": Award, "exclusions": Exclusion, "gaps": Gap, "flags": Flag}
    rest: dict[str, Any] = {key: [cls(**_only(cls, row)) for row in data[key]] for key, cls in simple.items()}
    head = {k: data[k] for k in ("period", "start", "end", "as_of", "version", "config", "last_event", "unit",
                                 "approval", "changed")}
    return Assessment(**head, members=members, teams=teams, **rest)
