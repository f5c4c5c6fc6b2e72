"""The monthly report and 考核通报 of a unit: 一、总体情况 二、考评与排名 三、高发问题 四、超期未处置,
the people's figures, charts, and 说明. Rates come from `gridctl.metrics`, each with its
numerator and denominator; the previous month is computed the same way for the change.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from gridctl import __version__, bounds
from gridctl.beside import beside
from gridctl.config.model import CODE_LENGTH, LEVELS
from gridctl.errors import GridctlError
from gridctl.issues import lifecycle as lc
from gridctl.issues.calendar import load_calendar
from gridctl import metrics
from gridctl.ledger import grids as gq
from gridctl.ledger import ledger
from gridctl.ledger.db import READS_MIB
from gridctl.ledger import reports as rr
from gridctl.ledger.issues import IssueState
from gridctl.messages import t
from gridctl.ledger import tally
from gridctl.reports.asof import replay_many
from gridctl.reports.book import Book, Col
from gridctl.reports.visits import visit_lines, write_visits
from gridctl.reports.weekly import default_as_of
from gridctl.timefmt import begun

RATE_KEYS = metrics.RATES
SEED_STATS = (("employment", "closed:employment"), ("social_insurance", "closed:social_insurance"),
              ("medical_care", "closed:medical_care"), ("hardship_aid", "closed:hardship_aid"),
              ("hazards_found", "category:work_safety"), ("hazards_fixed", "closed:work_safety"),
              ("visitors", "source:visit"))


def month_bounds(text: str) -> tuple[str, str]:
    try:
        year, month = (int(x) for x in bounds.halfwidth(text).split("-"))     # ２０２６－１０ too
        last = monthrange(year, month)[1]
        first = date(year, month, 1)             # year 0 passes monthrange, not date
    except (ValueError, TypeError):
        written = re.fullmatch(r"\d{4}-(\d{1,2})", bounds.halfwidth(text.strip()))
        if written and not 1 <= int(written[1]) <= 12:          # written as a month: 13 is none
            raise GridctlError("report.no_such_month", value=text) from None
        raise GridctlError("report.bad_month", value=text) from None
    bounds.year(first, "--month", text)
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"


def previous_month(text: str) -> str:
    first = date.fromisoformat(month_bounds(text)[0]) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


class _Groups:
    """Which group (the unit's child grid, the team's grid, or the unit itself) an issue counts in."""

    def __init__(self, conn, unit: dict):
        self.unit = unit
        self.names: dict[str, str] = {unit["code"]: t("report.own_level")}
        self.length = None
        if unit["kind"] == "grid":
            level = gq.resolve_node(conn, unit["code"])["level"]
            if level != "block":
                child = LEVELS[LEVELS.index(level) + 1]
                self.length = CODE_LENGTH[child]
                self.names.update(rr.child_grids(conn, unit["code"]))
        elif unit["kind"] == "team":
            self.names.update(gq.names(conn, "grids", unit["grids"]))

    def of(self, s: IssueState) -> str:
        if self.length and len(s.grid) >= self.length:
            return s.grid[:self.length]
        if self.unit["kind"] == "team":
            return next((g for g in self.unit["grids"] if s.grid.startswith(g)), self.unit["code"])
        return self.unit["code"]


def _pass(conn, unit, groups, start, end, found) -> dict:
    """The unit's issues as they stood at `end`, counted over [start, end]: the settled ones in SQL,
    grouped (`ledger.tally`, the same counts as `metrics.tally`), the ones changed since replayed
    from their events (in batches) and tallied here."""
    per_group: dict[str, Counter] = {code: Counter() for code in groups.names}
    acc: dict[str, Counter] = {"total": Counter(), "handled_by": Counter(), "overdue_by": Counter(),
                               "weekly": Counter()}
    group, scope = rr.group_of(unit, groups.length), rr.settled_scope(unit)
    for code, source, category, counts, in_time in tally.grouped(conn, group, scope, start, end, end, rr.counted(unit)):
        c = Counter(counts)
        if c["recorded"]:
            c.update({f"source:{source}": c["recorded"], f"category:{category}": c["recorded"]})
            if source == "patrol":
                c.update(discovered=c["recorded"], reported_in_time=in_time)
        if c["closed"]:
            c[f"closed:{category}"] += c["closed"]
        per_group.setdefault(code, Counter()).update(c)
        acc["total"].update(c)
    for code, n, in_time in rr.patrol_linked(conn, unit, group, start, end, end):
        for c in (per_group.setdefault(code, Counter()), acc["total"]):
            c.update(discovered=n, reported_in_time=int(in_time))
    acc["handled_by"].update(dict(rr.handled_by(conn, unit, start, end, end)))
    acc["overdue_by"].update({(kind, who): n for kind, who, n in rr.overdue_by(conn, unit, end, end)})
    for kind, day, n in rr.daily_moves(conn, unit, start, end, end):
        acc["weekly"][(kind, _week_of(day))] += n
    for s in replay_many(conn, rr.moved_ids(conn, unit, end), end):
        _count_one(s, groups, start, end, found, per_group, acc)
    return {"groups": per_group, **acc}


def _count_one(s, groups, start, end, found, per_group, acc) -> None:
    """One issue's part in every figure of the pass (an issue replayed as it stood at `end`)."""
    metrics.tally([s], start, end, found, per_group.setdefault(groups.of(s), Counter()))
    metrics.tally([s], start, end, found, acc["total"])
    done = s.closed_at if s.on_the_spot else s.handled_at
    if s.lead_person and done and start <= done <= end:
        acc["handled_by"][s.lead_person] += 1
    if s.status in lc.OPEN and s.due and s.due < end:
        acc["overdue_by"][(s.assignee_kind or "department", s.assignee or s.department or s.holder)] += 1
    if start <= s.reported_at <= end:
        acc["weekly"][("opened", _week_of(s.reported_at))] += 1
    if s.closed_at and start <= s.closed_at <= end:
        acc["weekly"][("closed", _week_of(s.closed_at))] += 1


def _week_of(moment: str) -> str:
    year, week, _ = date.fromisoformat(moment[:10]).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Monthly:
    """The monthly's rows, sheet by sheet, before any layout (`monthly_rows` → `write_monthly`)."""

    title: str
    overall: list[tuple[str, list[list]]] = field(default_factory=list)
    ranking: list[list] = field(default_factory=list)
    top: list[list] = field(default_factory=list)
    overdue: list[list] = field(default_factory=list)
    people: list[list] = field(default_factory=list)
    people_detail: list[list] | None = None
    charts: list[list] = field(default_factory=list)
    weeks: list[list] = field(default_factory=list)
    visits: list[list] = field(default_factory=list)      # 重点人群走访 (the register's, #17)
    notes: list[tuple[str, object]] = field(default_factory=list)
    figures: dict = field(default_factory=dict)


def monthly_report(db: Path, unit_text: str, month: str, as_of: str | None = None, paper=None,
                   detail: bool = False, csv: bool = False):
    """Build the monthly workbook; return (book, figures)."""
    rows = monthly_rows(db, unit_text, month, as_of, detail)
    return write_monthly(rows, paper, csv), rows.figures


def monthly_rows(db: Path, unit_text: str, month: str, as_of: str | None = None, detail: bool = False) -> Monthly:
    first, last = month_bounds(month)
    month = first[:7]           # as written on the workbook: ２０２６－１０ or 2026-1 is 2026-10, 2026-01
    begun(month, first)
    prev = previous_month(month)
    p_first, p_last = month_bounds(prev)
    end = default_as_of(f"{last} 23:59", as_of, (month, first))
    cal = load_calendar()
    with ledger(db, cache_mib=READS_MIB) as conn:
        unit = rr.resolve_unit(conn, unit_text)
        groups = _Groups(conn, unit)
        found = rr.found_by_patrol(conn)
        earlier = (f"{p_first} 00:00", f"{p_last} 23:59")   # the month before, read beside this one
        with beside(db, "monthly-before", lambda other, _check: _pass(other, unit, groups, *earlier, found),
                    READS_MIB) as reader:
            now_pass = _pass(conn, unit, groups, f"{first} 00:00", end, found)
            before = reader.result()
        m = Monthly(t("report.monthly_title", unit=unit["name"], month=month, as_of=end))
        figures: dict[str, Any] = {"unit": unit, "month": month, "as_of": end, "previous": prev}
        figures["overall"] = _overall(m, now_pass["total"])
        figures["ranking"] = _ranking(m, groups, now_pass, before)
        _top_categories(m, conn, now_pass["total"])
        figures["overdue_units"] = _overdue(m, conn, now_pass["overdue_by"])
        figures["people"] = _people(m, conn, unit, first, end[:10], end, now_pass["handled_by"], detail)
        _chart_rows(m, figures["ranking"], now_pass["weekly"], (first, end[:10]))
        m.visits = visit_lines(conn, unit, end[:10])
        last_event = rr.last_event(conn, end)
        figures["last_event"] = last_event[3] if last_event else None
        m.notes = _notes(figures, cal, last_event, month, prev)
        m.figures = figures
    return m


OVERALL_COLS = [Col("report.item", "text"), Col("report.count", "int"), Col("report.share", "rate")]
TOP_COLS = [Col("report.rank", "int"), Col("export.category", "text"), Col("report.count", "int"),
            Col("report.share", "rate")]
OVERDUE_COLS = [Col("export.assignee", "long"), Col("report.count", "int")]
TEAM_COLS = [Col("sc.team", "code"), Col("grid.name", "long"), Col("sc.unit", "text"), Col("report.people", "int"),
             Col("report.patrol_count", "int"), Col("col.households", "int"), Col("col.found", "int"),
             Col("report.handled", "int")]
PERSON_COLS = [Col("col.person", "code"), Col("col.person_name", "text"), Col("sc.team", "code"),
               Col("report.patrol_count", "int"), Col("col.households", "int"), Col("col.found", "int"),
               Col("report.handled", "int")]


def rank_cols() -> list[Col]:
    """二、考评与排名: the rates, points and ranks print; each rate's numerator and denominator
    stay on the screen, after them."""
    cols = [Col("report.group", "text")] + [Col(f"rate.{key}", "rate") for key in RATE_KEYS]
    cols += [Col("report.points", "score"), Col("report.rank", "int"), Col("report.prev_points", "score"),
             Col("report.prev_rank", "int"), Col("report.change", "int")]
    for key in RATE_KEYS:
        cols += [Col(f"{t(f'rate.{key}')} {t('report.num')}", "int", True),
                 Col(f"{t(f'rate.{key}')} {t('report.den')}", "int", True)]
    return cols


def write_monthly(m: Monthly, paper=None, csv: bool = False) -> Book:
    """一、总体情况 二、考评与排名 三、高发问题 四、超期未处置, 人员情况 (per team), 图表, 说明."""
    book = Book(paper, m.figures["as_of"], csv)
    overall = book.table("report.m_overall", m.title, OVERALL_COLS)
    for heading, lines in m.overall:
        if heading:
            overall.section(heading)
        for line in lines:
            overall.row(line)
    for key, cols, lines in (("report.m_ranking", rank_cols(), m.ranking), ("report.m_top", TOP_COLS, m.top),
                             ("report.m_overdue", OVERDUE_COLS, m.overdue),
                             ("report.m_people", TEAM_COLS, m.people)):
        table = book.table(key, m.title, cols, primary=key == "report.m_ranking")
        for line in lines:
            table.row(line)
    if m.people_detail is not None:
        table = book.table("report.m_people_detail", m.title, PERSON_COLS)
        for line in m.people_detail:
            table.row(line)
    _charts(book, m)
    write_visits(book, m.title, m.visits)
    book.notes(m.title, m.notes + [("report.print_note", t("report.monthly_print_note"))])
    return book


def _overall(m: Monthly, c: Counter) -> dict:
    r = metrics.rates(c)
    rows = [("report.m_recorded", c["recorded"], None), ("report.m_accepted", c["accepted"], None),
            ("report.m_due", c["due"], None), ("report.m_closed", c["due_closed"], r["closure"].value),
            ("report.m_on_time", c["due_on_time"], r["on_time_handling"].value),
            ("report.m_extended", c["due_extended"], None),
            ("report.m_on_the_spot", c["on_the_spot"], _share(c["on_the_spot"], c["recorded"]))]
    m.overall.append(("", [[t(key), count, share] for key, count, share in rows]))
    m.overall.append((t("report.by_source"), [[t(f"source.{s}"), c[f"source:{s}"], _share(c[f"source:{s}"], c["recorded"])]
                                              for s in lc.SOURCES]))
    stats = {key: c[counter_key] for key, counter_key in SEED_STATS}
    m.overall.append((t("report.m_stats"), [[t(f"report.stat_{key}"), n, None] for key, n in stats.items()] +
                      [[t("report.stat_satisfaction"), c["callbacks"], r["satisfaction"].value]]))
    return {"counts": {k: c[k] for k in ("recorded", "accepted", "due", "due_closed", "due_on_time",
                                         "due_extended", "on_the_spot", "callbacks", "satisfied")},
            "rates": {k: _rate_dict(v) for k, v in r.items()}, "stats": stats}


def _shown(points: float | None) -> float | None:
    return None if points is None else round(points, 2)


def _share(n: int, total: int) -> float | None:
    return n / total if total else None


def _rate_dict(rate: metrics.Rate) -> dict:
    return {"numerator": rate.numerator, "denominator": rate.denominator, "value": rate.value}


def _ranking(m: Monthly, groups, now_pass, before) -> list[dict]:
    rows = []
    for code, name in groups.names.items():
        r = metrics.rates(now_pass["groups"].get(code, Counter()))
        p = metrics.rates(before["groups"].get(code, Counter()))
        rows.append({"code": code, "name": name, "rates": r, "points": _points(r), "prev_points": _points(p)})
    ranks = metrics.rank({row["code"]: row["points"] for row in rows})
    prev_ranks = metrics.rank({row["code"]: row["prev_points"] for row in rows})
    rows.sort(key=lambda row: (ranks[row["code"]] is None, ranks[row["code"]] or 0, row["code"]))
    out = []
    for row in rows:
        code = row["code"]
        rank, prev_rank = ranks[code], prev_ranks[code]
        change = prev_rank - rank if rank and prev_rank else None
        cells = [row["name"]] + [row["rates"][key].value for key in RATE_KEYS]
        cells += [_shown(row["points"]), ranks[code], _shown(row["prev_points"]), prev_ranks[code], change]
        for key in RATE_KEYS:
            cells += [row["rates"][key].numerator, row["rates"][key].denominator]
        m.ranking.append(cells)
        out.append({"code": code, "name": row["name"], "points": row["points"], "rank": ranks[code],
                    "prev_points": row["prev_points"], "prev_rank": prev_ranks[code], "rank_change": change,
                    "rates": {k: _rate_dict(v) for k, v in row["rates"].items()}})
    return out


def _points(r: dict[str, metrics.Rate]) -> float | None:
    """工作业绩 by the one formula `score` uses (scoring.yaml's weights and rules), unrounded."""
    from gridctl.config.scoring import load_scoring, weights

    return metrics.performance(r, *weights(load_scoring())).points


def _top_categories(m: Monthly, conn, c: Counter) -> None:
    names = rr.category_names(conn)
    top = sorted(((k.split(":", 1)[1], n) for k, n in c.items() if k.startswith("category:")),
                 key=lambda kv: (-kv[1], kv[0]))[:5]
    m.top = [[i, names.get(code, code), n, _share(n, c["recorded"])] for i, (code, n) in enumerate(top, 1)]


def _overdue(m: Monthly, conn, by_unit: Counter) -> list[dict]:
    tables = {"department": "departments", "team": "teams", "person": "people"}
    out = []
    for (kind, code), n in sorted(by_unit.items(), key=lambda kv: (-kv[1], str(kv[0][1]))):
        name = gq.names(conn, tables.get(kind, "grids"), [code]).get(code) or \
            gq.names(conn, "grids", [code]).get(code) or code
        m.overdue.append([name, n])
        out.append({"kind": kind, "code": code, "name": name, "count": n})
    return out


def _people(m: Monthly, conn, unit, first, last_day, end, handled_by: Counter, detail: bool) -> int:
    """人员情况: a summary per work team (people outside any team in one row); per person with detail."""
    per: dict[str, Counter] = {}
    for p in rr.patrols_between(conn, unit, first, last_day, end):
        c = per.setdefault(p["person"], Counter())
        c["patrols"] += p["patrols"]
        c["households"] += p["households"]
        c["found"] += p["found"]
    for person, n in handled_by.items():
        per.setdefault(person, Counter())["handled"] += n
    team_of, teams = rr.team_of_people(conn), rr.teams_with_units(conn)
    keys = ("patrols", "households", "found", "handled")
    by_team: dict[str, Counter] = {}
    for person, c in per.items():
        total = by_team.setdefault(team_of.get(person, ""), Counter())
        total["people"] += 1
        total.update({k: c[k] for k in keys})
    for code in sorted(by_team, key=lambda code: (code == "", code)):
        c = by_team[code]
        name, dispatcher = teams.get(code, (t("report.no_team"), None))
        m.people.append([code or None, name, dispatcher, c["people"], *(c[k] for k in keys)])
    if detail:
        names = gq.names(conn, "people", list(per))
        m.people_detail = [[person, names.get(person), team_of.get(person), *(per[person][k] for k in keys)]
                           for person in sorted(per)]
    return len(per)


def _chart_rows(m: Monthly, ranking: list[dict], weekly: Counter, days: tuple[str, str]) -> None:
    """The rates per group, and the weekly counts of every week of the month up to as-of: a week
    with nothing opened or closed is a 0 on the line, not left out (the line joined the weeks
    either side of it as if they were next to each other)."""
    m.charts = [[row["name"]] + [row["rates"][k]["value"] for k in metrics.SCORED] for row in ranking]
    weeks = sorted(set(_weeks(*days)) | {w for _, w in weekly})
    m.weeks = [[w, weekly[("opened", w)], weekly[("closed", w)]] for w in weeks]


def _weeks(first: str, last: str) -> list[str]:
    """The ISO weeks (2026-W45) holding a day of [first, last]."""
    monday, end = date.fromisoformat(first), date.fromisoformat(last)
    monday -= timedelta(days=monday.weekday())
    weeks = []
    while monday <= end:
        weeks.append(_week_of(monday.isoformat()))
        monday += timedelta(days=7)
    return weeks


def _charts(book: Book, m: Monthly) -> None:
    """图表: the rates per group and the weekly counts, each a table with its chart below it."""
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.worksheet.pagebreak import Break

    sheet = book.table("report.m_charts", m.title, [Col("report.group", "text")] +
                       [Col(f"rate.{k}", "auto") for k in metrics.SCORED])
    for row in m.charts:
        sheet.row(row, percent={1, 2, 3, 4})
    first_row, last_row = 3, 2 + len(m.charts)
    sheet.blank()
    week_header = sheet.rows + 1
    sheet.row([t("report.week"), t("report.opened"), t("report.closed_series")], bold=True)
    for row in m.weeks:
        sheet.row(row)
    if book.csv:
        return
    ws = sheet.ws
    bar = BarChart()
    bar.title = t("report.chart_rates")
    bar.y_axis.number_format = "0%"                # the rates are fractions: 0–100 %, not 0–1.2 under a "%"
    bar.y_axis.scaling.min, bar.y_axis.scaling.max = 0, 1
    bar.add_data(Reference(ws, min_col=2, max_col=5, min_row=2, max_row=max(last_row, first_row)), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=1, min_row=first_row, max_row=max(last_row, first_row)))
    below = week_header + len(m.weeks) + 2         # the charts under the tables, within the page's width,
    ws.row_breaks.append(Break(id=below - 1))      # on a page of their own: printed whole, never cut by a page end
    sheet.repeated = "1:1"                         # that page repeats the title, not the rates table's header
    bar.width, bar.height = 17, 9
    ws.add_chart(bar, f"A{below}")
    line = LineChart()
    line.title = t("report.chart_weekly")
    line.add_data(Reference(ws, min_col=2, max_col=3, min_row=week_header, max_row=week_header + len(m.weeks)),
                  titles_from_data=True)
    line.set_categories(Reference(ws, min_col=1, min_row=week_header + 1,
                                  max_row=week_header + max(len(m.weeks), 1)))
    for series in line.series:
        series.smooth = False
    top = max((max(row[1], row[2]) for row in m.weeks), default=0)
    line.y_axis.majorUnit = max(1, -(-top // 5))     # counts of issues: whole steps (it labelled 0.2, 0.4 … 1.2)
    line.y_axis.number_format = "0"
    line.width, line.height = 17, 8
    ws.add_chart(line, f"A{below + 20}")


def _notes(f, cal, last, month, prev) -> list[tuple[str, object]]:
    facts = [("report.unit", f"{f['unit']['name']} ({t('what.' + f['unit']['kind'])} {f['unit']['code']})"),
             ("report.period", month), ("report.previous", prev), ("report.as_of", f["as_of"]),
             ("report.generated", f"gridctl {__version__}"),
             ("report.last_event", t("report.last_event_is", hash=last[3], office=last[1], no=last[2], seq=last[0]) if last else t("grid.none")),
             ("report.calendar", cal.version), ("report.formula_version", metrics.FORMULA_VERSION)]
    facts += [(t(f"rate.{k}"), t(f"rate.def.{k}")) for k in metrics.DEFINITIONS]  # in the reader's language
    facts.append(("report.points", t("report.points_rule")))
    return facts
