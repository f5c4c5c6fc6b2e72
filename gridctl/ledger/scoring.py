"""SQL behind the assessment: teams and members in a period, conduct records, marks."""

from __future__ import annotations


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

    for person, n, ids in conn.execute("""SELECT person, count(*), group_concat(id) FROM publicity
            WHERE date BETWEEN ? AND ? AND voided = 0 GROUP BY person""", (start, end)):
        put(person, "publicity", n, ids)
    for person, kind, n, days, ids in conn.execute("""SELECT person, kind, count(*), sum(days), group_concat(id)
            FROM attendance WHERE date BETWEEN ? AND ? AND voided = 0 AND kind IN ('absent', 'notice')
            GROUP BY person, kind""", (start, end)):
        put(person, "absent" if kind == "absent" else "notices", days if kind == "absent" else n, ids)
    for person, n, ids in conn.execute("""SELECT person, count(*), group_concat(id) FROM study
            WHERE date BETWEEN ? AND ? AND voided = 0 AND attended = 0 GROUP BY person""", (start, end)):
        put(person, "missed", n, ids)
    return out


def surveys(conn, start: str, end: str) -> dict[tuple[str, str], dict]:
    """(team, person) → votes in the period's surveys, with record ids."""
    out = {}
    for team, person, s, f, u, ids in conn.execute("""SELECT team, person, sum(satisfied), sum(fair),
            sum(unsatisfied), group_concat(id) FROM surveys WHERE date BETWEEN ? AND ? AND voided = 0
            GROUP BY team, person""", (start, end)):
        out[(team, person)] = {"satisfied": s, "fair": f, "unsatisfied": u, "ids": ids.split(",")}
    return out


def marks(conn, period: str) -> list[dict]:
    cols = ("kind", "subject", "reason", "actor", "at", "event")
    rows = conn.execute(f"SELECT {', '.join(cols)} FROM score_marks WHERE period = ? ORDER BY id", (period,))
    return [dict(zip(cols, r)) for r in rows]


def add_mark(conn, period: str, kind: str, subject: str | None, reason: str | None, actor, at, event) -> None:
    conn.execute("INSERT INTO score_marks (period, kind, subject, reason, actor, at, event) VALUES (?,?,?,?,?,?,?)",
                 (period, kind, subject, reason, actor, at, event))
