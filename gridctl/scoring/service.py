"""`gridctl score`: fetch the period's records, call the pure formulas, hand back typed results.

Issues count for a team when they lie in a grid the team is assigned to (or below it); the
issues are streamed once for all teams, as they stood at the end of the period. Ranks and
awards are always decided on the whole population; `--unit` only narrows what is shown.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from gridctl import bounds, collector, metrics
from gridctl.beside import beside
from gridctl.errors import GridctlError
from gridctl.forked import Forked
from gridctl.ledger import grids as gq
from gridctl.ledger import ledger, ledger_node
from gridctl.ledger.db import READS_MIB
from gridctl.ledger import scoring as sq
from gridctl.ledger.issues import IssueState
from gridctl.records.rules import load_rules
from gridctl.issues.calendar import load_calendar
from gridctl.records.weekly import on_leave
from gridctl.ledger import reports as rr
from gridctl.reports.asof import issues_as_of, replay_many
from gridctl.scoring import formulas as fx
from gridctl.scoring import marks as mk
from gridctl.config.scoring import load_scoring, weights
from gridctl.scoring.model import (Assessment, Award, Exclusion, Gap, Item, MemberScore, TeamScore, UnitScore,
                                   from_dict)
from gridctl.timefmt import fmt, now

_PERIOD = re.compile(r"(\d{4})(?:Q([1-4]))?", re.IGNORECASE)


def period_text(text: str) -> str:
    """A period as the ledger keys it (`2026Q3`, `2026`) from what a person typed (`2026q3`,
    ` 2026Q3 `): approvals, flags and their snapshots are stored and found under this text, so
    another spelling would be another period (full-width digits, `２０２６Q3`, too). Refused as
    `period_bounds` refuses."""
    period_bounds(text)
    match = _PERIOD.fullmatch(bounds.halfwidth(text.strip()))
    assert match is not None, "checked by period_bounds"
    return f"{int(match[1])}" + (f"Q{int(match[2])}" if match[2] else "")


def period_bounds(text: str) -> tuple[str, str]:
    """`2026Q4` → 2026-10-01 .. 2026-12-31; `2026` → the year (q in either case)."""
    match = _PERIOD.fullmatch(bounds.halfwidth(text.strip()))    # ２０２６Ｑ３ typed full-width
    if not match:
        if re.fullmatch(r"\d{4}Q\d", bounds.halfwidth(text.strip()), re.IGNORECASE):       # written as a quarter: Q5 is none
            raise GridctlError("scoring.no_such_quarter", value=text)
        raise GridctlError("scoring.bad_period", value=text)
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


@dataclass
class _Ledger:
    """What one assessment reads from the ledger, fetched once."""

    teams: dict[str, dict]
    memberships: list[dict]
    grids: list[tuple[str, str]]
    names: dict[str, str]
    by_name: dict[str, str]
    spans: dict[tuple[str, str], list[tuple[str, str | None]]] = field(default_factory=dict)

    def member_on(self, team: str, person: str | None, day: str) -> bool:
        if person is None:
            return False
        return any(since <= day and (until is None or until >= day) for since, until in self.spans.get((team, person), ()))


def _read(conn, start: str, end: str) -> _Ledger:
    teams = {tm["code"]: tm for tm in sq.teams(conn, start, end)}
    if not teams:
        raise GridctlError("scoring.no_teams")
    memberships = [m for m in sq.memberships(conn, start, end) if m["team"] in teams]
    names = gq.names(conn, "people", [m["person"] for m in memberships])
    counts = Counter(names.values())
    data = _Ledger(teams, memberships, sq.team_grids(conn, start, end), names,
                   {n: p for p, n in names.items() if counts[n] == 1})
    for m in memberships:
        data.spans.setdefault((m["team"], m["person"]), []).append((m["since"], m["until"]))
    return data


def _teams_of(grid: str, index: dict[str, list[str]]) -> set[str]:
    out: set[str] = set()
    for length in (4, 6, 9, 12, 15):
        out.update(index.get(grid[:length], ()))
    return out


def _MINE(issue: IssueState) -> bool:
    return True


def _NOT_MINE(issue: IssueState) -> bool:
    return False


_COUNTED = tuple(sorted({key for pair in metrics.RATE_COUNTS.values() for key in pair}
                        - {"discovered", "reported_in_time"}))
"""The tally keys the rates read, less the own finds (counted apart: they depend on the team)."""


def _settled_counts(conn, data: _Ledger, period: tuple[str, str], as_of: str) -> dict[str, Counter]:
    """Each team's tally (`metrics.tally`) over the settled issues in the grids it is assigned:
    those whose row is still their state at `as_of`, counted per grid in SQL
    (`ledger.scoring.grid_counts`) and summed here for the teams holding each grid (`_teams_of`,
    as for a replayed issue); the own finds (`team_finds`): 巡查发现 whose finder, the linked
    patrol's person, else the reporter, was a member of that team on the day it was found."""
    start, end = period
    period_start = f"{start} 00:00"
    index = _grid_index(data)
    sums: dict[str, list[float]] = {}
    for grid, figures in sq.grid_counts(conn, period_start, as_of, _COUNTED):
        for team in _teams_of(grid or "", index):
            total = sums.get(team)
            if total is None:
                sums[team] = list(figures)
            else:
                for i, n in enumerate(figures):
                    total[i] += n
    counts: dict[str, Counter] = {team: Counter({k: int(n) for k, n in zip(_COUNTED, total) if n})
                                  for team, total in sums.items()}
    for team, (found, in_time) in sq.team_finds(conn, start, end, period_start, as_of).items():
        counts.setdefault(team, Counter()).update(discovered=found, reported_in_time=in_time)
    return counts


def _grid_index(data: _Ledger) -> dict[str, list[str]]:
    """grid → the teams (of the period) assigned it."""
    index: dict[str, list[str]] = {}
    for team, grid in data.grids:
        if team in data.teams:
            index.setdefault(grid, []).append(team)
    return index


def _moved_counts(conn, data: _Ledger, period: tuple[str, str], as_of: str, traced: set[str]):
    """The tallies of the issues changed since `as_of`, replayed from their events in batches
    (an issue is a team's own find by the same rule as `_settled_counts`), and `score explain`'s
    traces; (team → Counter, traces)."""
    period_start = f"{period[0]} 00:00"
    counts: dict[str, Counter] = {}
    index = _grid_index(data)
    finders = sq.patrol_finders(conn)
    moved = rr.moved_ids(conn, {"kind": "all"}, as_of)
    for s in replay_many(conn, moved, as_of):
        for team, own in _teams_and_own(s, data, index, finders):
            metrics.tally([s], period_start, as_of, c=counts.setdefault(team, Counter()), own=own)
    return counts, _traces(conn, data, index, finders, traced, period_start, as_of)


def _team_counts(conn, data: _Ledger, period: tuple[str, str], as_of: str, traced: set[str]):
    """Each team's tally (`metrics.tally`) over the issues in the grids it is assigned, and the
    traces: `_settled_counts` and `_moved_counts` one after the other (`_live` runs the first
    beside the second, on its own connection)."""
    moved, traces = _moved_counts(conn, data, period, as_of, traced)
    return _summed(_settled_counts(conn, data, period, as_of), moved, data), traces


def _summed(settled: dict[str, Counter], moved: dict[str, Counter], data: _Ledger) -> dict[str, Counter]:
    """Each team's tally: its settled issues' counts, then its replayed issues' added."""
    counts: dict[str, Counter] = {team: Counter() for team in data.teams}
    for part in (settled, moved):
        for team, c in part.items():
            if team in counts:
                counts[team].update(c)
    return counts


def _teams_and_own(s: IssueState, data: _Ledger, index, finders):
    """(team, whether the issue is its own find) for each team whose grids hold the issue."""
    finder = finders.get(s.id) or data.by_name.get(s.reporter or "", s.reporter)
    day = (s.found_at or s.reported_at)[:10]
    for team in _teams_of(s.grid, index):
        yield team, _MINE if s.source == "patrol" and data.member_on(team, finder, day) else _NOT_MINE


def _traces(conn, data: _Ledger, index, finders, traced: set[str], period_start: str, as_of: str):
    """`score explain`: the issues behind each count of the traced teams, by id."""
    traces: dict[str, dict[str, list[str]]] = {team: {} for team in traced}
    for team in traced:
        grids = sorted({grid for code, grid in data.grids if code == team})
        for s in issues_as_of(conn, {"kind": "grid", "grids": grids}, as_of, (period_start, as_of)):
            for code, own in _teams_and_own(s, data, index, finders):
                if code != team:
                    continue
                for key, n in metrics.tally([s], period_start, as_of, own=own).items():
                    if n and ":" not in key:
                        traces[team].setdefault(key, []).append(s.id)
    return traces


def _weeks(start: str, end: str) -> list[tuple[str, str]]:
    """The ISO weeks of the period (a week belongs where its Thursday falls): (Monday, Sunday)."""
    first = date.fromisoformat(start)
    monday = first - timedelta(days=first.weekday())
    out = []
    while (monday + timedelta(days=3)).isoformat() <= end:
        if (monday + timedelta(days=3)).isoformat() >= start:
            out.append((monday.isoformat(), (monday + timedelta(days=6)).isoformat()))
        monday += timedelta(days=7)
    return out


def _missed_patrols(conn, start: str, end: str) -> dict[tuple[str, str], list[str]]:
    """(team, person) → the weeks (ended by `end`) a team patrol was owed and not made: the rule of
    `patrol missing` (`records.weekly.missing_patrols`, excused by `on_leave` for a whole week's
    approved leave). The obligations short of patrols are counted in SQL for all the weeks at once
    (`ledger.scoring.short_patrols`); leave is read for the people among them."""
    rules = [r for r in load_rules()["patrols"] if r["who"] == "team"]
    weeks = [(monday, sunday) for monday, sunday in _weeks(start, end) if sunday <= end]
    if not rules or not weeks:
        return {}
    short: dict[str, set[tuple[str, str]]] = {}
    for rule in rules:
        for team, person, monday in sq.short_patrols(conn, weeks, rule["per_week"]):
            short.setdefault(monday, set()).add((team, person))
    people = {person for keys in short.values() for _, person in keys}
    leave = sq.member_leave(conn, (date.fromisoformat(weeks[0][0]) - timedelta(days=90)).isoformat(), weeks[-1][1],
                            people)
    cal = load_calendar()
    out: dict[tuple[str, str], list[str]] = {}
    for monday, sunday in weeks:
        if monday not in short:
            continue
        first = date.fromisoformat(monday)
        workdays = [d for d in (first + timedelta(days=i) for i in range(7)) if cal.is_workday(d)]
        owing = {person for _, person in short[monday]}   # on_leave answers person by person
        excused = on_leave([r for r in leave if r[2] <= sunday and r[0] in owing], workdays)
        label = "{}-W{:02d}".format(*first.isocalendar()[:2])
        for team, person in short[monday]:
            if person not in excused:
                out.setdefault((team, person), []).append(label)
    return out


def _missed_meetings(conn, data: _Ledger, start: str, end: str) -> dict[tuple[str, str], list[str]]:
    """(team, person) → the team's meetings (with attendees recorded) held without a member who
    was in the team that day and not on approved leave (`on_leave`, as for patrols)."""
    people: dict[str, set[str]] = {}
    for m in data.memberships:
        people.setdefault(m["team"], set()).add(m["person"])
    absent: list[tuple[str, str, str, str]] = []
    missing: dict[tuple[str, str], list[str]] = {}    # a team's meetings mostly list the same attendees
    for meeting, team, day, attendees in sq.team_meetings(conn, start, end):
        away = missing.get((team, attendees))
        if away is None:
            away = missing[(team, attendees)] = sorted(people.get(team, set()) - set(json.loads(attendees)))
        for person in away:
            if data.member_on(team, person, day):
                absent.append((meeting, team, day, person))
    out: dict[tuple[str, str], list[str]] = {}
    if not absent:
        return out
    leave = sq.member_leave(conn, (date.fromisoformat(start) - timedelta(days=90)).isoformat(), end,
                            {a[3] for a in absent})
    excused: dict[str, set[str]] = {}
    for meeting, team, day, person in absent:
        if day not in excused:
            excused[day] = on_leave([r for r in leave if r[2] <= day], [date.fromisoformat(day)])
        if person not in excused[day]:
            out.setdefault((team, person), []).append(meeting)
    return out


@dataclass
class _Inputs:
    cfg: dict
    period: str
    start: str
    end: str
    conduct: dict
    surveys: dict
    patrols: dict
    meetings: dict
    flags: dict
    unfit_before: dict
    worked: dict = field(default_factory=dict)
    """(formula, its figures) → its result, worked out once: most members share their figures."""

    def item(self, formula, *figures) -> Item:
        """`formula(*figures, cfg)` (a pure function of them), computed once per figures (and their
        types: 2 and 2.0 are equal keys but print apart)."""
        key = (formula, figures, tuple(map(type, figures)))
        found = self.worked.get(key)
        if found is None:
            found = self.worked[key] = formula(*figures, self.cfg)
        return found


_NO_CONDUCT = {"publicity": 0, "absent": 0, "notices": 0, "missed": 0, "ids": {}}
_NO_VOTES = {"satisfied": 0, "fair": 0, "unsatisfied": 0, "ids": []}


def _member(inp: _Inputs, data: _Ledger, m: dict, figures: _TeamFigures, trace) -> MemberScore:
    cfg, person, team, perf = inp.cfg, m["person"], data.teams[m["team"]], figures.perf
    days, share = _days(m["since"], m["until"], inp.start, inp.end)
    c = inp.conduct.get(person, _NO_CONDUCT)
    votes = inp.surveys.get((team["code"], person), _NO_VOTES)
    patrols = inp.patrols.get((team["code"], person), [])
    meetings = inp.meetings.get((team["code"], person), [])
    quota = cfg["publicity"]["quota" if "Q" in inp.period else "quota_year"]
    items = {"publicity": inp.item(fx.publicity, c["publicity"],
                                   quota * (share if cfg["rules"]["joined_mid_quarter"] == "prorate" else 1)),
             "attendance": inp.item(fx.attendance, c["absent"], c["notices"]),
             "study": inp.item(fx.study, c["missed"], len(patrols), len(meetings)),
             "satisfaction": inp.item(fx.satisfaction, votes["satisfied"], votes["fair"], votes["unsatisfied"])}
    missing = list(figures.missing)
    if items["satisfaction"].points is None:
        missing.append("survey")
    conduct = sum(i.points or 0 for i in items.values())
    total = None
    if perf.points is not None and items["satisfaction"].points is not None:
        total = conduct + perf.points
    unfit = fx.unfit(c["absent"], c["notices"], cfg) + inp.unfit_before.get(person, [])
    grade = fx.grade(total, cfg["member_tiers"])
    if unfit and any(u in ("absent", "notices") for u in unfit):
        grade = cfg["member_tiers"][-1][0]
    member = MemberScore(
        id=f"{team['code']}:{person}", person=person, name=data.names.get(person), team=team["code"],
        team_name=team["name"], unit=team["unit"], role=m["role"], days=days,
        counts={"publicity": c["publicity"], "absent": c["absent"], "notices": c["notices"], "missed": c["missed"],
                "missed_patrols": len(patrols), "missed_meetings": len(meetings)},
        votes={k: votes[k] for k in ("satisfied", "fair", "unsatisfied")}, conduct_items=items, conduct=conduct,
        performance=perf.points, performance_items=figures.items,
        rates=figures.rates, total=total, grade=grade, letter=fx.grade(total, cfg["letters"]),
        missing=missing, unfit=unfit, flag=inp.flags.get(person) or inp.flags.get(team["code"]))
    if trace is not None:
        member.rows = {"publicity": c["ids"].get("publicity", []),
                       "attendance": c["ids"].get("absent", []) + c["ids"].get("notices", []),
                       "study": c["ids"].get("missed", []), "patrol_weeks": patrols, "meetings": meetings,
                       "survey": votes["ids"],
                       "issues": {rate: {"numerator": trace.get(num, []), "denominator": trace.get(den, [])}
                                  for rate, (num, den) in metrics.RATE_COUNTS.items()}}
    return member


@dataclass
class _TeamFigures:
    """A team's rates and performance, and what each member's row repeats of them (worked out once)."""

    rates: dict[str, metrics.Rate]
    perf: metrics.Performance
    items: dict = field(default_factory=dict)
    missing: tuple[str, ...] = ()


def _performance(counts: Counter, cfg: dict) -> _TeamFigures:
    r = metrics.rates(counts)
    perf = metrics.performance(r, *weights(cfg))
    missing = tuple(f"team:{k}" for k in perf.missing) if perf.points is not None else ("team:performance",)
    return _TeamFigures(r, perf, fx.performance_items(perf), missing)


def compute(db: Path, period: str, unit: str | None = None, config: Path | None = None,
            trace_person: str | None = None) -> Assessment:
    """Score every member, team and dispatching unit of the period; an approved period gives
    its approved figures, with what was recorded since listed beside them."""
    cfg = load_scoring(config)
    start, end = period_bounds(period)
    if start > now().date().isoformat():     # a slip of the year: an empty draft, as of before it began
        raise GridctlError("scoring.period_not_begun", period=period, start=start)
    with collector.paused():
        with ledger(db, cache_mib=READS_MIB) as conn:
            default = not unit and not trace_person
            unit = unit or (ledger_node(conn) if default else None)  # a township ledger: its own node
            approval = mk.current_approval(conn, period)
            if approval and not trace_person:
                frozen = sq.snapshot(conn, approval["event"])
                if frozen:
                    result = from_dict(json.loads(frozen[0]))
                    result.approval = approval
                    result.changed = _changed_since(conn, db, result, frozen[1], config)
                    return _view(conn, result, unit, default)
            if trace_person or sq.issues_held(conn) < APART_FROM:
                result = _live(conn, db, cfg, period, start, end, trace_person)
                result.approval = approval
                return _view(conn, result, unit, default) if not trace_person else result
            data = _read(conn, start, end)
        with _Replayer(db, data, start, end) as replayer, ledger(db, cache_mib=READS_MIB) as conn:  # forked: no ledger open
            result = _live(conn, db, cfg, period, start, end, None, replayer)
            result.approval = approval
            return _view(conn, result, unit, default)


APART_FROM = 50_000
"""Issues held in the ledger from which a score replays in a process of its own (`_Replayer`)."""


def _as_of(end: str) -> str:
    """The moment a period is scored as of: its end, or now while it runs."""
    return min(fmt(now()) or "", f"{end} 23:59")


class _Replayer:
    """The replay of the issues changed since as-of (`_moved_counts`) in a process of its own
    (`gridctl.forked`): on a second core it runs beside the main thread's reads (conduct,
    surveys, meetings) and the reader thread's SQL. Forked once the teams are read (`data`, which
    both processes then hold) and while no ledger is open; as-of is fixed here, for both. Should
    that process fail, the main thread replays as it would have."""

    def __init__(self, db: Path, data: _Ledger, start: str, end: str):
        self.as_of, self.data = _as_of(end), data
        self.forked = Forked(lambda: _replayed(db, data, (start, end), self.as_of))

    def counts(self, conn, data: _Ledger, period: tuple[str, str]) -> dict[str, Counter]:
        return self.forked.result(lambda: _moved_counts(conn, data, period, self.as_of, set())[0])

    def __enter__(self) -> _Replayer:
        return self

    def __exit__(self, *exc) -> None:
        self.forked.close()


def _replayed(db: Path, data: _Ledger, period: tuple[str, str], as_of: str) -> dict[str, Counter]:
    """`_moved_counts` on a connection of its own (in the replaying process)."""
    with ledger(db, cache_mib=READS_MIB) as conn:
        return _moved_counts(conn, data, period, as_of, set())[0]


@dataclass
class _Beside:
    """What `_live` reads on a second connection while it replays: the settled issues' counts
    and the last event counted (SQL, mostly: SQLite runs it without holding Python's lock, so on
    two cores it costs the computation little time)."""

    settled: dict[str, Counter]
    last: tuple[int, str] | None


def _beside(conn, data: _Ledger, period: tuple[str, str], as_of: str, check) -> _Beside:
    """What `_live` reads on a second connection while it replays (`gridctl.beside`): the settled
    counts and the last event counted; `check` between the statements."""
    settled = _settled_counts(conn, data, period, as_of)
    check()
    return _Beside(settled, sq.last_counted(conn, as_of))


def _live(conn, db: Path, cfg, period, start, end, trace_person, replayer: _Replayer | None = None) -> Assessment:
    """The period scored now; the issues changed since as-of replayed here, or by `replayer`."""
    as_of = replayer.as_of if replayer else _as_of(end)
    data = replayer.data if replayer else _read(conn, start, end)
    traced = {m["team"] for m in data.memberships if m["person"] == trace_person}
    with beside(db, "score-beside", lambda other, check: _beside(other, data, (start, end), as_of, check),
                READS_MIB) as later:
        if replayer is None:
            moved, traces = _moved_counts(conn, data, (start, end), as_of, traced)
        flags = mk.flags_in_force(conn, period)
        if "Q" not in period:                        # a year: its quarters' flags count too
            flags += [f for q in range(1, 5) for f in mk.flags_in_force(conn, f"{period}Q{q}")]
        conduct, surveys = sq.conduct(conn, start, end), sq.surveys(conn, start, end)
        meetings, unfit_before = _missed_meetings(conn, data, start, end), _unfit_before(conn, db, cfg, period)
        patrols = _missed_patrols(conn, start, as_of[:10])
        if replayer is not None:
            moved, traces = replayer.counts(conn, data, (start, end)), {}
        read = later.result()
    counts = _summed(read.settled, moved, data)
    inp = _Inputs(cfg, period, start, end, conduct, surveys, patrols, meetings,
                  {f.subject: f.reason for f in flags}, unfit_before)
    perf = {code: _performance(counts[code], cfg) for code in data.teams}
    members = [_member(inp, data, m, perf[m["team"]], traces.get(m["team"])) for m in data.memberships
               if not trace_person or m["person"] == trace_person]
    last = read.last
    result = Assessment(period, start, end, as_of, cfg["version"], cfg, last[1] if last else None, None,
                        members, [], [], [], [], [], flags)
    if trace_person:
        return result
    result.teams = _teams(inp, data, members, perf)
    result.units = _units(inp, result.teams)
    for rows in (result.members, result.teams, result.units):
        ranks = metrics.rank({r.id: (None if r.total is None else round(r.total, 9)) for r in rows})
        for r in rows:
            r.rank = ranks[r.id]
    result.awards, result.exclusions = _awards(cfg, result)
    result.gaps = _gaps(result)
    return result


def _teams(inp: _Inputs, data: _Ledger, members: list[MemberScore], perf) -> list[TeamScore]:
    by_team: dict[str, list[MemberScore]] = {}
    for m in members:
        by_team.setdefault(m.team, []).append(m)
    out = []
    for code, tm in data.teams.items():
        scored = by_team.get(code, [])
        rated = [m for m in scored if m.rated]
        figures = perf[code]
        total = fx.mean([m.total for m in rated if m.total is not None]) if figures.perf.points is not None else None
        out.append(TeamScore(id=code, team=code, name=tm["name"], unit=tm["unit"], members=len(scored),
                             rated_members=len(rated), conduct=fx.mean([m.conduct for m in rated]),
                             performance=figures.perf.points, rates=figures.rates, total=total,
                             grade=fx.grade(total, inp.cfg["tiers"]), letter=fx.grade(total, inp.cfg["letters"]),
                             missing=figures.perf.missing if figures.perf.points is not None else ["performance"],
                             flag=inp.flags.get(code)))
    return out


def _units(inp: _Inputs, teams: list[TeamScore]) -> list[UnitScore]:
    by_unit: dict[str, list[TeamScore]] = {}
    for row in teams:
        by_unit.setdefault(row.unit, []).append(row)
    out = []
    for unit, rows in sorted(by_unit.items()):
        total = fx.mean([r.total for r in rows if r.total is not None])
        out.append(UnitScore(id=unit, unit=unit, name=unit, teams=len(rows), total=total,
                             grade=fx.grade(total, inp.cfg["tiers"]), letter=fx.grade(total, inp.cfg["letters"]),
                             flag=inp.flags.get(unit)))
    return out


def _why_not(row, order: list[str], min_tier: str) -> tuple[str | None, str | None]:
    """Why a candidate is not eligible for an award (None when it is)."""
    if row.total is None:
        return "unrated", ", ".join(getattr(row, "missing", []))
    if row.flag:
        return "flagged", row.flag
    if getattr(row, "unfit", None):
        return "unfit", ", ".join(row.unfit)
    if order.index(row.grade) > order.index(min_tier):
        return "below_tier", row.grade
    return None, None


def _awards(cfg: dict, r: Assessment) -> tuple[list[Award], list[Exclusion]]:
    out, excluded = [], []
    groups = (("teams", r.teams, cfg["tiers"], cfg["awards"]["min_tier"]),
              ("leaders", [m for m in r.members if m.role == "leader"], cfg["member_tiers"], cfg["awards"]["min_member_tier"]),
              ("members", [m for m in r.members if m.role == "member"], cfg["member_tiers"], cfg["awards"]["min_member_tier"]),
              ("units", r.units, cfg["tiers"], cfg["awards"]["min_tier"]))
    for kind, rows, scale, min_tier in groups:
        order = [n for n, _ in scale]
        eligible = []
        for row in rows:
            reason, detail = _why_not(row, order, min_tier)
            if reason is None:
                eligible.append({"id": row.id, "name": row.name, "total": row.total,
                                 "performance": getattr(row, "performance", None), "conduct": getattr(row, "conduct", None)})
            elif reason != "below_tier":
                excluded.append(Exclusion(kind, row.id, row.name, reason, detail))
        for a in fx.awards(eligible, cfg["awards"][kind]):
            out.append(Award(kind, a["award"], a["id"], a["name"], a["total"], a["shared"]))
    return out, excluded


def _gaps(r: Assessment) -> list[Gap]:
    out = []
    for team in r.teams:
        for item in team.missing:
            out.append(Gap(team.id, team.name, item, "nothing_to_count" if item != "performance" else "no_rated_item"))
    for m in r.members:
        if "survey" in m.missing:
            out.append(Gap(m.id, m.name, "survey", "no_votes"))
    return out


def _unfit_before(conn, db: Path, cfg: dict, period: str) -> dict[str, list[str]]:
    """不称职 in a quarter bars awards for the rest of the year: for a quarter, the approved results
    of the year's earlier quarters; for a year, each of its quarters (approved, else as scored now)."""
    year, _, quarter = period.partition("Q")
    out: dict[str, list[str]] = {}
    for q in range(1, int(quarter)) if quarter else range(1, 5):
        name, lowest = f"{year}Q{q}", cfg["member_tiers"][-1][0]
        approval = mk.current_approval(conn, name)
        frozen = sq.snapshot(conn, approval["event"]) if approval else None
        if frozen:
            members = from_dict(json.loads(frozen[0])).members
        elif not quarter:
            start, end = period_bounds(name)
            try:
                members = _live(conn, db, cfg, name, start, end, None).members
            except GridctlError:                 # no team in that quarter
                continue
        else:
            continue
        for m in members:
            if m.grade == lowest or any(u in ("absent", "notices") for u in m.unfit):
                out.setdefault(m.person, []).append(name)
    return out


def _view(conn, result: Assessment, unit: str | None, default: bool = False) -> Assessment:
    """`--unit` (by default a township ledger's own node): show the members, teams and units under
    it; ranks and awards stay the whole population's (the view says so). `scope` names the view
    for people; a view that holds every team is the whole."""
    if not unit:
        return result
    teams, name = _scope(conn, result, unit)
    whole = teams >= {row.team for row in result.teams}
    result.scope = {"unit": unit, "name": name, "default": default, "whole": whole}
    if whole:
        return result
    units = {row.unit for row in result.teams if row.team in teams}
    result.unit = unit
    result.members = [m for m in result.members if m.team in teams]
    result.teams = [row for row in result.teams if row.team in teams]
    result.units = [row for row in result.units if row.unit in units]
    keep = teams | units | {m.id for m in result.members}
    result.awards = [a for a in result.awards if a.id in keep]
    result.exclusions = [e for e in result.exclusions if e.id in keep]
    result.gaps = [g for g in result.gaps if g.subject in keep]
    return result


def _scope(conn, result: Assessment, unit: str) -> tuple[set[str], str]:
    """The teams a `--unit` names (a team, a dispatching unit, or a grid node and what is
    assigned at, above or under it) and its name as people say it."""
    matched = [row for row in result.teams if unit in (row.team, row.unit)]
    team = next((row for row in matched if row.team == unit), None)
    if team:
        return {team.team}, f"{team.team} {team.name}"
    if matched:
        return {row.team for row in matched}, unit
    node = gq.resolve_node(conn, unit)
    code = node["code"]
    teams = {team for team, grid in sq.team_grids(conn, result.start, result.end)
             if grid.startswith(code) or code.startswith(grid)}
    return teams, f"{node['name']} ({code})"


def _changed_since(conn, db, approved: Assessment, last_seq, config) -> dict:
    """What was recorded after the approval, dated inside the period, and the figures it would change."""
    late = sq.late_events(conn, last_seq or 0, f"{approved.start} 00:00", f"{approved.end} 23:59")
    if not late:
        return {"events": [], "figures": []}
    cfg = load_scoring(config)
    live = _live(conn, db, cfg, approved.period, approved.start, approved.end, None)
    before = {m.id: m.total for m in approved.members} | {x.id: x.total for x in approved.teams}
    now_ = {m.id: m.total for m in live.members} | {x.id: x.total for x in live.teams}
    figures = [{"id": k, "approved": before.get(k), "now": now_.get(k)} for k in sorted(set(before) | set(now_))
               if _differs(before.get(k), now_.get(k))]
    return {"events": late, "figures": figures}


def _differs(a, b) -> bool:
    if a is None or b is None:
        return a is not b
    return abs(a - b) > 1e-9


def explain(db: Path, person: str, period: str, config: Path | None = None) -> Assessment:
    """Every figure of one person's score with the ledger rows behind it."""
    if not person.strip():        # no one to trace: the score would be computed for everyone
        raise GridctlError("issue.option_required", option="--person")
    with ledger(db) as conn:
        found = sq.person_ids(conn, person)
    person = found[0] if len(found) == 1 else person
    result = compute(db, period, None, config, trace_person=person)
    if not result.members:
        raise GridctlError("scoring.not_member", person=person, period=period)
    return result
