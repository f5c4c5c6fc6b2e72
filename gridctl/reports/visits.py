"""重点人群走访 (visits to the register's tagged residents and households) for the weekly and
monthly reports: per child grid of the unit, how many are due a visit this month, visited,
still due, and overdue. A unit that is not a grid, or a ledger without a register, has none.
"""

from __future__ import annotations

from datetime import date

from gridctl.ledger import grids as gq
from gridctl.messages import t
from gridctl.register.due import visits_by_child
from gridctl.reports.book import Book, Col

VISIT_COLS = [Col("report.group", "text"), Col("report.visit_subjects", "int"), Col("register.visited", "int"),
              Col("register.due", "int"), Col("register.overdue", "int")]


def visit_lines(conn, unit: dict, day: str) -> list[list]:
    """One row per child grid, then the total; [] when nothing is due anywhere under the unit."""
    if unit["kind"] != "grid":
        return []
    counts = visits_by_child(conn, unit["code"], date.fromisoformat(day[:10]))
    if not counts:
        return []
    names = gq.names(conn, "grids", [c.grid for c in counts])
    rows = [[names.get(c.grid, c.grid).rsplit("/", 1)[-1], c.subjects, c.visited, c.due, c.overdue] for c in counts]
    totals = [sum(c.subjects for c in counts), sum(c.visited for c in counts), sum(c.due for c in counts),
              sum(c.overdue for c in counts)]
    return rows + [[t("report.visit_total"), *totals]]


def write_visits(book: Book, title: str, lines: list[list]) -> None:
    if not lines:
        return
    sheet = book.table("report.visits", title, VISIT_COLS)
    for values in lines[:-1]:
        sheet.row(values)
    sheet.row(lines[-1], bold=True)
