"""The cells a workbook's table holds, read back through openpyxl: every kind of value keeps its
type (text never a formula, times and dates as dates, numbers as numbers), characters XML must
escape or cannot hold come out right, each cell carries its column's style, and a row is as tall
as its printed text (a wrapped screen-only column does not make it taller)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from openpyxl import load_workbook

from gridctl.reports.book import LINE_PT, TIME, Book, Col
from tests.helpers import run

LONG = "楼顶违章搭建彩钢棚约二十平方米, 物业已劝阻未果, 需城管执法中队到场处置并拍照留存" * 2


def written(tmp_path, rows, cols, **row_options):
    book = Book(None, "2026-11-20 18:00")
    table = book.table("export.sheet", "标题", cols, landscape=True)
    for values in rows:
        table.row(values, **row_options)
    book.save(tmp_path / "t.xlsx")
    return load_workbook(tmp_path / "t.xlsx").active


def test_values_keep_their_type_and_text(tmp_path):
    cols = [Col("a", "text"), Col("b", "long"), Col("c", "int"), Col("d", "score"), Col("e", "time"),
            Col("f", "date"), Col("g", "auto"), Col("h", "auto"), Col("i", "text")]
    at = datetime(2026, 11, 20, 14, 30)
    rows = [["=1+1", "a & <b> \"c\"", 7, 87.9525, at, date(2026, 11, 20), True, 0.5, at],
            [" 前后空格 ", "楼\x07顶\n第二行", -3, 0.0, None, None, False, "=SUM(A1)", "文字"],
            ["", None, None, None, None, None, None, None, None]]
    ws = written(tmp_path, rows, cols)
    first = ws[3]
    assert [c.value for c in first[:4]] == ["=1+1", "a & <b> \"c\"", 7, 87.9525]
    assert first[0].data_type == "s"                                  # text, not a formula
    assert first[4].value == at and first[4].number_format == TIME
    assert first[5].value == datetime(2026, 11, 20) and first[5].number_format == "yyyy-mm-dd"
    assert first[6].value is True and first[7].value == 0.5 and first[7].number_format == "0.00"
    assert first[3].number_format == "0.00"
    assert first[8].value == at and first[8].number_format == TIME     # a time in a text column is a time
    second = ws[4]
    assert second[0].value == " 前后空格 "                              # spaces kept
    assert second[1].value == "楼\ufffd顶\n第二行"                    # a control character shows as U+FFFD
    assert second[7].value == "=SUM(A1)" and second[7].data_type == "s"
    assert all(c.value is None for c in ws[5])                         # an empty text is an empty cell
    for row in ws.iter_rows(min_row=3, max_row=5):
        for cell in row:                                               # every cell of the table is styled
            assert cell.border.bottom.style == "thin" and cell.font.name == "Arial" and cell.font.sz == 10


def test_rates_fills_and_bold_rows(tmp_path):
    cols = [Col("a", "text"), Col("b", "auto"), Col("c", "auto")]
    ws = written(tmp_path, [["甲", 0.25, 3], ["乙", 1.0, 4]], cols, fill="FFC7CE", bold=True, percent={1})
    for row in ws.iter_rows(min_row=3, max_row=4):
        assert row[1].number_format == "0.0%" and row[2].number_format == "General"
        assert all(c.fill.fgColor.rgb.endswith("FFC7CE") and c.font.b for c in row)


def test_each_row_is_styled_by_its_own_values(tmp_path):
    """A row's styles follow its values' types, fill, weight and rate marks; rows alike share
    them (worked out once), and a row unlike the one before gets its own, in any order."""
    cols = [Col("a", "auto"), Col("b", "auto"), Col("c", "text")]
    at = datetime(2026, 11, 20, 14, 30)
    book = Book(None, "2026-11-20 18:00")
    table = book.table("export.sheet", "标题", cols, landscape=True)
    rows = [([1, 0.5, "x"], {}), ([0.5, 1, at], {}), ([1, 0.5, "x"], {"fill": "FFC7CE"}),
            (["文字", None, at], {}), ([0.5, 1, "y"], {"bold": True}), ([0.25, 2, "z"], {"percent": {0}}),
            ([1, 0.5, "x"], {})]
    for values, options in rows:
        table.row(values, **options)
    book.save(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx").active
    got = [[c.number_format for c in row] for row in ws.iter_rows(min_row=3, max_row=9)]
    assert got == [["General", "0.00", "General"], ["0.00", "General", TIME], ["General", "0.00", "General"],
                   ["General", "General", TIME], ["0.00", "General", "General"], ["0.0%", "General", "General"],
                   ["General", "0.00", "General"]]
    fills = [row[0].fill.fgColor.rgb[-6:] if row[0].fill.fill_type else None for row in ws.iter_rows(min_row=3, max_row=9)]
    assert fills == [None, None, "FFC7CE", None, None, None, None]
    assert [row[0].font.b for row in ws.iter_rows(min_row=3, max_row=9)] == [False] * 4 + [True] + [False] * 2


def test_a_row_is_as_tall_as_its_printed_text(tmp_path):
    """issue export: 最后意见 (a wrapped column on the screen only) once made rows two lines tall."""
    cols = [Col("a", "code"), Col("b", "long"), Col("c", "long", screen=True)]
    ws = written(tmp_path, [["1", "短", LONG], ["2", LONG, "短"], ["3", "短", "短"]], cols)
    assert ws.print_area is not None                                   # column C is on the screen only
    assert ws.row_dimensions[3].height is None                         # one printed line: default height
    assert ws.row_dimensions[4].height >= 2 * LINE_PT
    assert ws.row_dimensions[5].height is None


def test_a_poisoned_ledger_exports_its_text(loaded, db, tmp_path):
    """Control characters held by a ledger made before the edge refused them show as U+FFFD."""
    run("--by", "P007", "issue", "add", "-g", "410105001001001", "-c", "占道", "-s", "patrol",
        "-t", "楼顶 & <杂物>", "--on-the-spot", "--at", "2026-11-16 09:00")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE issues SET place = '1号\x1b楼'")
    out = tmp_path / "x.xlsx"
    assert run("issue", "export", "-o", out, "--as-of", "2026-11-26 12:00").exit_code == 0
    ws = load_workbook(out).active
    header = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[header.index("问题描述")] == "楼顶 & <杂物>")
    assert row[header.index("地点")] == "1号\ufffd楼"
