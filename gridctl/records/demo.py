"""A synthetic year of patrols and conduct records (`gridctl demo --conduct`), for benchmarks.

For every week of the demo year each patrol obligation of `configs/conduct.yaml` is met with
a patrol most weeks (some people skip weeks); teams hold their 碰头会 most weeks; members
take leave, miss study sessions, write publicity items and are surveyed each quarter.
Records are built valid by construction and written through `records.service.record`, so
each is an event in the chain. Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.issues.demo import YEAR_END, YEAR_START
from gridctl.ledger import grids as gq
from gridctl.ledger import ledger, transaction
from gridctl.ledger.db import get_meta, set_meta
from gridctl.ledger import records as rq
from gridctl.ledger.recorder import Recorder
from gridctl.records.rules import load_rules
from gridctl.records.service import record

SKIP_PATROL = 0.08       # share of owed patrols not made
SKIP_MEETING = 0.1
NOTES = ("走访独居老人", "检查消防通道", "了解群众诉求", "排查安全隐患", "宣传政策", "调解邻里纠纷")


def weeks() -> list[tuple[date, date]]:
    monday = YEAR_START.date() - timedelta(days=YEAR_START.weekday())
    out = []
    while monday + timedelta(days=6) <= YEAR_END.date():
        out.append((monday, monday + timedelta(days=6)))
        monday += timedelta(days=7)
    return out


def fill_conduct(db: Path, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    rules = load_rules()
    stats: dict[str, int] = {}
    with ledger(db) as conn:
        teams = gq.current_teams(conn)
        members = gq.team_members(conn)
        if get_meta(conn, "demo:conduct"):
            raise GridctlError("demo.already", what="conduct", seed=get_meta(conn, "demo:conduct"))
        with transaction(conn):  # one transaction: a killed run leaves nothing
            for n, (monday, sunday) in enumerate(weeks()):
                year = _Year(conn, Recorder(conn, None, recorded_at=None), rng, teams, members, stats)
                obligations = rq.week_obligations(conn, rules["patrols"], monday.isoformat(), sunday.isoformat())
                _week(year, obligations, monday, n)
            set_meta(conn, "demo:conduct", str(seed))
    return stats


def _day(rng, monday: date) -> str:
    return (monday + timedelta(days=rng.randrange(5))).isoformat()


@dataclass
class _Year:
    """What every week of the demo year writes with: the ledger, this week's recorder, the dice,
    the teams (code, leader) and their members, and the counts so far."""

    conn: object
    rec: Recorder
    rng: random.Random
    teams: list
    members: dict[str, list[str]]
    stats: dict[str, int]


def _week(year: _Year, obligations, monday: date, n: int) -> None:
    conn, rec, rng, teams, members, stats = year.conn, year.rec, year.rng, year.teams, year.members, year.stats
    patrols = []
    for ob in obligations:
        if rng.random() < SKIP_PATROL:
            continue
        via, _, name = ob["via"].partition(":")
        patrols.append({"date": _day(rng, monday), "person": ob["person"], "grid": ob["grid"],
                        "households": rng.randint(0, 15), "notes": rng.choice(NOTES), "visiting": 0,
                        "team": name if via == "team" else None, "role": name if via == "post" else None,
                        "found": [], "content_key": None})
    _write(conn, rec, "patrol", patrols, stats)
    meetings = [{"date": _day(rng, monday), "unit": team, "unit_kind": "team", "kind": "碰头会",
                 "attendees": [leader] + members.get(team, []), "notes": None}
                for team, leader in teams if rng.random() >= SKIP_MEETING]
    _write(conn, rec, "meeting", meetings, stats)
    people = [(team, p) for team, leader in teams for p in [leader] + members.get(team, [])]
    conduct: dict[str, list[dict]] = {"attendance": [], "study": [], "publicity": [], "survey": []}
    for team, person in people:
        if rng.random() < 0.02:
            conduct["attendance"].append({"date": _day(rng, monday), "person": person,
                                          "kind": rng.choice(("leave", "leave", "absent", "notice")),
                                          "days": rng.randint(1, 3), "reason": None})
        if n % 4 == 0:
            conduct["study"].append({"date": _day(rng, monday), "person": person, "kind": "study",
                                     "attended": int(rng.random() > 0.1), "notes": None})
        if rng.random() < 0.04:
            conduct["publicity"].append({"date": _day(rng, monday), "person": person,
                                         "kind": rng.choice(("news", "brief", "research")),
                                         "title": f"{team}工作动态", "outlet": None})
        if n % 13 == 12:
            votes = rng.randint(50, 80)
            satisfied = rng.randint(votes // 2, votes)
            fair = rng.randint(0, votes - satisfied)
            conduct["survey"].append({"date": monday.isoformat(), "team": team, "person": person,
                                      "participants": votes, "satisfied": satisfied, "fair": fair,
                                      "unsatisfied": votes - satisfied - fair})
    for kind, rows in conduct.items():
        _write(conn, rec, kind, rows, stats)


def _write(conn, rec, kind: str, rows: list[dict], stats: dict) -> None:
    if rows:
        record(conn, rec, kind, rows)
        stats[kind] = stats.get(kind, 0) + len(rows)
