"""The kinds of record besides issues, their fields and their vocabularies."""

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

MEETING_KINDS = {"huddle": "碰头会", "analysis": "民情分析会", "regular": "例会"}
ATTENDANCE_KINDS = {"leave": "请假", "cancel": "销假", "absent": "不在岗", "notice": "督查通报"}
STUDY_KINDS = {"study": "组织学习", "report": "汇报", "meeting": "参加会议", "patrol": "参与巡查"}
PUBLICITY_KINDS = {"news": "工作动态", "brief": "工作简报", "research": "工作研究"}


def columns(kind: Kind) -> tuple[str, ...]:
    return COMMON + kind.fields + VOID


def kind_of(record_id: str) -> Kind | None:
    """The kind a record id (`410105001-P2026-000001`) names, by the letter after the office."""
    parts = record_id.split("-")
    letter = parts[1][:1] if len(parts) == 3 else ""
    return next((k for k in KINDS.values() if k.letter == letter), None)


def vocabulary(words: dict[str, str], text: str) -> str | None:
    """A code by itself or by its Chinese name."""
    if text in words:
        return text
    return next((code for code, name in words.items() if name == text), None)
