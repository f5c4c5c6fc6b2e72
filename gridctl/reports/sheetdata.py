"""A table's rows written as SpreadsheetML text, and spliced into the workbook openpyxl writes.

openpyxl builds a cell object, a style look-up and an XML element for every cell it writes: on
an `issue export` of 16.8k issues (520k cells) that was 45 of 73 s profiled, and XlsxWriter's
constant-memory writer measured about 3× the floor (tests/benchmarks/bench_writer.py). Here a
row is one string made from the values and the style numbers the book already chose per column,
written to a temporary file as it comes; `splice` puts those rows into the sheet openpyxl wrote
around them (title, header, widths, print setup, merges, charts), so everything except the data
rows is written as before.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import IO
from collections.abc import Sequence

from gridctl.bounds import printable

EXCEL_EPOCH = date(1899, 12, 30).toordinal()   # Excel's day 0 (Windows dates, after 1900-03-01)
CHUNK = 500                                    # rows rendered before they go to the file
ZIP_LEVEL = 1                                  # zlib level: the sheets are large and compress well
NEEDS_CARE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]|^\s|\s$")


def letters(count: int) -> list[str]:
    """Column letters A, B, … for the first `count` columns."""
    out = []
    for i in range(1, count + 1):
        name = ""
        while i:
            i, rest = divmod(i - 1, 26)
            name = chr(65 + rest) + name
        out.append(name)
    return out


def excel_serial(value: date) -> float | int:
    """A date or time as Excel's serial day number (what openpyxl's `to_excel` gives)."""
    if isinstance(value, datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return value.toordinal() - EXCEL_EPOCH + seconds / 86400
    return value.toordinal() - EXCEL_EPOCH


def _text(value: str) -> str:
    """Text as an inline string: escaped, a character XML cannot hold shown as U+FFFD (#13)."""
    if NEEDS_CARE.search(value) is None:
        return f'><is><t>{value}</t></is></c>'
    value = printable(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'><is><t{space}>{value}</t></is></c>'


def render_cell(ref: str, value, style: int) -> str:
    """One <c> element: text never a formula (an inline string), numbers and dates as numbers."""
    kind = value.__class__
    if value is None or value == "":
        return f'<c r="{ref}" s="{style}"/>'
    if kind is str:
        return f'<c r="{ref}" s="{style}" t="inlineStr"' + _text(value)
    if kind is int or kind is float:
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
    if kind is datetime or kind is date:
        return f'<c r="{ref}" s="{style}"><v>{excel_serial(value)!r}</v></c>'
    if kind is bool:
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return render_cell(ref, bool(value) if isinstance(value, bool) else float(value), style)
    if isinstance(value, date):
        return render_cell(ref, datetime(value.year, value.month, value.day) if not isinstance(value, datetime)
                           else value.replace(tzinfo=None), style)
    return render_cell(ref, str(value), style)


class SheetRows:
    """The data rows of one sheet, rendered into a temporary file as they come."""

    def __init__(self, columns: int):
        self.letters = letters(columns)
        self.file: IO[bytes] = tempfile.TemporaryFile()
        self.pending: list[str] = []
        self.size = 0

    def row(self, number: int, values: Sequence, styles: Sequence[int], height: float | None = None) -> None:
        """Row `number` (1-based) with one style number per column; `height` in points, or the default."""
        n = str(number)
        out = [f'<row r="{n}" ht="{height:g}" customHeight="1">' if height else f'<row r="{n}">']
        add, care = out.append, NEEDS_CARE.search
        for letter, value, style in zip(self.letters, values, styles):   # render_cell, unrolled for speed
            kind = value.__class__
            if kind is str and value:
                if value.isalnum() or care(value) is None:    # isalnum: most cells, in C
                    add(f'<c r="{letter}{n}" s="{style}" t="inlineStr"><is><t>{value}</t></is></c>')
                else:
                    add(f'<c r="{letter}{n}" s="{style}" t="inlineStr"' + _text(value))
            elif value is None:
                add(f'<c r="{letter}{n}" s="{style}"/>')
            elif kind is int or kind is float:
                add(f'<c r="{letter}{n}" s="{style}"><v>{value!r}</v></c>')
            elif kind is datetime:
                add(f'<c r="{letter}{n}" s="{style}"><v>{excel_serial(value)!r}</v></c>')
            else:
                add(render_cell(letter + n, value, style))
        out.append("</row>")
        self.pending.append("".join(out))
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """The rows rendered so far go to the file."""
        data = "".join(self.pending).encode("utf-8")
        self.file.write(data)
        self.size += len(data)
        self.pending = []

    def copy_to(self, out: IO[bytes]) -> None:
        self.flush()
        self.file.seek(0)
        while True:
            chunk = self.file.read(1 << 20)
            if not chunk:
                break
            out.write(chunk)

    def close(self) -> None:
        self.file.close()


class RowsIn:
    """Data rows already rendered into a part of a file (by another process: `Book.apart`)."""

    def __init__(self, file: IO[bytes], offset: int, size: int):
        self.file, self.offset, self.size = file, offset, size

    def flush(self) -> None:
        pass

    def copy_to(self, out: IO[bytes]) -> None:
        self.file.seek(self.offset)
        left = self.size
        while left:
            chunk = self.file.read(min(left, 1 << 20))
            if not chunk:
                raise EOFError("the rendered rows end early")
            out.write(chunk)
            left -= len(chunk)

    def close(self) -> None:
        pass


def splice(source: IO[bytes], target: Path, sheets: dict[str, SheetRows | RowsIn]) -> None:
    """Copy the workbook `source` (as openpyxl saved it) to `target`, each sheet named in `sheets`
    (its part name, "xl/worksheets/sheet1.xml") with those rows added at the end of its data."""
    with zipfile.ZipFile(source) as zin, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            rows = sheets.get(info.filename)
            if rows is None:
                zout.writestr(info.filename, body)
                continue
            cut = body.rindex(b"</sheetData>")
            rows.flush()
            big = len(body) + rows.size > zipfile.ZIP64_LIMIT * 0.9     # zip64 headers only where needed
            with zout.open(info.filename, "w", force_zip64=big) as out:
                out.write(body[:cut])
                rows.copy_to(out)
                out.write(body[cut:])
