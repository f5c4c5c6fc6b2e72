"""Hand-up benchmark: bundle, merge and verify --deep beside their floors (run on demand):

    python -m pytest tests/benchmarks/bench_exchange.py -s

A district's year (BENCH_DISTRICT_ISSUES issues, default 200,000, ≈1.25 M events) is built once
under $GRIDCTL_BENCH (default /tmp/gridctl-bench), bundled, and merged into a fresh upper
ledger. Each row prints gridctl's time and peak memory, the floor's, measured in the same run,
and the ratio — of wall time, and of CPU time (user + system), which swings less than wall time
when others share the machine. Targets (issue #14): bundle < 100 MiB; merge ≤ 1.5× its floor;
verify --deep ≤ 2×.
- bundle floor: the same events streamed from SQLite to JSON lines in a gzip file (same level)
- merge floor: the bundle read, every event re-hashed, and inserted raw in one transaction
- verify --deep floor: every event re-hashed
"""

from __future__ import annotations

import os
import sqlite3
import sys

from tests.benchmarks.common import GRIDCTL, ROOT, Run, child, gridctl

ISSUES = int(os.environ.get("BENCH_DISTRICT_ISSUES", "200000"))

BUNDLE_FLOOR = """
import gzip, json, sqlite3, sys
from gridctl.ledger.events import EVENT_COLS
conn = sqlite3.connect(sys.argv[1])
cursor = conn.execute(f"SELECT {', '.join(EVENT_COLS)} FROM events ORDER BY office, n")
with gzip.open(sys.argv[2], "wb", compresslevel=6) as out:
    while rows := cursor.fetchmany(5000):
        out.write("".join(json.dumps(dict(zip(EVENT_COLS, r)), ensure_ascii=False) + "\\n" for r in rows).encode())
"""
MERGE_FLOOR = """
import gzip, json, sqlite3, sys
from gridctl.ledger.events import EVENT_COLS, Event, event_hash
conn = sqlite3.connect(sys.argv[2])
conn.execute(f"CREATE TABLE events ({', '.join(EVENT_COLS)})")
batch = []
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as lines, conn:
    next(lines)
    for line in lines:
        event = json.loads(line)
        if event.get("end"):
            break
        assert event_hash(Event.of(event)) == event["hash"]
        batch.append(tuple(event[c] for c in EVENT_COLS))
        if len(batch) >= 20000:
            conn.executemany(f"INSERT INTO events VALUES ({', '.join('?' * len(EVENT_COLS))})", batch)
            batch = []
    conn.executemany(f"INSERT INTO events VALUES ({', '.join('?' * len(EVENT_COLS))})", batch)
"""
REHASH_FLOOR = """
import sqlite3, sys
from gridctl.ledger.events import EVENT_COLS, Event, event_hash
cursor = sqlite3.connect(sys.argv[1]).execute(f"SELECT {', '.join(EVENT_COLS)} FROM events ORDER BY office, n")
while rows := cursor.fetchmany(5000):
    for r in rows:
        assert event_hash(Event(*r)) == r[-1]
"""


def row(job: str, mine: Run, floor_job: str, floor: Run) -> None:
    print(f"{job:<30} {mine.seconds:6.1f} s {mine.cpu:6.1f} cpu {mine.peak:5.0f} MiB | {floor_job:<21} "
          f"{floor.seconds:6.1f} s {floor.cpu:6.1f} cpu {floor.peak:4.0f} MiB | "
          f"{mine.seconds / floor.seconds:4.1f}× wall {mine.cpu / floor.cpu:4.1f}× cpu")


def test_bundle_merge_verify_against_their_floors(tmp_path):
    # its own names: a ledger and the YAML it was built from must stay a pair (another benchmark
    # writing ROOT/district with a newer demo would leave the upper ledger without its grids)
    lower = ROOT / f"exchange-district-{ISSUES}.db"
    folder = ROOT / f"exchange-district-{ISSUES}"
    if not lower.exists():
        ROOT.mkdir(parents=True, exist_ok=True)
        gridctl(lower, "demo", "--scale", "district", "--seed", "1", "-o", str(folder), "--issues", str(ISSUES))
    events = sqlite3.connect(lower).execute("SELECT count(*) FROM events").fetchone()[0]
    path = tmp_path / "district.jsonl.gz"
    bundled = child(GRIDCTL + ["--db", str(lower), "bundle", "-o", str(path)])
    bundle_floor = child([sys.executable, "-c", BUNDLE_FLOOR, str(lower), str(tmp_path / "floor.jsonl.gz")])
    upper = tmp_path / "city.db"
    gridctl(upper, "init", "--node", "410101")
    gridctl(upper, "load", str(folder))
    merged = child(GRIDCTL + ["--db", str(upper), "merge", str(path)])
    merge_floor = child([sys.executable, "-c", MERGE_FLOOR, str(path), str(tmp_path / "raw.db")])
    deep = child(GRIDCTL + ["--db", str(upper), "verify", "--deep"])
    rehash = child([sys.executable, "-c", REHASH_FLOOR, str(upper)])
    size = path.stat().st_size / 2**20
    print(f"\n{ISSUES:,} issues, {events:,} events, bundle {size:.0f} MiB")
    row("bundle", bundled, "stream to gzip", bundle_floor)
    row("merge", merged, "re-hash + raw insert", merge_floor)
    row("verify --deep (merged ledger)", deep, "re-hash", rehash)
    print("targets: bundle < 100 MiB; merge ≤ 1.5×; verify --deep ≤ 2×")
