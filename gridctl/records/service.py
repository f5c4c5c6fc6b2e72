"""Core calls for patrols and conduct records: check, record as events, void, list.

Each record is written as one event (`patrol.add`, `meeting.add`, …) in the office's hash
chain plus its row; a correction is a `….void` event, never an edit.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from datetime import date, timedelta
from pathlib import Path

from gridctl import bounds
from gridctl.errors import FieldRefused, GridctlError, NotFound, OptionRefused
from gridctl.issues.service import resolve_issue
from gridctl.ledger import grids as gq
from gridctl.ledger import issues as iq
from gridctl.ledger import ledger, transaction
from gridctl.ledger import records as rq
from gridctl.ledger import register as regq
from gridctl.ledger.events import Entry
from gridctl.ledger.recorder import Recorder
from gridctl.messages import choices, known, t
from gridctl.records.kinds import (
    ATTENDANCE_KINDS,
    KINDS,
    MEETING_KINDS,
    PUBLICITY_KINDS,
    STUDY_KINDS,
    columns,
    vocabulary,
)
from gridctl.records.rules import load_rules
from gridctl.records.weekly import leave_days
from gridctl.timefmt import dates_in_order, fmt, now, parse_date, written_as_day


class FieldError(OptionRefused):
    """A record's field is wrong; `field` names it, so an import can name the column."""


def _person(conn, text, field="person") -> str:
    if not str(text or "").strip():         # blanks too: said as missing, not as 人员“ ”不存在
        raise FieldError(field, "field.required")
    found = rq.find_person(conn, str(text).strip())
    if len(found) == 1:
        return found[0][0]
    if found:
        raise FieldError(field, "record.ambiguous_person", value=text, ids=", ".join(i for i, _ in found))
    raise FieldError(field, "config.unknown_ref", what=t("what.person"), value=text)


def _team(conn, text, field="team") -> str:
    if not str(text or "").strip():         # `--team ''` was 工作队“”不存在
        raise FieldError(field, "field.required")
    found = rq.find_team(conn, str(text or "").strip())
    if len(found) != 1:
        raise FieldError(field, "config.unknown_ref", what=t("what.team"), value=text)
    return found[0][0]


def _date(text, field="date") -> str:
    written = bounds.halfwidth(str(text or "").strip())[:10]       # ２０２６-１１-２０ as typed full-width
    try:
        day = date.fromisoformat(written)
    except ValueError:
        try:
            written_as_day(field, written)
        except FieldRefused as exc:         # 2026-02-30: no such day, not written wrong
            raise FieldError(field, exc.what, **exc.params) from None
        raise FieldError(field, "field.bad_date", value=text) from None
    if day > date.today():
        raise FieldError(field, "record.future_date", value=day.isoformat())
    _bounded(bounds.year, day, field, text)
    return day.isoformat()


def _bounded(check, value, field, *args):
    try:
        return check(value, field, *args)
    except bounds.OutOfRange as exc:
        raise FieldError(field, exc.what, **exc.params) from None


def _count(value, field, minimum=0, default=None, maximum=bounds.COUNT_MAX) -> int | None:
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise FieldError(field, "field.bad_count", value=value) from None
    if number < minimum:
        raise FieldError(field, "record.too_small", value=number, minimum=minimum)
    return _bounded(bounds.count, number, field, maximum, minimum)


def _word(words: dict, value, field) -> str:
    code = vocabulary(words, str(value or "").strip())
    if code is None:
        raise FieldError(field, "field.bad_choice", value=value, choices=choices(words))
    return code


def _grid_within(conn, text, field="grid") -> dict:
    try:
        return gq.resolve_node(conn, str(text or ""))
    except NotFound as exc:
        raise FieldError(field, str(exc)) from None


def patrol_key(person: str, grid: str, day: str, notes: str | None) -> str:
    """What makes a patrol row the same patrol on a second import: who, where, when, the notes."""
    return hashlib.sha256("\x1f".join((person, grid, day, (notes or "").strip())).encode()).hexdigest()[:32]


def check_patrol(conn, v: dict, office: str) -> dict:
    """巡查: the person must hold a post at the node or above, or be in a team assigned there."""
    person, day = _person(conn, v.get("person")), _date(v.get("date"))
    grid = _grid_within(conn, v.get("grid"))
    codes = [g["code"] for g in gq.chain(conn, grid["code"])]
    posts, teams = rq.posts_of(conn, person, codes, day), rq.teams_of(conn, person, codes, day)
    visiting = bool(v.get("visiting"))
    if not (posts or teams or visiting):
        raise FieldError("person", "patrol.not_assigned", person=person, grid=grid["path"], day=day)
    notes = (v.get("notes") or "").strip() or None
    key = patrol_key(person, grid["code"], day, notes)
    found = _found(conn, v.get("found"), grid, office, rq.patrol_by_key(conn, key))
    visited = _visited(conn, v.get("visited"), grid, office)
    households = _count(v.get("households"), "households")
    if visited is not None and households not in (None, len(visited)):
        raise FieldError("households", "patrol.visited_vs_count", households=households, n=len(visited))
    return {"date": day, "person": person, "grid": grid["code"],
            "households": len(visited) if visited is not None else households, "notes": notes, "visited": visited,
            "visiting": int(visiting and not (posts or teams)),
            "team": teams[0]["team"] if teams else None, "role": posts[0]["role"] if posts else None,
            "found": found, "content_key": key}


def _visited(conn, text, grid: dict, office: str) -> list[str] | None:
    """入户走访: the households visited (register ids, `H12`, or 门牌) in the patrolled grid."""
    refs = text if isinstance(text, list) else [r.strip() for r in re.split(r"[,，、]", str(text or "")) if r.strip()]
    if not refs:
        return None
    visited = []
    for ref in refs:
        found = regq.find_household(conn, ref, grid["code"], office)
        if len(found) != 1:
            message = t("patrol.no_household", ref=ref, grid=grid["path"]) if not found else \
                t("register.ambiguous", ref=ref, ids=", ".join(h["id"] for h in found))
            raise FieldError("visited", message)
        if found[0]["id"] not in visited:
            visited.append(found[0]["id"])
    return visited


def _found(conn, text, grid: dict, office: str, patrol: str | None = None) -> list[str]:
    """Issue ids found on this patrol: each must exist, lie in the patrolled grid, be unlinked."""
    if isinstance(text, list):
        refs = text
    else:
        refs = [r.strip() for r in str(text or "").replace("，", ",").split(",") if r.strip()]
    issues = []
    for ref in refs:
        try:
            issue = resolve_issue(conn, iq.id_of_ref(conn, ref) or ref, office)
        except NotFound as exc:
            raise FieldError("found", str(exc)) from None
        if not issue.grid.startswith(grid["code"]):
            raise FieldError("found", "patrol.issue_elsewhere", issue=issue.id, grid=grid["path"])
        linked = rq.patrol_of(conn, issue.id)
        if linked and linked != patrol:
            raise FieldError("found", "patrol.issue_linked", issue=issue.id, patrol=linked)
        if issue.id not in issues:
            issues.append(issue.id)
    return issues


def check_meeting(conn, v: dict, office: str) -> dict:
    unit, text = None, str(v.get("unit") or "").strip()
    if rq.find_team(conn, text):
        unit, kind = _team(conn, text, "unit"), "team"
    elif rq.department_exists(conn, text):
        unit, kind = text, "department"
    else:
        unit, kind = _grid_within(conn, text, "unit")["code"], "grid"
    attendees = list(dict.fromkeys(_person(conn, p.strip(), "attendees") for p in    # P101,P101 (or 董霞,P101): once
                                   str(v.get("attendees") or "").replace("，", ",").split(",") if p.strip()))
    return {"date": _date(v.get("date")), "unit": unit, "unit_kind": kind,
            "kind": MEETING_KINDS[_word(MEETING_KINDS, v.get("kind"), "kind")],
            "attendees": attendees, "notes": v.get("notes")}


def check_attendance(conn, v: dict, office: str) -> dict:
    kind, days = _word(ATTENDANCE_KINDS, v.get("kind"), "kind"), _count(v.get("days"), "days", 1, 1, bounds.DAYS_MAX)
    if kind in ("cancel", "notice") and days != 1:     # counted by the record (a notice) or its day (销假 ends leave)
        raise FieldError("days", f"attendance.{kind}_has_no_days", days=days)
    return {"date": _date(v.get("date")), "person": _person(conn, v.get("person")), "kind": kind,
            "days": days, "reason": v.get("reason")}


def check_study(conn, v: dict, office: str) -> dict:
    attended = str(v.get("attended") if v.get("attended") is not None else "yes").strip().lower()
    if attended not in ("yes", "no", "是", "否", "1", "0", "true", "false"):
        raise FieldError("attended", "field.bad_choice", value=attended, choices=choices({"yes": t("yes"), "no": t("no")}))
    return {"date": _date(v.get("date")), "person": _person(conn, v.get("person")),
            "kind": _word(STUDY_KINDS, v.get("kind"), "kind"),
            "attended": int(attended in ("yes", "是", "1", "true")), "notes": v.get("notes")}


def check_publicity(conn, v: dict, office: str) -> dict:
    if not str(v.get("title") or "").strip():
        raise FieldError("title", "field.required")
    return {"date": _date(v.get("date")), "person": _person(conn, v.get("person")),
            "kind": _word(PUBLICITY_KINDS, v.get("kind"), "kind"), "title": str(v["title"]).strip(),
            "outlet": v.get("outlet")}


def check_survey(conn, v: dict, office: str) -> dict:
    """民意测评 of one member: at least the configured participants; votes within them."""
    team, person, day = _team(conn, v.get("team")), _person(conn, v.get("person")), _date(v.get("date"))
    participants = _count(v.get("participants"), "participants")
    minimum = load_rules()["survey_min_participants"]
    if participants is None or participants < minimum:
        raise FieldError("participants", "survey.too_few", value=participants, minimum=minimum)
    votes: dict[str, int] = {k: _count(v.get(k), k, 0, 0) or 0 for k in ("satisfied", "fair", "unsatisfied")}
    if sum(votes.values()) > participants:
        raise FieldError("satisfied", "survey.too_many_votes", votes=sum(votes.values()), participants=participants)
    if not rq.is_team_member(conn, team, person, day):
        raise FieldError("person", "survey.not_member", person=person, team=team)
    return {"date": day, "team": team, "person": person, "participants": participants, **votes}


def _plain_text(check):
    """A record's text (from the command line or a sheet) holds no control character: refused
    with its position, since a record once written is never edited."""

    @functools.wraps(check)
    def checked(conn, v: dict, office: str) -> dict:
        for key, value in v.items():
            if isinstance(value, str):
                _bounded(bounds.text, value, key)
        return check(conn, v, office)

    return checked


CHECKS = {name: _plain_text(check) for name, check in (
    ("patrol", check_patrol), ("meeting", check_meeting), ("attendance", check_attendance),
    ("study", check_study), ("publicity", check_publicity), ("survey", check_survey))}


def record(conn, rec: Recorder, kind_name: str, rows: list[dict]) -> list[dict]:
    """Write checked rows of one kind as `<kind>.add` events and rows; return the rows."""
    kind = KINDS[kind_name]
    seqs: dict[int, int] = {}
    written = []
    for fields in rows:
        year = int(fields["date"][:4])
        if year not in seqs:
            seqs[year] = rq.next_seq(conn, kind, rec.office, year)
        seq = seqs[year]
        seqs[year] += 1
        row = dict(fields, id=f"{rec.office}-{kind.letter}{year}-{seq:06d}", office=rec.office,
                   year=year, seq=seq, voided=0, recorded_by=rec.actor)
        details = {"record": {k: row.get(k) for k in columns(kind) if k != "event"}}
        event = rec.chain.append(Entry(f"{kind.name}.add", rec.actor, f"{row['date']} 00:00",
                                       rec.recorded_at or f"{row['date']}T00:00:00", record=row["id"],
                                       details=details))
        row["event"] = event.hash
        written.append(row)
    stored = [dict(r, **{k: json.dumps(r[k], ensure_ascii=False) for k in ("found", "attendees", "visited")
                         if r.get(k) is not None}) for r in written]
    rq.insert_many(conn, kind, stored)
    for row in written:
        if row.get("found"):
            rq.link_issues(conn, row["id"], row["found"])
        if row.get("visited"):
            regq.add_visits(conn, row["id"], row["date"], row["visited"])
    rec.chain.flush()
    return written


def add_record(db: Path, kind_name: str, values: dict, actor: str | None = None) -> dict:
    """Check one record against the ledger and write it in one transaction."""
    with ledger(db) as conn, transaction(conn):
        rec = Recorder(conn, actor)
        fields = CHECKS[kind_name](conn, values, rec.office)
        if kind_name == "survey" and rq.survey_exists(conn, fields["team"], fields["person"], fields["date"]):
            raise FieldError("person", "survey.duplicate", person=fields["person"], team=fields["team"], day=fields["date"])
        if kind_name == "patrol" and (same := rq.patrol_on_day(conn, fields["person"], fields["grid"], fields["date"])):
            raise FieldError("date", "patrol.duplicate", person=fields["person"], day=fields["date"], id=same)
        if kind_name == "meeting" and (same := rq.meeting_on_day(conn, fields["unit"], fields["kind"], fields["date"])):
            raise FieldError("date", "meeting.duplicate", unit=fields["unit"], kind=known("mkind", fields["kind"]),
                             day=fields["date"], id=same)
        if kind_name in ("attendance", "study", "publicity") and (same := rq.same_record(conn, kind_name, fields)):
            raise FieldError("date", "record.duplicate", person=fields["person"], day=fields["date"], id=same,
                             what=_kind_said(kind_name, fields), group=kind_name)
        if kind_name == "attendance" and fields["kind"] == "absent" and \
                (held := rq.absence_overlapping(conn, fields["person"], fields["date"], fields["days"])):
            raise FieldError("date", "attendance.absent_overlaps", person=fields["person"], day=fields["date"],
                             days=fields["days"], id=held[0], held_day=held[1], held_days=held[2])
        if kind_name == "attendance" and fields["kind"] == "absent" and \
                (leave := _leave_over(conn, fields["person"], fields["date"], fields["days"])):
            on, (_, _, leave_day, leave_span, leave_id) = leave
            raise FieldError("date", "attendance.absent_on_leave", person=fields["person"], on=on.isoformat(),
                             id=leave_id, leave_day=leave_day, leave_days=leave_span)
        if kind_name == "attendance" and fields["kind"] == "leave" and \
                (held := rq.absence_overlapping(conn, fields["person"], fields["date"], fields["days"])):
            raise FieldError("date", "attendance.leave_on_absence", person=fields["person"],
                             on=max(fields["date"], held[1]), id=held[0], held_day=held[1], held_days=held[2])
        return record(conn, rec, kind_name, [fields])[0]


def _leave_over(conn, person: str, day: str, days: int) -> tuple[date, tuple] | None:
    """The first of the `days` from `day` that `person` was on approved leave (a live 请假 covering
    it, not ended by a 销假), with that 请假 (person, kind, date, days, id); None if none.
    不在岗 is absence without leave (未经请假而缺勤): a day of approved leave is counted as present."""
    first = date.fromisoformat(day)
    span = [first + timedelta(days=i) for i in range(days)]
    since = (first - timedelta(days=bounds.DAYS_MAX)).isoformat()       # the longest leave still covering `day`
    covered = leave_days(rq.leave_of(conn, person, since, span[-1].isoformat())).get(person, {})
    return next(((d, covered[d]) for d in span if d in covered), None)


def _kind_said(kind_name: str, fields: dict) -> str:
    """A record's kind as its list says it (请假 / leave), a publicity item with its title."""
    from gridctl.messages import lang

    words = {"attendance": ATTENDANCE_KINDS, "study": STUDY_KINDS, "publicity": PUBLICITY_KINDS}[kind_name]
    said = words.get(fields["kind"], fields["kind"]) if lang() == "zh" else fields["kind"]
    if kind_name != "publicity":
        return said
    return f"{said}《{fields['title']}》" if lang() == "zh" else f"{said} “{fields['title']}”"


def resolve_record(conn, kind_name: str, ref: str, office: str) -> dict:
    kind = KINDS[kind_name]
    if not ref.strip():
        raise NotFound("record.none_given", kind=t(f"kind.{kind_name}"))
    number = bounds.short_number(ref)
    record_id = rq.by_seq(conn, kind, office, number) if number is not None else ref
    row = rq.get(conn, kind, record_id or ref)
    if row is None:
        raise NotFound("record.not_found", kind=t(f"kind.{kind_name}"), id=ref)
    return row


def void_record(db: Path, kind_name: str, ref: str, reason: str, actor: str | None = None) -> dict:
    """更正: void a record with a reason (a new event); a voided patrol no longer counts."""
    if not (reason or "").strip():
        raise GridctlError("issue.option_required", option="--reason")
    kind = KINDS[kind_name]
    with ledger(db) as conn, transaction(conn):
        rec = Recorder(conn, actor)
        row = resolve_record(conn, kind_name, ref, rec.office)
        if row["voided"]:
            raise GridctlError("record.already_void", id=row["id"])
        at = fmt(now())
        rec.chain.append(Entry(f"{kind.name}.void", actor, at, rec.recorded_at, record=row["id"], note=reason,
                               details={"reason": reason}))
        rec.chain.flush()
        rq.void(conn, kind, row["id"], reason, at)
        if kind_name == "patrol":
            rq.unlink_patrol(conn, row["id"])
            regq.drop_visits(conn, row["id"])
        voided = rq.get(conn, kind, row["id"])
        assert voided is not None           # voided in this transaction, not deleted
        return voided


def link_patrol(db: Path, ref: str, found: str, actor: str | None = None) -> dict:
    """Link issues found on a patrol after the fact (`patrol link`)."""
    kind = KINDS["patrol"]
    with ledger(db) as conn, transaction(conn):
        rec = Recorder(conn, actor)
        row = resolve_record(conn, "patrol", ref, rec.office)
        if row["voided"]:
            raise GridctlError("record.already_void", id=row["id"])
        grid = gq.resolve_node(conn, row["grid"])
        issues = [i for i in _found(conn, found, grid, rec.office, row["id"]) if rq.patrol_of(conn, i) is None]
        if issues:
            rec.chain.append(Entry("patrol.link", actor, fmt(now()), rec.recorded_at, record=row["id"],
                                   details={"issues": issues}))
            rec.chain.flush()
            rq.link_issues(conn, row["id"], issues)
        linked = rq.get(conn, kind, row["id"])
        assert linked is not None
        return linked | {"found": rq.issues_of(conn, [row["id"]]).get(row["id"], [])}


def list_records(db: Path, kind_name: str, filters: dict, limit: int | None = None) -> list[dict]:
    with ledger(db) as conn:
        f = {k: v for k, v in filters.items() if v not in (None, False) and str(v).strip()}   # blank: no filter, as ''
        if "person" in f:
            f["person"] = _person(conn, f["person"])
        if "team" in f:
            f["team"] = _team(conn, f["team"])
        if "grid" in f:
            f["grid"] = gq.resolve_node(conn, f["grid"])["code"]
        for key in ("since", "until"):
            if key in f:
                f[key] = parse_date(str(f[key]), f"--{key}")
        dates_in_order(f)
        rows = rq.query(conn, KINDS[kind_name], f, limit)
        names = gq.names(conn, "people", [r.get("person") for r in rows])
        links = rq.issues_of(conn, [r["id"] for r in rows]) if kind_name == "patrol" else {}
        for row in rows:
            if "attendees" in row:
                row["attendees"] = json.loads(row["attendees"])
            if row.get("visited"):
                row["visited"] = json.loads(row["visited"])
            if kind_name == "patrol":
                row["found"] = links.get(row["id"], [])
            if row.get("person"):
                row["person_name"] = names.get(row["person"])
        return rows

