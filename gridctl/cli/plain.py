"""Plain text for long outputs: an aligned table and a tree, written line by line without rich.

rich lays a table out cell by cell (a city's 88k-row 未巡查 list took a minute); these write
as they go. Widths count a CJK character as two columns, as a terminal shows it. Kept small on
purpose: the terminal look of short outputs is `cli/render.py`'s (#15).
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import add, sub
from typing import TextIO

LONG = 300  # rows beyond which a listing is printed plain


class _Wide(dict[int, "int | None"]):
    """`str.translate` table: a wide or full-width character (East Asian Width W or F) is kept,
    any other dropped; each character looked up once (`__missing__`), then in C."""

    def __missing__(self, code: int) -> int | None:
        kept = code if unicodedata.east_asian_width(chr(code)) in "WF" else None
        self[code] = kept
        return kept


_WIDE = _Wide()
_WIDE_NUL = _Wide({0: 0})    # the same, keeping NUL: `_wide_counts` joins many texts with it


def width(text: str) -> int:
    """Columns `text` takes in a terminal: wide and full-width characters count two."""
    if text.isascii():
        return len(text)
    return len(text) + len(text.translate(_WIDE))


def _wide_counts(texts: list[str]) -> list[int]:
    """How many wide characters each text holds (its `width` less its length), in one pass."""
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:                 # a text holds a NUL of its own
        return [width(text) - len(text) for text in texts]
    return list(map(len, joined.translate(_WIDE_NUL).split("\0")))


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def table(header: list[str], rows: list[list[str]], out: TextIO | None = None) -> None:
    """Columns aligned to their widest cell, two spaces apart, a rule under the header.

    Laid out column by column (a city's 88k-row list in a fraction of a second): the width of
    each distinct cell once, the padding and the lines in C."""
    out = out or sys.stdout
    if not header or any(len(row) != len(header) for row in rows):
        return _ragged(header, rows, out)
    columns = list(zip(*rows)) or [() for _ in header]
    last = len(header) - 1
    laid = [_column(head, cells, i == last) for i, (head, cells) in enumerate(zip(header, columns))]
    widths = [w for w, _ in laid]
    out.write(_line(header, widths) + "\n" + "  ".join("─" * w for w in widths) + "\n")
    lines = list(map("  ".join, zip(*(cells for _, cells in laid))))
    for i in range(0, len(lines), 1000):
        out.write("\n".join(lines[i:i + 1000]) + "\n")


def _column(head: str, cells: Sequence[str], last: bool) -> tuple[int, Sequence[str]]:
    """A column's width (its widest cell, or its header) and its cells padded to it (the last
    column's as they are: nothing follows them on the line)."""
    if "".join(cells).isascii():
        w = max(width(head), max(map(len, cells), default=0))
        return w, cells if last else list(map(str.ljust, cells, repeat(w)))
    distinct = list(set(cells))
    wide = _wide_counts(distinct)
    w = max(width(head), max(map(add, map(len, distinct), wide)))
    if last:
        return w, cells
    padded = dict(zip(distinct, map(str.ljust, distinct, map(sub, repeat(w), wide))))
    return w, list(map(padded.__getitem__, cells))


def _ragged(header: list[str], rows: list[list[str]], out: TextIO) -> None:
    """`table` for rows of uneven length: cell by cell."""
    widths = [width(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], width(cell))
    lines = [_line(header, widths), "  ".join("─" * w for w in widths)]
    out.write("\n".join(lines) + "\n")
    chunk: list[str] = []
    for row in rows:
        chunk.append(_line(row, widths))
        if len(chunk) >= 1000:
            out.write("\n".join(chunk) + "\n")
            chunk = []
    if chunk:
        out.write("\n".join(chunk) + "\n")


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(pad(c, w) for c, w in zip(cells[:-1], widths)) + "  " * (len(cells) > 1) + cells[-1]


def tree(roots: Iterable[dict], label, out: TextIO | None = None) -> None:
    """Each node (dicts with `children`) on its own line under guides, written as it is walked."""
    out = out or sys.stdout
    for root in roots:
        out.write(label(root) + "\n")
        _branch(root["children"], "", label, out)


def _branch(children: list[dict], prefix: str, label, out: TextIO) -> None:
    last = len(children) - 1
    for i, child in enumerate(children):
        out.write(f"{prefix}{'└── ' if i == last else '├── '}{label(child)}\n")
        if child["children"]:
            _branch(child["children"], prefix + ("    " if i == last else "│   "), label, out)
