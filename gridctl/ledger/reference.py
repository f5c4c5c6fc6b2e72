"""Persist the reference data (grids, people, posts, teams, duties) as a difference.

Loading is idempotent: rows are compared with what the ledger holds, and only what differs
is written, in one transaction. Nothing is deleted: a grid, person, team or category that
leaves the YAML is marked `retired` on the load date; a post or membership that leaves it
ends (`until`) on that date, so the past still names who held it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from gridctl.config.model import LEVELS, Config
from gridctl.errors import GridctlError
from gridctl.ledger.db import transaction
from gridctl.progress import QUIET, Meter

ENTITY_TABLES = {
    "grids": ("code", "name", "level", "parent", "kind", "path", "households", "residents",
              "extent", "duty_phone"),
    "people": ("id", "name", "phone", "unit"),
    "departments": ("code", "name", "grid", "kind"),
    "teams": ("code", "name", "unit", "leader", "since", "until"),
    "categories": ("code", "name", "authority", "lead_role", "department", "assist",
                   "deadline", "origin"),
}
SPAN_TABLES = {
    "posts": ("grid", "role", "person", "since"),
    "team_members": ("team", "person", "since"),
    "team_grids": ("team", "grid", "since"),
}
TABLE_ORDER = ("grids", "people", "posts", "departments", "teams", "team_members",
               "team_grids", "categories")


@dataclass
class LoadSummary:
    """What one load did, per table, and the tree's size per level."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)
    digest: str = ""

    @property
    def changed(self) -> bool:
        return any(c["added"] or c["changed"] or c["ended"] for c in self.counts.values())

    def to_dict(self) -> dict:
        return {"changed": self.changed, "tables": self.counts, "levels": self.levels,
                "digest": self.digest}


def desired_rows(config: Config) -> dict[str, dict[tuple, tuple]]:
    """The rows the config asks for, keyed by each table's natural key (spans unresolved)."""
    rows: dict[str, dict[tuple, tuple]] = {}
    for table, objects in (("grids", config.grids.values()), ("people", config.people.values()),
                           ("departments", config.departments.values()),
                           ("teams", config.teams.values()),
                           ("categories", config.categories.values())):
        cols = ENTITY_TABLES[table]
        rows[table] = {(getattr(o, cols[0]),): tuple(getattr(o, c) for c in cols[1:])
                       for o in objects}
    rows["posts"] = {(p.grid, p.role, p.person, p.since): (p.until,) for p in config.posts}
    return rows


def _entity_diff(conn, table, want, as_of, writes, counts):
    cols = ENTITY_TABLES[table]
    have = {(r[0],): (tuple(r[1:-1]), r[-1]) for r in conn.execute(
        f"SELECT {', '.join(cols)}, retired FROM {table}")}
    added = [k + v for k, v in want.items() if k not in have]
    changed = [v + k for k, v in want.items() if k in have and (have[k][0] != v or have[k][1])]
    ended = [(as_of,) + k for k, (_, retired) in have.items() if k not in want and not retired]
    marks = ", ".join("?" * len(cols))
    sets = ", ".join(f"{c}=?" for c in cols[1:])
    writes.append((f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", added))
    writes.append((f"UPDATE {table} SET {sets}, retired=NULL WHERE {cols[0]}=?", changed))
    writes.append((f"UPDATE {table} SET retired=? WHERE {cols[0]}=?", ended))
    live = len(want)
    counts[table] = {"total": live, "added": len(added), "changed": len(changed), "ended": len(ended)}


def _span_have(conn, table) -> dict[tuple, str | None]:
    keys = SPAN_TABLES[table]
    return {tuple(r[:-1]): r[-1] for r in conn.execute(
        f"SELECT {', '.join(keys)}, until FROM {table}")}


def _span_diff(table, have, want, as_of, writes, counts):
    keys = SPAN_TABLES[table]
    added = [k + v for k, v in want.items() if k not in have]
    changed = [v + k for k, v in want.items() if k in have and have[k] != v[0]]
    ended = [(max(as_of, k[-1]),) + k for k, until in have.items()
             if k not in want and (until is None or until > as_of)]
    where = " AND ".join(f"{c}=?" for c in keys)
    writes.append((f"INSERT INTO {table} ({', '.join(keys)}, until) VALUES "
                   f"({', '.join('?' * (len(keys) + 1))})", added))
    writes.append((f"UPDATE {table} SET until=? WHERE {where}", changed))
    writes.append((f"UPDATE {table} SET until=? WHERE {where}", ended))
    open_now = sum(1 for k, v in want.items() if k[-1] <= as_of and (v[0] is None or v[0] >= as_of))
    counts[table] = {"total": open_now, "added": len(added), "changed": len(changed),
                     "ended": len(ended)}


def _team_spans(config: Config, table: str, have, as_of: str, teams_before: set[str]):
    """Team members/grids keyed (team, ref, since); a bare id keeps the since it already has."""
    open_since = {}
    for (team, ref, since), until in have.items():
        if until is None or until >= as_of:
            open_since[(team, ref)] = since
    want = {}
    for team in config.teams.values():
        for span in team.members if table == "team_members" else team.grids:
            since = span.since
            if not span.explicit:
                since = open_since.get((team.code, span.ref)) or (
                    max(team.since, as_of) if team.code in teams_before else team.since)
            want[(team.code, span.ref, since)] = (span.until,)
    return want


def _not_before_the_last(conn: sqlite3.Connection, summary: LoadSummary, as_of: str) -> None:
    """A load that changes anything dates its changes `as_of` (a post that leaves the YAML ends
    then, a member added joins then): one dated before an earlier load's would write them behind
    history already loaded (`--as-of 2025-06-01` for 2026: 网格长 posts since 2026-01-01 ended on
    the day they began, and patrol duties and routes with them). Refused; an earlier end is
    written in the YAML as the post's `until`."""
    last = conn.execute("SELECT max(as_of) FROM loads").fetchone()[0]
    if summary.changed and last and as_of < last:
        raise GridctlError("load.as_of_before_last", as_of=as_of, last=last)


def apply_config(conn: sqlite3.Connection, config: Config, as_of: str, folder: str,
                 meter: Meter = QUIET) -> LoadSummary:
    """Write the difference between `config` and the ledger in one transaction (`meter`: tables)."""
    summary = LoadSummary()
    want = desired_rows(config)
    summary.digest = hashlib.sha256(json.dumps(
        {k: sorted(map(list, v.items())) for k, v in want.items()}, ensure_ascii=False,
        default=str).encode()).hexdigest()
    with transaction(conn):
        writes: list[tuple[str, list]] = []
        teams_before = {c for (c,) in conn.execute("SELECT code FROM teams WHERE retired IS NULL")}
        meter.total(len(TABLE_ORDER))
        for table in TABLE_ORDER:
            meter.step(1)
            if table in ENTITY_TABLES:
                _entity_diff(conn, table, want[table], as_of, writes, summary.counts)
                continue
            have = _span_have(conn, table)
            rows = (want[table] if table == "posts"
                    else _team_spans(config, table, have, as_of, teams_before))
            _span_diff(table, have, rows, as_of, writes, summary.counts)
        _not_before_the_last(conn, summary, as_of)
        for sql, rows in writes:
            if rows:
                conn.executemany(sql, rows)
        summary.levels = {level: 0 for level in LEVELS}
        for grid in config.grids.values():
            summary.levels[grid.level] += 1
        if summary.changed:
            conn.execute("INSERT INTO loads (loaded_at, as_of, folder, digest, summary) VALUES (?,?,?,?,?)",
                         (datetime.now().isoformat(timespec="seconds"), as_of, folder, summary.digest,
                          json.dumps(summary.counts, ensure_ascii=False)))
    return summary
