"""Patrol benchmarks (run on demand; they report figures and check the targets):

    python -m pytest tests/benchmarks/bench_records.py -s

Builds (once, cached under $GRIDCTL_BENCH or /tmp/gridctl-bench) the city-scale demo with a
year of patrols and conduct records (`gridctl demo --scale city --conduct`), then:
- `gridctl patrol missing --week` for the whole city          target < 10 s
- `gridctl patrol import` of 100,000 xlsx rows                target < 60 s
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path

import pytest

from tests.benchmarks.common import ROOT, gridctl




@pytest.fixture(scope="module")
def city() -> Path:
    db = ROOT / "city-conduct.db"
    if not db.exists():
        ROOT.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        gridctl(db, "demo", "--scale", "city", "--seed", "1", "-o", str(ROOT / "city"), "--conduct")
        print(f"\nbuilt the city's year of conduct records in {time.perf_counter() - start:.0f} s")
    return db


def test_patrol_missing_whole_city(city):
    conn = sqlite3.connect(city)
    patrols = conn.execute("SELECT count(*) FROM patrols").fetchone()[0]
    people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
    conn.close()
    times = [gridctl(city, "patrol", "missing", "--week", "2026-W40") for _ in range(3)]
    json_time = gridctl(city, "patrol", "missing", "--week", "2026-W40", "--json")
    print(f"\npatrol missing, whole city ({people:,} people, {patrols:,} patrol rows): "
          f"median {statistics.median(times):.2f} s, --json {json_time:.2f} s  (target < 10 s)")
    assert statistics.median(times) < 10


def test_import_100k_patrol_rows(tmp_path):
    from datetime import date, timedelta

    from openpyxl import Workbook

    folder = ROOT / "district"
    db = tmp_path / "import.db"
    if not folder.exists():
        gridctl(db, "demo", "--scale", "district", "--seed", "1", "-o", str(folder))
    gridctl(db, "load", str(folder))
    pairs = sqlite3.connect(db).execute(
        "SELECT person, grid FROM posts WHERE role = '网格长' ORDER BY grid").fetchall()
    path = tmp_path / "巡查日志.xlsx"
    book = Workbook(write_only=True)
    ws = book.create_sheet("巡查日志")
    ws.append(["日期", "人员", "网格编码", "走访户数", "民情日记"])
    for n in range(100_000):       # one patrol a person, grid and day (import refuses a second)
        person, grid = pairs[n % len(pairs)]
        day = date(2026, 10, 31) - timedelta(days=n // len(pairs))
        ws.append([day.isoformat(), person, grid, n % 12, f"走访记录 {n}"])
    book.save(path)
    clerk = pairs[0][0]        # who imports (--by): patrol import names its actor, as every write does
    seconds = gridctl(db, "--by", clerk, "patrol", "import", str(path))
    again = gridctl(db, "--by", clerk, "patrol", "import", str(path))
    print(f"\npatrol import of 100,000 xlsx rows: {seconds:.1f} s; re-import (all skipped): {again:.1f} s"
          f"  (target < 60 s)")
    assert seconds < 60
