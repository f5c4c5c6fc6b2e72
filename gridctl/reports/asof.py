"""The ledger as it stood at a moment: events that happened after `as_of` are ignored.

An issue whose last event is no later than `as_of` is read from the projection as stored;
only issues changed since are replayed from their events, so a report of the current week
replays nothing and a report of a past week replays only what moved after it.
"""

from __future__ import annotations

import itertools

from gridctl.issues.lifecycle import fold
from gridctl.ledger import reports as rr
from gridctl.ledger.issues import IssueState


def replay(conn, issue: str, as_of: str) -> IssueState | None:
    return fold(rr.events_until(conn, issue, as_of))


def replay_many(conn, ids: list[str], as_of: str):
    """The states at `as_of` of many issues, in id order (events fetched in batches)."""
    events = rr.events_of_many(conn, ids, as_of)
    for _, group in itertools.groupby(events, key=lambda e: e["issue"]):
        yield fold(group)


def issues_as_of(conn, unit: dict, as_of: str, touching: tuple[str, str] | None = None):
    """Each issue of the unit as it stood at `as_of`, streamed (only those `touching` a period)."""
    for batch in rr.issues_in(conn, unit, as_of, touching):
        for stored in batch:
            state = stored
            if stored.updated_at and stored.updated_at > as_of:
                state = replay(conn, stored.id, as_of)
                if state is None:
                    continue
            yield state
