"""Scoring benchmark (run on demand; reports the figures and checks the target):

    python -m pytest tests/benchmarks/bench_score.py -s

Scores the whole city (≈39,000 team members in ≈10,000 teams, BENCH_ISSUES issues, a year of
conduct records) built by bench_reports.py — target (issue #14) < 10 s with the workbook.
Printed apart: the computation (`score --json`: the queries, formulas, ranks and the JSON
document, no workbook) and the whole command with its workbook (`-o score.xlsx`), each as its own
process; and a township's ledger (small scopes must stay fast).
"""

from __future__ import annotations

import sqlite3
import sys

from tests.benchmarks.common import child
from tests.benchmarks.bench_reports import ISSUES, city  # noqa: F401  (city is the fixture)
from tests.benchmarks.common import GRIDCTL, ROOT


def test_score_the_whole_city(city, tmp_path):  # noqa: F811
    conn = sqlite3.connect(city)
    teams = conn.execute("SELECT count(*) FROM teams").fetchone()[0]
    members = conn.execute("SELECT count(*) FROM team_members").fetchone()[0] + teams
    conn.close()
    score = GRIDCTL + ["--db", str(city), "score", "--quarter", "2026Q3"]
    rows = child([sys.executable, "-c", "import sys; from pathlib import Path; from gridctl.scoring.service import "
                  "compute; compute(Path(sys.argv[1]), '2026Q3')", str(city)])
    as_json = child(score + ["--json"])
    whole = child(score + ["-o", str(tmp_path / "score.xlsx")])
    print(f"\nscore 2026Q3, whole city ({members:,} team members in {teams:,} teams, {ISSUES:,} issues):\n"
          f"  computed (no JSON, no workbook)  {rows[0]:6.1f} s  cpu {rows[2]:5.1f} s  {rows[1]:5.0f} MiB\n"
          f"  --json (no workbook)             {as_json[0]:6.1f} s  cpu {as_json[2]:5.1f} s  {as_json[1]:5.0f} MiB\n"
          f"  -o score.xlsx (the whole)        {whole[0]:6.1f} s  cpu {whole[2]:5.1f} s  {whole[1]:5.0f} MiB"
          f"  (target < 10 s)")
    township = ROOT / "township-200.db"
    if township.exists():
        small = child(GRIDCTL + ["--db", str(township), "score", "--quarter", "2026Q3", "--json"])
        print(f"score 2026Q3 --json, a township ledger: {small[0]:.2f} s")
    assert whole[0] < 10
