"""Field readers for one YAML item: each returns a value or records a Problem."""

from __future__ import annotations

import re
from datetime import date

from gridctl import bounds
from gridctl.config.yamlread import Item, PlainBool, PlainDate, PlainFloat, PlainInt
from gridctl.errors import FieldRefused, GridctlError, Problem
from gridctl.timefmt import written_as_day

_DIGITS = re.compile(r"[0-9]+")
_PLAIN_INT_AS_TEXT = re.compile(r"0|[1-9][0-9]*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class ItemReader:
    """Reads fields of one mapping from one file, collecting problems against its lines."""

    def __init__(self, item: Item, file: str, section: str, problems: list[Problem]):
        self.item, self.file, self.section, self.problems = item, file, section, problems
        self.ok = True

    def line(self, key: str | None = None) -> int:
        if key is not None and key in self.item.key_lines:
            return self.item.key_lines[key]
        return self.item.line

    def problem(self, key: str | None, what: str, /, **params) -> None:
        """Record a problem at `key`'s line: `what` a catalogue key (worded when shown) and its params."""
        field = f"{self.section}.{key}" if key else self.section
        self.problems.append(Problem(self.file, self.line(key), field, what, params))
        self.ok = False

    def refused(self, key: str | None, error: GridctlError) -> None:
        """Record a refusal (a bound crossed) at `key`'s line, its code kept."""
        self.problem(key, error.what, **error.params)

    def keys(self, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        allowed = set(required) | set(optional)
        for key in self.item:
            if key not in allowed:
                self.problem(key, "field.unknown_key", allowed=", ".join(sorted(allowed)))
        for key in required:
            if self.item.get(key) in (None, ""):
                self.problem(key, "field.required")

    def text(self, key: str) -> str | None:
        value = self.item.get(key)
        if value is None:
            return None
        if isinstance(value, (PlainFloat, PlainBool, PlainDate)):
            self.problem(key, "field.quote_text", value=value)
            return None
        if isinstance(value, (list, dict)):
            self.problem(key, "field.not_text")
            return None
        if isinstance(value, PlainInt) and not _PLAIN_INT_AS_TEXT.fullmatch(value):
            self.problem(key, "field.quote_text", value=value)
            return None
        try:
            return bounds.text(str(value), key).strip()
        except bounds.OutOfRange as exc:
            self.refused(key, exc)
            return None

    def code(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not _DIGITS.fullmatch(value):
            self.problem(key, "field.code_digits", value=value)
            return None
        return value

    def date(self, key: str) -> str | None:
        value = self.item.get(key)
        if value is None:
            return None
        if isinstance(value, (list, dict)) or not _DATE.fullmatch(str(value)):
            self.problem(key, "field.bad_date", value=value)
            return None
        try:
            bounds.year(date.fromisoformat(value), key, value)
        except bounds.OutOfRange as exc:
            self.refused(key, exc)
            return None
        except ValueError:
            try:
                written_as_day(key, value)          # 2026-02-30: no such day, not written wrong
            except FieldRefused as exc:
                self.problem(key, exc.what, **exc.params)
                return None
            self.problem(key, "field.bad_date", value=value)
            return None
        return str(value)

    def count(self, key: str) -> int | None:
        value = self.item.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = bounds.halfwidth(value)     # ３４０ typed full-width, as a sheet's or an option's count is taken
        if not isinstance(value, str) or not _DIGITS.fullmatch(value):
            self.problem(key, "field.bad_count", value=value)
            return None
        if len(value) > 12 or int(value) > bounds.POPULATION_MAX:
            self.problem(key, "bounds.number", value=value[:40], min=0, max=bounds.POPULATION_MAX)
            return None
        return int(value)

    def choice(self, key: str, choices) -> str | None:
        value = self.text(key)
        if value is not None and value not in choices:
            self.problem(key, "field.bad_choice", value=value, choices=" | ".join(choices))
            return None
        return value

    def span(self, since_key: str = "since", until_key: str = "until") -> tuple[str | None, str | None]:
        since, until = self.date(since_key), self.date(until_key)
        if since and until and since > until:
            self.problem(until_key, "field.until_before_since", since=since, until=until)
        return since, until
