"""四级平台: hand a ledger up (`bundle`), take a lower ledger in (`merge`), see who handed up.

A bundle is gzip-compressed JSON lines: a header naming the sending office and, per office
chain, the first and last event number and hash; then the events exactly as stored; then a
trailer with the count. JSON lines rather than a SQLite file because a bundle is read once,
front to back, is small when compressed, survives any transport (mail, USB stick, chat), and
a person can open it with `zcat` to see what was handed up; gzip's checksum catches a damaged
file, and the events' own hashes catch an edited one.

Reference data (grids, people, posts, duties) is not in the bundle: every office loads the
same YAML definitions (`gridctl load`), and a merge refuses events about grids it lacks.
"""

from __future__ import annotations

import gzip
import json
from datetime import date, datetime, timedelta
from pathlib import Path

from gridctl import __version__
from gridctl.errors import GridctlError
from gridctl.issues.lifecycle import apply_event
from gridctl.issues.service import office_code, writing
from gridctl.ledger import exchange as xq
from gridctl.ledger import issues as iq
from gridctl.ledger import ledger
from gridctl.ledger.events import EVENT_COLS, GENESIS, event_hash, head, offices
from gridctl.messages import t

FORMAT = 1


class BundleRefused(GridctlError):
    """The bundle cannot be merged: damaged, edited, out of order, or diverging."""


def _receipt_since(since: Path | None) -> dict[str, int]:
    if since is None:
        return {}
    try:
        receipt = json.loads(Path(since).read_text(encoding="utf-8"))
        return {office: int(chain["last_n"]) for office, chain in receipt["chains"].items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GridctlError(t("bundle.bad_receipt", file=since, error=exc)) from None


def bundle(db: Path, out: Path, since: Path | None = None) -> dict:
    """Write every event the receiver does not hold yet (all, or those after the receipt)."""
    after = _receipt_since(since)
    with ledger(db) as conn:
        sender = office_code(conn)
        chains, count = {}, 0
        with gzip.open(out, "wt", encoding="utf-8") as handle:
            lines = []
            for office in offices(conn):
                start = after.get(office, 0)
                have_n, _ = head(conn, office)
                if start > have_n:
                    raise GridctlError(t("bundle.receipt_ahead", office=office, n=start, have=have_n))
                if start and since:
                    prev = xq.hash_at(conn, office, start)
                else:
                    prev = GENESIS
                first = last = None
                for event in xq.events_after(conn, office, start):
                    lines.append(json.dumps(event, ensure_ascii=False))
                    first = first or event
                    last = event
                if last:
                    chains[office] = {"first_n": first["n"], "last_n": last["n"], "prev_hash": prev,
                                      "last_hash": last["hash"], "count": last["n"] - first["n"] + 1}
                    count += chains[office]["count"]
            header = {"gridctl_bundle": FORMAT, "gridctl": __version__, "sender": sender,
                      "created": datetime.now().isoformat(timespec="seconds"), "chains": chains, "count": count}
            handle.write(json.dumps(header, ensure_ascii=False) + "\n")
            for line in lines:
                handle.write(line + "\n")
            handle.write(json.dumps({"end": True, "count": count}) + "\n")
    return header


def read_bundle(path: Path) -> tuple[dict, list[dict]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise BundleRefused(t("bundle.damaged", file=path, error=exc)) from None
    try:
        header, *body, trailer = [json.loads(line) for line in lines]
    except ValueError as exc:
        raise BundleRefused(t("bundle.damaged", file=path, error=exc)) from None
    if header.get("gridctl_bundle") != FORMAT or not trailer.get("end"):
        raise BundleRefused(t("bundle.damaged", file=path, error="header/trailer"))
    if trailer["count"] != len(body) or header["count"] != len(body):
        raise BundleRefused(t("bundle.truncated", file=path, expected=header["count"], found=len(body)))
    return header, body


def _check_chain(conn, office: str, events: list[dict], own: str) -> list[dict]:
    """The events of one office that are new here; refuse anything that does not continue
    what this ledger holds of that office, link by link."""
    have_n, have_hash = head(conn, office)
    new, prev = [], None
    for event in events:
        fields = [event[c] for c in EVENT_COLS[:-1]]
        if event_hash(*fields) != event["hash"]:
            raise BundleRefused(t("bundle.edited", office=office, n=event["n"], subject=event["issue"] or event["record"]))
        if prev is not None and (event["n"] != prev["n"] + 1 or event["prev_hash"] != prev["hash"]):
            raise BundleRefused(t("bundle.reordered", office=office, n=event["n"]))
        prev = event
        if event["n"] <= have_n:
            if xq.hash_at(conn, office, event["n"]) != event["hash"]:
                raise BundleRefused(t("bundle.diverges", office=office, n=event["n"]))
            continue
        if office == own:
            raise BundleRefused(t("bundle.own_office", office=office))
        expected_prev = have_hash if not new else new[-1]["hash"]
        if event["n"] != have_n + len(new) + 1:
            raise BundleRefused(t("bundle.missing", office=office, have=have_n, first=event["n"],
                                  gap=f"{have_n + 1}–{event['n'] - 1}"))
        if event["prev_hash"] != expected_prev:
            raise BundleRefused(t("bundle.diverges", office=office, n=event["n"]))
        new.append(event)
    return new


def merge(db: Path, path: Path) -> dict:
    """Take a lower (or upper) ledger's bundle in, all or nothing; return the receipt."""
    header, body = read_bundle(path)
    by_office: dict[str, list[dict]] = {}
    for event in body:
        by_office.setdefault(event["office"], []).append(event)
    with ledger(db) as conn, writing(conn):
        own = office_code(conn)
        fresh = {office: _check_chain(conn, office, events, own) for office, events in by_office.items()}
        new_hashes = {e["hash"] for events in fresh.values() for e in events}
        ordered = [e for e in body if e["hash"] in new_hashes]
        xq.insert_events(conn, ordered)
        _apply(conn, ordered)
        received = datetime.now().isoformat(timespec="seconds")
        receipt = {"receiver": own, "sender": header["sender"], "received": received, "chains": {}, "added": len(ordered)}
        for office, events in by_office.items():
            last = events[-1]
            if fresh[office]:
                conn.execute("INSERT INTO ledger_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                             "SET value = excluded.value", (f"head:{office}", f"{last['n']}:{last['hash']}"))
            n, last_hash = head(conn, office)
            xq.record_merge(conn, office, received, header["sender"], events[0]["n"], n, len(fresh[office]),
                            last_hash, str(path))
            receipt["chains"][office] = {"last_n": n, "last_hash": last_hash, "added": len(fresh[office])}
    return receipt


def _apply(conn, events: list[dict]) -> None:
    """Bring the projections up to date with merged events, in the order they were recorded."""
    states: dict[str, dict] = {}
    for event in events:
        details = json.loads(event["details"])
        if event["issue"]:
            issue = event["issue"]
            state = states.get(issue) or iq.get(conn, issue)
            if state is None and event["action"] != "add":
                raise BundleRefused(t("bundle.unknown_issue", issue=issue, n=event["n"], office=event["office"]))
            new = apply_event(state, event, details)
            if state is None:
                if not conn.execute("SELECT 1 FROM grids WHERE code = ?", (new["grid"],)).fetchone():
                    raise BundleRefused(t("bundle.unknown_grid", grid=new["grid"], issue=issue))
                iq.save_many(conn, [new])
                xq.index_new_issue(conn, new, details.get("patrol"))
            elif event.get("note"):
                iq.append_note(conn, issue, event["note"])
            states[issue] = new
        else:
            iq.save_many(conn, list(states.values()))
            states.clear()
            xq.apply_record_event(conn, event, details)
    iq.save_many(conn, list(states.values()))


def status(db: Path, as_of: str | None = None) -> dict:
    """Per office below: the last bundle merged; those that have not handed up this week."""
    today = date.fromisoformat(as_of[:10]) if as_of else date.today()
    monday = (today - timedelta(days=today.weekday())).isoformat()
    with ledger(db) as conn:
        own = office_code(conn)
        rows = [r for r in xq.merges_by_office(conn) if r["office"] != own]
    for row in rows:
        row["this_week"] = row["received_at"][:10] >= monday
    return {"office": own, "week_from": monday, "offices": rows,
            "not_this_week": [r["office"] for r in rows if not r["this_week"]]}
