"""Times as the ledger writes them: `YYYY-MM-DD HH:MM`, local office time."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import overload

from gridctl import bounds
from gridctl.errors import FieldRefused, GridctlError

FORMAT = "%Y-%m-%d %H:%M"
# what people and Excel write: 2026-11-24 10:00, 2026-11-24T10:00:00, 2026/11/24 10:00, 2026/1/5 9:05,
# 2026.11.24, 2026年11月24日 10:00 (seconds are dropped)
_TIME = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:(?:[ T]|\s+)(\d{1,2}):(\d{2})(?::\d{2})?)?")


def now() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


@overload
def fmt(moment: datetime) -> str: ...
@overload
def fmt(moment: None) -> None: ...
@overload
def fmt(moment: datetime | None) -> str | None: ...


def fmt(moment: datetime | None) -> str | None:
    if type(moment) is datetime and moment.tzinfo is None:  # the same text, ~5× faster than strftime
        return moment.isoformat(" ", "minutes")
    return moment.strftime(FORMAT) if moment else None


def parse(text: str | datetime | date | None, field: str) -> datetime | None:
    """`2026-11-20 14:30`, `2026-11-20T14:30:00`, `2026/11/20 14:30`, `2026年11月20日` or `2026-11-20`
    (00:00); an Excel date cell as it is; None stays None."""
    if text is None or text == "":
        return None
    if isinstance(text, datetime):  # an Excel date cell
        return bounds.year(text.replace(second=0, microsecond=0), field, text)
    if isinstance(text, date):
        return bounds.year(datetime(text.year, text.month, text.day), field, text)
    match = _TIME.fullmatch(bounds.halfwidth(str(text).strip()))
    try:
        if not match:
            raise ValueError
        year, month, day, hour, minute = (int(x) if x else 0 for x in match.groups())
        moment = datetime(year, month, day, hour, minute)  # strptime is 10× slower
    except ValueError:
        if match:                       # written as a time, but none: said as such, not as written wrong
            none_such(field, text, year, month, day, hour, minute)
        raise GridctlError("time.bad", field=field, value=text) from None
    return bounds.year(moment, field, text)


def stored(text: object) -> bool:
    """Whether `text` is a time as the ledger writes it: `fmt`'s form (its inverse read back gives
    the same text), in the years `parse` takes. What a merged event's times are held to, so that
    what reports later parse is never refused there.

    Its day and its hour:minute are each read back once, the first time they are met, and then
    known: a merge checks every event's time (1.25 M a district year, on a few hundred days and
    at most 1,440 minutes), ~0.15 µs each rather than ~0.8 µs."""
    if type(text) is not str:
        return False
    day, minute = text[:10], text[10:]
    return (minute in _MINUTES or _learnt(_MINUTES, minute, "2000-01-01" + minute)) \
        and (day in _DAYS or _learnt(_DAYS, day, day + " 00:00"))


_DAYS: set[str] = set()         # the days ("2026-11-20") and minutes (" 09:05") met in stored times:
_MINUTES: set[str] = set()      # at most 36,890 and 1,440
_CLOCK: set[str] = set()        # the hours and minutes ("T09:05") met in recorded times: at most 1,440
_SECONDS = frozenset(f":{s:02d}" for s in range(60))


def recorded(text: object) -> bool:
    """Whether `text` is an event's `recorded_at` as the ledger writes it: the moment of recording
    to the second, `datetime.isoformat(timespec="seconds")` of a local time (`2026-11-20T09:05:17`),
    in the years `parse` takes. What a merged event's recorded time is held to, beside `stored`
    for the time it happened; learnt as `stored` learns (its day shared with it)."""
    if type(text) is str and len(text) == 19 and text[10:16] in _CLOCK and text[16:] in _SECONDS \
            and text[:10] in _DAYS:
        return True
    return _recorded_learnt(text)


def _recorded_learnt(text: object) -> bool:
    """`recorded` for a text whose day or hour:minute is not known yet (learnt here if it is one)."""
    if type(text) is not str or len(text) != 19 or text[10] != "T" or text[16:] not in _SECONDS:
        return False
    day, clock = text[:10], text[10:16]
    return (clock in _CLOCK or _learnt(_CLOCK, clock, "2000-01-01 " + clock[1:])) \
        and (day in _DAYS or _learnt(_DAYS, day, day + " 00:00"))


def _learnt(known: set[str], part: str, time: str) -> bool:
    """Whether `time`, `part` of a text completed by the rest of a stored time, is in `fmt`'s
    form and years; `part` is then known."""
    try:
        moment = datetime.fromisoformat(time)
    except ValueError:
        return False
    if fmt(moment) != time or not bounds.YEAR_MIN <= moment.year <= bounds.YEAR_MAX:
        return False
    known.add(part)
    return True


def parse_given(text: str | datetime | date, field: str) -> datetime:
    """`parse` for a time that is there (a ledger's stored time, an option already checked):
    never None; an empty text is a bug of the caller's, not the user's."""
    moment = parse(text, field)
    assert moment is not None, f"{field}: no time given"
    return moment


def as_of_moment(text: str | None) -> str:
    """An `--as-of` (of a list, an export, a report) as the ledger writes a time; now without one.
    A day to come is refused: colours, overdue counts and 超期 as of then were a forecast that
    said issues ran late before they could (later today is still today)."""
    moment = parse(text, "--as-of") if text else None
    if moment is None:
        return fmt(now())
    today = now().date()
    if moment.date() > today:
        raise GridctlError("report.as_of_ahead", as_of=str(text).strip(), today=today.isoformat())
    return fmt(moment)


def as_of_day(text: str | None, field: str = "--as-of") -> str:
    """The day an `--as-of` names (a date, or a time on that day), checked as every time is; today
    without one. Unchecked, `--as-of garbage` was compared as text with the ledger's dates (and
    `load` wrote it into the posts' history)."""
    moment = parse(text, field)
    return (moment.date() if moment else date.today()).isoformat()


def dates_in_order(filters: dict) -> None:
    """A list's `--since` no later than its `--until` (both checked dates): the other way round
    nothing can match, and `没有符合条件的问题` hid the slip (the two written the wrong way round)."""
    since, until = filters.get("since"), filters.get("until")
    if since and until and since > until:
        raise GridctlError("time.since_after_until", since=since, until=until)


def begun(period: str, first: str) -> None:
    """Refuse a report of a period whose first day (`first`, YYYY-MM-DD) is after today: it can
    hold nothing yet, and was written with a slip (`--week 2027-W10` for 2026-W10), where an empty
    workbook was written as if the office had done nothing."""
    if first > now().date().isoformat():
        raise GridctlError("report.not_begun", period=period, start=first)


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def written_as_day(field: str, text: object) -> None:
    """For a text written as a day (`YYYY-MM-DD`) that no calendar has: FieldRefused saying why
    (`none_such`); else nothing, and the caller says the text is not written as a day."""
    match = _DAY.fullmatch(str(text).strip())
    if match:
        none_such(field, text, *map(int, match.groups()))


def none_such(field: str, text: object, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> None:
    """FieldRefused for a day or time written in its form that does not exist (`2026-02-30`,
    `2026-13-01`, `2026-11-20 25:00`, year 0), naming what is wrong, where it was said as written
    wrong (日期格式应为 YYYY-MM-DD: “2026-02-30”), as the weeks, months and quarters are; nothing
    where all of them are real (the caller's own refusal stands)."""
    if not bounds.YEAR_MIN <= year <= bounds.YEAR_MAX:
        raise FieldRefused(field, "bounds.year", value=str(text).strip(), min=bounds.YEAR_MIN, max=bounds.YEAR_MAX)
    if not 1 <= month <= 12:
        raise FieldRefused(field, "time.no_such_month", value=str(text).strip())
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise FieldRefused(field, "time.no_such_day", value=str(text).strip(), year=year, month=month, days=days)
    if hour > 23 or minute > 59:
        raise FieldRefused(field, "time.no_such_time", value=str(text).strip())


@overload
def parse_date(text: str, field: str) -> str: ...
@overload
def parse_date(text: None, field: str) -> None: ...
@overload
def parse_date(text: str | None, field: str) -> str | None: ...


def parse_date(text: str | None, field: str) -> str | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(bounds.halfwidth(text))
    except ValueError:
        written_as_day(field, bounds.halfwidth(text))
        raise GridctlError("time.bad_date", field=field, value=text) from None
    return bounds.year(day, field, text).isoformat()
