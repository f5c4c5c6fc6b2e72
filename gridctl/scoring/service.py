"""`gridctl score`: fetch the period's records, call the pure formulas, hand back every figure.

Issues count for a team when they lie in a grid the team is assigned to (or below it); the
issues are streamed once for all teams, as they stood at the end of the period.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

from gridctl import metrics
from gridctl.errors import GridctlError
from gridctl.ledger import grids as gq
from gridctl.ledger import ledger, transaction
from gridctl.ledger import reports as rr
from gridctl.ledger import scoring as sq
from gridctl.ledger.recorder import Recorder
from gridctl.messages import t
from gridctl.reports.asof import issues_as_of
from gridctl.scoring import formulas as fx
from gridctl.scoring.config import load_scoring
from gridctl.timefmt import fmt, now

_PERIOD = re.compile(r"(\d{4})(?:Q([1-4]))?")
RATE_IDS = {"discovery": ("discovered", "recorded"), "handling": ("due_handled", "due"),
            "on_time_handling": ("due_on_time", "due"), "reporting": ("reported_in_time", "recorded"),
            "satisfaction": ("satisfied", "callbacks")}


def period_bounds(text: str) -> tuple[str, str]:
    """`2026Q4` → 2026-10-01 .. 2026-12-31; `2026` → the year."""
    match = _PERIOD.fullmatch(text.strip())
    if not match:
        raise GridctlError(t("scoring.bad_period", value=text))
    year, quarter = int(match[1]), match[2]
    if not quarter:
        return f"{year}-01-01", f"{year}-12-31"
    q = int(quarter)
    last = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}[q]
    return f"{year}-{3 * q - 2:02d}-01", f"{year}-{last}"


def _days(since: str, until: str | None, start: str, end: str) -> tuple[int, float]:
    a, b = max(since, start), min(until or end, end)
    span = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    days = max((date.fromisoformat(b) - date.fromisoformat(a)).days + 1, 0)
    return days, days / span


def _team_index(grids: list[tuple[str, str]]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for team, grid in grids:
        index.setdefault(grid, []).append(team)
    return index


def _teams_of(grid: str, index: dict[str, list[str]]) -> list[str]:
    out = []
    for length in (4, 6, 9, 12, 15):
        out += index.get(grid[:length], [])
    return out


def _in_unit(conn, unit: str | None, teams: list[dict], grids) -> set[str]:
    if not unit:
        return {tm["code"] for tm in teams}
    by_unit = {tm["code"] for tm in teams if unit in (tm["code"], tm["unit"])}
    if by_unit:
        return by_unit
    code = gq.resolve_node(conn, unit)["code"]
    return {team for team, grid in grids if grid.startswith(code)}


def compute(db: Path, period: str, unit: str | None = None, config: Path | None = None,
            trace_person: str | None = None) -> dict:
    """Score every member, team and dispatching unit of the period (or those under `unit`)."""
    cfg = load_scoring(config)
    start, end = period_bounds(period)
    as_of = min(fmt(now()), f"{end} 23:59")
    with ledger(db) as conn:
        teams = sq.teams(conn, start, end)
        grids = sq.team_grids(conn, start, end)
        wanted = _in_unit(conn, unit, teams, grids)
        teams = [tm for tm in teams if tm["code"] in wanted]
        if not teams:
            raise GridctlError(t("scoring.no_teams"))
        counts, traces = _team_counts(conn, wanted, grids, start, as_of, trace_person)
        result = _score(conn, cfg, teams, counts, start, end, period, trace_person, traces)
        last = rr.last_event(conn, as_of)
        result.update(period=period, start=start, end=end, as_of=as_of, version=cfg["version"],
                      config=cfg, last_event=last[3] if last else None, unit=unit)
        return result


def _team_counts(conn, wanted, grids, start, as_of, trace_person):
    """One pass over all issues: tally each into the teams whose grids hold it."""
    index = _team_index([(team, grid) for team, grid in grids if team in wanted])
    found = rr.found_by_patrol(conn)
    counts: dict[str, Counter] = {team: Counter() for team in wanted}
    traced = set()
    if trace_person:
        traced = {m["team"] for m in sq.memberships(conn, start, as_of[:10]) if m["person"] == trace_person}
    traces: dict[str, dict[str, list[str]]] = {team: {} for team in traced}
    period_start = f"{start} 00:00"
    for s in issues_as_of(conn, {"kind": "all"}, as_of, (period_start, as_of)):
        for team in set(_teams_of(s["grid"], index)):
            metrics.tally([s], period_start, as_of, found, counts[team])
            if team in traces:
                for key, n in metrics.tally([s], period_start, as_of, found).items():
                    if n and ":" not in key:
                        traces[team].setdefault(key, []).append(s["id"])
    return counts, traces


def _score(conn, cfg, teams, counts, start, end, period, trace_person, traces) -> dict:
    conduct = sq.conduct(conn, start, end)
    surveys = sq.surveys(conn, start, end)
    marks = sq.marks(conn, period)
    flags = {m["subject"]: m["reason"] for m in marks if m["kind"] == "flag"}
    approval = next((m for m in reversed(marks) if m["kind"] == "approve"), None)
    names = gq.names(conn, "people", [m["person"] for m in sq.memberships(conn, start, end)])
    team_by_code = {tm["code"]: tm for tm in teams}
    members, team_rows = [], []
    perf = {}
    for code, tm in team_by_code.items():
        rates = metrics.rates(counts[code])
        total, items = fx.performance(rates, cfg)
        perf[code] = {"total": total, "items": items, "rates": {k: _rate(v) for k, v in rates.items()}}
    for m in sq.memberships(conn, start, end):
        if m["team"] not in team_by_code or (trace_person and m["person"] != trace_person):
            continue
        members.append(_member(cfg, m, names, conduct, surveys, perf[m["team"]], team_by_code[m["team"]],
                               start, end, flags, traces.get(m["team"])))
    if trace_person:
        return {"members": members, "teams": [], "units": [], "awards": [], "approval": approval}
    by_team: dict[str, list[dict]] = {}
    for m in members:
        by_team.setdefault(m["team"], []).append(m)
    for code, tm in team_by_code.items():
        scored = by_team.get(code, [])
        total = fx.mean([m["total"] for m in scored])
        team_rows.append({"id": code, "team": code, "name": tm["name"], "unit": tm["unit"], "members": len(scored),
                          "performance": perf[code]["total"], "rates": perf[code]["rates"],
                          "conduct": fx.mean([m["conduct"] for m in scored]), "total": total,
                          "grade": fx.grade(total, cfg["tiers"]), "letter": fx.grade(total, cfg["letters"]),
                          "flag": flags.get(code)})
    units = {}
    for row in team_rows:
        units.setdefault(row["unit"], []).append(row)
    unit_rows = [{"id": u, "unit": u, "name": u, "teams": len(rows), "total": fx.mean([r["total"] for r in rows if r["total"] is not None]),
                  "flag": None} for u, rows in sorted(units.items())]
    for row in unit_rows:
        row["grade"], row["letter"] = fx.grade(row["total"], cfg["tiers"]), fx.grade(row["total"], cfg["letters"])
    for rows in (members, team_rows, unit_rows):
        ranks = metrics.rank({r["id"]: r["total"] for r in rows})
        for r in rows:
            r["rank"] = ranks[r["id"]]
    return {"members": members, "teams": team_rows, "units": unit_rows,
            "awards": _awards(cfg, members, team_rows, unit_rows), "approval": approval}


def _rate(rate: metrics.Rate) -> dict:
    return {"numerator": rate.numerator, "denominator": rate.denominator, "value": rate.value}


def _member(cfg, m, names, conduct, surveys, perf, team, start, end, flags, trace) -> dict:
    person = m["person"]
    days, share = _days(m["since"], m["until"], start, end)
    c = conduct.get(person, {"publicity": 0, "absent": 0, "notices": 0, "missed": 0, "ids": {}})
    votes = surveys.get((team["code"], person), {"satisfied": 0, "fair": 0, "unsatisfied": 0, "ids": []})
    prorate = share if cfg["rules"]["joined_mid_quarter"] == "prorate" else 1.0
    items = {"publicity": fx.publicity(c["publicity"], cfg, prorate),
             "attendance": fx.attendance(c["absent"], c["notices"], cfg),
             "study": fx.study(c["missed"], cfg),
             "satisfaction": fx.satisfaction(votes["satisfied"], votes["fair"], votes["unsatisfied"], cfg)}
    conduct_total = round(sum(v for v, _ in items.values()), 4)
    total = round(conduct_total + perf["total"], 2)
    member = {"id": f"{team['code']}:{person}", "person": person, "name": names.get(person), "team": team["code"],
              "team_name": team["name"], "unit": team["unit"], "role": m["role"], "days": days,
              "counts": {k: c[k] for k in ("publicity", "absent", "notices", "missed")}, "votes": {
                  k: votes[k] for k in ("satisfied", "fair", "unsatisfied")},
              "conduct_items": {k: {"points": v, "arithmetic": a} for k, (v, a) in items.items()},
              "conduct": conduct_total, "performance": perf["total"],
              "performance_items": {k: {"points": v, "arithmetic": a} for k, (v, a) in perf["items"].items()},
              "rates": perf["rates"], "total": total, "grade": fx.grade(total, cfg["tiers"]),
              "letter": fx.grade(total, cfg["letters"]), "flag": flags.get(person) or flags.get(team["code"])}
    if trace is not None:
        member["rows"] = {"publicity": c["ids"].get("publicity", []), "attendance": c["ids"].get("absent", []) +
                          c["ids"].get("notices", []), "study": c["ids"].get("missed", []), "survey": votes["ids"],
                          "issues": {rate: {"numerator": trace.get(num, []), "denominator": trace.get(den, [])}
                                     for rate, (num, den) in RATE_IDS.items()}}
    return member


def _awards(cfg, members, teams, units) -> list[dict]:
    order = [n for n, _ in cfg["tiers"]]
    min_index = order.index(cfg["awards"]["min_tier"])

    def eligible(row):
        return row["total"] is not None and not row.get("flag") and order.index(row["grade"]) <= min_index

    out = []
    for kind, rows in (("teams", teams), ("leaders", [m for m in members if m["role"] == "leader"]),
                       ("members", [m for m in members if m["role"] == "member"]), ("units", units)):
        for award in fx.awards(rows, cfg["awards"][kind], eligible):
            out.append(dict(award, kind=kind))
    return out


def explain(db: Path, person: str, period: str, config: Path | None = None) -> dict:
    """Every figure of one person's score with the ledger rows behind it."""
    with ledger(db) as conn:
        found = gq.names(conn, "people", [person])
        if person not in found:
            rows = conn.execute("SELECT id FROM people WHERE name = ?", (person,)).fetchall()
            person = rows[0][0] if len(rows) == 1 else person
    result = compute(db, period, None, config, trace_person=person)
    if not result["members"]:
        raise GridctlError(t("scoring.not_member", person=person, period=period))
    return {"person": person, "period": period, "version": result["version"], "as_of": result["as_of"],
            "handling_variant": result["config"]["handling_variant"], "memberships": result["members"]}


def mark(db: Path, period: str, kind: str, subject: str | None, reason: str | None, actor: str | None) -> dict:
    """`score approve` / `score flag`: an event in the chain and a row in score_marks."""
    period_bounds(period)
    with ledger(db) as conn, transaction(conn):
        rec = Recorder(conn, actor)
        at = fmt(now())
        event = rec.chain.append(None, f"score.{kind}", None, None, None, actor, at, rec.recorded_at, reason,
                                 {"period": period, "subject": subject, "reason": reason}, record=period)
        rec.chain.flush()
        sq.add_mark(conn, period, kind, subject, reason, actor, at, event["hash"])
        return {"period": period, "kind": kind, "subject": subject, "reason": reason, "by": actor, "at": at}
