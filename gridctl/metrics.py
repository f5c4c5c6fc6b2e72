"""The rates of SPEC.md "Assessment" and the monthly 通报, as pure functions over issue records.

Each rate is kept as numerator and denominator so every figure can be traced back to the
issues it counted; a rate with a zero denominator has no value (None), never a silent zero.
Times are `YYYY-MM-DD HH:MM` strings; a period is [start, end].
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

FORMULA_VERSION = "2026.1"

DEFINITIONS = {
    "discovery": "发现率 = 本期登记的问题中由本网格巡查发现的 ÷ 本期登记的问题",
    "handling": "处置率 = 应结案中已处置或已结案的 ÷ 应结案 (已受理且截止时间在本期内)",
    "on_time_handling": "按期处置率 = 未延期的应结案中按期结案的 ÷ (应结案 − 延期获批)",
    "reporting": "上报率 = 本期登记的问题中在上报时限内上报的 ÷ 本期登记的问题",
    "satisfaction": "满意率 = 本期回访中满意与基本满意的 ÷ 本期回访",
    "rework": "返工率 = 本期处置的问题中返工过的 ÷ 本期处置的问题",
    "closure": "结案率 = 应结案中已结案的 ÷ 应结案",
}
RATES = tuple(DEFINITIONS)
SCORED = ("discovery", "handling", "reporting", "satisfaction")
"""The four rates of the 80 performance points (20 each)."""


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


def _in(moment: str | None, start: str, end: str) -> bool:
    return bool(moment) and start <= moment <= end


def tally(issues, start: str, end: str, found_by_patrol: set[str], c: Counter | None = None) -> Counter:
    """The counts behind every rate, for the issues of one group as they stood at `end`
    (added into `c` when given, so a stream of issues can be tallied group by group)."""
    c = Counter() if c is None else c
    for s in issues:
        if _in(s["reported_at"], start, end):
            c["recorded"] += 1
            c["discovered"] += s["source"] == "patrol" or s["id"] in found_by_patrol
            c["reported_in_time"] += not s["late_report"]
            c["on_the_spot"] += bool(s["on_the_spot"])
            c[f"source:{s['source']}"] += 1
            c[f"category:{s['category']}"] += 1
        c["accepted"] += _in(s["accepted_at"], start, end)
        if s["accepted_at"] and _in(s["deadline"], start, end):
            c["due"] += 1
            closed = bool(s["closed_at"]) and s["closed_at"] <= end
            c["due_closed"] += closed
            c["due_handled"] += closed or (bool(s["handled_at"]) and s["handled_at"] <= end)
            extended = s["extensions"] > 0
            c["due_extended"] += extended
            c["due_on_time"] += closed and not extended and s["closed_at"] <= s["deadline"]
        if _in(s["handled_at"], start, end) or (_in(s["closed_at"], start, end) and s["on_the_spot"]):
            c["handled"] += 1
            c["reworked"] += s["reworks"] > 0
        if _in(s["closed_at"], start, end):
            c["closed"] += 1
            c[f"closed:{s['category']}"] += 1
        if _in(s["callback_at"], start, end):
            c["callbacks"] += 1
            c["satisfied"] += s["callback"] in ("satisfied", "fair")
    return c


def rates(c: Counter) -> dict[str, Rate]:
    return {
        "discovery": Rate(c["discovered"], c["recorded"]),
        "handling": Rate(c["due_handled"], c["due"]),
        "on_time_handling": Rate(c["due_on_time"], c["due"] - c["due_extended"]),
        "reporting": Rate(c["reported_in_time"], c["recorded"]),
        "satisfaction": Rate(c["satisfied"], c["callbacks"]),
        "rework": Rate(c["reworked"], c["handled"]),
        "closure": Rate(c["due_closed"], c["due"]),
    }


def performance(r: dict[str, Rate]) -> float | None:
    """80 performance points: the scored rates' mean × 80; rates without a denominator are left
    out (and say so in the workbook), so a grid is not punished for having nothing due."""
    values = [r[k].value for k in SCORED if r[k].value is not None]
    return round(sum(values) / len(values) * 80, 2) if values else None


def rank(scores: dict[str, float | None]) -> dict[str, int | None]:
    """Competition ranking (1, 2, 2, 4): equal scores share a rank; no score, no rank."""
    ordered = sorted((s for s in scores.values() if s is not None), reverse=True)
    first: dict[float, int] = {}
    for place, score in enumerate(ordered, 1):
        first.setdefault(score, place)
    return {k: (first[v] if v is not None else None) for k, v in scores.items()}
