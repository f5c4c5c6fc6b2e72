"""Opening a ledger: WAL, foreign keys, migrations at every earlier version, newer refused."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from gridctl.errors import LedgerError
from gridctl.ledger import open_ledger
from gridctl.ledger.db import applied_migrations, migrate
from gridctl.ledger.names import NAMES
from gridctl.ledger.schema import migrations
from tests.helpers import run


def test_names_match_the_registered_migrations():
    db = Database(memory=True)
    assert [m.name for m in migrations.pending(db)] == list(NAMES)


def test_open_sets_wal_busy_timeout_and_foreign_keys(db):
    conn = open_ledger(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert applied_migrations(conn) == list(NAMES)
    finally:
        conn.close()


@pytest.mark.parametrize("stop_before", list(NAMES))
def test_a_ledger_at_every_earlier_version_upgrades(db, stop_before, example):
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, stop_before=stop_before)
    assert len(applied_migrations(conn)) == NAMES.index(stop_before)
    conn.close()
    result = run("load", example)
    assert result.exit_code == 0, result.stderr
    conn = open_ledger(db)
    assert applied_migrations(conn) == list(NAMES)
    assert conn.execute("SELECT count(*) FROM grids").fetchone()[0] == 67
    conn.close()


def test_a_ledger_from_a_newer_gridctl_is_refused_unchanged(db):
    open_ledger(db).close()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('gridctl', 'm999_future', '2030-01-01')")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(LedgerError, match="m999_future"):
        open_ledger(db)
    result = run("grid", "tree")
    assert result.exit_code == 1
    assert "更新版本" in result.stderr
    assert db.read_bytes() == before


def test_a_file_that_is_not_a_ledger_is_refused(db):
    db.write_text("these are not the rows you are looking for " * 100)
    result = run("grid", "tree")
    assert result.exit_code == 1
    assert "SQLite" in result.stderr


def test_init_records_the_office_node_and_refuses_another(db):
    result = run("init", "--node", "410105001", "--json")
    assert result.json() == {"db": str(db), "node": "410105001", "created": True}
    again = run("init", "--json").json()
    assert again["created"] is False and again["node"] == "410105001"
    other = run("init", "--node", "410108001")
    assert other.exit_code == 1 and "410105001" in other.stderr
    bad = run("init", "--node", "41")
    assert bad.exit_code == 1


def test_init_defaults_to_the_city_platform(db):
    result = run("init")
    assert result.exit_code == 0 and "市级平台" in result.stdout


def test_transaction_commits_rolls_back_and_nests(db):
    from gridctl.ledger import ledger, transaction

    with ledger(db) as conn:
        with transaction(conn):
            conn.execute("INSERT INTO ledger_meta VALUES ('a', '1')")
        with pytest.raises(ZeroDivisionError), transaction(conn):
            conn.execute("INSERT INTO ledger_meta VALUES ('b', '1')")
            1 / 0
        with transaction(conn):
            conn.execute("INSERT INTO ledger_meta VALUES ('c', '1')")
            with pytest.raises(ZeroDivisionError), transaction(conn):
                conn.execute("INSERT INTO ledger_meta VALUES ('d', '1')")
                1 / 0
        keys = {k for (k,) in conn.execute("SELECT key FROM ledger_meta WHERE key IN ('a','b','c','d')")}
        assert keys == {"a", "c"}
        assert not conn.in_transaction
