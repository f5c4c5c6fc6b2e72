"""A large merge into a ledger holding few issues makes the issues' indexes once its issue rows
are written (`bulk.indexes_put_off`): the same rows, the same schema (each index with its own SQL,
used by the queries after), and a refused or interrupted merge leaves the ledger as it was,
indexes and all."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.helpers import dump, run, tables_put_off
from tests.test_bundle_faults import reseal, write
from tests.test_interrupts import STATUS, TWICE
from tests.test_exchange import township_and_district, week_of


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """A demo township's ledger (400 issues, ~2,500 events), its bundle's lines, and an empty
    ledger of the office above it, as the exchange benchmark has them."""
    base = tmp_path_factory.mktemp("indexes")
    lower, folder, upper = base / "lower.db", base / "defs", base / "upper.db"
    done = run("--db", lower, "demo", "--scale", "township", "--seed", "1", "-o", folder, "--issues", "400")
    assert done.exit_code == 0, done.stderr
    assert run("--db", upper, "init", "--node", "410101").exit_code == 0
    assert run("--db", upper, "load", folder).exit_code == 0
    bundle = base / "year.jsonl.gz"
    assert run("--db", lower, "bundle", "-o", bundle).exit_code == 0
    return upper, bundle


@pytest.fixture
def put_off(monkeypatch):
    """Every merge from 1 event on makes the issues' indexes at its end (when it adds more issues
    than the ledger holds); the merges that did counted."""
    from gridctl import exchange

    monkeypatch.setattr(exchange, "PUT_OFF_FROM", 1)
    return tables_put_off(monkeypatch, exchange)


def rows(db: Path) -> list:
    """Every table's rows but the time of the merge (two merges of one bundle differ only there)."""
    out = []
    with closing(sqlite3.connect(db)) as conn:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})") if c[1] != "received_at"]
            out.append((table, sorted(conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall(), key=repr)))
    return out


def schema(db: Path) -> list:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def copy(upper: Path, to: Path) -> Path:
    to.write_bytes(upper.read_bytes())
    return to


def test_issue_indexes_made_at_the_end_give_the_same_ledger(year, tmp_path, put_off, monkeypatch):
    from gridctl import exchange

    upper, bundle = year
    once, kept = copy(upper, tmp_path / "once.db"), copy(upper, tmp_path / "kept.db")
    assert run("--db", once, "merge", bundle).exit_code == 0
    assert put_off == ["issues"]
    monkeypatch.setattr(exchange, "PUT_OFF_FROM", 10**12)
    assert run("--db", kept, "merge", bundle).exit_code == 0
    assert put_off == ["issues"]
    assert rows(once) == rows(kept)
    assert schema(once) == schema(kept) == schema(upper)
    with closing(sqlite3.connect(once)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        ref = conn.execute("SELECT ref FROM issues WHERE ref IS NOT NULL LIMIT 1").fetchone()
        plan = " ".join(str(step) for step in conn.execute("EXPLAIN QUERY PLAN SELECT id FROM issues WHERE ref = ?", ref or ("x",)))
        assert "issues_ref" in plan
    assert run("--db", once, "verify", "--deep").exit_code == 0


def test_a_ledger_holding_as_many_issues_keeps_its_indexes_up(year, tmp_path, put_off):
    upper, bundle = year
    db = copy(upper, tmp_path / "up.db")
    assert run("--db", db, "merge", bundle).exit_code == 0
    assert put_off == ["issues"]
    again = run("--db", db, "merge", bundle, "--json")      # 400 issues held, 2,477 events: 400 × 8 > 2,477
    assert again.exit_code == 0 and again.json()["added"] == 0
    assert put_off == ["issues"]


def _late(lines: list[str], **changes) -> list[str]:
    event = json.loads(lines[-40])
    event.update(changes)
    lines[-40] = json.dumps(event, ensure_ascii=False)
    return reseal(lines)


@pytest.mark.parametrize("damage, words", [
    (lambda lines: _late(lines, issue="4101-2025-99999"), "4101-2025-99999"),      # refused by the fold
    (lambda lines: reseal(lines[:-30] + lines[-1:], rehash=False), "不完整"),       # the count falls short
])
def test_a_refused_merge_with_its_issue_indexes_put_off_leaves_the_ledger_as_it_was(
        year, tmp_path, put_off, damage, words):
    upper, bundle = year
    lines = gzip.open(bundle, "rt", encoding="utf-8").read().splitlines()
    bad = write(tmp_path / "bad.jsonl.gz", damage(lines))
    db = copy(upper, tmp_path / "up.db")
    before = dump(db)
    done = run("--db", db, "merge", bad)
    assert done.exit_code == 1 and words in done.stderr, done.stderr
    assert put_off == ["issues"]
    assert dump(db) == before and schema(db) == schema(upper)


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_ctrl_c_twice_with_the_issue_indexes_put_off_leaves_the_ledger_as_it_was(tmp_path, sig):
    dbs = township_and_district(tmp_path)
    week_of(dbs["A"], "A")
    bundle = tmp_path / "a.jsonl.gz"
    assert run("--db", dbs["A"], "bundle", "-o", bundle).exit_code == 0
    before, made = dump(dbs["D"]), schema(dbs["D"])
    env = dict(os.environ, GRIDCTL_LANG="en", GRIDCTL_DB=str(dbs["D"]), STOP_SIGNAL=sig)
    script = "import gridctl.exchange\ngridctl.exchange.PUT_OFF_FROM = 1\n" + TWICE.format(reader="exchange", writer="exchange")
    done = subprocess.run([sys.executable, "-c", script, "merge", str(bundle)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == STATUS[sig], done.stderr
    assert "Traceback" not in done.stderr and "BATCH IN ITS TRANSACTION" in done.stderr, done.stderr
    assert dump(dbs["D"]) == before and schema(dbs["D"]) == made
    assert run("--db", dbs["D"], "merge", bundle, "--json").json()["added"] == 9
    assert schema(dbs["D"]) == made


def listed(db: Path) -> list[tuple[str, str]]:
    """The ledger's schema as SQLite lists it (sqlite_master in its own order: `.schema`, `.dump`)."""
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT type, name FROM sqlite_master ORDER BY rowid").fetchall()


def test_the_issue_indexes_made_at_the_end_are_listed_last_in_their_own_order(year, tmp_path, put_off):
    """What the put-off changes, and all it changes: SQLite lists the six indexes made again after
    everything else (each entry made anew goes last; no statement puts one back in its place).
    Nothing reads that order (the planner, `verify`, `backup` and `restore` do not; `indexes_put_off`
    reads only their order among themselves, which is kept), and a backup and its restore keep it."""
    upper, bundle = year
    db = copy(upper, tmp_path / "up.db")
    assert run("--db", db, "merge", bundle).exit_code == 0
    assert put_off == ["issues"]
    before, after = listed(upper), listed(db)
    moved = [entry for entry in before if entry[0] == "index" and entry[1].startswith("issues_")
             and not entry[1].startswith("sqlite_autoindex")]
    assert len(moved) == 6
    assert after == [entry for entry in before if entry not in moved] + moved
    assert run("--db", db, "backup", tmp_path / "copy.db").exit_code == 0
    restored = tmp_path / "restored.db"
    assert run("--db", restored, "restore", tmp_path / "copy.db").exit_code == 0
    assert listed(restored) == after and rows(restored) == rows(db)
