"""The weekly 网格化管理动态台账 of a unit (a grid node, a team or a department).

Sheets: 概况, 问题台账, 超期督办, 巡查情况, 未巡查, 会议, 说明. Every figure is counted from the
ledger as it stood at `as_of` (default: the end of the week, or now if sooner).
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from pathlib import Path

from gridctl import __version__
from gridctl.issues import lifecycle as lc
from gridctl.issues.calendar import load_calendar
from gridctl.ledger import grids as gq
from gridctl.ledger import ledger
from gridctl.ledger import records as rq
from gridctl.ledger import reports as rr
from gridctl.messages import t
from gridctl.records.rules import load_rules, week_bounds
from gridctl.records.weekly import excused_in, missing_patrols
from gridctl.reports.asof import replay_many
from gridctl.reports.book import Book, fill_for
from gridctl.timefmt import fmt, now, parse

LEDGER_COLS = ["export.no", "export.id", "export.grid_name", "export.category", "export.source",
               "export.title", "export.place", "export.found_at", "export.reported_at",
               "export.accepted_at", "export.dispatched_at", "export.handled_at", "export.closed_at",
               "export.deadline", "export.status", "export.colour", "export.holder", "report.lead",
               "export.assignee", "export.last_note"]
OVERDUE_COLS = ["export.no", "export.id", "export.grid_name", "export.category", "export.title",
                "export.deadline", "report.days_overdue", "export.holder", "export.assignee", "report.lead"]
_TIMES = ("found_at", "reported_at", "accepted_at", "dispatched_at", "handled_at", "closed_at", "deadline")


def default_as_of(last_moment: str, as_of: str | None) -> str:
    """`--as-of`, else the end of the period, or now if that is sooner."""
    if as_of:
        return fmt(parse(as_of, "--as-of"))
    return min(fmt(now()), last_moment)


class _Names:
    """Names for codes met while streaming, looked up in batches and remembered."""

    def __init__(self, conn):
        self.conn = conn
        self.categories = dict(conn.execute("SELECT code, name FROM categories"))
        self.cache: dict[str, dict[str, str]] = {"grids": {}, "people": {}, "departments": {}, "teams": {}}

    def prime(self, states: list[dict]) -> None:
        wanted = {"grids": {s["grid"] for s in states} | {s["holder"] for s in states},
                  "people": {s["lead_person"] for s in states} | {s["assignee"] for s in states},
                  "departments": {s["department"] for s in states} | {s["assignee"] for s in states},
                  "teams": {s["assignee"] for s in states}}
        for table, codes in wanted.items():
            missing = [c for c in codes if c and c not in self.cache[table]]
            if missing:
                self.cache[table].update(gq.names(self.conn, table, missing))

    def of(self, table: str, code: str | None) -> str | None:
        return self.cache[table].get(code, code) if code else None

    def assignee(self, s: dict) -> str | None:
        code = s["assignee"] or s["department"]
        kind = s["assignee_kind"] or "department"
        table = {"department": "departments", "team": "teams", "person": "people"}[kind]
        return self.of(table, code)


def _times(s: dict) -> list:
    return [parse(s[k], k) if s[k] else None for k in _TIMES]


def weekly_report(db: Path, unit_text: str, week: str, as_of: str | None = None):
    """Build the weekly workbook; return (workbook, figures)."""
    monday, sunday = week_bounds(week)
    as_of = default_as_of(f"{sunday} 23:59", as_of)
    start, end = f"{monday} 00:00", min(f"{sunday} 23:59", as_of)
    cal, rules = load_calendar(), load_rules()
    with ledger(db) as conn:
        unit = rr.resolve_unit(conn, unit_text)
        title = t("report.weekly_title", unit=unit["name"], week=week, monday=monday, sunday=sunday, as_of=as_of)
        book = Book()
        summary = book.sheet("report.summary", title, ["report.item", "report.count"], [40, 16])
        ledger_sheet = book.sheet("report.ledger", title, LEDGER_COLS,
                                  [6, 22, 30, 12, 10, 30, 18] + [16] * 7 + [9, 9, 16, 10, 18, 30], True)
        overdue_sheet = book.sheet("report.overdue", title, OVERDUE_COLS, [6, 22, 30, 12, 30, 16, 10, 16, 18, 10], True)
        figures = _issues(conn, unit, as_of, start, end, cal, ledger_sheet, overdue_sheet)
        figures["patrols"] = _patrols(book, conn, unit, monday, end[:10], as_of, title)
        figures["missing"] = _missing(book, conn, unit, rules, monday, sunday, end[:10], as_of, title)
        figures.update(_meetings(book, conn, unit, rules, monday, sunday, end[:10], as_of, title))
        _summary(summary, figures)
        last = rr.last_event(conn, as_of)
        figures.update(unit=unit, week=week, monday=monday, sunday=sunday, as_of=as_of,
                       last_event=last[3] if last else None)
        book.notes(title, _notes(conn, figures, cal, rules, last))
    return book.finish(), figures


def _issues(conn, unit, as_of, start, end, cal, ledger_sheet, overdue_sheet) -> dict:
    """Counts in SQL over issues whose row is still their state at `as_of`; issues changed
    since are replayed from their events and counted here. Rows stream in id order."""
    names = _Names(conn)
    counts = {"status": Counter(), "category": Counter(), "source": Counter(), "colour": Counter()}
    week = Counter()
    for status, category, source, colour, new, closed, n in rr.settled_figures(
            conn, unit, as_of, start, end, cal.yellow_at):
        _count(counts, week, names, status, category, source, colour, new, closed, n)
    replayed = []
    for s in replay_many(conn, rr.moved_ids(conn, unit, as_of), as_of):
        s["colour"] = lc.colour(s, as_of, cal.yellow_at)
        _count(counts, week, names, s["status"], s["category"], s["source"], s["colour"],
               start <= s["reported_at"] <= end, bool(s["closed_at"]) and start <= s["closed_at"] <= end, 1)
        if s["updated_at"] >= start or s["colour"] == "red":
            replayed.append(s)
    week["overdue"] = counts["colour"].get("red", 0)
    week["escalated"] = rr.escalated_count(conn, unit, start, end)
    rows = {"ledger": 0, "overdue": 0}
    chunk: list[dict] = []
    for s in heapq.merge(_with_colour(rr.settled_rows(conn, unit, as_of, start), as_of, cal), replayed,
                         key=lambda s: s["id"]):
        chunk.append(s)
        if len(chunk) >= 2000:
            _flush(chunk, names, as_of, cal, start, ledger_sheet, overdue_sheet, rows)
    _flush(chunk, names, as_of, cal, start, ledger_sheet, overdue_sheet, rows)
    return {**{k: dict(v) for k, v in counts.items()}, "this_week": dict(week), "rows": rows}


def _count(counts, week, names, status, category, source, colour, new, closed, n) -> None:
    counts["status"][status] += n
    counts["category"][names.categories.get(category, category)] += n
    counts["source"][source] += n
    if colour:
        counts["colour"][colour] += n
    week["new"] += n if new else 0
    week["closed"] += n if closed else 0


def _with_colour(states, as_of, cal):
    for s in states:
        s["colour"] = lc.colour(s, as_of, cal.yellow_at)
        yield s


def _flush(chunk, names, as_of, cal, start, ledger_sheet, overdue_sheet, rows) -> None:
    names.prime(chunk)
    for s in chunk:
        _write_issue(s, names, as_of, cal, start, ledger_sheet, overdue_sheet, rows)
    chunk.clear()


def _write_issue(s, names, as_of, cal, start, ledger_sheet, overdue_sheet, rows) -> None:
    fill = fill_for(s["colour"])
    grid, holder = names.of("grids", s["grid"]), names.of("grids", s["holder"])
    lead, assignee = names.of("people", s["lead_person"]), names.assignee(s)
    category = names.categories.get(s["category"], s["category"])
    if s["updated_at"] >= start:
        rows["ledger"] += 1
        ledger_sheet.row([rows["ledger"], s["id"], grid, category, t(f"source.{s['source']}"), s["title"],
                          s["place"], *_times(s), t(f"status.{s['status']}"),
                          t(f"colour.{s['colour']}") if s["colour"] else None, holder, lead, assignee,
                          s["last_note"]], fill=fill)
    if s["colour"] == "red":
        rows["overdue"] += 1
        late = (parse(as_of, "as_of") - parse(s["due"], "due")).total_seconds() / 86400
        overdue_sheet.row([rows["overdue"], s["id"], grid, category, s["title"], parse(s["due"], "due"),
                           round(late, 1), holder, assignee, lead], fill=fill)


def _patrols(book, conn, unit, monday, last_day, as_of, title) -> int:
    sheet = book.sheet("report.patrols", title, ["col.person", "col.person_name", "col.grid", "grid.path",
                                                 "report.patrol_count", "col.households", "col.found"],
                       [10, 10, 18, 40, 10, 10, 10])
    total = 0
    for p in rr.patrols_between(conn, unit, monday, last_day, as_of):
        sheet.row([p["person"], p["name"], p["grid"], p["path"], p["patrols"], p["households"], p["found"]])
        total += p["patrols"]
    return total


def _missing(book, conn, unit, rules, monday, sunday, last_day, as_of, title) -> int:
    sheet = book.sheet("report.missing", title, ["col.person", "col.person_name", "col.grid", "grid.path",
                                                 "missing.via", "missing.made"], [10, 10, 18, 40, 16, 8])
    if unit["kind"] == "department":
        return 0
    obligations = rq.week_obligations(conn, rules["patrols"], monday, sunday)
    if unit["kind"] == "team":
        obligations = [ob for ob in obligations if ob["via"] == f"team:{unit['code']}"]
    else:
        obligations = [ob for ob in obligations if ob["grid"].startswith(unit["code"])]
    excused = excused_in(conn, monday, sunday, as_of)
    missing = missing_patrols(obligations, rq.week_patrols(conn, monday, last_day, as_of), excused)
    missing.sort(key=lambda m: (m["grid"], m["person"], m["via"]))
    people = gq.names(conn, "people", [m["person"] for m in missing])
    paths = gq.names(conn, "grids", [m["grid"] for m in missing])
    for m in missing:
        sheet.row([m["person"], people.get(m["person"]), m["grid"], paths.get(m["grid"]), m["via"], m["made"]])
    return len(missing)


def _meetings(book, conn, unit, rules, monday, sunday, last_day, as_of, title) -> dict:
    sheet = book.sheet("report.meetings", title, ["col.date", "col.unit", "col.kind", "report.attendee_count",
                                                  "col.notes"], [12, 30, 12, 10, 40])
    held = rr.meetings_between(conn, unit, monday, last_day, as_of)
    teams = dict(conn.execute("SELECT code, name FROM teams"))
    for m in held:
        attendees = len(json.loads(m["attendees"]))
        sheet.row([m["date"], teams.get(m["unit"], m["unit"]), m["kind"], attendees, m["notes"]])
    missed = []
    wanted = rr.teams_in(conn, unit)
    for rule in rules["meetings"]:
        counts = Counter(m["unit"] for m in held if m["kind"] == rule["kind"])
        for code, name in rq.week_teams(conn, monday, sunday):
            if code in wanted and counts[code] < rule["per_week"]:
                missed.append((code, name, rule["kind"]))
    if missed:
        sheet.blank()
        sheet.row([t("report.meetings_missed")], bold=True)
        for code, name, kind in missed:
            sheet.row([None, f"{name} ({code})", kind, 0, t("report.not_held")], fill=fill_for("yellow"))
    return {"meetings_held": len(held), "meetings_missed": len(missed)}


def _summary(sheet, f: dict) -> None:
    def section(key, items):
        sheet.row([t(key)], bold=True)
        for name, count in items:
            sheet.row([name, count])
        sheet.blank()

    section("report.this_week", [(t(f"report.week_{k}"), f["this_week"].get(k, 0))
                                 for k in ("new", "closed", "overdue", "escalated")])
    section("report.by_colour", [(t(f"colour.{c}"), f["colour"].get(c, 0)) for c in ("green", "yellow", "red")])
    section("report.by_status", [(t(f"status.{s}"), f["status"].get(s, 0)) for s in lc.STATUSES])
    section("report.by_category", sorted(f["category"].items(), key=lambda kv: (-kv[1], kv[0])))
    section("report.by_source", [(t(f"source.{s}"), f["source"][s]) for s in lc.SOURCES if s in f["source"]])
    section("report.conduct", [(t("report.patrol_count"), f["patrols"]), (t("report.missing_count"), f["missing"]),
                               (t("report.meetings_held"), f["meetings_held"]),
                               (t("report.meetings_missed"), f["meetings_missed"])])


def _notes(conn, f, cal, rules, last) -> list[tuple[str, object]]:
    load = rr.last_load(conn)
    return [
        ("report.unit", f"{f['unit']['name']} ({f['unit']['kind']} {f['unit']['code']})"),
        ("report.period", f"{f['week']}: {f['monday']} — {f['sunday']}"),
        ("report.as_of", f["as_of"]),
        ("report.generated", f"gridctl {__version__}"),
        ("report.last_event", f"{last[3]} (office {last[1]} #{last[2]}, seq {last[0]})" if last else t("grid.none")),
        ("report.calendar", cal.version),
        ("report.rules", rules["version"]),
        ("report.duties", f"{load[2][:16]} ({load[0]})" if load else t("grid.none")),
        ("report.formulas", t("report.weekly_formulas")),
    ]
