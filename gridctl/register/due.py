"""`register due`: which tagged residents and households are overdue a visit (重点人群走访).

Each tag in configs/register.yaml has a cadence. A visit to a household (`patrol add
--visited`) counts for the household and every member. For a month, a subject's periods are
those of its cadence that overlap the month up to the as-of day (the weeks of the month; the
month; its quarter; its year). A period that has ended with no visit is missed (overdue); the
period still running with no visit yet is due. Visited subjects are counted, not listed. A
period that ended before the subject (or its household) was registered owes nothing: its visits
could not have been recorded.
The tagged subjects are the register as it stood at the end of the as-of day (`stood_then`):
added by then, not yet retired, with the tags, grid and household they had then.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from gridctl import bounds, timefmt
from gridctl.errors import GridctlError
from gridctl.ledger import grids as gq
from gridctl.ledger import ledger
from gridctl.ledger import register as rg
from gridctl.register.config import load_register_config

_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass
class DueEntry:
    """One tagged resident or household with no visit in a period its cadence asks for."""

    id: str
    kind: str                   # resident | household
    name: str | None
    household: str
    address: str
    grid: str
    tags: list[str]
    cadence: str
    status: str                 # overdue | due
    missed: int                 # periods ended with no visit
    last_visit: str | None
    last_patrol: str | None


@dataclass
class GridCount:
    grid: str
    subjects: int = 0
    visited: int = 0
    due: int = 0
    overdue: int = 0


@dataclass
class DueReport:
    grid: str
    month: str
    as_of: str
    entries: list[DueEntry] = field(default_factory=list)
    by_grid: list[GridCount] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def month_bounds(text: str) -> Period:
    match = _MONTH.fullmatch(bounds.halfwidth(str(text).strip()))      # ２０２６－１１ typed full-width
    try:
        if not match:
            raise ValueError
        first = date(int(match[1]), int(match[2]), 1)
    except ValueError:
        no_such = match and not 1 <= int(match[2]) <= 12
        raise GridctlError("register.no_such_month" if no_such else "register.bad_month", value=text) from None
    bounds.year(first, "--month", text)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(first, following - timedelta(days=1))


def periods(cadence: str, month: Period, as_of: date) -> list[Period]:
    """The cadence's periods that overlap the month and have begun by `as_of`."""
    m = month.start
    if cadence == "week":
        monday = m - timedelta(days=m.weekday())
        out = []
        while monday <= min(month.end, as_of):
            out.append(Period(monday, monday + timedelta(days=6)))
            monday += timedelta(days=7)
        return out
    if cadence == "month":
        return [month]
    if cadence == "quarter":
        first = date(m.year, 3 * ((m.month - 1) // 3) + 1, 1)
        last_month = first.month + 2
        return [Period(first, month_bounds(f"{m.year}-{last_month:02d}").end)]
    return [Period(date(m.year, 1, 1), date(m.year, 12, 31))]


def judge(cadence: str, month: Period, as_of: date, visits: list[str], since: str = "") -> tuple[str, int]:
    """(status, missed periods) for a subject visited on these days (ISO dates, oldest first) and
    in the register from `since` (ISO date): a period that ended before it was owed nothing (no
    visit could be recorded for a household not yet registered)."""
    missed, running_unvisited = 0, False
    for period in periods(cadence, month, as_of):
        if period.end.isoformat() < since:
            continue
        until = min(period.end, as_of).isoformat()
        seen = any(period.start.isoformat() <= day <= until for day in visits)
        if seen:
            continue
        if period.end <= as_of:
            missed += 1
        else:
            running_unvisited = True
    return ("overdue" if missed else "due" if running_unvisited else "visited"), missed


def register_due(db: Path, grid: str, month: str, as_of: str | None = None) -> DueReport:
    """Tagged residents and households under GRID overdue (or due) a visit in MONTH."""
    span = month_bounds(month)
    month = span.start.isoformat()[:7]          # as said back: ２０２６－１１ is 2026-11
    if as_of:
        timefmt.as_of_moment(as_of)             # a day to come is refused: its weeks were said 超期 before they ended
    day = min(span.end, date.fromisoformat(timefmt.parse_date(as_of[:10], "--as-of") or "") if as_of else date.today())
    if day < span.start:
        raise GridctlError("register.month_ahead", month=month, as_of=day.isoformat())
    with ledger(db) as conn:
        node = gq.resolve_node(conn, grid)
        return due_report(conn, node["code"], month, day)


def visits_by_child(conn, code: str, day: date) -> list[GridCount]:
    """重点人群走访 for a report: the counts of the month holding `day`, summed per child grid of
    `code` (per block for a community, per community for a township, …); [] without a register."""
    report = due_report(conn, code, f"{day.year}-{day.month:02d}", day)
    width = {9: 12, 12: 15, 15: 15}.get(len(code), len(code) + 3)
    out: dict[str, GridCount] = {}
    for count in report.by_grid:
        child = out.setdefault(count.grid[:width], GridCount(count.grid[:width]))
        for key in ("subjects", "visited", "due", "overdue"):
            setattr(child, key, getattr(child, key) + getattr(count, key))
    return [out[g] for g in sorted(out)]


def due_report(conn, code: str, month: str, day: date) -> DueReport:
    """`register due` on an open ledger, for the node `code` and the month up to `day`."""
    span = month_bounds(month)
    cfg = load_register_config()
    then = rg.stood_then(conn, code, day.isoformat())      # tags, grids, households as of the day
    visits = rg.visit_dates(conn, code, day.isoformat()) | rg.visit_dates_of(conn, then.moved, day.isoformat())
    households = then.households
    report, counts = DueReport(code, month, day.isoformat()), dict[str, GridCount]()
    for kind, row in then.tagged:
        cadence = cfg.strictest(row["tags"])
        household = households.get(row["id"] if kind == "household" else row["household"])
        if cadence is None or household is None:
            continue
        seen = visits.get(household["id"], [])
        since = max(row.get("added_at") or "", household.get("added_at") or "")
        status, missed = judge(cadence, span, day, [d for d, _ in seen], since)
        count = counts.setdefault(row["grid"], GridCount(row["grid"]))
        count.subjects += 1
        setattr(count, status, getattr(count, status) + 1)
        if status != "visited":
            last = seen[-1] if seen else (None, None)
            report.entries.append(DueEntry(
                row["id"], kind, row.get("name") or row.get("head"), household["id"], household["address"],
                row["grid"], row["tags"], cadence, status, missed, last[0], last[1]))
    report.entries.sort(key=lambda e: (e.status != "overdue", e.grid, e.household, e.id))
    report.by_grid = [counts[g] for g in sorted(counts)]
    return report
