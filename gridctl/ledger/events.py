"""The append-only, hash-chained event log (one chain per office) and its verification.

Each event carries the SHA-256 of its own content and of the previous event of the same
office. The chain's head (count and last hash) is kept in `ledger_meta` in the same
transaction, so a deleted last event is caught too. No code here updates or deletes an event.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gridctl.ledger.bulk import insert_rows

GENESIS = "0" * 64
EVENT_COLS = ("office", "n", "issue", "record", "action", "from_status", "to_status", "level", "actor",
              "happened_at", "recorded_at", "note", "details", "prev_hash", "hash")
_NULL = "\x1e"  # stands for NULL in the hashed text, so NULL and "" differ
_SEP = "\x1f"   # between the hashed fields
MARKS = (_NULL, _SEP)
"""The two characters the hashed text is built with. No field may hold either: a field holding
U+001E would hash as NULL does, one holding U+001F would shift the fields' boundaries. Nothing
gridctl writes can hold them (control characters are refused at the edge, `bounds`; details are
JSON, which escapes them); `verify` and `merge` refuse a field that does (`plain_row_hash`)."""
_SEPS = len(EVENT_COLS) - 2     # separators between the 14 hashed fields


@dataclass(frozen=True)
class Entry:
    """What an event says (事件), before its office's chain numbers and hashes it: an issue's move
    (`issue`, statuses, level) or something done to another record (`record`: a patrol, a period)."""

    action: str
    actor: str | None
    happened_at: str
    recorded_at: str | None
    issue: str | None = None
    record: str | None = None
    from_status: str | None = None
    to_status: str | None = None
    level: str | None = None
    note: str | None = None
    details: dict | None = None


@dataclass(frozen=True)
class Event:
    """One event as stored: the fields of `EVENT_COLS`, `details` as its JSON text."""

    office: str
    n: int
    issue: str | None
    record: str | None
    action: str
    from_status: str | None
    to_status: str | None
    level: str | None
    actor: str | None
    happened_at: str
    recorded_at: str | None
    note: str | None
    details: str
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, row: dict) -> Event:
        """An event from a row or a bundle line (a mapping with the `EVENT_COLS` keys)."""
        return cls(*(row[c] for c in EVENT_COLS))

    def row(self) -> tuple:
        return tuple(getattr(self, c) for c in EVENT_COLS)

    def as_dict(self) -> dict:
        return dict(zip(EVENT_COLS, self.row()))


def as_event(row: tuple) -> dict:
    """An event row (`EVENT_COLS` values) as the mapping the life cycle's fold and the record
    appliers read (事件): a display, half the time of `dict(zip(EVENT_COLS, row))`, once per event
    an import records or a merge folds."""
    return {"office": row[0], "n": row[1], "issue": row[2], "record": row[3], "action": row[4],
            "from_status": row[5], "to_status": row[6], "level": row[7], "actor": row[8],
            "happened_at": row[9], "recorded_at": row[10], "note": row[11], "details": row[12],
            "prev_hash": row[13], "hash": row[14]}


assert list(as_event(tuple(EVENT_COLS)).items()) == list(zip(EVENT_COLS, EVENT_COLS)), "as_event spells EVENT_COLS"


_sha256 = hashlib.sha256


def _digest(fields) -> str:
    text = _SEP.join([_NULL if f is None else f for f in fields])
    return hashlib.sha256(text.encode()).hexdigest()


def row_hash(row: tuple) -> str:
    """SHA-256 over an event's stored fields (the `EVENT_COLS` values) but its own hash, the last,
    joined with a unit separator, U+001F (details as stored text, NULL as the marker U+001E).

    One of three spellings of the event hash, kept apart on purpose (test_verify's
    `test_the_three_spellings_of_the_event_hash_agree` pins them to the same hash on the same rows,
    NULLs and markers included): this one takes a NULL in any column, as a bundle line lacking a
    column and old ledgers need (`exchange._Chain`, `event_hash`), and checks no marker: the
    recorder hashes what `bounds` let in. `plain_row_hash` adds merge's checks; `verify_chains`
    joins the bytes SQLite returns, never decoded. (`_digest` spelled out: no tuple made between,
    an import hashes one a row and event.)"""
    office = row[0]
    return _sha256(_SEP.join([_NULL if office is None else office, str(row[1]),
                              *[_NULL if f is None else f for f in row[2:14]]]).encode()).hexdigest()


def bytes_row_hash(row: tuple, raw: bytes) -> str:
    """`row_hash` of a row whose details (`row[12]`) the caller holds as their UTF-8 bytes too
    (`raw`, orjson's: an import's add): the fields before them and the link after them encoded
    on their own and the details' bytes hashed as they are, rather than joined into one text of
    ~750 characters and that encoded again (an add's text and hash: ~30 % sooner). The fourth
    spelling, for the recorder only; test_verify pins it to the other three on every stored event."""
    office = row[0]
    digest = _sha256(_SEP.join([_NULL if office is None else office, str(row[1]),
                                *[_NULL if f is None else f for f in row[2:12]], ""]).encode())
    digest.update(raw)
    digest.update((_SEP + row[13]).encode())
    return digest.hexdigest()


class Marked(ValueError):
    """An event's field holds U+001E or U+001F (`MARKS`): its hash would not tell it apart."""


def plain_row_hash(row: tuple) -> str:
    """`row_hash`, or `Marked` when a hashed field holds one of `MARKS` (`marked_field` names it).

    Checked on the joined text, two counts in C: it holds one separator per boundary and one
    U+001E per NULL exactly when no field holds either. Spelled out field by field (the columns
    that may be NULL: issue 2, record 3, from_status 5, to_status 6, level 7, actor 8, note 11),
    which pays for the check: merge's hash of every event costs what `row_hash` costs. A NULL in
    another column raises TypeError, as any value that is not a text does.

    Not `row_hash` with checks added: bundle_checks relies on that TypeError to send a line with
    a NULL where none may be to the column checks, which `row_hash`'s marker for any NULL would
    hide (a hash that fails instead of a column named), and a second pass over the fields would
    cost what the two counts save. Pinned to `row_hash` and `verify_chains` by test_verify's
    `test_the_three_spellings_of_the_event_hash_agree`."""
    i, r, f, t, lv, a, note = row[2], row[3], row[5], row[6], row[7], row[8], row[11]
    text = _SEP.join((row[0], str(row[1]), _NULL if i is None else i, _NULL if r is None else r, row[4],
                      _NULL if f is None else f, _NULL if t is None else t, _NULL if lv is None else lv,
                      _NULL if a is None else a, row[9], row[10], _NULL if note is None else note, row[12], row[13]))
    if text.count(_SEP) != _SEPS or text.count(_NULL) != (
            (i is None) + (r is None) + (f is None) + (t is None) + (lv is None) + (a is None) + (note is None)):
        raise Marked(marked_field(row))
    return hashlib.sha256(text.encode()).hexdigest()


def marked_field(row: tuple) -> str | None:
    """The first hashed column (of `EVENT_COLS`) whose text holds one of `MARKS`, or None."""
    for col, value in zip(EVENT_COLS[:14], row):
        if isinstance(value, bytes):        # a BLOB put in by hand
            value = value.decode(errors="replace")
        if isinstance(value, str) and (_NULL in value or _SEP in value):
            return col
    return None


def event_hash(event: Event) -> str:
    """`row_hash` of an `Event`."""
    return row_hash(event.row())


def legacy_event_hash(event: Event) -> str | None:
    """The hash an event got before events had a `record` field (ledgers made before m002 gained
    the column, repaired by m007); None for an event about a record, which cannot be one."""
    e = event
    if e.record is not None:
        return None
    return _digest((e.office, str(e.n), e.issue, e.action, e.from_status, e.to_status, e.level, e.actor,
                    e.happened_at, e.recorded_at, e.note, e.details, e.prev_hash))


def legacy_bounds(conn: sqlite3.Connection) -> dict[str, int]:
    """Per office, the last event hashed without `record` (written by m007 on upgrade)."""
    rows = conn.execute("SELECT key, value FROM ledger_meta WHERE key LIKE 'legacy_hash:%'")
    return {key.partition(":")[2]: int(value) for key, value in rows}


def set_legacy_bound(conn: sqlite3.Connection, office: str, n: int) -> None:
    conn.execute("INSERT INTO ledger_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                 "SET value = max(CAST(value AS INTEGER), excluded.value)", (f"legacy_hash:{office}", str(n)))


_DETAILS = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_MAKE_ENCODER = getattr(json.encoder, "c_make_encoder", None)    # None where _json is not built
_C_ENCODER = None if _MAKE_ENCODER is None else _MAKE_ENCODER(
    None, _DETAILS.default, json.encoder.encode_basestring, None, ":", ",", True, False, True)
"""`_DETAILS`'s C encoder itself, made once (`JSONEncoder.encode` makes it again on every call);
the same text. Details are plain dicts built here, never circular, so no circle check."""
_C_IN_ORDER = None if _MAKE_ENCODER is None else _MAKE_ENCODER(
    None, _DETAILS.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
"""The same encoder keeping each dict's own key order: for details built with their keys sorted."""


def details_text(details: dict | None, in_order: bool = False) -> str:
    """An event's details as stored and hashed: compact JSON, keys sorted, CJK as itself
    (one encoder built once: `json.dumps` with options builds a new one per call).

    `in_order`: the caller built every dict in `details` with its keys already in sorted order
    and holds no float in them (an issue's add, 25 fields of text, whole numbers and None), so
    they are not sorted again and orjson writes them: the same text (`_in_order_bytes`)."""
    if in_order and details:
        raw = _in_order_bytes(details)
        if raw is not None:
            return raw.decode()
    encoder = _C_IN_ORDER if in_order else _C_ENCODER
    if encoder is None or not details:
        return _DETAILS.encode(details or {})
    return "".join(encoder(details, 0))


def _in_order_bytes(details: dict) -> bytes | None:
    """`details` written by orjson in their own key order: the text `_C_IN_ORDER` writes, as UTF-8, for
    dicts, lists, texts, whole numbers within 64 bits, booleans and None (every character as
    itself but `"`, `\\` and those below U+0020, escaped alike: checked on every code point by
    test_import_routing), in a quarter of the time (an add: 16 against 4 µs with the decoding).
    A float would be written otherwise (1e-07 as 1e-7), so an in-order caller has none. None where
    orjson refuses what json writes or refuses (a number past 64 bits, a key that is not a text,
    a lone surrogate): `json` then writes it, or refuses it, as it always did."""
    try:
        return _orjson_dumps()(details)
    except TypeError:                       # orjson.JSONEncodeError is one
        return None


@functools.cache
def _orjson_dumps() -> Callable[..., bytes]:
    """orjson's `dumps`, imported on first use: a command that records no add never loads it.
    Objects json cannot write (a dataclass, a datetime) are handed back to it, refused as before."""
    import orjson

    return functools.partial(orjson.dumps, option=orjson.OPT_PASSTHROUGH_DATACLASS
                             | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS)


def shared_details(size: int = 4096) -> Callable[[str], Any]:
    """`json.loads` for events' details that remembers the last `size` texts: details that repeat
    from event to event (`{}`, a deadline, a callback result) are parsed once and the same dict is
    returned each time, so callers only read it (the life cycle does). `functools.lru_cache`
    keeps the look-up in C."""
    return functools.lru_cache(maxsize=size)(json.loads)


def head(conn: sqlite3.Connection, office: str) -> tuple[int, str]:
    row = conn.execute("SELECT value FROM ledger_meta WHERE key = ?", (f"head:{office}",)).fetchone()
    if not row:
        return 0, GENESIS
    n, _, last = row[0].partition(":")
    return int(n), last


def set_head(conn, office: str, n: int, last: str) -> None:
    """The chain's head (count and last hash), written in the transaction that appended to it."""
    conn.execute("INSERT INTO ledger_meta (key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (f"head:{office}", f"{n}:{last}"))


class Chain:
    """Appends events for one office inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection, office: str):
        self.conn, self.office = conn, office
        self.n, self.last = head(conn, office)
        self.pending: list[tuple] = []

    def append(self, entry: Entry) -> Event:
        """The entry as the office's next event, hashed onto the last; written by `flush`."""
        return Event(*self.add(entry))

    def add(self, entry: Entry) -> tuple:
        """`append` as the stored row (the `EVENT_COLS` values), for callers recording many events."""
        e = entry
        return self.add_values(e.issue, e.record, e.action, e.from_status, e.to_status, e.level, e.actor,
                               e.happened_at, e.recorded_at, e.note, e.details)

    def add_values(self, *said, in_order: bool = False, text: str | None = None) -> tuple:
        """`add` of an entry's values in stored order (`EVENT_COLS` from `issue` to `details`),
        no `Entry` made: the recorder appends one per issue move, an import hundreds of thousands.
        `in_order`: as `details_text` takes it. `text`: `details_text` of these details, which the
        caller made once for events that repeat them (an import's automatic escalations)."""
        self.n += 1
        raw = _in_order_bytes(said[10]) if in_order and text is None and said[10] else None
        if raw is not None:         # (an add's: hashed from orjson's bytes, its text decoded once to be stored)
            fields = (self.office, self.n, *said[:10], raw.decode(), self.last)
            self.last = bytes_row_hash(fields, raw)
        else:
            fields = (self.office, self.n, *said[:10], details_text(said[10], in_order) if text is None else text,
                      self.last)
            self.last = row_hash(fields)
        row = (*fields, self.last)
        self.pending.append(row)
        return row

    def flush(self) -> None:
        write_events(self.conn, self.take())

    def take(self) -> Appended:
        """The events appended since the last `take`, with the chain's head after them, handed
        over to be written (`write_events`); the chain starts a new list."""
        taken = Appended(self.office, self.pending, self.n, self.last)
        self.pending = []
        return taken


@dataclass(frozen=True)
class Appended:
    """Events a chain appended (stored rows, in order) and its head after the last of them."""

    office: str
    rows: list[tuple]
    n: int
    last: str


_INSERT = f"INSERT INTO events ({', '.join(EVENT_COLS)}) VALUES {{values}}"


_DAYS = ("INSERT INTO event_days (day, last_seq) SELECT substr(happened_at, 1, 10), max(seq) FROM events "
         "WHERE seq > ? GROUP BY 1 ON CONFLICT(day) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)")


def insert_events(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """Events as stored: rows of the `EVENT_COLS` values, many rows per statement (one step
    without the GIL each, `bulk.insert_rows`); and the last of them dated on each day in
    `event_days` (`last_dated`), read back by one statement from the rows just written (those
    after the newest before them), where an SQL trigger cost 40 % of the insert's time. In SQL
    rather than a mapping made in Python: a merge's writer thread then leaves the interpreter
    to the thread that reads and folds the next batch (~0.25 s of a district year)."""
    if not rows:
        return
    newest = conn.execute("SELECT max(seq) FROM events").fetchone()[0] or 0
    insert_rows(conn, _INSERT, len(EVENT_COLS), rows)
    conn.execute(_DAYS, (newest,))


_LAST_DATED = """SELECT {cols} FROM events
    WHERE seq <= (SELECT max(last_seq) FROM event_days WHERE day <= substr(:as_of, 1, 10))
        AND happened_at <= :as_of ORDER BY seq DESC LIMIT 1"""


def last_dated(conn: sqlite3.Connection, as_of: str, cols: str) -> tuple | None:
    """`cols` of the last event in the chain (the largest `seq`) dated at or before `as_of`.
    Every event after the last one dated on or before as_of's day (`event_days`) is dated after
    as_of, so the events are read backwards from that one: it is the answer when as_of ends its
    day (a period's end, 23:59); as_of now, the day's own events at most. Read backwards from
    the newest, a city's 2026Q3 as of its end went through Q4's 821k events first (13.8 s on a
    cold page cache)."""
    return conn.execute(_LAST_DATED.format(cols=cols), {"as_of": as_of}).fetchone()


def write_events(conn: sqlite3.Connection, appended: Appended) -> None:
    """Insert appended events and move the chain's head to the last of them (nothing if none)."""
    if appended.rows:
        insert_events(conn, appended.rows)
        set_head(conn, appended.office, appended.n, appended.last)


@dataclass
class Break:
    """The first place a chain does not hold."""

    office: str
    n: int
    seq: int | None
    subject: str | None     # the issue or record the event concerns
    action: str | None
    kind: str        # edited | missing | inserted | relinked | truncated | marked
    field: str | None = None    # marked: the column holding U+001E or U+001F


_HASHED = ("office", "CAST(n AS TEXT)", "issue", "record", "action", "from_status", "to_status", "level",
           "actor", "happened_at", "recorded_at", "note", "details", "prev_hash")
_VERIFY_SQL = ("SELECT seq, office, n, hash, " + " + ".join(f"({c} IS NULL)" for c in _HASHED) + ", "
               + ", ".join(f"ifnull({c}, char(30))" for c in _HASHED) + " FROM events ORDER BY seq")


def verify_chains(conn: sqlite3.Connection) -> tuple[dict[str, int], Break | None]:
    """Walk every office's chain in one pass in recording order; stop at the first break.

    Returns events checked per office. Rows come back as bytes with NULL already replaced by
    the marker and their count of NULLs beside them, so each event costs one join, two counts
    (a field holding a marker: `MARKS`) and one SHA-256 (no text decoding).

    The third spelling of the event hash (`_HASHED`, beside `row_hash` and `plain_row_hash`): on
    bytes with SQL's `ifnull`, because decoding every field to call either of those would cost
    more than the hashing (verify --deep re-hashes a city's millions of events). Pinned to them by
    test_verify's `test_the_three_spellings_of_the_event_hash_agree`.
    """
    state: dict[bytes, list] = {}        # office → [events seen, last hash]
    sha256, sep, null = hashlib.sha256, _SEP.encode(), _NULL.encode()
    legacy = {office.encode(): n for office, n in legacy_bounds(conn).items()}
    conn.text_factory = bytes
    try:
        for row in conn.execute(_VERIFY_SQL):
            seq, office, n, stored = row[0], row[1], row[2], row[3]
            seen = state.setdefault(office, [0, GENESIS.encode()])
            if n != seen[0] + 1:
                if n > seen[0] + 1:
                    return _counts(state), Break(office.decode(), seen[0] + 1, None, None, None, "missing")
                return _counts(state), _break(conn, office, n, seq, "relinked")
            text = sep.join(row[5:])
            if text.count(sep) != _SEPS or text.count(null) != row[4]:
                return _counts(state), _break(conn, office, n, seq, "marked")
            if sha256(text).hexdigest().encode() != stored and not (
                    n <= legacy.get(office, 0) and row[8] == null
                    and sha256(sep.join(row[5:8] + row[9:])).hexdigest().encode() == stored):
                return _counts(state), _break(conn, office, n, seq, "edited")
            if row[-1] != seen[1]:
                return _counts(state), _break(conn, office, n, seq, "relinked")
            seen[0], seen[1] = n, stored
    finally:
        conn.text_factory = str
    for office in offices(conn):
        seen = state.setdefault(office.encode(), [0, GENESIS.encode()])
        count, last = head(conn, office)
        if seen[0] > count:
            extra = conn.execute("SELECT seq FROM events WHERE office = ? AND n = ?",
                                 (office, count + 1)).fetchone()
            return _counts(state), _break(conn, office, count + 1, extra[0], "inserted")
        if seen[0] < count or (count and last.encode() != seen[1]):
            return _counts(state), Break(office, seen[0] + 1, None, None, None, "truncated")
    return _counts(state), None


def _counts(state: dict[bytes, list]) -> dict[str, int]:
    return {office.decode(): seen[0] for office, seen in state.items()}


def _break(conn, office, n, seq, kind) -> Break:
    conn.text_factory = str
    row = conn.execute(f"SELECT {', '.join(EVENT_COLS)} FROM events WHERE seq = ?", (seq,)).fetchone()
    office = office.decode() if isinstance(office, bytes) else office
    field = marked_field(row) if kind == "marked" else None
    return Break(office, n, seq, row[2] or row[3], row[4], kind, field)


def offices(conn: sqlite3.Connection) -> list[str]:
    """Every office with a chain in this ledger: those with events and those with a head."""
    found = {o for (o,) in conn.execute("SELECT DISTINCT office FROM events")}
    found |= {k[5:] for (k,) in conn.execute("SELECT key FROM ledger_meta WHERE key LIKE 'head:%'")}
    return sorted(found)
