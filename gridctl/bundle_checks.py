"""What a bundle must be before any of it is merged (四级平台 hand-up files).

A bundle is gzip-compressed JSON lines (see `exchange.py`). Its trailer carries the SHA-256 of
every byte before it, taken while the lines stream by and checked before anything is committed
(and before any other fault is reported); each line is checked for shape as it is read. Any
fault is `BundleRefused` naming the line: "数据包已损坏".
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import json.scanner
import operator
import queue
import threading
import zlib
from pathlib import Path

import orjson

from gridctl import filekind, interrupts
from gridctl.errors import GridctlError
from gridctl.ledger.events import EVENT_COLS, Marked, marked_field, plain_row_hash, shared_details
from gridctl.messages import reason, t
from gridctl.timefmt import recorded, stored

_HEX = "0123456789abcdef"


def _is_hex64(text: str) -> bool:
    """64 lower-case hex digits (a SHA-256 as events carry it); `str.strip` in C, not a regex
    per hash: two per event line, 1.25 M lines a district year."""
    return len(text) == 64 and not text.strip(_HEX)


_SCAN = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]  # typeshed types its context as itself
_JSON_SPACE = " \t\n\r"


def parse_json(text: str):
    """`json.loads(text)`, the same object or the same error, for a text that is one JSON value:
    its C scanner called directly, without `loads`' three Python layers and two regex matches
    per call; anything else (leading space, a BOM, extra data, a fault) goes to `json.loads`."""
    try:
        obj, end = _SCAN(text, 0)
    except (StopIteration, ValueError):
        return json.loads(text)
    if end != len(text) and text[end:].strip(_JSON_SPACE):
        return json.loads(text)
    return obj


_read_line = orjson.loads
_LINE_REFUSED = orjson.JSONDecodeError


_TEXT_COLS = ("office", "action", "happened_at", "recorded_at", "details", "prev_hash", "hash")
_OPTIONAL_TEXT = ("issue", "record", "from_status", "to_status", "level", "actor", "note")
_READ_ERRORS = (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError)


class BundleRefused(GridctlError):
    """The bundle cannot be merged: damaged, edited, out of order, or diverging."""


def damaged(path: Path, error: str) -> BundleRefused:
    return BundleRefused("bundle.damaged", file=path, error=error)


_OTHER_KINDS = {"sqlite": "bundle.is_database", "zip": "bundle.is_zip", "text": "bundle.is_text",
                "bundle_text": "bundle.is_unpacked", "packed_sqlite": "bundle.is_other"}
"""Files a clerk may give `merge` in the place of a bundle (`filekind`), and how each is said."""


def refuse_other_kind(path: Path) -> None:
    """A ledger, a backup, a workbook or a text file given to `merge` is refused as the file it is:
    it was said `数据包已损坏 …; 请让发送方重新打包`, sending the clerk to ask for a new bundle when
    they had picked the wrong file. Bytes of no kind are left to the reader (damage in transit may
    start with anything); so is any gzip file."""
    kind = filekind.kind_of(path) or ""
    key = _OTHER_KINDS.get(kind)
    if key:
        raise BundleRefused(key, file=path, **({"what": t(f"kind.{kind}")} if key == "bundle.is_other" else {}))


INFLATE = 1 << 20
"""Bytes of the file read and inflated per call (`Reader._inflated`). gzip's own reader inflates
8 KiB at a time, and zlib lets go of the GIL on every call (and again for the CRC), as does each
read of the file: with merge's other threads holding it meanwhile the reading thread waited for it
back tens of thousands of times per 100 MiB bundle, and took it from the thread that checks the
lines each time. The gzip module, which reads what is not one whole gzip member, reads the file
through a buffer of this size."""
LINES = 1 << 20
"""Bytes of whole lines `Reader` takes from the inflated file at a time (about 1,800 event lines)."""
_GZIP_ONLY = 16 + zlib.MAX_WBITS
"""zlib's window bits for a gzip member only (its header and trailer checked by zlib itself)."""


class _NotPlain(Exception):
    """The bundle file is not one whole gzip member (damage included): read by the gzip module."""


AHEAD = 4
"""Lists of lines the reading thread may have read ahead of the lines being checked (~4 MiB)."""


class Reader:
    """One pass over a bundle: `objects()` yields (line number, parsed object) as the file is
    decompressed, while the SHA-256 of every line but the last is taken; `finish()` reads what is
    left and checks the trailer (the last line) and the checksum it states.

    The file is inflated, split into lines and hashed in a thread of its own, a list of lines
    (`LINES` bytes) at a time, ahead of the lines being checked: zlib and hashlib let go of the GIL
    while they work, so that work runs beside the merge's Python rather than between its steps.

    A merge applies the lines inside its transaction and calls `finish()` before it commits. When
    anything fails first, the merge calls `finish()` again before it gives up: a file damaged in
    transit is then refused as damaged whatever its broken content tripped over first — the
    answer the former checksum-first pass gave, without decompressing the file twice. Nothing
    is committed before the checksum is checked either way. `stop()` ends the reading thread
    early (a merge cut short by Ctrl+C). Of a damaged file, the lines zlib inflated before the
    damage are handed over, which may be a few more than the gzip module alone gave before it
    failed (`_lines`): the refusal is the same, damage winning at `finish()`."""

    def __init__(self, path: Path):
        self.path = path
        self.needs_checksum = False     # set once a format-2 header is read
        self._digest = hashlib.sha256()
        self._last: bytes | None = None     # the last line read: not in the digest (yet)
        self._unreadable: str | None = None
        self._failure: BaseException | None = None
        self._ahead: queue.Queue[list[bytes] | None] = queue.Queue(AHEAD)
        self._stopped = False
        self._chunks = self._taken()

    def _taken(self):
        """The lists of lines in order, as the reading thread (started on the first) hands them over."""
        threading.Thread(target=self._read_ahead, name="gridctl-reader", daemon=True).start()
        while (lines := self._ahead.get()) is not None:
            yield lines
        if self._failure is not None:
            raise self._failure
        if self._unreadable is not None:
            raise damaged(self.path, t("bundle.unreadable", error=self._unreadable))

    def _read_ahead(self) -> None:
        """The reading thread: every list of lines, then None (the end, or a read error noted)."""
        interrupts.leave_to_main_thread()
        try:
            for lines in self._read():
                if not self._hand(lines):
                    return
        except _READ_ERRORS as exc:
            self._unreadable = reason(exc)
        except BaseException as exc:    # not the file's fault: raised where the lines are taken
            self._failure = exc
        self._hand(None)

    def _hand(self, lines: list[bytes] | None) -> bool:
        """Hand the lines over once there is room; False when the reading was stopped meanwhile."""
        while not self._stopped:
            try:
                self._ahead.put(lines, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def stop(self) -> None:
        """The reading thread ends (within a tenth of a second) without reading further."""
        self._stopped = True

    def _read(self):
        """The lines as read, a list of about `LINES` bytes of them at a time (`readlines` splits
        them in C, as iterating the file does), each list hashed as it comes but for the last line
        read so far: one hashlib update each, which lets go of the GIL."""
        for lines in self._lines():
            if self._last is not None:
                self._digest.update(self._last)
            self._digest.update(b"".join(lines[:-1]))
            self._last = lines[-1]
            yield lines

    def _lines(self):
        """The file's lines, inflated by zlib `INFLATE` bytes of the file at a time (`_inflated`);
        from where that stops on anything but one whole gzip member (damage, a file cut short, a
        second member, bytes after it), by the gzip module as before (`_gzip_lines`), which then
        says what it always said of such a file, at the same line. zlib takes no file that the
        gzip module refuses, and inflates the same bytes from the same stream."""
        given = 0
        try:
            for lines in self._inflated():
                given += sum(map(len, lines))
                yield lines
            return
        except _NotPlain:
            pass
        yield from self._gzip_lines(given)

    def _inflated(self):
        """The lines of a file that is one gzip member: `zlib` inflates `INFLATE` bytes of it
        per call, `LINES` * 4 bytes out at most (gzip's reader inflates 8 KiB of it per call and
        takes its CRC in another: each lets go of the GIL and takes it back from the thread that
        reads the lines, ~26,000 times per 100 MiB bundle, against ~400 here). `_NotPlain` where
        the file is anything else."""
        inflate, tail = zlib.decompressobj(_GZIP_ONLY), b""
        with open(self.path, "rb") as packed:
            while not inflate.eof:
                data = inflate.unconsumed_tail or packed.read(INFLATE)
                if not data:
                    raise _NotPlain         # cut short (or output left inside zlib): the gzip module says
                try:
                    out = inflate.decompress(data, 4 * LINES)
                except zlib.error:
                    raise _NotPlain from None
                piece = io.BytesIO(out)
                while lines := piece.readlines(LINES):
                    if tail:
                        lines[0], tail = tail + lines[0], b""
                    if not lines[-1].endswith(b"\n"):
                        tail = lines.pop()      # the start of a line the next piece ends
                    if lines:
                        yield lines
            if inflate.unused_data or packed.read(1):
                raise _NotPlain             # a second member, or bytes after the first
        if tail:
            yield [tail]

    def _gzip_lines(self, given: int):
        """The file's lines as the gzip module reads them, less those of its first `given` bytes
        (the lines `_inflated` gave: the same lines, read again and passed over), so that what
        follows, and where it fails, is what reading it so always gave."""
        with open(self.path, "rb", buffering=INFLATE) as packed, gzip.GzipFile(fileobj=packed, mode="rb") as inflated, \
                io.BufferedReader(inflated, INFLATE) as handle:
            while lines := handle.readlines(LINES):
                passed = 0
                while passed < len(lines) and given > 0:
                    given -= len(lines[passed])
                    passed += 1
                if passed < len(lines):
                    yield lines[passed:] if passed else lines

    def objects(self):
        """(line number, object) for each line; a line that is not a JSON object is damage.

        A line is read by orjson from its bytes (2.7 µs against 5.9 for decoding it and
        `parse_json`: ~4 s of a district year's 1.25 M lines, all of it in the merging thread's
        share of the interpreter); a line orjson refuses is read again as before (`_line`), which
        accepts or refuses it as it always did: a lone surrogate (`"\\ud800"`), NaN, a number past a
        double, nesting past its depth, bytes that are not UTF-8. Where both read a line they read
        the same values, but for an integer beyond 64 bits, which orjson reads as a float: in an
        event line that is the wrong type either way (a column is refused by its name all the same,
        a key that is not a column is not read), and an event's details, where it would change
        what is written, are still read by `json` (`EventLines`)."""
        number = 0
        for lines in self._chunks:
            for raw in lines:
                number += 1
                try:
                    obj = _read_line(raw)
                except _LINE_REFUSED:
                    obj = self._line(raw, number)
                if type(obj) is not dict:
                    raise damaged(self.path, t("bundle.bad_line", line=number))
                yield number, obj

    def _line(self, raw: bytes, number: int):
        """A line read by `json` (`parse_json`), damage where it is not JSON or not UTF-8."""
        try:
            return parse_json(raw.decode())
        except UnicodeDecodeError as exc:
            raise damaged(self.path, t("bundle.unreadable", error=reason(exc))) from None
        except (ValueError, RecursionError):   # RecursionError: `[[[[…` nested past Python's depth
            raise damaged(self.path, t("bundle.bad_line", line=number)) from None

    def finish(self) -> dict:
        """Read to the end; the last line must be the trailer, and its checksum (required from
        format 2) must be that of every line before it. Returns the trailer."""
        for _ in self._chunks:
            pass
        if self._unreadable is not None:
            raise damaged(self.path, t("bundle.unreadable", error=self._unreadable))
        try:
            trailer = json.loads(self._last) if self._last is not None else None
        except (ValueError, RecursionError) as exc:
            raise damaged(self.path, t("bundle.unreadable", error=reason(exc))) from None
        if not isinstance(trailer, dict) or trailer.get("end") is not True:
            raise damaged(self.path, t("bundle.no_trailer"))
        stated = trailer.get("sha256")
        if stated is not None and stated != self._digest.hexdigest():
            raise damaged(self.path, t("bundle.bad_checksum"))
        if stated is None and self.needs_checksum:
            raise damaged(self.path, t("bundle.no_trailer"))
        return trailer


def check_header(header, path: Path, formats: tuple[int, ...]) -> dict:
    if not isinstance(header, dict) or header.get("gridctl_bundle") not in formats:
        raise damaged(path, t("bundle.bad_header"))
    chains = header.get("chains")
    if not isinstance(header.get("sender"), str) or not isinstance(chains, dict) \
            or not _is_count(header.get("count")):
        raise damaged(path, t("bundle.bad_header"))
    for chain in chains.values():
        if not isinstance(chain, dict) or not all(_is_count(chain.get(k)) for k in ("first_n", "last_n")) \
                or not isinstance(chain.get("last_hash"), str):
            raise damaged(path, t("bundle.bad_header"))
    heads = header.get("heads", {})
    if not isinstance(heads, dict) or not all(isinstance(h, dict) for h in heads.values()):
        raise damaged(path, t("bundle.bad_header"))
    legacy = header.get("legacy_hash", {})
    if not isinstance(legacy, dict) or not all(_is_count(v) for v in legacy.values()):
        raise damaged(path, t("bundle.bad_header"))
    return header


_ROW = operator.itemgetter(*EVENT_COLS)
_NOTHING = object()


class EventLines:
    """Checks each event line for shape (`row`) and parses its details, once for identical short
    details of issue moves (read-only: the life cycle never changes a details dict)."""

    def __init__(self, path: Path):
        self.path = path
        self._shared = shared_details()
        self._last: object = _NOTHING     # the hash computed for the line before (64 hex digits)

    def row(self, obj: dict, number: int) -> tuple[tuple, str | None, dict, dict | None]:
        """The event's `EVENT_COLS` values, the hash they give (`row_hash`; None when it is left
        to the chain to take, as it was), its details, and the line itself where it lacks a column
        (None when the values say all the line says: it need not be kept). Any fault is damage
        naming the field, the first one as `check_columns` finds it.

        The column types ride on the hash: `plain_row_hash` joins every column but `n` and the hash
        as text, so it raises TypeError on anything but a text or None (and `Marked` on a text
        holding a separator of the hashed text), and a hash equal to the one computed is 64 hex
        digits. What is left is checked here: `n`, the columns that may not be
        None, the previous hash's digits (known when it is the hash computed for the line
        before, as it is for all but a chain's first event), the time the event happened in the
        ledger's form (`timefmt.stored`: reports read it back as the issue's stage times), and the
        time it was recorded in its own (`timefmt.recorded`)."""
        unencodable = marked = False
        try:
            row = _ROW(obj)
            digest: str | None = plain_row_hash(row)
        except (KeyError, TypeError):
            row = digest = None
        except UnicodeEncodeError:      # a text that is not Unicode (a lone surrogate, `"\ud800"`):
            row, digest, unencodable = _ROW(obj), None, True    # refused after the details, where
        except Marked:                                          # the hash met it (and crashed);
            row, digest, marked = _ROW(obj), None, True         # so is a field holding U+001E/U+001F
        whole: dict | None = None
        # not NULL: office 0, action 4, happened_at 9, recorded_at 10, details 12, prev_hash 13;
        # a row here was joined by the hash, which refuses None in those columns (TypeError)
        if row is None or type(row[1]) is not int or not 0 < row[1] < 2**62 \
                or (row[13] != self._last and not _is_hex64(row[13])) \
                or (digest != row[14] and (type(row[14]) is not str or not _is_hex64(row[14]))) \
                or not stored(row[9]) or not recorded(row[10]):
            check_columns(obj, number, self.path)
            row = tuple(obj.get(col) for col in EVENT_COLS)     # an optional column left out is NULL
            digest, whole = None, obj
        details = self._details(obj, row, number)
        if unencodable:
            raise damaged(self.path, bad_field(number, _not_unicode(row)))
        if marked:
            raise damaged(self.path, t("bundle.marked_field", line=number, field=t(f"bundle.col.{marked_field(row)}")))
        self._last = digest if digest is not None else _NOTHING
        return row, digest, details, whole

    def _details(self, obj: dict, row: tuple, number: int) -> dict:
        text, issue, action = row[12], row[2], row[4]
        try:    # an issue move's details are only read; a record's may be changed by its apply
            details = self._shared(text) if issue is not None and action != "add" else parse_json(text)
        except (ValueError, RecursionError):
            details = None
        if not isinstance(details, dict):
            raise damaged(self.path, bad_field(number, "details"))
        if (issue is None) != ("." in action):
            raise damaged(self.path, t("bundle.issue_or_record", line=number))
        if "." in action and not _record_event_fits(obj, details):
            raise damaged(self.path, t("bundle.details_unfit", line=number))
        return details


def _not_unicode(row: tuple) -> str:
    """The first column whose text cannot be written as UTF-8."""
    for col, value in zip(EVENT_COLS, row):
        try:
            if isinstance(value, str):
                value.encode()
        except UnicodeEncodeError:
            return col
    return "details"


def check_columns(obj: dict, number: int, path: Path) -> None:
    """An event line has every column with its type (the first missing or mistyped one is named)."""
    for key in _TEXT_COLS:
        if not isinstance(obj.get(key), str):
            raise damaged(path, bad_field(number, key))
    for key in _OPTIONAL_TEXT:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise damaged(path, bad_field(number, key))
    if not _is_count(obj.get("n")) or obj["n"] < 1:
        raise damaged(path, bad_field(number, "n"))
    for key in ("hash", "prev_hash"):
        if not _is_hex64(obj[key]):
            raise damaged(path, bad_field(number, key))
    if not stored(obj["happened_at"]):     # reports read it as the issue's stage times
        raise damaged(path, t("bundle.bad_time", line=number, field=t("bundle.col.happened_at"), value=_quoted(obj["happened_at"])))
    if not recorded(obj["recorded_at"]):    # as every ledger writes it: to the second, with a T
        raise damaged(path, t("bundle.bad_recorded", line=number, field=t("bundle.col.recorded_at"),
                              value=_quoted(obj["recorded_at"])))


def bad_field(line: int, column: str) -> str:
    """A line's column missing or malformed, the column in words (happened_at → 发生时间)."""
    return t("bundle.bad_field", line=line, field=t(f"bundle.col.{column}"))


def _quoted(text: str) -> str:
    """A refused text as said: in quotes, cut at 40 characters, a lone surrogate as `\\ud800`."""
    text = text.encode("utf-8", "backslashreplace").decode()
    return f"“{text if len(text) <= 40 else text[:37] + '…'}”"


def _record_event_fits(event: dict, details: dict) -> bool:
    """A record event names a known kind and action, with the details that action needs."""
    from gridctl.ledger.register import is_register_action
    from gridctl.records.kinds import KINDS, columns

    kind_name, _, action = event["action"].partition(".")
    if is_register_action(event["action"]):
        return True     # the register's own apply checks its rows; a failure there is damage too
    if kind_name == "score":
        return action in ("approve", "reopen", "flag", "unflag") and isinstance(details.get("period"), str)
    kind = KINDS.get(kind_name)
    if kind is None or action not in ("add", "void", "link") or not isinstance(event.get("record"), str):
        return False
    if action == "add":
        record = details.get("record")
        return (isinstance(record, dict) and set(record) <= set(columns(kind))
                and record.get("id") == event["record"] and isinstance(record.get("date"), str)
                and isinstance(found := record.get("found") or [], list) and all(isinstance(i, str) for i in found))
    if action == "link":
        issues = details.get("issues")
        return kind_name == "patrol" and isinstance(issues, list) and all(isinstance(i, str) for i in issues)
    return True


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**62
