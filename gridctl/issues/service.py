"""Core calls behind `gridctl issue …`: each opens the ledger and writes in one transaction.

An issue's every change is one event in the office's hash chain; the `issues` row is the
projection of its events (`lifecycle.apply_event`), updated in the same transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from gridctl import bounds
from gridctl.config.levels import PLATFORM_LEVELS, deadline_parts
from gridctl.errors import GridctlError, NotFound
from gridctl.issues import duplicates
from gridctl.issues import lifecycle as lc
from gridctl.issues.calendar import Calendar, load_calendar
from gridctl.issues.notes import own_note
from gridctl.issues.sources import resolve_source
from gridctl.ledger import grids as gq
from gridctl.ledger import issues as iq
from gridctl.ledger.events import details_text
from gridctl.ledger.issues import IssueState
from gridctl.ledger import ledger, ledger_node, transaction
from gridctl.ledger import records as rq
from gridctl.ledger.recorder import Recorder, Shared, office_code
from gridctl.messages import choices, t
from gridctl.routing import deadline_words, platform_level
from gridctl.territory import Routes
from gridctl.timefmt import fmt, now, parse


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


class Routed(NamedTuple):
    """Where a new issue goes, as its add records it: the platform that holds it, the lead (牵头)
    person and grid, the enforcing department, the assisting team, and the platforms it is
    escalated through to its authority (level, code), in order."""

    holder: str
    lead_person: str | None
    lead_grid: str | None
    department: str | None
    team: str | None
    escalation: tuple[tuple[str, str | None], ...]


class IssueRecorder(Recorder):
    """The ledger's recorder with the issue life cycle: its fold, its moves and the routing facts."""

    def __init__(self, conn, calendar: Calendar, actor: str | None, recorded_at: str | None = ""):
        """`recorded_at=None` stamps each event with its own happened time (synthetic data)."""
        super().__init__(conn, actor, recorded_at=recorded_at, fold=lc.apply_event)
        self.cal = calendar
        self.late_after = timedelta(hours=calendar.report_hours)   # 迟报: reported longer than this after found
        self.routes = Routes(conn, self.wait)
        self.worked: dict = {}  # what an import's rows share, worked out once: acceptance due times, notes
        self.found: dict[str | datetime, tuple[datetime, str]] = {}     # `found_time`'s, kept for the import
        self.escalations: dict[tuple[str | None, str], tuple[str, Shared]] = {}    # `escalation`'s

    def move(self, state: IssueState, action: str, at: datetime, note: str | None = None, **params) -> IssueState:
        """One life-cycle move on `state`, refused (IllegalMove) where its status forbids it."""
        to = lc.next_status(state.status, action)
        self.wait()
        level, details, note = _details(self.conn, self.cal, state, action, at, note, params)
        return self.event(state, action, to, level, at, note, details)

    def prefetch(self, grids, nodes: Mapping[str, dict] | None = None) -> None:
        """The routing facts of a batch's grids, fetched together (`Routes.prefetch`); what the
        rows of the batch before shared is forgotten."""
        self.routes.prefetch(grids, nodes)
        self.forget()

    def forget(self) -> None:
        """Start a new batch's shared work (`worked`) afresh, so it stays a batch's size."""
        self.worked = {}

    def accept_due(self, at: datetime) -> str:
        """受理时限 of an issue reported at `at`."""
        if at not in self.worked:
            self.worked[at] = fmt(self.cal.accept_due(at))
        return self.worked[at]

    def deadline(self, category: dict) -> tuple[int, str]:
        """A category's 办结时限 as (amount, unit) (`deadline_parts`), read once per batch."""
        key = ("deadline", category["deadline"])
        if key not in self.worked:
            self.worked[key] = deadline_parts(str(category["deadline"]))
        return self.worked[key]

    def found_time(self, text: str | datetime) -> tuple[datetime, str]:
        """发现时间 as given (`--found-at`, a sheet's cell) and as stored, read once per text: an
        import's rows share few (at most `KEPT` are kept)."""
        if text not in self.found:
            if len(self.found) >= KEPT:
                self.found.clear()
            found = parse(text, "--found-at")
            assert found is not None, "a time given"
            self.found[text] = found, fmt(found)
        return self.found[text]

    def escalation(self, holder: str | None, authority: str) -> tuple[str, Shared]:
        """An automatic escalation to `holder` of an issue whose 事权 lies at `authority`: its
        reason (`notes.own_note`) and its details with their stored text, made once per holder and
        authority (an import escalates tens of thousands of issues to a few hundred holders)."""
        key = (holder, authority)
        if key not in self.escalations:
            if len(self.escalations) >= KEPT:
                self.escalations.clear()
            reason, worded = own_note("issue.auto_escalate", authority=f"level.{authority}")
            details = {"holder": holder, "reason": reason, "automatic": True} | worded
            self.escalations[key] = reason, Shared(details, details_text(details))
        return self.escalations[key]


KEPT = 10_000
"""How many found times and escalations an `IssueRecorder` keeps worked out (an import's rows share few)."""


def content_key(grid, category, source, title, found_at) -> str:
    text = "\x1f".join((grid, category, source, title, found_at or ""))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _check_time(at: datetime, after: str | None) -> None:
    if at > now() + timedelta(minutes=5):
        raise GridctlError("issue.future_time", at=fmt(at))
    if after and fmt(at) < after:
        raise GridctlError("issue.time_before_last", at=fmt(at), last=after)


def _resolve_new(conn, rec: IssueRecorder, new: NewIssue) -> tuple[dict, dict, str]:
    grid = gq.resolve_node(conn, new.grid)
    if not grid["code"].startswith(rec.office) and ledger_node(conn):
        raise GridctlError("issue.grid_outside_office", grid=grid["path"], office=rec.office)
    category = gq.category(conn, new.category)
    source = resolve_source(new.source)
    if source is None:
        raise GridctlError("issue.bad_source", value=new.source,
                             allowed=choices(lc.SOURCES))
    if not (new.title or "").strip():
        raise GridctlError("issue.empty_title")
    return grid, category, source


def record_new(conn, rec: IssueRecorder, new: NewIssue, at: datetime, on_the_spot: bool,
               resolved: tuple[dict, dict, str] | None = None, forced_past: list[str] | None = None,
               routing: Routed | None = None) -> IssueState:
    """Add one issue: route it (unless `routing` says where it goes already, as the second
    process of an import gives it), then record add (and escalations, or the on-the-spot close)."""
    grid, category, source = resolved or _resolve_new(conn, rec, new)
    found, found_text = rec.found_time(new.found_at) if new.found_at else (at, None)
    if found > at:
        raise GridctlError("issue.found_after_report", found=fmt(found), at=fmt(at))
    r = routing or Routed(*rec.routes.routed(grid["code"], category, at.date().isoformat()))
    own_level = platform_level(grid["level"])
    amount, unit = rec.deadline(category)
    seq, issue_id = rec.next_id(at.year)
    title, found_text = new.title.strip(), found_text or fmt(found)
    fields = {  # the keys in sorted order, as the add's details are stored (`in_order` below)
        "accept_due": rec.accept_due(at), "authority": category["authority"], "category": category["code"],
        "content_key": content_key(grid["code"], category["code"], source, title, found_text),
        "deadline_rule": str(category["deadline"]), "deadline_unit": unit, "department": r.department,
        "found_at": found_text, "grid": grid["code"], "holder": r.holder, "id": issue_id,
        "late_report": int(at - found > rec.late_after), "lead_grid": r.lead_grid,
        "lead_person": r.lead_person, "lead_role": category["lead_role"], "office": rec.office,
        "phone": new.phone, "place": new.place, "ref": new.ref, "reporter": reporter_of(new.reporter, source, rec.actor),
        "seq": seq, "source": source, "team": r.team, "title": title, "year": at.year,
    }
    details: dict = {"issue": fields}
    if forced_past:                     # recorded with --force past these possible duplicates
        details["forced_past"] = forced_past
    if new.patrol:
        details["patrol"] = _patrol_for(conn, rec, new.patrol, grid, source)
        rec.links.append((details["patrol"], issue_id))
    state = rec.event(None, "add", "reported", own_level, at, None, details, in_order=len(details) == 1)
    rec.new_text[issue_id] = (fields["title"], fields["place"])
    if on_the_spot:
        spot = {"on_the_spot": True}
        state = rec.event(state, "accept", "accepted", own_level, at, None,
                          spot | {"deadline": fmt(rec.cal.deadline(at, amount, unit))})
        state = rec.event(state, "handle", "handled", own_level, at, None, spot)
        return rec.event(state, "close", "closed", own_level, at, None, spot)
    for level, code in r.escalation:
        reason, escalated = rec.escalation(code, category["authority"])
        state = rec.event(state, "escalate", "reported", level, at, reason, escalated)
    return state


def reporter_of(given: str | None, source: str, actor: str | None) -> str | None:
    """上报人: as given; else, for a 巡查发现, the one recording it (a grid worker entering their own
    find). A call to the 12345 热线, a 群众举报, a 信访, a post online, a 交办 or a 督查 was reported
    by someone else: the clerk who took it is the add's actor (the timeline's 操作人), not its
    reporter, and shown as one it was counted as the finder and printed in 上报人 on every copy."""
    return given if given or source != "patrol" else actor


def _patrol_for(conn, rec: IssueRecorder, ref: str, grid: dict, source: str) -> str:
    from gridctl.ledger.kinds import KINDS

    kind = KINDS["patrol"]
    number = bounds.short_number(ref)
    found = rq.by_seq(conn, kind, rec.office, number) if number is not None else ref
    patrol = rq.get(conn, kind, found) if found else None
    if patrol is None:
        raise NotFound("record.not_found", kind=t("kind.patrol"), id=ref)
    if patrol["voided"]:
        raise GridctlError("patrol.void_patrol", id=patrol["id"])
    if source != "patrol":
        raise GridctlError("patrol.needs_patrol_source")
    if not grid["code"].startswith(patrol["grid"]):
        raise GridctlError("patrol.issue_elsewhere", issue=grid["path"], grid=patrol["grid"])
    return patrol["id"]


def _as_a_sheet_gives(new: NewIssue) -> NewIssue:
    """The optional texts as an imported row gives them (`transfer`: a cell is stripped, a blank
    one is none): `--reporter ' '` was recorded as the reporter " " instead of the clerk, a blank
    `--place` or `--ref` as a blank."""
    def given(text):
        return (text.strip() or None) if isinstance(text, str) else text

    return replace(new, found_at=given(new.found_at), place=given(new.place), reporter=given(new.reporter),
                   phone=given(new.phone), ref=given(new.ref), patrol=given(new.patrol))


def add_issue(db: Path, new: NewIssue, *, at: str | None = None, actor: str | None = None,
              on_the_spot: bool = False, calendar: Calendar | None = None, force: bool = False) -> IssueView:
    """Record one issue. A similar issue of the same grid and category within the window
    (`duplicates`) refuses it with the candidates (PossibleDuplicates), unless `force`: then it is
    recorded and its add event names the candidates it was forced past (`forced_past`)."""
    cal = calendar or load_calendar()
    new = _as_a_sheet_gives(new)
    moment = parse(at, "--at") or now()
    _check_time(moment, None)
    if new.phone:
        new = replace(new, phone=bounds.phone(new.phone, "--phone"))       # as a sheet's 联系电话 is checked
    with ledger(db) as conn, transaction(conn):
        rec = IssueRecorder(conn, cal, actor)
        resolved = _resolve_new(conn, rec, new)
        found = duplicates.candidates(conn, resolved[0]["code"], resolved[1]["code"], new.title,
                                      moment, cal.duplicate_days)
        if found and not force:
            raise duplicates.PossibleDuplicates(found, cal.duplicate_days)
        state = record_new(conn, rec, new, moment, on_the_spot, resolved, [c.id for c in found])
        rec.flush()
        return present(conn, [state], fmt(now()), cal)[0]


def resolve_issue(conn, text: str, office: str) -> IssueState:
    if not text.strip():        # `issue show ''`: said as none given, not as 找不到问题 (and nothing)
        raise NotFound("issue.none_given")
    issue_id = text
    if text.isdecimal() and len(text) <= 9:
        issue_id = iq.by_seq(conn, office, int(text)) or text
    state = iq.get(conn, issue_id)
    if state is None:
        raise NotFound("issue.not_found", id=text)
    return state


def act(db: Path, issue: str, action: str, *, at: str | None = None, actor: str | None = None,
        note: str | None = None, calendar: Calendar | None = None, **params) -> IssueView:
    """One life-cycle move (accept, dispatch, handle, close, reject, escalate, rework, extend,
    reopen, callback), refused with what is allowed when the status does not permit it."""
    cal = calendar or load_calendar()
    moment = parse(at, "--at") or now()
    if note is not None and not note.strip():   # `--note ' '`: no note (it was recorded as a blank 情况)
        note = None
    with ledger(db) as conn, transaction(conn):
        rec = IssueRecorder(conn, cal, actor)
        state = resolve_issue(conn, issue, rec.office)
        lc.next_status(state.status, action)
        _check_time(moment, state.updated_at)
        if action == "extend":
            params["approver"] = _approver(conn, params.get("approver"))
        new = rec.move(state, action, moment, note, **params)
        if action == "extend":      # after the days and reason are checked, before anything is written
            _not_self_approved(conn, params["approver"], rec.actor)
        rec.flush()
        item = present(conn, [new], fmt(now()), cal)[0]
        if action == "reject" and params.get("duplicate_of"):
            item = dataclasses.replace(item, duplicate_of=_original(conn, state, params["duplicate_of"]))
        return item


def _approver(conn, text: str | None) -> str:
    """`extend --approver` (批准人): a person in the ledger by id or unique name, as their id
    (as `--by` is read); a name nobody holds is refused rather than recorded."""
    text = _need((text or "").strip(), "--approver")
    found = rq.find_person(conn, text)
    if len(found) > 1:
        raise GridctlError("issue.ambiguous_approver", value=text, ids=", ".join(i for i, _ in found))
    if not found:
        raise NotFound("issue.unknown_approver", value=text)
    return found[0][0]


def _not_self_approved(conn, approver: str, actor: str | None) -> None:
    """The one asking for a 延期 (the acting clerk) does not approve it."""
    if actor is not None and approver == actor:
        name = dict(rq.find_person(conn, approver)).get(approver)
        raise GridctlError("issue.self_approver", person=f"{name} ({approver})" if name else approver)


def _need(value, option: str):
    """A required value given: blanks alone are none (`--reason ' '` was recorded as the reason of
    a 不予受理 or a 延期, where `--reason ''` was refused), as `void`'s and `retire`'s reasons are."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise GridctlError("issue.option_required", option=option)
    return value


def _details(conn, cal, state, action, at, note, p) -> tuple[str, dict, str | None]:
    level, details = state.level, {}
    if action == "accept" and not state.deadline:
        amount, unit = deadline_parts(state.deadline_rule)
        details["deadline"] = fmt(cal.deadline(at, amount, unit))
    elif action == "dispatch":
        details.update(_dispatch_target(conn, state, p.get("to")))
    elif action in ("reject", "rework", "reopen"):
        details["reason"] = _need(p.get("reason"), "--reason")
        note = note or details["reason"]
        if action == "reject" and p.get("duplicate_of"):
            details["duplicate_of"] = _original(conn, state, p["duplicate_of"])
    elif action == "escalate":
        level, holder = _upper_platform(conn, state)
        details.update(holder=holder, reason=p.get("reason"))
        details.update(_reroute(conn, state, holder))
        note = note or p.get("reason")
    elif action == "extend":
        days = int(_need(p.get("days"), "--days"))
        if days <= 0:
            raise GridctlError("issue.bad_days", days=days)
        bounds.count(days, "--days", bounds.DAYS_MAX, 1)
        details.update(days=days, reason=_need(p.get("reason"), "--reason"),
                       approver=_need(p.get("approver"), "--approver"))
        due = cal.extend(parse(state.deadline, "deadline"), days, state.deadline_unit)
        details["deadline"] = fmt(due)
        note = note or details["reason"]
    elif action == "callback":
        result = lc.resolve_callback(_need(p.get("result"), "--result"))
        if result is None:
            raise GridctlError("issue.bad_callback", value=p.get("result"),
                                 allowed=choices(lc.CALLBACK_RESULTS))
        details["result"] = result
        details.update(_callback_correction(state, bool(p.get("correct"))))
    return level, details, note


def _callback_correction(state: IssueState, correct: bool) -> dict:
    """回访: one a closing. A second one on the same closing is refused naming the one held
    (it silently replaced it); with `--correct` it is recorded as correcting it, the one held
    named in its details (`corrects`: result and time), both kept in the timeline. After
    `reopen` and a new close the resident is called back again as a new callback."""
    held = state.called_back()
    if held and not correct:
        raise GridctlError("issue.callback_held", id=state.id, at=state.callback_at,
                           result=t(f"callback.{state.callback}"))
    if correct and not held:
        raise GridctlError("issue.callback_nothing_to_correct", id=state.id)
    return {"corrects": {"result": state.callback, "at": state.callback_at}} if held else {}


def _original(conn, state: IssueState, ref: str) -> str:
    """`reject --duplicate-of`: the issue this one repeats (it must exist and be another one)."""
    original = resolve_issue(conn, ref, office_code(conn))
    if original.id == state.id:
        raise GridctlError("issue.duplicate_of_self", id=state.id)
    return original.id


def _dispatch_target(conn, state: IssueState, to: str | None) -> dict:
    if to is None:
        for kind in ("department", "team"):
            code = state.department if kind == "department" else state.team
            if code:
                return {"assignee": code, "assignee_kind": kind}
        if state.lead_person:
            return {"assignee": state.lead_person, "assignee_kind": "person"}
        raise GridctlError("issue.option_required", option="--to")
    if not to.strip():      # `--to ''`: said as empty, not as “”既不是部门、工作队, 也不是人员
        raise GridctlError("issue.empty_assignee")
    found = gq.find_assignee(conn, to)
    if found is None:
        raise NotFound("issue.unknown_assignee", value=to)
    return {"assignee": found[0], "assignee_kind": found[1]}


def _reroute(conn, state: IssueState, holder: str | None) -> dict:
    """At a district or the city, the enforcing department becomes that level's own, if any."""
    kind = gq.category(conn, state.category)["department"]
    if not holder or not kind:
        return {}
    found = [d for d in gq.departments_at(conn, [holder]) if d["kind"] == kind]
    return {"department": found[0]["code"]} if found else {}


def _upper_platform(conn, state) -> tuple[str, str | None]:
    """One platform up from where the issue is held (逐级上报); the city is the top."""
    index = PLATFORM_LEVELS.index(state.level)
    if index == 0:
        raise lc.IllegalMove("issue.above_city")
    level = PLATFORM_LEVELS[index - 1]
    holder = next((g["code"] for g in gq.chain(conn, state.grid) if g["level"] == level), None)
    return level, holder


@dataclass(frozen=True, slots=True)
class IssueView:
    """One issue (问题) as users and scripts see it: its state (`IssueState`) with names beside
    codes, the warning colour and the on-time flag. `as_dict()` is the `issue list/show --json`
    object and the export's fields: keys and their order are a contract."""

    state: IssueState
    grid_path: str | None
    category_name: str | None
    source_name: str | None
    colour: str | None
    overdue: bool
    on_time: bool | None
    close_mode: str | None
    callback_name: str | None
    holder_name: str | None
    lead_name: str | None
    department_name: str | None
    team_name: str | None
    assignee_name: str | None
    deadline_text: str | None
    duplicate_of: str | None = None
    """Set by `issue reject --duplicate-of` only (the issue this one repeats); its JSON key then follows."""

    def as_dict(self) -> dict:
        """The state's keys (`STATE_KEYS`), then the view's, in field order."""
        out = self.state.as_dict()
        out.update(zip(_VIEW_KEYS, _view_values(self)))
        if self.duplicate_of is not None:
            out["duplicate_of"] = self.duplicate_of
        return out


_VIEW_KEYS = tuple(f.name for f in dataclasses.fields(IssueView) if f.name not in ("state", "duplicate_of"))
_view_values = attrgetter(*_VIEW_KEYS)


def present(conn, states: list[IssueState], as_of: str, cal: Calendar) -> list[IssueView]:
    """Issues as users and scripts see them: names beside codes, colour, on-time flag."""
    grid_paths = gq.names(conn, "grids", [s.grid for s in states] + [s.holder for s in states])
    categories = gq.names(conn, "categories", [s.category for s in states])
    names = _party_names(conn, states)
    out = []
    for s in states:
        colour = lc.colour(s, as_of, cal.yellow_at)
        out.append(IssueView(
            s, grid_path=grid_paths.get(s.grid), category_name=categories.get(s.category),
            source_name=t(f"source.{s.source}") if s.source in lc.SOURCES else None, colour=colour,
            overdue=colour == "red", on_time=lc.on_time(s), close_mode=lc.close_mode(s),
            callback_name=t(f"callback.{s.callback}") if s.callback else None,
            holder_name=grid_paths.get(s.holder or ""),
            lead_name=names["person"].get(s.lead_person or ""),
            department_name=names["department"].get(s.department or ""),
            team_name=names["team"].get(s.team or ""),
            assignee_name=names.get(s.assignee_kind or "", {}).get(s.assignee or ""),
            deadline_text=deadline_words(s.deadline_rule)))
    return out


def _party_names(conn, states: list[IssueState]) -> dict[str, dict[str, str]]:
    """Names of the people, departments and teams the issues name (for 牵头人, 部门, 协助, 处置单位)."""
    wanted: dict[str, list] = {"person": [], "department": [], "team": []}
    for s in states:
        wanted["person"].append(s.lead_person)
        wanted["department"].append(s.department)
        wanted["team"].append(s.team)
        if s.assignee_kind in wanted:
            wanted[s.assignee_kind].append(s.assignee)
    tables = {"person": "people", "department": "departments", "team": "teams"}
    return {kind: gq.names(conn, tables[kind], codes) for kind, codes in wanted.items()}
