"""The kinds of record besides issues as the ledger stores them: table, id letter, columns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str                  # patrol
    table: str                 # patrols
    letter: str                # P: ids look like 410105001-P2026-000001
    fields: tuple[str, ...]    # the columns a record of this kind carries besides the common ones


KINDS = {k.name: k for k in (
    Kind("patrol", "patrols", "P", ("person", "grid", "households", "notes", "visiting", "team", "role",
                                    "found", "content_key", "visited")),
    Kind("meeting", "meetings", "M", ("unit", "unit_kind", "kind", "attendees", "notes")),
    Kind("attendance", "attendance", "A", ("person", "kind", "days", "reason")),
    Kind("study", "study", "S", ("person", "kind", "attended", "notes")),
    Kind("publicity", "publicity", "B", ("person", "kind", "title", "outlet")),
    Kind("survey", "surveys", "V", ("team", "person", "participants", "satisfied", "fair", "unsatisfied")),
)}
COMMON = ("id", "office", "year", "seq", "date")
VOID = ("voided", "void_reason", "voided_at", "recorded_by", "event")


def columns(kind: Kind) -> tuple[str, ...]:
    return COMMON + kind.fields + VOID


def kind_of(record_id: str) -> Kind | None:
    """The kind a record id (`410105001-P2026-000001`) names, by the letter after the office."""
    parts = record_id.split("-")
    letter = parts[1][:1] if len(parts) == 3 else ""
    return next((k for k in KINDS.values() if k.letter == letter), None)
