"""SQL for the issues projection, its full-text index and the issue timeline."""

from __future__ import annotations

import sqlite3
from dataclasses import MISSING, dataclass, fields
from operator import attrgetter

from gridctl.ledger.bulk import insert_rows

STATUSES = ("reported", "accepted", "dispatched", "handled", "closed", "rejected")
OPEN = ("reported", "accepted", "dispatched", "handled")

@dataclass(kw_only=True)
class IssueState:
    """An issue's current state (问题当前状态): one row of the `issues` projection, the fold of its
    events (`issues.lifecycle.apply_event`). Reports, scoring, export and `issue show` read it."""

    id: str
    office: str
    year: int
    seq: int
    grid: str
    category: str
    source: str
    title: str
    place: str | None = None
    reporter: str | None = None
    phone: str | None = None
    ref: str | None = None
    content_key: str | None = None
    status: str
    level: str
    holder: str | None = None
    authority: str | None = None
    lead_person: str | None = None
    lead_role: str | None = None
    lead_grid: str | None = None
    department: str | None = None
    team: str | None = None
    assignee: str | None = None
    assignee_kind: str | None = None
    deadline_rule: str | None = None
    deadline_unit: str | None = None
    deadline: str | None = None
    accept_due: str | None = None
    due: str | None = None
    found_at: str
    reported_at: str
    accepted_at: str | None = None
    dispatched_at: str | None = None
    handled_at: str | None = None
    closed_at: str | None = None
    rejected_at: str | None = None
    late_report: int = 0
    escalations: int = 0
    reworks: int = 0
    reopens: int = 0
    extensions: int = 0
    extended_days: int = 0
    callback: str | None = None
    callback_at: str | None = None
    on_the_spot: int = 0
    events: int = 0
    last_event: str | None = None
    last_action: str | None = None
    last_note: str | None = None
    updated_at: str | None = None

    @classmethod
    def from_row(cls, row) -> IssueState:
        """A row of `issues` selected as `STATE_KEYS` (no checks: the projection holds whole states)."""
        state = _new(cls)
        state.__dict__ = dict(zip(STATE_KEYS, row))
        return state

    @classmethod
    def from_fields(cls, *given: dict) -> IssueState:
        """A state from the fields an `add` event carries (later mappings win), every other at its
        default. No checks: `issues.lifecycle` checks what a merged add carries and sets the rest."""
        fields = _DEFAULTS.copy()
        for values in given:
            fields.update(values)
        state = _new(cls)
        state.__dict__ = fields
        return state

    def row(self) -> tuple:
        """The state as a row of `issues`, in `STATE_KEYS` order: read off the state's own mapping
        when it holds the columns, in their order and nothing else (as the states of a fold are:
        made from a row or an add's fields over the defaults, then only set), one tuple of its
        values rather than 50 attributes read (best of 15 on 5,000 district states: 1.26 against
        1.62 µs a call; a state otherwise is read attribute by attribute, as before). Told by their
        number: a state's mapping holds the columns in order whenever it holds no other key, since
        every state starts in `STATE_KEYS` order (a row, the defaults, a copy, the dataclass's
        `__init__`) and only sets its fields after; comparing the 50 names cost as much as the values."""
        fields = self.__dict__
        return tuple(fields.values()) if len(fields) == _WIDTH else _row(self)

    def called_back(self) -> bool:
        """回访 recorded since the issue was last closed (`callback_held`)."""
        return callback_held(self.callback_at, self.closed_at)

    def copy(self) -> IssueState:
        """A shallow copy, as fast as copying a dict (the fold copies on every event)."""
        state = _new(IssueState)
        state.__dict__ = self.__dict__.copy()
        return state

    def as_dict(self) -> dict:
        """The state as `--json` shows it (keys = `STATE_KEYS`, in order)."""
        return dict(zip(STATE_KEYS, _row(self)))


def callback_held(callback_at: str | None, closed_at: str | None) -> bool:
    """A closing has its 回访 when the last callback came at or after the close (after `reopen`
    and a new close, none yet). One a closing: a later callback counts only as a correction
    (`corrects` in its details); one recorded without (a ledger written before the rule, merged
    or not) stays in the history and leaves the first counted, as if the rule had held."""
    return callback_at is not None and closed_at is not None and callback_at >= closed_at


STATE_KEYS = tuple(f.name for f in fields(IssueState))
"""The columns of the `issues` projection, in the order of IssueState's fields."""
_row = attrgetter(*STATE_KEYS)
_WIDTH = len(STATE_KEYS)
_DEFAULTS = {f.name: None if f.default is MISSING else f.default for f in fields(IssueState)}
_new = object.__new__

ISSUE_COLS = STATE_KEYS
OPEN_SQL = "status NOT IN ('closed', 'rejected')"
"""An open issue (`OPEN`) as the queries that read `issues_open_due` say it: the condition of that
partial index, word for word (SQLite uses it only then). Every stored status is one of `STATUSES`,
so it holds the same issues as `status IN OPEN`; two values, because SQLite builds an IN list of
more than two anew for every row it writes to the index (m025)."""
assert OPEN_SQL == f"status NOT IN ({', '.join(repr(s) for s in STATUSES if s not in OPEN)})", "OPEN_SQL spells OPEN"
_UPSERT = (f"INSERT INTO issues ({', '.join(ISSUE_COLS)}) VALUES {{values}} "
           f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in ISSUE_COLS[1:])}")


def save_many(conn: sqlite3.Connection, states: list[IssueState]) -> None:
    save_rows(conn, [_row(s) for s in states])


def save_rows(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """Issues' states as rows (`IssueState.row()`), inserted or replacing the stored ones."""
    insert_rows(conn, _UPSERT, len(ISSUE_COLS), rows)


_INSERT = f"INSERT INTO issues ({', '.join(ISSUE_COLS)}) VALUES {{values}}"


def insert_new_rows(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """`save_rows` for issues the ledger does not hold yet (a merge knows which): a plain insert,
    without the upsert's conflict clause."""
    insert_rows(conn, _INSERT, len(ISSUE_COLS), rows)


def get(conn, issue_id: str) -> IssueState | None:
    row = conn.execute(f"SELECT {', '.join(ISSUE_COLS)} FROM issues WHERE id = ?", (issue_id,)).fetchone()
    return IssueState.from_row(row) if row else None


def held_ids(conn, table: str, ids: list[str]) -> set[str]:
    """Those of `ids` that are rows of `table` (a table keyed by `id`: issues, patrols), asked 500 at a time."""
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        found |= {r for (r,) in conn.execute(f"SELECT id FROM {table} WHERE id IN ({', '.join('?' * len(part))})", part)}
    return found


def existing_ids(conn, ids: list[str]) -> set[str]:
    return held_ids(conn, "issues", ids)


def by_seq(conn, office: str, seq: int) -> str | None:
    """The newest issue of this office with this short number (`42`)."""
    row = conn.execute("SELECT id FROM issues WHERE office = ? AND seq = ? ORDER BY year DESC LIMIT 1",
                       (office, seq)).fetchone()
    return row[0] if row else None


def id_of_ref(conn, ref: str) -> str | None:
    """The issue recorded with this 编号 (the clerk's own number), if exactly one."""
    rows = conn.execute("SELECT id FROM issues WHERE ref = ? LIMIT 2", (ref,)).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def next_seq(conn, office: str, year: int) -> int:
    row = conn.execute("SELECT max(seq) FROM issues WHERE office = ? AND year = ?", (office, year)).fetchone()
    return (row[0] or 0) + 1


def index_text(conn, rows: list[tuple[str, str, str | None, str]]) -> None:
    """Add new issues to the full-text index: (issue, title, place, notes), each under its
    `issues` row number, many rows per statement (`bulk.insert_rows`)."""
    insert_rows(conn, "INSERT INTO issue_text (rowid, issue, title, place, notes) "
                      "SELECT (SELECT num FROM issues WHERE id = v.column1), column1, column2, column3, column4 "
                      "FROM (VALUES {values}) AS v", 4, rows)


def append_notes(conn, notes: dict[str, list[str]]) -> None:
    """Add each issue's new notes to its full-text row (issue → notes in order), many issues
    per statement (`bulk.insert_rows`; each full-text row found by its rowid)."""
    insert_rows(conn, "UPDATE issue_text SET notes = coalesce(issue_text.notes, '') || ' ' || v.column2 "
                      "FROM (VALUES {values}) AS v JOIN issues ON issues.id = v.column1 "
                      "WHERE issue_text.rowid = issues.num", 2,
                [(issue_id, " ".join(texts)) for issue_id, texts in notes.items()])


SHEET_FIELDS = ("grid", "category", "source", "title", "found_at", "place", "reporter", "phone", "reported_at")
"""What an import sheet's row gives of an issue, as the ledger stores it (never changed once recorded)."""
_KEYS = {"ref": "ref", "key": "content_key"}


def held_as_given(conn, refs: list[str], keys: list[str], given: tuple[str, ...]) -> dict[tuple[str, str], tuple]:
    """The issues holding these import refs (编号) and content keys: ("ref", ref) or ("key", content
    key) → (key, *`SHEET_FIELDS`, id) of one of them (where a ledger holds two under one key, any),
    NULL for a field not in `given` (a sheet without its column): a tuple compared whole."""
    assert set(given) <= set(SHEET_FIELDS), given
    columns = ", ".join(name if name in given else "NULL" for name in SHEET_FIELDS)
    found: dict[tuple[str, str], tuple] = {}
    for kind, wanted in (("ref", refs), ("key", keys)):
        column = _KEYS[kind]
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk:chunk + 500]
            found.update(((kind, row[0]), row) for row in conn.execute(
                f"SELECT {column}, {columns}, id FROM issues WHERE {column} IN ({', '.join('?' * len(part))})", part))
    return found


def held_values(conn, keys: list[tuple[str, str]]) -> dict[tuple[str, str], list[tuple]]:
    """The issues the ledger holds under these keys (("ref", 编号) or ("key", content key)): key →
    (id, *`SHEET_FIELDS`) of each, by id (a ledger may hold two under one key)."""
    found: dict[tuple[str, str], list[tuple]] = {}
    for kind, column in _KEYS.items():
        given = [key for k, key in keys if k == kind]
        for chunk in range(0, len(given), 500):
            part = given[chunk:chunk + 500]
            for key, *values in conn.execute(f"SELECT {column}, id, {', '.join(SHEET_FIELDS)} FROM issues "
                                             f"WHERE {column} IN ({', '.join('?' * len(part))}) ORDER BY id", part):
                found.setdefault((kind, key), []).append(tuple(values))
    return found


def timeline(conn, issue_id: str) -> list[dict]:
    cols = ("seq", "office", "n", "action", "from_status", "to_status", "level", "actor",
            "happened_at", "recorded_at", "note", "details", "hash")
    rows = conn.execute(f"SELECT {', '.join(cols)} FROM events WHERE issue = ? ORDER BY seq", (issue_id,))
    return [dict(zip(cols, r)) for r in rows]


def query(conn, filters: dict, as_of: str, yellow_at: float, limit: int | None) -> tuple[list[IssueState], int]:
    """Issues matching `filters`, newest first, and how many matched in all."""
    where, params = _where(filters, as_of, yellow_at)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = conn.execute(f"SELECT count(*) FROM issues {clause}", params).fetchone()[0]
    sql = f"SELECT {', '.join(ISSUE_COLS)} FROM issues {clause} ORDER BY reported_at DESC, id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [IssueState.from_row(r) for r in conn.execute(sql, params)], total


def count(conn, filters: dict, as_of: str, yellow_at: float) -> int:
    """How many issues match (what `stream` will yield), for a progress bar's total."""
    where, params = _where(filters, as_of, yellow_at)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return conn.execute(f"SELECT count(*) FROM issues {clause}", params).fetchone()[0]


def stream(conn, filters: dict, as_of: str, yellow_at: float, batch: int = 2000):
    """Matching issues in batches, newest first, without holding them all in memory."""
    where, params = _where(filters, as_of, yellow_at)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    cursor = conn.execute(f"SELECT {', '.join(ISSUE_COLS)} FROM issues {clause} "
                          "ORDER BY reported_at DESC, id DESC", params)
    while rows := cursor.fetchmany(batch):
        yield [IssueState.from_row(r) for r in rows]


def _where(f: dict, as_of: str, yellow_at: float) -> tuple[list[str], list]:
    where, params = [], []
    if f.get("grid"):
        where.append("grid >= ? AND grid < ?")
        params += [f["grid"], f["grid"] + ":"]
    for key in ("status", "category", "source"):
        if f.get(key):
            where.append(f"{key} = ?")
            params.append(f[key])
    if f.get("open"):
        where.append(OPEN_SQL)
    if f.get("overdue") or f.get("colour") == "red":
        where.append(f"{OPEN_SQL} AND due < ?")
        params.append(as_of)
    elif f.get("colour") in ("green", "yellow"):
        start = "coalesce(accepted_at, reported_at)"
        used = f"(julianday(?) - julianday({start})) / (julianday(due) - julianday({start}))"
        op = "<" if f["colour"] == "green" else ">="
        where.append(f"{OPEN_SQL} AND due >= ? AND {used} {op} ?")
        params += [as_of, as_of, yellow_at]
    if f.get("since"):
        where.append("reported_at >= ?")
        params.append(f["since"])
    if f.get("until"):
        where.append("reported_at <= ?")
        params.append(f["until"] + " 23:59")
    if f.get("assigned"):
        where.append("(department = ? OR team = ? OR assignee = ?)")
        params += [f["assigned"]] * 3
    if f.get("ids") is not None:
        where.append(f"id IN ({', '.join('?' * len(f['ids']))})" if f["ids"] else "0")
        params += list(f["ids"])
    return where, params


def search(conn, text: str, limit: int) -> list[str]:
    """Issue ids whose title, place or notes contain `text` (substring, Chinese included)."""
    if len(text) >= 3:
        phrase = '"' + text.replace('"', '""') + '"'
        rows = conn.execute("SELECT issue FROM issue_text WHERE issue_text MATCH ? LIMIT ?", (phrase, limit))
    else:  # trigram needs three characters; short words scan
        like = f"%{text}%"
        rows = conn.execute("SELECT issue FROM issue_text WHERE title LIKE ? OR place LIKE ? "
                            "OR notes LIKE ? LIMIT ?", (like, like, like, limit))
    return [r[0] for r in rows]


def events_by_issue(conn):
    """Every issue event, grouped by issue in recording order (for replaying the projection)."""
    return conn.execute("SELECT issue, action, to_status, level, happened_at, note, details, hash "
                        "FROM events WHERE issue IS NOT NULL ORDER BY issue, seq")


def called_back_twice(conn) -> list[str]:
    """The issues holding more than one 回访 event (one read of the events: no index holds their
    action), in id order; whether each later one counts is the fold's to say."""
    return [i for (i,) in conn.execute(
        "SELECT issue FROM events WHERE action = 'callback' GROUP BY issue HAVING count(*) > 1 ORDER BY issue")]


def events_of(conn, issues: list[str]):
    """The events of `issues` as (office, n, issue, action, to_status, level, happened_at, note,
    details, hash), grouped by issue in recording order."""
    return conn.execute(f"""SELECT office, n, issue, action, to_status, level, happened_at, note, details, hash
        FROM events WHERE issue IN ({", ".join("?" * len(issues))}) ORDER BY issue, seq""", issues)


def state_rows(conn, keys: tuple[str, ...]):
    """Every issue's `keys` as a tuple, in id order (`id` first among the keys)."""
    return conn.execute(f"SELECT {', '.join(keys)} FROM issues ORDER BY id")


def near(conn, grid: str, category: str, since: str, until: str) -> list[tuple[str, str, str, str]]:
    """(id, title, status, reported at) of the issues of this grid and category reported between
    `since` and `until`, rejected ones aside: the possible duplicates' candidates."""
    return conn.execute("SELECT id, title, status, reported_at FROM issues WHERE grid = ? AND category = ? "
                        "AND reported_at BETWEEN ? AND ? AND status != 'rejected' ORDER BY reported_at LIMIT 1000",
                        (grid, category, since, until)).fetchall()


def last_num(conn) -> int:
    """The number of the issue recorded last (0 in an empty ledger): the issues an import records
    in its write transaction are those numbered after it, in the order recorded."""
    return conn.execute("SELECT ifnull(max(num), 0) FROM issues").fetchone()[0]


def groups_after(conn, num: int, limit: int) -> list[tuple[str, str]]:
    """The (grid, category) of the issues numbered after `num`, each once, at most `limit`."""
    return conn.execute("SELECT DISTINCT grid, category FROM issues WHERE num > ? LIMIT ?", (num, limit)).fetchall()


def span_after(conn, num: int, grid: str, category: str) -> tuple[str, str]:
    """The first and last reported time of this grid and category's issues numbered after `num`."""
    return conn.execute("SELECT min(reported_at), max(reported_at) FROM issues "
                        "WHERE grid = ? AND category = ? AND num > ?", (grid, category, num)).fetchone()


def titles_after(conn, num: int, grid: str, category: str):
    """(id, number, title, reported at) of this grid and category's issues numbered after `num`, streamed."""
    return conn.execute("SELECT id, num, title, reported_at FROM issues WHERE grid = ? AND category = ? AND num > ?",
                        (grid, category, num))


def near_numbered(conn, grid: str, category: str, since: str, until: str) -> list[tuple[str, str, str, str, int]]:
    """`near`, each with the issue's number."""
    return conn.execute("SELECT id, title, status, reported_at, num FROM issues WHERE grid = ? AND category = ? "
                        "AND reported_at BETWEEN ? AND ? AND status != 'rejected' ORDER BY reported_at LIMIT 1000",
                        (grid, category, since, until)).fetchall()


def duplicates_of(conn, issue_id: str) -> list[str]:
    """The issues rejected as duplicates of this one (`issue reject --duplicate-of`), oldest first.
    Reject events are found by their `duplicate_of` (the partial index `events_duplicate_of`)."""
    return [r[0] for r in conn.execute(
        "SELECT issue FROM events WHERE action = 'reject' AND json_extract(details, '$.duplicate_of') = ? "
        "ORDER BY seq", (issue_id,))]
