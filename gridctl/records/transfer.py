"""`patrol import` and `survey import`: the sheets clerks keep, all or nothing, never twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gridctl.errors import InputProblems, Problem
from gridctl.ledger import ledger, transaction
from gridctl.ledger import records as rq
from gridctl.ledger.db import holding
from gridctl.ledger.recorder import Recorder
from gridctl.messages import t
from gridctl.progress import QUIET, Meter, counted
from gridctl.records.service import CHECKS, FieldError, patrol_key, record
from gridctl.sheet_columns import PATROL_COLUMNS, SURVEY_COLUMNS
from gridctl.sheets import cell_text, map_columns, read_sheet



@dataclass(frozen=True)
class SheetKind:
    """A kind of record as a clerk's sheet holds it: its columns (key → (zh, en) header), the
    required ones, and what makes two rows the same record."""

    kind: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    dedupe: Callable[[dict], object]


PATROL_SHEET = SheetKind("patrol", PATROL_COLUMNS, ("date", "person", "grid"), lambda f: f["content_key"])
SURVEY_SHEET = SheetKind("survey", SURVEY_COLUMNS, tuple(SURVEY_COLUMNS), lambda f: (f["team"], f["person"], f["date"]))


def _import(db: Path, path: Path, spec: SheetKind, *, dry_run: bool, ignore_extra: bool, actor: str | None,
            meter: Meter = QUIET) -> dict:
    kind, columns, dedupe = spec.kind, spec.columns, spec.dedupe
    sheet = read_sheet(path)
    index, problems = map_columns(sheet, columns, spec.required, ignore_extra)
    if problems:
        raise InputProblems(problems)
    with ledger(db) as conn:
        rec = Recorder(conn, actor)
        checked: list[dict] = []
        written: list[str | None] = []     # a patrol's key as the file wrote its notes (zero-width characters and all)
        seen: dict[object, int] = {}
        meter.total(len(sheet.rows))
        for row, raw in counted(sheet.rows, meter, every=500):
            values = {k: cell_text(raw[i]) if i < len(raw) else None for k, i in index.items()}
            try:
                fields = CHECKS[kind](conn, values, rec.office)
            except FieldError as exc:
                problems.append(Problem.of(sheet.label, row, columns[exc.field][0], exc))
                continue
            key = dedupe(fields)
            if key in seen:
                problems.append(Problem(sheet.label, row, columns["date"][0],
                                        "sheet.duplicate_row", {"row": seen[key]}))
                continue
            seen[key] = row
            checked.append(fields)
            written.append(_as_written(kind, fields, sheet.as_written.get(row), index))
        if problems:
            raise InputProblems(problems)
        fresh = [f for f, w in zip(checked, written) if not _already(conn, kind, f, w)]
        result = {"rows": len(sheet.rows), "imported": len(fresh), "already": len(checked) - len(fresh),
                  "dry_run": dry_run, "ids": [], "encoding": sheet.encoding}
        if dry_run or not fresh:
            return result
        with transaction(conn):
            holding(conn, len(fresh), t("what.rows"))
            rec = Recorder(conn, actor)
            meter.total(len(fresh))
            result["ids"] = [r["id"] for r in record(conn, rec, kind, fresh)]
            meter.step(len(fresh))
        return result


def _as_written(kind: str, fields: dict, raw: list | None, index: dict[str, int]) -> str | None:
    """A patrol row whose zero-width characters the sheet dropped (`SheetReader.as_written`): its
    key with the notes as the file wrote them, which an import made before they were dropped stored."""
    if kind != "patrol" or raw is None or "notes" not in index or index["notes"] >= len(raw):
        return None
    return patrol_key(fields["person"], fields["grid"], fields["date"], cell_text(raw[index["notes"]]))


def _already(conn, kind: str, fields: dict, written: str | None = None) -> bool:
    if kind == "patrol":
        return bool(rq.existing_keys(conn, [fields["content_key"], *([written] if written else [])]))
    return rq.survey_exists(conn, fields["team"], fields["person"], fields["date"])


def import_patrols(db: Path, path: Path, *, dry_run=False, ignore_extra=False, actor=None, meter=QUIET) -> dict:
    """巡查走访日志: one row per patrol; a row already in the ledger is skipped."""
    return _import(db, path, PATROL_SHEET, dry_run=dry_run, ignore_extra=ignore_extra, actor=actor, meter=meter)


def import_surveys(db: Path, path: Path, *, dry_run=False, ignore_extra=False, actor=None, meter=QUIET) -> dict:
    """民意测评: one row per member."""
    return _import(db, path, SURVEY_SHEET, dry_run=dry_run, ignore_extra=ignore_extra, actor=actor, meter=meter)
