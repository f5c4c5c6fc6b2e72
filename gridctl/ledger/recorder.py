"""The event recorder (记账): what one write transaction appends to the office's chain, and the
issue projections those events touch, written together by `flush()` inside `ledger.transaction()`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import NamedTuple

from gridctl.errors import GridctlError
from gridctl.ledger import issues as iq
from gridctl.ledger import records as rq
from gridctl.ledger.db import ledger_node
from gridctl.ledger.events import Appended, Chain, as_event, write_events
from gridctl.ledger.writer import WriterThread
from gridctl.timefmt import fmt

Fold = Callable[[iq.IssueState | None, dict, dict], iq.IssueState]
"""How an event changes an issue's state (the projection fold): (state or None, event, details) → state."""


def office_code(conn) -> str:
    """The code ids carry: the ledger's platform node, else the city's (or the one root's) code."""
    node = ledger_node(conn)
    if node:
        return node
    roots = conn.execute("SELECT code FROM grids WHERE parent IS NULL AND retired IS NULL LIMIT 2").fetchall()
    if len(roots) != 1:
        raise GridctlError("issue.no_office")
    return roots[0][0]


def resolve_actor(conn, actor: str | None) -> str:
    """Who is acting (操作人): a person in the ledger by id or unique name, as their id; else refused
    with how to say who (--by, GRIDCTL_USER). Nothing is recorded in the name of nobody."""
    text = (actor or "").strip()
    if not text:
        raise GridctlError("actor.missing")
    found = rq.find_person(conn, text)
    if not found:
        raise GridctlError("actor.unknown", value=text)
    if len(found) > 1:
        raise GridctlError("actor.ambiguous", value=text, ids=", ".join(i for i, _ in found))
    return found[0][0]


class Shared(NamedTuple):
    """Details that many events carry alike (an import's automatic escalations to one holder), with
    their stored text (`events.details_text`) made once; the fold only reads them."""

    details: dict
    text: str


class Recorder:
    """Appends events for the ledger's office and keeps the touched issues' projections for one transaction.

    Record kinds (patrols, meetings, score marks) append through `chain`; issue events go through
    `event()`, which folds each into the issue's state with `fold` (the issue life cycle's)."""

    def __init__(self, conn, actor: str | None, *, recorded_at: str | None = "", fold: Fold | None = None):
        """`recorded_at=None` stamps each event with its own happened time (synthetic data, whose
        actor may be none); otherwise the actor must be a person in the ledger (`resolve_actor`)."""
        if recorded_at is not None:
            actor = resolve_actor(conn, actor)
        self.conn, self.actor, self.fold = conn, actor, fold
        self.office = office_code(conn)
        self.chain = Chain(conn, self.office)
        self.recorded_at = datetime.now().isoformat(timespec="seconds") if recorded_at == "" else recorded_at
        self.states: dict[str, iq.IssueState] = {}
        self.new_text: dict[str, tuple] = {}
        self.notes: dict[str, list[str]] = {}
        self.seqs: dict[int, int] = {}
        self.links: list[tuple[str, str]] = []
        self.writer = WriterThread()                    # writes in a thread inside `background()`
        self.moment: tuple[datetime | None, str] = (None, "")  # the last happened time and its text

    def next_id(self, year: int) -> tuple[int, str]:
        """The next issue number of `year` in this office, and its id (`410105-2026-00001`)."""
        if year not in self.seqs:
            self.wait()
            self.seqs[year] = iq.next_seq(self.conn, self.office, year)
        seq = self.seqs[year]
        self.seqs[year] += 1
        return seq, f"{self.office}-{year}-{seq:05d}"

    def event(self, state: iq.IssueState | None, action, to_status, level, at: datetime, note=None,
              details: dict | Shared | None = None, in_order: bool = False) -> iq.IssueState:
        """One event about an issue (`state` None for its `add`); returns the issue's new state.
        `in_order`: every dict in `details` has its keys in sorted order (`events.details_text`).
        `details` may be `Shared`: details with their stored text, made once for many events."""
        assert self.fold is not None, "an issue event needs the life cycle's fold"
        text = None
        if isinstance(details, Shared):
            details, text = details
        details = details or {}
        if at is not self.moment[0]:       # an import's events share a few times: each written once
            self.moment = (at, fmt(at))
        row = self.chain.add_values(       # in EVENT_COLS order: issue, record, action, from, to, level, …
            state.id if state else details["issue"]["id"], None, action, state.status if state else None,
            to_status, level, self.actor, self.moment[1], self.recorded_at or at.isoformat(timespec="seconds"),
            note, details, in_order=in_order, text=text)
        new = self.fold(state, as_event(row), details)
        self.states[new.id] = new
        if note:
            self.notes.setdefault(new.id, []).append(note)
        return new

    def flush(self) -> None:
        """Write what was recorded (inside the caller's transaction) and start afresh; inside
        `background()` the writing goes on in a thread while the caller records more."""
        rows = [(i, title, place, " ".join(self.notes.pop(i, []))) for i, (title, place) in self.new_text.items()]
        batch = _Batch(self.chain.take(), IssueWrites([], [s.row() for s in self.states.values()], rows, self.notes,
                                                       self.links))
        self.states, self.new_text, self.notes, self.links = {}, {}, {}, []
        self.writer.submit(batch.write, self.conn)

    def wait(self) -> None:
        """Until the batch being written in the background (if any) is in; its error raised here.
        The connection is the caller's again: call before any other SQL on it."""
        self.writer.wait()

    @contextmanager
    def background(self) -> Iterator[Recorder]:
        """Within the block, `flush` hands each batch to a writer thread and returns: SQLite works
        (without the GIL) on one batch while Python builds the next (`writer.WriterThread`, whose
        `running()` says what holds on leaving the block and which connection it needs)."""
        with self.writer.running():
            yield self


class _Batch:
    """What one `flush` writes: events, then the issue projections they touch (`IssueWrites`).
    Owned by whichever thread writes it."""

    def __init__(self, events: Appended, issues: IssueWrites):
        self.events, self.issues = events, issues

    def write(self, conn) -> None:
        write_events(conn, self.events)
        self.issues.write(conn)


class IssueWrites(NamedTuple):
    """What a batch of issue events writes to the projections once its events are in, in this
    order (the recorder's and merge's batches alike): rows of issues new to the ledger (a plain
    insert, in the order the batch added them: their `num`; the recorder upserts all of its
    own as `held`), rows of issues held (upserted), new issues' search text, notes for issues
    already indexed, and patrol links (patrol, issue). Rows are `IssueState.row()`."""

    new: list[tuple]
    held: list[tuple]
    text: list[tuple]
    notes: dict[str, list[str]]
    links: list[tuple[str, str]]

    def write(self, conn) -> None:
        iq.insert_new_rows(conn, self.new)
        iq.save_rows(conn, self.held)
        iq.index_text(conn, self.text)
        iq.append_notes(conn, self.notes)
        rq.link_pairs(conn, self.links)
