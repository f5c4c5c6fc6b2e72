"""Scoring benchmark (run on demand; reports the figure and checks the target):

    python -m pytest tests/benchmarks/bench_score.py -s

Scores the whole city (≈140,000 people in ≈10,000 teams, BENCH_ISSUES issues, a year of
conduct records) built by bench_reports.py — target < 60 s.
"""

from __future__ import annotations

import sqlite3

from tests.benchmarks.bench_reports import ISSUES, city, run  # noqa: F401  (city is the fixture)


def test_score_the_whole_city(city, tmp_path):  # noqa: F811
    conn = sqlite3.connect(city)
    teams = conn.execute("SELECT count(*) FROM teams").fetchone()[0]
    members = conn.execute("SELECT count(*) FROM team_members").fetchone()[0] + teams
    conn.close()
    seconds, peak = run(city, "score", "--quarter", "2026Q3", "-o", str(tmp_path / "score.xlsx"))
    print(f"\nscore 2026Q3, whole city ({members:,} team members in {teams:,} teams, {ISSUES:,} issues): "
          f"{seconds:.1f} s, peak {peak:.0f} MiB  (target < 60 s)")
    assert seconds < 60
