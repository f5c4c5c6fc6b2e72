"""Workbook writing speed (run on demand; prints figures):

    python -m pytest tests/benchmarks/bench_writer.py -s

The same cells — `issue export` of the first township of the district benchmark ledger
(bench_city.py's, ≈17k issues × 31 columns) — written in one run by:
- gridctl's print design (`reports/book.py`: widths, borders, formats, row heights, print setup);
- the floor: the same cells as raw sheet XML (no styles) in a zip, nothing else;
- XlsxWriter in constant_memory mode, formats made once and shared, and with no formats at all
  (when XlsxWriter is installed; it is not a dependency);
- openpyxl write-only, one WriteOnlyCell per cell sharing its style arrays (the writer gridctl
  used before; lxml speeds it when installed — said in the output);
then the whole `issue export` to .xlsx beside the same export to .csv (the query and the rows'
shaping with no workbook). Target (issue #14): the export < 3 s.

The city's weekly (--detail), monthly (--detail) and score workbooks (bench_city.py's
city-conduct ledger): each one's rows computed once (the queries' side, timed apart), then the
workbook written beside the floor of the same cells written raw. `-k export|weekly|monthly|score`
runs one. The raw floor is self-contained: run this file from an older checkout (PYTHONPATH) to
measure that gridctl against the same floor.
"""

from __future__ import annotations

import sqlite3
import time
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape

import pytest

from tests.benchmarks.bench_city import ISSUES
from tests.benchmarks.common import child
from tests.benchmarks.common import GRIDCTL, ROOT

AS_OF = "2026-11-20 18:00"


@pytest.fixture(scope="module")
def export_rows():
    from gridctl.issues.transfer import iter_export

    db = ROOT / f"district-{ISSUES}.db"
    if not db.exists():
        pytest.skip(f"{db} is built by bench_city.py")
    township = sqlite3.connect(db).execute(
        "SELECT code FROM grids WHERE level = 'township' ORDER BY code LIMIT 1").fetchone()[0]
    start = time.perf_counter()
    rows = list(iter_export(db, {"grid": township}, AS_OF, True))
    return db, township, rows, time.perf_counter() - start


def timed(write) -> float:
    start = time.perf_counter()
    write()
    return time.perf_counter() - start


def gridctl_book(rows, out):
    from gridctl.issues.transfer import EXPORT_COLUMNS, EXPORT_PRINTED
    from gridctl.reports.book import Book, Col

    book = Book(None, AS_OF)
    table = book.table("export.sheet", "title", [Col(k, kind, i >= EXPORT_PRINTED)
                                                 for i, (k, _, kind) in enumerate(EXPORT_COLUMNS)], landscape=True)
    for row in rows:
        table.row(row)
    book.save(out)


def raw_floor(rows, out):
    """The sheet's cells as XML, no styles, the least an .xlsx of them needs (self-contained, so
    this file also measures an older gridctl, with the floor in the same run)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import to_excel

    names = [get_column_letter(i + 1) for i in range(max(len(r) for r in rows))]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z, \
            z.open("xl/worksheets/sheet1.xml", "w") as fh:
        fh.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        for r, row in enumerate(rows, 3):
            cells = []
            for letter, v in zip(names, row):
                if isinstance(v, str):
                    cells.append(f'<c r="{letter}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
                elif isinstance(v, date):
                    cells.append(f'<c r="{letter}{r}"><v>{to_excel(v)}</v></c>')
                elif v is not None:
                    cells.append(f'<c r="{letter}{r}"><v>{v}</v></c>')
            fh.write(f'<row r="{r}">{"".join(cells)}</row>'.encode())
        fh.write(b"</sheetData></worksheet>")


def xlsxwriter_book(rows, out, styled: bool):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    ws = wb.add_worksheet("x")
    base = {"border": 1, "font_name": "Arial", "font_size": 10, "valign": "top"}
    text = wb.add_format({**base, "text_wrap": True}) if styled else None
    number = wb.add_format(base) if styled else None
    when = wb.add_format({**base, "num_format": "yyyy-mm-dd hh:mm"}) if styled else None
    for r, row in enumerate(rows, 2):
        for c, v in enumerate(row):
            if isinstance(v, str):
                ws.write_string(r, c, v, text)
            elif isinstance(v, datetime):
                ws.write_datetime(r, c, v, when)
            elif v is not None:
                ws.write_number(r, c, v, number)
            elif styled:
                ws.write_blank(r, c, None, text)
    wb.close()


def openpyxl_cells(rows, out):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    scratch = WriteOnlyCell(ws)
    thin = Side(style="thin")
    scratch.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    scratch.font = Font(name="Arial", size=10)
    scratch.alignment = Alignment(vertical="top", wrap_text=True)
    style = scratch._style
    for row in rows:
        cells = []
        for v in row:
            cell = WriteOnlyCell(ws, value=v)
            cell._style = style
            cells.append(cell)
        ws.append(cells)
    wb.save(out)


def test_export_writing(export_rows, tmp_path):
    db, township, rows, shaped = export_rows
    cells = len(rows) * len(rows[0])
    print(f"\n{len(rows):,} issues × {len(rows[0])} columns = {cells:,} cells (query + shaping {shaped:.2f} s)")
    floor = timed(lambda: raw_floor(rows, tmp_path / "floor.xlsx"))
    mine = timed(lambda: gridctl_book(rows, tmp_path / "gridctl.xlsx"))
    lines = [("gridctl print design (book.py)", mine)]
    try:
        import xlsxwriter  # noqa: F401

        lines.append(("XlsxWriter constant_memory, formats", timed(lambda: xlsxwriter_book(rows, tmp_path / "xw.xlsx", True))))
        lines.append(("XlsxWriter constant_memory, plain", timed(lambda: xlsxwriter_book(rows, tmp_path / "xp.xlsx", False))))
    except ImportError:
        print("(XlsxWriter not installed: its lines are left out)")
    from openpyxl import LXML

    lines.append((f"openpyxl write-only cells{' (lxml)' if LXML else ''}", timed(lambda: openpyxl_cells(rows, tmp_path / "op.xlsx"))))
    print(f"{'floor: raw sheet XML, no styles':<40} {floor:6.2f} s   1.0×")
    for name, seconds in lines:
        print(f"{name:<40} {seconds:6.2f} s {seconds / floor:5.1f}×")
    command = GRIDCTL + ["--db", str(db), "issue", "export", "--grid", township, "--as-of", AS_OF, "-o"]
    as_csv = child(command + [str(tmp_path / "export.csv")])
    as_xlsx = child(command + [str(tmp_path / "export.xlsx")])
    print(f"issue export .xlsx {as_xlsx[0]:5.2f} s {as_xlsx[1]:4.0f} MiB | the same to .csv {as_csv[0]:5.2f} s "
          f"| {as_xlsx[0] / as_csv[0]:4.1f}× CSV  (target < 3 s)")


def raw_floor_of(make_book, out) -> float:
    """The floor of a whole workbook: the cells its tables receive, as raw sheet XML (no styles,
    no layout), one sheet after another. Returns the seconds the raw write took."""
    from gridctl.reports import book as design

    sheets: dict[int, list] = {}
    original = design.Table.row

    def keep(table, values, *args, **kwargs):
        sheets.setdefault(id(table), []).append([getattr(v, "value", v) for v in values])

    design.Table.row = keep                 # collect what the writer hands each table, write nothing
    try:
        make_book()
    finally:
        design.Table.row = original
    start = time.perf_counter()
    for n, rows in enumerate(sheets.values()):
        raw_floor(rows, out.with_name(f"{out.stem}-{n}.xlsx"))
    return time.perf_counter() - start


def city_line(name, rows_of, book_of, tmp_path) -> None:
    """Shape the rows once (`rows_of()`: the queries' side, timed apart), then time the workbook
    (`book_of(rows)` saved) beside the raw floor of the same cells. `name` may say the rows
    (a function of them)."""
    start = time.perf_counter()
    rows = rows_of()
    shaped = time.perf_counter() - start
    name = name(rows) if callable(name) else name
    mine = timed(lambda: book_of(rows).save(tmp_path / "book.xlsx"))
    floor = raw_floor_of(lambda: book_of(rows), tmp_path / "floor.xlsx")
    print(f"{name:<32} rows {shaped:6.1f} s | workbook {mine:6.1f} s | raw floor {floor:5.1f} s | {mine / floor:4.1f}× floor")


def city_db():
    db = ROOT / "city-conduct.db"
    if not db.exists():
        pytest.skip(f"{db} is built by bench_city.py")
    print()
    return db


def test_city_weekly(tmp_path):
    """The weekly with --detail of the whole city (bench_city.py's ledger)."""
    from gridctl.reports.weekly import weekly_rows, write_weekly

    db = city_db()
    city_line("weekly --detail, whole city", lambda: weekly_rows(db, "4101", "2026-W46", "2026-11-15 23:59", detail=True),
              write_weekly, tmp_path)


def test_city_monthly(tmp_path):
    from gridctl.reports.monthly import monthly_rows, write_monthly

    db = city_db()
    city_line("monthly --detail, whole city", lambda: monthly_rows(db, "4101", "2026-10", None, detail=True),
              write_monthly, tmp_path)


def test_city_score(tmp_path):
    from gridctl.scoring.service import compute
    from gridctl.scoring.workbook import build

    db = city_db()
    city_line(lambda result: f"score 2026Q3, {len(result.members):,} members", lambda: compute(db, "2026Q3"),
              build, tmp_path)
