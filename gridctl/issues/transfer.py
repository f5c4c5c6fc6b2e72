"""`issue import` and `issue export`: the clerk's sheet in, the ledger's rows out.

Import validates every row first and writes nothing if any row is wrong; a row already in
the ledger (same 编号, or with no 编号 the same grid, category, source, title and found time)
is skipped, so importing a sheet twice adds nothing; held with other values (a corrected sheet
imported again) it is a problem of the sheet, since an import never changes an issue recorded.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import Any

from gridctl import bounds, collector, sheet_columns
from gridctl.bounds import visible
from gridctl.errors import FieldRefused, GridctlError, InputProblems, NotFound, Problem
from gridctl.issues import duplicates
from gridctl.issues import lifecycle as lc
from gridctl.issues.calendar import load_calendar
from gridctl.issues.notes import stored_note
from gridctl.issues.router import RoutedRow, Router
from gridctl.issues.service import IssueRecorder, IssueView, NewIssue, Routed, content_key, present, record_new
from gridctl.issues.sources import resolve_source
from gridctl.ledger import grids as gq
from gridctl.ledger import issues as iq
from gridctl.ledger import ledger, ledger_node, transaction
from gridctl.ledger.bulk import indexes_put_off
from gridctl.ledger.db import bulk_cache, data_version, holding
from gridctl.ledger.issues import IssueState
from gridctl.ledger.recorder import office_code, resolve_actor
from gridctl.ledger.sheetkeys import SheetKeys
from gridctl.messages import choices, lang, t
from gridctl.outfile import replacing
from gridctl.progress import QUIET, Meter, counted
from gridctl.sheet_columns import ISSUE_COLUMNS
from gridctl.sheets import cell_text, map_columns, open_sheet, write_csv
from gridctl.text import mask_phone
from gridctl.timefmt import as_of_moment, fmt, now, parse, parse_given

IMPORT_COLUMNS = ISSUE_COLUMNS     # defined in sheet_columns, beside the other sheets' (headers.yaml is checked against all)
REQUIRED = ("grid", "category", "source", "title", "found_at")


class IssueIds:
    """The ids of the issues an import recorded, in order, kept as numbers (8 bytes each rather
    than a text of ~70): an import's ids are this office's (`410105-2026-00001`), so each is its
    year and number. Read back as the texts (`--json`)."""

    def __init__(self) -> None:
        self.office = ""
        self.numbers = array("q")           # year << 32 | seq

    def add(self, state: IssueState) -> None:
        self.office = state.office
        self.numbers.append(state.year << 32 | state.seq)

    def __len__(self) -> int:
        return len(self.numbers)

    def __iter__(self) -> Iterator[str]:
        office = self.office
        for number in self.numbers:
            yield f"{office}-{number >> 32}-{number & 0xFFFFFFFF:05d}"     # as `IssueRecorder.next_id` makes it


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    already: int = 0
    dry_run: bool = False
    ids: IssueIds = field(default_factory=IssueIds)
    encoding: str | None = None     # a CSV's: UTF-8, UTF-8 BOM or GB18030
    possible_duplicates: list[dict] | None = field(default_factory=list)   # imported all the same; None: not checked

    def to_dict(self) -> dict:
        return {"rows": self.rows, "imported": self.imported, "already": self.already,
                "dry_run": self.dry_run, "ids": list(self.ids), "encoding": self.encoding,
                "possible_duplicates": self.possible_duplicates}


class _Rows:
    """Validates sheet rows against the ledger's grids and duty matrix."""

    def __init__(self, conn, label: str, office: str, scoped: bool):
        self.label, self.office, self.scoped = label, office, scoped
        self.conn = conn
        self.grids = {g["code"]: g for g in gq.current_nodes(conn)}
        self.categories = {}
        for c in gq.current_categories(conn):
            self.categories[c["code"]] = self.categories[c["name"]] = c
        self.problems: list[Problem] = []
        self.rows = 0
        self.sources: dict[str, str | None] = {}      # a sheet has few distinct texts of these two:
        self.times: dict[str, datetime] = {}          # each is resolved once
        self.phones: dict[str, str | None] = {}       # (as are phones)
        self.moment: datetime | None = None     # the import's now: a row's 上报时间 when the sheet gives none
        self.stored: dict[datetime, str] = {}
        self.latest: tuple[datetime | None, datetime] = (None, datetime.min)

    def stored_time(self, moment: datetime) -> str:
        """`fmt(moment)`, once per moment (a sheet's rows share few)."""
        text = self.stored.get(moment)
        if text is None:
            if len(self.stored) > 100_000:
                self.stored.clear()
            text = self.stored[moment] = fmt(moment)
        return text

    def problem(self, row: int, column: str, what: str, /, **params) -> None:
        self.problems.append(Problem(self.label, row, sheet_columns.shown(IMPORT_COLUMNS[column]), what, params))

    def read(self, row: int, values: dict, now_: datetime):
        joined = " ".join(filter(None, values.values()))    # (cells: texts or None, `_entries`; a space: printable)
        if len(joined) > bounds.TEXT_MAX or bounds.bad_char(joined):
            for key, value in values.items():       # one test per row; each cell if any (the bounds `issue add` has)
                try:
                    if isinstance(value, str):
                        bounds.text(value, key)
                except bounds.OutOfRange as exc:
                    self.problem(row, key, exc.what, **exc.params)
        get = values.get                    # each cell read once (a sheet's every row comes here); what rows
        grid_text, category_text, source_text, title, found_text, phone = (   # share is looked up once
            get("grid"), get("category"), get("source"), get("title"), get("found_at"), get("phone"))
        kept = (self.phones[phone] if phone in self.phones else self._phone(phone)) if phone else phone
        grid = self.grids.get(grid_text) if grid_text else None
        if grid is None and grid_text:
            grid = self._grid(row, grid_text)
        if grid and self.scoped and not grid["code"].startswith(self.office):
            self.problem(row, "grid", "issue.grid_outside_office", grid=grid["path"], office=self.office)
        category = self.categories.get(category_text or "")
        if category_text and category is None:
            self.problem(row, "category", "duty.unknown_category", value=category_text)
        source = self.sources[source_text] if source_text in self.sources else self._source(source_text)
        if source_text and source is None:
            self.problem(row, "source", "issue.bad_source", value=source_text, allowed=choices(lc.SOURCES))
        if not (grid_text and category_text and source_text and title and found_text):
            for key in REQUIRED:
                if not get(key):
                    self.problem(row, key, "field.required")
        found = self.times.get(found_text) if found_text else None
        if found is None:
            found = self._time(row, values, "found_at")
        reported_text = get("reported_at")
        reported = (self.times.get(reported_text) or self._time(row, values, "reported_at") or now_) \
            if reported_text else now_
        latest = self.latest[1] if self.latest[0] is now_ else self._latest(now_)
        if found and found > latest:        # every move would wait for it
            self.problem(row, "found_at", "issue.future_time", at=fmt(found))
        if reported > latest:
            self.problem(row, "reported_at", "issue.future_time", at=fmt(reported))
        if found and found > reported:
            self.problem(row, "found_at", "issue.found_after_report", found=fmt(found), at=fmt(reported))
        if phone and kept is None:
            self.problem(row, "phone", "field.bad_phone", value=bounds.halfwidth(phone))
        if not (grid and category and source and found and title):
            return None
        new = NewIssue(grid["code"], category["code"], source, title, self.stored.get(found) or self.stored_time(found),
                       get("place"), get("reporter"), kept, get("ref"))
        return new, (grid, category, source), reported

    def _phone(self, text: str) -> str | None:
        """`bounds.phone_text`, once per text (a sheet's rows share few: at most 100,000 are kept)."""
        if len(self.phones) > 100_000:
            self.phones.clear()
        kept = self.phones[text] = bounds.phone_text(text)
        return kept

    def _latest(self, now_: datetime) -> datetime:
        """The latest time a row may give: five minutes after the import's `now_` (worked out once)."""
        if self.latest[0] is not now_:
            self.latest = (now_, now_ + timedelta(minutes=5))
        return self.latest[1]

    def again(self, row: int, values: dict, now_: datetime):
        """A row `read` found good in pass 1, as `read` gives it but without re-checking every cell
        (pass 2 reads the same cells); a row that does not resolve as before goes through `read`,
        whose problems then refuse the import."""
        grid = self.grids.get(values["grid"])
        category = self.categories.get(values["category"])
        source = self.sources.get(values["source"])
        found = self.times.get(values["found_at"])
        reported = self.times.get(values["reported_at"]) if values.get("reported_at") else now_
        if not (grid and category and source and found and reported and values["title"]):
            return self.read(row, values, now_)
        new = NewIssue(grid["code"], category["code"], source, values["title"], self.stored_time(found),
                       values.get("place"), values.get("reporter"),
                       bounds.halfwidth(values["phone"]) if values.get("phone") else values.get("phone"),
                       values.get("ref"))
        return new, (grid, category, source), reported

    def _source(self, text: str | None) -> str | None:
        if text not in self.sources:
            self.sources[text or ""] = resolve_source(text or "")
        return self.sources[text or ""]

    def _grid(self, row: int, text: str | None) -> dict | None:
        """网格编码: a code, or a path or unique name as on the command line (金水区/经八路街道/…)."""
        if not text:
            return None
        grid = self.grids.get(text)
        if grid is None and not text.isdigit():
            try:
                grid = self.grids.get(gq.resolve_node(self.conn, text)["code"])
            except NotFound as exc:
                self.problem(row, "grid", str(exc))
                return None
        if grid is None:
            self.problem(row, "grid", "config.unknown_ref", what=t("what.grid"), value=text)
        return grid

    def _time(self, row, values, key) -> datetime | None:
        if not values.get(key):
            return None
        text = values[key]
        if text in self.times:
            return self.times[text]
        try:
            if len(self.times) > 100_000:
                self.times.clear()
            self.times[text] = parse_given(text, IMPORT_COLUMNS[key][0])   # not empty: read above
            return self.times[text]
        except FieldRefused as exc:     # out of range, or no such day or time (2026-02-30)
            self.problem(row, key, exc.what, **exc.params)
        except GridctlError:
            self.problem(row, key, "time.bad_cell", value=values[key])  # the column is named already
        return None


BATCH = 2500  # issues recorded between two flushes of the recorder, all inside one transaction
ROUTED_APART = 10_000
"""A sheet of at least this many rows is routed in a second process (`router`) where the
machine has a second core: below it, starting one costs more than it saves."""
PUT_OFF_FROM = 10_000
"""Rows to write from which an import into a ledger holding fewer issues than that makes the
issues' indexes once at its end (`_issue_indexes`)."""


def import_issues(db: Path, path: Path, *, dry_run: bool = False, ignore_extra: bool = False,
                  actor: str | None = None, meter: Meter = QUIET) -> ImportResult:
    """Two streaming passes over the sheet: check every row keeping only its key, then write;
    a large sheet in one pass, by a second process that reads, checks and routes the rows while
    this one records them (`_import_apart`).

    Memory never holds the rows themselves: the keys of a large sheet's rows (to find a row
    given twice) wait in a temporary database (`SheetKeys`), the rows the ledger holds already
    are marked by their number, a bit each (`RowMarks`); the writes go in batches inside one
    transaction, all or nothing.
    """
    sheet = open_sheet(path)
    if _is_export(sheet.header):
        raise GridctlError("import.is_export", file=path)
    index, problems = map_columns(sheet, IMPORT_COLUMNS, REQUIRED, ignore_extra)
    if problems:
        raise InputProblems(problems)
    moment, stamp = now(), _stamp(path)
    with collector.paused(), _router(db, sheet, index, moment, dry_run) as router, \
            ledger(db, shared=True) as conn, ExitStack() as locked:
        if router:
            return _import_apart(conn, router, sheet, (path, stamp), actor, meter, locked)
        check = _Rows(conn, sheet.label, office_code(conn), bool(ledger_node(conn)))
        version = data_version(conn)
        good, held = _checked(conn, check, counted(_entries(sheet, index, check, moment), meter), sheet, index)
        if check.problems:
            raise InputProblems(check.problems)
        result = ImportResult(rows=check.rows, already=len(held), dry_run=dry_run, encoding=sheet.encoding)
        if dry_run:
            result.imported = good - len(held)
            rows = ((row, r[0]["code"], r[1]["code"], new.title, reported)
                    for row, new, r, reported in _entries(sheet, index, check, moment, again=True)
                    if row not in held)
            result.possible_duplicates = duplicates.of_rows(conn, rows, load_calendar().duplicate_days)
            return result
        if len(held) == good:               # all already held: nothing to read again, nothing to write
            return _held_whole(conn, result, (path, stamp), actor, meter)
        bulk_cache(conn)
        with transaction(conn):
            if data_version(conn) != version:   # another command wrote meanwhile (another import of the same sheet?):
                good, held = _checked(conn, check, _entries(sheet, index, check, moment, again=True), sheet, index)
                if check.problems:          # a held row it now differs from
                    raise InputProblems(check.problems)
            result.already = len(held)      # the rows held read again under the write lock
            todo = good - len(held)
            holding(conn, todo, t("what.rows"))
            after = iq.last_num(conn)       # the issues numbered after it are this import's
            rec = IssueRecorder(conn, load_calendar(), actor)
            meter.total(todo)                                                               # rows to write
            with _issue_indexes(conn, todo, after):
                changed = _record(conn, rec, check, _entries(sheet, index, check, moment, again=True), held,
                                  result, meter)
            if changed or _stamp(path) != stamp:
                raise GridctlError("sheet.changed", file=path)
            result.possible_duplicates = duplicates.among(conn, after, rec.cal.duplicate_days)
        result.imported = len(result.ids)
        return result


def _issue_indexes(conn, todo: int, held: int):
    """The issues' indexes made once the rows are written (`bulk.indexes_put_off`) when an import
    writes at least `PUT_OFF_FROM` rows and more than the ledger holds (`held`: its last issue's
    number): sorting all rows once then costs less than inserting each into seven indexes (100k
    rows into the city's ledger: 2.2 s → 1.6 s of SQLite's CPU). Else kept up row by row. A failed
    or interrupted import rolls back, the indexes with it."""
    if todo >= PUT_OFF_FROM and held < todo:
        return indexes_put_off(conn, "issues")
    return nullcontext()


def _held_whole(conn, result: ImportResult, stamped: tuple[Path, tuple[int, int]], actor: str | None,
                meter: Meter) -> ImportResult:
    """A sheet the ledger holds whole: nothing to write, and no write lock taken."""
    resolve_actor(conn, actor)              # refused without a person, as when there is something to write
    meter.total(0)
    if _stamp(stamped[0]) != stamped[1]:
        raise GridctlError("sheet.changed", file=stamped[0])
    return result


def _record(conn, rec: IssueRecorder, check: _Rows, entries, held, result: ImportResult, meter: Meter) -> bool:
    """Pass 2 here: route and record the rows not held, batch by batch; True if a row no longer
    reads as pass 1 read it."""
    batch = _batch(entries, held)
    rec.prefetch((resolved[0]["code"] for _, _, resolved, _ in batch), check.grids)
    with rec.background():                  # each batch is written while the next is recorded
        while batch:
            for _, new, resolved, reported in batch:
                result.ids.add(record_new(conn, rec, new, reported, False, resolved))
            following = _batch(entries, held)
            rec.prefetch((resolved[0]["code"] for _, _, resolved, _ in following), check.grids)
            rec.flush()
            meter.step(len(batch))
            batch = following
    return bool(check.problems)


def _import_apart(conn, router: Router, sheet, stamped: tuple[Path, tuple[int, int]], actor: str | None,
                  meter: Meter, locked: ExitStack) -> ImportResult:
    """The import with the second process (`router.serve`) reading, checking and routing the
    sheet's rows, one pass: the import takes its write transaction (into `locked`) when that
    process meets rows the ledger does not hold, and records each batch of them as it comes.
    Whatever comes after (a bad row, Ctrl+C, a refusal) ends the transaction with nothing
    written; the sheet's problems are said whole and first, as in one process."""
    result = ImportResult(encoding=sheet.encoding)
    problems: list[Problem] = []
    refusal: GridctlError | None = None
    apart = _Apart(conn, actor)
    router.check()
    with ExitStack() as writing:
        for kind, body in router.messages():
            if kind == "seen":
                meter.step(body)
            elif kind == "lock":                # rows to write: the write lock, then the second process may route
                locked.enter_context(transaction(conn))
                router.go()
                bulk_cache(conn)
                holding(conn, body, t("what.rows"))
                meter.total(body)
                try:
                    writing.enter_context(apart.start(body))
                except GridctlError as exc:     # (said after the sheet's problems, as in one process)
                    refusal = exc
            elif kind == "total":               # the ledger changed before the lock: read again from the start
                meter.total(body)
            elif kind == "rows":
                rows, read, found = body
                problems += found
                if rows and not problems and refusal is None:
                    try:
                        apart.record(rows, result)
                    except GridctlError as exc:
                        refusal = exc
                meter.step(read)
            else:                               # "end"
                result.rows, result.already, found = body
                problems += found
        if problems:
            raise InputProblems(problems)
        if refusal is not None:
            raise refusal
    if apart.rec is None:
        return _held_whole(conn, result, stamped, actor, meter)
    if _stamp(stamped[0]) != stamped[1]:
        raise GridctlError("sheet.changed", file=stamped[0])
    result.possible_duplicates = duplicates.among(conn, apart.after, apart.rec.cal.duplicate_days)
    result.imported = len(result.ids)
    return result


class _Apart:
    """The importing side of `_import_apart`: records the routed rows the second process hands over."""

    def __init__(self, conn, actor: str | None):
        self.conn, self.actor = conn, actor
        self.rec: IssueRecorder | None = None
        self.after = 0
        self.categories: dict[str, dict] = {}

    def start(self, todo: int) -> ExitStack:
        """The recorder, under the write lock; its writer thread runs until the returned context
        ends, and the issues' indexes put off till then (`_issue_indexes`, `todo` rows at most)."""
        self.after = iq.last_num(self.conn)     # the issues numbered after it are this import's
        self.rec = IssueRecorder(self.conn, load_calendar(), self.actor)
        self.categories = {c["code"]: c for c in gq.current_categories(self.conn)}
        started = ExitStack()
        started.enter_context(_issue_indexes(self.conn, todo, self.after))
        started.enter_context(self.rec.background())
        return started

    def record(self, rows: list[tuple], result: ImportResult) -> None:
        """One batch of routed rows (`router.RoutedRow`), recorded and handed to the writer. A grid
        is named by its code and level, all `record_new` reads of it once routed."""
        rec, conn, categories, ids = self.rec, self.conn, self.categories, result.ids
        assert rec is not None, "started"
        rec.forget()
        for _, grid, level, category, source, title, found_at, place, reporter, phone, ref, reported, routing in rows:
            new = NewIssue(grid, category, source, title, found_at, place, reporter, phone, ref)   # RoutedRow's fields
            resolved = ({"code": grid, "level": level}, categories[category], source)
            ids.add(record_new(conn, rec, new, reported, False, resolved, None, Routed(*routing)))
        rec.flush()


assert RoutedRow._fields == ("row", "grid", "level", "category", "source", "title", "found_at", "place", "reporter",
                             "phone", "ref", "reported", "routing"), "_Apart.record unpacks them in this order"


def _forks() -> bool:
    """A second core to route on, and `os.fork` to share the sheet with it (not on Windows)."""
    return hasattr(os, "fork") and hasattr(os, "sched_getaffinity") and len(os.sched_getaffinity(0)) > 1


@contextmanager
def _router(db: Path, sheet, index: dict[str, int], moment: datetime, dry_run: bool):
    """The second process that routes a large sheet's rows (`router.Router`), else None."""
    size = sheet.size()
    if dry_run or size is None or size < ROUTED_APART or not _forks():
        yield None
        return
    try:
        router = Router(db, sheet, index, moment, BATCH)
    except OSError:                 # no second process to be had (too many, no memory): one process
        yield None
        return
    try:
        yield router
    finally:
        router.close()


def _batch(entries, held: RowMarks) -> list:
    """The next `BATCH` rows of the sheet, less those the ledger already holds ([] at its end)."""
    while chunk := list(islice(entries, BATCH)):
        batch = [e for e in chunk if e[0] not in held]
        if batch:
            return batch
    return []


def _is_export(header: list[str]) -> bool:
    """`issue export`'s own sheet, in either language: its title line (xlsx) or its id and status columns."""
    from gridctl.messages import CATALOGUE

    heads = {h.strip() for h in header if h}
    titles = tuple(line.split("{")[0] for line in CATALOGUE["export.title_line"])
    if len(heads) == 1 and next(iter(heads)).startswith(titles):
        return True
    return any({CATALOGUE["export.id"][i], CATALOGUE["export.status"][i]} <= heads for i in (0, 1))


def _stamp(path: Path) -> tuple[int, int]:
    info = Path(path).stat()
    return info.st_size, info.st_mtime_ns


def _entries(sheet, index: dict[str, int], check: _Rows, moment: datetime, again: bool = False):
    """(row, new issue, (grid, category, source), reported at) for each good row, streamed;
    `again` for the second pass over rows the first found good."""
    check.rows, check.moment = 0, moment
    read = check.again if again else check.read
    keys, at, width = list(index), list(index.values()), max(index.values()) + 1
    for row, raw in sheet.rows():
        check.rows += 1
        if len(raw) < width:
            raw = raw + [None] * (width - len(raw))
        values = dict(zip(keys, [(raw[i].strip() or None) if type(raw[i]) is str else cell_text(raw[i]) for i in at]))
        entry = read(row, values, moment)
        if entry:
            yield (row, *entry)


def _key(new: NewIssue, resolved) -> tuple[str, str]:
    """What makes a row the same issue: its 编号, else its grid, category, source, title and time."""
    grid, category, source = resolved
    return row_key(new.ref, grid["code"], category["code"], source, new.title, new.found_at)


def row_key(ref: str | None, grid: str, category: str, source: str, title: str,
            found_at: str | datetime | None) -> tuple[str, str]:
    """`_key` of a row's values (codes)."""
    if ref:
        return "ref", ref
    return "key", content_key(grid, category, source, title, found_at)


def _checked(conn, check: _Rows, entries, sheet, index: dict[str, int]) -> tuple[int, RowMarks]:
    """Pass 1 in one process: every row checked (`entries`), a row given twice a problem
    (`_unique`), and the good rows the ledger already holds marked by their number, looked up a
    batch at a time as the second process does. (good rows, rows held.) The keys seen wait in a
    temporary database for a large sheet (`_seen`): memory the same at any size."""
    held, good = RowMarks(), 0
    written: dict[tuple[str, str], tuple[str, str]] = {}
    with _seen(sheet) as seen:
        unique = _unique(check, _as_written(entries, sheet, index, written), seen)
        for chunk, bad in batches(check, unique, BATCH):
            good += len(chunk)              # (looked up on a sheet with problems too, as the second
            found = _held(conn, check, chunk, written, index, bad)   # process does: said alike)
            held.update(entry[0] for entry, key in chunk if key in found)
            written.clear()
    return good, held


def _seen(sheet):
    """Where pass 1 keeps the keys of the rows read (key → first row): a dict, or where routing
    would take a second process (a large sheet, `ROUTED_APART`; a CSV, whose size is known only
    once read) a `SheetKeys`, as that process does: `--dry-run`, a one-core machine."""
    size = sheet.size()
    return SheetKeys() if size is None or size >= ROUTED_APART else nullcontext({})


class RowMarks:
    """Rows of a sheet marked by their number, a bit each (the rows the ledger holds already):
    an eighth of a byte a row, however long their keys."""

    def __init__(self) -> None:
        self.bits = bytearray()
        self.count = 0

    def update(self, rows) -> None:
        bits = self.bits
        for row in rows:
            byte, bit = row >> 3, 1 << (row & 7)
            if byte >= len(bits):
                bits.extend(bytes(byte + 1 - len(bits) + 4096))
            if not bits[byte] & bit:
                bits[byte] |= bit
                self.count += 1

    def __contains__(self, row: int) -> bool:
        byte = row >> 3
        return byte < len(self.bits) and bool(self.bits[byte] & 1 << (row & 7))

    def __len__(self) -> int:
        return self.count


def _unique(check: _Rows, entries, seen):
    """(entry, key) for each good row the sheet has not given before (`seen`: key → its first row,
    a dict or a `SheetKeys`); a row twice in the sheet is a problem, said after the row's own."""
    for entry in entries:
        key = _key(entry[1], entry[2])
        first = seen.setdefault(key, entry[0])
        if first != entry[0]:               # (each row has its own number)
            check.problem(entry[0], "ref" if key[0] == "ref" else "title", "sheet.duplicate_row", row=first)
        else:
            yield entry, key


def _as_written(entries, sheet, index: dict[str, int], written: dict):
    """Pass 1's rows unchanged; for a row whose zero-width characters the sheet dropped as it read
    it (`SheetReader.as_written`), its key as the file wrote it (title and 编号 with them) into
    `written`, by its key: an import made before they were dropped stored that one."""
    for entry in entries:
        raw = sheet.as_written.get(entry[0])
        if raw is not None:
            row, new, resolved, _ = entry
            cells = {k: (raw[i].strip() or None) if type(raw[i]) is str else cell_text(raw[i])
                     for k, i in index.items() if k in ("title", "ref") and i < len(raw)}
            as_written = replace(new, title=cells.get("title") or new.title, ref=cells.get("ref"))
            written[_key(new, resolved)] = _key(as_written, resolved)
        yield entry


def batches(check: _Rows, unique, size: int) -> Iterator[tuple[list, set[int | None]]]:
    """`_unique`'s (entry, key) `size` at a time, each batch with the rows among them that have
    a problem of their own (`_held` does not compare those: one problem a row at a time)."""
    while True:
        since = len(check.problems)
        chunk = list(islice(unique, size))
        if not chunk:
            return
        yield chunk, {problem.line for problem in check.problems[since:]}


def _held(conn, check: _Rows, chunk: list, written: dict, columns, bad: set[int | None]) -> set[tuple[str, str]]:
    """The keys of a batch's rows (`_unique`'s (entry, key)) the ledger already holds: those rows
    are skipped, so importing twice adds nothing. A row held under its key as the file wrote it
    (`_as_written`: an import made before its zero-width characters were dropped) is held as well.
    A held row whose values differ from the ledger's (a sheet corrected and imported again) is a
    problem of the sheet (`_differs`): counted 已存在, its correction was dropped without a word.
    A row with a problem of its own (`bad`) is not compared. A ledger holding no issue holds none
    of them (a first import: no look-up, ~19k of the ~250k instructions the second process spends a row)."""
    if not iq.last_num(conn):
        return set()
    keys = [key for _, key in chunk]
    keys += written.values()
    found = iq.held_as_given(conn, [k for kind, k in keys if kind == "ref"], [k for kind, k in keys if kind == "key"],
                             tuple(name for name in iq.SHEET_FIELDS if name in columns))
    if not found:
        return set()
    held, unlike = set(), []
    moment, stored = check.moment, check.stored_time
    for entry, key in chunk:
        issue = found.get(key)
        if issue is None and key in written:
            issue = found.get(written[key])
        if issue is None:
            continue
        held.add(key)
        row, new, (grid, category, source), reported = entry
        if (issue[1:6] == (grid["code"], category["code"], source, new.title, new.found_at)
                and issue[6] == new.place and issue[8] == new.phone
                and (new.reporter is None or issue[7] == new.reporter)
                and (reported is moment or issue[9] == stored(reported))) or row in bad:
            continue                    # nearly every held row: as the ledger holds it
        unlike.append((entry, key))
    if unlike:
        keys = [key for _, key in unlike]
        values = iq.held_values(conn, keys + [written[key] for key in keys if key in written])
        for entry, key in unlike:
            _differs(check, entry, values.get(key) or values[written[key]], columns)
    return held


def _differs(check: _Rows, entry: tuple, issues: list[tuple], columns) -> None:
    """A problem for each field of a held row that differs from the ledger's (the first of
    `issues` by id, unless one of them is as the row gives it): the ledger's value and the
    sheet's, phones masked. Compared: the fields the sheet has a column for (`columns`); 上报人
    and 上报时间 only when given (else the import took the clerk and the moment). No command
    changes these fields once recorded, and an import never does: the message says what to do."""
    row, new, (grid, category, source), reported = entry
    given = (grid["code"], category["code"], source, new.title, new.found_at, new.place, new.reporter, new.phone,
             None if reported is check.moment else fmt(reported))
    compared = [i for i, name in enumerate(iq.SHEET_FIELDS) if name in columns and (
        given[i] is not None or name not in ("reporter", "reported_at"))]
    phone = iq.SHEET_FIELDS.index("phone")
    if any(all(_stored(issue[1 + i], i == phone) == given[i] for i in compared) for issue in issues):
        return
    issue = issues[0]
    for i in compared:
        if _stored(issue[1 + i], i == phone) != given[i]:
            name = iq.SHEET_FIELDS[i]
            check.problem(row, name, "import.held_differs", id=issue[0], field=_field_words(name),
                          held=_shown(check, name, issue[1 + i]), given=_shown(check, name, given[i]))


def _field_words(name: str) -> str:
    """A sheet's field in words: its Chinese header (as the problem's column is named), or the
    English name `issue export` gives its column."""
    return IMPORT_COLUMNS[name][0] if lang() == "zh" else t(f"export.{name}")


def _stored(value, phone: bool = False):
    """A ledger value as a sheet's cell reads (zero-width characters dropped, trimmed, empty None):
    an import made before they were dropped stored them; a phone's digits half-width, as an import
    made before full-width digits were read as theirs stored them (１３８…)."""
    if type(value) is not str:
        return value
    value = visible(value).strip() or None
    return bounds.halfwidth(value) if phone and value else value


def _shown(check: _Rows, name: str, value) -> str:
    """A value of `_differs` as the clerk reads it: a phone masked, a category and a source by name."""
    if value is None or value == "":
        return t("import.empty_value")
    if name == "phone":
        return mask_phone(value) or value
    if name == "category":
        category = check.categories.get(value)
        return f"{category['name']} ({value})" if category else value
    if name == "source":
        return t(f"source.{value}") if value in lc.SOURCES else value
    return str(value)


# (header, field, kind): the ledger row as offices print it (序号 … 预警) first, the rest after it
EXPORT_COLUMNS = (
    ("export.no", None, "int"), ("export.id", "id", "code"), ("export.grid_name", "grid_path", "long"),
    ("export.category", "category_name", "text"), ("export.title", "title", "long"),
    ("export.found_at", "found_at", "time"), ("export.assignee", "assignee", "text"),
    ("export.deadline", "deadline", "time"), ("export.status", "status", "text"),
    ("export.colour", "colour", "text"),
    ("export.grid", "grid", "code"), ("export.place", "place", "text"), ("export.reporter", "reporter", "text"),
    ("export.phone", "phone", "code"), ("export.source", "source_name", "text"), ("export.ref", "ref", "code"),
    ("export.reported_at", "reported_at", "time"), ("export.accepted_at", "accepted_at", "time"),
    ("export.dispatched_at", "dispatched_at", "time"), ("export.deadline_rule", "deadline_rule", "text"),
    ("export.handled_at", "handled_at", "time"), ("export.closed_at", "closed_at", "time"),
    ("export.on_time", "on_time", "text"), ("export.close_mode", "close_mode", "text"),
    ("export.escalations", "escalations", "int"), ("export.reworks", "reworks", "int"),
    ("export.extended_days", "extended_days", "int"), ("export.callback", "callback_name", "text"),
    ("export.holder", "holder", "text"), ("export.level", "level", "text"),
    ("export.last_note", "last_note", "long"),
)
EXPORT_PRINTED = 10           # 序号 … 预警 print; the other columns stay on the screen
_TIMES = {"found_at", "reported_at", "accepted_at", "dispatched_at", "deadline", "handled_at", "closed_at"}


def export_header() -> list[str]:
    return [t(key) for key, _, _ in EXPORT_COLUMNS]


def _reader(field_: str | None):
    """How an export column reads its field from an `IssueView`: the view's own, else its state's."""
    if field_ is None:
        return None
    return attrgetter(field_ if field_ in _VIEW_FIELDS else f"state.{field_}")


_VIEW_FIELDS = {f.name for f in fields(IssueView)}
_READERS = tuple(_reader(field_) for _, field_, _ in EXPORT_COLUMNS)


def export_row(no: int, view: IssueView, as_excel: bool, words: dict[str, str] | None = None,
               people: dict[str, str] | None = None) -> list:
    """One issue's export row; `words` keeps the catalogue's words for the rows of one export,
    `people` the names of the reporters who are people of the ledger (id → name)."""
    words = {} if words is None else words
    value: Any

    def say(key: str) -> str:
        word = words.get(key)
        if word is None:
            word = words[key] = t(key)
        return word

    row = []
    for (_, field_, _), read in zip(EXPORT_COLUMNS, _READERS):
        value = no if read is None else read(view)
        if field_ == "phone":
            value = mask_phone(value)
        elif field_ == "status":
            value = say(f"status.{value}")
        elif field_ == "colour" and value:
            value = say(f"colour.{value}")
        elif field_ == "on_time" and value is not None:
            value = say("yes" if value else "no")
        elif field_ == "close_mode" and value:
            value = say(f"close_mode.{value}")
        elif field_ == "level":
            value = say(f"platform.{value}")
        elif field_ == "deadline_rule":
            value = view.deadline_text
        elif field_ == "last_note":
            value = stored_note(value)  # gridctl's own note in the reader's words
        elif field_ in ("assignee", "holder", "reporter") and value:
            name = view.assignee_name if field_ == "assignee" else view.holder_name if field_ == "holder" else \
                (people or {}).get(value)      # a person of the ledger; a resident's name stays as written
            value = f"{name} ({value})" if name and name != value else value
        elif field_ in _TIMES and value and as_excel:
            value = _ledger_time(value, field_)
        row.append(value)
    return row


def _ledger_time(value: str, field_: str) -> datetime | None:
    """A time as the ledger stores it ("2026-11-20 14:30", read in C), else through `parse`."""
    if len(value) == 16 and value[10] == " ":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    return parse(value, field_)


def iter_export(db: Path, filters: dict, as_of: str | None, as_excel: bool, meter: Meter = QUIET):
    """Export rows, streamed in batches so a city's ledger is never held whole in memory
    (`meter` is told how many there will be). The `--as-of` is checked before the first row
    (a day to come is refused before a header is written)."""
    moment = as_of_moment(as_of)            # now without one
    return _export_rows(db, filters, moment, as_excel, meter)


def _export_rows(db: Path, filters: dict, moment: str, as_excel: bool, meter: Meter):
    cal = load_calendar()
    with ledger(db) as conn:
        from gridctl.issues.reading import resolve_filters

        f = resolve_filters(conn, filters)
        meter.total(iq.count(conn, f, moment, cal.yellow_at))
        words: dict[str, str] = {}
        no = 0
        for batch in iq.stream(conn, f, moment, cal.yellow_at):
            people = gq.names(conn, "people", [s.reporter for s in batch])
            for view in present(conn, batch, moment, cal):
                no += 1
                yield export_row(no, view, as_excel, words, people)


def export_issues(db: Path, out: Path, filters: dict | None = None, as_of: str | None = None) -> int:
    """The ledger's rows as UTF-8 CSV with a BOM (the workbook is `reports.export`)."""
    filters = filters or {}
    if out.suffix.lower() != ".csv":
        raise GridctlError("sheet.bad_output", file=out)
    with replacing(out) as temporary:
        with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
            return write_csv(handle, export_header(), iter_export(db, filters, as_of, False))
