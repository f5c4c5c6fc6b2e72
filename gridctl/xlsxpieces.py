"""An .xlsx sheet read in pieces (分段读取), so that memory holds one piece of it, not the sheet.

python-calamine (Rust) reads a sheet whole into memory before the first row comes to Python:
~0.57 KB a row for an import sheet (56 MiB for 100,000 rows, 229 MiB for 400,000). Here the
sheet's XML is decompressed as a stream and cut between two rows every `PIECE` bytes; each piece
is wrapped, with the workbook's own small parts (workbook.xml, styles.xml, its relations), into
a small workbook of its own that calamine reads as it reads any workbook. Cell values, numbers,
dates (the workbook's styles and 1904 setting) and errors are therefore calamine's, as before.

Three things make the pieces read as the whole sheet does:
- row numbers: each piece keeps the rows' own `r`; its first row is the range's start;
- columns: a piece's range begins at its leftmost cell, so a cell in column A is added after its
  last row (a row of its own, dropped again): every piece's rows, and the header, begin at A;
- shared strings (the table of texts a sheet's cells point into): the table is scanned once into a
  temporary file, each text's place noted, and each piece gets the texts it uses, renumbered.

A sheet this cutting cannot follow (no `sheetData`, rows without their number) is read whole, as
before (`Unfit`).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from array import array
from collections.abc import Iterator
from posixpath import dirname, join, normpath
from xml.etree import ElementTree

PIECE = 1 << 20         # bytes of sheet XML in a piece (~1,800 rows of a 9-column import sheet)
HEAD = 64 << 10         # the first piece, for the header: a few rows
CHUNK = 256 << 10

_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_KEPT = re.compile(r"^(?:\[Content_Types\]\.xml|_rels/[^/]+|xl/[^/]+\.xml|xl/_rels/[^/]+)$")
_ROOT = re.compile(rb"<(?:[\w.-]+:)?worksheet\b[^>]*>")
_DATA = re.compile(rb"<((?:[\w.-]+:)?)sheetData\b[^>]*?(/?)>")
_SST_ROOT = re.compile(rb"<((?:[\w.-]+:)?)sst\b[^>]*>")
_COUNTS = re.compile(rb"\s(?:count|uniqueCount)\s*=\s*[\"'][^\"']*[\"']")
_NUMBER = re.compile(rb"\br\s*=\s*[\"'](\d+)[\"']")


class Unfit(Exception):
    """A sheet whose XML the cutting cannot follow: it is read whole."""


class Pieces:
    """The first sheet of an .xlsx, its rows given a piece at a time (see the module's doc)."""

    def __init__(self, path: str):
        self.path = path
        with zipfile.ZipFile(path) as book:
            names = set(book.namelist())
            self.part, self.name = _first_sheet(book, names)
            self.kept = {n: book.read(n) for n in names if _KEPT.match(n) and n != "xl/sharedStrings.xml"}
            self.strings = _Strings(book) if "xl/sharedStrings.xml" in names else None
        self._height: int | None = None
        self.given = 0          # the last row of the pieces given whole (`rows`)

    def height(self) -> int:
        """The number of the sheet's last row holding a value (its rows from the first, as
        calamine's height where the sheet begins at row 1): one pass over the XML, no cell kept."""
        if self._height is None:
            self._height = self._last_filled(every=False)
            if self._height is None:                # the last piece holds no value: look at every one
                self._height = self._last_filled(every=True) or 0
        return self._height

    def _last_filled(self, every: bool) -> int | None:
        """The number of the last row holding a value: of the last piece only, unless `every`."""
        last, final = None, b""
        for n, (piece, (_, _, prefix)) in enumerate(self._cut(PIECE, PIECE)):
            if n == 0:
                _last_row(piece, prefix)            # Unfit where a row lacks its number
            if every:
                last = _last_filled(piece) or last
            final = piece
        return last if every else _last_filled(final)

    def rows(self, first: int | None = None) -> Iterator[tuple[int, list]]:
        """(row number, calamine's values from column A) for each row of the sheet, from its first;
        the first piece of about `first` bytes (a small one where only the header is read)."""
        from python_calamine import CalamineWorkbook

        for piece, (start, end, prefix) in self._cut(PIECE, first or PIECE):
            last = _last_row(piece, prefix)
            if last is None:
                continue
            sentinel = b"<%srow r=\"%d\"><%sc r=\"A%d\" t=\"inlineStr\"><%sis><%st>.</%st></%sis></%sc></%srow>" % (
                prefix, last + 1, prefix, last + 1, prefix, prefix, prefix, prefix, prefix, prefix)
            sheet_xml = b"".join((start, piece, sentinel, end))
            strings = None
            if self.strings is not None:
                sheet_xml, strings = self.strings.piece(sheet_xml, prefix)
            with CalamineWorkbook.from_filelike(self._book(sheet_xml, strings)) as book:
                sheet = book.get_sheet_by_index(0)
                top = sheet.start[0] + 1 if sheet.start else last + 1
                values = sheet.to_python(skip_empty_area=True)
            del values[-1]                          # the added row
            yield from enumerate(values, start=top)
            self.given = last

    def _book(self, sheet_xml: bytes, strings: bytes | None) -> io.BytesIO:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as book:
            for name, data in self.kept.items():
                book.writestr(name, data)
            book.writestr(self.part, sheet_xml)
            if strings is not None:
                book.writestr("xl/sharedStrings.xml", strings)
        out.seek(0)
        return out

    def _cut(self, size: int, first: int) -> Iterator[tuple[bytes, tuple[bytes, bytes, bytes]]]:
        """The sheet's rows in pieces of about `size` bytes, each cut after a row's end tag,
        with what wraps them into a sheet again (its opening, its close, the tags' prefix)."""
        with zipfile.ZipFile(self.path) as book, book.open(self.part) as stream:
            buffer = bytearray()
            while (found := _DATA.search(buffer)) is None:
                chunk = stream.read(CHUNK)
                if not chunk:
                    raise Unfit("no sheetData")
                buffer += chunk
            root = _ROOT.search(buffer)
            if root is None or root.start() > found.start():
                raise Unfit("no worksheet")
            prefix = found.group(1)
            if found.group(2):                      # <sheetData/>: no rows
                return
            start = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + root.group() + found.group()
            end = b"</%ssheetData></%sworksheet>" % (prefix, prefix)
            wrap = (start, end, prefix)
            row_end, data_end = b"</%srow>" % prefix, b"</%ssheetData>" % prefix
            del buffer[:found.end()]
            done = False
            while not done:
                while len(buffer) < first and (chunk := stream.read(CHUNK)):
                    buffer += chunk
                stop = buffer.find(data_end)
                if stop >= 0:
                    cut, done = stop, True
                else:
                    cut = buffer.rfind(row_end)
                    if cut < 0:
                        chunk = stream.read(CHUNK)
                        if not chunk:
                            raise Unfit("no end of sheetData")
                        buffer += chunk
                        continue
                    cut += len(row_end)
                yield bytes(buffer[:cut]), wrap
                del buffer[:cut]
                first = size


def _first_sheet(book: zipfile.ZipFile, names: set[str]) -> tuple[str, str]:
    """The part holding the workbook's first sheet, and its name."""
    try:
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError) as exc:
        raise Unfit(str(exc)) from None
    sheet = next((e for e in workbook.iter() if e.tag.rsplit("}", 1)[-1] == "sheet"), None)
    if sheet is None:
        raise Unfit("no sheet")
    target = next((r.get("Target") for r in rels if r.get("Id") == sheet.get(_REL)), None)
    if not target:
        raise Unfit("no sheet part")
    part = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
    if part not in names or dirname(part) != "xl/worksheets":
        raise Unfit("sheet part elsewhere")
    return part, sheet.get("name") or ""


def _row_starts(prefix: bytes) -> re.Pattern:
    return re.compile(rb"<%srow\b([^>]*)>" % re.escape(prefix))


def _last_row(piece: bytes, prefix: bytes) -> int | None:
    """The number of the piece's last row (every row must carry its number)."""
    tags = _row_starts(prefix).findall(piece)
    if not tags:
        return None
    if not all(map(_NUMBER.search, tags)):
        raise Unfit("a row without its number")
    return int(_NUMBER.findall(tags[-1])[0])


_FILLED = re.compile(rb"<(?:[\w.-]+:)?row\b[^>]*?\br\s*=\s*[\"'](\d+)[\"'][^>]*>(?:(?!</(?:[\w.-]+:)?row>).)*?"
                     rb"<(?:[\w.-]+:)?(?:v|is)\b", re.S)


def _last_filled(piece: bytes) -> int | None:
    """The number of the last row of `piece` that holds a value."""
    tail = len(piece)
    while tail > 0:
        begin = max(0, tail - (256 << 10))
        begin = piece.rfind(b"<", 0, begin + 1) if begin else 0
        found = list(_FILLED.finditer(piece, begin, tail))
        if found:
            return int(found[-1].group(1))
        tail = begin
    return None


class _Strings:
    """The workbook's shared strings (the texts its cells point to by number): their XML kept in
    a temporary file, where each `<si>` begins noted; a piece gets the ones it uses, renumbered."""

    def __init__(self, book: zipfile.ZipFile):
        self.file = tempfile.TemporaryFile()
        self.starts = array("q")            # where each text's XML begins in the file; then its end
        with book.open("xl/sharedStrings.xml") as stream:
            buffer, written, root = b"", 0, None
            while chunk := stream.read(CHUNK):
                buffer += chunk
                if root is None:
                    root = _SST_ROOT.search(buffer)
                    if root is None:
                        continue
                    self.prefix = root.group(1)
                    self.open = _COUNTS.sub(b"", root.group())
                    self.item = re.compile(rb"<%ssi[\s>/]" % re.escape(self.prefix))
                    buffer = buffer[root.end():]
                keep = max(0, len(buffer) - 16)     # a tag cut between two chunks is found with the next
                self.starts.extend(written + f.start() for f in self.item.finditer(buffer) if f.start() < keep)
                self.file.write(buffer[:keep])
                buffer, written = buffer[keep:], written + keep
            if root is None:
                raise Unfit("no sst")
            self.starts.extend(written + f.start() for f in self.item.finditer(buffer))
            close = buffer.rfind(b"</%ssst>" % self.prefix)
            self.file.write(buffer)
            self.file.flush()                   # read back by `os.pread`, in this process or a forked one
            self.starts.append(written + (close if close >= 0 else len(buffer)))
        self.cells: dict[bytes, tuple[re.Pattern, re.Pattern]] = {}

    def piece(self, sheet_xml: bytes, prefix: bytes) -> tuple[bytes, bytes]:
        """The piece's sheet XML with its cells' text numbers renumbered, and its own table of them."""
        if prefix not in self.cells:
            p = re.escape(prefix)
            self.cells[prefix] = (
                re.compile(rb"(<%sc\b[^>]*?\bt\s*=\s*[\"']s[\"'][^>]*>\s*<%sv>)\s*(\d+)\s*(?=</)" % (p, p)),
                re.compile(rb"<%sc\b[^>]*?\bt\s*=\s*[\"']s[\"']" % p))
        numbered, shared = self.cells[prefix]
        parts = numbered.split(sheet_xml)
        olds = parts[2::3]
        if len(olds) != len(shared.findall(sheet_xml)):    # a text cell of another shape: the whole table
            table = os.pread(self.file.fileno(), self.starts[-1], 0)
            return sheet_xml, b"".join((self.open, table, b"</%ssst>" % self.prefix))
        used = {old: b"%d" % n for n, old in enumerate(dict.fromkeys(olds))}
        parts[2::3] = [used[old] for old in olds]
        return b"".join(parts), b"".join((self.open, *map(self._text, used), b"</%ssst>" % self.prefix))

    def _text(self, number: bytes) -> bytes:
        n = int(number)
        if n + 1 >= len(self.starts):
            raise Unfit("a text number past the table")
        begin, end = self.starts[n], self.starts[n + 1]
        return os.pread(self.file.fileno(), end - begin, begin)
