"""SQL for patrols and conduct records, the patrol–issue links, and people and teams lookups."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from gridctl.text import BLANKS, words as record_words
from gridctl.ledger.issues import held_ids

if TYPE_CHECKING:   # the kinds' table is built where a record is read or written: `issue add` reads none
    from gridctl.ledger.kinds import Kind


def next_seq(conn, kind: Kind, office: str, year: int) -> int:
    row = conn.execute(f"SELECT max(seq) FROM {kind.table} WHERE office = ? AND year = ?",
                       (office, year)).fetchone()
    return (row[0] or 0) + 1


def insert_many(conn, kind: Kind, rows: list[dict]) -> None:
    from gridctl.ledger.kinds import columns

    cols = columns(kind)
    conn.executemany(f"INSERT INTO {kind.table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                     [tuple(r.get(c) for c in cols) for r in rows])


def get(conn, kind: Kind, record_id: str) -> dict | None:
    from gridctl.ledger.kinds import columns

    cols = columns(kind)
    row = conn.execute(f"SELECT {', '.join(cols)} FROM {kind.table} WHERE id = ?", (record_id,)).fetchone()
    return dict(zip(cols, row)) if row else None


def by_seq(conn, kind: Kind, office: str, seq: int) -> str | None:
    row = conn.execute(f"SELECT id FROM {kind.table} WHERE office = ? AND seq = ? ORDER BY year DESC LIMIT 1",
                       (office, seq)).fetchone()
    return row[0] if row else None


def void(conn, kind: Kind, record_id: str, reason: str, at: str) -> None:
    conn.execute(f"UPDATE {kind.table} SET voided = 1, void_reason = ?, voided_at = ? WHERE id = ?",
                 (reason, at, record_id))


def link_issues(conn, patrol: str, issues: list[str]) -> None:
    link_pairs(conn, [(patrol, i) for i in issues])


def link_pairs(conn, pairs: list[tuple[str, str]]) -> None:
    """(patrol, issue) links: an issue found on (or added with) a patrol."""
    conn.executemany("INSERT INTO patrol_issues (patrol, issue) VALUES (?, ?)", pairs)


def issues_of(conn, patrols: list[str]) -> dict[str, list[str]]:
    """patrol → the issues linked to it (found on it, or added with --patrol)."""
    out: dict[str, list[str]] = {}
    for i in range(0, len(patrols), 500):
        part = patrols[i:i + 500]
        for patrol, issue in conn.execute(f"SELECT patrol, issue FROM patrol_issues WHERE patrol IN "
                                          f"({', '.join('?' * len(part))}) ORDER BY issue", part):
            out.setdefault(patrol, []).append(issue)
    return out


def unlink_patrol(conn, patrol: str) -> None:
    conn.execute("DELETE FROM patrol_issues WHERE patrol = ?", (patrol,))


def patrol_of(conn, issue: str) -> str | None:
    row = conn.execute("SELECT patrol FROM patrol_issues WHERE issue = ?", (issue,)).fetchone()
    return row[0] if row else None


def patrols_held(conn, ids: list[str]) -> set[str]:
    """Those of `ids` that are patrols of this ledger (voided ones too)."""
    return held_ids(conn, "patrols", ids)


def patrols_of(conn, issues: list[str]) -> dict[str, str]:
    """issue → the patrol it is linked to, for those of `issues` linked to one."""
    out: dict[str, str] = {}
    for i in range(0, len(issues), 500):
        part = issues[i:i + 500]
        out.update((issue, patrol) for patrol, issue in conn.execute(
            f"SELECT patrol, issue FROM patrol_issues WHERE issue IN ({', '.join('?' * len(part))})", part))
    return out


def patrol_on_day(conn, person: str, grid: str, day: str) -> str | None:
    """The live patrol of this person of this grid on this day, if any."""
    row = conn.execute("SELECT id FROM patrols WHERE person = ? AND grid = ? AND date = ? AND voided = 0",
                       (person, grid, day)).fetchone()
    return row[0] if row else None


def patrols_on_days(conn, days: dict[str, tuple[str, str]]) -> dict[tuple[str, str, str], str]:
    """(person, grid, date) → the live patrol's id, for each person's patrols between the first
    and last date given for them (`days`: person → (first, last)); one indexed range a person."""
    held: dict[tuple[str, str, str], str] = {}
    for person, (first, last) in days.items():
        for grid, day, record in conn.execute(
                "SELECT grid, date, id FROM patrols WHERE person = ? AND date BETWEEN ? AND ? AND voided = 0",
                (person, first, last)):
            held.setdefault((person, grid, day), record)
    return held


def patrol_by_key(conn, key: str) -> str | None:
    """The live patrol with this content key (same person, grid, date and notes), if any."""
    row = conn.execute("SELECT id FROM patrols WHERE content_key = ? AND voided = 0", (key,)).fetchone()
    return row[0] if row else None


def patrols_by_keys(conn, keys: list[str]) -> dict[str, dict]:
    """content key → the live patrol with it (id, households, visited as stored), for these keys."""
    found: dict[str, dict] = {}
    for i in range(0, len(keys), 500):
        part = keys[i:i + 500]
        for key, record, households, visited in conn.execute(
                f"SELECT content_key, id, households, visited FROM patrols WHERE voided = 0 AND content_key IN "
                f"({', '.join('?' * len(part))})", part):
            found.setdefault(key, {"id": record, "households": households, "visited": visited})
    return found


def query(conn, kind: Kind, f: dict, limit: int | None = None) -> list[dict]:
    """Records of a kind, newest first: by person, team, unit, grid (with descendants), dates."""
    from gridctl.ledger.kinds import columns

    cols = columns(kind)
    where, params = [], []
    for key in ("person", "team", "unit"):
        if f.get(key) and key in cols:
            where.append(f"{key} = ?")
            params.append(f[key])
    if f.get("team") and kind.name == "patrol":
        where[-1] = ("(team = ? OR person IN (SELECT person FROM team_members WHERE team = ?) "
                     "OR person IN (SELECT leader FROM teams WHERE code = ?))")
        params += [f["team"], f["team"]]
    if f.get("grid"):
        where.append("grid >= ? AND grid < ?")
        params += [f["grid"], f["grid"] + ":"]
    if f.get("since"):
        where.append("date >= ?")
        params.append(f["since"])
    if f.get("until"):
        where.append("date <= ?")
        params.append(f["until"])
    if not f.get("voided"):
        where.append("voided = 0")
    sql = f"SELECT {', '.join(cols)} FROM {kind.table}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY date DESC, id DESC" + (f" LIMIT {int(limit)}" if limit else "")
    return [dict(zip(cols, r)) for r in conn.execute(sql, params)]


def events_of_kind(conn, kind_name: str):
    """(record, action, happened_at, details, hash) of one kind's events, by record then order."""
    return conn.execute("""SELECT record, action, happened_at, details, hash FROM events
        WHERE record IS NOT NULL AND action IN (?, ?) ORDER BY record, seq""",
                        (f"{kind_name}.add", f"{kind_name}.void"))


def all_rows(conn, kind: Kind):
    from gridctl.ledger.kinds import columns

    cols = columns(kind)
    return (dict(zip(cols, r)) for r in conn.execute(f"SELECT {', '.join(cols)} FROM {kind.table} ORDER BY id"))


def find_person(conn: sqlite3.Connection, text: str) -> list[tuple[str, str]]:
    """People whose id is `text`, else whose name is `text`: [(id, name)]."""
    rows = conn.execute("SELECT id, name FROM people WHERE id = ?", (text,)).fetchall()
    return rows or conn.execute("SELECT id, name FROM people WHERE name = ? ORDER BY id", (text,)).fetchall()


def find_team(conn, text: str) -> list[tuple[str, str]]:
    rows = conn.execute("SELECT code, name FROM teams WHERE code = ?", (text,)).fetchall()
    return rows or conn.execute("SELECT code, name FROM teams WHERE name = ?", (text,)).fetchall()


def department_exists(conn, code: str) -> bool:
    return conn.execute("SELECT 1 FROM departments WHERE code = ?", (code,)).fetchone() is not None


def posts_of(conn, person: str, codes: list[str], day: str) -> list[dict]:
    """Posts the person holds on `day` at any of these grids."""
    rows = conn.execute(f"""SELECT grid, role FROM posts WHERE person = ? AND grid IN ({', '.join('?' * len(codes))})
        AND since <= ? AND (until IS NULL OR until >= ?)""", (person, *codes, day, day))
    return [{"grid": g, "role": r} for g, r in rows]


def teams_of(conn, person: str, codes: list[str], day: str) -> list[dict]:
    """Teams the person leads or belongs to on `day` that are assigned to any of these grids."""
    marks = ", ".join("?" * len(codes))
    rows = conn.execute(f"""
        SELECT DISTINCT t.code, tg.grid FROM teams t
        JOIN team_grids tg ON tg.team = t.code AND tg.grid IN ({marks})
             AND tg.since <= ? AND (tg.until IS NULL OR tg.until >= ?)
        WHERE t.retired IS NULL AND (
            (t.leader = ? AND t.since <= ? AND (t.until IS NULL OR t.until >= ?))
            OR EXISTS (SELECT 1 FROM team_members m WHERE m.team = t.code AND m.person = ?
                       AND m.since <= ? AND (m.until IS NULL OR m.until >= ?)))
        ORDER BY t.code""", (*codes, day, day, person, day, day, person, day, day))
    return [{"team": t, "grid": g} for t, g in rows]


def is_team_member(conn, team: str, person: str, day: str) -> bool:
    return conn.execute("""SELECT 1 FROM teams WHERE code = ? AND leader = ? UNION ALL
        SELECT 1 FROM team_members WHERE team = ? AND person = ? AND since <= ? AND (until IS NULL OR until >= ?)""",
                        (team, person, team, person, day, day)).fetchone() is not None


ONE_RECORD = {
    "patrols": ("person", "grid", "date"),
    "meetings": ("unit", "kind", "date"),
    "attendance": ("person", "date", "kind", "reason"),
    "study": ("person", "date", "kind", "notes"),
    "publicity": ("person", "date", "kind", "title"),
    "surveys": ("team", "person", "date"),
}
"""The one-record rules: what makes a record of each table the one already held while it is live
(`patrol_on_day`, `meeting_on_day`, `same_record`, `survey_held` refuse a second). Words
(`_WORDS`) compare trimmed of `text.BLANKS` (one set, Python and SQL alike), a blank as none."""
_WORDS = {"attendance": "reason", "study": "notes", "publicity": "title"}


def first_of_its_kind(table: str, alias: str, live: str = "{e}.voided = 0") -> str:
    """SQL: the record `alias` of `table` counts: no live record of `table` before it (in the order
    rows were written here) is the same record by the one-record rules (`ONE_RECORD`). A ledger
    written by a gridctl before the rules, or merged from one, may hold such repeats (the event
    log keeps every event, a lower office's too); counted once each, as if the rules had held,
    the first written standing for them. `live` is the caller's liveness, `{e}` the other row
    (as of a moment: `({e}.voided = 0 OR {e}.voided_at > ?)`, its parameter given once more)."""
    return (f"NOT EXISTS (SELECT 1 FROM {table} e INDEXED BY {_BY_KEY[table]} WHERE {_same(table, alias)} "
            f"AND {live.format(e='e')})")


_BY_KEY = {"patrols": "patrols_made", "meetings": "meetings_unit", "attendance": "attendance_person",
           "study": "study_person", "publicity": "publicity_person", "surveys": "surveys_team"}
"""The index each table's repeats are looked up by (its key's person or unit, then day): left to
itself the planner took `patrols_grid` (every earlier patrol of the grid: a city month's 359k
patrols 26 s instead of 1.4 s)."""


def _same(table: str, alias: str) -> str:
    """SQL: the row `e` of `table`, written before `alias`, is the same record by `ONE_RECORD`."""
    words = _WORDS.get(table)
    same = " AND ".join(f"{_trimmed('e.' + c)} = {_trimmed(alias + '.' + c)}" if c == words
                        else f"e.{c} = {alias}.{c}" for c in ONE_RECORD[table])
    return f"{same} AND e.rowid < {alias}.rowid"


def _trimmed(column: str) -> str:
    """SQL: the record's words in `column` as compared (`text.words`: trimmed of `text.BLANKS`)."""
    return f"coalesce(trim({column}, {_BLANKS}), '')"


_BLANKS = f"char({', '.join(str(ord(c)) for c in BLANKS)})"


def last_rowids(conn) -> dict[str, int]:
    """table → its last row written so far (0 when none), for each table of `ONE_RECORD`."""
    return {table: conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0] for table in ONE_RECORD}


_NOT_CONTENT = ("content_key", "found", "visited")
"""What a repeat may differ in and still say the same: the patrol's key of its words, its links."""


def repeats(conn, written_before: dict[str, int] | None = None) -> list[dict]:
    """The live records written after the rows `written_before` (table → last row; all when not
    given) that repeat one written before them (`repeats_after`), each as kind, record, the record
    it repeats (`first`), whether the two say the same, and its add event (office, n)."""
    from gridctl.ledger.kinds import KINDS

    return [{"kind": kind.name, "record": record, "first": first, "same": bool(same),
             "office": record.split("-")[0], "n": n}
            for kind in KINDS.values()
            for record, first, same, n in repeats_after(conn, kind, (written_before or {}).get(kind.table, 0))]


def repeats_after(conn, kind: Kind, after: int) -> list[tuple[str, str, bool, int]]:
    """(record, the live record written before it that it repeats, whether they say the same,
    its add event's number) for each live record of `kind` written after the row `after` that
    the one-record rules make the same as one held (`first_of_its_kind`). Empty where none."""
    words = _WORDS.get(kind.table)
    table, same = kind.table, " AND ".join(f"{_trimmed('r.' + c)} = {_trimmed('f.' + c)}" if c == words
                                           else f"r.{c} IS f.{c}" for c in kind.fields if c not in _NOT_CONTENT)
    return conn.execute(f"""SELECT r.id, f.id, {same}, (SELECT n FROM events WHERE action = ? AND record = r.id)
        FROM {table} r JOIN {table} f ON f.rowid = (SELECT e.rowid FROM {table} e INDEXED BY {_BY_KEY[table]}
                                                    WHERE {_same(table, "r")}
                                                    AND e.voided = 0 ORDER BY e.rowid LIMIT 1)
        WHERE r.rowid > ? AND r.voided = 0 ORDER BY r.rowid""", (f"{kind.name}.add", after)).fetchall()


def same_record(conn, kind: str, fields: dict) -> str | None:
    """The live record of this kind (attendance, study, publicity) that `fields` repeat, if any."""
    words = _WORDS[kind]
    keys = [c for c in ONE_RECORD[kind] if c != words]      # person, date, kind: the rule `ONE_RECORD` states
    row = conn.execute(f"""SELECT id FROM {kind} WHERE {" AND ".join(f"{c} = ?" for c in keys)} AND voided = 0
        AND {_trimmed(words)} = ?""", (*(fields[c] for c in keys), record_words(fields.get(words)))).fetchone()
    return row[0] if row else None


def absence_overlapping(conn, person: str, day: str, days: int) -> tuple[str, str, int] | None:
    """The live 不在岗 record of `person` whose days (from its date, calendar days) meet the `days`
    from `day`, if any: (id, date, days). Days absent are summed: a day held twice would count twice."""
    return conn.execute("""SELECT id, date, days FROM attendance INDEXED BY attendance_person
        WHERE person = ? AND kind = 'absent' AND voided = 0 AND date <= date(?, '+' || (? - 1) || ' days')
        AND date(date, '+' || (days - 1) || ' days') >= ? ORDER BY date, rowid LIMIT 1""",
                        (person, day, days, day)).fetchone()


def overlapping_absences(conn, after: int = 0) -> list[dict]:
    """The live 不在岗 records written after the row `after` (all when 0) whose days meet those of a
    live 不在岗 of the same person written before them (`absence_overlapping`'s rule, which an
    older gridctl did not hold), repeats aside (`repeats` names them): each as record, its date
    and days, the record it meets (`first`, the first written), and its add event (office, n).
    The score counts each day once (`scoring.days_absent`)."""
    rows = conn.execute(f"""SELECT r.id, r.date, r.days, f.id, f.date, f.days,
            (SELECT n FROM events WHERE action = 'attendance.add' AND record = r.id)
        FROM attendance r JOIN attendance f ON f.rowid = (
            SELECT b.rowid FROM attendance b INDEXED BY attendance_person WHERE b.person = r.person
            AND b.kind = 'absent' AND b.voided = 0 AND b.rowid < r.rowid
            AND b.date <= date(r.date, '+' || (r.days - 1) || ' days')
            AND date(b.date, '+' || (b.days - 1) || ' days') >= r.date
            AND {first_of_its_kind("attendance", "b")} ORDER BY b.rowid LIMIT 1)
        WHERE r.rowid > ? AND r.kind = 'absent' AND r.voided = 0 AND {first_of_its_kind("attendance", "r")}
        ORDER BY r.rowid""", (after,)).fetchall()
    keys = ("record", "date", "days", "first", "first_date", "first_days", "n")
    return [dict(zip(keys, row)) | {"office": row[0].split("-")[0]} for row in rows]


def absences_meeting_leave(conn, after: int = 0) -> list[tuple]:
    """Live 不在岗 and live 请假 of one person whose days meet, either written after the row `after`
    (all when 0), repeats aside: (person, absence id, date, days, leave id, date, days, the later
    one's id and its add event's number), in the order written. Whether a 销假 ended the leave before the day they share is the
    caller's to fold (`records.weekly.absences_on_leave`)."""
    return conn.execute(f"""SELECT a.person, a.id, a.date, a.days, l.id, l.date, l.days,
            CASE WHEN a.rowid > l.rowid THEN a.id ELSE l.id END,
            (SELECT n FROM events WHERE action = 'attendance.add'
             AND record = CASE WHEN a.rowid > l.rowid THEN a.id ELSE l.id END)
        FROM attendance a JOIN attendance l INDEXED BY attendance_person ON l.person = a.person
            AND l.kind = 'leave' AND l.voided = 0 AND l.date <= date(a.date, '+' || (a.days - 1) || ' days')
            AND date(l.date, '+' || (l.days - 1) || ' days') >= a.date AND {first_of_its_kind("attendance", "l")}
        WHERE a.kind = 'absent' AND a.voided = 0 AND (a.rowid > :after OR l.rowid > :after)
            AND {first_of_its_kind("attendance", "a")}
        ORDER BY max(a.rowid, l.rowid)""", {"after": after}).fetchall()


def meeting_on_day(conn, unit: str, kind: str, day: str) -> str | None:
    """The live meeting of this kind held by this unit on this day, if any."""
    row = conn.execute("SELECT id FROM meetings WHERE unit = ? AND kind = ? AND date = ? AND voided = 0",
                       (unit, kind, day)).fetchone()
    return row[0] if row else None


def survey_held(conn, team: str, person: str, day: str) -> dict | None:
    """The live survey of this team, person and day: its id and figures."""
    row = conn.execute("SELECT id, participants, satisfied, fair, unsatisfied FROM surveys "
                       "WHERE team = ? AND person = ? AND date = ? AND voided = 0", (team, person, day)).fetchone()
    return dict(zip(("id", "participants", "satisfied", "fair", "unsatisfied"), row)) if row else None


def survey_exists(conn, team: str, person: str, day: str) -> bool:
    return survey_held(conn, team, person, day) is not None


def week_obligations(conn, rules: list[dict], monday: str, sunday: str, within: str | None = None) -> list[dict]:
    """Who owes patrols in the week: (person, grid, via, per_week) for each rule (only the grids
    at or below the node `within`, when given)."""
    out = []
    node = {"node": within or "", "end": (within or "") + ":"}
    for rule in rules:
        if rule["who"] == "team":
            rows = conn.execute(f"""
                SELECT m.person, tg.grid, t.code FROM teams t
                JOIN team_grids tg ON tg.team = t.code AND tg.since <= :sun AND (tg.until IS NULL OR tg.until >= :mon)
                JOIN (SELECT team, person, since, until FROM team_members
                      UNION SELECT code, leader, since, until FROM teams) m
                     ON m.team = t.code AND m.since <= :sun AND (m.until IS NULL OR m.until >= :mon)
                WHERE t.retired IS NULL{" AND tg.grid >= :node AND tg.grid < :end" if within else ""}""",
                                {"mon": monday, "sun": sunday, **node})
            out += [{"person": p, "grid": g, "via": f"team:{t}", "per_week": rule["per_week"]} for p, g, t in rows]
        else:
            roles = rule["roles"]
            rows = conn.execute(f"""SELECT person, grid, role FROM posts
                WHERE role IN ({', '.join('?' * len(roles))}) AND since <= ? AND (until IS NULL OR until >= ?)
                {"AND grid >= ? AND grid < ?" if within else ""}""",
                                (*roles, sunday, monday, *((node["node"], node["end"]) if within else ())))
            out += [{"person": p, "grid": g, "via": f"post:{r}", "per_week": rule["per_week"]} for p, g, r in rows]
    return out


def week_patrols(conn, monday: str, sunday: str, as_of: str | None = None,
                 within: str | None = None) -> dict[str, list[tuple[str, int]]]:
    """person → [(grid, patrols)] made in the week (not voided, or voided only after `as_of`;
    only the grids at or below the node `within`, when given). A repeat counts once, as
    `first_of_its_kind` would have it: every live repeat of a patrol (the same person, grid and
    day) meets these conditions too, so the patrols that count are the days each person patrolled
    each grid, found without looking each row up in `patrols_made` (a city week: 100k pages read
    that way, most of that index; 19k this way)."""
    out: dict[str, list[tuple[str, int]]] = {}
    live = "voided = 0" if as_of is None else "(voided = 0 OR voided_at > :as_of)"
    node = " AND grid >= :node AND grid < :end" if within else ""
    for person, grid, n in conn.execute(f"""SELECT person, grid, count(DISTINCT date) FROM patrols
            WHERE date BETWEEN :mon AND :sun AND {live}{node} GROUP BY person, grid""",
                                        {"mon": monday, "sun": sunday, "as_of": as_of, "node": within,
                                         "end": (within or "") + ":"}):
        out.setdefault(person, []).append((grid, n))
    return out


def leave_of(conn, person: str, since: str, until: str) -> list[tuple[str, str, str, int, str]]:
    """(person, kind, date, days, id) of one person's live leave and cancel records dated in
    [since, until]: what `records.weekly.leave_days` folds for one person."""
    return conn.execute("""SELECT person, kind, date, days, id FROM attendance INDEXED BY attendance_person
        WHERE person = ? AND kind IN ('leave', 'cancel') AND voided = 0 AND date BETWEEN ? AND ?""",
                        (person, since, until)).fetchall()


def leave_records(conn, since: str, until: str, as_of: str | None = None) -> list[tuple[str, str, str, int]]:
    """(person, kind, date, days) of leave and cancel records dated in [since, until], live as of."""
    live = "voided = 0" if as_of is None else "(voided = 0 OR voided_at > :as_of)"
    return conn.execute(f"""SELECT person, kind, date, days FROM attendance WHERE kind IN ('leave', 'cancel')
        AND date BETWEEN :since AND :until AND {live}""", {"since": since, "until": until, "as_of": as_of}).fetchall()


def teams_within(conn, node: str, monday: str, sunday: str) -> set[str]:
    """Teams assigned in the week to a grid at or under `node` (a township ledger's own teams)."""
    return {row[0] for row in conn.execute(
        """SELECT DISTINCT team FROM team_grids WHERE substr(grid, 1, ?) = ? AND since <= ?
           AND (until IS NULL OR until >= ?)""", (len(node), node, sunday, monday))}


def week_teams(conn, monday: str, sunday: str) -> list[tuple[str, str]]:
    return conn.execute("""SELECT code, name FROM teams WHERE retired IS NULL AND since <= ?
        AND (until IS NULL OR until >= ?) ORDER BY code""", (sunday, monday)).fetchall()


def week_meetings(conn, kind: str, monday: str, sunday: str) -> dict[str, int]:
    return dict(conn.execute(f"""SELECT unit, count(*) FROM meetings m WHERE kind = ? AND date BETWEEN ? AND ?
        AND voided = 0 AND {first_of_its_kind("meetings", "m")} GROUP BY unit""", (kind, monday, sunday)))
