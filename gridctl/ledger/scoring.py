"""SQL behind the assessment: teams and members in a period, conduct records, marks."""

from __future__ import annotations

from datetime import date, timedelta

from gridctl.ledger import tally
from gridctl.ledger.events import last_dated
from gridctl.ledger.records import first_of_its_kind


def teams(conn, start: str, end: str) -> list[dict]:
    cols = ("code", "name", "unit", "leader", "since", "until")
    rows = conn.execute(f"""SELECT {', '.join(cols)} FROM teams WHERE retired IS NULL AND since <= ?
        AND (until IS NULL OR until >= ?) ORDER BY code""", (end, start))
    return [dict(zip(cols, r)) for r in rows]


def memberships(conn, start: str, end: str) -> list[dict]:
    """(team, person, role, since, until) overlapping the period; the leader is a member too."""
    rows = conn.execute("""
        SELECT code, leader, 'leader', since, until FROM teams WHERE retired IS NULL
            AND since <= :end AND (until IS NULL OR until >= :start)
        UNION ALL
        SELECT m.team, m.person, 'member', m.since, m.until FROM team_members m
            JOIN teams t ON t.code = m.team AND t.retired IS NULL
            WHERE m.since <= :end AND (m.until IS NULL OR m.until >= :start)
        ORDER BY 1, 3, 2""", {"start": start, "end": end})
    return [dict(zip(("team", "person", "role", "since", "until"), r)) for r in rows]


def team_grids(conn, start: str, end: str) -> list[tuple[str, str]]:
    return conn.execute("""SELECT team, grid FROM team_grids WHERE since <= ? AND (until IS NULL OR until >= ?)
        ORDER BY team, grid""", (end, start)).fetchall()


def conduct(conn, start: str, end: str) -> dict[str, dict]:
    """person → publicity, absent days, notices and missed sessions in the period, with record ids."""
    out: dict[str, dict] = {}

    def put(person, key, value, ids):
        entry = out.setdefault(person, {"publicity": 0, "absent": 0, "notices": 0, "missed": 0, "ids": {}})
        entry[key] += value or 0
        entry["ids"].setdefault(key, []).extend(i for i in (ids or "").split(",") if i)

    for person, n, ids in conn.execute(f"""SELECT person, count(*), group_concat(id) FROM publicity r
            WHERE date BETWEEN ? AND ? AND voided = 0 AND {first_of_its_kind("publicity", "r")}
            GROUP BY person""", (start, end)):
        put(person, "publicity", n, ids)
    for person, n, ids in conn.execute(f"""SELECT person, count(*), group_concat(id)
            FROM attendance r WHERE date BETWEEN ? AND ? AND voided = 0 AND kind = 'notice'
            AND {first_of_its_kind("attendance", "r")} GROUP BY person""", (start, end)):
        put(person, "notices", n, ids)
    for person, (days, ids) in days_absent(conn, start, end).items():
        put(person, "absent", days, ",".join(ids))
    for person, n, ids in conn.execute(f"""SELECT person, count(*), group_concat(id) FROM study r
            WHERE date BETWEEN ? AND ? AND voided = 0 AND attended = 0 AND {first_of_its_kind("study", "r")}
            GROUP BY person""", (start, end)):
        put(person, "missed", n, ids)
    return out


def days_absent(conn, start: str, end: str) -> dict[str, tuple[int, list[str]]]:
    """person → days absent (不在岗) recorded in the period, each calendar day once whatever the
    reasons, and the records. A 不在岗 dated in the period counts its days whole (past the period's
    end too), less those of a live one before it (dated earlier, or written first on its day) that
    holds them already: the count of a ledger whose gridctl refused overlapping days (an older
    gridctl, or a merge, may hold them: `overlapping_absences`)."""
    out: dict[str, tuple[int, list[str]]] = {}
    counted_to: dict[str, date] = {}
    for person, record, day, days, held_to in conn.execute(f"""SELECT person, id, date, days,
            (SELECT max(date(b.date, '+' || (b.days - 1) || ' days')) FROM attendance b INDEXED BY attendance_person
             WHERE b.person = r.person AND b.date < :start AND b.kind = 'absent' AND b.voided = 0
             AND {first_of_its_kind("attendance", "b")})
            FROM attendance r WHERE date BETWEEN :start AND :end AND voided = 0 AND kind = 'absent'
            AND {first_of_its_kind("attendance", "r")} ORDER BY person, date, rowid""", {"start": start, "end": end}):
        first = date.fromisoformat(day)
        last = first + timedelta(days=(days or 1) - 1)
        before = counted_to.get(person) or (date.fromisoformat(held_to) if held_to else first - timedelta(days=1))
        total, ids = out.get(person, (0, []))
        out[person] = (total + max((last - max(first, before + timedelta(days=1))).days + 1, 0), ids + [record])
        counted_to[person] = max(before, last)
    return out


def surveys(conn, start: str, end: str) -> dict[tuple[str, str], dict]:
    """(team, person) → votes in the period's surveys, with record ids."""
    out = {}
    for team, person, s, f, u, ids in conn.execute(f"""SELECT team, person, sum(satisfied), sum(fair),
            sum(unsatisfied), group_concat(id) FROM surveys r WHERE date BETWEEN ? AND ? AND voided = 0
            AND {first_of_its_kind("surveys", "r")} GROUP BY team, person""", (start, end)):
        out[(team, person)] = {"satisfied": s, "fair": f, "unsatisfied": u, "ids": ids.split(",")}
    return out


def marks(conn, period: str) -> list[dict]:
    """The period's approvals, reopenings, flags and withdrawals, in order."""
    cols = ("kind", "subject", "reason", "actor", "at", "event")
    rows = conn.execute(f"SELECT {', '.join(cols)} FROM score_marks WHERE period = ? ORDER BY id", (period,))
    return [dict(zip(cols, r)) for r in rows]


def add_mark(conn, period: str, kind: str, subject: str | None, reason: str | None, actor, at, event) -> None:
    conn.execute("INSERT INTO score_marks (period, kind, subject, reason, actor, at, event) VALUES (?,?,?,?,?,?,?)",
                 (period, kind, subject, reason, actor, at, event))


def patrol_finders(conn) -> dict[str, str]:
    """issue → the person of the live patrol that found it (巡查发现 with a linked patrol)."""
    return dict(conn.execute("""SELECT pi.issue, p.person FROM patrol_issues pi
        JOIN patrols p ON p.id = pi.patrol WHERE p.voided = 0"""))


def team_meetings(conn, start: str, end: str) -> list[tuple[str, str, str, str]]:
    """(id, team, date, attendees JSON) of the teams' own meetings in the period that name attendees."""
    return conn.execute(f"""SELECT id, unit, date, attendees FROM meetings m WHERE unit_kind = 'team'
        AND date BETWEEN ? AND ? AND voided = 0 AND attendees NOT IN ('', '[]')
        AND {first_of_its_kind("meetings", "m")} ORDER BY date, id""",
                        (start, end)).fetchall()


def issues_held(conn) -> int:
    """About how many issues the ledger holds (the largest rowid: one look, whatever its size)."""
    return conn.execute("SELECT max(rowid) FROM issues").fetchone()[0] or 0


def person_ids(conn, text: str) -> list[str]:
    """A person by id, else by name (all who bear it)."""
    if conn.execute("SELECT 1 FROM people WHERE id = ?", (text,)).fetchone():
        return [text]
    return [i for (i,) in conn.execute("SELECT id FROM people WHERE name = ? ORDER BY id", (text,))]


def roles_of(conn, person: str, day: str) -> set[str]:
    """The post roles a person holds on a day (for `approvers:` given as roles)."""
    return {r for (r,) in conn.execute("""SELECT role FROM posts WHERE person = ? AND since <= ?
        AND (until IS NULL OR until >= ?)""", (person, day, day))}


def team_exists(conn, code: str) -> bool:
    return conn.execute("SELECT 1 FROM teams WHERE code = ?", (code,)).fetchone() is not None


def unit_exists(conn, unit: str) -> bool:
    return conn.execute("SELECT 1 FROM teams WHERE unit = ?", (unit,)).fetchone() is not None


def save_snapshot(conn, event: str, period: str, last: tuple[int, str] | None, snapshot: str) -> None:
    """Keep what approval `event` froze: the results and the (seq, hash) of the last event counted."""
    conn.execute("""INSERT INTO score_snapshots (event, period, last_event, last_seq, snapshot)
        VALUES (?, ?, ?, ?, ?)""", (event, period, last[1] if last else None, last[0] if last else None, snapshot))


def snapshot(conn, event: str) -> tuple[str, int | None] | None:
    """(snapshot JSON, seq of the last event it counted) frozen by the approval `event`."""
    return conn.execute("SELECT snapshot, last_seq FROM score_snapshots WHERE event = ?", (event,)).fetchone()


def last_counted(conn, as_of: str) -> tuple[int, str] | None:
    """(seq, hash) of the last event in the chain dated at or before `as_of`."""
    return last_dated(conn, as_of, "seq, hash")


def late_events(conn, after_seq: int, start: str, end: str, limit: int = 200) -> list[dict]:
    """Events recorded after an approval's last counted event but dated inside its period
    (backdated records), and any later void or patrol link: they may change the approved figures."""
    cols = ("seq", "issue", "record", "action", "happened_at", "recorded_at", "actor")
    rows = conn.execute(f"""SELECT {', '.join(cols)} FROM events WHERE seq > ?
        AND (happened_at BETWEEN ? AND ? OR action LIKE '%.void' OR action = 'patrol.link')
        AND action NOT LIKE 'score.%' ORDER BY seq LIMIT ?""", (after_seq, start, end, limit))
    return [dict(zip(cols, r)) for r in rows]


_MEMBERS = "(SELECT person FROM team_members UNION SELECT leader FROM teams)"


def member_leave(conn, since: str, until: str, people: set[str] | None = None) -> list[tuple[str, str, str, int]]:
    """(person, kind, date, days) of the live leave and 销假 records of team members (or of `people`)."""
    rows = conn.execute(f"""SELECT person, kind, date, days FROM attendance WHERE kind IN ('leave', 'cancel')
        AND date BETWEEN ? AND ? AND voided = 0 AND person IN {_MEMBERS}""", (since, until)).fetchall()
    return [r for r in rows if people is None or r[0] in people]




def _active(alias: str) -> str:
    """The row (teams, team_members, team_grids) is in force at some time in the period [start, end]."""
    return f"{alias}.since <= :end AND ({alias}.until IS NULL OR {alias}.until >= :start)"


_HOLDS = f"""tg.grid IN (substr({{0}}, 1, 4), substr({{0}}, 1, 6), substr({{0}}, 1, 9), substr({{0}}, 1, 12),
        substr({{0}}, 1, 15)) AND {_active("tg")}
    AND NOT EXISTS (SELECT 1 FROM team_grids o WHERE o.team = tg.team AND {_active("o")} AND o.grid != tg.grid
                    AND length(o.grid) IN (4, 6, 9, 12, 15) AND substr(tg.grid, 1, length(o.grid)) = o.grid)"""
"""A grid `tg` the team is assigned in the period holds the issue grid {0} (a node holds what lies
below it), and no other grid of the team holds that one (an issue counts once for a team)."""


def grid_counts(conn, since: str, as_of: str, keys: tuple[str, ...]) -> list[tuple[str, list[float]]]:
    """(grid, `metrics.tally`'s counts `keys` in that order) over [since, as_of] of the settled
    issues of each grid with any (`ledger.tally`); which teams a grid's counts go to is the caller's."""
    per_grid = ", ".join(f"total({tally.COUNTS[k]})" for k in keys)
    rows = conn.execute(f"""SELECT grid, {per_grid} FROM issues INDEXED BY issues_tally
        WHERE {tally.SETTLED} AND ({tally.TOUCHING}) GROUP BY grid""", {"s": since, "e": as_of, "as_of": as_of})
    return [(row[0], list(row[1:])) for row in rows]


def team_finds(conn, start: str, end: str, since: str, as_of: str) -> dict[str, tuple[int, int]]:
    """team → (discovered, reported_in_time) of the settled issues recorded over [since, as_of] in
    its grids that are its own finds: 巡查发现 by a member of the team on the day it was found. The
    finder is the linked live patrol's person, else the reporter (a member's name, when no other
    member of the period bears it, stands for that member)."""
    rows = conn.execute(f"""WITH
        teams_in AS (SELECT code, leader, since, until FROM teams t WHERE retired IS NULL AND {_active("t")}),
        members AS (SELECT leader AS person FROM teams_in UNION SELECT m.person FROM team_members m
                    JOIN teams_in t ON t.code = m.team WHERE {_active("m")}),
        named AS (SELECT name, min(id) AS person FROM people WHERE id IN (SELECT person FROM members)
                  GROUP BY name HAVING count(*) = 1),
        finds AS (SELECT i.id, i.grid, CASE WHEN coalesce(f.person, '') != '' THEN f.person
                                            ELSE coalesce(n.person, i.reporter) END AS finder,
                         substr(CASE WHEN coalesce(i.found_at, '') != '' THEN i.found_at ELSE i.reported_at END, 1, 10) AS day,
                         {tally.IN_TIME} AS in_time
            FROM issues i LEFT JOIN (SELECT pi.issue, p.person FROM patrol_issues pi
                                     JOIN patrols p ON p.id = pi.patrol WHERE p.voided = 0) f ON f.issue = i.id
            LEFT JOIN named n ON n.name = coalesce(i.reporter, '')
            WHERE i.reported_at BETWEEN :s AND :e AND i.source = 'patrol' AND i.status != 'rejected'
                AND i.reported_at <= :as_of AND (i.updated_at IS NULL OR i.updated_at <= :as_of))
        SELECT team, count(*), total(in_time) FROM (SELECT DISTINCT tg.team, fd.id, fd.in_time
            FROM finds fd JOIN team_grids tg ON {_HOLDS.format('fd.grid')}
            WHERE EXISTS (SELECT 1 FROM team_members m JOIN teams_in t ON t.code = m.team WHERE m.team = tg.team
                              AND m.person = fd.finder AND {_active("m")} AND m.since <= fd.day
                              AND (m.until IS NULL OR m.until >= fd.day))
               OR EXISTS (SELECT 1 FROM teams_in t WHERE t.code = tg.team AND t.leader = fd.finder
                              AND t.since <= fd.day AND (t.until IS NULL OR t.until >= fd.day)))
        GROUP BY team""", {"start": start, "end": end, "s": since, "e": as_of, "as_of": as_of})
    return {team: (n, int(in_time)) for team, n, in_time in rows}


def short_patrols(conn, weeks: list[tuple[str, str]], per_week: int) -> list[tuple[str, str, str]]:
    """(team, person, Monday) of each week (Monday, Sunday) in which a leader or member of a team
    made fewer than `per_week` live patrols of one of the team's grids (or below it): the team
    obligations of `ledger.records.week_obligations` under `records.weekly.missing_patrols`' rule,
    counted in SQL. Leave (who is excused) is for the caller. The obligations are taken person by
    person (not made distinct first: the answer is), so each one's patrols are read from
    `patrols_made` in index order — 1.2 → 0.5 s for a city quarter's 511k obligations."""
    params: dict = {"per_week": per_week, "first": weeks[0][0], "last": weeks[-1][1]}
    for i, (monday, sunday) in enumerate(weeks):
        params |= {f"m{i}": monday, f"s{i}": sunday}
    values = ", ".join(f"(:m{i}, :s{i})" for i in range(len(weeks)))
    # a repeated patrol (one a person, grid and day) counts once; where one a week is owed, one is
    # as good as two and the check is left out (a city quarter: 0.5 s, 0.73 s with it)
    once = f" AND {first_of_its_kind('patrols', 'p')}" if per_week > 1 else ""
    return conn.execute(f"""WITH w(monday, sunday) AS (VALUES {values}),
        ob AS (SELECT w.monday, w.sunday, m.person, tg.grid, t.code AS team FROM w
            JOIN teams t ON t.retired IS NULL
            JOIN team_grids tg ON tg.team = t.code AND tg.since <= w.sunday AND (tg.until IS NULL OR tg.until >= w.monday)
            JOIN (SELECT team, person, since, until FROM team_members UNION SELECT code, leader, since, until FROM teams) m
                ON m.team = t.code AND m.since <= w.sunday AND (m.until IS NULL OR m.until >= w.monday)
            ORDER BY m.person, w.monday)
        SELECT DISTINCT ob.team, ob.person, ob.monday FROM ob
        WHERE (SELECT count(*) FROM patrols p WHERE p.person = ob.person AND p.date BETWEEN ob.monday AND ob.sunday
               AND p.voided = 0 AND substr(p.grid, 1, length(ob.grid)) = ob.grid{once}) < :per_week""",
                        params).fetchall()
