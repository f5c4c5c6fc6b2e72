"""Sheet reading and `issue import` against their floors (run on demand; prints figures side by side):

    python -m pytest tests/benchmarks/bench_import.py -s

Builds once under $GRIDCTL_BENCH (default /tmp/gridctl-bench): the city demo loaded into a
ledger, and a sheet of BENCH_IMPORT_ROWS issues (default 100,000) spread over the city's blocks.
- reading the sheet: openpyxl read-only vs python-calamine (why calamine is a dependency)
- `gridctl issue import` (routing, hashing, search index included) vs its floor, python-calamine
  read + a raw insert of the same rows into SQLite in one transaction, with peak memory of each
  process. Targets (issue #14): ≤ 3× the floor's time, < 300 MB.
- beside the floor, as a reference (not a floor: the ratio judged stays the import's against the
  floor above): the ledger's own writes, i.e. the rows that import wrote (issues, events, the
  search index, the chain's head) inserted again with plain `executemany` into a fresh copy of
  the city ledger, first upgraded (untimed) to the schema the import wrote into, in one
  transaction, with no Python work per row. Timed inside its process from BEGIN to COMMIT and
  the closing checkpoint, as the import's own (reading the rows out of the imported ledger
  first is not counted); the peak is the process's, which holds those rows. What SQLite itself costs for the ledger's contracted schema (its indexes, the trigram
  index) bounds how near the floor an import can get.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.benchmarks.common import GRIDCTL, ROOT, Run, child, gridctl

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
HEADER = ["网格编码", "问题类别", "来源", "问题描述", "发现时间", "上报人", "地点", "联系电话", "编号"]
CATEGORIES = ["非法建设", "环境卫生", "占道", "安全生产", "矛盾纠纷", "道路"]

OPENPYXL_READ = """
import sys
from openpyxl import load_workbook
book = load_workbook(sys.argv[1], read_only=True, data_only=True)
print(sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)))
"""
CALAMINE_READ = """
import sys
from python_calamine import CalamineWorkbook
print(sum(1 for _ in CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).iter_rows()))
"""
FLOOR = """
import sqlite3, sys
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).iter_rows()
next(rows)
conn = sqlite3.connect(sys.argv[2])
conn.execute("CREATE TABLE raw (grid, category, source, title, found_at, reporter, place, phone, ref)")
with conn:
    conn.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ([str(v) for v in r] for r in rows))
"""
MIGRATE = """
import sys
from gridctl.ledger.db import open_ledger
open_ledger(sys.argv[1]).close()
"""
LEDGER_WRITES = """
import json, sqlite3, sys, time
source, target, out = sys.argv[1:4]
conn = sqlite3.connect(target, isolation_level=None)
for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "cache_size=-32768"):
    conn.execute("PRAGMA " + pragma)                  # as the import has its ledger (db.open_ledger, bulk_cache)
seq, num, rowid = conn.execute("SELECT (SELECT ifnull(max(seq), 0) FROM events), "
                               "(SELECT ifnull(max(num), 0) FROM issues), (SELECT ifnull(max(rowid), 0) FROM issue_text)").fetchone()
src = sqlite3.connect("file:" + source + "?mode=ro", uri=True)
issues = src.execute("SELECT * FROM issues WHERE num > ? ORDER BY num", (num,)).fetchall()
events = src.execute("SELECT * FROM events WHERE seq > ? ORDER BY seq", (seq,)).fetchall()
text = src.execute("SELECT rowid, issue, title, place, notes FROM issue_text WHERE rowid > ? ORDER BY rowid",
                   (rowid,)).fetchall()
heads = src.execute("SELECT key, value FROM ledger_meta WHERE key LIKE 'head:%'").fetchall()
src.close()
start, cpu = time.perf_counter(), time.process_time()
conn.execute("BEGIN IMMEDIATE")
conn.executemany("INSERT INTO issues VALUES (" + ", ".join("?" * len(issues[0])) + ")", issues)
conn.executemany("INSERT INTO events VALUES (" + ", ".join("?" * len(events[0])) + ")", events)
conn.executemany("INSERT INTO issue_text (rowid, issue, title, place, notes) VALUES (?, ?, ?, ?, ?)", text)
conn.executemany("INSERT OR REPLACE INTO ledger_meta (key, value) VALUES (?, ?)", heads)
conn.execute("COMMIT")
conn.close()
with open(out, "w") as handle:
    json.dump({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
               "issues": len(issues), "events": len(events), "text": len(text)}, handle)
"""


def row(job: str, mine: tuple[float, float, float], floor_job: str, floor: tuple[float, float, float]) -> None:
    """Wall time and its ratio, and CPU time and its ratio: on a shared machine a process waits for
    a core for a varying part of its wall time, while its CPU time varies much less."""
    print(f"{job:<34} {mine[0]:7.1f} s {mine[1]:6.0f} MiB | {floor_job:<30} {floor[0]:6.1f} s "
          f"{floor[1]:5.0f} MiB | {mine[0] / floor[0]:5.1f}× time | CPU {mine[2]:6.1f} s vs {floor[2]:5.1f} s "
          f"= {mine[2] / floor[2]:5.1f}×")


@pytest.fixture(scope="module")
def city() -> Path:
    db = ROOT / "city-loaded.db"
    if not db.exists():
        ROOT.mkdir(parents=True, exist_ok=True)
        folder = ROOT / "city"
        if not (folder / "city.yaml").exists():
            gridctl(ROOT / "unused.db", "demo", "--scale", "city", "--seed", "1", "-o", str(folder))
        gridctl(db, "load", str(folder))
    return db


@pytest.fixture(scope="module")
def sheet(city) -> Path:
    path = ROOT / f"import-{ROWS}.xlsx"
    if not path.exists():
        from openpyxl import Workbook

        blocks = [c for (c,) in sqlite3.connect(city).execute(
            "SELECT code FROM grids WHERE level = 'block' ORDER BY code")]
        book = Workbook(write_only=True)
        ws = book.create_sheet("台账")
        ws.append(HEADER)
        for n in range(ROWS):
            ws.append([blocks[(n * 7919) % len(blocks)], CATEGORIES[n % 6], "巡查发现", f"导入问题{n}",
                       f"2026-10-{1 + n % 28:02d} 09:{n % 60:02d}", "张三", f"{n}号", "13800001234",
                       f"B{n:07d}"])
        book.save(path)
    return path


def test_reading_the_sheet(sheet):
    slow = child([sys.executable, "-c", OPENPYXL_READ, str(sheet)])
    fast = child([sys.executable, "-c", CALAMINE_READ, str(sheet)])
    print()
    row(f"read {ROWS:,} rows: openpyxl r/o", slow, "python-calamine", fast)


def test_issue_import_against_its_floor(city, sheet, tmp_path):
    db = tmp_path / "import.db"
    shutil.copy(city, db)
    child([sys.executable, "-c", MIGRATE, str(db)])     # untimed: the cached city may predate a migration (m024: 0.15-0.4 s)
    floor = child([sys.executable, "-c", FLOOR, str(sheet), str(tmp_path / "floor.db")])
    (tmp_path / "floor.db").unlink()
    clerk = sqlite3.connect(db).execute("SELECT min(id) FROM people").fetchone()[0]  # who imports (--by)
    mine = child(GRIDCTL + ["--db", str(db), "--by", clerk, "issue", "import", str(sheet)])
    again = child(GRIDCTL + ["--db", str(db), "--by", clerk, "issue", "import", str(sheet)])
    after = child([sys.executable, "-c", FLOOR, str(sheet), str(tmp_path / "floor.db")])  # the load drifts:
    floor = min(floor, after)                                                             # the better of two
    writes, written = ledger_writes(city, db, tmp_path)
    count = sqlite3.connect(db).execute("SELECT count(*) FROM issues").fetchone()[0]
    print()
    row(f"issue import {ROWS:,} rows", mine, "calamine read + raw insert", floor)
    row("re-import (all already held)", again, "calamine read + raw insert", floor)
    row("reference: the ledger's own writes", writes, "calamine read + raw insert", floor)
    print(f"  (the import's {written['issues']:,} issues, {written['events']:,} events and {written['text']:,} "
          f"search rows inserted again with plain executemany, BEGIN to COMMIT and the closing checkpoint; a reference, not the floor: "
          f"the import is {mine[0] / writes[0]:.1f}× it in time, {mine[2] / writes[2]:.1f}× in CPU; its peak holds "
          f"all those rows at once)")
    print(f"targets: ≤ 3× time, < 300 MB; issues in the ledger: {count:,}")
    assert count == ROWS
    assert written["issues"] == ROWS


def ledger_writes(city: Path, imported: Path, tmp_path: Path) -> tuple[Run, dict]:
    """The reference row: what `imported` holds beyond the city ledger, written again into a
    fresh copy of it (`LEDGER_WRITES`), first upgraded to the schema the import wrote into (the
    cached city ledger may be older: its copy for the import is upgraded as well, untimed); the time
    and CPU from BEGIN to the closing checkpoint, the process's peak."""
    target, out = tmp_path / "writes.db", tmp_path / "writes.json"
    shutil.copy(city, target)
    child([sys.executable, "-c", MIGRATE, str(target)])     # untimed: the schema the import wrote into
    assert schema(target) == schema(imported)
    process = child([sys.executable, "-c", LEDGER_WRITES, str(imported), str(target), str(out)])
    figures = json.loads(out.read_text())
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    return Run(figures["seconds"], process.peak, figures["cpu"]), figures


def schema(db: Path) -> set[tuple[str, str, str]]:
    """The tables, indexes and triggers of a ledger with their SQL, in no order (a large import
    makes the issues' indexes again at its end, so they come later in sqlite_master)."""
    conn = sqlite3.connect(db)
    try:
        return set(conn.execute("SELECT type, name, ifnull(sql, '') FROM sqlite_master"))
    finally:
        conn.close()
