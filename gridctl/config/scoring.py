"""`configs/scoring.yaml`: every weight, quota, deduction, rule and cut-off, with its version."""

from __future__ import annotations

from pathlib import Path

from gridctl.config.yamlread import config_document, config_problem
from gridctl.errors import InputProblems

NOT_RATED_RULES = ("prorate", "full", "zero")
"""How `metrics.performance` treats a rate that is not rated (zero denominator)."""
CHOICES = {"not_rated": NOT_RATED_RULES, "no_survey_votes": ("unrated", "full", "zero"),
           "two_teams": ("each",), "joined_mid_quarter": ("prorate", "full"),
           "handling_variant": ("all", "on_time")}


def load_scoring(path: Path | None = None) -> dict:
    """The scoring configuration as plain numbers; any problem names the file and the field."""
    path, raw = config_document("scoring.yaml", path)
    try:
        return _parse(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputProblems([config_problem(path, "scoring", "scoring.bad", error=exc)]) from None


def _number(value) -> float:
    number = float(value)
    if number < 0:
        raise ValueError(f"{value} < 0")
    return number


def _scale(pairs) -> list[tuple[str, float]]:
    return [(str(n), _number(m)) for n, m in pairs]


def _rules(raw: dict) -> dict:
    rules = dict(raw.get("rules") or {})
    if "zero_denominator" in rules:              # the 2026.1 name: full | zero
        rules.setdefault("not_rated", rules.pop("zero_denominator"))
    return {k: rules.get(k, v[0]) for k, v in CHOICES.items() if k != "handling_variant"}


def _parse(raw: dict) -> dict:
    conduct, perf = raw["conduct"], raw["performance"]
    study, publicity, grades = conduct["study"], conduct["publicity"], raw["grades"]
    unfit = raw.get("unfit") or {}
    cfg = {
        "version": str(raw["version"]),
        "publicity": {"points": _number(publicity["points"]), "quota": _number(publicity["quota"]),
                      "quota_year": _number(publicity.get("quota_year", 4 * _number(publicity["quota"])))},
        "attendance": {k: _number(conduct["attendance"][k]) for k in ("points", "per_absence", "per_notice")},
        "study": {"points": _number(study["points"]), "per_missed": _number(study["per_missed"]),
                  "per_missed_patrol": _number(study.get("per_missed_patrol", 0)),
                  "per_missed_meeting": _number(study.get("per_missed_meeting", 0))},
        "satisfaction": {"points": _number(conduct["satisfaction"]["points"]),
                         "weights": {k: _number(conduct["satisfaction"]["weights"][k])
                                     for k in ("satisfied", "fair", "unsatisfied")}},
        "performance": {k: _number(perf[k]) for k in ("discovery", "handling", "reporting", "satisfaction")},
        "handling_variant": perf.get("handling_variant", "all"),
        "rules": _rules(raw),
        "unfit": {k: (None if unfit.get(k) is None else _number(unfit[k])) for k in ("absent_days", "notices")},
        "tiers": _scale(grades["tiers"]),
        "member_tiers": _scale(grades.get("members") or [["优秀", 90], ["称职", 75], ["基本称职", 60], ["不称职", 0]]),
        "letters": _scale(grades["letters"]),
        "use": {k: _number(v) for k, v in (raw.get("use") or {}).items()},
        "approvers": [str(a) for a in raw.get("approvers") or []],
        "awards": {"min_tier": raw["awards"]["min_tier"],
                   "min_member_tier": raw["awards"].get("min_member_tier"),
                   **{k: [(str(n), int(c)) for n, c in raw["awards"].get(k, [])]
                      for k in ("teams", "leaders", "members", "units")}},
    }
    for key, allowed in CHOICES.items():
        value = cfg["handling_variant"] if key == "handling_variant" else cfg["rules"][key]
        if value not in allowed:
            raise ValueError(f"{key}: {value} not in {allowed}")
    if cfg["awards"]["min_tier"] not in [n for n, _ in cfg["tiers"]]:
        raise ValueError(f"awards.min_tier: {cfg['awards']['min_tier']}")
    member_names = [n for n, _ in cfg["member_tiers"]]
    cfg["awards"]["min_member_tier"] = cfg["awards"]["min_member_tier"] or member_names[1]
    if cfg["awards"]["min_member_tier"] not in member_names:
        raise ValueError(f"awards.min_member_tier: {cfg['awards']['min_member_tier']}")
    return cfg


def weights(cfg: dict) -> tuple[dict, str, str]:
    """The arguments of `metrics.performance` this configuration states."""
    return cfg["performance"], cfg["rules"]["not_rated"], cfg["handling_variant"]
