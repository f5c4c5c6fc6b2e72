"""Reading and writing the sheets clerks keep (.xlsx, and .csv in UTF-8 or GB18030).

Headers are matched by their Chinese name or English alias; columns may come in any order.
Every text cell written is text, never a formula, whatever it starts with.
"""

from __future__ import annotations

import codecs
import functools
import re
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from datetime import date, datetime, time
from pathlib import Path

from gridctl import sheet_columns
from gridctl.bounds import has_invisible, visible
from gridctl.errors import GridctlError, Problem
from gridctl.messages import reason, t
from gridctl.outfile import not_a_file
from gridctl.xlsxpieces import HEAD, Pieces, Unfit

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


MAX_CELL = 32_767  # Excel's own limit on the text of one cell; a longer cell is refused
CHUNK = 1 << 20
TITLE_ROWS = 2     # rows of one filled cell above the header, passed over (a sheet's title)


@dataclass
class Sheet:
    """The rows of one sheet: where they came from, the header, and (row number, values)."""

    label: str                      # "FILE:sheet" for xlsx, "FILE" for csv
    header: list[str]
    rows: list[tuple[int, list]]
    encoding: str | None = None     # a CSV's encoding: "UTF-8", "UTF-8 BOM" or "GB18030"
    filled_elsewhere: str | None = None   # an empty first sheet: the first later sheet holding data
    as_written: dict[int, list] = field(default_factory=dict)   # see SheetReader.as_written


class SheetReader:
    """One sheet opened for streaming: the header at once, the rows on each `rows()` call.

    Every `rows()` starts again from the top of the file, so a caller can check every row in a
    first pass and write in a second without holding the sheet. Rows are (row number as the
    clerk sees it, values); empty rows are skipped; an empty cell is None.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        if self.path.is_dir():              # `x.xlsx/`: said so, not as a damaged workbook
            raise GridctlError("file.is_dir", path=self.path)
        if not self.path.is_file():         # a pipe (never opened: it would wait for a writer), a loop
            raise not_a_file(self.path) or GridctlError("sheet.missing", file=self.path)
        suffix = self.path.suffix.lower()
        if suffix not in (".csv", ".xlsx", ".xlsm"):
            raise GridctlError("sheet.bad_type", file=self.path)
        self.is_csv = suffix == ".csv"
        self.encoding = _csv_encoding(self.path) if self.is_csv else None
        self.empty = self.path.stat().st_size == 0   # a 0-byte .xlsx is said empty, as an empty CSV is
        no_book = self.is_csv or self.empty
        self._pieces = None if no_book else _xlsx_pieces(self.path)   # read a piece at a time
        sheet = None if no_book or self._pieces else _xlsx_sheet(self.path)   # else calamine's, read whole once
        self._xlsx = sheet
        name = self._pieces.name if self._pieces else sheet.name if sheet else None
        self.label = str(self.path) if name is None else f"{self.path}:{name}"
        self.as_written: dict[int, list] = {}
        """Row number → the row as the file wrote it, for the rows whose zero-width characters were
        dropped as they were read (rare): an import made before they were dropped keyed such a row
        by that text, so an import of the same sheet again looks it up by both."""
        self.header: list[str] = []
        self._header_row = 0
        first = list(islice(self._all_rows(HEAD), TITLE_ROWS + 1))
        # a title row or two above the header (`XX街道问题台账`, one filled cell) is passed over
        head = next((row for row in first if sum(v is not None for v in row[1]) > 1), first[0] if first else None)
        if head is not None:
            self._header_row, values = head
            self.header = [_header_text(v) for v in values]
        self.filled_elsewhere = None if head is not None or no_book else _filled_sheet(self.path)

    def size(self) -> int | None:
        """How many rows the file says it has (header and blank rows included): an .xlsx
        sheet's height (its last row holding a value, where it is read in pieces); None for a
        CSV, known only once read."""
        if self._pieces is not None:
            try:
                return self._pieces.height()
            except Unfit:                   # rows without their number: read whole, as before
                self._pieces, self._xlsx = None, _xlsx_sheet(self.path)
            except Exception as exc:  # noqa: BLE001 - damage inside the zip (a bad CRC, a broken stream) met while sizing
                raise GridctlError("sheet.unreadable", file=self.path, error=reason(exc)) from None
        return None if self._xlsx is None else self._xlsx.height

    def below_header(self) -> int | None:
        """`size()` less the header and the rows above it: at most how many rows `rows()` gives."""
        size = self.size()
        return None if size is None else max(size - self._header_row, 0)

    def rows(self) -> Iterator[tuple[int, list]]:
        for number, values in self._all_rows():
            if number > self._header_row:
                yield number, values

    def _all_rows(self, first: int | None = None) -> Iterator[tuple[int, list]]:
        if self.empty and not self.is_csv:
            return
        rows = _csv_rows(self) if self.is_csv else _xlsx_rows(self, first)
        for number, values in rows:
            if values.count(None) != len(values):
                yield number, values


def open_sheet(path: Path) -> SheetReader:
    """The first sheet of an .xlsx or a .csv, ready to stream (see `SheetReader`)."""
    return SheetReader(path)


def read_sheet(path: Path) -> Sheet:
    """The whole sheet in memory: for the small sheets (patrols, surveys); imports stream."""
    reader = open_sheet(path)
    rows = list(reader.rows())
    return Sheet(reader.label, reader.header, rows, reader.encoding, reader.filled_elsewhere, reader.as_written)


def _header_text(value) -> str:
    return "" if value is None else str(value).strip()


def _too_big(reader: SheetReader, row: int) -> GridctlError:
    return GridctlError("sheet.cell_too_big", file=reader.path, row=row, limit=MAX_CELL)


# --- CSV ---------------------------------------------------------------------------------------

ENCODINGS = {"UTF-8 BOM": "utf-8-sig", "UTF-8": "utf-8", "GB18030": "gb18030"}


def _csv_encoding(path: Path) -> str:
    """UTF-8 with or without its BOM when the whole file decodes so, else GB18030 (GBK's superset).

    Decoded in chunks: the check costs one read of the file, never its size in memory.
    """
    with path.open("rb") as handle:
        head = handle.read(3)
        if head == codecs.BOM_UTF8:
            return "UTF-8 BOM"
        if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):    # Excel's “Unicode 文本”: said as that
            raise GridctlError("sheet.utf16", file=path)
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                if b"\x00" in chunk:     # no text sheet holds NUL: a binary file (or zeros) named .csv
                    raise GridctlError("sheet.not_text", file=path)
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "GB18030"
    return "UTF-8"


def _csv_rows(reader: SheetReader) -> Iterator[tuple[int, list]]:
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL)
    number = 0
    assert reader.encoding is not None, "a CSV reader knows its encoding"
    try:
        with reader.path.open(encoding=ENCODINGS[reader.encoding], newline="") as handle:
            for number, row in enumerate(csv.reader(_lines(handle), strict=True), start=1):
                if has_invisible("".join(row)):
                    reader.as_written[number] = [_unguard(v) if v != "" else None for v in row]
                    row = [visible(v) for v in row]
                yield number, [_unguard(v) if v != "" else None for v in row]
    except UnicodeDecodeError:
        raise GridctlError("sheet.bad_encoding", file=reader.path) from None
    except _LineTooLong:
        raise _too_big(reader, number + 1) from None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _too_big(reader, number + 1) from None
        if "unexpected end of data" in str(exc):     # a quote never closed: the rest was one cell
            raise GridctlError("sheet.unclosed_quote", file=reader.path, line=number + 1) from None
        if "expected after" in str(exc):              # text after a closing quote: "1"x
            raise GridctlError("sheet.bad_quote", file=reader.path, line=number + 1) from None
        raise GridctlError("sheet.unreadable", file=reader.path, error=reason(exc)) from None
    finally:
        csv.field_size_limit(limit)


LINE_MAX = 64 * MAX_CELL
"""The longest line of a CSV read: 64 cells of Excel's limit. A longer one holds a cell too big
whatever its columns, and is refused before it is read whole (a file of gigabytes without a line
break was read into memory as one line, and the import ended in MemoryError)."""


class _LineTooLong(Exception):
    """A CSV line past `LINE_MAX`: a cell too big in the row being read."""


def _lines(handle) -> Iterator[str]:
    """The lines of a CSV, none longer than `LINE_MAX` (else `_LineTooLong`)."""
    while line := handle.readline(LINE_MAX + 1):
        if len(line) > LINE_MAX:
            raise _LineTooLong
        yield line


def _unguard(value: str) -> str:
    """Undo the quote that `write_csv` puts before a formula-like text."""
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_START else value


# --- xlsx (python-calamine: a Rust reader, ~10× openpyxl's; rows come to Python one at a time) ---

def _xlsx_sheet(path: Path):
    """calamine's first sheet (its cells held in Rust, handed to Python a row at a time);
    a file it cannot open as a workbook is refused as that (calamine's own words, `invalid Zip
    archive: Could not find EOCD`, `File not found '_rels/.rels'`, were the English message)."""
    from python_calamine import CalamineWorkbook

    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            return book.get_sheet_by_index(0)
    except Exception as exc:  # noqa: BLE001 - calamine raises zip, XML and value errors alike
        said = reason(exc) if isinstance(exc, OSError) else t("reason.not_xlsx")
        raise GridctlError("sheet.unreadable", file=path, error=said) from None


def _filled_sheet(path: Path) -> str | None:
    """The name of the first sheet after the first that holds a cell, when the first holds none:
    the clerk's data is there, and gridctl reads the first sheet only."""
    from python_calamine import CalamineWorkbook

    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            for name in book.sheet_names[1:]:
                if any(any(v not in ("", None) for v in row) for row in book.get_sheet_by_name(name).iter_rows()):
                    return name
    except Exception:  # noqa: BLE001 - only the words of a refusal depend on it
        return None
    return None


def _xlsx_pieces(path: Path) -> Pieces | None:
    """The sheet to be read in pieces (`xlsxpieces`), or None where it is to be read whole."""
    try:
        return Pieces(str(path))
    except Exception:  # noqa: BLE001 - a damaged or unusual workbook: calamine reads it whole and says why not
        return None


def _whole_rows(sheet, after: int = 0) -> Iterator[tuple[int, list]]:
    """calamine's rows of a sheet read whole, as `Pieces` gives them: from column A (calamine's
    begin at the sheet's leftmost cell), numbered from its first row, those after row `after`."""
    left = [""] * (sheet.start[1] if sheet.start else 0)
    for number, row in enumerate(sheet.iter_rows(), start=1):   # calamine yields from the sheet's first row
        if number > after:
            yield number, left + row if left else row


def _sheet_rows(reader: SheetReader, first: int | None) -> Iterator[tuple[int, list]]:
    """The rows of an .xlsx sheet, a piece at a time where it can be cut (read whole where a piece
    shows it cannot: from the row after the last given)."""
    if reader._pieces is None:
        assert reader._xlsx is not None, "an .xlsx reader holds its sheet"
        yield from _whole_rows(reader._xlsx)
        return
    pieces = reader._pieces
    try:
        yield from pieces.rows(first)
    except Unfit:                           # met before any row of the piece is given
        yield from _whole_rows(_xlsx_sheet(reader.path), pieces.given)


BLOCK = 256
"""Rows of an .xlsx sheet checked together (`_xlsx_rows`): the first block is of a few rows, each
next one four times the last, up to this (reading a header takes the first piece only)."""


def _xlsx_rows(reader: SheetReader, first: int | None = None) -> Iterator[tuple[int, list]]:
    """The sheet's rows, a block at a time: a block whose every cell is short enough and printable
    (no zero-width character, `_cleaned`) is given as calamine read it, each text whole and empty
    cells None (`_xlsx_value`); else each row is looked at alone. A cell calamine cannot decode
    refuses the sheet after the rows before it."""
    rows = _sheet_rows(reader, first)
    size, ended = 4, False
    while not ended:
        block: list[tuple[int, list]] = []
        failed: GridctlError | None = None
        try:
            for _ in range(size):
                block.append(next(rows))
        except StopIteration:
            ended = True
        except GridctlError as exc:
            failed = exc
        except Exception as exc:  # noqa: BLE001 - a cell calamine cannot decode
            failed = GridctlError("sheet.unreadable", file=reader.path, error=reason(exc))
        yield from _block_rows(reader, block)
        if failed is not None:
            raise failed
        size = min(size * 4, BLOCK)


def _block_rows(reader: SheetReader, block: list[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    """`_cleaned` for each row of a block, spared where the block shows there is nothing to do:
    every cell no longer than `MAX_CELL` and printable (every zero-width character is not; a
    number's, a date's or an empty cell's text has none); and where each cell is a text (a block
    of them is told by joining them), the row as calamine gave it, its empty cells None."""
    rows = [row for _, row in block]
    try:
        joined = list(map("".join, rows))           # (TypeError where a cell is no text)
    except TypeError:
        joined = None
    if joined is not None and _plain(joined, rows):
        if all(map(all, rows)):
            yield from block
        else:                                       # an empty cell (calamine's '') is None
            for number, row in block:
                yield number, row if all(row) else [v or None for v in row]
        return
    texts = [list(map(str, row)) for row in rows]
    if not _plain(list(map("".join, texts)), texts):
        for number, row in block:
            yield number, _cleaned(reader, number, row)
    else:
        for number, row in block:
            yield number, _values(row)


def _plain(joined: list[str], rows: list[list[str]]) -> bool:
    """Whether the texts of `rows` (each row's joined: `joined`) are printable and none is longer
    than `MAX_CELL` (a row no longer than that has none)."""
    text = "".join(joined)
    return text.isprintable() and (len(text) <= MAX_CELL or max(map(len, joined)) <= MAX_CELL
                                   or max(map(len, chain.from_iterable(rows))) <= MAX_CELL)


def _values(row: list) -> list:
    """A row's cells as an import takes them: a text as it is (most cells), any other cell by
    `_xlsx_value` (an empty one None)."""
    return [v if v and type(v) is str else _xlsx_value(v) for v in row]


def _cleaned(reader: SheetReader, number: int, row: list) -> list:
    """One row's values: empty cells None (`_xlsx_value`); refused where a cell is longer than
    `MAX_CELL`; its texts without their zero-width characters (the row as written kept in
    `reader.as_written`)."""
    values = _values(row)
    shown = repr(values)
    if len(shown) > MAX_CELL and any(isinstance(v, str) and len(v) > MAX_CELL for v in values):
        raise _too_big(reader, number)      # (a cell's repr is no shorter than its text)
    if "\\u" in shown:      # repr writes a zero-width character as \u200b (and a backslash as \\)
        cleaned = [(visible(v) or None) if type(v) is str else v for v in values]
        if cleaned != values:
            reader.as_written[number], values = values, cleaned
    return values


def _xlsx_value(value):
    """calamine's cell → the value `cell_text` reads: '' is an empty cell; 3.0 is the number 3."""
    if value == "" and isinstance(value, str):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_MARKS = re.compile(r"\s+|^[*＊]+|[*＊]+$|[(（](?:必填|选填|必填项|选填项)[)）]$")


def plain_header(head: str) -> str:
    """`* 网格编码（必填）` → `网格编码`: what a template adds around a header is not part of it,
    nor is the case of an English one (`Grid`, `grid`: gridctl's own English headers are written
    in sentence case, its sheets are read by the lower-case names)."""
    return _MARKS.sub("", _MARKS.sub("", head or "")).lower()


@functools.cache
def _header_aliases(configs: str) -> dict[str, str]:
    """alias → the header it stands for, from `configs/headers.yaml` (none in an older copy)."""
    from gridctl.config.yamlread import alias_lists, config_document
    from gridctl.errors import InputProblems

    path = Path(configs) / "headers.yaml"
    if not path.exists():           # a folder of that name is said as one (config_document)
        return {}
    _, doc = config_document("headers.yaml", path)
    problems = _unknown_heads(path, doc)
    try:
        lists = alias_lists(path, doc)
    except InputProblems as caught:       # its problems and these, shown once in the file's order
        raise InputProblems(sorted(caught.problems + problems, key=lambda p: p.line or 0)) from None
    if problems:
        raise InputProblems(problems)
    return {plain_header(word): plain_header(head) for head, words in lists.items() for word in words}


def _unknown_heads(path: Path, doc) -> list[Problem]:
    """An alias list under a key that is no header of an import sheet would never be used: each
    such key is a problem at its line naming the headers there are (in the screen's language),
    and the nearest one where a header is near."""
    import difflib

    from gridctl.messages import lang

    aliases = doc.get("aliases")
    if not hasattr(aliases, "key_lines"):     # none, or of the wrong shape: alias_lists says so
        return []
    heads = sheet_columns.import_headers()
    plain = {plain_header(head): head for head in heads}
    english = lang() == "en"
    shown = (", " if english else "、").join(h for h in heads if h.isascii() == english)
    problems = []
    for key in aliases:
        if plain_header(str(key)) not in plain:
            near = difflib.get_close_matches(plain_header(str(key)), list(plain), n=1, cutoff=0.5)
            params = {"known": shown, "near": plain[near[0]] if near else ""}
            problems.append(Problem(str(path), aliases.key_lines.get(key, aliases.line), str(key),
                                    "config.unknown_header_near" if near else "config.unknown_header", params))
    return problems


def canonical_header(head: str) -> str:
    """The header an alias stands for (`身份证` → `身份证号`), else the header itself, plain."""
    from gridctl.paths import configs_dir

    plain = plain_header(head)
    return _header_aliases(str(configs_dir())).get(plain, plain)


def header_names(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Every header a sheet takes → its field: gridctl's own (Chinese, English) and the aliases
    of `configs/headers.yaml` (an alias never overrides a header of the sheet)."""
    from gridctl.paths import configs_dir

    names = {plain_header(name): field for field, heads in columns.items() for name in heads}
    for word, head in _header_aliases(str(configs_dir())).items():
        if head in names and word not in names:
            names[word] = names[head]
    return names


def _unknown_column(head: str, names: dict[str, str], columns: dict[str, tuple[str, ...]]) -> tuple[str, dict]:
    """Refusing a header: the nearest name gridctl takes, and the headers of this sheet."""
    import difflib

    known = sheet_columns.listed(columns)
    near = difflib.get_close_matches(plain_header(head), list(names), n=1, cutoff=0.5)
    if near:
        return "sheet.extra_column_near", {"near": near[0], "known": known}
    return "sheet.extra_column_known", {"known": known}


def no_header(sheet: Sheet | SheetReader) -> list[Problem]:
    """Why a sheet has no header, where it has none: an empty file (or a BOM and nothing else), or
    its data on a later sheet than the first; else nothing."""
    if any(sheet.header):
        return []
    if sheet.filled_elsewhere:
        return [Problem(sheet.label, None, "", "sheet.first_empty", {"other": sheet.filled_elsewhere})]
    return [Problem(sheet.label, None, "", "sheet.empty")]


def map_columns(sheet: Sheet | SheetReader, columns: dict[str, tuple[str, ...]], required: tuple[str, ...],
                ignore_extra: bool) -> tuple[dict[str, int], list[Problem]]:
    """field → column index, by Chinese or English header or an alias (`configs/headers.yaml`);
    problems for the rest, naming the headers the sheet takes."""
    if not any(sheet.header):
        return {}, no_header(sheet)
    alias = header_names(columns)
    index: dict[str, int] = {}
    problems: list[Problem] = []
    for i, head in enumerate(sheet.header):
        field = alias.get(plain_header(head))
        if field is None:
            if head and not ignore_extra:
                problems.append(Problem(sheet.label, 1, head, *_unknown_column(head, alias, columns)))
            continue
        if field in index:
            first = sheet.header[index[field]]
            problems.append(Problem(sheet.label, 1, head, "sheet.duplicate_column") if plain_header(first) == plain_header(head)
                            else Problem(sheet.label, 1, head, "sheet.same_column", {"first": first}))
        index[field] = i
    for field in required:
        if field not in index:
            problems.append(Problem(sheet.label, 1, sheet_columns.shown(columns[field]), "sheet.missing_column"))
    other = sheet_columns.sheet_for([plain_header(head) for head in sheet.header], columns) if problems else None
    if other:       # said first: the columns' own problems follow, for a sheet meant for this import after all
        problems.insert(0, Problem(sheet.label, 1, "", "sheet.other_import", {"command": f"gridctl {other} import"}))
    return index, problems


def cell_text(value) -> str | None:
    if type(value) is str:  # most cells: the text itself, trimmed
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    text = str(value).strip()
    return text or None


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
