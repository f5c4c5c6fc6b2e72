"""Terminal output for people: tables, escaped user text, progress. rich is imported lazily."""

from __future__ import annotations


def escape(text: object) -> str:
    """User text made safe for rich markup: `垃圾[/]堆放` prints as written instead of crashing."""
    from rich.markup import escape as rich_escape

    return rich_escape("" if text is None else str(text))
