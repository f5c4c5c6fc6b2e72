"""The working calendar (`configs/calendar.yaml`): working days, deadlines, stage clocks.

`deadline()` turns a rule of the duty matrix (`5`, `4h`, `3d`, `24ch`) and a start time into
the moment the issue is due. Day-based deadlines end at 23:59 of their last day, counted from
the day after the start (次日起算), as offices count them.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from gridctl.errors import InputProblems, Problem

if TYPE_CHECKING:
    from gridctl.config.yamlread import Item

END_OF_DAY = time(23, 59)


@dataclass(frozen=True)
class Calendar:
    version: str
    weekend: frozenset[int]
    holidays: frozenset[date]
    workdays: frozenset[date]
    working_hours: tuple[tuple[time, time], ...]
    report_hours: int = 24
    accept_working_days: int = 1
    yellow_at: float = 0.8
    duplicate_days: int = 7
    """`issue add` warns of a similar issue of the same grid and category within this many days."""
    provisional_years: tuple[int, ...] = field(default=())

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.isoweekday() not in self.weekend and day not in self.holidays

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day`."""
        while n > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        remaining = timedelta(hours=hours)
        day = start.date()
        while True:
            if self.is_workday(day):
                for open_, close in self.working_hours:
                    lo = max(datetime.combine(day, open_), start)
                    hi = datetime.combine(day, close)
                    if lo >= hi:
                        continue
                    if hi - lo >= remaining:
                        return lo + remaining
                    remaining -= hi - lo
            day += timedelta(days=1)

    def deadline(self, start: datetime, amount: int, unit: str) -> datetime:
        if unit == "working_days":
            return datetime.combine(self.add_working_days(start.date(), amount), END_OF_DAY)
        if unit == "natural_days":
            return datetime.combine(start.date() + timedelta(days=amount), END_OF_DAY)
        if unit == "working_hours":
            return self.add_working_hours(start, amount)
        return start + timedelta(hours=amount)

    def extend(self, due: datetime, days: int, unit: str) -> datetime:
        """A deadline moved by `days`: working days for working-time rules, else natural days."""
        if unit in ("working_days", "working_hours"):
            return datetime.combine(self.add_working_days(due.date(), days), due.time())
        return due + timedelta(days=days)

    def accept_due(self, reported: datetime) -> datetime:
        return self.deadline(reported, self.accept_working_days, "working_days")


def _days(text: str) -> list[date]:
    first, _, last = text.partition("..")
    a = date.fromisoformat(first)
    b = date.fromisoformat(last) if last else a
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


def _span(text: str) -> tuple[time, time]:
    a, b = text.split("-")
    return time.fromisoformat(a), time.fromisoformat(b)


@lru_cache(maxsize=4)
def load_calendar(path: Path | None = None) -> Calendar:
    """The calendar of `path` (`configs/calendar.yaml` unless given). Read once per content: a
    file read before, byte for byte, is taken from what its reading gave (config/kept.py), so a
    command does not import the YAML library for it."""
    from gridctl.config import kept
    from gridctl.paths import configs_dir

    file = Path(path) if path else configs_dir() / "calendar.yaml"
    try:
        data: bytes | None = file.read_bytes()
    except OSError:         # missing, a folder, unreadable: the reading says which
        data = None
    if data is not None and (known := kept.kept("calendar", data, _CODE)) is not None:
        try:
            return _from_kept(known)
        except (ValueError, TypeError, KeyError):
            pass
    calendar = _read_calendar(path)
    if data is not None and _keeps(calendar):
        with contextlib.suppress(OSError):
            if file.read_bytes() == data:   # the bytes read are the bytes kept for
                kept.keep("calendar", data, _CODE, _to_kept(calendar))
    return calendar


_CODE = (Path(__file__),)


def _keeps(calendar: Calendar) -> bool:
    """Whether the calendar comes back from JSON as it is (else it is not kept)."""
    try:
        return _from_kept(json.loads(json.dumps(_to_kept(calendar)))) == calendar
    except (ValueError, TypeError, KeyError):
        return False


def _to_kept(cal: Calendar) -> dict:
    return {"version": cal.version, "weekend": sorted(cal.weekend),
            "holidays": sorted(d.isoformat() for d in cal.holidays),
            "workdays": sorted(d.isoformat() for d in cal.workdays),
            "working_hours": [[a.isoformat(), b.isoformat()] for a, b in cal.working_hours],
            "report_hours": cal.report_hours, "accept_working_days": cal.accept_working_days,
            "yellow_at": cal.yellow_at, "duplicate_days": cal.duplicate_days,
            "provisional_years": list(cal.provisional_years)}


def _from_kept(kept: dict) -> Calendar:
    def days(key: str) -> frozenset[date]:
        return frozenset(date.fromisoformat(d) for d in kept[key])

    return Calendar(
        version=str(kept["version"]), weekend=frozenset(int(d) for d in kept["weekend"]),
        holidays=days("holidays"), workdays=days("workdays"),
        working_hours=tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in kept["working_hours"]),
        report_hours=int(kept["report_hours"]), accept_working_days=int(kept["accept_working_days"]),
        yellow_at=float(kept["yellow_at"]), duplicate_days=int(kept["duplicate_days"]),
        provisional_years=tuple(int(y) for y in kept["provisional_years"]))


def _read_calendar(path: Path | None) -> Calendar:
    from gridctl.config.yamlread import ConfigValueError, config_document, config_problem, config_reason
    from gridctl.config.yamlread import refuse_unknown_keys

    path, doc = config_document("calendar.yaml", path, empty="calendar.empty")
    try:
        holidays: set[date] = set()
        workdays: set[date] = set()
        provisional: list = []
        for year, spec in (doc.get("years") or {}).items():
            holidays.update(d for r in spec.get("holidays") or [] for d in _days(r))
            workdays.update(d for r in spec.get("workdays") or [] for d in _days(r))
            if spec.get("provisional") in ("true", "yes", True):
                provisional.append(int(year))
        weekend = frozenset(int(d) for d in doc.get("weekend", [6, 7]))
        if not weekend <= _WEEKDAYS:        # ISO weekdays: a day 8 or 0 rests no day
            raise ConfigValueError("calendar.weekend_day", value=", ".join(map(str, sorted(weekend - _WEEKDAYS))))
        windows = doc.get("windows") or {}
        calendar = Calendar(
            version=str(doc.get("version", "")),
            weekend=weekend,
            holidays=frozenset(holidays), workdays=frozenset(workdays),
            working_hours=tuple(_span(s) for s in doc.get("working_hours", ["09:00-17:00"])),
            report_hours=int(windows.get("report_hours", 24)),
            accept_working_days=int(windows.get("accept_working_days", 1)),
            yellow_at=float(windows.get("yellow_at", 0.8)),
            duplicate_days=int(windows.get("duplicate_days", 7)),
            provisional_years=tuple(provisional),
        )
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise InputProblems([config_problem(path, "calendar", "calendar.bad", error=config_reason(exc))]) from None
    refuse_unknown_keys(path, doc, ("version", "weekend", "working_hours", "windows", "years"), _inner_unknown(path, doc))
    return calendar


_WEEKDAYS = frozenset(range(1, 8))
_INNER_KEYS = {"windows": ("report_hours", "accept_working_days", "yellow_at", "duplicate_days")}
_YEAR_KEYS = ("holidays", "workdays", "provisional")


def _inner_unknown(path: Path, doc: Item) -> list[Problem]:
    """The keys under `windows:` and under each year that gridctl does not read (`yelow_at:` kept
    the default 0.8 without a word)."""
    from gridctl.config.yamlread import Item, unknown_keys

    parts: list[tuple[object, tuple[str, ...]]] = [(doc.get("windows"), _INNER_KEYS["windows"])]
    parts += [(spec, _YEAR_KEYS) for spec in (doc.get("years") or {}).values()]
    return [problem for part, keys in parts if isinstance(part, Item) for problem in unknown_keys(path, part, keys)]
