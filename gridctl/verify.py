"""`gridctl verify`: prove the event log is intact, or name the first event that is not.

Every run starts with SQLite's `quick_check` of the file (`integrity_check` with `--deep`).
`--deep` also replays every issue's and record's events and compares the result with their
rows, and rebuilds from the chain every other table a score, a report or a merge reads: the
score marks (approvals, flags), the patrol–issue links and the merges' last hashes. A row
forged, edited or removed behind the ledger's back is named; so is a last event deleted with
the stored head rewritten to match (its issue or record row then has no event).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import operator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from gridctl.beside import beside
from gridctl.issues.lifecycle import STATE_KEYS, fold, uncounted_callbacks
from gridctl.ledger import issues as iq
from gridctl.ledger import checks, ledger
from gridctl.ledger import records as rq
from gridctl.ledger import register as rg
from gridctl.ledger.events import shared_details, verify_chains
from gridctl.records.kinds import KINDS, columns
from gridctl.records.weekly import absences_on_leave
from gridctl.messages import action_words, t
from gridctl.progress import QUIET, Meter

_EVENT_KEYS = ("issue", "action", "to_status", "level", "happened_at", "note", "details", "hash")


def verify_ledger(db: Path, deep: bool = False, meter: Meter = QUIET) -> dict:
    """Walk every office's chain (and with `deep`, replay the projection); stop at the first break.

    SQLite's own check of the file runs beside the walk (`checks.integrity_beside`); damage it
    finds is the answer, whatever the walk said. `meter` counts the stages: the chains, with
    `deep` the four replays, and SQLite's check."""
    with ledger(db) as conn:
        meter.total(6 if deep else 2)
        try:
            damage, result = checks.integrity_beside(conn, db, deep, lambda: _walk(conn, db, deep, meter))
        except checks.SchemaGone as gone:
            message = t("verify.schema_gone", what=t(f"verify.schema_{gone.args[0]}"), name=gone.args[1])
            return {"ok": False, "events": 0, "offices": [], "projection": None, "integrity": [message],
                    "break": {"kind": "integrity", "message": message}}
        meter.step(1)
    if damage or result is None:
        message = t("verify.integrity", problems="; ".join(damage[:5]))
        return {"ok": False, "events": 0, "offices": [], "projection": None, "integrity": damage,
                "break": {"kind": "integrity", "message": message}}
    return result


def _walk(conn, db: Path, deep: bool, meter: Meter) -> dict:
    counts, broken = verify_chains(conn)
    meter.step(1)
    result: dict[str, Any] = {"ok": broken is None, "events": sum(counts.values()), "offices": sorted(counts),
                              "break": None, "projection": None, "integrity": "ok"}
    if broken:
        words = asdict(broken) | {"action": action_words(broken.action)} \
            | ({"field": t(f"bundle.col.{broken.field}")} if broken.field else {})
        result["break"] = asdict(broken) | {"message": t(f"verify.{broken.kind}", **words)}
    elif deep:      # each day's last event (`event_days`) and the records repeated read beside the replays: SQL alone
        with beside(db, "verify-days", lambda other, check: (checks.days_not_kept(other), rq.repeats(other),
                                                             iq.called_back_twice(other),
                                                             rq.overlapping_absences(other),
                                                             absences_on_leave(other))) as days:
            result["projection"] = replay(conn)
            meter.step(1)
            if result["projection"]["mismatch"] is None:
                result["projection"] = replay_records(conn, result["projection"]["issues"])
                meter.step(1)
            if result["projection"]["mismatch"] is None:
                tables, (differs, repeated, twice, overlaps, on_leave) = replay_tables(conn), days.result()
                result["projection"]["mismatch"] = tables or _days_mismatch(differs)
                if repeated:        # not a fault of the file: said, the first of each counted
                    result["repeats"] = repeated
                if overlaps:        # likewise: each day counted once
                    result["absences_overlapping"] = overlaps
                if on_leave:        # likewise: the absence counts
                    result["absences_on_leave"] = on_leave
                if uncounted := _uncounted_callbacks(conn, twice):     # likewise
                    result["uncounted_callbacks"] = uncounted
                meter.step(1)
            else:
                days.stop(wait=True)
        if result["projection"]["mismatch"] is None:
            result["projection"] = _replay_register(conn, result["projection"])
            if shared := rg.households_sharing_a_key(conn):     # not a fault of the file: said
                result["households_sharing"] = shared
            meter.step(1)
        result["ok"] = result["projection"]["mismatch"] is None
    return result


def _uncounted_callbacks(conn, issues: list[str]) -> list[dict]:
    """The second 回访 on one closing, no correction, held by `issues` (those with two callback
    events or more): named as the merge names those it takes in; the first counts."""
    keys = ("office", "n", "issue") + _EVENT_KEYS[1:]
    events = map(dict, map(functools.partial(zip, keys), iq.events_of(conn, issues))) if issues else iter(())
    return [found for _, group in itertools.groupby(events, key=operator.itemgetter("issue"))
            for found in uncounted_callbacks(group)]


def _days_mismatch(differs: tuple[str, int | None, int | None] | None) -> dict | None:
    """`event_days`' first wrong day as a finding: the last event of a day is what a report's and
    a score's "as of" counts up to (`events.last_dated`)."""
    if differs is None:
        return None
    day, expected, found = differs
    said = {"expected": expected if expected is not None else t("bundle.empty_value"),
            "found": found if found is not None else t("bundle.empty_value")}
    return {"issue": f"event_days: {day}", "field": "event_days", "events_say": expected, "projection_says": found,
            "message": t("verify.event_days", day=day, **said)}


def replay(conn) -> dict:
    """Fold each issue's events and compare with its projection row, issue by issue.

    Rows come as tuples of `STATE_KEYS` (id first) and are compared whole; only a row that
    differs is looked at key by key."""
    assert STATE_KEYS[0] == "id"
    stored = iter(iq.state_rows(conn, STATE_KEYS))
    checked, parse = 0, shared_details()
    as_event = functools.partial(zip, _EVENT_KEYS)     # row → event dict, all in C: map(dict, map(as_event, …))
    for issue_id, group in itertools.groupby(iq.events_by_issue(conn), key=operator.itemgetter(0)):
        state = fold(map(dict, map(as_event, group)), parse)
        assert state is not None                       # a group holds at least one event
        row = next(stored, None)
        if row is not None and row[0] < issue_id:     # a row with no events
            return _mismatch(checked, row[0], "id", None, row[0])
        if row is None or row[0] != issue_id:          # events with no row
            return _mismatch(checked, issue_id, "id", issue_id, None)
        expected = state.row()
        if expected != row:
            key, want, have = next((k, w, h) for k, w, h in zip(STATE_KEYS, expected, row) if w != h)
            return _mismatch(checked, issue_id, key, want, have)
        checked += 1
    extra = next(stored, None)
    if extra is not None:
        return _mismatch(checked, extra[0], "id", None, extra[0])
    return {"issues": checked, "mismatch": None}


def _mismatch(checked, issue, field, expected, found) -> dict:
    message = t("verify.projection", issue=issue, field=_field_said(field), expected=_value_said(field, expected),
                found=_value_said(field, found))
    return {"issues": checked, "mismatch": {"issue": issue, "field": field, "events_say": expected,
                                            "projection_says": found, "message": message}}


def _field_said(field: str) -> str:
    """A row's column in the clerk's words (`households` → “走访户数”, `phone` → “联系电话”); `--json`
    keeps the column's code (`mismatch.field`)."""
    from gridctl.issues.lifecycle import field_word
    from gridctl.messages import CATALOGUE

    said = field_word(field)
    if said == field:
        said = next((t(key) for key in (f"col.{field}", f"reg.{field}") if key in CATALOGUE), field)
    return f"“{said}”"


def _value_said(field: str, value) -> str:
    """A value as a message shows it: none as (空) rather than Python's None, a phone masked as
    every list masks it (the message is read out and pasted on)."""
    from gridctl.messages import known
    from gridctl.text import mask_phone

    if value is None or value == "":
        return t("bundle.empty_value")
    coded = {"status": "status", "source": "source", "level": "level", "authority": "level"}.get(field)
    if coded:                   # reported → 已上报, as the lists say it
        return known(coded, str(value)) or str(value)
    return (mask_phone(value) or value) if "phone" in field and isinstance(value, str) else str(value)


def replay_tables(conn) -> dict | None:
    """The first difference between the score marks, the patrol–issue links or the merges and
    what the chain says they should be; None when all agree."""
    stored, expected = checks.score_marks(conn), checks.score_events(conn)
    for have, want in itertools.zip_longest(stored, expected):
        if have != want:
            return _table_mismatch("score_marks", (have or want)[-1], want, have)
    for digest, period, snapshot, action, event_period, details in checks.score_snapshots(conn):
        stated = json.loads(details).get("snapshot_sha256") if details else None
        if action != "score.approve" or event_period != period \
                or stated != hashlib.sha256(snapshot.encode()).hexdigest():
            return _table_mismatch("score_snapshots", f"{period} {digest[:12]}", stated, "?")
    links, want_links = checks.patrol_links(conn), _expected_links(conn)
    for pair in sorted(links ^ want_links):
        return _table_mismatch("patrol_issues", " / ".join(pair), pair in want_links, pair in links)
    for _merge_id, office, last_n, last_hash, held in checks.merges(conn):
        if held != last_hash:
            return _table_mismatch("merges", f"{office} #{last_n}", held, last_hash)
    return None


def _expected_links(conn) -> set[tuple[str, str]]:
    links: set[tuple[str, str]] = set()
    for action, subject, details in checks.link_events(conn):
        d = json.loads(details)
        if action == "patrol.add":
            links |= {(subject, issue) for issue in d["record"].get("found") or []}
        elif action == "patrol.link":
            links |= {(subject, issue) for issue in d.get("issues") or []}
        elif action == "patrol.void":
            links = {pair for pair in links if pair[0] != subject}
        elif d.get("patrol"):
            links.add((d["patrol"], subject))
    return links


def _table_mismatch(table: str, row, expected, found) -> dict:
    return {"issue": f"{table}: {row}", "field": table, "events_say": expected, "projection_says": found,
            "message": t("verify.table", table=table, row=row, expected=expected, found=found)}


def _replay_register(conn, projection: dict) -> dict:
    """The base register (#17): every row as its events say, and the visits as the patrols say."""
    from gridctl.register.replay import replay_register

    checked, mismatch = replay_register(conn)
    if mismatch is None:
        return projection | {"register": checked}
    done = projection["issues"] + projection.get("records", 0) + checked
    return _mismatch(done, *mismatch) | {"issues": projection["issues"]}


_JSON_COLUMNS = ("found", "attendees", "visited")


def _expected_records(conn, kind):
    """Each record of a kind as its events say it should be, in id order."""
    events = rq.events_of_kind(conn, kind.name)
    for record_id, group in itertools.groupby(events, key=lambda e: e[0]):
        row = None
        for _, action, happened_at, details, digest in group:
            details = json.loads(details)
            if action.endswith(".add"):
                row = dict(details["record"], event=digest)
            elif action.endswith(".void") and row is not None:
                row.update(voided=1, void_reason=details.get("reason"), voided_at=happened_at)
        yield record_id, row


def replay_records(conn, issues_checked: int) -> dict:
    """Rebuild every patrol, meeting, attendance, study, publicity and survey row from its
    events and compare it with the table, so a count edited behind the ledger's back shows."""
    checked = issues_checked
    for kind in KINDS.values():
        stored = rq.all_rows(conn, kind)
        for record_id, expected in _expected_records(conn, kind):
            row = next(stored, None)
            if row is None or row["id"] != record_id or expected is None:
                found_id = row["id"] if row else None
                return _mismatch(checked, record_id, "id", record_id, found_id)
            for key in columns(kind):
                have = json.loads(row[key]) if key in _JSON_COLUMNS and row[key] is not None else row[key]
                if expected.get(key) != have:
                    return _mismatch(checked, record_id, key, expected.get(key), have)
            checked += 1
        extra = next(stored, None)
        if extra is not None:
            return _mismatch(checked, extra["id"], "id", None, extra["id"])
    return {"issues": issues_checked, "records": checked - issues_checked, "mismatch": None}
