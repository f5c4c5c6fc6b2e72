"""The print design every workbook shares: a sheet laid out as a paper form.

A table is declared by its columns (`Col`: header, kind, printed or screen-only). Rows are
buffered until the layout is known (the first `SAMPLE` rows, or all of them), then:

- column widths are fitted to the header and the values, CJK characters counted double,
  within bounds per kind; long text wraps;
- the paper (A4 by default, A3 on request) is portrait when the printed columns fit it,
  landscape otherwise; where they are still too wide the wrapping columns are narrowed, and
  the sheet is fitted to one page wide only while the type stays at `MIN_TYPE_PT` or more;
- screen-only columns come after the printed ones and lie outside the print area (their
  header is grey), so a wide table prints the columns a reader needs and keeps the rest on
  the screen;
- a title row merged across the printed columns, a bordered table, the header repeated on
  every page, a frozen header and a filter for the screen, footers "第 &P 页 共 &N 页" and the
  ledger's as-of time;
- cells of the right type: text as text (never a formula), times as Excel dates, rates as
  percentages, scores with two decimals.

Writers shape their data as plain rows first and hand them to a `Table`; `Book.save` writes
the .xlsx, or the primary table as UTF-8 CSV with a BOM. Nothing else here writes a file.

openpyxl (write-only) writes the workbook's frame: styles, each sheet's title and header, widths,
print setup, merges, charts, the 公示牌. A table's data rows, the bulk of any large workbook,
are rendered by `sheetdata.SheetRows` with the style numbers chosen here per column (per cell
where the value decides) and spliced into that frame on save: about the cost of writing the
sheet XML raw, where openpyxl's cell-by-cell writer was 7–18× it (tests/benchmarks/bench_writer.py).
"""

from __future__ import annotations

import math
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from datetime import date, datetime
from pathlib import Path
from typing import IO

from gridctl.errors import GridctlError
from gridctl.messages import t
from gridctl.bounds import printable
from gridctl.forked import Forked, spare_core
from gridctl.reports.sheetdata import RowsIn, SheetRows, splice

RED = "FFC7CE"
YELLOW = "FFEB9C"
HEADER = "DDEBF7"
SCREEN_HEADER = "EDEDED"
SECTION = "F2F2F2"
PERCENT = "0.0%"
SCORE = "0.00"
TIME = "yyyy-mm-dd hh:mm"
DATE = "yyyy-mm-dd"

FONT = "Arial"               # Liberation Sans where there is no Arial: the same widths everywhere
BODY_PT = 10                 # the table's type on paper at 100 %
TITLE_PT = 16
MIN_TYPE_PT = 8              # no page shrinks the type below this
MIN_SCALE = MIN_TYPE_PT / BODY_PT
PT_PER_UNIT = 5.6            # one Excel width unit in points: a digit of Arial 10 (Excel rounds it to 7 px
                             # = 5.25 pt, LibreOffice keeps 5.56 pt; the wider is used so both fit)
MARGIN_IN = 0.5              # left and right margins, inches
SAMPLE = 1000                # rows looked at to fit the widths
LINE_PT = 12.5               # one line of 10 pt type (CJK glyphs are taller than Latin ones)

# kind: (number format, narrowest, widest, wraps, right-aligned)
KINDS = {
    "text": (None, 4, 20, True, False),
    "long": (None, 12, 40, True, False),
    "code": (None, 4, 24, False, False),
    "int": (None, 5, 10, False, True),
    "num": ("0.0", 5, 10, False, True),
    "score": (SCORE, 6, 10, False, True),
    "rate": (PERCENT, 7, 10, False, True),  # "100.0%" needs 7
    "time": (TIME, 17, 17, False, False),
    "date": (DATE, 12, 12, False, False),
    "auto": (None, 4, 30, True, False),
}


@dataclass(frozen=True)
class Paper:
    """A sheet of paper: its Excel paperSize code and its sides in points."""

    name: str
    code: str
    short_pt: float
    long_pt: float

    def width(self, landscape: bool) -> float:
        """The printable width between the margins."""
        return (self.long_pt if landscape else self.short_pt) - 2 * 72 * MARGIN_IN

    def height(self, landscape: bool) -> float:
        return (self.short_pt if landscape else self.long_pt) - 72 * 1.3


PAPERS = {"A4": Paper("A4", "9", 595.3, 841.9), "A3": Paper("A3", "8", 841.9, 1190.6)}


def paper_named(name: str | None) -> Paper:
    paper = PAPERS.get((name or "A4").upper())
    if paper is None:
        raise GridctlError("report.bad_paper", value=name, allowed=" | ".join(PAPERS))
    return paper


def check_output(path: Path) -> str:
    """"xlsx" or "csv" by the file's suffix; any other suffix is refused before work starts."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise GridctlError("sheet.bad_output", file=path)
    return suffix[1:]


@dataclass(frozen=True)
class Col:
    """One column: its header's message key, its kind (see KINDS), and whether it prints."""

    key: str
    kind: str = "text"
    screen: bool = False

    @property
    def header(self) -> str:
        from gridctl.messages import CATALOGUE

        return t(self.key) if self.key in CATALOGUE else self.key


@dataclass
class Layout:
    """How a table came out on paper (kept for tests and the 说明 sheet)."""

    landscape: bool
    widths: list[float]
    printed: int                    # the first `printed` columns are in the print area
    scale: float                    # the type's scale on paper (1.0 = 100 %)
    fit_width: bool                 # fitted to one page wide by the printer
    spills: bool                    # too wide even at MIN_SCALE: prints across pages

    @property
    def type_pt(self) -> float:
        return BODY_PT * self.scale


def display_width(value) -> int:
    """Width in Excel units: CJK characters count double; the widest line of a text."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:.2f}")
    text = str(value)
    if "\n" not in text:
        return len(text) if text.isascii() else _line_width(text)
    return max(_line_width(line) for line in text.split("\n"))


@lru_cache(maxsize=1 << 16)
def _line_width(line: str) -> int:
    """Cached: a sheet repeats its categories, units, paths and statuses row after row."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _header_width(text: str) -> int:
    """A header wraps to at most two lines (CJK breaks anywhere, English between words)."""
    words = [display_width(w) if w.isascii() else 2 for w in text.split()] or [0]
    return max(max(words), math.ceil(display_width(text) / 2)) + 2


class Table:
    """One worksheet holding one table: title, header, rows, laid out for paper on flush."""

    repeated = "1:2"
    """The rows printed again at the top of every page: the title and the header."""

    def __init__(self, book: Book, name: str, title: str, cols: list[Col], landscape: bool | None,
                 keep: bool):
        printed = [c for c in cols if not c.screen]
        if any(c.screen for c in cols[:len(printed)]):
            raise ValueError("screen-only columns come after the printed ones")
        self.book, self.title, self.cols = book, title, cols
        self.ws = book.wb.create_sheet(name[:31])
        self.landscape = landscape
        self.buffer: list[tuple[list, str | None, bool, bool]] | None = []   # values, fill, bold, rated
        self.layout: Layout | None = None
        self.rows = 2                      # the sheet's rows so far, title and header included
        self.written = 2                   # the rows written out
        self.order: list[int] | None = None  # see Book.sheet(printed=...)
        self.kept: list[list] | None = [] if keep else None
        self.data: SheetRows | None = None    # the data rows as sheet XML (sheetdata.py)
        self.styled = any(c.kind == "auto" for c in cols)   # style chosen per cell, not per column
        self._auto = [c.kind == "auto" for c in cols]
        self._plain: set[int] = set()                     # styles of columns with no number format
        self._by_type: dict[tuple, dict[type, int]] = {}   # (fill, bold) → value type → style
        self._styles: dict[tuple, list[int]] = {}
        self._by_row: dict[tuple, list[int]] = {}          # (fill, bold, the values' types) → styles
        self._wrapping: list[tuple[int, float]] = []      # (column, room): printed columns that wrap
        self.apart = book.rendering_apart                 # its data rows rendered by another process
        self._seen: set[tuple] = set()                    # (apart) the rows' style keys met so far

    # --- rows -------------------------------------------------------------------------------
    def row(self, values: list, fill: str | None = None, bold: bool = False, percent=frozenset(),
            **_old) -> None:
        if self.order is not None:         # the writer's order → print-first order
            if percent:
                position = {i: pos for pos, i in enumerate(self.order)}
                percent = {position[i] for i in percent if i in position}
            order = self.order
            if len(values) >= len(order) > 1:     # every column given: picked in C
                values = list(itemgetter(*order)(values))
            else:
                values = [values[i] if i < len(values) else None for i in order]
        self.rows += 1
        if self.kept is not None and not bold:
            self.kept.append(list(values))
        if self.book.csv:                  # a CSV holds the primary table only: no sheet is written
            return
        rated = bool(percent)
        if rated:
            values = [_Rate(v) if i in percent and v is not None else v for i, v in enumerate(values)]
            self.styled = True
        if self.buffer is not None:
            self.buffer.append((values, fill, bold, rated))
            if len(self.buffer) >= SAMPLE:
                self.flush()
        else:
            self._take(values, fill, bold, rated)

    def _take(self, values: list, fill: str | None, bold: bool, rated: bool) -> None:
        """`_write`; for a table rendered apart (`Book.apart`), only a row whose style key is new:
        another row of the same key numbers no style, and here nothing else is made of it."""
        if self.apart:
            key = (self.styled, fill, bold, rated, *map(type, values))
            if key in self._seen:
                self.written += 1
                return
            self._seen.add(key)
        self._write(values, fill, bold, rated)

    def section(self, text: str) -> None:
        """A bold row naming the rows below it (概况's groups)."""
        self.row([text] + [None] * (len(self.cols) - 1), fill=SECTION, bold=True)

    # the old interface, kept for writers not yet moved to Col: .blank()
    def blank(self) -> None:
        self.rows += 1
        if self.book.csv:
            return
        if self.buffer is not None:
            self.buffer.append(([], None, False, False))
        else:
            self.written += 1

    # --- layout -----------------------------------------------------------------------------
    def flush(self) -> None:
        """Fix widths and page layout from the rows seen so far, then write them."""
        if self.buffer is None or self.book.csv:
            return
        self.layout = layout = self._layout([v for v, _, _, _ in self.buffer])
        ws = self.ws
        for i, width in enumerate(layout.widths):
            ws.column_dimensions[_letter(i)].width = round(width, 1)
        # what a write-only sheet writes at its top must be set before the first row
        ws.freeze_panes = "A3"
        page_setup(ws, self.book.paper, layout.landscape, scale=layout.scale, fit_width=layout.fit_width)
        self._title(layout)
        self._header(layout)
        self.data = SheetRows(len(self.cols)) if not self.apart else None
        self._wrapping = [(i, max(width - 1, 1)) for i, (col, width) in
                          enumerate(zip(self.cols[:layout.printed], layout.widths)) if KINDS[col.kind][3]]
        buffered, self.buffer = self.buffer, None
        plain = [i for i, c in enumerate(self.cols) if KINDS[c.kind][0] is None]
        self.styled = self.styled or any(isinstance(v[i], date) for v, _, _, _ in buffered for i in plain if i < len(v))
        for values, fill, bold, rated in buffered:
            if values:
                self._take(values, fill, bold, rated)
            else:
                self.written += 1

    def _layout(self, rows: list[list]) -> Layout:
        paper = self.book.paper
        widths, needs = [], []
        for i, col in enumerate(self.cols):
            _, low, high, _, _ = KINDS[col.kind]
            seen = max((_shown_width(r[i], col.kind) for r in rows if i < len(r)), default=0) + 2
            needs.append(seen)
            widths.append(float(min(max(seen, _header_width(col.header), low), max(high, _header_width(col.header)))))
        printed = sum(1 for c in self.cols if not c.screen)
        total = sum(widths[:printed]) * PT_PER_UNIT
        landscape = self.landscape if self.landscape is not None else total > paper.width(False)
        room = paper.width(landscape)
        if total > room / MIN_SCALE:
            _narrow(widths, self.cols[:printed], total / PT_PER_UNIT - room / MIN_SCALE / PT_PER_UNIT)
            total = sum(widths[:printed]) * PT_PER_UNIT
        elif total < room:
            _widen(widths, self.cols[:printed], (room - total) / PT_PER_UNIT, needs)
            total = sum(widths[:printed]) * PT_PER_UNIT
        scale = min(1.0, room / total) if total else 1.0
        spills = scale < MIN_SCALE
        return Layout(landscape, widths, printed, MIN_SCALE if spills else scale,
                      fit_width=MIN_SCALE <= scale < 1.0, spills=spills)

    def _title(self, layout: Layout) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font

        span = max(layout.printed, 2) if layout.printed else len(self.cols)
        cell = WriteOnlyCell(self.ws, value=self.title)
        cell.data_type = "s"
        cell.font = Font(name=FONT, bold=True, size=TITLE_PT)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        room = sum(layout.widths[:span]) / 1.6           # 16 pt type is 1.6 times as wide
        lines = max(1, math.ceil(display_width(self.title) / max(room, 1)))
        self.ws.row_dimensions[1].height = 10 + 24 * lines  # before the append: write-only rows are final
        self.ws.append([cell])
        if span > 1:
            self.ws.merged_cells.add(f"A1:{_letter(span - 1)}1")

    def _header(self, layout: Layout) -> None:
        lines = max(math.ceil(display_width(c.header) / max(w - 1.5, 1))
                    for c, w in zip(self.cols, layout.widths))
        self.ws.row_dimensions[2].height = 4 + 13.5 * min(lines, 3)
        cells = []
        for col in self.cols:
            style = self.book.style(self.ws, "header", SCREEN_HEADER if col.screen else HEADER, True)
            cells.append(self.book.cell(self.ws, col.header, style))
        self.ws.append(cells)

    def _write(self, values: list, fill: str | None, bold: bool, rated: bool = False) -> None:
        styles = self._styles.get((fill, bold)) or self._column_styles(fill, bold)
        if len(values) < len(self.cols):
            values = list(values) + [None] * (len(self.cols) - len(values))
        if self.styled:                    # auto columns, marked rates, times in text columns
            key = (fill, bold, *map(type, values))      # a cell's style follows its value's type:
            known = self._by_row.get(key)               # rows of the same types share their styles
            if known is None:
                known = self._by_row[key] = self._cell_styles(values, styles, fill, bold)
            styles = known
            if rated:
                values = [v.value if v.__class__ is _Rate else v for v in values]
        self.written += 1
        if self.apart:                     # the style numbers are all this process needs of it
            return
        lines = self._lines(values)
        # a wrapped row's height: LibreOffice does not fit it on opening
        assert self.data is not None, "rows are written after the layout (flush)"
        self.data.row(self.written, values, styles, LINE_PT * lines + 3 if lines > 1 else None)

    def _cell_styles(self, values: list, styles: list[int], fill: str | None, bold: bool) -> list[int]:
        """Each cell's style number where the value decides it: an auto column's follows its
        value's type, a marked rate is a percentage, a time in a column with no format a time."""
        by_type = self._by_type.setdefault((fill, bold), {})
        plain, out = self._plain, []
        for value, style, auto in zip(values, styles, self._auto):
            kind = value.__class__
            if auto or kind is _Rate or (kind is datetime or kind is date) and style in plain:
                known = by_type.get(kind)
                if known is None:
                    shown = "rate" if kind is _Rate else _auto_kind(value)
                    known = by_type[kind] = self.book.xf(self.ws, shown, fill, bold)
                style = known
            out.append(style)
        return out

    def _column_styles(self, fill: str | None, bold: bool) -> list[int]:
        """Each column's style number for rows of this fill and weight (auto columns: per cell)."""
        book = self.book
        styles = [book.xf(self.ws, "auto" if c.kind == "auto" else c.kind, fill, bold) for c in self.cols]
        self._styles[(fill, bold)] = styles
        self._plain.update(s for s, c in zip(styles, self.cols) if KINDS[c.kind][0] is None)
        return styles

    def _lines(self, values: list) -> int:
        """Lines of the tallest printed cell (a screen-only column does not make a row taller)."""
        lines = 1
        for i, room in self._wrapping:
            value = values[i]
            if value.__class__ is str and (len(value) * 2 > room or "\n" in value):
                if "\n" in value:
                    lines = max(lines, sum(math.ceil(display_width(part) / room) or 1 for part in value.split("\n")))
                elif (len(value) if value.isascii() else _line_width(value)) > room:
                    lines = max(lines, math.ceil(_line_width(value) / room))
        return min(lines, 15)

    def finish(self) -> None:
        if self.book.csv:
            return
        self.flush()
        ws, layout = self.ws, self.layout
        assert layout is not None, "flush() lays the sheet out"
        ws.print_title_rows = self.repeated
        if self.rows > 2:
            ws.auto_filter.ref = f"A2:{_letter(len(self.cols) - 1)}{self.rows}"
        if layout.printed < len(self.cols):
            ws.print_area = f"A1:{_letter(max(layout.printed, 1) - 1)}{max(self.rows, 2)}"
        footer(ws, self.book.as_of)


@dataclass
class _Apart:
    """The tables whose data rows a forked process renders (`Book.apart`), where they will be."""

    forked: Forked
    shared: IO[bytes]
    tables: list[Table]
    again: Callable[[], Book]


class _Rate:
    """A value the old interface marked as a rate (percent=...)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def _plain(value):
    return value.value if isinstance(value, _Rate) else value


def _shown_width(value, kind: str) -> int:
    """Width of a value as the sheet shows it: a rate as its percentage ("100.0%"), not the fraction."""
    rate = kind == "rate" or isinstance(value, _Rate)
    value = _plain(value)
    if rate and isinstance(value, (int, float)) and not isinstance(value, bool):
        return len(f"{value:.1%}")
    return display_width(value)


def _auto_kind(value) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return "auto"
    if isinstance(value, float):
        return "score"
    if isinstance(value, int):
        return "int"
    if isinstance(value, datetime):
        return "time"
    if isinstance(value, date):
        return "date"
    return "auto"


def _narrow(widths: list[float], cols: list[Col], excess: float) -> None:
    """Take `excess` units from the wrapping columns, each toward its narrowest."""
    slack = {i: widths[i] - KINDS[c.kind][1] for i, c in enumerate(cols)
             if KINDS[c.kind][3] and widths[i] > KINDS[c.kind][1]}
    room = sum(slack.values())
    if room <= 0:
        return
    share = min(1.0, excess / room)
    for i, s in slack.items():
        widths[i] = round(widths[i] - s * share, 1)


def _widen(widths: list[float], cols: list[Col], spare: float, needs: list[int]) -> None:
    """Spend the page's spare width: first on headers that would wrap (so they sit on one line),
    then on text that would wrap (toward its widest line: a row one line tall where the paper
    has room), then shared among the text columns, so a table fills its paper."""
    for i, col in enumerate(cols):
        need = display_width(col.header) + 2 - widths[i]
        if 0 < need <= spare:
            widths[i] += need
            spare -= need
    short = {i: needs[i] - widths[i] for i, c in enumerate(cols) if KINDS[c.kind][3] and needs[i] > widths[i]}
    if short:
        share = min(1.0, spare / sum(short.values()))
        for i, lack in short.items():
            widths[i] += math.floor(lack * share)
            spare -= math.floor(lack * share)
    wide = {i: widths[i] for i, c in enumerate(cols) if KINDS[c.kind][3]}
    total = sum(wide.values())
    for i, w in wide.items():
        widths[i] = max(w, math.floor(w + spare * w / total - 0.5)) if total else w   # never below its need


def page_setup(ws, paper: Paper, landscape: bool, scale: float = 1.0, fit_width: bool = False,
               fit_page: bool = False) -> None:
    """Paper, orientation, margins and scaling of one sheet."""
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = paper.code
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_margins = PageMargins(left=MARGIN_IN, right=MARGIN_IN, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if fit_width or fit_page:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, (1 if fit_page else 0)
    else:
        ws.page_setup.scale = max(10, math.floor(scale * 100))


def footer(ws, as_of: str | None) -> None:
    """第 &P 页 共 &N 页 in the middle, the ledger's as-of time on the left, the sheet on the right."""
    ws.oddFooter.center.text = t("report.footer_pages")
    ws.oddFooter.center.size = 9
    if as_of:
        ws.oddFooter.left.text = t("report.footer_as_of", as_of=as_of)
        ws.oddFooter.left.size = 9
    ws.oddFooter.right.text = "&A"
    ws.oddFooter.right.size = 9


class Poster:
    """A sheet printed as one page to pin on a wall (the 公示牌): a large title, lines of facts,
    a bordered table in large type, and closing lines; fitted to one page of its paper."""

    SIZES = {"title": 32, "subtitle": 13, "fact": 15, "head": 16, "cell": 15, "strong": 20, "small": 11}

    def __init__(self, book: Book, name: str, widths: list[float]):
        self.book, self.widths = book, widths
        self.ws = ws = book.wb.create_sheet(book.unique_name(name))
        self.rows = 0
        self._styles: dict[tuple, object] = {}
        for i, width in enumerate(widths):
            ws.column_dimensions[_letter(i)].width = width
        page_setup(ws, book.paper, landscape=False, fit_page=True)
        footer(ws, book.as_of)

    def _cell(self, value, size: str, bold=False, border=False, fill=None, align="left", fmt=None):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        key = (size, bold, border, fill, align, fmt)
        if key not in self._styles:
            cell = WriteOnlyCell(self.ws)
            if fmt:
                cell.number_format = fmt
            cell.font = Font(name=FONT, size=self.SIZES[size], bold=bold)
            cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
            if border:
                side = Side(style="thin", color="000000")
                cell.border = Border(left=side, right=side, top=side, bottom=side)
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)
            self._styles[key] = cell._style
        return Book.cell(self.ws, value, self._styles[key])

    def _append(self, cells: list, height: float | None, merge_from: int | None = None) -> None:
        self.rows += 1
        if height:
            self.ws.row_dimensions[self.rows].height = height
        self.ws.append(cells)
        if merge_from is not None and merge_from < len(self.widths) - 1:
            self.ws.merged_cells.add(f"{_letter(merge_from)}{self.rows}:{_letter(len(self.widths) - 1)}{self.rows}")

    def _lines(self, text, size: str, span: int) -> int:
        room = sum(self.widths[span:]) * BODY_PT / self.SIZES[size] - 3
        return max(1, math.ceil(display_width(text) / max(room, 1)))

    def title(self, text: str, size: str = "title") -> None:
        pt = self.SIZES[size]
        self._append([self._cell(text, size, bold=size == "title", align="center")],
                     (pt * 1.6 + 6) * self._lines(text, size, 0), merge_from=0)

    def fact(self, label: str, value, size: str = "fact", bold: bool = False, fmt: str | None = None) -> None:
        """A labelled line across the page: the label in the first column, the value after it."""
        cells = [self._cell(label, size, bold=True, border=True, fill=SECTION)]
        cells.append(self._cell(value, size, bold=bold, border=True, fmt=fmt))
        cells += [self._cell(None, size, border=True) for _ in self.widths[2:]]
        pt = self.SIZES[size]
        self._append(cells, (pt * 1.5 + 6) * self._lines(str(value or ""), size, 1), merge_from=1)

    def gap(self, height: float = 12) -> None:
        self._append([], height)

    def header(self, names: list[str]) -> None:
        self._append([self._cell(n, "head", bold=True, border=True, fill=HEADER, align="center") for n in names],
                     self.SIZES["head"] * 1.6 + 8)

    def row(self, values: list) -> None:
        lines = max(math.ceil(display_width(v) * self.SIZES["cell"] / BODY_PT / max(w - 1.5, 1))
                    for v, w in zip(values, self.widths)) if values else 1
        self._append([self._cell(v, "cell", border=True) for v in values], (self.SIZES["cell"] * 1.5) * lines + 10)

    def note(self, text: str) -> None:
        self._append([self._cell(text, "small")], None, merge_from=0)


class Book:
    """A workbook of tables for one paper size; `save` writes .xlsx or the primary table as .csv."""

    def __init__(self, paper: Paper | str | None = None, as_of: str | None = None, csv: bool = False):
        self.wb = new_workbook()
        self.paper = paper if isinstance(paper, Paper) else paper_named(paper)
        self.as_of = as_of
        self.csv = csv
        self.sheets: list[Table] = []
        self.primary: Table | None = None
        self._csv: tuple[list[str], list[list]] | None = None
        self._styles: dict[tuple, object] = {}
        self._xfs: dict[tuple, int] = {}
        self.rendering_apart = False           # tables made now are rendered by another process
        self._apart: _Apart | None = None

    def table(self, name_key: str, title: str, cols: list[Col], landscape: bool | None = None,
              primary: bool = False) -> Table:
        """A sheet named by a message key holding one table."""
        return self._add(t(name_key), title, cols, landscape, primary)

    def table_named(self, name: str, title: str, cols: list[Col], landscape: bool | None = None) -> Table:
        """A sheet whose name is data (a grid's), kept unique and within Excel's 31 characters."""
        return self._add(self.unique_name(name), title, cols, landscape, False)

    def unique_name(self, name: str) -> str:
        taken = {s.title for s in self.wb.worksheets}
        base = "".join(c for c in name if c not in '[]:*?/\\')[:28] or "sheet"
        unique, n = base, 1
        while unique in taken:
            n += 1
            unique = f"{base[:26]}~{n}"
        return unique

    def _add(self, name, title, cols, landscape, primary) -> Table:
        keep = self.csv and (primary or self.primary is None)
        table = Table(self, name, title, cols, landscape, keep)
        if keep:
            if self.primary is not None:
                self.primary.kept = None
            self.primary = table
        self.sheets.append(table)
        return table

    # the simple interface: header keys, every column "auto" (floats as scores with 2 decimals,
    # `percent=` columns as rates, times as dates); widths are fitted to the content.
    def sheet(self, name_key: str, title: str, header_keys: list[str], widths: list[int] | None = None,
              landscape: bool | None = None, printed: list[str] | None = None) -> Table:
        """A table whose rows come in `header_keys` order. With `printed` (a subset of the keys),
        those columns move to the front and print; the others stay on the screen after them."""
        if not printed:
            return self.table(name_key, title, [Col(k, "auto") for k in header_keys], landscape or None)
        order = [i for i, k in enumerate(header_keys) if k in printed] + \
            [i for i, k in enumerate(header_keys) if k not in printed]
        cols = [Col(header_keys[i], "auto", header_keys[i] not in printed) for i in order]
        table = self.table(name_key, title, cols, landscape or None)
        table.order = order
        return table

    def sheet_named(self, name: str, title: str, header_keys: list[str], widths: list[int] | None = None,
                    landscape: bool | None = None) -> Table:
        return self.table_named(name, title, [Col(k, "auto") for k in header_keys], landscape or None)

    def poster(self, name: str, widths: list[float]) -> Poster:
        return Poster(self, name, widths)

    def csv_rows(self, header: list[str], rows: list[list]) -> None:
        """What `-o x.csv` writes for a workbook that is not one table (the 公示牌's rows)."""
        self.csv, self._csv = True, (header, rows)

    def notes(self, title: str, facts: list[tuple[str, object]]) -> None:
        """The last sheet, 说明: what the figures were made from, so paper ties to the ledger."""
        table = self._add(t("report.notes"), title, [Col("report.item", "text"), Col("report.value", "long")],
                          False, False)
        if table is self.primary:
            table.kept, self.primary = None, None
        for key, value in facts:
            table.row([t(key) if key.startswith("report.") else key, value])

    def apart(self, write: Callable[[], None], again: Callable[[], Book]) -> None:
        """`write()` (the writer's next tables) with those tables' data rows rendered by a forked
        process (`gridctl.forked`) while this one goes on to the rest of the workbook: on a second
        core the two halves take about as long as the longer. This process still runs `write()`,
        for the tables' layout, row count and style numbers (numbered in the order the rows first
        use them, on which every later table's numbers depend), but makes nothing of a row whose
        style key it has met (`Table._take`) and renders none. The tables must have been laid out
        by the end of `write()` (`SAMPLE` rows or more): laid out later, at `finish`, their numbers
        would come after the later tables'. Should no rows come back (the process failed or
        died), `save` saves `again()`, the workbook made in this process alone. On a machine with
        no core to spare (`forked.spare_core`), `write()` is simply run here: the two processes
        together take more CPU time than this one alone."""
        if self.csv or not spare_core():
            write()
            return
        first = len(self.sheets)
        try:
            shared = tempfile.TemporaryFile()
        except OSError:                     # no temporary file to be had: all of it here
            write()
            return
        forked = Forked(lambda: self._rendered(write, first, shared))
        if not forked.running:              # no process to be had
            shared.close()
            write()
            return
        self.rendering_apart = True
        try:
            write()
        except BaseException:
            forked.close()
            shared.close()
            raise
        finally:
            self.rendering_apart = False
        self._apart = _Apart(forked, shared, self.sheets[first:], again)

    def _rendered(self, write: Callable[[], None], first: int, shared) -> list[tuple[int, int]]:
        """In the forked process: `write()` rendered, each new table's rows copied into `shared`;
        (offset, size) of each."""
        write()
        out = []
        for table in self.sheets[first:]:
            if table.data is None:
                raise RuntimeError("a table rendered apart was not laid out by the end of its writing")
            table.data.flush()
            out.append((shared.tell(), table.data.size))
            table.data.copy_to(shared)
        shared.flush()
        return out

    def close(self) -> None:
        """End the process rendering apart, if any (a workbook given up before it is saved)."""
        if self._apart is not None:
            self._apart.forked.close()
            self._apart.shared.close()
            self._apart = None

    def style(self, ws, kind: str, fill: str | None, bold: bool):
        """The style array for one combination, made once on a scratch cell."""
        key = (kind, fill, bold)
        if key not in self._styles:
            self._styles[key] = _make_style(ws, kind, fill, bold)
        return self._styles[key]

    def xf(self, ws, kind: str, fill: str | None, bold: bool) -> int:
        """The workbook's style number (cellXfs) for one combination, as a cell's s="…" names it."""
        key = (kind, fill, bold)
        number = self._xfs.get(key)
        if number is None:
            number = self._xfs[key] = self.wb._cell_styles.add(self.style(ws, kind, fill, bold))
        return number

    @staticmethod
    def cell(ws, value, style):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws)
        cell._style = style                 # shared: a style array is never changed once made
        if isinstance(value, str):
            cell._value = printable(value)  # #13: old ledgers
            cell.data_type = "s"            # text stays text: "=1+1" is not a formula
        else:
            cell.value = value
        return cell

    def finish(self):
        """Lay out what is still buffered; the openpyxl workbook returned holds the frame only
        (titles, headers, settings): the data rows join it in `save`."""
        for sheet in self.sheets:
            sheet.finish()
        return self.wb

    def save(self, path: Path) -> None:
        if check_output(path) == "csv":
            if self._csv is not None:
                write_csv(path, *self._csv)
                return
            write_csv(path, [c.header for c in self.primary.cols] if self.primary else [],
                      self.primary.kept if self.primary else [])
            return
        from io import BytesIO

        frame = BytesIO()                  # openpyxl writes all but the data rows: a small file
        rows: dict[str, SheetRows | RowsIn] = {}
        try:
            self.finish().save(frame)
            rows = {t.ws.path.lstrip("/"): t.data for t in self.sheets if t.data is not None}
            if self._apart is not None:
                apart = self._apart
                rendered = apart.forked.result(lambda: None)
                if rendered is None:
                    apart.again().save(path)
                    return
                for table, (offset, size) in zip(apart.tables, rendered):
                    rows[table.ws.path.lstrip("/")] = RowsIn(apart.shared, offset, size)
            splice(frame, Path(path), rows)
        finally:
            for data in rows.values():
                data.close()
            self.close()


def new_workbook():
    """A write-only workbook whose default font (which sets what a column-width unit is) is
    Arial 10, so widths come out the same in Excel and in LibreOffice."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    wb = Workbook(write_only=True)
    wb._fonts = IndexedList([Font(name=FONT, size=BODY_PT, family=2)])
    return wb


def write_csv(path: Path, header: list[str], rows) -> int:
    """UTF-8 with a BOM (Excel then reads Chinese right); formula-like text quoted."""
    from gridctl.sheets import write_csv as write_rows

    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        return write_rows(handle, header, rows)


def _make_style(ws, kind: str, fill: str | None, bold: bool):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    cell = WriteOnlyCell(ws)               # a scratch cell: styles belong to the workbook
    thin = Side(style="thin", color="808080")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    cell.font = Font(name=FONT, bold=bold, size=BODY_PT)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if kind == "header":
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        return cell._style
    fmt, _, _, wraps, right = KINDS[kind]
    if fmt:
        cell.number_format = fmt
    cell.alignment = Alignment(vertical="top", wrap_text=wraps, horizontal="right" if right else None)
    return cell._style


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def fill_for(colour: str | None) -> str | None:
    return {"red": RED, "yellow": YELLOW}.get(colour or "")
