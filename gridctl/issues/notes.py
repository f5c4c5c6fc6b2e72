"""Notes gridctl writes itself (the automatic escalation's reason), worded in the reader's language.

Such a note is stored as a catalogue key and its parameters in the event's details (`note_key`,
`note_params`; a parameter that is itself a catalogue key, `level.township`, is worded too), with
the text in the writer's language beside it in `note` for the full-text index and older readers.
On reading, the key is worded in the language in force. Events written before keys were stored
keep their stored text.
"""

from __future__ import annotations

import functools

from gridctl.messages import CATALOGUE, t


def own_note(key: str, **params: str) -> tuple[str, dict]:
    """The stored text (in the writer's language) and the details that let a reader re-word it."""
    return word(key, params), {"note_key": key, "note_params": params}


def word(key: str, params: dict) -> str:
    return t(key, **{name: t(value) if value in CATALOGUE else value for name, value in params.items()})


def shown(note: str | None, details: dict | None) -> str | None:
    """An event's note as the reader reads it: gridctl's own worded now, a person's as written."""
    details = details or {}
    key = details.get("note_key")
    if key in CATALOGUE:
        note = word(key, details.get("note_params") or {})
    corrects = details.get("corrects")        # issue callback --correct: the callback it corrects
    if isinstance(corrects, dict) and corrects.get("result") in ("satisfied", "fair", "unsatisfied"):
        said = t("issue.callback_corrected", at=corrects.get("at"), result=t(f"callback.{corrects['result']}"),
                 now=t(f"callback.{details.get('result')}") if details.get("result") else "-")
        note = f"{note}; {said}" if note else said
    forced = details.get("forced_past")          # issue add --force past possible duplicates
    if forced:
        said = t("issue.forced_past", count=len(forced), ids=", ".join(forced))
        return f"{note}; {said}" if note else said
    return note


_LEVELS = ("community", "township", "district", "city")


@functools.cache
def _own_texts() -> dict[str, tuple[str, dict]]:
    """The texts gridctl's own notes were stored as, in either language → their key and params."""
    zh, en = CATALOGUE["issue.auto_escalate"]
    texts = {}
    for level in _LEVELS:
        words = CATALOGUE[f"level.{level}"]
        for template, word_ in zip((zh, en), words):
            texts[template.format(authority=word_)] = ("issue.auto_escalate", {"authority": f"level.{level}"})
    return texts


def stored_note(text: str | None) -> str | None:
    """A note as a projection keeps it (`last_note`: text only) in the reader's words when it is
    one gridctl writes itself (recognised by its stored text, either language); else as written."""
    own = _own_texts().get(text) if text else None
    return word(*own) if own else text
