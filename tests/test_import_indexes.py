"""A large import into a ledger holding fewer issues makes the issues' indexes once its rows are
written (`transfer._issue_indexes`, `bulk.indexes_put_off`): the same rows, ids, routes and
events, the same schema (each index with its own SQL, used by the queries after), routed in a
second process or not; a refused or interrupted import leaves the ledger as it was, indexes and all."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.helpers import dump, run, tables_put_off
from tests.test_import_routing import STOP_WHILE_ROUTED, _Clock, _copy, _sheet
from tests.test_issue_transfer import sheet_rows, write_xlsx


@pytest.fixture
def put_off(monkeypatch):
    """Small batches, a fixed clock, indexes put off from 1 row on; the imports that did, counted."""
    from gridctl.issues import transfer
    from gridctl.ledger import recorder

    monkeypatch.setattr(transfer, "BATCH", 7)
    monkeypatch.setattr(transfer, "PUT_OFF_FROM", 1)
    monkeypatch.setattr(recorder, "datetime", _Clock)
    return transfer, tables_put_off(monkeypatch, transfer)


def rows(db: Path) -> list:
    """Every table's rows, in order."""
    with closing(sqlite3.connect(db)) as conn:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return [(table, sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)) for table in tables]


def schema(db: Path) -> list:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


@pytest.mark.parametrize("apart", [1, 10**9], ids=["routed", "one-process"])
def test_issue_indexes_made_at_the_end_give_the_same_ledger(loaded, tmp_path, db, monkeypatch, put_off, apart):
    transfer, done = put_off
    monkeypatch.setattr(transfer, "ROUTED_APART", apart)
    sheet = _sheet(db, tmp_path / "big.xlsx", 60)
    made, kept = tmp_path / "made.db", tmp_path / "kept.db"
    _copy(db, made)
    _copy(db, kept)
    once = run("--db", made, "issue", "import", sheet, "--json")
    assert once.exit_code == 0 and once.json()["imported"] == 60, once.stderr
    assert done == ["issues"]
    monkeypatch.setattr(transfer, "PUT_OFF_FROM", 10**12)
    up = run("--db", kept, "issue", "import", sheet, "--json")
    assert done == ["issues"]
    assert once.stdout == up.stdout                 # ids and possible duplicates alike
    assert rows(made) == rows(kept)
    assert schema(made) == schema(kept) == schema(db)
    with closing(sqlite3.connect(made)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        plan = " ".join(str(step) for step in conn.execute("EXPLAIN QUERY PLAN SELECT id FROM issues WHERE ref = 'x'"))
        assert "issues_ref" in plan
    assert run("--db", made, "verify", "--deep").exit_code == 0


def test_a_ledger_holding_as_many_issues_keeps_its_indexes_up(loaded, tmp_path, db, monkeypatch, put_off):
    transfer, done = put_off
    monkeypatch.setattr(transfer, "ROUTED_APART", 1)
    assert run("issue", "import", _sheet(db, tmp_path / "first.xlsx", 30), "--json").json()["imported"] == 30
    assert done == ["issues"]
    more = write_xlsx(tmp_path / "more.xlsx", sheet_rows(50)[30:])    # 20 rows to write, 30 issues held
    assert run("issue", "import", more, "--json").json()["imported"] == 20
    assert done == ["issues"]


def test_a_refused_import_with_its_issue_indexes_put_off_leaves_the_ledger_as_it_was(
        loaded, tmp_path, db, monkeypatch, put_off):
    """Refused by a row the second process meets after four batches of rows were recorded (the
    indexes dropped by then): nothing written, the indexes as they were."""
    transfer, done = put_off
    monkeypatch.setattr(transfer, "ROUTED_APART", 1)
    rows_ = sheet_rows(40)
    rows_[30][1] = "乱扔垃圾"               # an unknown category
    before, made = dump(db), schema(db)
    refused = run("issue", "import", write_xlsx(tmp_path / "bad.xlsx", rows_))
    assert refused.exit_code == 1 and "乱扔垃圾" in refused.stderr, refused.stderr
    assert done == ["issues"]
    assert dump(db) == before and schema(db) == made


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals a process")
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_ctrl_c_with_the_issue_indexes_put_off_leaves_the_ledger_as_it_was(loaded, tmp_path, db, sig):
    before, made = dump(db), schema(db)
    sheet = write_xlsx(tmp_path / "stopped.xlsx", sheet_rows(40))
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db), GRIDCTL_USER="P001", STOP_SIGNAL=sig)
    script = STOP_WHILE_ROUTED.replace("transfer.ROUTED_APART = 1\n", "transfer.ROUTED_APART = 1\ntransfer.PUT_OFF_FROM = 1\n")
    done = subprocess.run([sys.executable, "-c", script, "issue", "import", str(sheet)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == {"SIGINT": 130, "SIGTERM": 143}[sig], done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert dump(db) == before and schema(db) == made
    assert run("issue", "import", sheet, "--json").json()["imported"] == 40
    assert schema(db) == made
