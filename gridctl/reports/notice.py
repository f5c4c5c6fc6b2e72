"""The 公示牌 (public notice) of each grid node under NODE: posts, names, duties, contacts.

For posting in the grid: personal phone numbers are masked; the grid's duty phone, where the
definitions give one, is shown instead. One sheet per node, laid out for A4.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gridctl.ledger import grids as gq
from gridctl.ledger import ledger
from gridctl.messages import t
from gridctl.reports.book import Book
from gridctl.territory import register_population
from gridctl.text import mask_phone

MAX_SHEETS = 500


def notice_board(db: Path, node: str, as_of: str | None = None):
    """Build the notice workbook; return (workbook, figures)."""
    day = as_of[:10] if as_of else date.today().isoformat()
    with ledger(db) as conn:
        top = gq.resolve_node(conn, node)
        nodes = [top] + _descendants(conn, top)
        duties = {}
        for code, name, role in conn.execute("SELECT code, name, lead_role FROM categories WHERE retired IS NULL ORDER BY code"):
            duties.setdefault(role, []).append(name)
        city = conn.execute("SELECT duty_phone FROM grids WHERE level = 'city'").fetchone()
        book, boards = Book(), []
        for grid in nodes[:MAX_SHEETS]:
            boards.append(_board(book, conn, grid, day, duties, city[0] if city else None))
    return book.finish(), {"node": top["code"], "as_of": day, "boards": boards}


def _descendants(conn, top: dict) -> list[dict]:
    rows = conn.execute("SELECT code FROM grids WHERE code > ? AND code < ? AND retired IS NULL ORDER BY code",
                        (top["code"], top["code"] + ":")).fetchall()
    return [gq.resolve_node(conn, code) for (code,) in rows]


def _title_name(conn, grid: dict) -> str:
    """`黄河路社区1号楼院` for a block, the node's own name otherwise."""
    if grid["level"] == "block" and grid["parent"]:
        parent = gq.resolve_node(conn, grid["parent"])
        return parent["name"] + grid["name"]
    return grid["name"]


def _board(book, conn, grid, day, duties, supervision) -> dict:
    name = _title_name(conn, grid)
    title = t("report.notice_title", name=name)
    sheet = book.sheet_named(f"{grid['code'][-6:]} {grid['name']}", title,
                             ["grid.role", "grid.person", "grid.phone", "report.duties_col"], [24, 12, 16, 52])
    up = gq.chain(conn, grid["code"])
    community = next((g for g in up if g["level"] == "community"), None)
    codes = [grid["code"]] + ([community["code"]] if community and community["code"] != grid["code"] else [])
    posts = gq.posts_at(conn, codes, day)
    rows = 0
    for code in codes:
        for post in posts.get(code, []):
            contact = grid["duty_phone"] or mask_phone(post["phone"])
            role = post["role"] if code == grid["code"] else f"{post['role']} ({community['name']})"
            sheet.row([role, post["name"], contact, "、".join(duties.get(post["role"], []))], wrap=True, size=12)
            rows += 1
    for team in gq.teams_at(conn, [g["code"] for g in up], day).values():
        for tm in team:
            sheet.row([t("report.team_leader"), tm["leader_name"], grid["duty_phone"] or "",
                       f"{tm['name']} ({tm['unit']})"], wrap=True, size=12)
            rows += 1
    sheet.blank()
    population = register_population(conn, grid)
    for key, value in (("grid.extent", grid["extent"]), ("grid.households", population["households"]),
                       ("grid.residents", population["residents"]), ("grid.duty_phone", grid["duty_phone"]),
                       ("report.supervision", supervision)):
        if value not in (None, ""):
            sheet.row([t(key), value], size=12)
    return {"code": grid["code"], "title": title, "rows": rows}
