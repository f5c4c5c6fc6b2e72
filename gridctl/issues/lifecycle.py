"""The issue life cycle as pure functions: which moves are allowed, and how an event
changes an issue's current state (the projection stored in `issues`).

统一受理、分类处置、逐级上报、跟踪督查、评价奖惩:
reported 上报 → accepted 受理 → dispatched 派遣 → handled 已处置 → closed 核查结案,
with rejected 不予受理, escalate 上报上级, rework 返工, extend 延期, reopen 重新办理, callback 回访.
"""

from __future__ import annotations

import json
from dataclasses import fields as dataclass_fields

from gridctl.errors import GridctlError
from gridctl.ledger.issues import OPEN, STATE_KEYS, STATUSES, IssueState  # noqa: F401 (re-exported: the projection's statuses, columns and record are the ledger's)
from gridctl.messages import CATALOGUE, choices, known, t
from gridctl.timefmt import stored


SOURCES = {"patrol": "巡查发现", "report": "群众举报", "visit": "来访", "hotline": "热线电话",
           "online": "网络平台", "assigned": "上级交办", "inspection": "督查发现"}
CALLBACK_RESULTS = {"satisfied": "满意", "fair": "基本满意", "unsatisfied": "不满意"}


MOVES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "accept": (("reported",), "accepted"),
    "dispatch": (("accepted", "dispatched"), "dispatched"),
    "handle": (("dispatched",), "handled"),
    "close": (("handled",), "closed"),
    "reject": (("reported",), "rejected"),
    "escalate": (("reported", "accepted", "dispatched"), None),
    "rework": (("handled",), "dispatched"),
    "extend": (("accepted", "dispatched", "handled"), None),
    "reopen": (("closed",), "dispatched"),
    "callback": (("closed",), None),
}
"""action → (statuses it is allowed from, status after it; None = decided by the action)."""


class IllegalMove(GridctlError):
    """A life-cycle move the issue's status does not allow."""


def allowed_from(status: str) -> list[str]:
    return [action for action, (sources, _) in MOVES.items() if status in sources]


def next_status(status: str, action: str) -> str:
    """The status after `action`, or IllegalMove naming what is allowed from here."""
    sources, to = MOVES[action]
    if status not in sources:
        allowed = ", ".join(t(f"action.{a}") for a in allowed_from(status)) or t("issue.nothing_allowed")
        raise IllegalMove("issue.illegal_move", action=t(f"action.{action}"), status=t(f"status.{status}"),
                            allowed=allowed)
    if action == "escalate":
        return "reported" if status == "reported" else "accepted"
    return to or status


_NEEDED_ON_ADD = ("id", "office", "year", "seq", "grid", "category", "source", "title", "found_at")


_STATE_KEY_SET = frozenset(STATE_KEYS)
_NEEDED_ON_ADD_SET = frozenset(_NEEDED_ON_ADD)
_REPLAYED = {(status, action): next_status(status, action) for action, (sources, _) in MOVES.items()
             for status in sources}
"""(status, move) → the status it leads to, for every move allowed: `next_status` looked up, not
called, once per merged event."""


def check_replay(state: IssueState | None, event: dict, details: dict) -> None:
    """A merged event must be a move the life cycle allows from the state held for its issue
    (an edited bundle whose hashes were recomputed is caught here). Raises IllegalMove."""
    action, status = event["action"], state.status if state else None
    if action == "add":
        issue = details.get("issue")
        fits = (state is None and event["to_status"] == "reported" and isinstance(issue, dict)
                and _STATE_KEY_SET >= issue.keys() >= _NEEDED_ON_ADD_SET and issue.get("id") == event["issue"]
                and isinstance(issue.get("grid"), str) and isinstance(issue.get("category"), str)
                and isinstance(issue.get("title"), str))
    elif state is None or action not in MOVES or event["from_status"] != status:
        fits = False
    else:
        on_the_spot = action == "handle" and status == "accepted" and details.get("on_the_spot") is True
        expected = "handled" if on_the_spot else _REPLAYED.get((state.status, action))
        if expected is None:    # not allowed from here: as next_status says (a status it does not know)
            try:
                expected = next_status(state.status, action)
            except IllegalMove:
                expected = None
        fits = event["to_status"] == expected and _details_fit(action, details)
        if fits and details and not _ROUTED_SET.isdisjoint(details):
            _check_fields(details, event, _ROUTED_SET.intersection(details))
    if not fits:
        raise _refused_replay(state, event)
    if action == "add":
        _check_fields(details["issue"], event, details["issue"])
        _check_origin(details["issue"], event)


def _check_origin(issue: dict, event: dict) -> None:
    """A merged add is an issue of the sending office's own numbering, from a source gridctl
    knows. Every office adds issues only under its own code (`office-year-seq`, the recorder's
    `next_id`); one claiming another office could take that office's numbers here (its own later
    issue then refused as held), and a source outside the seven is counted by no report. Raises
    IllegalMove naming the event."""
    where = {"n": event["n"], "office": event["office"], "issue": event["issue"]}
    owner, year, seq = issue["office"], issue["year"], issue["seq"]
    if owner != event["office"] or issue["id"] != f"{owner}-{year}-{seq:05d}":
        raise IllegalMove("bundle.not_its_office", **where, owner=owner, year=year, seq=seq)
    if issue["source"] not in SOURCES:
        raise IllegalMove("bundle.unknown_source", **where, value=shown(issue["source"]), allowed=choices(SOURCES))


def _check_fields(given: dict, event: dict, keys) -> None:
    """Every issue field a merged event sets must be of its kind: text, a whole number, or a time
    as the ledger writes it (`timefmt.stored`), None only where the field may be empty. Unchecked,
    an add's `found_at: 5` or an accept's `deadline: "5"` merged, and every weekly report of the
    ledger was then refused. Raises IllegalMove naming the event and the field. `keys`: the fields
    of `given` the event sets (~3.5 µs per merged add, about half of it its two times)."""
    for key in keys:
        value = given[key]
        if type(value) is str:
            fits = key not in _NOT_TEXT or key in _TIMES and stored(value)
        elif value is None:
            fits = key not in _NOT_EMPTY
        else:
            fits = type(value) is int and key in _WHOLE     # a bool is no whole number here
        if not fits:
            raise IllegalMove("bundle.bad_issue_value", n=event["n"], office=event["office"], issue=event["issue"],
                              field=field_word(key), want=t(f"bundle.want.{_kind(key)}"), value=shown(value))


def _kind(key: str) -> str:
    return "time" if key in _TIMES else "whole" if key in _WHOLE else "text"


def shown(value: object) -> str:
    """A refused value as said: text in quotes, None as empty, anything else as the bundle wrote it."""
    if value is None:
        return t("bundle.empty_value")
    shown = json.dumps(value, ensure_ascii=False) if type(value) is not str else value
    return f"“{shown if len(shown) <= 40 else shown[:37] + '…'}”"


def field_word(key: str) -> str:
    """An issue field in the clerk's words (found_at → 发现时间)."""
    for prefix in ("issue.field", "show", "export"):
        if f"{prefix}.{key}" in CATALOGUE:
            return t(f"{prefix}.{key}")
    return key


def _refused_replay(state: IssueState | None, event: dict) -> IllegalMove:
    """Why a merged event is not a move from the state held, in words: an add of an issue held
    here already, an add whose issue is malformed, or a move the status does not allow."""
    where = {"n": event["n"], "office": event["office"], "issue": event["issue"]}
    if event["action"] == "add":
        return IllegalMove("bundle.issue_held" if state else "bundle.bad_add", **where)
    return IllegalMove("bundle.bad_move", **where, action=known("action", event["action"]),
                       status=known("status", state.status) if state else "-", to=known("status", event["to_status"]))


def _details_fit(action: str, details: dict) -> bool:
    if action == "extend":
        days = details.get("days")
        return isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= 366
    if action == "callback":
        return details.get("result") in CALLBACK_RESULTS
    return True


def resolve_source(text: str) -> str | None:
    """A source by code (`patrol`) or Chinese name (`巡查发现`)."""
    if text in SOURCES:
        return text
    return next((code for code, name in SOURCES.items() if name == text), None)


def resolve_callback(text: str) -> str | None:
    if text in CALLBACK_RESULTS:
        return text
    return next((code for code, name in CALLBACK_RESULTS.items() if name == text), None)


_STAGE_TIME = {"accept": "accepted_at", "dispatch": "dispatched_at", "handle": "handled_at",
               "close": "closed_at", "reject": "rejected_at"}


def apply_event(state: IssueState | None, event: dict, details: dict) -> IssueState:
    """The issue's state after `event`. Everything it needs is in the event and its details.
    A new record is returned; `state` is left as it was."""
    if event["action"] == "add":
        new = IssueState.from_fields(details["issue"], _ADDED)
        new.reported_at = event["happened_at"]
    else:
        assert state is not None, "only an issue's first event (add) starts from nothing"
        new = state.copy()
    _change(new, event, details)
    return new


def advance(state: IssueState | None, event: dict, details: dict) -> IssueState:
    """`apply_event` for a caller that owns `state` (nobody else holds it): changed in place
    rather than copied, except on an `add`, which starts a new record (as `fold` does)."""
    if state is None or event["action"] == "add":
        return apply_event(state, event, details)
    _change(state, event, details)
    return state


def _change(state: IssueState, event: dict, details: dict) -> None:
    """What `event` changes on the issue, made on `state` itself."""
    action, at = event["action"], event["happened_at"]
    state.status = event["to_status"]
    state.level = event["level"]
    if action in _STAGE_TIME:
        setattr(state, _STAGE_TIME[action], at)
    if details:
        for key in _ROUTED_SET.intersection(details):
            setattr(state, key, details[key])
    if action == "escalate":
        state.escalations += 1
    elif action == "rework":
        state.reworks += 1
        state.handled_at = None
    elif action == "reopen":
        state.reopens += 1
        state.closed_at = state.handled_at = None
    elif action == "extend":
        state.extensions += 1
        state.extended_days += details["days"]
    elif action == "callback" and callback_counts(state, details):
        state.callback, state.callback_at = details["result"], at
    state.due = state.deadline or state.accept_due
    if details.get("on_the_spot"):
        state.on_the_spot = 1
    state.events += 1
    state.last_event = event["hash"]
    state.last_action = action
    if event.get("note"):
        state.last_note = event["note"]
    state.updated_at = at


def callback_counts(state: IssueState, details: dict) -> bool:
    """A 回访 counts (sets the issue's callback) when its closing has none yet, or as a correction
    of the one held (`callback --correct`); a second one without is history only (`callback_held`)."""
    return bool(details.get("corrects")) or not state.called_back()


_ADDED = {"status": "reported", "events": 0, "escalations": 0, "reworks": 0, "reopens": 0, "extensions": 0,
          "extended_days": 0, "on_the_spot": 0}
"""What the fold sets on an issue's `add`, whatever its fields say."""
_ROUTED = ("deadline", "holder", "department", "team", "lead_person", "lead_role",
           "lead_grid", "authority", "assignee", "assignee_kind")
"""What an event's details may set on the issue (routing, deadlines)."""
_ROUTED_SET = frozenset(_ROUTED)
_TIMES = frozenset(("deadline", "accept_due", "due", "found_at", "reported_at", "accepted_at", "dispatched_at",
                    "handled_at", "closed_at", "rejected_at", "callback_at", "updated_at"))
"""The issue's fields that hold a time (YYYY-MM-DD HH:MM)."""
_WHOLE = frozenset(f.name for f in dataclass_fields(IssueState) if f.type == "int")
_NOT_EMPTY = frozenset(f.name for f in dataclass_fields(IssueState) if "None" not in str(f.type))
_NOT_TEXT = _WHOLE | _TIMES


def fold(events, parse=json.loads) -> IssueState | None:
    """An issue's state after its events, in order (each event's details as stored JSON, read
    with `parse`)."""
    state = None
    for event in events:
        details = parse(event["details"])
        if state is None or event["action"] == "add":
            state = apply_event(state, event, details)
        else:
            _change(state, event, details)   # the fold's own record: changed in place, not copied
    return state


def uncounted_callbacks(events, parse=json.loads) -> list[dict]:
    """The 回访 among an issue's events (in order, each with its `office` and `n`) that came second
    on one closing without correcting the first (`callback_counts`): each as its issue, event
    (office, n), result and the result that counts, as the merge names them."""
    state, uncounted = None, []
    for event in events:
        details = parse(event["details"])
        if event["action"] == "callback" and (found := uncounted_callback(state, details, (event["office"], event["n"]))):
            uncounted.append(found)
        state = advance(state, event, details)
    return uncounted


def uncounted_callback(state: IssueState | None, details: dict, at: tuple[str, int]) -> dict | None:
    """A 回访 event (its `details`; `at`: its office and n) on the issue as it stood before it
    (`state`), when it counts for nothing (`callback_counts`), as verify and the merge name it:
    its issue, event, result and the result that counts. None when it counts."""
    if state is None or callback_counts(state, details):
        return None
    return {"issue": state.id, "office": at[0], "n": at[1], "result": details["result"], "counted": state.callback}


def colour(state: IssueState, as_of: str, yellow_at: float) -> str | None:
    """green (<80 % of the stage's time used), yellow (80–100 %), red (overdue); None when done.

    Before acceptance the clock is the acceptance window; after it, the deadline.
    """
    due = state.due
    if state.status not in OPEN or not due:
        return None
    if as_of > due:
        return "red"
    from gridctl.timefmt import parse

    start = parse(state.accepted_at or state.reported_at, "start")
    end, now = parse(due, "due"), parse(as_of, "as_of")
    assert start and end and now          # an open issue with a due time has been reported
    span = (end - start).total_seconds()
    used = (now - start).total_seconds() / span if span > 0 else 1.0
    return "yellow" if used >= yellow_at else "green"


def on_time(state: IssueState) -> bool | None:
    """按期: closed no later than its deadline. None while not closed."""
    if state.status != "closed":
        return None
    return bool(state.deadline) and (state.closed_at or "") <= (state.deadline or "")


def close_mode(state: IssueState) -> str | None:
    """办结方式: 上报办结 if escalated, 部门办结 if a department handled it, else 自办自结."""
    if state.status != "closed":
        return None
    if state.escalations:
        return "escalated"
    if state.assignee_kind == "department":
        return "department"
    return "self"
