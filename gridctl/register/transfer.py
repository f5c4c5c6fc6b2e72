"""`register import`: the sheets offices keep (户 / 人 / 地物 / 组织), all or nothing, idempotent.

The kind is told by the headers. Every row is checked before anything is written and every
problem is named `FILE:sheet:row: column: message`. A row already in the register as it is
changes nothing; a row that differs is an update (or a move) with its difference; rows
missing from the sheet are left alone (retire them with `register retire`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path

from gridctl.errors import GridctlError, InputProblems, Problem
from gridctl.ledger import ledger, transaction
from gridctl.ledger import register as rg
from gridctl.progress import QUIET, Meter
from gridctl.register.config import load_register_config
from gridctl.register.fields import FieldError
from gridctl.register.service import Writer, check, hasher_for, present_diff
from gridctl import sheet_columns
from gridctl.sheet_columns import REGISTER_COLUMNS
from gridctl.text import same_key
from gridctl.sheets import SheetReader, canonical_header, cell_text, map_columns, no_header, open_sheet, plain_header

COLUMNS = REGISTER_COLUMNS     # defined in sheet_columns, beside the other sheets' (headers.yaml is checked against all)
BATCH = 5000
MAX_CHANGES = 10_000        # differences listed in the result (all are counted and recorded)
REQUIRED = {"household": ("grid", "address"), "resident": ("grid", "address", "name"),
            "place": ("grid", "kind", "name"), "org": ("grid", "kind", "name")}
_TELLS = (("resident", {"姓名", "性别", "出生年份", "身份证号", "户籍类型", "gender", "birth_year", "id_number",
                        "residence"}),
          ("place", {"场所类别", "place_kind"}), ("org", {"组织类别", "org_kind"}),
          ("household", {"户主", "人口", "门牌", "head", "size", "address"}))


@dataclass
class ImportResult:
    """What an import did (or, with --dry-run, would do)."""

    file: str
    kind: str
    rows: int
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    households_added: int = 0
    dry_run: bool = False
    changes: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def sheet_kind(sheet: SheetReader) -> str:
    header = set(sheet.header) | {canonical_header(h) for h in sheet.header}
    for kind, tells in _TELLS:
        if header & tells:
            return kind
    other = sheet_columns.sheet_for([plain_header(h) for h in sheet.header], REGISTER_COLUMNS["household"])
    if other:       # an issue or patrol sheet given to the register's import
        raise GridctlError("register.other_import", file=sheet.label, command=f"gridctl {other} import")
    raise GridctlError("register.unknown_sheet", file=sheet.label)


def import_register(db: Path, path: Path, *, dry_run: bool = False, ignore_extra: bool = False,
                    actor: str | None = None, synthetic: bool = False, meter: Meter = QUIET) -> ImportResult:
    """Two streaming passes over the sheet: check every row keeping only a digest of its key,
    then match and write in batches, inside one transaction (all or nothing)."""
    sheet = open_sheet(path)
    if empty := no_header(sheet):      # said as the other imports say it, not as a sheet of no kind
        raise InputProblems(empty)
    kind = sheet_kind(sheet)
    index, problems = map_columns(sheet, COLUMNS[kind], REQUIRED[kind], ignore_extra)  # type: ignore[arg-type]
    if problems:
        raise InputProblems(problems)
    try:
        return _import(db, sheet, kind, index, dry_run, actor, synthetic, meter)
    except _DryRun as stop:
        return stop.args[0]


def _import(db, sheet: SheetReader, kind: str, index: dict, dry_run: bool, actor, synthetic: bool,
            meter: Meter) -> ImportResult:
    stamp = _stamp(sheet.path)
    with ledger(db) as conn, transaction(conn):
        rows = _Rows(conn, sheet, kind, index, hasher_for(conn, db))
        count = rows.check_all()
        writer = Writer(conn, actor, rows.hasher, synthetic)
        result = ImportResult(str(sheet.path), kind, count, dry_run=dry_run)
        planner = _Planner(conn, writer, kind, set(index), result, sheet.label)
        entries = rows.entries()
        meter.total(count)
        while batch := list(islice(entries, BATCH)):
            planner.run(batch)
            meter.step(len(batch))
        if planner.problems:        # rows of retired entries: nothing is written (`transaction` rolls back)
            raise InputProblems(planner.problems)
        if _stamp(sheet.path) != stamp:
            raise GridctlError("sheet.changed", file=sheet.path)
        if dry_run:
            raise _DryRun(result)       # `transaction` rolls everything back
        writer.flush()
        return result


class _DryRun(Exception):
    """Carries a dry run's result out of the transaction it rolls back."""


def _stamp(path: Path) -> tuple[int, int]:
    info = Path(path).stat()
    return info.st_size, info.st_mtime_ns


class _Rows:
    """The sheet's rows checked: all of them first (problems named, keys kept as digests), then
    again as they are written."""

    def __init__(self, conn, sheet: SheetReader, kind: str, index: dict, hasher):
        self.conn, self.sheet, self.kind, self.index, self.hasher = conn, sheet, kind, index, hasher
        self.cfg, self.cache = load_register_config(), dict[str, str]()

    def _fields(self, raw) -> dict:
        values = {k: cell_text(raw[i]) if i < len(raw) else None for k, i in self.index.items()}
        return check(self.conn, self.kind, values, self.cfg, self.hasher, self.cache)

    def check_all(self) -> int:
        columns, problems, seen, count = COLUMNS[self.kind], [], dict[bytes, int](), 0
        for row, raw in self.sheet.rows():
            count += 1
            try:
                fields = self._fields(raw)
            except FieldError as exc:
                problems.append(Problem.of(self.sheet.label, row, sheet_columns.shown(columns.get(exc.field, (exc.field,))), exc))
                continue
            key = hashlib.blake2b(repr(_row_key(self.kind, fields)).encode(), digest_size=12).digest()
            if key in seen:
                problems.append(Problem(self.sheet.label, row, sheet_columns.shown(columns[_key_column(self.kind, fields)]),
                                        "sheet.duplicate_row", {"row": seen[key]}))
                continue
            seen[key] = row
        if problems:
            raise InputProblems(problems)
        return count

    def entries(self) -> Iterator[tuple[int, dict]]:
        for row, raw in self.sheet.rows():
            yield row, self._fields(raw)


def _row_key(kind: str, f: dict) -> tuple:
    """What tells one entry of a sheet from another, 门牌 and names as `text.same_key` compares them."""
    if kind == "household":
        return f["grid"], same_key(f["address"])
    if kind == "resident":
        return ("id", f["id_hash"]) if f["id_hash"] else (f["grid"], same_key(f["address"]), same_key(f["name"]))
    return f["grid"], f["kind"], same_key(f["name"])


SPELT = {"household": ("address",), "resident": ("name",), "place": ("name",), "org": ("name",)}
"""The fields an entry is matched on by `text.same_key`: a row writing one of them otherwise
(`12号楼` for the `１２号楼` held) is the same entry, not a change to record."""


def _key_column(kind: str, f: dict) -> str:
    if kind == "resident":
        return "id_number" if f.get("id_hash") else "name"
    return "address" if kind == "household" else "name"


class _Households:
    """The live households of an import's grids, found as `register add` finds one
    (`ledger.register.household_at`): by grid and 门牌 as `text.same_key` compares it; of two a
    ledger holds under one key (written apart before the key folded case and blanks, m027), the
    one written as the row's 门牌, else the first written."""

    def __init__(self, rows: list[dict]):
        self.first: dict[tuple[str, str], dict] = {}
        self.spelt: dict[tuple[str, str], dict] = {}
        for row in rows:
            self.add(row)

    def add(self, row: dict) -> None:
        self.first.setdefault((row["grid"], same_key(row["address"])), row)
        self.spelt.setdefault((row["grid"], row["address"]), row)

    def at(self, fields: dict) -> dict | None:
        return self.spelt.get((fields["grid"], fields["address"])) or \
            self.first.get((fields["grid"], same_key(fields["address"])))


class _Planner:
    """Matches checked rows with the register and records each addition or difference."""

    def __init__(self, conn, writer: Writer, kind: str, present: set[str], result: ImportResult, label: str):
        self.conn, self.writer, self.kind, self.result = conn, writer, kind, result
        self.columns = present
        self.present = present | ({"birth_year", "id_hash", "id_last4"} if "id_number" in present else set())
        self.problems: list[Problem] = []
        self.label = label

    def run(self, batch: list[tuple[int, dict]]) -> None:
        """One batch of checked rows, matched against the register as it stands (earlier batches
        of this import included)."""
        grids = sorted({f["grid"] for _, f in batch})
        self.retired = rg.retired_at(self.conn, rg.TABLES[self.kind], grids)
        if self.kind in ("household", "resident"):
            self.households = _Households(rg.live_households(self.conn, grids))
            self.retired_households = self.retired if self.kind == "household" else \
                rg.retired_at(self.conn, rg.TABLES["household"], grids)
        if self.kind == "household":
            for row, fields in batch:
                key, held = (fields["grid"], same_key(fields["address"])), self.households.at(fields)
                if self._not_retired(row, held, key, fields):
                    self._apply(held, fields)
        elif self.kind == "resident":
            self._residents(batch)
        else:
            existing: dict[tuple, dict] = {}
            for g in grids:
                for r in rg.listing(self.conn, rg.TABLES[self.kind], g, None, False, None):
                    if r["grid"] == g:
                        existing.setdefault((g, r["kind"], same_key(r["name"])), r)
            for row, fields in batch:
                named = (fields["grid"], fields["kind"], same_key(fields["name"]))
                if self._not_retired(row, existing.get(named), named, fields):
                    self._apply(existing.get(named), fields)

    def _not_retired(self, row: int, current: dict | None, key: tuple, fields: dict,
                     retired: dict | None = None) -> bool:
        """A row that matches no live entry but a retired one (a household moved out, a resident
        who died, still in an old sheet imported again) is a problem, not a new entry: it was
        registered anew without a word, the retirement undone in every count."""
        gone = retired if retired is not None else self.retired.get(key) if current is None else None
        if gone is None:
            return True
        self.problems.append(Problem(self.label, row, sheet_columns.shown(COLUMNS[self.kind][_key_column(self.kind, fields)]),
                                     "register.retired_in_sheet", {"id": gone["id"], "day": gone["retired"],
                                                                   "reason": gone["retire_reason"] or "-"}))
        return False

    def _residents(self, rows: list[tuple[int, dict]]) -> None:
        by_hash = rg.residents_by_hash(self.conn, [f["id_hash"] for _, f in rows if f["id_hash"]])
        keys = [(f["grid"], same_key(f["address"])) for _, f in rows]     # each row's household, keyed once
        wanted = {held["id"] for _, f in rows if (held := self.households.at(f))}
        members: dict[tuple[str, str], dict] = {}
        for m in rg.residents_of(self.conn, sorted(wanted)):
            members.setdefault((m["household"], same_key(m["name"])), m)
        for (row, fields), key in zip(rows, keys):
            household = self.households.at(fields)
            if household is None and key in self.retired_households:     # its household moved out
                self._not_retired(row, None, key, fields, self.retired_households[key])
                continue
            household = household or self._household(fields)
            fields = dict(fields, household=household["id"])
            if fields["id_hash"] is None:      # an empty 身份证号 cell keeps what is known
                keep = ("id_hash", "id_last4") + (() if "birth_year" in self.columns else ("birth_year",))
                fields = {k: v for k, v in fields.items() if k not in keep}
            name = same_key(fields["name"])
            current = by_hash.get(fields.get("id_hash") or "") or members.get((household["id"], name))
            if current is None and not self._not_retired(row, None, ("id", fields.get("id_hash")), fields,
                                                         self.retired.get(("id", fields.get("id_hash")))
                                                         or self.retired.get((household["id"], name))):
                continue
            row_now = self._apply(current, fields, always=("household", "grid"))
            members.setdefault((household["id"], name), row_now)

    def _household(self, fields: dict) -> dict:
        """A resident's household, added at the row's grid and 门牌: none is held there."""
        household = self.writer.add("household", {"grid": fields["grid"], "address": fields["address"]})
        self.households.add(household)
        self.result.households_added += 1
        return household

    def _apply(self, current: dict | None, fields: dict, always=()) -> dict:
        """Add the row, or record its difference from `current`; return the row as it now is."""
        if current is None:
            self.result.added += 1
            return self.writer.add(self.kind, fields)
        new = {k: v for k, v in fields.items() if k in current and (k in self.present or k in always)
               and not (k in SPELT[self.kind] and same_key(v) == same_key(current[k]))}
        diff = self.writer.change(self.kind, current, new)
        if diff is None:
            self.result.unchanged += 1
            return current
        self.result.changed += 1
        if len(self.result.changes) < MAX_CHANGES:
            self.result.changes.append(present_diff(diff))
        return current | new
