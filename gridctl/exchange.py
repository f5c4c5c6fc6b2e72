"""四级平台: hand a ledger up (`bundle`), take a lower ledger in (`merge`), see who handed up.

A bundle is gzip-compressed JSON lines: a header naming the sending office and, per office
chain, the first and last event number and hash; then the events exactly as stored; then a
trailer with the count. JSON lines rather than a SQLite file because a bundle is read once,
front to back, is small when compressed, survives any transport (mail, USB stick, chat), and
a person can open it with `zcat` to see what was handed up; gzip's checksum catches a damaged
file, and the events' own hashes catch an edited one.

Reference data (grids, people, posts, duties) is not in the bundle: every office loads the
same YAML definitions (`gridctl load`), and a merge refuses events about grids it lacks.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from contextlib import nullcontext
from datetime import date, datetime, timedelta
from pathlib import Path

from gridctl import __version__, collector, filekind, unapplied
from gridctl import bundle_checks as bc
from gridctl.bundle_checks import BundleRefused
from gridctl.errors import GridctlError
from gridctl.issues.lifecycle import IllegalMove, IssueState, shown, advance, check_replay, uncounted_callback
from gridctl.ledger import exchange as xq
from gridctl.ledger import grids as gq
from gridctl.ledger import issues as iq
from gridctl.ledger import ledger, transaction
from gridctl.ledger import records as rq
from gridctl.ledger.events import (
    GENESIS, Event, as_event, head, insert_events, legacy_bounds, legacy_event_hash, offices, row_hash, set_head, set_legacy_bound,
)
from gridctl.ledger.bulk import indexes_put_off
from gridctl.ledger.db import bulk_cache, holding
from gridctl.ledger.recorder import IssueWrites, office_code
from gridctl.ledger.kinds import KINDS
from gridctl.ledger.register import TABLES as REGISTER_TABLES
from gridctl.ledger.writer import WriterThread
from gridctl.messages import reason, t
from gridctl.outfile import not_a_file, replacing
from gridctl.progress import QUIET, Meter
from gridctl.records.weekly import absences_on_leave
from gridctl.timefmt import parse_date

FORMAT = 2        # 2: the trailer carries the SHA-256 of everything before it, the header the heads
READ_FORMATS = (1, 2)



RECEIPT_MAX = 16 << 20
"""A receipt names one line per office (a city of 5,000 ledgers: under 1 MiB); a larger file is
not one, and is not read into memory."""


def _receipt_since(since: Path | None) -> dict[str, int]:
    if since is None:
        return {}
    path = Path(since)
    if not path.is_file():
        if there := not_a_file(path):           # /dev/zero: read for ever; nothing there: said below
            raise there
    elif (size := path.stat().st_size) > RECEIPT_MAX:
        raise GridctlError("bundle.bad_receipt", file=since, error=t("reason.receipt_too_big", mb=size >> 20,
                                                                         max_mb=RECEIPT_MAX >> 20))
    try:
        receipt = json.loads(path.read_text(encoding="utf-8"))
        held = {office: int(chain["last_n"]) for office, chain in receipt["chains"].items()}
        if any(n < 0 for n in held.values()):
            raise ValueError("a negative event number")
        return held
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:   # {"chains": 5}: no .items()
        kind = filekind.kind_of(path)
        if kind not in (None, "text"):      # a bundle, a ledger, a workbook: said as what it is
            raise GridctlError("bundle.receipt_is_other", file=since, what=t(f"kind.{kind}")) from None
        raise GridctlError("bundle.bad_receipt", file=since, error=reason(exc)) from None


def bundle(db: Path, out: Path, since: Path | None = None) -> dict:
    """Write every event the receiver does not hold yet (all, or those after the receipt).

    Streamed: the header comes from each chain's head, then the events go from the ledger to the
    gzip file a chunk at a time, hashed for the trailer as they are written (a district's year is
    never held in memory)."""
    after = _receipt_since(since)
    with ledger(db) as conn:
        header = _bundle_header(conn, after, since)
        digest = hashlib.sha256()
        with replacing(out) as temporary, gzip.open(temporary, "wb", compresslevel=COMPRESS) as handle:
            _write_lines(handle, digest, [json.dumps(header, ensure_ascii=False) + "\n"])
            for office, chain in header["chains"].items():
                _write_chain(conn, handle, digest, office, chain)
            handle.write((json.dumps({"end": True, "count": header["count"], "sha256": digest.hexdigest()})
                          + "\n").encode())
    return header


COMPRESS = 6  # zlib's default: gzip's 9 took twice the time for a bundle ~5% smaller


def _bundle_header(conn, after: dict[str, int], since: Path | None) -> dict:
    chains, heads, count = {}, {}, 0
    for office in offices(conn):
        start = after.get(office, 0)
        have_n, have_hash = xq.last_event(conn, office)
        if start > have_n:
            raise GridctlError("bundle.receipt_ahead", office=office, n=start, have=have_n)
        if have_n == start:
            continue
        prev = xq.hash_at(conn, office, start) if start and since else GENESIS
        chains[office] = {"first_n": start + 1, "last_n": have_n, "prev_hash": prev,
                          "last_hash": have_hash, "count": have_n - start}
        heads[office] = dict(zip(("n", "hash"), head(conn, office)))
        count += have_n - start
    header = {"gridctl_bundle": FORMAT, "gridctl": __version__, "sender": office_code(conn),
              "created": datetime.now().isoformat(timespec="seconds"), "chains": chains, "count": count,
              "heads": heads}
    legacy = {o: n for o, n in legacy_bounds(conn).items() if o in chains}
    if legacy:  # events hashed before `record` existed (a ledger repaired by m007)
        header["legacy_hash"] = legacy
    return header


def _write_chain(conn, handle, digest, office: str, chain: dict) -> None:
    """One office's events, first_n..last_n; a chain whose events do not reach its head is refused."""
    n, last, lines = chain["first_n"] - 1, None, []
    for event in xq.events_after(conn, office, n, chain["last_n"]):
        n += 1
        if event["n"] != n:
            break
        last = event["hash"]
        lines.append(json.dumps(event, ensure_ascii=False) + "\n")
        if len(lines) >= 5000:
            _write_lines(handle, digest, lines)
            lines = []
    _write_lines(handle, digest, lines)
    if n != chain["last_n"] or last != chain["last_hash"]:
        raise GridctlError("bundle.chain_short", office=office, n=n, head=chain["last_n"])


def _write_lines(handle, digest, lines: list[str]) -> None:
    data = "".join(lines).encode()
    digest.update(data)
    handle.write(data)


BATCH = 20_000


class _Chain:
    """Checks one office's events as they stream by, link by link, against what is held.

    Events are rows of `EVENT_COLS` values: office 0, n 1, issue 2, record 3, prev_hash 13, hash 14."""

    def __init__(self, conn, office: str, own: str, legacy: int = 0):
        self.conn, self.office, self.own = conn, office, own
        self.legacy = legacy          # events up to here may carry the pre-`record` hash
        self.have_n, self.have_hash = head(conn, office)
        self.first_n: int | None = None
        self.last: tuple[int, str] | None = None        # (n, hash) of the chain's last event read
        self.last_new: tuple[int, str] | None = None    # … and of the last one new here
        self.added = 0

    def take(self, row: tuple, computed: str | None = None) -> bool:
        """True if the event is new here; raises BundleRefused where the chain does not hold.
        `computed`: the row's `row_hash`, if the line's checks took it already.

        Most events follow a new one, hash checked by the line's checks: what `_take` would find
        of such an event is then known from the one before (numbered and linked after it, so
        past what is held, in an office that is not this one, with nothing missing)."""
        last = self.last
        if last is not None and last is self.last_new and computed == row[14] \
                and row[1] == last[0] + 1 and row[13] == last[1]:
            self.last = self.last_new = (row[1], row[14])
            self.added += 1
            return True
        return self._take(row, computed)

    def _take(self, row: tuple, computed: str | None) -> bool:
        office, n, digest = self.office, row[1], row[14]
        if (computed or row_hash(row)) != digest \
                and not (n <= self.legacy and legacy_event_hash(Event(*row)) == digest):
            raise BundleRefused("bundle.edited", office=office, n=n, subject=row[2] or row[3])
        if self.last is not None and (n != self.last[0] + 1 or row[13] != self.last[1]):
            raise BundleRefused("bundle.reordered", office=office, n=n)
        self.first_n = self.first_n or n
        self.last = (n, digest)
        if n <= self.have_n:
            if xq.hash_at(self.conn, office, n) != digest:
                raise BundleRefused("bundle.diverges", office=office, n=n)
            return False
        if office == self.own:
            raise BundleRefused("bundle.own_office", office=office)
        if n != self.have_n + self.added + 1:
            raise BundleRefused("bundle.missing", office=office, have=self.have_n, first=n,
                                  gap=f"{self.have_n + 1}–{n - 1}")
        expected = self.last_new[1] if self.last_new else self.have_hash
        if row[13] != expected:
            raise BundleRefused("bundle.diverges", office=office, n=n)
        self.last_new = self.last     # the same (n, hash): `take` tells an append by it
        self.added += 1
        return True


def merge(db: Path, path: Path, meter: Meter = QUIET) -> dict:
    """Take a lower (or upper) ledger's bundle in, all or nothing; return the receipt.

    One pass over the file: events stream into the ledger in batches inside one transaction,
    the bundle's checksum taken as they go and checked before the commit; a break anywhere rolls
    everything back. Whatever fails, a file damaged in transit is refused as damaged."""
    bc.refuse_other_kind(path)
    reader = bc.Reader(path)
    try:
        with collector.paused(), ledger(db, shared=True) as conn, transaction(conn):
            receipt = _take_in(conn, reader, path, meter)
            reader.finish()
            return receipt
    except Exception:
        reader.finish()     # raises "damaged" when the file is at fault; else the failure stands
        raise
    finally:
        reader.stop()       # read to the end by now, but when cut short (Ctrl+C)


def _take_in(conn, reader: bc.Reader, path: Path, meter: Meter) -> dict:
    objects = reader.objects()
    header = bc.check_header(next(objects, (0, None))[1], path, READ_FORMATS)
    reader.needs_checksum = header["gridctl_bundle"] >= 2
    bulk_cache(conn)
    holding(conn, header["count"], t("what.events"))
    meter.total(header["count"])
    own = office_code(conn)
    chains: dict[str, _Chain] = {}
    legacy, header_legacy = legacy_bounds(conn), header.get("legacy_hash") or {}
    projection, lines = _Projection(conn), bc.EventLines(path)
    written_before = rq.last_rowids(conn)
    batch: list[tuple[tuple, dict, dict | None]] = []
    count, trailer = 0, None
    # a batch is written while the next is read and checked; the issues' indexes may be made at the end
    with _issue_indexes(conn, header["count"]), WriterThread().running() as writer:
        for number, obj in objects:
            if obj.get("end"):
                trailer = obj
                break
            row, computed, details, whole = lines.row(obj, number)
            count += 1
            chain = chains.get(row[0]) or chains.setdefault(row[0], _Chain(
                conn, row[0], own, max(legacy.get(row[0], 0), header_legacy.get(row[0], 0))))
            if chain.take(row, computed):
                batch.append((row, details, whole))
                if len(batch) >= BATCH:
                    _hand_over(writer, conn, projection, batch, path)
                    batch = []
            if count % BATCH == 0:
                meter.step(BATCH)               # events read from the bundle
        _hand_over(writer, conn, projection, batch, path)
    if trailer is None or trailer.get("count") != count or header["count"] != count:
        raise BundleRefused("bundle.truncated", file=path, expected=header["count"], found=count)
    _check_heads(header, chains, path)
    receipt = _receipt(conn, header, chains, own, path)
    repeats = rq.repeats(conn, written_before)    # records the one-record rules would have refused: named, the first counts
    if repeats:
        receipt["repeats"] = repeats
    if overlaps := rq.overlapping_absences(conn, written_before.get("attendance", 0)):
        receipt["absences_overlapping"] = overlaps      # likewise: each day counted once
    if on_leave := absences_on_leave(conn, written_before.get("attendance", 0)):
        receipt["absences_on_leave"] = on_leave         # likewise: the absence counts
    if projection.uncounted:
        receipt["uncounted_callbacks"] = projection.uncounted
    return receipt


PUT_OFF_FROM = 50_000
"""Events from which a merge into a ledger holding few issues makes the issues' indexes at its end."""
EVENTS_PER_ISSUE = 8
"""At most about this many events per issue a bundle holds (a district year: 6.3)."""


def _issue_indexes(conn, events: int):
    """The issues' indexes made once the merge has written its issues (`bulk.indexes_put_off`),
    when it is large and adds more issues than the ledger held, by the header's count: sorting
    the rows once then costs less than inserting each; else kept up as each row is written."""
    if events >= PUT_OFF_FROM and xq.issues_held(conn) * EVENTS_PER_ISSUE < events:
        return indexes_put_off(conn, "issues")
    return nullcontext()


def _check_heads(header: dict, chains: dict, path: Path) -> None:
    """Each chain ends where the header says, and (format 2) at the sender's chain head."""
    for office, stated in header["chains"].items():
        last = chains[office].last if office in chains else None
        held = header.get("heads", {}).get(office, {"n": stated["last_n"], "hash": stated["last_hash"]})
        if last is None or last != (stated["last_n"], stated["last_hash"]) \
                or not isinstance(held, dict) or (held.get("n"), held.get("hash")) != last:
            raise bc.damaged(path, t("bundle.head_mismatch", office=office))
    if set(chains) - set(header["chains"]):
        raise bc.damaged(path, t("bundle.head_mismatch", office=", ".join(sorted(set(chains) - set(header["chains"])))))


_UNAPPLIABLE = unapplied.FAULTS
"""What content that passed the shape checks but cannot be applied raises: still the bundle's fault."""


def _hand_over(writer: WriterThread, conn, projection: _Projection, batch: list, path: Path) -> None:
    """Hand the batch to the writer: its events at once, then what the fold makes of them.

    The fold starts from the issues as the batches before left them: they are read once those
    are written, before this batch's events go to the writer, which then writes them while the
    fold runs (a read meanwhile would wait for each statement the writer steps)."""
    writer.wait()
    held = projection.held(batch)
    writer.submit(_write, conn, _Events(batch), path, _within("events", batch))
    writer.queue(_write, conn, _fold(projection, batch, held, path), path, _within("issues", batch))


def _write(conn, batch: _Batch | _Events, path: Path, within: tuple[str, str] | None) -> None:
    """Write the batch's part; content it cannot take refused naming its event (a record's), else
    what was being written, of which events (`within`: the rows an insert of the whole batch writes)."""
    try:
        batch.write(conn)
    except _UNAPPLIABLE as exc:
        raise unapplied.refusal(path, exc, within) from None


def _within(what: str, batch: list[tuple[tuple, dict, dict | None]]) -> tuple[str, str] | None:
    """`what` (events, issues) of the batch's events, in words (平台 4101 第 1–20000 条事件)."""
    if not batch:
        return None
    (office, first), (last_office, last) = batch[0][0][:2], batch[-1][0][:2]
    events = t("bundle.span", office=office, first=first, last=last) if office == last_office else \
        t("bundle.span_offices", office=office, first=first, last_office=last_office, last=last)
    return t(f"bundle.writing.{what}"), events


def _fold(projection: _Projection, batch: list[tuple[tuple, dict, dict | None]], held: dict[str, IssueState],
          path: Path) -> _Batch:
    try:
        return projection.fold(batch, held)
    except IllegalMove as exc:
        raise BundleRefused(str(exc)) from None
    except _UNAPPLIABLE as exc:
        raise unapplied.refusal(path, exc) from None


def _receipt(conn, header, chains, own, path) -> dict:
    received = datetime.now().isoformat(timespec="seconds")
    receipt = {"receiver": own, "sender": header["sender"], "received": received, "chains": {},
               "added": sum(c.added for c in chains.values())}
    for office, chain in chains.items():
        if chain.last_new and chain.legacy:
            set_legacy_bound(conn, office, chain.legacy)
        if chain.last_new:
            set_head(conn, office, *chain.last_new)
        n, last_hash = head(conn, office)
        xq.record_merge(conn, xq.Merge(office, received, header["sender"], chain.first_n, n, chain.added, last_hash,
                                       str(path)))
        receipt["chains"][office] = {"last_n": n, "last_hash": last_hash, "added": chain.added}
    return receipt


class _Events:
    """One batch's events (as stored rows), written first and on their own: they need no fold."""

    def __init__(self, batch: list[tuple[tuple, dict, dict | None]]):
        self.rows = [row for row, _, _ in batch]

    def write(self, conn) -> None:
        insert_events(conn, self.rows)


class _Batch:
    """What one batch of merged events writes after its events: the record events' changes (as
    they come), then the issue projections (`IssueWrites`, as the recorder's batches write them)."""

    def __init__(self, records: list[tuple[dict, dict]], issues: IssueWrites, added: dict[str, tuple[str, int]]):
        self.records, self.issues, self.added = records, issues, added

    def write(self, conn) -> None:
        self._check_found(conn)
        for event, details in self.records:
            try:
                xq.apply_record_event(conn, event, details)
            except _UNAPPLIABLE as exc:
                raise unapplied.AtEvent(event["office"], event["n"], exc) from exc
        self._check_links(conn)
        self.issues.write(conn)     # merged issues added with their patrol get their links

    def _check_found(self, conn) -> None:
        """The issues a merged patrol found (`patrol.add`'s `found`, `patrol.link`'s `issues`) are
        held here or added in this batch, as `patrol add --found` requires. Unchecked, a patrol was
        linked to an issue no ledger holds, counted in its 发现问题数. One query a batch."""
        wanted = [(event, issue) for event, details in self.records if event["action"] in ("patrol.add", "patrol.link")
                  for issue in _found(details) if type(issue) is str and issue not in self.added]
        if not wanted:
            return
        held = iq.existing_ids(conn, sorted({issue for _, issue in wanted}))
        for event, issue in wanted:
            if issue not in held:
                raise BundleRefused("bundle.found_unknown", office=event["office"], n=event["n"],
                                    record=event["record"], issue=issue)

    def _check_links(self, conn) -> None:
        """A new issue added with its patrol (`--patrol`) names a patrol held here (merged before,
        or earlier in this batch: its records are applied by now) that has not found it already,
        as `issue add --patrol` requires. Unchecked, an unknown patrol was linked all the same,
        and an issue on two patrols failed with the batch's rows, naming no event."""
        links = self.issues.links
        if not links:
            return
        held = rq.patrols_held(conn, sorted({patrol for patrol, _ in links if type(patrol) is str}))
        linked = rq.patrols_of(conn, [issue for _, issue in links])
        for patrol, issue in links:
            office, n = self.added[issue]
            if type(patrol) is not str or patrol not in held:
                raise BundleRefused("bundle.unknown_patrol", office=office, n=n, issue=issue, patrol=_said(patrol))
            if issue in linked:
                raise BundleRefused("bundle.issue_on_patrol", office=office, n=n, issue=issue, patrol=patrol,
                                    linked=linked[issue])


class _Projection:
    """Brings the projections up to date with merged events, in the order they were recorded.

    Issue states are folded in memory a batch at a time (`fold`); the batch then writes them
    with their full-text rows and notes; record events are applied in order — they do not depend
    on issue rows."""

    def __init__(self, conn):
        self.conn = conn
        self.grids = gq.grid_codes(conn)
        self.categories = gq.category_codes(conn)
        self.known = gq.reference_codes(conn)
        self.uncounted = []     # 回访 merged on a closing that had one, no correction: the first counts

    def held(self, batch: list[tuple[tuple, dict, dict | None]]) -> dict[str, IssueState]:
        """The states held here of the issues the batch's events are about."""
        return xq.held_states(self.conn, sorted({row[2] for row, _, _ in batch if row[2]}))

    def fold(self, batch: list[tuple[tuple, dict, dict | None]], held: dict[str, IssueState]) -> _Batch:
        """The batch's events as (row, details, the line where it lacks a column, else None: the
        line is not kept, 20k parsed lines held per batch cost more than the mapping made here),
        folded from the states the ledger held before them (`held`)."""
        states: dict[str, IssueState] = {}
        new: dict[str, str | None] = {}            # new issue → the patrol that found it
        added: dict[str, tuple[str, int]] = {}     # new issue → its add event (office, n)
        notes: dict[str, list[str]] = {}
        records: list[tuple[dict, dict]] = []
        for row, details, whole in batch:
            event = whole if whole is not None else as_event(row)
            issue = row[2]
            if not issue:
                records.append((event, details))
                if row[4] == "patrol.void":         # unlinked as it comes: so are the links still
                    new.update([(i, None) for i, p in new.items() if p == row[3]])  # pending here
                else:
                    try:
                        self._record_fits(row, details)
                    except _UNAPPLIABLE as exc:     # details not of the shape their apply needs
                        raise unapplied.AtEvent(row[0], row[1], exc) from exc
                continue
            state = states.get(issue) or held.get(issue)
            if state is None:
                if row[4] != "add":
                    raise BundleRefused("bundle.unknown_issue", issue=issue, n=row[1], office=row[0])
                try:
                    self._in_grid("issues", row, details["issue"]["grid"])
                except _UNAPPLIABLE as exc:     # no issue in its details, a grid that is not text
                    raise unapplied.AtEvent(row[0], row[1], exc) from exc
                new[issue], added[issue] = details.get("patrol"), (row[0], row[1])
            elif row[11]:
                notes.setdefault(issue, []).append(row[11])
            check_replay(state, event, details)
            if row[4] == "callback" and (found := uncounted_callback(state, details, row[:2])):
                self.uncounted.append(found)
            if state is None and details["issue"]["category"] not in self.categories:
                raise BundleRefused("bundle.unknown_category", office=row[0], n=row[1], issue=issue,
                                    category=details["issue"]["category"])
            states[issue] = advance(state, event, details)    # each state is this batch's own
        text = [(i, states[i].title, states[i].place, " ".join(notes.pop(i, []))) for i in new]
        return _Batch(records, IssueWrites([states[i].row() for i in new],
                                           [s.row() for i, s in states.items() if i not in new],
                                           text, notes, [(patrol, issue) for issue, patrol in new.items() if patrol]),
                      added)

    def _record_fits(self, row: tuple, details: dict) -> None:
        """A merged record is of the sending office's numbering and names only the grids, people,
        teams and units this ledger knows (retired ones too), as recording it here requires
        (`records.service`'s checks, `score flag`'s subject): every office loads the same
        definitions. Unchecked, a patrol of an unknown person merged, counted for nobody, and a
        record under another office's number took that office's number here. A value missing or
        not text is left to its insert, which says so."""
        kind_name, _, action = row[4].partition(".")
        kind = KINDS.get(kind_name)
        if kind is not None and action == "add":
            record = details["record"]
            owner, year, seq = record.get("office"), record.get("year"), record.get("seq")
            if owner != row[0] or type(seq) is not int or record["id"] != f"{owner}-{kind.letter}{year}-{seq:06d}":
                raise BundleRefused("bundle.record_not_its_office", office=row[0], n=row[1], record=row[3],
                                    thing=t(f"bundle.table.{kind.table}"), owner=_said(owner), year=_said(year),
                                    seq=_said(seq))
            if kind_name == "patrol" and type(grid := record.get("grid")) is str:
                self._in_grid("patrols", row, grid)
            for field, known, value in _references(kind_name, record):
                self._known(kind.table, row, field, value, self.grids if known == "grids" else self.known[known])
        elif kind_name == "score" and action in ("flag", "unflag"):
            subject_kind = details.get("subject_kind")
            if subject_kind in _SUBJECTS:
                self._known("score_marks", row, "subject", details.get("subject"), self.known[_SUBJECTS[subject_kind]])
        elif kind_name in REGISTER_TABLES and action in ("add", "move"):
            if action == "add":
                record, table = details["record"], REGISTER_TABLES[kind_name]
                owner, seq = record.get("office"), record.get("seq")
                if owner != row[0] or type(seq) is not int or record.get("id") != f"{owner}-{table.letter}{seq:06d}":
                    raise BundleRefused("bundle.entry_not_its_office", office=row[0], n=row[1], record=row[3],
                                        thing=t(f"bundle.table.{table.table}"), owner=_said(owner), seq=_said(seq))
            moved = details["changes"].get("grid") if action == "move" else None
            grid = details["record"].get("grid") if action == "add" else moved[1] if type(moved) is list else None
            if type(grid) is str:
                self._in_grid(REGISTER_TABLES[kind_name].table, row, grid)

    def _known(self, table: str, row: tuple, field: str, value, known: set[str]) -> None:
        if type(value) is str and value not in known:
            raise BundleRefused("bundle.unknown_ref", office=row[0], n=row[1], thing=t(f"bundle.table.{table}"),
                                subject=row[3], field=t(f"bundle.ref.{field}"), value=shown(value))

    def _in_grid(self, table: str, row: tuple, grid: str) -> None:
        """A new issue's (or patrol's) grid is this ledger's, as is an issue's category (in
        `fold`): every office loads the same definitions (retired ones stay known). One unknown
        here could not be routed, dispatched or reported; the refusal says to load them first."""
        if grid not in self.grids:
            raise BundleRefused("bundle.unknown_grid", office=row[0], n=row[1], thing=t(f"bundle.table.{table}"),
                                subject=row[2] or row[3], grid=grid)


def _found(details: dict) -> list:
    """The issues a patrol event names as found (none where its details hold no list of them)."""
    found = details.get("issues") if "issues" in details else (details.get("record") or {}).get("found")
    return found if isinstance(found, list) else []


def _said(value) -> object:
    """A text or a number as it is in a refusal (as an issue's office and number are said), anything else as `shown`."""
    return value if type(value) in (str, int) else shown(value)


_SUBJECTS = {"person": "people", "team": "teams", "unit": "units"}     # a score flag's subject_kind
_UNITS = {"team": "teams", "department": "departments", "grid": "grids"}   # a meeting's unit_kind


def _references(kind: str, record: dict) -> list[tuple[str, str, object]]:
    """(field, what knows it, value) of each reference a merged record of `kind` makes."""
    refs: list[tuple[str, str, object]] = []
    if kind in ("patrol", "attendance", "study", "publicity", "survey"):
        refs.append(("person", "people", record.get("person")))
    if kind in ("patrol", "survey") and record.get("team") is not None:
        refs.append(("team", "teams", record["team"]))
    if kind == "meeting" and (unit_kind := record.get("unit_kind")) in _UNITS:
        refs.append(("unit", _UNITS[unit_kind], record.get("unit")))
        attendees = record.get("attendees")
        refs += [("attendees", "people", a) for a in (attendees if isinstance(attendees, list) else [])]
    return refs


def status(db: Path, as_of: str | None = None) -> dict:
    """Per office below: the last bundle merged; those that have not handed up this week."""
    today = date.fromisoformat(parse_date(as_of[:10], "--as-of")) if as_of else date.today()
    monday = (today - timedelta(days=today.weekday())).isoformat()
    with ledger(db) as conn:
        own = office_code(conn)
        rows = [r for r in xq.merges_by_office(conn) if r["office"] != own]
    for row in rows:
        row["this_week"] = row["received_at"][:10] >= monday
    return {"office": own, "week_from": monday, "offices": rows,
            "not_this_week": [r["office"] for r in rows if not r["this_week"]]}
