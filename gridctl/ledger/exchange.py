"""SQL for handing ledgers up (四级平台): events by office and number, projections of merged
events, and the record of merges."""

from __future__ import annotations

import json
from dataclasses import astuple, dataclass
from dataclasses import fields as dataclass_fields

from gridctl.ledger import records as rq
from gridctl.ledger import register as rg
from gridctl.ledger import scoring as sq
from gridctl.ledger.events import EVENT_COLS
from gridctl.ledger.issues import ISSUE_COLS, IssueState
from gridctl.ledger.kinds import KINDS


def events_after(conn, office: str, after_n: int, upto_n: int | None = None):
    """The office's events numbered after `after_n` (up to `upto_n`), in order, fetched in chunks."""
    cursor = conn.execute(f"SELECT {', '.join(EVENT_COLS)} FROM events WHERE office = ? AND n > ? AND n <= ? "
                          "ORDER BY n", (office, after_n, upto_n if upto_n is not None else 2 ** 62))
    while rows := cursor.fetchmany(5000):
        yield from (dict(zip(EVENT_COLS, r)) for r in rows)


def last_event(conn, office: str) -> tuple[int, str | None]:
    """The office's highest event number held here, and that event's hash (0, None when none)."""
    row = conn.execute("SELECT n, hash FROM events WHERE office = ? ORDER BY n DESC LIMIT 1", (office,)).fetchone()
    return (row[0], row[1]) if row else (0, None)


def hash_at(conn, office: str, n: int) -> str | None:
    row = conn.execute("SELECT hash FROM events WHERE office = ? AND n = ?", (office, n)).fetchone()
    return row[0] if row else None


def issues_held(conn) -> int:
    """How many issues the ledger holds."""
    return conn.execute("SELECT count(*) FROM issues").fetchone()[0]


def held_states(conn, ids: list[str]) -> dict[str, IssueState]:
    """The states of those of these issues the ledger holds (issue → state), 500 per query."""
    found: dict[str, IssueState] = {}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        found.update((row[0], IssueState.from_row(row)) for row in conn.execute(
            f"SELECT {', '.join(ISSUE_COLS)} FROM issues WHERE id IN ({', '.join('?' * len(part))})", part))
    return found


def apply_record_event(conn, event: dict, details: dict) -> None:
    """A merged record event (`patrol.add`, `meeting.void`, `patrol.link`, `score.flag`, …)
    changes the receiving ledger's tables as it changed the sender's."""
    kind_name, _, action = event["action"].partition(".")
    if rg.is_register_action(event["action"]):
        rg.apply_event(conn, event, details)
        return
    if kind_name == "score":
        sq.add_mark(conn, details["period"], action, details.get("subject"), details.get("reason"),
                    event["actor"], event["happened_at"], event["hash"])
        return
    kind = KINDS[kind_name]
    if action == "add":
        row = dict(details["record"], event=event["hash"])
        for key in ("found", "attendees", "visited"):
            if row.get(key) is not None and not isinstance(row[key], str):
                row[key] = json.dumps(row[key], ensure_ascii=False)
        rq.insert_many(conn, kind, [row])
        found = details["record"].get("found") or []
        if found:
            rq.link_issues(conn, row["id"], found)
        if details["record"].get("visited"):
            rg.add_visits(conn, row["id"], row["date"], details["record"]["visited"])
    elif action == "void":
        rq.void(conn, kind, event["record"], details.get("reason") or event["note"], event["happened_at"])
        if kind_name == "patrol":
            rq.unlink_patrol(conn, event["record"])
            rg.drop_visits(conn, event["record"])
    elif action == "link":
        rq.link_issues(conn, event["record"], details["issues"])


@dataclass(frozen=True)
class Merge:
    """One office's chain taken in from a bundle (a row of `merges`)."""

    office: str
    received_at: str
    sender: str
    first_n: int | None
    last_n: int
    added: int
    last_hash: str
    source: str


def record_merge(conn, merge: Merge) -> None:
    fields = [f.name for f in dataclass_fields(Merge)]
    conn.execute(f"INSERT INTO merges ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})",
                 astuple(merge))


def merges_by_office(conn) -> list[dict]:
    cols = ("office", "received_at", "sender", "first_n", "last_n", "added", "last_hash", "merges")
    rows = conn.execute("""SELECT m.office, m.received_at, m.sender, m.first_n, m.last_n, m.added, m.last_hash,
            (SELECT count(*) FROM merges x WHERE x.office = m.office)
        FROM merges m WHERE m.id = (SELECT max(id) FROM merges y WHERE y.office = m.office) ORDER BY m.office""")
    return [dict(zip(cols, r)) for r in rows]
