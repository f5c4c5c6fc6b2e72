"""Hand-up benchmark (run on demand; reports figures and checks the target):

    python -m pytest tests/benchmarks/bench_exchange.py -s

A district's year (BENCH_DISTRICT_ISSUES issues, default 200,000, ≈1.2 M events) is bundled
and merged into a fresh upper ledger — target < 60 s for the merge.
"""

from __future__ import annotations

import os
import sqlite3

from tests.benchmarks.common import ROOT, gridctl

ISSUES = int(os.environ.get("BENCH_DISTRICT_ISSUES", "200000"))



def test_merge_a_districts_year(tmp_path):
    lower = ROOT / f"district-{ISSUES}.db"
    folder = ROOT / "district"
    if not lower.exists():
        ROOT.mkdir(parents=True, exist_ok=True)
        gridctl(lower, "demo", "--scale", "district", "--seed", "1", "-o", str(folder), "--issues", str(ISSUES))
    events = sqlite3.connect(lower).execute("SELECT count(*) FROM events").fetchone()[0]
    path = tmp_path / "district.jsonl.gz"
    bundled = gridctl(lower, "bundle", "-o", str(path))
    upper = tmp_path / "city.db"
    gridctl(upper, "init", "--node", "410101")
    gridctl(upper, "load", str(folder))
    merged = gridctl(upper, "merge", str(path))
    again = gridctl(upper, "merge", str(path))
    verified = gridctl(upper, "verify")
    size = path.stat().st_size / 2**20
    print(f"\n{ISSUES:,} issues, {events:,} events: bundle {bundled:.1f} s ({size:.0f} MiB), merge {merged:.1f} s, "
          f"re-merge (adds 0) {again:.1f} s, verify {verified:.1f} s  (target: merge < 60 s)")
    assert merged < 60
