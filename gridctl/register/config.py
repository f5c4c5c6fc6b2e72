"""`configs/register.yaml`: tags with visit cadences, residence types, place and org kinds."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gridctl.config.yamlread import (
    ConfigValueError, Item, config_document, config_problem, config_reason, unknown_keys,
)
from gridctl.errors import InputProblems

CADENCES = ("week", "month", "quarter", "year", "none")
_RANK = {c: i for i, c in enumerate(CADENCES)}   # lower is more frequent


@dataclass(frozen=True)
class RegisterConfig:
    version: str
    cadence: dict[str, str]          # tag → week | month | quarter | year | none
    residence: tuple[str, ...]
    place_kinds: tuple[str, ...]
    place_tags: tuple[str, ...]
    org_kinds: tuple[str, ...]

    def strictest(self, tags) -> str | None:
        """The most frequent cadence among `tags` (None when none of them asks for visits)."""
        found = [self.cadence.get(tag, "none") for tag in tags]
        found = [c for c in found if c != "none"]
        return min(found, key=_RANK.__getitem__) if found else None


_KEYS = ("version", "tags", "residence", "place_kinds", "place_tags", "org_kinds")
_TAG_KEYS = ("cadence",)


@lru_cache(maxsize=4)
def load_register_config(path: Path | None = None) -> RegisterConfig:
    path, doc = config_document("register.yaml", path, empty="register.empty_config")
    try:
        cadence = {}
        for tag, spec in (doc.get("tags") or {}).items():
            value = str((spec or {}).get("cadence", "none"))
            if value not in CADENCES:
                raise ConfigValueError("register.bad_cadence", value=value, choices=" | ".join(CADENCES))
            cadence[str(tag)] = value
        words = {key: tuple(str(w) for w in doc.get(key) or ()) for key in
                 ("residence", "place_kinds", "place_tags", "org_kinds")}
        config = RegisterConfig(str(doc.get("version", "")), cadence, **words)
    except (AttributeError, TypeError, ValueError) as exc:
        raise InputProblems([config_problem(path, "register", "register.bad_config",
                                            error=config_reason(exc))]) from None
    problems = unknown_keys(path, doc, _KEYS)
    for spec in (doc.get("tags") or {}).values():
        problems += unknown_keys(path, spec, _TAG_KEYS) if isinstance(spec, Item) else []
    if problems:
        raise InputProblems(problems)
    return config
