"""A printable workbook built row by row (openpyxl write-only, so memory stays bounded).

Every sheet gets a title row naming the unit, period and as-of time, a bold header row that
is frozen, filtered and repeated on each printed page, A4 print setup fitted to one page
wide, and cells of the right type: text as text (never a formula), times as Excel dates,
rates as percentages. The CLI saves the workbook; nothing here writes a file.
"""

from __future__ import annotations

from copy import copy
from datetime import datetime

from gridctl.messages import t
from gridctl.sheets import FORMULA_START

RED = "FFC7CE"
YELLOW = "FFEB9C"
HEADER = "DDEBF7"
PERCENT = "0.0%"
TIME = "yyyy-mm-dd hh:mm"


class Sheet:
    """One worksheet: a title row, a header row, then rows appended in order."""

    def __init__(self, book: "Book", name: str, title: str, header: list[str], widths: list[int],
                 landscape: bool):
        from openpyxl.worksheet.properties import PageSetupProperties

        self.book, self.header = book, header
        self.ws = ws = book.wb.create_sheet(name[:31])
        for i, width in enumerate(widths):
            ws.column_dimensions[_letter(i)].width = width
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.paperSize = "9"                      # A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.freeze_panes = "A3" if header else "A2"
        ws.print_title_rows = "1:2" if header else "1:1"
        self.rows = 0
        self._title(title, max(len(header), 2))
        if header:
            self._header()

    def _title(self, title: str, span: int) -> None:
        from openpyxl.styles import Alignment, Font

        cell = self._cell(title, bold=True)
        cell.font = Font(bold=True, size=14)
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.ws.row_dimensions[1].height = 40      # before the append: write-only rows are final
        self.ws.append([cell])
        self.ws.merged_cells.add(f"A1:{_letter(span - 1)}1")
        self.rows += 1

    def _header(self) -> None:
        from openpyxl.styles import Alignment, PatternFill

        cells = []
        for name in self.header:
            cell = self._cell(name, bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cells.append(cell)
        self.ws.append(cells)
        self.rows += 1
        self.header_row = self.rows

    def _cell(self, value, bold=False, fill=None, percent=False, wrap=False, size=None):
        """A plain value where that is enough (fast); a styled cell where it must be.

        Styles are built once per combination and copied onto cells: openpyxl's own style
        assignment looks each style up in the workbook and costs more than the write itself.
        """
        is_time = isinstance(value, datetime)
        formula_like = isinstance(value, str) and value[:1] in FORMULA_START
        fmt = TIME if is_time else (PERCENT if percent and value is not None else None)
        if not (bold or fill or fmt or wrap or size or formula_like):
            return value
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws)
        cell._style = copy(self.book.style(self.ws, bold, fill, fmt, wrap, size))
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"            # text stays text: "=1+1" is not a formula
        return cell

    def row(self, values: list, fill: str | None = None, percent: set[int] = frozenset(),
            bold: bool = False, wrap: bool = False, size: int | None = None) -> None:
        self.ws.append([self._cell(v, bold, fill, i in percent, wrap, size) for i, v in enumerate(values)])
        self.rows += 1

    def blank(self) -> None:
        self.ws.append([])
        self.rows += 1

    def finish(self) -> None:
        if self.header and self.rows > self.header_row:
            self.ws.auto_filter.ref = f"A{self.header_row}:{_letter(len(self.header) - 1)}{self.rows}"


class Book:
    def __init__(self):
        from openpyxl import Workbook

        self.wb = Workbook(write_only=True)
        self.sheets: list[Sheet] = []
        self._styles: dict[tuple, object] = {}

    def sheet(self, name_key: str, title: str, header_keys: list[str], widths: list[int],
              landscape: bool = False) -> Sheet:
        sheet = Sheet(self, t(name_key), title, [t(k) for k in header_keys], widths, landscape)
        self.sheets.append(sheet)
        return sheet

    def style(self, ws, bold, fill, fmt, wrap, size):
        """The style array for one combination, made once on a scratch cell."""
        key = (bold, fill, fmt, wrap, size)
        if key not in self._styles:
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.styles import Alignment, Font, PatternFill

            cell = WriteOnlyCell(ws)         # a scratch cell: styles belong to the workbook
            if bold or size:
                cell.font = Font(bold=bold, size=size)
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)
            if fmt:
                cell.number_format = fmt
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            self._styles[key] = cell._style
        return self._styles[key]

    def sheet_named(self, name: str, title: str, header_keys: list[str], widths: list[int],
                    landscape: bool = False) -> Sheet:
        """A sheet whose name is data (a grid's), kept unique and within Excel's 31 characters."""
        taken = {s.ws.title for s in self.sheets}
        base = "".join(c for c in name if c not in '[]:*?/\\')[:28] or "sheet"
        unique, n = base, 1
        while unique in taken:
            n += 1
            unique = f"{base[:26]}~{n}"
        sheet = Sheet(self, unique, title, [t(k) for k in header_keys], widths, landscape)
        self.sheets.append(sheet)
        return sheet

    def notes(self, title: str, facts: list[tuple[str, object]]) -> None:
        """The last sheet, 说明: what the figures were made from, so paper ties to the ledger."""
        sheet = self.sheet("report.notes", title, ["report.item", "report.value"], [28, 90])
        for key, value in facts:
            sheet.row([t(key) if key.startswith("report.") else key, value])

    def finish(self):
        for sheet in self.sheets:
            sheet.finish()
        return self.wb


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def fill_for(colour: str | None) -> str | None:
    return {"red": RED, "yellow": YELLOW}.get(colour or "")
