"""verify --deep covers every table a score, a report or a merge reads, and the chain's end;
plain verify runs SQLite's quick_check."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE, run
from tests.test_exchange import offices, ok, week_of  # noqa: F401 (offices: a fixture)

GRID = "金水区/经八路街道/黄河路社区/1号楼院"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The example city with an issue, a patrol that found it, another patrol adding its own
    issue, and an approval and a flag for 2026Q4."""
    db = tmp_path_factory.mktemp("verify") / "ledger.db"
    steps = (
        ("load", EXAMPLE, "--as-of", "2026-11-26"),
        ("issue", "add", "-g", GRID, "-c", "非法建设", "-s", "巡查发现", "-t", "楼顶违建", "--at", "2026-11-20 09:00"),
        ("patrol", "add", "-p", "P007", "-g", GRID, "-d", "2026-11-20", "--households", "5", "--found", "1"),
        ("patrol", "add", "-p", "P007", "-g", GRID, "-d", "2026-11-21", "--households", "3"),
        ("issue", "add", "-g", GRID, "-c", "环境卫生", "-s", "巡查发现", "-t", "垃圾", "--at", "2026-11-21 09:00",
         "--patrol", "2"),
        ("score", "flag", "-p", "P007", "-q", "2026Q4", "--reason", "巡查记录不实"),
        ("score", "approve", "-q", "2026Q4"),
    )
    for args in steps:
        result = run("--db", db, "--by", "P007", *args)
        assert result.exit_code == 0, (args, result.stderr)
    return db


@pytest.fixture
def ledger(template, tmp_path) -> Path:
    db = tmp_path / "ledger.db"
    shutil.copy(template, db)
    return db


def tamper(db: Path, *statements: str) -> None:
    with sqlite3.connect(db) as conn:
        for sql in statements:
            conn.execute(sql)


def test_the_untouched_ledger_verifies(ledger):
    with sqlite3.connect(ledger) as conn:
        assert conn.execute("SELECT count(*) FROM patrol_issues").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM score_marks").fetchone() == (2,)
    for args in (("verify",), ("verify", "--deep")):
        result = run("--db", ledger, *args)
        assert result.exit_code == 0, result.stderr


TAMPERING = {
    "forged_approval": ("score_marks", [
        "INSERT INTO score_marks (period, kind, subject, reason, actor, at, event) "
        "VALUES ('2027Q1', 'approve', NULL, NULL, 'P001', '2026-11-26 10:00', 'f00d')"]),
    "flag_removed": ("score_marks", ["DELETE FROM score_marks WHERE kind = 'flag'"]),
    "approved_results_edited": ("score_snapshots", [
        "UPDATE score_snapshots SET snapshot = replace(snapshot, '\"total\"', '\"total \"')"]),
    "approved_results_forged": ("score_snapshots", [
        "INSERT INTO score_snapshots (event, period, snapshot) VALUES ('beef', '2027Q1', '{}')"]),
    "flag_reason_edited": ("score_marks", ["UPDATE score_marks SET reason = '无' WHERE kind = 'flag'"]),
    "link_removed": ("patrol_issues", ["DELETE FROM patrol_issues WHERE rowid = (SELECT min(rowid) FROM patrol_issues)"]),
    "link_forged": ("patrol_issues", ["UPDATE patrol_issues SET patrol = (SELECT max(id) FROM patrols)"
                                      " WHERE rowid = (SELECT min(rowid) FROM patrol_issues)"]),
    "last_event_deleted_head_rewritten": ("score_marks", [
        "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)",
        "UPDATE ledger_meta SET value = (SELECT n || ':' || hash FROM events ORDER BY seq DESC LIMIT 1)"
        " WHERE key LIKE 'head:%'"]),
}


@pytest.mark.parametrize("name", sorted(TAMPERING))
def test_deep_verify_names_the_table(ledger, name):
    table, statements = TAMPERING[name]
    assert run("--db", ledger, "verify").exit_code == 0     # the chain alone cannot see these
    tamper(ledger, *statements)
    result = run("--db", ledger, "verify", "--deep")
    assert result.exit_code == 1, result.stdout
    assert table in result.stderr


def test_a_merge_row_edited_behind_the_ledgers_back(offices, tmp_path):
    bundle = tmp_path / "a.jsonl.gz"
    week_of(offices["A"], "A")
    ok("bundle", "-o", bundle, db=offices["A"])
    ok("merge", bundle, db=offices["D"])
    assert run("--db", offices["D"], "verify", "--deep").exit_code == 0
    tamper(offices["D"], "UPDATE merges SET last_hash = 'beef'")
    result = run("--db", offices["D"], "verify", "--deep")
    assert result.exit_code == 1 and "merges" in result.stderr


def test_verify_runs_sqlites_own_check(ledger):
    with sqlite3.connect(ledger) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'issues_title_idx'"
                            " OR name = 'issues_reported'").fetchone()[0]
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(ledger.read_bytes())
    start = (root - 1) * page
    data[start + 8:start + 200] = bytes(192)   # zero an index page's cells: the table is intact
    ledger.write_bytes(bytes(data))
    result = run("--db", ledger, "verify")
    assert result.exit_code == 1
    assert "SQLite" in result.stderr


def test_verify_deep_names_damage_found_beside_the_replay(ledger):
    """--deep runs integrity_check on a second connection while the chain is walked and the rows
    replayed; the damage it finds is still the answer (the replay's own result is dropped)."""
    with sqlite3.connect(ledger) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'issues_reported'").fetchone()[0]
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(ledger.read_bytes())
    data[(root - 1) * page + 8:(root - 1) * page + 200] = bytes(192)
    ledger.write_bytes(bytes(data))
    result = run("--db", ledger, "verify", "--deep", "--json")
    assert result.exit_code == 1
    assert result.json()["break"]["kind"] == "integrity" and result.json()["integrity"] != "ok"
