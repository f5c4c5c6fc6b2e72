"""Migrations are append-only, and a ledger made by the oldest released schema upgrades cleanly."""

from __future__ import annotations

import gzip
import hashlib
import inspect
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlite_utils import Database

from gridctl.ledger.schema import migrations
from tests.helpers import EXAMPLE, ok, run

DATA = Path(__file__).parent / "data"

# One digest per applied migration: its source text and the SQL it runs on a fresh ledger.
# A failure here means a committed migration was edited: put the change in a NEW migration.
PINNED = {
    "m001_reference": "96c7d3ea479e8e9dd4726692d70030f657167b7342fac5d2ee752b658360afd3",
    "m002_issue_ledger": "365bb41ad5ee08724fd238b18f234c78cc575330362ede34e068d53de4f0ea04",
    "m003_conduct": "55fbaf5c53051bf9274a219ad10e20c1e8640504fdd48229b0e3943d0f34d602",
    "m004_assessment": "0be7dfd1b8f28709cb07e21523cf9c836f9f9794fc2f8651dae5026b6be81ac8",
    "m005_report_indexes": "5ef986ef5be50a76ceb96fe87706ee90fa78eb9042d13c135eb91f049dbed231",
    "m006_exchange": "7bc53d96d6a8e06dc1d6a52267457a7d0c104dd84069ee6d8e0571ac5679afb7",
    "m007_events_record_repair": "42fc8840a39bb53d9c311d634e485e75b0de5c7c7915a2b1cd4bc1428482c808",
    "m008_register": "55179c1508f090615e9c5b1b91897718ca24f1167218a499f07e1f7b84aecdfd",
    "m009_window_views": "6e4779cf1a6cf02f13480ef997d2c4d9ff9621d3b0a043a96ab6cc5bc69111fd",
    "m010_score_snapshots": "5511e4bed795158d9cab4ee22342d5ef86dd9ba32783c07e5226cd8cea2ab8ce",
    "m011_tally_index": "731029b43128b7aa9c880c11995b1bd7a35e761d639b8e9b2160dfec45aadd12",
    "m012_patrols_made_index": "3e62210a6f26b8f50abe1f25e1aaf2173a3014ae22e99e7bf245d27b124a33c0",
    "m014_index_diet": "3181062b123db6f23c2d23009760d50c44017476dea45025b831001225b58409",
    "m017_event_days": "9c71e41b53dc578f3f3e6ba4dd77469c13f9d30cda9991269802234a37ba9bce",
    "m020_one_callback_a_closing": "09781d70b10babc3f2ccd464cf5773b4a226539e963813de6d79aea5893a1506",
    "m024_household_address_key": "46cfdf4752eca52840146c6757f443d8fc5e441aba2c380ec394f898b5fb87b8",
    "m025_open_due_two_statuses": "2a9d7d635bf33a5ca146efde84a9f3c0b325f84229eebc912d74cd217f1765e8",
    "m026_issue_text_without_sizes": "a3172dc5845965e5f69544e47ad70fb6d552c1d7eaa7c660f672c1bb0acbaedf",
    "m027_household_address_key_folded": "12f6f34eee322858465d41a9a878bb855fee8bef96025bf64748b340afef6719",
}

_WRITES = ("CREATE", "ALTER", "INSERT", "DROP", "UPDATE", "DELETE")


def _digests() -> dict[str, str]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    db, digests = Database(conn), {}
    for migration in migrations._migrations:
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        migration.fn(db)
        conn.set_trace_callback(None)
        text = inspect.getsource(migration.fn) + "\n".join(
            s for s in statements if s.lstrip().upper().startswith(_WRITES))
        digests[migration.name] = hashlib.sha256(text.encode()).hexdigest()
    return digests


def test_applied_migrations_are_never_edited():
    assert _digests() == PINNED


def _old_ledger(tmp_path) -> Path:
    path = tmp_path / "old.db"
    with gzip.open(DATA / "ledger_df9fca2.db.gz") as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def test_ledger_from_before_events_record_upgrades(tmp_path):
    path = _old_ledger(tmp_path)
    with sqlite3.connect(path) as conn:
        assert "record" not in {c[1] for c in conn.execute("PRAGMA table_info(events)")}
    ok = run("--db", path, "verify", "--deep")
    assert ok.exit_code == 0, ok.stderr
    assert "11" in ok.stdout
    moved = run("--db", path, "--by", "P007", "issue", "accept", "3", "--at", "2026-06-04 10:00")
    assert moved.exit_code == 0, moved.stderr
    patrol = run("--db", path, "--by", "P007", "patrol", "add", "-p", "P007", "--grid", "黄河路社区/1号楼院",
                 "--date", "2026-06-04", "--households", "12")
    assert patrol.exit_code == 0, patrol.stderr
    again = run("--db", path, "verify", "--deep")
    assert again.exit_code == 0, again.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM ledger_meta WHERE key = 'legacy_hash:4101'").fetchone() == ("11",)
        assert conn.execute("SELECT count(*) FROM events WHERE record IS NOT NULL").fetchone() == (1,)


def test_an_edited_legacy_event_is_still_caught(tmp_path):
    path = _old_ledger(tmp_path)
    assert run("--db", path, "verify").exit_code == 0
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE events SET note = 'forged' WHERE n = 3")
    broken = run("--db", path, "verify")
    assert broken.exit_code == 1


def test_upgraded_ledger_hands_up_to_a_new_one(tmp_path):
    path = _old_ledger(tmp_path)
    bundle = tmp_path / "up.jsonl.gz"
    assert run("--db", path, "bundle", "-o", bundle).exit_code == 0
    upper = tmp_path / "upper.db"
    assert run("--db", upper, "init", "--node", "410105").exit_code == 0
    assert run("--db", upper, "load", EXAMPLE, "--as-of", "2026-06-01").exit_code == 0
    merged = run("--db", upper, "merge", bundle)
    assert merged.exit_code == 0, merged.stderr
    verified = run("--db", upper, "verify", "--deep")
    assert verified.exit_code == 0, verified.stderr



def test_the_open_index_made_again_over_two_statuses_lists_the_same_issues(fortnight, db):
    """m025: a ledger whose `issues_open_due` still has m002's four statuses gets the two-status
    index, and its open and overdue lists (the queries that read it) hold the issues that m002's
    condition gives."""
    as_of = "2026-11-20 18:00"
    open_ = "status IN ('reported', 'accepted', 'dispatched', 'handled')"
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DROP INDEX issues_open_due")
        conn.execute(f"CREATE INDEX issues_open_due ON issues(due) WHERE {open_}")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm025_open_due_two_statuses'")
        assert {"closed", "reported"} <= {s for (s,) in conn.execute("SELECT status FROM issues")}
        held = [sorted(i for (i,) in conn.execute(f"SELECT id FROM issues WHERE {open_}{also}", params))
                for also, params in (("", ()), (" AND due < ?", (as_of,)))]
    listed = [sorted(i["id"] for i in ok("issue", "list", *args, "--as-of", as_of, "--limit", "100000"))
              for args in (("--open",), ("--overdue",))]
    assert listed == held and held[1]
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT sql FROM sqlite_master WHERE name = 'issues_open_due'").fetchone() == (
            "CREATE INDEX issues_open_due ON issues(due) WHERE status NOT IN ('closed', 'rejected')",)


def test_the_search_index_made_again_without_sizes_finds_the_same_issues(fortnight, db):
    """m026: `issue_text` without its table of token counts finds what it found, in the same order,
    by MATCH (three characters or more) and by LIKE (one or two)."""
    words = ["问", "问题", "题1", "别处", "问题1", "题10", "问题11", "不存在"]

    def found(conn) -> list[list[str]]:
        return [[i for (i,) in conn.execute("SELECT issue FROM issue_text WHERE issue_text MATCH ?",
                                            ('"' + word + '"',))] if len(word) >= 3 else
                [i for (i,) in conn.execute("SELECT issue FROM issue_text WHERE title LIKE ? OR place LIKE ? "
                                            "OR notes LIKE ?", (f"%{word}%",) * 3)] for word in words]

    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DROP TABLE issue_text")
        conn.execute("""CREATE VIRTUAL TABLE issue_text USING fts5(
            issue UNINDEXED, title, place, notes, tokenize = 'trigram')""")
        conn.execute("INSERT INTO issue_text (rowid, issue, title, place, notes) SELECT num, id, title, place, "
                     "(SELECT group_concat(note, ' ') FROM events e WHERE e.issue = issues.id) FROM issues")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm026_issue_text_without_sizes'")
        before = found(conn)
    assert sum(map(bool, before)) >= 4
    listed = [[i["id"] for i in ok("issue", "search", word, "--limit", "1000")] for word in words]
    assert [sorted(ids) for ids in listed] == [sorted(ids) for ids in before]
    with closing(sqlite3.connect(db)) as conn:
        assert found(conn) == before
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'issue_text%'")}
        assert "issue_text_docsize" not in names and "issue_text_sized" not in names and "issue_text_content" in names
