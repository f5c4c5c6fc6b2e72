"""Reading and writing the sheets clerks keep (.xlsx and UTF-8 .csv).

Headers are matched by their Chinese name or English alias; columns may come in any order.
Every text cell written is text, never a formula, whatever it starts with.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from gridctl.errors import GridctlError, Problem
from gridctl.messages import t

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    """The rows of one sheet: where they came from, the header, and (row number, values)."""

    label: str                      # "FILE:sheet" for xlsx, "FILE" for csv
    header: list[str]
    rows: list[tuple[int, list]]


def read_sheet(path: Path) -> Sheet:
    path = Path(path)
    if not path.exists():
        raise GridctlError(t("sheet.missing", file=path))
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise GridctlError(t("sheet.bad_type", file=path))


def _read_csv(path: Path) -> Sheet:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except UnicodeDecodeError:
        raise GridctlError(t("sheet.not_utf8", file=path)) from None
    header = [h.strip() for h in rows[0]] if rows else []
    body = [(i, [_unguard(v) for v in row]) for i, row in enumerate(rows[1:], start=2) if any(row)]
    return Sheet(str(path), header, body)


def _unguard(value: str) -> str:
    """Undo the quote that `write_csv` puts before a formula-like text."""
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_START else value


def _read_xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise GridctlError(t("sheet.unreadable", file=path, error=exc)) from None
    try:
        ws = book.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        body = [(i, list(row)) for i, row in enumerate(rows, start=2)
                if any(v not in (None, "") for v in row)]
        return Sheet(f"{path}:{ws.title}", header, body)
    finally:
        book.close()


def map_columns(sheet: Sheet, columns: dict[str, tuple[str, ...]], required: tuple[str, ...],
                ignore_extra: bool) -> tuple[dict[str, int], list[Problem]]:
    """field → column index, by Chinese header or English alias; problems for the rest."""
    alias = {name: field for field, names in columns.items() for name in names}
    index, problems = {}, []
    for i, head in enumerate(sheet.header):
        field = alias.get(head)
        if field is None:
            if head and not ignore_extra:
                problems.append(Problem(sheet.label, 1, head, t("sheet.extra_column")))
            continue
        if field in index:
            problems.append(Problem(sheet.label, 1, head, t("sheet.duplicate_column")))
        index[field] = i
    for field in required:
        if field not in index:
            problems.append(Problem(sheet.label, 1, columns[field][0], t("sheet.missing_column")))
    return index, problems


def cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def write_xlsx(path: Path, title: str, header: list[str], rows, *, widths: dict[int, int] | None = None):
    """A write-only workbook: a frozen, filtered header; texts as text; times as Excel dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    ws = book.create_sheet(title)
    ws.freeze_panes = "A2"
    for i, width in (widths or {}).items():
        ws.column_dimensions[_column_letter(i)].width = width
    bold = Font(bold=True)
    head_cells = []
    for name in header:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        head_cells.append(cell)
    ws.append(head_cells)
    count = 0
    for row in rows:
        ws.append([_cell(ws, v, WriteOnlyCell) for v in row])
        count += 1
    ws.auto_filter.ref = f"A1:{_column_letter(len(header) - 1)}{count + 1}"
    book.save(path)
    return count


def _cell(ws, value, cell_class):
    cell = cell_class(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text, even "=1+1"
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def guard_csv(value) -> str:
    """A text that a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if not isinstance(value, str):
        return str(value)
    return "'" + value if value[:1] in FORMULA_START else value


def write_csv(handle, header: list[str], rows) -> int:
    writer = csv.writer(handle)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([guard_csv(v) for v in row])
        count += 1
    return count
