"""Approval as a control, and 虚报/谎报 flags: each an event in the chain and a row in score_marks.

`score approve` needs a known person who is not assessed in the period (and, where scoring.yaml
names approvers, one of them); it freezes the period's results with the hash of the last event
they counted. `score reopen` (approvers only) undoes an approval; `score unflag` withdraws a flag.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from gridctl.errors import GridctlError, NotFound
from gridctl.ledger import ledger, transaction
from gridctl.ledger import scoring as sq
from gridctl.ledger.events import Entry
from gridctl.ledger.recorder import Recorder
from gridctl.scoring.model import Flag
from gridctl.timefmt import fmt, now


def current_approval(conn, period: str) -> dict | None:
    """The approval in force: the last `approve` not followed by a `reopen`."""
    current = None
    for m in sq.marks(conn, period):
        if m["kind"] == "approve":
            current = m
        elif m["kind"] == "reopen":
            current = None
    return current


def flags_in_force(conn, period: str) -> list[Flag]:
    """Flags not withdrawn by a later `unflag` of the same subject."""
    live: dict[str, Flag] = {}
    for m in sq.marks(conn, period):
        if m["kind"] == "flag":
            live[m["subject"]] = Flag(m["subject"], _flag_kind(conn, m["subject"]), m["reason"], m["actor"], m["at"])
        elif m["kind"] == "unflag":
            live.pop(m["subject"], None)
    return list(live.values())


def _flag_kind(conn, subject: str) -> str:
    if sq.team_exists(conn, subject):
        return "team"
    return "unit" if sq.unit_exists(conn, subject) else "person"


def _check_approver(conn, cfg: dict, period: str, start: str, end: str, actor: str | None) -> None:
    if not actor:
        raise GridctlError("scoring.approver_needed")
    if not sq.person_ids(conn, actor) or sq.person_ids(conn, actor) != [actor]:
        raise NotFound("scoring.approver_unknown", person=actor)
    if any(m["person"] == actor for m in sq.memberships(conn, start, end)):
        raise GridctlError("scoring.approver_assessed", person=actor, period=period)
    allowed = cfg["approvers"]
    if allowed and actor not in allowed and not (sq.roles_of(conn, actor, date.today().isoformat()) & set(allowed)):
        raise GridctlError("scoring.approver_not_listed", person=actor, approvers=", ".join(allowed))


def _record(conn, period: str, kind: str, subject: str | None, reason: str | None, actor: str | None,
            details: dict) -> dict:
    rec = Recorder(conn, actor)
    at = fmt(now())
    event = rec.chain.append(Entry(f"score.{kind}", actor, at, rec.recorded_at, record=period, note=reason,
                                   details={"period": period, "subject": subject, "reason": reason} | details))
    rec.chain.flush()
    sq.add_mark(conn, period, kind, subject, reason, actor, at, event.hash)
    return {"period": period, "kind": kind, "subject": subject, "reason": reason, "by": actor, "at": at,
            "event": event.hash} | details


def approve(db: Path, period: str, actor: str | None, config: Path | None = None) -> dict:
    """Freeze the period's results: the snapshot and the last event counted, as an event."""
    from gridctl.config.scoring import load_scoring
    from gridctl.scoring.service import compute, period_bounds

    cfg = load_scoring(config)
    start, end = period_bounds(period)
    if start > now().date().isoformat():     # 2027Q1 for 2026Q1: its results frozen before any record
        raise GridctlError("scoring.not_begun", period=period, start=start)
    with ledger(db) as conn:
        _check_approver(conn, cfg, period, start, end, actor)
        if current_approval(conn, period):
            raise GridctlError("scoring.already_approved", period=period)
    result = compute(db, period, None, config)
    with ledger(db) as conn:
        last = sq.last_counted(conn, result.as_of)
    snapshot = json.dumps(result.to_dict(), ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(snapshot.encode()).hexdigest()
    with ledger(db) as conn, transaction(conn):
        out = _record(conn, period, "approve", None, None, actor,
                      {"last_event": result.last_event, "snapshot_sha256": digest})
        sq.save_snapshot(conn, out["event"], period, last, snapshot)
    return out


def reopen(db: Path, period: str, reason: str, actor: str | None, config: Path | None = None) -> dict:
    """Undo the approval in force (approvers only), as an event with its reason."""
    _given(reason)
    from gridctl.config.scoring import load_scoring
    from gridctl.scoring.service import period_bounds

    cfg = load_scoring(config)
    start, end = period_bounds(period)
    with ledger(db) as conn, transaction(conn):
        _check_approver(conn, cfg, period, start, end, actor)
        if not current_approval(conn, period):
            raise GridctlError("scoring.not_approved", period=period)
        return _record(conn, period, "reopen", None, reason, actor, {})


def _given(reason: str | None) -> None:
    """A reopen, a flag or its withdrawal says why: `--reason ''` recorded a 虚报 flag on a member
    with no fact at all (已记录 P1 的虚报/谎报: ), where every other --reason is required."""
    if not (reason or "").strip():
        raise GridctlError("issue.option_required", option="--reason")


def _check_subject(conn, kind: str, subject: str) -> None:
    known = {"person": lambda: sq.person_ids(conn, subject) == [subject],
             "team": lambda: sq.team_exists(conn, subject),
             "unit": lambda: sq.unit_exists(conn, subject)}[kind]()
    if not known:
        raise NotFound(f"scoring.unknown_{kind}", subject=subject)


def flag(db: Path, period: str, kind: str, subject: str, reason: str, actor: str | None) -> dict:
    """虚报/谎报 found by the assessors: the person, team or dispatching unit is not awarded."""
    _given(reason)
    from gridctl.scoring.service import period_bounds

    period_bounds(period)
    with ledger(db) as conn, transaction(conn):
        _check_subject(conn, kind, subject)
        return _record(conn, period, "flag", subject, reason, actor, {"subject_kind": kind})


def unflag(db: Path, period: str, kind: str, subject: str, reason: str, actor: str | None) -> dict:
    """Withdraw a flag (the team corrected itself), with the reason, as an event."""
    _given(reason)
    from gridctl.scoring.service import period_bounds

    period_bounds(period)
    with ledger(db) as conn, transaction(conn):
        _check_subject(conn, kind, subject)
        if subject not in {f.subject for f in flags_in_force(conn, period)}:
            raise GridctlError("scoring.not_flagged", subject=subject, period=period)
        return _record(conn, period, "unflag", subject, reason, actor, {"subject_kind": kind})
