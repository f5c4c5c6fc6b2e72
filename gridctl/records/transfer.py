"""`patrol import` and `survey import`: the sheets clerks keep, all or nothing, never twice."""

from __future__ import annotations

import json
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
from gridctl import sheet_columns
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
        rows: list[int] = []
        seen: dict[object, int] = {}
        same_day: dict[tuple[str, str, str], int] = {}     # a patrol's person, grid and day → its row
        meter.total(len(sheet.rows))
        for row, raw in counted(sheet.rows, meter, every=500):
            values = {k: cell_text(raw[i]) if i < len(raw) else None for k, i in index.items()}
            try:
                fields = CHECKS[kind](conn, values, rec.office)
            except FieldError as exc:
                problems.append(Problem.of(sheet.label, row, sheet_columns.shown(columns[exc.field]), exc))
                continue
            key = dedupe(fields)
            if key in seen:
                problems.append(Problem(sheet.label, row, sheet_columns.shown(columns["date"]),
                                        "sheet.duplicate_row", {"row": seen[key]}))
                continue
            seen[key] = row
            if kind == "patrol":            # the same walk with other notes: one patrol a day, as `patrol add` has it
                first = same_day.setdefault((fields["person"], fields["grid"], fields["date"]), row)
                if first != row:
                    problems.append(Problem(sheet.label, row, sheet_columns.shown(columns["date"]), "patrol.twice_in_sheet", {"row": first}))
                    continue
            checked.append(fields)
            rows.append(row)
            written.append(_as_written(kind, fields, sheet.as_written.get(row), index))
        if problems:
            raise InputProblems(problems)
        if kind == "patrol":                # the patrols held with a row's key, or its key as written
            held = rq.patrols_by_keys(conn, sorted({k for f, w in zip(checked, written) for k in (f["content_key"], w) if k}))
            already: list = [f["content_key"] in held or (w is not None and w in held) for f, w in zip(checked, written)]
            problems = _held_that_day(conn, sheet.label, sheet_columns.shown(columns["date"]),
                                      [(row, f) for row, f, skip in zip(rows, checked, already) if not skip])
            problems += _patrol_changed(conn, held, sheet.label, columns,
                                        [(row, f, w) for row, f, w, skip in zip(rows, checked, written, already) if skip])
        else:                               # a survey: the one held of its team, person and day
            already = [rq.survey_held(conn, f["team"], f["person"], f["date"]) for f in checked]
            problems = _survey_changed(sheet.label, sheet_columns.shown(columns["satisfied"]),
                                       [(row, f, held) for row, f, held in zip(rows, checked, already) if isinstance(held, dict)])
        if problems:
            raise InputProblems(problems)
        fresh = [f for f, skip in zip(checked, already) if not skip]
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


def _held_that_day(conn, label: str, column: str, rows: list[tuple[int, dict]]) -> list[Problem]:
    """A new row whose person already has a live patrol of that grid that day (its notes differ:
    a corrected sheet imported again) is refused as `patrol add` refuses it, naming the patrol held;
    it was recorded as a second patrol, counted twice toward the week's duty."""
    days: dict[str, tuple[str, str]] = {}
    for _, f in rows:
        first, last = days.get(f["person"], (f["date"], f["date"]))
        days[f["person"]] = (min(first, f["date"]), max(last, f["date"]))
    held = rq.patrols_on_days(conn, days)
    return [Problem(label, row, column, "patrol.duplicate", {"person": f["person"], "day": f["date"], "id": same})
            for row, f in rows if (same := held.get((f["person"], f["grid"], f["date"])))]


def _patrol_changed(conn, held: dict[str, dict], label: str, columns: dict,
                    rows: list[tuple[int, dict, str | None]]) -> list[Problem]:
    """A row of a patrol held (same person, grid, day and 民情日记: `held`, content key → patrol) whose
    走访户数 or 走访户 differ (a corrected sheet imported again) is refused naming the patrol held, as a
    survey's changed votes are: it was counted 已存在 and the correction dropped without a word. A
    blank cell says nothing."""
    links = rq.issues_of(conn, sorted({p["id"] for p in held.values()})) if any(f["found"] for _, f, _ in rows) else {}
    problems = []
    for row, f, written in rows:
        patrol = held.get(f["content_key"]) or (held.get(written) if written else None)
        if patrol is None:
            continue
        unlinked = [issue for issue in f["found"] if issue not in links.get(patrol["id"], [])]
        if unlinked:        # 发现问题 filled in later: linking it is `patrol link`'s (an event of its own)
            problems.append(Problem(label, row, sheet_columns.shown(columns["found"]), "patrol.found_not_linked", {
                "person": f["person"], "day": f["date"], "id": patrol["id"], "issues": ",".join(unlinked)}))
        visited = json.loads(patrol["visited"]) if patrol["visited"] else None
        for field, have, given in (("visited", visited, f["visited"]), ("households", patrol["households"],
                                                                         f["households"])):
            if given is not None and have != given:
                problems.append(Problem(label, row, sheet_columns.shown(columns[field]), "patrol.differs", {
                    "person": f["person"], "day": f["date"], "id": patrol["id"], "held": _said(have),
                    "given": _said(given)}))
                break
    return problems


def _said(value) -> str:
    """A patrol's 走访户数 or 走访户 as a problem quotes it."""
    if isinstance(value, list):
        return "、".join(value) or "-"
    return "-" if value is None else str(value)


_FIGURES = ("participants", "satisfied", "fair", "unsatisfied")


def _survey_changed(label: str, column: str, rows: list[tuple[int, dict, dict]]) -> list[Problem]:
    """A row of a survey already held (team, person, day: `held`, the one `rq.survey_held` found) whose
    figures differ (a corrected sheet imported again) is refused, naming the survey held: it was
    counted 已存在 and the correction dropped without a word. The same figures are skipped as before."""
    problems = []
    for row, f, held in rows:
        if any(held[k] != f[k] for k in _FIGURES):
            problems.append(Problem(label, row, column, "survey.differs", {
                "person": f["person"], "team": f["team"], "day": f["date"], "id": held["id"],
                "held": "/".join(str(held[k]) for k in _FIGURES), "given": "/".join(str(f[k]) for k in _FIGURES)}))
    return problems


def _as_written(kind: str, fields: dict, raw: list | None, index: dict[str, int]) -> str | None:
    """A patrol row whose zero-width characters the sheet dropped (`SheetReader.as_written`): its
    key with the notes as the file wrote them, which an import made before they were dropped stored."""
    if kind != "patrol" or raw is None or "notes" not in index or index["notes"] >= len(raw):
        return None
    return patrol_key(fields["person"], fields["grid"], fields["date"], cell_text(raw[index["notes"]]))


def import_patrols(db: Path, path: Path, *, dry_run=False, ignore_extra=False, actor=None, meter=QUIET) -> dict:
    """巡查走访日志: one row per patrol; a row already in the ledger is skipped."""
    return _import(db, path, PATROL_SHEET, dry_run=dry_run, ignore_extra=ignore_extra, actor=actor, meter=meter)


def import_surveys(db: Path, path: Path, *, dry_run=False, ignore_extra=False, actor=None, meter=QUIET) -> dict:
    """民意测评: one row per member."""
    return _import(db, path, SURVEY_SHEET, dry_run=dry_run, ignore_extra=ignore_extra, actor=actor, meter=meter)
