"""City-scale listings (run on demand; prints figures):

    python -m pytest tests/benchmarks/bench_city.py -s

Uses the city demo with a year of conduct records, built once under $GRIDCTL_BENCH (default
/tmp/gridctl-bench/city-conduct.db, shared with bench_reports.py), and the district's year of
issues (bench_exchange.py's ledger). Targets (issue #14):
- `patrol missing --week` of the whole city, table output   < 3 s (its own --json is the floor)
- `grid tree` of the whole city                              < 2 s
- `issue export` of a township's ≈17k issues                 < 3 s
"""

from __future__ import annotations

import os
import sqlite3

from tests.benchmarks.common import child
from tests.benchmarks.common import GRIDCTL, ROOT, gridctl

ISSUES = int(os.environ.get("BENCH_DISTRICT_ISSUES", "200000"))


def city_ledger():
    db = ROOT / "city-conduct.db"
    if not db.exists():
        ROOT.mkdir(parents=True, exist_ok=True)
        gridctl(db, "demo", "--scale", "city", "--seed", "1", "-o", str(ROOT / "city"), "--conduct")
    return db


def test_city_listings():
    db = city_ledger()
    week = ["patrol", "missing", "--week", "2026-W48"]  # after the demo year: everyone is missing
    as_json = child(GRIDCTL + ["--db", str(db), *week, "--json"])
    table = child(GRIDCTL + ["--db", str(db), *week])
    tree = child(GRIDCTL + ["--db", str(db), "grid", "tree"])
    blocks = sqlite3.connect(db).execute("SELECT count(*) FROM grids").fetchone()[0]
    print(f"\npatrol missing --week, city, table  {table[0]:6.1f} s {table[1]:5.0f} MiB | its --json "
          f"{as_json[0]:5.1f} s | {table[0] / as_json[0]:4.1f}× own JSON  (target < 3 s)")
    print(f"grid tree, city ({blocks:,} nodes)    {tree[0]:6.1f} s {tree[1]:5.0f} MiB  (target < 2 s)")


def test_issue_export_of_a_township(tmp_path):
    db = ROOT / f"district-{ISSUES}.db"
    if not db.exists():
        gridctl(db, "demo", "--scale", "district", "--seed", "1", "-o", str(ROOT / "district"), "--issues", str(ISSUES))
    township = sqlite3.connect(db).execute(
        "SELECT code FROM grids WHERE level = 'township' ORDER BY code LIMIT 1").fetchone()[0]
    out = tmp_path / "export.xlsx"
    seconds, peak, _cpu = child(GRIDCTL + ["--db", str(db), "issue", "export", "-o", str(out), "--grid", township,
                                     "--as-of", "2026-11-20 18:00"])
    count = sqlite3.connect(db).execute("SELECT count(*) FROM issues WHERE grid LIKE ?",
                                        (township + "%",)).fetchone()[0]
    print(f"\nissue export, {count:,} issues to .xlsx    {seconds:6.1f} s {peak:5.0f} MiB  (target < 3 s)")
