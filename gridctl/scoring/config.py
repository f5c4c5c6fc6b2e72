"""`configs/scoring.yaml`: every weight, quota, deduction, rule and cut-off, with its version."""

from __future__ import annotations

from pathlib import Path

from gridctl.config.yamlread import config_document
from gridctl.errors import InputProblems, Problem
from gridctl.messages import t

CHOICES = {"zero_denominator": ("full", "zero"), "no_survey_votes": ("full", "zero"),
           "two_teams": ("each",), "joined_mid_quarter": ("prorate", "full"),
           "handling_variant": ("all", "on_time")}


def load_scoring(path: Path | None = None) -> dict:
    """The scoring configuration as plain numbers; any problem names the file and the field."""
    path, raw = config_document("scoring.yaml", path)
    try:
        return _parse(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputProblems([Problem(str(path), None, "scoring", t("scoring.bad", error=exc))]) from None


def _number(value) -> float:
    number = float(value)
    if number < 0:
        raise ValueError(f"{value} < 0")
    return number


def _parse(raw: dict) -> dict:
    conduct, perf, rules = raw["conduct"], raw["performance"], raw.get("rules") or {}
    cfg = {
        "version": str(raw["version"]),
        "publicity": {"points": _number(conduct["publicity"]["points"]), "quota": _number(conduct["publicity"]["quota"])},
        "attendance": {k: _number(conduct["attendance"][k]) for k in ("points", "per_absence", "per_notice")},
        "study": {k: _number(conduct["study"][k]) for k in ("points", "per_missed")},
        "satisfaction": {"points": _number(conduct["satisfaction"]["points"]),
                         "weights": {k: _number(conduct["satisfaction"]["weights"][k])
                                     for k in ("satisfied", "fair", "unsatisfied")}},
        "performance": {k: _number(perf[k]) for k in ("discovery", "handling", "reporting", "satisfaction")},
        "handling_variant": perf.get("handling_variant", "all"),
        "rules": {k: rules.get(k, v[0]) for k, v in CHOICES.items() if k != "handling_variant"},
        "tiers": [(str(n), _number(m)) for n, m in raw["grades"]["tiers"]],
        "letters": [(str(n), _number(m)) for n, m in raw["grades"]["letters"]],
        "use": {k: _number(v) for k, v in (raw.get("use") or {}).items()},
        "awards": {"min_tier": raw["awards"]["min_tier"],
                   **{k: [(str(n), int(c)) for n, c in raw["awards"].get(k, [])]
                      for k in ("teams", "leaders", "members", "units")}},
    }
    for key, allowed in CHOICES.items():
        value = cfg["handling_variant"] if key == "handling_variant" else cfg["rules"][key]
        if value not in allowed:
            raise ValueError(f"{key}: {value} not in {allowed}")
    if cfg["awards"]["min_tier"] not in [n for n, _ in cfg["tiers"]]:
        raise ValueError(f"awards.min_tier: {cfg['awards']['min_tier']}")
    return cfg
