"""The weekly 网格化管理动态台账 of a unit (a grid node, a team or a department).

Sheets: 概况, 问题台账, 超期督办, 巡查情况 (one row per person, or per child grid above a
township; `--detail` adds 巡查明细), 未巡查, 会议, 说明. Every figure is counted from the ledger
as it stood at `as_of` (default: the end of the week, or now if sooner). `weekly_rows` reads the
ledger into plain rows; `write_weekly` lays them out on paper.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from gridctl import __version__
from gridctl.beside import beside
from gridctl.errors import GridctlError
from gridctl.issues import lifecycle as lc
from gridctl.issues.calendar import load_calendar
from gridctl.issues.notes import stored_note
from gridctl.ledger import grids as gq
from gridctl.ledger import ledger
from gridctl.ledger.db import READS_MIB
from gridctl.ledger import records as rq
from gridctl.ledger import reports as rr
from gridctl.ledger.issues import IssueState
from gridctl.messages import known, t
from gridctl.records.rules import load_rules, week_bounds
from gridctl.records.weekly import excused_in, missing_patrols, via_text
from gridctl.reports.asof import replay_many
from gridctl.reports.book import Book, Col, fill_for
from gridctl.reports.visits import visit_lines, write_visits
from gridctl.timefmt import as_of_moment, begun, fmt, now, parse, parse_given

# The ledger row (问题台账) as offices print it; the columns after 预警 stay on the screen.
LEDGER_COLS = [Col("export.no", "int"), Col("export.id", "code"), Col("export.grid_name", "long"),
               Col("export.category", "text"), Col("export.title", "long"), Col("export.found_at", "time"),
               Col("export.assignee", "text"), Col("export.deadline", "time"), Col("export.status", "text"),
               Col("export.colour", "text"),
               Col("export.source", "text", True), Col("export.place", "text", True),
               Col("export.reported_at", "time", True), Col("export.accepted_at", "time", True),
               Col("export.dispatched_at", "time", True), Col("export.handled_at", "time", True),
               Col("export.closed_at", "time", True), Col("export.holder", "text", True),
               Col("report.lead", "text", True), Col("export.last_note", "long", True)]
OVERDUE_COLS = [Col("export.no", "int"), Col("export.id", "code"), Col("export.grid_name", "long"),
                Col("export.category", "text"), Col("export.title", "long"), Col("export.deadline", "time"),
                Col("report.days_overdue", "num"), Col("export.holder", "text"), Col("export.assignee", "text"),
                Col("report.lead", "text")]
PERSON_COLS = [Col("col.person", "code"), Col("col.person_name", "text"), Col("report.patrol_grids", "long"),
               Col("report.patrol_count", "int"), Col("col.households", "int"), Col("col.found", "int")]
GRID_COLS = [Col("report.group", "text"), Col("report.patrol_people", "int"), Col("report.patrol_count", "int"),
             Col("col.households", "int"), Col("col.found", "int"), Col("report.missing_count", "int"),
             Col("report.meetings_held", "int"), Col("report.meetings_missed", "int")]
DETAIL_COLS = [Col("col.person", "code"), Col("col.person_name", "text"), Col("col.grid", "code"),
               Col("grid.path", "long"), Col("report.patrol_count", "int"), Col("col.households", "int"),
               Col("col.found", "int")]
MISSING_COLS = [Col("col.person", "code"), Col("col.person_name", "text"), Col("col.grid", "code"),
                Col("grid.path", "long"), Col("missing.via", "text"), Col("missing.made", "int")]
MEETING_COLS = [Col("col.date", "date"), Col("col.unit", "long"), Col("col.kind", "text"),
                Col("report.attendee_count", "int"), Col("col.notes.meeting", "long")]
_TIMES = ("found_at", "reported_at", "accepted_at", "dispatched_at", "handled_at", "closed_at", "deadline")
BY_GRID_LEVELS = ("city", "district")      # above a township, the patrol sheet counts per child grid


def default_as_of(last_moment: str, as_of: str | None, period: tuple[str, str] | None = None) -> str:
    """`--as-of`, else the end of the period, or now if that is sooner. An `--as-of` of a day to
    come is refused: the workbook said `截至 2027-01-01 00:00` and counted as overdue every issue
    whose deadline falls before then, as if it had run late; so is one before the period
    (`period`: its name and first day) began, which can hold nothing of it (`2026-11 … 截至 2026-10-15`)."""
    if as_of:
        moment = as_of_moment(as_of)             # a day to come refused (timefmt)
        if period and moment[:10] < period[1]:
            raise GridctlError("report.as_of_before", as_of=as_of.strip(), period=period[0], start=period[1])
        return moment
    return min(fmt(now()), last_moment)


class _Names:
    """Names for codes met while streaming, looked up in batches and remembered."""

    def __init__(self, conn, unit: dict):
        self.conn = conn
        self.prefix = unit["name"] + "/" if unit["kind"] == "grid" else ""
        self.categories = rr.category_names(conn)
        self.cache: dict[str, dict[str, str]] = {"grids": {}, "people": {}, "departments": {}, "teams": {}}

    def prime(self, states: list[IssueState]) -> None:
        wanted = {"grids": {s.grid for s in states} | {s.holder for s in states},
                  "people": {s.lead_person for s in states} | {s.assignee for s in states},
                  "departments": {s.department for s in states} | {s.assignee for s in states},
                  "teams": {s.assignee for s in states}}
        for table, codes in wanted.items():
            missing = [c for c in codes if c and c not in self.cache[table]]
            if missing:
                self.cache[table].update(gq.names(self.conn, table, missing))

    def of(self, table: str, code: str | None) -> str | None:
        return self.cache[table].get(code, code) if code else None

    def grid(self, code: str | None) -> str | None:
        """The grid's path below the unit (the unit itself by its full path)."""
        return _relative(self.of("grids", code), self.prefix)

    def assignee(self, s: IssueState) -> str | None:
        code = s.assignee or s.department
        kind = s.assignee_kind or "department"
        table = {"department": "departments", "team": "teams", "person": "people"}[kind]
        return self.of(table, code)


def _times(s: IssueState) -> dict:
    return {k: _stored(v, k) if (v := getattr(s, k)) else None for k in _TIMES}


def _stored(text: str, field: str) -> datetime | None:
    """A time as the ledger stores it (`2026-11-20 14:30`) read by the C parser (a city's ledger
    sheet reads ~270k of them), anything else by `timefmt.parse`: the same moment either way."""
    if len(text) == 16 and text[10] == " ":
        return datetime.fromisoformat(text)
    return parse(text, field)


@dataclass
class Line:
    """One printed row: its values and its warning colour (预警)."""

    values: list
    fill: str | None = None


@dataclass
class Weekly:
    """The weekly's rows, sheet by sheet, before any layout (`weekly_rows` → `write_weekly`)."""

    title: str
    summary: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)
    ledger: list[Line] = field(default_factory=list)
    overdue: list[Line] = field(default_factory=list)
    patrols: list[Line] = field(default_factory=list)
    patrols_by_grid: bool = False
    detail: list[Line] | None = None
    missing: list[Line] = field(default_factory=list)
    meetings: list[Line] = field(default_factory=list)
    missed_meetings: list[Line] = field(default_factory=list)
    visits: list[list] = field(default_factory=list)      # 重点人群走访 (the register's, #17)
    notes: list[tuple[str, object]] = field(default_factory=list)
    figures: dict = field(default_factory=dict)


def weekly_report(db: Path, unit_text: str, week: str, as_of: str | None = None, paper=None,
                  detail: bool = False, csv: bool = False):
    """Build the weekly workbook; return (book, figures)."""
    rows = weekly_rows(db, unit_text, week, as_of, detail)
    return write_weekly(rows, paper, csv), rows.figures


def weekly_rows(db: Path, unit_text: str, week: str, as_of: str | None = None, detail: bool = False) -> Weekly:
    monday, sunday = week_bounds(week)
    begun(week, monday)
    as_of = default_as_of(f"{sunday} 23:59", as_of, (week, monday))
    start, end = f"{monday} 00:00", min(f"{sunday} 23:59", as_of)
    cal, rules = load_calendar(), load_rules()
    with ledger(db, cache_mib=READS_MIB) as conn:
        unit = rr.resolve_unit(conn, unit_text)
        w = Weekly(t("report.weekly_title", unit=unit["name"], week=week, monday=monday, sunday=sunday, as_of=as_of))

        def counting(other, _check) -> list[tuple]:  # the settled issues' grouped counts: one statement
            return list(rr.settled_figures(other, unit, as_of, start, end, cal.yellow_at))

        with beside(db, "weekly-counts", counting, READS_MIB) as grouped:   # read while the lists are made
            missing = _missing_rows(conn, unit, rules, monday, sunday, end[:10], as_of)
            w.missing = [Line([m["person"], m["person_name"], m["grid"], m["path"], m["via_text"], m["made"]])
                         for m in missing]
            held, missed = _meetings(conn, unit, rules, monday, sunday, end[:10], as_of, w)
            patrols = _patrols(conn, unit, monday, end[:10], as_of, (missing, held, missed), detail, w)
            figures = _issues(conn, unit, as_of, start, end, cal, w, grouped.result)
        figures.update(meetings_held=len(held), meetings_missed=len(missed))
        figures["patrols"] = patrols
        figures["missing"] = len(missing)
        w.summary = _summary(figures)
        w.visits = visit_lines(conn, unit, end[:10])
        last = rr.last_event(conn, as_of)
        figures.update(unit=unit, week=week, monday=monday, sunday=sunday, as_of=as_of,
                       last_event=last[3] if last else None)
        w.notes = _notes(conn, figures, cal, rules, last)
        w.figures = figures
    return w


def write_weekly(w: Weekly, paper=None, csv: bool = False) -> Book:
    """The weekly as a printable workbook: 概况, 问题台账, 超期督办, 巡查情况, 未巡查, 会议, 说明."""
    book = Book(paper, w.figures["as_of"], csv)
    summary = book.table("report.summary", w.title, [Col("report.item", "text"), Col("report.count", "int")])
    ledger_sheet = book.table("report.ledger", w.title, LEDGER_COLS, primary=True)
    overdue_sheet = book.table("report.overdue", w.title, OVERDUE_COLS)
    patrols = book.table("report.patrols", w.title, GRID_COLS if w.patrols_by_grid else PERSON_COLS)
    details = book.table("report.patrol_detail", w.title, DETAIL_COLS) if w.detail is not None else None
    # above a township the lists of names are details: 巡查情况 counts them per child grid
    lists = w.detail is not None or not w.patrols_by_grid
    missing = book.table("report.missing", w.title, MISSING_COLS) if lists else None
    meetings = book.table("report.meetings", w.title, MEETING_COLS) if lists else None
    for heading, items in w.summary:
        summary.section(heading)
        for name, count in items:
            summary.row([name, count])
    for sheet, lines in ((ledger_sheet, w.ledger), (overdue_sheet, w.overdue), (patrols, w.patrols),
                         (details, w.detail or []), (missing, w.missing), (meetings, w.meetings)):
        if sheet is None:
            continue
        for line in lines:
            sheet.row(line.values, fill=line.fill)
    if w.missed_meetings and meetings:
        meetings.section(t("report.meetings_missed"))
        for line in w.missed_meetings:
            meetings.row(line.values, fill=line.fill)
    write_visits(book, w.title, w.visits)
    book.notes(w.title, w.notes + [("report.print_note", t("report.weekly_print_note"))])
    return book


def _issues(conn, unit, as_of, start, end, cal, w: Weekly, grouped) -> dict:
    """Counts in SQL over issues whose row is still their state at `as_of` (`grouped()`: the rows
    of `ledger.reports.settled_figures`, read beside); issues changed since are replayed from
    their events and counted here, after them. Rows come in id order."""
    names = _Names(conn, unit)
    counts: dict[str, Counter] = {"status": Counter(), "category": Counter(), "source": Counter(),
                                  "colour": Counter()}
    week: Counter = Counter()
    moved = [(s, lc.colour(s, as_of, cal.yellow_at)) for s in replay_many(conn, rr.moved_ids(conn, unit, as_of), as_of)]
    settled = rr.settled_rows(conn, unit, as_of, start)
    for status, category, source, colour, new, closed, n in grouped():
        _count(counts, week, names, status, category, source, colour, new, closed, n)
    replayed = []
    for s, colour in moved:
        _count(counts, week, names, s.status, s.category, s.source, colour,
               start <= s.reported_at <= end, bool(s.closed_at) and start <= s.closed_at <= end, 1)
        if s.updated_at >= start or colour == "red":
            replayed.append((s, colour))
    week["overdue"] = counts["colour"].get("red", 0)
    week["escalated"] = rr.escalated_count(conn, unit, start, end)
    chunk: list[tuple[IssueState, str | None]] = []
    for coloured in heapq.merge(_with_colour(settled, as_of, cal), replayed,
                                key=lambda coloured: coloured[0].id):
        chunk.append(coloured)
        if len(chunk) >= 2000:
            _flush(chunk, names, as_of, start, w)
    _flush(chunk, names, as_of, start, w)
    return {**{k: dict(v) for k, v in counts.items()}, "this_week": dict(week),
            "rows": {"ledger": len(w.ledger), "overdue": len(w.overdue)}}


def _count(counts, week, names, status, category, source, colour, new, closed, n) -> None:
    counts["status"][status] += n
    counts["category"][names.categories.get(category, category)] += n
    counts["source"][source] += n
    if colour:
        counts["colour"][colour] += n
    week["new"] += n if new else 0
    week["closed"] += n if closed else 0


def _with_colour(states, as_of, cal):
    """Each issue with its warning colour (预警) at `as_of`."""
    for s in states:
        yield s, lc.colour(s, as_of, cal.yellow_at)


def _flush(chunk, names, as_of, start, w: Weekly) -> None:
    names.prime([s for s, _ in chunk])
    for s, colour in chunk:
        _issue_lines(s, colour, names, as_of, start, w)
    chunk.clear()


def _issue_lines(s: IssueState, colour: str | None, names, as_of, start, w: Weekly) -> None:
    fill = fill_for(colour)
    grid, holder = names.grid(s.grid), names.grid(s.holder)
    lead, assignee = names.of("people", s.lead_person), names.assignee(s)
    category = names.categories.get(s.category, s.category)
    if s.updated_at >= start:
        times = _times(s)
        w.ledger.append(Line([
            len(w.ledger) + 1, s.id, grid, category, s.title, times["found_at"], assignee, times["deadline"],
            t(f"status.{s.status}"), t(f"colour.{colour}") if colour else None,
            t(f"source.{s.source}"), s.place, times["reported_at"], times["accepted_at"],
            times["dispatched_at"], times["handled_at"], times["closed_at"], holder, lead, stored_note(s.last_note)], fill))
    if colour == "red":
        due = parse_given(s.due or "", "due")                  # an overdue issue has a due time
        late = (parse_given(as_of, "as_of") - due).total_seconds() / 86400
        w.overdue.append(Line([len(w.overdue) + 1, s.id, grid, category, s.title, due,
                               round(late, 1), holder, assignee, lead], fill))


def _patrols(conn, unit, monday, last_day, as_of, lists, detail, w: Weekly) -> int:
    """巡查情况: one row per person with the week's counts — per child grid above a township."""
    rows = rr.patrols_between(conn, unit, monday, last_day, as_of)
    if detail:
        w.detail = [Line([p["person"], p["name"], p["grid"], p["path"], p["patrols"], p["households"], p["found"]])
                    for p in rows]
    level = gq.resolve_node(conn, unit["code"])["level"] if unit["kind"] == "grid" else None
    if level in BY_GRID_LEVELS:
        w.patrols_by_grid = True
        w.patrols = _by_grid(rr.child_grids(conn, unit["code"]), rows, lists, rr.team_grids(conn))
    else:
        w.patrols = _by_person(rows, unit)
    return sum(p["patrols"] for p in rows)


def _by_person(rows: list[dict], unit: dict) -> list[Line]:
    per: dict[str, dict] = {}
    prefix = unit["name"] + "/" if unit["kind"] == "grid" else ""
    for p in rows:
        c = per.setdefault(p["person"], {"name": p["name"], "grids": [], "patrols": 0, "households": 0, "found": 0})
        c["grids"].append(_relative(p["path"], prefix))
        for k in ("patrols", "households", "found"):
            c[k] += p[k] or 0
    return [Line([person, c["name"], "、".join(c["grids"]), c["patrols"], c["households"], c["found"]])
            for person, c in sorted(per.items())]


def _by_grid(children: dict[str, str], rows: list[dict], lists, team_grids) -> list[Line]:
    """One row per child grid: people and patrols, patrols owed not made, meetings held and missed."""
    missing, held, missed = lists
    keys = ("patrols", "households", "found", "missing", "held", "missed")
    per: dict[str, dict[str, Any]] = {code: {"people": set(), **dict.fromkeys(keys, 0)} for code in children}

    def add(grid, key, n=1):
        c = per.get(_child(grid or "", children))
        if c is not None:
            c[key] += n
        return c

    for p in rows:
        if (c := add(p["grid"], "patrols", p["patrols"] or 0)) is not None:
            c["people"].add(p["person"])
            c["households"] += p["households"] or 0
            c["found"] += p["found"] or 0
    for m in missing:
        add(m["grid"], "missing")
    for m in held:
        add(m["unit"] if m["unit"] not in team_grids else team_grids[m["unit"]][0], "held")
    for code in missed:
        add((team_grids.get(code) or [None])[0], "missed")
    return [Line([children[code], len(c["people"]), *(c[k] for k in keys)],
                 fill_for("yellow") if c["missing"] or c["missed"] else None) for code, c in per.items()]


def _child(grid: str, children: dict[str, str]) -> str | None:
    return next((code for code in children if grid.startswith(code)), None)


def _relative(path: str | None, prefix: str) -> str | None:
    """A grid's path below the report's unit: `黄河路社区/1号楼院` in 经八路街道's weekly."""
    if path and prefix and path.startswith(prefix):
        return path[len(prefix):]
    return path


def _missing_rows(conn, unit, rules, monday, sunday, last_day, as_of) -> list[dict]:
    if unit["kind"] == "department":
        return []
    within = unit["code"] if unit["kind"] == "grid" else None     # a node: its own grids' obligations and patrols
    obligations = rq.week_obligations(conn, rules["patrols"], monday, sunday, within)
    if unit["kind"] == "team":
        obligations = [ob for ob in obligations if ob["via"] == f"team:{unit['code']}"]
    else:
        obligations = [ob for ob in obligations if ob["grid"].startswith(unit["code"])]
    excused = excused_in(conn, monday, sunday, as_of)
    missing = missing_patrols(obligations, rq.week_patrols(conn, monday, last_day, as_of, within), excused)
    missing.sort(key=lambda m: (m["grid"], m["person"], m["via"]))
    people = gq.names(conn, "people", [m["person"] for m in missing])
    paths = gq.names(conn, "grids", [m["grid"] for m in missing])
    teams = gq.names(conn, "teams", [m["via"][5:] for m in missing if m["via"].startswith("team:")])
    for m in missing:
        m["person_name"], m["path"] = people.get(m["person"]), paths.get(m["grid"])
        m["via_text"] = via_text(m["via"], teams)   # 依据 in words, as `patrol missing` prints it
    return missing


def _meetings(conn, unit, rules, monday, sunday, last_day, as_of, w: Weekly) -> tuple[list[dict], list[str]]:
    """Meetings held in the week, and the teams that owed one and did not hold it."""
    held = rr.meetings_between(conn, unit, monday, last_day, as_of)
    teams = rr.team_names(conn)
    for m in held:
        attendees = len(json.loads(m["attendees"]))
        w.meetings.append(Line([date.fromisoformat(m["date"]), teams.get(m["unit"], m["unit"]), known("mkind", m["kind"]), attendees, m["notes"]]))
    wanted, missed = rr.teams_in(conn, unit), []
    for rule in rules["meetings"]:
        counts = Counter(m["unit"] for m in held if m["kind"] == rule["kind"])
        for code, name in rq.week_teams(conn, monday, sunday):
            if code in wanted and counts[code] < rule["per_week"]:
                missed.append(code)
                w.missed_meetings.append(Line([None, f"{name} ({code})", known("mkind", rule["kind"]), 0, t("report.not_held")],
                                              fill_for("yellow")))
    return held, missed


def _summary(f: dict) -> list[tuple[str, list[tuple[str, int]]]]:
    return [
        (t("report.this_week"), [(t(f"report.week_{k}"), f["this_week"].get(k, 0))
                                 for k in ("new", "closed", "overdue", "escalated")]),
        (t("report.by_colour"), [(t(f"colour.{c}"), f["colour"].get(c, 0)) for c in ("green", "yellow", "red")]),
        (t("report.by_status"), [(t(f"status.{s}"), f["status"].get(s, 0)) for s in lc.STATUSES]),
        (t("report.by_category"), sorted(f["category"].items(), key=lambda kv: (-kv[1], kv[0]))),
        (t("report.by_source"), [(t(f"source.{s}"), f["source"][s]) for s in lc.SOURCES if s in f["source"]]),
        (t("report.conduct"), [(t("report.patrol_count"), f["patrols"]), (t("report.missing_count"), f["missing"]),
                               (t("report.meetings_held"), f["meetings_held"]),
                               (t("report.meetings_missed"), f["meetings_missed"])]),
    ]


def _duties(load: tuple | None, later: bool) -> str:
    """职责矩阵: the load in force at the as-of time, said as `digest (time)`; where the ledger's
    first load came after it, said so (a week reported from a ledger built since)."""
    if load is None:
        return t("grid.none")
    digest, at = load[2][:16], load[0].replace("T", " ")[:16]
    return t("report.duties_later", digest=digest, at=at) if later else f"{digest} ({at})"


def _notes(conn, f, cal, rules, last) -> list[tuple[str, object]]:
    load, later = rr.load_in_force(conn, f["as_of"])
    return [
        ("report.unit", f"{f['unit']['name']} ({t('what.' + f['unit']['kind'])} {f['unit']['code']})"),
        ("report.period", f"{f['week']}: {f['monday']} — {f['sunday']}"),
        ("report.as_of", f["as_of"]),
        ("report.generated", f"gridctl {__version__}"),
        ("report.last_event", t("report.last_event_is", hash=last[3], office=last[1], no=last[2], seq=last[0]) if last else t("grid.none")),
        ("report.calendar", cal.version),
        ("report.rules", rules["version"]),
        ("report.duties", _duties(load, later)),
        ("report.formulas", t("report.weekly_formulas")),
    ]
