"""`configs/scoring.yaml`: every weight, quota, deduction, rule and cut-off, with its version."""

from __future__ import annotations

from pathlib import Path

from gridctl.config.yamlread import config_document, config_problem, refuse_unknown_keys
from gridctl.errors import InputProblems, Problem

NOT_RATED_RULES = ("prorate", "full", "zero")
"""How `metrics.performance` treats a rate that is not rated (zero denominator)."""
CHOICES = {"not_rated": NOT_RATED_RULES, "no_survey_votes": ("unrated", "full", "zero"),
           "two_teams": ("each",), "joined_mid_quarter": ("prorate", "full"),
           "handling_variant": ("all", "on_time")}


class _Wrong(ValueError):
    """A value of the file that is not what its key takes, with the catalogue's words for it."""

    def __init__(self, what: str, where: str | None = None, **params):
        super().__init__(what)
        self.what, self.where, self.params = what, where, params


def load_scoring(path: Path | None = None) -> dict:
    """The scoring configuration as plain numbers; any problem names the file and the field, in
    the catalogue's words (never Python's: `could not convert string to float`)."""
    path, raw = config_document("scoring.yaml", path, empty="scoring.empty")
    try:
        cfg = _parse(raw)
    except _Wrong as exc:                    # at the key last asked for, or the one it names
        problem = (Problem(str(path), None, exc.where, exc.what, exc.params) if exc.where
                   else config_problem(path, "scoring", exc.what, **exc.params))
    except KeyError:                         # the key last asked for is missing: named with its line
        problem = config_problem(path, "scoring", "scoring.missing")
    except (TypeError, ValueError, AttributeError):   # a number where a mapping or a list of pairs goes, …
        problem = Problem(str(path), None, "scoring", "scoring.bad_shape", {})   # (not where: untraced)
    else:
        refuse_unknown_keys(path, raw, ("version", "conduct", "performance", "rules", "unfit", "grades", "use",
                                        "approvers", "awards"))
        return cfg
    raise InputProblems([problem]) from None


def _number(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _Wrong("scoring.not_number", value=value) from None
    if not 0 <= number < float("inf"):
        raise _Wrong("scoring.not_number", value=value)
    return number


def _count(value) -> int:
    number = _number(value)
    if number != int(number):
        raise _Wrong("scoring.not_number", value=value)
    return int(number)


def _one_of(key: str, value, allowed) -> None:
    if value not in allowed:
        raise _Wrong("scoring.not_a_choice", key, value=value, choices=" | ".join(map(str, allowed)))


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
                   **{k: [(str(n), _count(c)) for n, c in raw["awards"].get(k, [])]
                      for k in ("teams", "leaders", "members", "units")}},
    }
    for key, allowed in CHOICES.items():
        value = cfg["handling_variant"] if key == "handling_variant" else cfg["rules"][key]
        _one_of(f"performance.{key}" if key == "handling_variant" else f"rules.{key}", value, allowed)
    _one_of("awards.min_tier", cfg["awards"]["min_tier"], [n for n, _ in cfg["tiers"]])
    member_names = [n for n, _ in cfg["member_tiers"]]
    cfg["awards"]["min_member_tier"] = cfg["awards"]["min_member_tier"] or member_names[1]
    _one_of("awards.min_member_tier", cfg["awards"]["min_member_tier"], member_names)
    return cfg


def weights(cfg: dict) -> tuple[dict, str, str]:
    """The arguments of `metrics.performance` this configuration states."""
    return cfg["performance"], cfg["rules"]["not_rated"], cfg["handling_variant"]
