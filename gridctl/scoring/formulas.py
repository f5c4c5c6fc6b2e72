"""The assessment's arithmetic as pure functions (no database, no CLI).

Member score = the member's conduct (思想作风, 20) + the team's performance (工作业绩, 80, the one
formula in `gridctl.metrics.performance`). Team score = the mean of its rated members' scores;
dispatching-unit score = the mean of its rated teams'. Every function returns the figure
(unrounded) and a `Calc` saying how it was worked out, for `score explain`.
"""

from __future__ import annotations

from gridctl.metrics import Performance
from gridctl.scoring.model import Calc, Item


def publicity(items: int, quota: float, cfg: dict) -> Item:
    """宣传报道: items against the quota (already prorated by the days in the team)."""
    points = cfg["publicity"]["points"]
    value = points if quota <= 0 else min(items / quota, 1.0) * points
    return Item(value, Calc("publicity", {"items": items, "quota": round(quota, 4), "points": points}))


def attendance(absent_days: int, notices: int, cfg: dict) -> Item:
    """出勤到位: full points less each day absent without leave and each inspection notice."""
    a = cfg["attendance"]
    value = max(a["points"] - absent_days * a["per_absence"] - notices * a["per_notice"], 0.0)
    return Item(value, Calc("attendance", {"points": a["points"], "absent": absent_days, "per_absence": a["per_absence"],
                                           "notices": notices, "per_notice": a["per_notice"]}))


def study(missed: int, patrols: int, meetings: int, cfg: dict) -> Item:
    """组织学习、巡查: full points less each missed session, owed patrol week not made and team
    meeting not attended (参加学习、汇报、会议、参与巡查)."""
    s = cfg["study"]
    value = max(s["points"] - missed * s["per_missed"] - patrols * s["per_missed_patrol"]
                - meetings * s["per_missed_meeting"], 0.0)
    return Item(value, Calc("study", {"points": s["points"], "missed": missed, "per_missed": s["per_missed"],
                                      "patrols": patrols, "per_patrol": s["per_missed_patrol"],
                                      "meetings": meetings, "per_meeting": s["per_missed_meeting"]}))


def satisfaction(satisfied: int, fair: int, unsatisfied: int, cfg: dict) -> Item:
    """群众评价: (5·满意 + 4·一般满意 + 3·不满意) / votes, on the item's points. No votes: not
    rated (None) by default, or full / zero points where scoring.yaml says so."""
    c = cfg["satisfaction"]
    w, points = c["weights"], c["points"]
    votes = satisfied + fair + unsatisfied
    if votes == 0:
        rule = cfg["rules"]["no_survey_votes"]
        return Item({"full": points, "zero": 0.0}.get(rule), Calc(f"no_votes_{rule}", {"points": points}))
    scale = points / max(w.values())
    value = (w["satisfied"] * satisfied + w["fair"] * fair + w["unsatisfied"] * unsatisfied) / votes * scale
    return Item(value, Calc("satisfaction" if scale == 1 else "satisfaction_scaled", {"ws": w["satisfied"], "wf": w["fair"], "wu": w["unsatisfied"],
                                             "s": satisfied, "f": fair, "u": unsatisfied, "votes": votes,
                                             "scale": scale}))


def performance_items(perf: Performance) -> dict[str, Item]:
    """Each rate's points in the performance, with its arithmetic (or why it is not rated)."""
    out = {}
    for key, item in perf.items.items():
        if item.rated:
            calc = Calc("rate", {"num": item.rate.numerator, "den": item.rate.denominator, "weight": item.weight})
        else:
            calc = Calc(f"not_rated_{perf.rule}", {"weight": item.weight})
        out[key] = Item(item.points, calc)
    return out


def unfit(absent_days: int, notices: int, cfg: dict) -> list[str]:
    """不称职 by rule: more unexcused absence days, or more 督查通报, than scoring.yaml allows."""
    rule, out = cfg["unfit"], []
    if rule["absent_days"] is not None and absent_days > rule["absent_days"]:
        out.append("absent")
    if rule["notices"] is not None and notices > rule["notices"]:
        out.append("notices")
    return out


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def grade(total: float | None, scale: list[tuple[str, float]]) -> str | None:
    """The first tier whose cut-off the total reaches (好 ≥ 90, 较好 ≥ 75, 一般 ≥ 60, 差)."""
    if total is None:
        return None
    return next((name for name, cut in scale if total >= cut - 1e-9), scale[-1][0])


def _key(c: dict) -> tuple:
    return (round(c["total"], 9), round(c.get("performance") or 0, 9), round(c.get("conduct") or 0, 9))


def awards(candidates: list[dict], tiers: list[tuple[str, int]]) -> list[dict]:
    """Award tiers in order of total; ties broken by performance, then conduct; those equal on
    all three share the place (and its award), never split by code order. A shared place that
    starts inside a tier's quota gets that tier; the places it takes are counted."""
    ranked = sorted(candidates, key=_key, reverse=True)
    limits, total = [], 0
    for name, count in tiers:
        total += count
        limits.append((total, name))
    out, place = [], 0
    while place < len(ranked):
        group = [c for c in ranked[place:] if _key(c) == _key(ranked[place])]
        award = next((name for limit, name in limits if place < limit), None)
        if award is None:
            break
        for c in group:
            out.append({"award": award, "id": c["id"], "name": c.get("name"), "total": c["total"],
                        "shared": len(group) > 1})
        place += len(group)
    return out
