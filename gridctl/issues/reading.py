"""Reading the issue ledger: list with filters, one issue with its timeline, search."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.issues import lifecycle as lc
from gridctl.issues.calendar import load_calendar
from gridctl.issues.notes import shown
from gridctl.issues.service import IssueView, present, resolve_issue
from gridctl.issues.sources import resolve_source
from gridctl.ledger import grids as gq
from gridctl.ledger import issues as iq
from gridctl.ledger import ledger
from gridctl.ledger.recorder import office_code
from gridctl.messages import choices, t, word_code
from gridctl.timefmt import as_of_moment, dates_in_order, parse_date

COLOURS = ("green", "yellow", "red")


@dataclass(frozen=True, slots=True)
class Step:
    """One event of an issue's history (处置经过), as `issue show` gives it: the ledger's row of
    `events`, its details parsed and gridctl's own note in the reader's words."""

    seq: int
    office: str
    n: int
    action: str
    from_status: str | None
    to_status: str | None
    level: str | None
    actor: str | None
    happened_at: str
    recorded_at: str
    note: str | None
    details: dict
    hash: str

    @classmethod
    def from_row(cls, row: dict) -> Step:
        details = json.loads(row["details"])
        return cls(**{**row, "details": details, "note": shown(row["note"], details)})

    def as_dict(self) -> dict:
        return dict(zip(_STEP_KEYS, _step_values(self)))


_STEP_KEYS = tuple(f.name for f in fields(Step))
_step_values = attrgetter(*_STEP_KEYS)


@dataclass(frozen=True, slots=True)
class Approver:
    """Who approved an extension (批准人): a person's id and name."""

    id: str
    name: str | None


@dataclass(frozen=True, slots=True)
class IssueDetail:
    """One issue with its whole history (问题详情), as `issue show` gives it."""

    view: IssueView
    timeline: list[Step]
    approvers: list[Approver]
    duplicate_of: str | None
    """The issue this one was rejected as repeating (`reject --duplicate-of`)."""
    duplicates: list[str]
    """The issues rejected as repeating this one."""
    people: dict[str, str] = field(default_factory=dict)
    """The names of the people its reporter and its events' actors are (by id), for the screen."""
    uncounted: frozenset[int] = frozenset()
    """The `seq` of each 回访 that counts for nothing: a second one on a closing, no correction
    (recorded by a gridctl before the rule, here or in a merged ledger): the first stays counted."""

    def as_dict(self) -> dict:
        """The `issue show --json` object: the view's keys, then the history's."""
        out = self.view.as_dict()
        out.update(timeline=[e.as_dict() for e in self.timeline], approvers=[{"id": a.id, "name": a.name} for a in self.approvers],
                   duplicate_of=self.duplicate_of, duplicates=self.duplicates)
        return out


def resolve_filters(conn, raw: dict) -> dict:
    """Names in the user's words → the codes stored in the ledger."""
    f = {k: v for k, v in raw.items() if v not in (None, False) and str(v).strip()}   # blank: no filter, as ''
    if "grid" in f:
        f["grid"] = gq.resolve_node(conn, f["grid"])["code"]
    if "category" in f:
        f["category"] = gq.category(conn, f["category"])["code"]
    if "source" in f:
        source = resolve_source(f["source"])
        if source is None:
            raise GridctlError("issue.bad_source", value=f["source"], allowed=choices(lc.SOURCES))
        f["source"] = source
    for key, prefix, codes in (("status", "status", lc.STATUSES), ("colour", "colour", COLOURS)):
        if key in f:
            code = word_code(prefix, codes, f[key])
            if code is None:
                words = {c: t(f"{prefix}.{c}") for c in codes}
                raise GridctlError(f"issue.bad_{key}", value=f[key], allowed=choices(words))
            f[key] = code
    for key in ("since", "until"):
        if key in f:
            f[key] = parse_date(f[key], f"--{key}")
    dates_in_order(f)
    return f


def list_issues(db: Path, filters: dict, as_of: str | None = None,
                limit: int | None = None) -> tuple[list[IssueView], int]:
    cal = load_calendar()
    moment = as_of_moment(as_of)
    with ledger(db) as conn:
        f = resolve_filters(conn, filters)
        rows, total = iq.query(conn, f, moment, cal.yellow_at, limit)
        return present(conn, rows, moment, cal), total


def show_issue(db: Path, issue: str, as_of: str | None = None) -> IssueDetail:
    cal = load_calendar()
    with ledger(db) as conn:
        state = resolve_issue(conn, issue, office_code(conn))
        view = present(conn, [state], as_of_moment(as_of), cal)[0]
        timeline = [Step.from_row(row) for row in iq.timeline(conn, state.id)]
        approvers = [e.details.get("approver") for e in timeline if e.action == "extend"]
        names = gq.names(conn, "people", approvers + [state.reporter] + [e.actor for e in timeline])
        rejected = [e.details.get("duplicate_of") for e in timeline if e.action == "reject"]
        return IssueDetail(view, timeline, [Approver(a, names.get(a)) for a in approvers if a],
                           duplicate_of=next((d for d in rejected if d), None),     # reject --duplicate-of
                           duplicates=iq.duplicates_of(conn, state.id),          # rejected as repeating this one
                           people=names, uncounted=_callbacks_not_counted(timeline))


def _callbacks_not_counted(timeline: list[Step]) -> frozenset[int]:
    """The 回访 steps the fold left uncounted (`lifecycle.uncounted_callbacks`, as verify and merge
    find them), looked for where the history holds more than one callback."""
    if sum(step.action == "callback" for step in timeline) < 2:
        return frozenset()
    found = {(u["office"], u["n"]) for u in lc.uncounted_callbacks(map(Step.as_dict, timeline), parse=dict)}
    return frozenset(step.seq for step in timeline if (step.office, step.n) in found)


def search_issues(db: Path, text: str, limit: int = 50, as_of: str | None = None) -> list[IssueView]:
    """The issues whose title, place or notes hold `text`; an empty text is refused (it matched
    every issue: the first `limit` of the ledger, as if they were found), as `register search`'s is."""
    if not text.strip():
        raise GridctlError("issue.empty_search")
    cal = load_calendar()
    moment = as_of_moment(as_of)
    with ledger(db) as conn:
        ids = iq.search(conn, text.strip(), limit)
        rows, _ = iq.query(conn, {"ids": ids}, moment, cal.yellow_at, None)
        return present(conn, rows, moment, cal)
