"""Report benchmarks (run on demand; they report figures and check the targets):

    python -m pytest tests/benchmarks/bench_reports.py -s

Uses (building once, cached under $GRIDCTL_BENCH or /tmp/gridctl-bench) the city-scale demo
with a year of conduct records (bench_records.py) plus BENCH_ISSUES issues (default 1,000,000):
- `gridctl report weekly` of the whole city        target < 30 s and < 500 MB peak memory
- `gridctl report weekly` of one township          target < 2 s
- `gridctl report monthly` of the whole city       target < 15 s
each whole city report also timed as its rows only (the queries: `weekly_rows` / `monthly_rows`,
no workbook), in its own process.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from tests.benchmarks.common import child
from tests.benchmarks.common import ROOT, measured as run

ISSUES = int(os.environ.get("BENCH_ISSUES", "1000000"))



@pytest.fixture(scope="module")
def city() -> Path:
    db = ROOT / f"city-{ISSUES}.db"
    if not db.exists():
        conduct = ROOT / "city-conduct.db"
        if not conduct.exists():
            run(conduct, "demo", "--scale", "city", "--seed", "1", "-o", str(ROOT / "city"), "--conduct")
        shutil.copy(conduct, db)
        from gridctl.issues.demo import fill_issues

        start = time.perf_counter()
        fill_issues(db, ISSUES, 1)
        print(f"\nadded {ISSUES:,} issues in {time.perf_counter() - start:.0f} s")
    return db


def test_weekly_report_of_the_whole_city(city, tmp_path):
    conn = sqlite3.connect(city)
    issues, patrols = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("issues", "patrols"))
    township = conn.execute("SELECT path FROM grids WHERE level = 'township' ORDER BY code LIMIT 1").fetchone()[0]
    conn.close()
    seconds, peak = run(city, "report", "weekly", "--unit", "4101", "--week", "2026-W46",
                        "--as-of", "2026-11-15 23:59", "-o", str(tmp_path / "city.xlsx"))
    size = (tmp_path / "city.xlsx").stat().st_size / 2**20
    print(f"\nweekly report, whole city ({issues:,} issues, {patrols:,} patrols): {seconds:.1f} s, "
          f"peak {peak:.0f} MiB, {size:.1f} MiB workbook  (targets < 15 s, < 500 MB)")
    small, small_peak = run(city, "report", "weekly", "--unit", township, "--week", "2026-W46",
                            "--as-of", "2026-11-15 23:59", "-o", str(tmp_path / "township.xlsx"))
    print(f"weekly report, one township ({township}): {small:.2f} s  (target < 2 s)")
    rows = _rows("weekly", city, "4101", "2026-W46", "2026-11-15 23:59")
    print(f"weekly rows only, whole city: {rows[0]:.1f} s, cpu {rows[2]:.1f} s")
    assert seconds < 15 and peak < 500
    assert small < 2


def _rows(kind: str, db: Path, *args: str) -> tuple[float, float, float]:
    code = (f"import sys; from pathlib import Path; from gridctl.reports.{kind} import {kind}_rows; "
            f"{kind}_rows(Path(sys.argv[1]), *sys.argv[2:])")
    return child([sys.executable, "-c", code, str(db), *args])


def test_monthly_report_of_the_whole_city(city, tmp_path):
    seconds, peak = run(city, "report", "monthly", "--unit", "4101", "--month", "2026-10",
                        "-o", str(tmp_path / "monthly.xlsx"))
    rows = _rows("monthly", city, "4101", "2026-10")
    print(f"\nmonthly report 2026-10, whole city: {seconds:.1f} s, peak {peak:.0f} MiB (target < 15 s); "
          f"rows only {rows[0]:.1f} s, cpu {rows[2]:.1f} s")
    assert seconds < 15
