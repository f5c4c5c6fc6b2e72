"""The 公示牌 (public notice) of each grid node under NODE, one A4 portrait page each.

A poster to pin up in the grid: the title "XX社区1号楼院公示牌", the grid's extent, households
and residents with their source (`_posted_counts`), a table of 职务 · 姓名 · 联系电话 · 职责 (the node's posts, its community's, the
work team's leader), the 值班电话 and the 监督电话 (12345 unless the city or the command says
otherwise). Contact numbers are in full by default — the board exists so residents can call;
`mask_phones` masks them (`139****0006`) for a copy posted online.

`notice_rows` reads the ledger into plain boards; `write_notice` lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gridctl import bounds
from gridctl.errors import FieldRefused, GridctlError
from gridctl.ledger import grids as gq
from gridctl.ledger import ledger
from gridctl.ledger import reports as rr
from gridctl.ledger.register import Changed, changed_after
from gridctl.messages import t
from gridctl.reports.book import Book
from gridctl.territory import register_population
from gridctl.text import mask_phone
from gridctl.timefmt import as_of_day

MAX_SHEETS = 500
SUPERVISION = "12345"            # the citizens' hotline, the 监督电话 unless told otherwise
WIDTHS: list[float] = [20, 13, 22, 37]        # 职务 · 姓名 · 联系电话 · 职责 across A4 portrait


@dataclass
class Contact:
    role: str
    name: str | None
    phone: str | None
    duties: str


@dataclass
class Board:
    """One grid node's notice."""

    code: str
    title: str
    path: str
    extent: str | None
    households: int | None
    residents: int | None
    duty_phone: str | None
    supervision: str
    contacts: list[Contact] = field(default_factory=list)
    counted_from: str | None = None     # "definitions" (网格划定) | "register" (基础信息登记) | None


def notice_board(db: Path, node: str, as_of: str | None = None, paper=None, mask_phones: bool = False,
                 supervision: str | None = None, csv: bool = False):
    """Build the notice workbook; return (book, figures)."""
    day = as_of_day(as_of)
    boards = notice_rows(db, node, day, supervision, None if csv else MAX_SHEETS)
    figures = {"node": boards[0].code if boards else node, "as_of": day, "masked": mask_phones,
               "boards": [{"code": b.code, "title": b.title, "rows": len(b.contacts), "households": b.households,
                           "residents": b.residents, "counted_from": b.counted_from} for b in boards]}
    return write_notice(boards, day, paper, mask_phones, csv), figures


def notice_rows(db: Path, node: str, day: str, supervision: str | None = None,
                most: int | None = MAX_SHEETS) -> list[Board]:
    """A board for the node and each node under it; more than `most` is refused (a workbook of a
    page each): the boards past the 500th were left out without a word."""
    if supervision is not None:                 # printed large on every board
        kept = bounds.phone_text(supervision)
        if kept is None:
            said = bounds.halfwidth(supervision)
            raise FieldRefused("--supervision-phone", "field.bad_phone",
                               value=said if len(said) <= 40 else said[:40] + "…")
        supervision = kept
    with ledger(db) as conn:
        top = gq.resolve_node(conn, node)
        below = rr.descendants(conn, top["code"])
        if most is not None and 1 + len(below) > most:
            raise GridctlError("report.notice_too_many", node=top["path"], count=1 + len(below), most=most)
        nodes = [top] + [gq.resolve_node(conn, code) for code in below]
        duties = rr.duties_by_role(conn)
        supervision = supervision or rr.city_duty_phone(conn) or SUPERVISION
        then = changed_after(conn, day)         # the register as it stood on the board's day
        return [_board(conn, grid, day, duties, supervision, then) for grid in nodes]


def _title_name(conn, grid: dict) -> str:
    """`黄河路社区1号楼院` for a block, the node's own name otherwise."""
    if grid["level"] == "block" and grid["parent"]:
        parent = gq.resolve_node(conn, grid["parent"])
        return parent["name"] + grid["name"]
    return grid["name"]


def _board(conn, grid, day, duties, supervision, then: Changed) -> Board:
    up = gq.chain(conn, grid["code"])
    community = next((g for g in up if g["level"] == "community"), None)
    duty_phone = next((g["duty_phone"] for g in up if g["duty_phone"] and g["level"] != "city"), None)
    households, residents, counted_from = _posted_counts(conn, grid, then)
    board = Board(grid["code"], t("report.notice_title", name=_title_name(conn, grid)), grid["path"], grid["extent"],
                  households, residents, duty_phone, supervision, counted_from=counted_from)
    codes = [grid["code"]] + ([community["code"]] if community and community["code"] != grid["code"] else [])
    community_name = community["name"] if community else ""
    posts = gq.posts_at(conn, codes, day)
    for code in codes:
        for post in posts.get(code, []):
            role = post["role"] if code == grid["code"] else f"{post['role']} ({community_name})"
            led = "、".join(duties.get(post["role"], [])) or t("report.post_duties")
            board.contacts.append(Contact(role, post["name"], post["phone"], led))
    teams = [tm for team in gq.teams_at(conn, [g["code"] for g in up], day).values() for tm in team]
    phones = rr.people_phones(conn, [tm["leader"] for tm in teams])
    for tm in teams:
        board.contacts.append(Contact(t("report.team_leader"), tm["leader_name"], phones.get(tm["leader"]),
                                      t("report.team_duties", team=tm["name"], unit=tm["unit"])))
    return board


def _posted_counts(conn, grid: dict, then: Changed) -> tuple[int | None, int | None, str | None]:
    """户数 and 人口 as the board posts them, and their source. The grid's declared figures (网格划定,
    from the definitions) until the register holds at least as many households as declared (or
    residents, where only they are declared); the register's from then on, being kept current,
    and wherever nothing is declared but someone is registered; (None, None, None) where neither
    says anything. While the register is being filled in, its count is of those entered so far:
    posted, it read `1 户 0 人` for a community of 3,109 households. The register is read as it
    stood on the board's day (`then`): a board of 11-01 posted the households entered on 11-27."""
    counted = register_population(conn, grid, then)
    declared = (grid["households"], grid["residents"])
    if counted["population_from"] == "register":
        held, wanted = ((counted["households"], declared[0]) if declared[0] is not None
                        else (counted["residents"], declared[1]))
        if wanted is None or held >= wanted:
            return counted["households"], counted["residents"], "register"
    if declared == (None, None):
        return None, None, None
    return declared[0], declared[1], "definitions"


def write_notice(boards: list[Board], day: str, paper=None, mask_phones: bool = False, csv: bool = False) -> Book:
    book = Book(paper, day)
    shown = mask_phone if mask_phones else (lambda phone: phone)
    header = [t("grid.role"), t("grid.person"), t("grid.phone"), t("report.duties_col")]
    if csv:
        book.csv_rows([t("grid.name"), *header],
                      [[b.path, c.role, c.name, shown(c.phone) or b.duty_phone, c.duties] for b in boards
                       for c in b.contacts])
        return book
    for b in boards:
        # the sheet tab (and the footer's &A) names the grid; "公示牌"/"public notice" is on the
        # poster itself and would push an English name past Excel's 31 characters
        poster = book.poster(f"{b.code[-6:]} {b.path.rsplit('/', 1)[-1]}", WIDTHS)
        poster.title(b.title)
        poster.title(b.path, "subtitle")
        if b.extent:
            poster.fact(t("grid.extent"), b.extent)
        for key, value, unit in (("grid.households", b.households, "report.unit_households"),
                                 ("grid.residents", b.residents, "report.unit_residents")):
            if value is not None:              # numbers stay numbers: "298 户" is a format
                poster.fact(t(key), value, fmt=f'#,##0" {t(unit)}"')
        if b.counted_from and (b.households is not None or b.residents is not None):
            poster.note(t(f"report.counted_from.{b.counted_from}"))
        poster.gap()
        poster.header(header)
        for c in b.contacts:
            poster.row([c.role, c.name, shown(c.phone) or b.duty_phone, c.duties])
        poster.gap()
        if b.duty_phone:
            poster.fact(t("grid.duty_phone"), b.duty_phone, "strong", bold=True)
        poster.fact(t("report.supervision"), b.supervision, "strong", bold=True)
        poster.gap(8)
        poster.note(t("report.notice_footer", day=day))
    return book


