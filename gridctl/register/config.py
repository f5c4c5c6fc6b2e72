"""`configs/register.yaml`: tags with visit cadences, residence types, place and org kinds."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gridctl.config.yamlread import config_document
from gridctl.errors import InputProblems, Problem

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


@lru_cache(maxsize=4)
def load_register_config(path: Path | None = None) -> RegisterConfig:
    path, doc = config_document("register.yaml", path)
    try:
        cadence = {}
        for tag, spec in (doc.get("tags") or {}).items():
            value = str((spec or {}).get("cadence", "none"))
            if value not in CADENCES:
                raise ValueError(f"{tag}: cadence {value} ({' | '.join(CADENCES)})")
            cadence[str(tag)] = value
        words = {key: tuple(str(w) for w in doc.get(key) or ()) for key in
                 ("residence", "place_kinds", "place_tags", "org_kinds")}
        return RegisterConfig(str(doc.get("version", "")), cadence, **words)
    except (AttributeError, TypeError, ValueError) as exc:
        raise InputProblems([Problem(str(path), None, "register", "register.bad_config", {"error": exc})]) from None
