"""The vocabularies of the kinds of record besides issues (their tables: `ledger/kinds.py`)."""

from __future__ import annotations

# The tables of the kinds are the ledger's; their names stay importable from here.
from gridctl.ledger.kinds import COMMON, KINDS, VOID, Kind, columns, kind_of  # noqa: F401

MEETING_KINDS = {"huddle": "碰头会", "analysis": "民情分析会", "regular": "例会"}
ATTENDANCE_KINDS = {"leave": "请假", "cancel": "销假", "absent": "不在岗", "notice": "督查通报"}
STUDY_KINDS = {"study": "组织学习", "report": "汇报", "meeting": "参加会议", "patrol": "参与巡查"}
PUBLICITY_KINDS = {"news": "工作动态", "brief": "工作简报", "research": "工作研究"}


def vocabulary(words: dict[str, str], text: str) -> str | None:
    """A code by itself or by its Chinese name."""
    if text in words:
        return text
    return next((code for code, name in words.items() if name == text), None)
