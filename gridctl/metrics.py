"""The rates of SPEC.md "Assessment" and the one 工作业绩 (performance) formula, as pure functions.

Used alike by `gridctl score`, `score explain` and the monthly report. Each rate is kept as
numerator and denominator so every figure can be traced back to the issues it counted; a rate
with a zero denominator is *not rated* (value None), never a silent zero or a silent full mark.
Times are `YYYY-MM-DD HH:MM` strings; a period is [start, end]. Rejected issues (不予受理:
duplicates, not ours) count in no rate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gridctl.ledger.issues import IssueState

FORMULA_VERSION = "2026.2"

DEFINITIONS = {
    "discovery": "发现率 = 辖区网格本期登记的问题中由本队(本网格)巡查发现的 ÷ 本期登记的问题 (不予受理的不计)",
    "handling": "处置率 = 应结案中已结案的 ÷ 应结案 (已受理且办结时限在本期内; 已处置未结案不算)",
    "on_time_handling": "按期处置率 = 应结案中在办结时限 (含批准的延期) 内结案的 ÷ 应结案",
    "reporting": "上报率 = 本队自己发现的问题中在上报时限内上报、超出权限的已逐级上报的 ÷ 本队自己发现的问题",
    "satisfaction": "满意率 = 本期回访中满意与基本满意的 ÷ 本期回访",
    "rework": "返工率 = 本期处置的问题中返工过的 ÷ 本期处置的问题",
    "closure": "结案率 = 应结案中已结案的 ÷ 应结案",
}
RATES = tuple(DEFINITIONS)
SCORED = ("discovery", "handling", "reporting", "satisfaction")
"""The four rates of the 80 performance points (20 each by default)."""
_PLATFORM_RANK = {"community": 0, "township": 1, "district": 2, "city": 3}
_GRID_PLATFORM = {15: 0, 12: 0, 9: 1, 6: 2, 4: 3}


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def to_dict(self) -> dict:
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.value}


def _in(moment: str | None, start: str, end: str) -> bool:
    return moment is not None and start <= moment <= end


def escalated_as_needed(s: IssueState) -> bool:
    """逐级上报: an issue beyond the authority of the platform where it was found was escalated
    (gridctl escalates at the moment of reporting, so an escalated issue was escalated in time)."""
    own = _GRID_PLATFORM.get(len(s.grid or ""), 0)
    need = _PLATFORM_RANK.get(s.authority or "community", 0) > own
    return not need or (s.escalations or 0) > 0


def patrol_found(found_by_patrol: set[str]) -> Callable[[IssueState], bool]:
    """A grid's own finds (monthly report): source 巡查发现, or linked to a patrol."""
    return lambda s: s.source == "patrol" or s.id in found_by_patrol


def tally(issues: Iterable[IssueState], start: str, end: str, found_by_patrol: set[str] | None = None, c: Counter | None = None,
          own: Callable[[IssueState], bool] | None = None) -> Counter:
    """The counts behind every rate, for the issues of one group as they stood at `end`
    (added into `c` when given, so a stream of issues can be tallied group by group).

    `own(issue)` says whether the group itself found the issue (a team: 巡查发现 by a member
    that day); without it, an issue from a patrol (`found_by_patrol`, or source 巡查发现) is."""
    c = Counter() if c is None else c
    own = own or patrol_found(found_by_patrol or set())
    for s in issues:
        if s.status == "rejected":
            c["rejected"] += _in(s.reported_at, start, end)
            continue
        if _in(s.reported_at, start, end):
            c["recorded"] += 1
            mine = own(s)
            c["discovered"] += mine
            c["reported_in_time"] += mine and not s.late_report and escalated_as_needed(s)
            c["on_the_spot"] += bool(s.on_the_spot)
            c[f"source:{s.source}"] += 1
            c[f"category:{s.category}"] += 1
        c["accepted"] += _in(s.accepted_at, start, end)
        deadline, closed_at = s.deadline, s.closed_at
        if s.accepted_at and deadline and _in(deadline, start, end):
            c["due"] += 1
            closed = bool(closed_at and closed_at <= end)
            c["due_closed"] += closed
            c["due_handled"] += closed or bool(s.handled_at and s.handled_at <= end)
            c["due_extended"] += s.extensions > 0
            c["due_on_time"] += closed and bool(closed_at and closed_at <= deadline)
        if _in(s.handled_at, start, end) or (_in(s.closed_at, start, end) and s.on_the_spot):
            c["handled"] += 1
            c["reworked"] += s.reworks > 0
        if _in(s.closed_at, start, end):
            c["closed"] += 1
            c[f"closed:{s.category}"] += 1
        if _in(s.callback_at, start, end):
            c["callbacks"] += 1
            c["satisfied"] += s.callback in ("satisfied", "fair")
    return c


RATE_COUNTS = {"discovery": ("discovered", "recorded"), "handling": ("due_closed", "due"),
               "on_time_handling": ("due_on_time", "due"), "reporting": ("reported_in_time", "discovered"),
               "satisfaction": ("satisfied", "callbacks"), "rework": ("reworked", "handled"),
               "closure": ("due_closed", "due")}
"""rate → (the tally key of its numerator, of its denominator)."""


def rates(c: Counter) -> dict[str, Rate]:
    return {key: Rate(c[num], c[den]) for key, (num, den) in RATE_COUNTS.items()}


@dataclass(frozen=True)
class PerformanceItem:
    """One rate's share of 工作业绩: rate × weight, or not rated (points None, or by the rule)."""

    rate: Rate
    weight: float
    points: float | None
    rated: bool


@dataclass(frozen=True)
class Performance:
    """工作业绩: the points (None = 未评, nothing to count at all) and each item behind them."""

    points: float | None
    items: dict[str, PerformanceItem] = field(default_factory=dict)
    rule: str = "prorate"
    scale: float = 1.0

    @property
    def missing(self) -> list[str]:
        return [k for k, item in self.items.items() if not item.rated]


DEFAULT_WEIGHTS = {k: 20.0 for k in SCORED}


def performance(r: dict[str, Rate], weights: dict[str, float] | None = None, rule: str = "prorate",
                handling: str = "all") -> Performance:
    """工作业绩 — the one formula: each scored rate × its weight (20 each of 80).

    A rate with nothing to count is not rated. `prorate` (default) scales the rated items up to the
    full weight; `full` gives an unrated item its weight; `zero` gives it nothing. With no rated
    item at all the performance is not rated (None) under every rule: an idle team is never rewarded.
    `handling="on_time"` scores 按期处置率 in the 处置率 slot."""
    weights = weights or DEFAULT_WEIGHTS
    items = {}
    for key, weight in weights.items():
        rate = r["on_time_handling" if key == "handling" and handling == "on_time" else key]
        if rate.denominator:
            items[key] = PerformanceItem(rate, weight, rate.numerator / rate.denominator * weight, True)
        else:
            items[key] = PerformanceItem(rate, weight, {"full": weight, "zero": 0.0}.get(rule), False)
    rated = [i for i in items.values() if i.rated and i.weight > 0]    # an item weighted 0 scores nothing
    if not rated:
        return Performance(None, items, rule)
    earned = sum(i.points for i in items.values() if i.points is not None)
    scale = 1.0
    if rule == "prorate":
        scale = sum(weights.values()) / sum(i.weight for i in rated)
    return Performance(earned * scale, items, rule, scale)


def rank(scores: dict[str, float | None]) -> dict[str, int | None]:
    """Competition ranking (1, 2, 2, 4): equal scores share a rank; no score, no rank."""
    ordered = sorted((s for s in scores.values() if s is not None), reverse=True)
    first: dict[float, int] = {}
    for place, score in enumerate(ordered, 1):
        first.setdefault(score, place)
    return {k: (first[v] if v is not None else None) for k, v in scores.items()}
