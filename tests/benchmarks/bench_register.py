"""Register benchmarks (run on demand; they report figures and check the targets):

    nice python -m pytest tests/benchmarks/bench_register.py -s

Builds a demo township (`gridctl demo --scale township`) and a register for it twice as dense
as `demo --register` (~160 households a block: ~40,000 households, ~105,000 residents), then:
- `gridctl register import` of the households sheet, then of 100,000+ residents  target < 60 s
- the same residents sheet again (idempotent: nothing written)                      target < 30 s
- a month of visits (one patrol a block a working day, 2 households each), then
  `gridctl register due` for the whole township                                  target < 10 s
"""

from __future__ import annotations

import random
import sqlite3
import statistics
from pathlib import Path

from tests.benchmarks.common import ROOT, gridctl, measured


def _township(tmp_path) -> tuple[Path, Path]:
    folder = ROOT / "township-register"
    db = tmp_path / "register.db"
    if not folder.exists():
        gridctl(tmp_path / "scratch.db", "demo", "--scale", "township", "--seed", "3", "-o", str(folder))
    gridctl(db, "load", str(folder))
    register = folder / "register"
    if not register.exists():
        from gridctl.register.demo import write_register

        write_register(folder, 3, households_per_block=160)
    return db, register


def _visits(db: Path) -> int:
    """A month of patrols with visits, written through the records service (events and all)."""
    from gridctl.ledger import ledger, transaction
    from gridctl.ledger.recorder import Recorder
    from gridctl.records.service import record

    rng = random.Random(5)
    with ledger(db) as conn:
        leads = conn.execute("SELECT person, grid FROM posts WHERE role = '网格长' ORDER BY grid").fetchall()
        homes: dict[str, list[str]] = {}
        for hid, grid in conn.execute("SELECT id, grid FROM households"):
            homes.setdefault(grid, []).append(hid)
        rows = []
        for day in range(2, 28):
            if day % 7 in (0, 6):
                continue
            for person, grid in leads:
                visited = rng.sample(homes.get(grid, []), min(2, len(homes.get(grid, []))))
                rows.append({"date": f"2026-11-{day:02d}", "person": person, "grid": grid,
                             "households": len(visited), "notes": "入户走访", "visiting": 0, "team": None,
                             "role": "网格长", "found": [], "content_key": None, "visited": visited})
        with transaction(conn):
            record(conn, Recorder(conn, None, recorded_at=None), "patrol", rows)
    return len(rows)


def test_import_100k_residents_and_due_for_a_township(tmp_path):
    db, register = _township(tmp_path)
    households, residents = sorted(register.glob("households_*.csv"))[0], sorted(register.glob("residents_*.csv"))[0]
    conn = sqlite3.connect(db)
    clerk = conn.execute("SELECT id FROM people ORDER BY id LIMIT 1").fetchone()[0]   # imports need a person
    conn.close()
    h_seconds, _ = measured(db, "--by", clerk, "register", "import", str(households))
    r_seconds, peak = measured(db, "--by", clerk, "register", "import", str(residents))
    again, _ = measured(db, "--by", clerk, "register", "import", str(residents))
    conn = sqlite3.connect(db)
    counts = conn.execute("SELECT (SELECT count(*) FROM households), (SELECT count(*) FROM residents), "
                          "(SELECT count(*) FROM residents WHERE tags != '[]')").fetchone()
    township = conn.execute("SELECT code FROM grids WHERE level = 'township'").fetchone()[0]
    conn.close()
    print(f"\nregister import: {counts[0]:,} households {h_seconds:.1f} s; {counts[1]:,} residents "
          f"{r_seconds:.1f} s (peak {peak:.0f} MiB; target < 60 s); re-import unchanged {again:.1f} s "
          f"(target < 30 s)")
    assert counts[1] >= 100_000
    patrols = _visits(db)
    times = [gridctl(db, "register", "due", "--grid", township, "--month", "2026-11", "--as-of", "2026-11-30",
                     "--json") for _ in range(3)]
    print(f"register due, whole township ({counts[2]:,} tagged residents, {patrols:,} patrols with visits): "
          f"median {statistics.median(times):.2f} s  (target < 10 s)")
    assert r_seconds < 60 and again < 30 and statistics.median(times) < 10
