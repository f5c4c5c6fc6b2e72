"""Plain text for long outputs: an aligned table and a tree, written line by line without rich.

rich lays a table out cell by cell (a city's 88k-row 未巡查 list took a minute); these write
as they go. Widths count a CJK character as two columns, as a terminal shows it. Kept small on
purpose: the terminal look of short outputs is `cli/render.py`'s (#15).
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable
from typing import TextIO

LONG = 300  # rows beyond which a listing is printed plain


def width(text: str) -> int:
    """Columns `text` takes in a terminal: wide and full-width characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def table(header: list[str], rows: list[list[str]], out: TextIO | None = None) -> None:
    """Columns aligned to their widest cell, two spaces apart, a rule under the header."""
    out = out or sys.stdout
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
