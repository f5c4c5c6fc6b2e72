"""The assessment's arithmetic as pure functions (no database, no CLI).

Member score = the member's conduct (思想作风, 20) + the team's performance (工作业绩, 80).
Team score = the mean of its members' scores; dispatching-unit score = the mean of its teams'.
Every function returns the figure and the arithmetic that produced it, for `score explain`.
"""

from __future__ import annotations

from gridctl.metrics import Rate


def publicity(items: int, cfg: dict, share: float = 1.0) -> tuple[float, str]:
    """宣传报道: items against the quota (prorated by `share` of the period in the team)."""
    quota = cfg["publicity"]["quota"] * share
    points = cfg["publicity"]["points"]
    value = points if quota <= 0 else min(items / quota, 1.0) * points
    return round(value, 4), f"min({items} / {quota:g}, 1) × {points:g}"


def attendance(absent_days: int, notices: int, cfg: dict) -> tuple[float, str]:
    """出勤到位: full points less each day absent without leave and each inspection notice."""
    a = cfg["attendance"]
    value = max(a["points"] - absent_days * a["per_absence"] - notices * a["per_notice"], 0.0)
    return round(value, 4), f"max({a['points']:g} − {absent_days}×{a['per_absence']:g} − {notices}×{a['per_notice']:g}, 0)"


def study(missed: int, cfg: dict) -> tuple[float, str]:
    """组织学习、巡查: full points less each missed session."""
    s = cfg["study"]
    return round(max(s["points"] - missed * s["per_missed"], 0.0), 4), f"max({s['points']:g} − {missed}×{s['per_missed']:g}, 0)"


def satisfaction(satisfied: int, fair: int, unsatisfied: int, cfg: dict) -> tuple[float, str]:
    """群众评价: (5·满意 + 4·一般满意 + 3·不满意) / votes, on the item's points."""
    c = cfg["satisfaction"]
    w, points = c["weights"], c["points"]
    votes = satisfied + fair + unsatisfied
    if votes == 0:
        full = cfg["rules"]["no_survey_votes"] == "full"
        return (points if full else 0.0), f"no votes → {cfg['rules']['no_survey_votes']}"
    scale = points / max(w.values())
    value = (w["satisfied"] * satisfied + w["fair"] * fair + w["unsatisfied"] * unsatisfied) / votes * scale
    text = (f"({w['satisfied']:g}·{satisfied} + {w['fair']:g}·{fair} + {w['unsatisfied']:g}·{unsatisfied}) / {votes}"
            + (f" × {scale:g}" if scale != 1 else ""))
    return round(value, 4), text


def performance(rates: dict[str, Rate], cfg: dict) -> tuple[float, dict[str, tuple[float, str]]]:
    """工作业绩: each rate × its points; a rate with no denominator follows the stated rule."""
    items = {}
    for key, points in cfg["performance"].items():
        rate = rates["on_time_handling" if key == "handling" and cfg["handling_variant"] == "on_time" else key]
        if rate.denominator == 0:
            full = cfg["rules"]["zero_denominator"] == "full"
            items[key] = (points if full else 0.0, f"0/0 → {cfg['rules']['zero_denominator']} ({points:g})")
        else:
            items[key] = (round(rate.numerator / rate.denominator * points, 4),
                          f"{rate.numerator}/{rate.denominator} × {points:g}")
    return round(sum(v for v, _ in items.values()), 4), items


def mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def grade(total: float | None, scale: list[tuple[str, float]]) -> str | None:
    """The first tier whose cut-off the total reaches (好 ≥ 90, 较好 ≥ 75, 一般 ≥ 60, 差)."""
    if total is None:
        return None
    return next((name for name, cut in scale if total >= cut - 1e-9), scale[-1][0])


def awards(candidates: list[dict], tiers: list[tuple[str, int]], eligible) -> list[dict]:
    """Hand out award tiers in order of total; ties broken by performance, conduct, then id."""
    ranked = sorted((c for c in candidates if eligible(c)),
                    key=lambda c: (-c["total"], -(c.get("performance") or 0), -(c.get("conduct") or 0), c["id"]))
    out, i = [], 0
    for name, count in tiers:
        for c in ranked[i:i + count]:
            out.append({"award": name, "id": c["id"], "name": c.get("name"), "total": c["total"]})
        i += count
    return out
