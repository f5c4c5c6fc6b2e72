"""Core calls behind `gridctl issue …`: each opens the ledger and writes in one transaction.

An issue's every change is one event in the office's hash chain; the `issues` row is the
projection of its events (`lifecycle.apply_event`), updated in the same transaction.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from gridctl.config.model import PLATFORM_LEVELS, deadline_parts
from gridctl.errors import GridctlError, NotFound
from gridctl.issues import lifecycle as lc
from gridctl.issues.calendar import Calendar, load_calendar
from gridctl.ledger import grids as gq
from gridctl.ledger import issues as iq
from gridctl.ledger import records as rq
from gridctl.ledger import ledger, ledger_node
from gridctl.ledger.events import Chain
from gridctl.messages import t
from gridctl.routing import platform_level, route
from gridctl.territory import on, route_facts
from gridctl.timefmt import fmt, now, parse


@contextmanager
def writing(conn):
    """One write transaction, taken with the write lock up front (BEGIN IMMEDIATE)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def office_code(conn) -> str:
    """The code ids carry: the ledger's platform node, else the city's (or the one root's) code."""
    node = ledger_node(conn)
    if node:
        return node
    roots = conn.execute("SELECT code FROM grids WHERE parent IS NULL AND retired IS NULL LIMIT 2").fetchall()
    if len(roots) != 1:
        raise GridctlError(t("issue.no_office"))
    return roots[0][0]


@dataclass
class NewIssue:
    """An issue as a clerk enters it, before routing (names not yet resolved)."""

    grid: str
    category: str
    source: str
    title: str
    found_at: str | datetime | None = None
    place: str | None = None
    reporter: str | None = None
    phone: str | None = None
    ref: str | None = None
    patrol: str | None = None
    """The patrol (巡查) that found it: the issue then counts as discovered by its person and team."""


class Recorder:
    """Appends events and keeps the touched issues' projections for one transaction."""

    def __init__(self, conn, calendar: Calendar, actor: str | None, recorded_at: str | None = ""):
        """`recorded_at=None` stamps each event with its own happened time (synthetic data)."""
        self.conn, self.cal, self.actor = conn, calendar, actor
        self.office = office_code(conn)
        self.chain = Chain(conn, self.office)
        self.recorded_at = datetime.now().isoformat(timespec="seconds") if recorded_at == "" else recorded_at
        self.states: dict[str, dict] = {}
        self.new_text: dict[str, list] = {}
        self.notes: dict[str, list[str]] = {}
        self.seqs: dict[int, int] = {}
        self.contexts: dict[str, object] = {}
        self.links: list[tuple[str, str]] = []

    def next_id(self, year: int) -> tuple[int, str]:
        if year not in self.seqs:
            self.seqs[year] = iq.next_seq(self.conn, self.office, year)
        seq = self.seqs[year]
        self.seqs[year] += 1
        return seq, f"{self.office}-{year}-{seq:05d}"

    def event(self, state, action, to_status, level, at: datetime, note=None, details=None) -> dict:
        details = details or {}
        event = self.chain.append(
            state["id"] if state else details["issue"]["id"], action,
            state["status"] if state else None, to_status, level, self.actor, fmt(at),
            self.recorded_at or at.isoformat(timespec="seconds"), note, details)
        new = lc.apply_event(state, event, details)
        self.states[new["id"]] = new
        if note:
            self.notes.setdefault(new["id"], []).append(note)
        return new

    def move(self, state: dict, action: str, at: datetime, note: str | None = None, **params) -> dict:
        """One life-cycle move on `state`, refused (IllegalMove) where its status forbids it."""
        to = lc.next_status(state["status"], action)
        level, details, note = _details(self.conn, self.cal, state, action, at, note, params)
        return self.event(state, action, to, level, at, note, details)

    def flush(self) -> None:
        """Write what was recorded (inside the caller's transaction) and start afresh."""
        self.chain.flush()
        iq.save_many(self.conn, list(self.states.values()))
        rows = [(i, title, place, " ".join(self.notes.pop(i, []))) for i, (title, place) in self.new_text.items()]
        iq.index_text(self.conn, rows)
        for issue_id, notes in self.notes.items():
            iq.append_note(self.conn, issue_id, " ".join(notes))
        for patrol, issue_id in self.links:
            rq.link_issues(self.conn, patrol, [issue_id])
        self.states, self.new_text, self.notes, self.links = {}, {}, {}, []

    def context(self, grid: str, day: str):
        """Routing facts for a grid on a day; the ledger is asked once per grid per batch."""
        if grid not in self.contexts:
            self.contexts[grid] = route_facts(self.conn, grid)
        return on(self.contexts[grid], day)


def content_key(grid, category, source, title, found_at) -> str:
    text = "\x1f".join((grid, category, source, title, found_at or ""))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _check_time(at: datetime, after: str | None) -> None:
    if at > now() + timedelta(minutes=5):
        raise GridctlError(t("issue.future_time", at=fmt(at)))
    if after and fmt(at) < after:
        raise GridctlError(t("issue.time_before_last", at=fmt(at), last=after))


def _resolve_new(conn, rec: Recorder, new: NewIssue) -> tuple[dict, dict, str]:
    grid = gq.resolve_node(conn, new.grid)
    if not grid["code"].startswith(rec.office) and ledger_node(conn):
        raise GridctlError(t("issue.grid_outside_office", grid=grid["path"], office=rec.office))
    category = gq.category(conn, new.category)
    source = lc.resolve_source(new.source)
    if source is None:
        raise GridctlError(t("issue.bad_source", value=new.source,
                             allowed=" | ".join(f"{c} {n}" for c, n in lc.SOURCES.items())))
    if not (new.title or "").strip():
        raise GridctlError(t("issue.empty_title"))
    return grid, category, source


def record_new(conn, rec: Recorder, new: NewIssue, at: datetime, on_the_spot: bool,
               resolved: tuple[dict, dict, str] | None = None) -> dict:
    """Add one issue: route it, then record add (and escalations, or the on-the-spot close)."""
    grid, category, source = resolved or _resolve_new(conn, rec, new)
    found = parse(new.found_at, "found_at") if new.found_at else at
    if found > at:
        raise GridctlError(t("issue.found_after_report", found=fmt(found), at=fmt(at)))
    ctx = rec.context(grid["code"], at.date().isoformat())
    r = route(category, ctx)
    own_level = platform_level(grid["level"])
    own = next(g for g in ctx.chain if g["level"] == own_level)
    amount, unit = deadline_parts(str(category["deadline"]))
    seq, issue_id = rec.next_id(at.year)
    lead = r.lead.value
    fields = {
        "id": issue_id, "office": rec.office, "year": at.year, "seq": seq, "grid": grid["code"],
        "category": category["code"], "source": source, "title": new.title.strip(),
        "place": new.place, "reporter": new.reporter or rec.actor, "phone": new.phone,
        "ref": new.ref, "content_key": content_key(grid["code"], category["code"], source,
                                                   new.title.strip(), fmt(found)),
        "holder": own["code"], "authority": category["authority"],
        "lead_person": lead["people"][0]["id"] if lead else None,
        "lead_role": category["lead_role"], "lead_grid": lead["grid"] if lead else None,
        "department": r.department.value[0]["code"] if r.department.value else None,
        "team": r.assist.value[0]["code"] if r.assist.value else None,
        "deadline_rule": str(category["deadline"]), "deadline_unit": unit,
        "accept_due": fmt(rec.cal.accept_due(at)), "found_at": fmt(found),
        "late_report": int(at - found > timedelta(hours=rec.cal.report_hours)),
    }
    details = {"issue": fields}
    if new.patrol:
        details["patrol"] = _patrol_for(conn, rec, new.patrol, grid, source)
        rec.links.append((details["patrol"], issue_id))
    state = rec.event(None, "add", "reported", own_level, at, None, details)
    rec.new_text[issue_id] = (fields["title"], fields["place"])
    if on_the_spot:
        spot = {"on_the_spot": True}
        state = rec.event(state, "accept", "accepted", own_level, at, None,
                          spot | {"deadline": fmt(rec.cal.deadline(at, amount, unit))})
        state = rec.event(state, "handle", "handled", own_level, at, None, spot)
        return rec.event(state, "close", "closed", own_level, at, None, spot)
    for step in r.escalation_path:
        reason = t("issue.auto_escalate", authority=t(f"level.{category['authority']}"))
        state = rec.event(state, "escalate", "reported", step["level"], at, reason,
                          {"holder": step["code"], "reason": reason, "automatic": True})
    return state


def _patrol_for(conn, rec: Recorder, ref: str, grid: dict, source: str) -> str:
    from gridctl.records.kinds import KINDS

    kind = KINDS["patrol"]
    patrol = rq.get(conn, kind, rq.by_seq(conn, kind, rec.office, int(ref)) if ref.isdigit() else ref)
    if patrol is None:
        raise NotFound(t("record.not_found", kind=t("kind.patrol"), id=ref))
    if patrol["voided"]:
        raise GridctlError(t("patrol.void_patrol", id=patrol["id"]))
    if source != "patrol":
        raise GridctlError(t("patrol.needs_patrol_source"))
    if not grid["code"].startswith(patrol["grid"]):
        raise GridctlError(t("patrol.issue_elsewhere", issue=grid["path"], grid=patrol["grid"]))
    return patrol["id"]


def add_issue(db: Path, new: NewIssue, *, at: str | None = None, actor: str | None = None,
              on_the_spot: bool = False, calendar: Calendar | None = None) -> dict:
    cal = calendar or load_calendar()
    moment = parse(at, "--at") or now()
    _check_time(moment, None)
    with ledger(db) as conn, writing(conn):
        rec = Recorder(conn, cal, actor)
        state = record_new(conn, rec, new, moment, on_the_spot)
        rec.flush()
        return present(conn, [state], fmt(now()), cal)[0]


def resolve_issue(conn, text: str, office: str) -> dict:
    issue_id = text
    if text.isdigit():
        issue_id = iq.by_seq(conn, office, int(text)) or text
    state = iq.get(conn, issue_id)
    if state is None:
        raise NotFound(t("issue.not_found", id=text))
    return state


def act(db: Path, issue: str, action: str, *, at: str | None = None, actor: str | None = None,
        note: str | None = None, calendar: Calendar | None = None, **params) -> dict:
    """One life-cycle move (accept, dispatch, handle, close, reject, escalate, rework, extend,
    reopen, callback), refused with what is allowed when the status does not permit it."""
    cal = calendar or load_calendar()
    moment = parse(at, "--at") or now()
    with ledger(db) as conn, writing(conn):
        rec = Recorder(conn, cal, actor)
        state = resolve_issue(conn, issue, rec.office)
        lc.next_status(state["status"], action)
        _check_time(moment, state["updated_at"])
        new = rec.move(state, action, moment, note, **params)
        rec.flush()
        return present(conn, [new], fmt(now()), cal)[0]


def _need(value, option: str):
    if value in (None, ""):
        raise GridctlError(t("issue.option_required", option=option))
    return value


def _details(conn, cal, state, action, at, note, p) -> tuple[str, dict, str | None]:
    level, details = state["level"], {}
    if action == "accept" and not state.get("deadline"):
        amount, unit = deadline_parts(state["deadline_rule"])
        details["deadline"] = fmt(cal.deadline(at, amount, unit))
    elif action == "dispatch":
        details.update(_dispatch_target(conn, state, p.get("to")))
    elif action in ("reject", "rework", "reopen"):
        details["reason"] = _need(p.get("reason"), "--reason")
        note = note or details["reason"]
    elif action == "escalate":
        level, holder = _upper_platform(conn, state)
        details.update(holder=holder, reason=p.get("reason"))
        details.update(_reroute(conn, state, holder))
        note = note or p.get("reason")
    elif action == "extend":
        days = int(_need(p.get("days"), "--days"))
        if days <= 0:
            raise GridctlError(t("issue.bad_days", days=days))
        details.update(days=days, reason=_need(p.get("reason"), "--reason"),
                       approver=_need(p.get("approver"), "--approver"))
        due = cal.extend(parse(state["deadline"], "deadline"), days, state["deadline_unit"])
        details["deadline"] = fmt(due)
        note = note or details["reason"]
    elif action == "callback":
        result = lc.resolve_callback(_need(p.get("result"), "--result"))
        if result is None:
            raise GridctlError(t("issue.bad_callback", value=p.get("result"),
                                 allowed=" | ".join(lc.CALLBACK_RESULTS.values())))
        details["result"] = result
    return level, details, note


def _dispatch_target(conn, state, to: str | None) -> dict:
    if to is None:
        for kind in ("department", "team"):
            if state.get(kind):
                return {"assignee": state[kind], "assignee_kind": kind}
        if state.get("lead_person"):
            return {"assignee": state["lead_person"], "assignee_kind": "person"}
        raise GridctlError(t("issue.option_required", option="--to"))
    found = gq.find_assignee(conn, to)
    if found is None:
        raise NotFound(t("issue.unknown_assignee", value=to))
    return {"assignee": found[0], "assignee_kind": found[1]}


def _reroute(conn, state, holder: str | None) -> dict:
    """At a district or the city, the enforcing department becomes that level's own, if any."""
    kind = gq.category(conn, state["category"])["department"]
    if not holder or not kind:
        return {}
    found = [d for d in gq.departments_at(conn, [holder]) if d["kind"] == kind]
    return {"department": found[0]["code"]} if found else {}


def _upper_platform(conn, state) -> tuple[str, str | None]:
    """One platform up from where the issue is held (逐级上报); the city is the top."""
    index = PLATFORM_LEVELS.index(state["level"])
    if index == 0:
        raise lc.IllegalMove(t("issue.above_city"))
    level = PLATFORM_LEVELS[index - 1]
    holder = next((g["code"] for g in gq.chain(conn, state["grid"]) if g["level"] == level), None)
    return level, holder


def present(conn, states: list[dict], as_of: str, cal: Calendar) -> list[dict]:
    """Issues as users and scripts see them: names beside codes, colour, on-time flag."""
    grid_paths = gq.names(conn, "grids", [s["grid"] for s in states])
    categories = gq.names(conn, "categories", [s["category"] for s in states])
    out = []
    for s in states:
        item = dict(s)
        colour = lc.colour(s, as_of, cal.yellow_at)
        item.update(grid_path=grid_paths.get(s["grid"]), category_name=categories.get(s["category"]),
                    source_name=lc.SOURCES.get(s["source"]), colour=colour, overdue=colour == "red",
                    on_time=lc.on_time(s), close_mode=lc.close_mode(s),
                    callback_name=lc.CALLBACK_RESULTS.get(s.get("callback")))
        out.append(item)
    return out
