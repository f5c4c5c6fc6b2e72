"""Plausible ranges for what a person (or a sheet, or a YAML file) may hand gridctl.

The ledger is append-only: a value that gets in cannot be taken out, so the edge refuses what
no office could mean — a year outside 2000–2100, a count beyond any grid, a control character
that Excel cannot hold — with the field, the value and (for text) the character's position.
Pure functions: each returns the value or raises `OutOfRange`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TypeVar

from gridctl.errors import FieldRefused

YEAR_MIN, YEAR_MAX = 2000, 2100
COUNT_MAX = 1_000_000          # households visited, votes, rows asked for, …
POPULATION_MAX = 100_000_000   # households / residents of a node, the city included
DAYS_MAX = 366                 # leave, an extension
DEADLINE_MAX = {"working_days": 366, "natural_days": 366, "working_hours": 8 * 366, "clock_hours": 24 * 366}
INT_MAX = 10**9                # any integer option at the command line: no count gridctl keeps comes near
TEXT_MAX = 10_000              # characters in one field
PHONE = re.compile(r"[0-9][0-9-]{4,19}")   # a phone number as offices write it: 0371-60001107, 13800001234

# C0 controls except tab/newline/carriage return, DEL, C1 controls, the bidirectional embedding,
# override and isolate controls (U+202A–U+202E, U+2066–U+2069: a U+202E in a title shows it
# reversed in the terminal, the workbook and every list), lone surrogates (a non-UTF-8
# command-line argument), and the two non-characters U+FFFE/U+FFFF.
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


# Zero-width characters: zero-width space, non-joiner and joiner, word joiner, and U+FEFF (the
# byte-order mark, a zero-width no-break space inside text). Text pasted from chat apps and web
# pages carries them; invisible, they make two titles that look the same differ and a search miss.
# Dropped (`visible`) from what a person hands gridctl (arguments, YAML, sheet cells) before it is
# checked or stored; what a ledger holds already is left as it is.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_DROP = dict.fromkeys(map(ord, INVISIBLE))


class OutOfRange(FieldRefused):
    """A value outside what gridctl accepts; `field` names where it came from."""


def bad_char(text: str) -> tuple[int, str] | None:
    """(1-based position, code point as U+XXXX) of the first character refused in text, or None."""
    if text.isprintable():          # every refused character is not (C, ~40× the search): most texts
        return None
    match = _BAD_CHAR.search(text)
    return (match.start() + 1, f"U+{ord(match.group()):04X}") if match else None


def visible(text: str) -> str:
    """Text without its zero-width characters (`INVISIBLE`); the same object when it has none."""
    return text.translate(_DROP) if _INVISIBLE.search(text) else text


_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def halfwidth(text: str) -> str:
    """`２０２６－１１－２０ ０９：００` → `2026-11-20 09:00`: the full-width forms of ASCII (what a
    Chinese input method types in its full-width mode) as ASCII, the ideographic space as a space;
    nothing else changes (年月日 stay). For dates, weeks, months and periods, never for free text."""
    return text if text.isascii() else text.translate(_HALFWIDTH)


def visible_given(text: str, field: str) -> str:
    """`visible` for a value a person gave (an argument): one of only zero-width characters is
    refused as holding nothing, rather than taken as the empty text it becomes (`-g` of a pasted
    U+200B was said as 找不到网格“”)."""
    shown = visible(text)
    if text and not shown:
        raise OutOfRange(field, "bounds.only_invisible")
    return shown


def has_invisible(text: str) -> bool:
    return _INVISIBLE.search(text) is not None


def printable(text: str) -> str:
    """Text for a workbook cell: a character refused at the edge today (held by a ledger made
    before it was) shows as U+FFFD instead of making the writer fail."""
    return _BAD_CHAR.sub("\ufffd", text)


def char_refusal(pos: int, char: str) -> tuple[str, dict]:
    """What is wrong with the character at `pos` (a control character, or not UTF-8 at all): a
    catalogue key and its parameters."""
    key = "bounds.not_utf8" if "D800" <= char[2:] <= "DFFF" else "bounds.control_char"
    return key, {"pos": pos, "char": char}


def text(value: str, field: str) -> str:
    """Text without control characters and of a sane length."""
    found = bad_char(value)
    if found:
        what, params = char_refusal(*found)
        raise OutOfRange(field, what, **params)
    if len(value) > TEXT_MAX:
        raise OutOfRange(field, "bounds.too_long", n=len(value), max=TEXT_MAX)
    return value


def file_name(value: str, field: str) -> str:
    """The name of a file gridctl writes: text, and no tab or line break either (allowed in text,
    they made `周报\n.xlsx`, a name no Windows computer or USB stick takes, a list cannot show)."""
    found = re.search("[\t\n\r]", value)
    if found:
        raise OutOfRange(field, "bounds.control_char", pos=found.start() + 1, char=f"U+{ord(found.group()):04X}")
    return text(value, field)


def phone(value: str, field: str) -> str:
    """A phone number (联系电话, 值班电话) as kept (`phone_text`), else refused naming `field`."""
    kept = phone_text(value)
    if kept is None:
        raise OutOfRange(field, "field.bad_phone", value=_short(halfwidth(value)))
    return kept


def phone_text(value: str) -> str | None:
    """A phone number as it is kept: digits and dashes, 5–20 of them (`PHONE`); typed full-width
    (１３８００００１２３４) it is those digits. None when it is not one: each caller says so its own
    way (an option refused, a YAML or sheet problem collected), quoting `halfwidth(value)`."""
    value = halfwidth(value)
    return value if PHONE.fullmatch(value) else None


def count(value: int, field: str, maximum: int = COUNT_MAX, minimum: int = 0) -> int:
    if not minimum <= value <= maximum:
        raise OutOfRange(field, "bounds.number", value=_short(value), min=minimum, max=maximum)
    return value


def integer(value: int, field: str) -> int:
    """Any integer given at the command line: one side of INT_MAX (the option's own range says the rest)."""
    if value > INT_MAX:
        raise OutOfRange(field, "bounds.too_large", value=_short(value), max=INT_MAX)
    if value < -INT_MAX:
        raise OutOfRange(field, "bounds.too_small", value=_short(value), min=-INT_MAX)
    return value


def short_number(text: str) -> int | None:
    """The number in a short id a clerk typed (`42`, or `４２` from a Chinese input method), or None
    when the text is none: not decimal digits only (`²` passes `str.isdigit` but `int` refuses it),
    or longer than any SQLite integer (more than 18 digits). None is then looked up as given."""
    return int(text) if text.isdecimal() and len(text) <= 18 else None


Day = TypeVar("Day", bound=date)


def year(day: Day, field: str, value: object = None) -> Day:
    """A date (or datetime) whose year lies in 2000–2100."""
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise OutOfRange(field, "bounds.year", value=_short(value or day), min=YEAR_MIN, max=YEAR_MAX)
    return day


def _short(value: object) -> str:
    shown = str(value)
    return shown if len(shown) <= 40 else shown[:37] + "…"
