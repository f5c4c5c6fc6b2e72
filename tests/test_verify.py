"""`gridctl verify`: an intact chain passes; an edit, deletion or insertion is named."""

from __future__ import annotations

import sqlite3

import pytest

from tests.helpers import run

BLOCK = "410105001001001"


@pytest.fixture
def ledger_with_events(loaded, db):
    for n in range(3):
        result = run("--by", "P007", "issue", "add", "-g", BLOCK, "-c", "环境卫生", "-s", "patrol",
                     "-t", f"垃圾{n}", "--at", f"2026-11-16 09:0{n}")
        assert result.exit_code == 0, result.stderr
    run("issue", "accept", "1", "--at", "2026-11-16 10:00")
    return db


def sql(db, statement, *params):
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute(statement, params)
    conn.close()


def test_intact_chain_passes_with_a_count(ledger_with_events):
    result = run("verify")
    assert result.exit_code == 0
    assert "4 条事件" in result.stdout
    assert run("verify", "--json").json()["events"] == 4


def test_empty_ledger_verifies(db):
    assert run("init").exit_code == 0
    assert run("verify").exit_code == 0


def test_edited_event_is_named(ledger_with_events, db):
    sql(db, "UPDATE events SET note = '改过的' WHERE n = 2")
    result = run("verify")
    assert result.exit_code == 1
    assert "第 2 条事件" in result.stderr and "被改动过" in result.stderr
    broken = run("verify", "--json").json()["break"]
    assert broken["kind"] == "edited" and broken["n"] == 2 and broken["subject"] == "4101-2026-00002"


def test_edit_with_recomputed_hash_breaks_the_link(ledger_with_events, db):
    from dataclasses import replace

    from gridctl.ledger.events import EVENT_COLS, Event, event_hash

    conn = sqlite3.connect(db, isolation_level=None)
    row = conn.execute("SELECT office, n, issue, record, action, from_status, to_status, level, actor, "
                       "happened_at, recorded_at, note, details, prev_hash, hash FROM events WHERE n = 2").fetchone()
    forged = replace(Event.of(dict(zip(EVENT_COLS, row))), happened_at="2026-11-15 09:01")
    conn.execute("UPDATE events SET happened_at = ?, hash = ? WHERE n = 2", (forged.happened_at, event_hash(forged)))
    conn.close()
    broken = run("verify", "--json").json()["break"]
    assert broken["kind"] == "relinked" and broken["n"] == 3


def test_deleted_event_is_named(ledger_with_events, db):
    sql(db, "DELETE FROM events WHERE n = 2")
    broken = run("verify", "--json").json()["break"]
    assert broken["kind"] == "missing" and broken["n"] == 2
    assert run("verify").exit_code == 1


def test_deleted_last_event_is_caught(ledger_with_events, db):
    sql(db, "DELETE FROM events WHERE n = 4")
    broken = run("verify", "--json").json()["break"]
    assert broken["kind"] == "truncated" and broken["n"] == 4


def test_inserted_event_is_named(ledger_with_events, db):
    sql(db, """INSERT INTO events (office, n, issue, record, action, from_status, to_status, level, actor,
               happened_at, recorded_at, note, details, prev_hash, hash)
               SELECT office, 5, issue, record, 'close', 'accepted', 'closed', level, actor, happened_at,
                      recorded_at, note, details, hash, hash FROM events WHERE n = 4""")
    broken = run("verify", "--json").json()["break"]
    assert broken["kind"] in ("inserted", "edited") and broken["n"] == 5
    assert run("verify").exit_code == 1


def test_deep_replays_the_projection(ledger_with_events, db):
    result = run("verify", "--deep", "--json").json()
    assert result["ok"] and result["projection"] == {"issues": 3, "records": 0, "register": 0, "mismatch": None}
    assert "3 个问题" in run("verify", "--deep").stdout
    sql(db, "UPDATE issues SET status = 'closed' WHERE seq = 2")
    assert run("verify").exit_code == 0                  # the chain itself is intact
    deep = run("verify", "--deep")
    assert deep.exit_code == 1
    assert "4101-2026-00002" in deep.stderr and "“状态” 按事件应为 已上报, 台账中为 已结案" in deep.stderr, deep.stderr


def test_deep_finds_a_deleted_projection_row(ledger_with_events, db):
    sql(db, "DELETE FROM issues WHERE seq = 3")
    mismatch = run("verify", "--deep", "--json").json()["projection"]["mismatch"]
    assert mismatch["issue"] == "4101-2026-00003" and mismatch["field"] == "id"


def test_verify_counts_its_stages_on_a_terminal(loaded, monkeypatch):
    import sys

    from rich.console import Console

    from gridctl.cli import render

    monkeypatch.setattr(render, "quiet", lambda as_json=False: as_json)
    monkeypatch.setattr(render, "console", lambda stderr=False: Console(
        file=sys.stderr, force_terminal=True, width=100, highlight=False))
    deep = run("verify", "--deep")
    assert deep.exit_code == 0 and "6/6" in deep.stderr
    assert "2/2" in run("verify").stderr


def test_a_marker_in_place_of_null_is_named(ledger_with_events, db):
    """The hashed text writes NULL as U+001E: a note set to that character hashes as the NULL it
    replaced, so the hash alone would not see the edit. No ledger ever holds the character."""
    from gridctl.ledger.events import verify_chains

    conn = sqlite3.connect(db, isolation_level=None)
    assert conn.execute("SELECT note FROM events WHERE n = 2").fetchone() == (None,)
    sql(db, "UPDATE events SET note = char(30) WHERE n = 2")
    result = run("verify")
    assert result.exit_code == 1
    assert "第 2 条事件" in result.stderr and "“备注”" in result.stderr and "U+001E" in result.stderr
    assert "note" not in result.stderr
    broken = run("verify", "--json").json()["break"]
    assert broken["kind"] == "marked" and broken["n"] == 2 and broken["field"] == "note"
    assert broken["subject"] == "4101-2026-00002"
    assert "its “note” holds a separator" in run("--lang", "en", "verify").stderr
    assert run("verify", "--deep").exit_code == 1
    conn.execute("UPDATE events SET note = NULL WHERE n = 2")
    assert verify_chains(conn)[1] is None           # the NULL back: intact, the hash never changed


def test_a_separator_inside_a_field_is_named(ledger_with_events, db):
    """A U+001F inside a field would move the boundary between two hashed fields. The last
    event is rewritten with its hash and the chain's head recomputed, so only the character
    itself tells."""
    from gridctl.ledger.events import EVENT_COLS, event_hash, Event

    conn = sqlite3.connect(db, isolation_level=None)
    row = conn.execute(f"SELECT {', '.join(EVENT_COLS)} FROM events WHERE n = 4").fetchone()
    forged = Event(*row[:8], "P007\x1fP001", *row[9:])
    digest = event_hash(forged)
    conn.execute("UPDATE events SET actor = ?, hash = ? WHERE n = 4", (forged.actor, digest))
    conn.execute("UPDATE ledger_meta SET value = ? WHERE key = ?", (f"4:{digest}", f"head:{row[0]}"))
    conn.close()
    broken = run("verify", "--json").json()["break"]
    assert broken["kind"] == "marked" and broken["n"] == 4 and broken["field"] == "actor"
    result = run("verify")
    assert result.exit_code == 1 and "“操作人”" in result.stderr and "actor" not in result.stderr and "第 4 条事件" in result.stderr


def test_the_three_spellings_of_the_event_hash_agree(ledger_with_events, db):
    """The event hash is spelled three times, each for its own speed: `row_hash` (the recorder's
    and a chain's check, NULL allowed in any column), `plain_row_hash` (merge's line checks: the
    markers refused, a NULL in a NOT NULL column a TypeError) and `verify`'s join of the bytes
    SQLite returns. On the same rows they give the same hash, NULLs included (and NULL is not
    ""), and each refuses, or would be fooled alike by, a field holding a marker. A fourth,
    `bytes_row_hash` (the recorder's for an add whose details it holds as orjson's bytes), gives
    `row_hash` on every row, the details given as their UTF-8 bytes."""
    from gridctl.ledger.events import EVENT_COLS, Marked, bytes_row_hash, plain_row_hash, row_hash

    conn = sqlite3.connect(db, isolation_level=None)
    cols = ", ".join(EVENT_COLS)
    rows = conn.execute(f"SELECT {cols} FROM events ORDER BY n").fetchall()
    office, n, last = rows[-1][0], rows[-1][1], rows[-1][14]
    # one more event with every column that may be NULL left NULL (issue, record, from_status,
    # to_status, level, actor, note), hashed by row_hash and appended as the chain's head
    bare = (office, n + 1, None, None, "period.close", None, None, None, None, "2026-11-16 11:00",
            "2026-11-16T11:00:00", None, "{}", last)
    bare = (*bare, row_hash(bare))
    conn.execute(f"INSERT INTO events ({cols}) VALUES ({', '.join('?' * len(EVENT_COLS))})", bare)
    conn.execute("UPDATE ledger_meta SET value = ? WHERE key = ?", (f"{n + 1}:{bare[14]}", f"head:{office}"))
    conn.execute("UPDATE event_days SET last_seq = (SELECT max(seq) FROM events) WHERE day = '2026-11-16'")  # as written
    for row in [*rows, bare]:
        assert row_hash(row) == plain_row_hash(row) == bytes_row_hash(row, row[12].encode()) == row[14]
    assert any(row[4] == "add" for row in rows) and any(not row[12].isascii() for row in rows)
    assert run("verify").exit_code == 0                 # SQL's join gave every stored hash
    assert run("verify", "--deep").exit_code == 0
    # "" is not NULL, in all three
    emptied = (*bare[:11], "", *bare[12:])
    assert row_hash(emptied) != bare[14] and plain_row_hash(emptied) != bare[14]
    assert bytes_row_hash(emptied, b"{}") != bare[14]
    conn.execute("UPDATE events SET note = '' WHERE n = ?", (n + 1,))
    assert run("verify", "--json").json()["break"]["kind"] == "edited"
    conn.execute("UPDATE events SET note = NULL WHERE n = ?", (n + 1,))
    # a marker in place of each NULL: the plain join hashes it as the NULL (so the hash cannot
    # tell), merge's hash and verify's join refuse it, naming the column
    for i, col in enumerate(EVENT_COLS[:14]):
        if bare[i] is not None:
            continue
        marked = (*bare[:i], "\x1e", *bare[i + 1:])
        assert row_hash(marked) == bytes_row_hash(marked, b"{}") == bare[14]
        with pytest.raises(Marked, match=col):
            plain_row_hash(marked)
        conn.execute(f"UPDATE events SET {col} = char(30) WHERE n = ?", (n + 1,))
        broken = run("verify", "--json").json()["break"]
        assert (broken["kind"], broken["n"], broken["field"]) == ("marked", n + 1, col)
        conn.execute(f"UPDATE events SET {col} = NULL WHERE n = ?", (n + 1,))
    assert run("verify").exit_code == 0
    # a separator inside a field moves a boundary: refused by both checks, whatever the hash says
    shifted = (*bare[:8], "P007\x1f", *bare[9:13], bare[13], None)
    shifted = (*shifted[:14], row_hash(shifted))
    with pytest.raises(Marked, match="actor"):
        plain_row_hash(shifted)
    conn.execute("UPDATE events SET actor = ?, hash = ? WHERE n = ?", (shifted[8], shifted[14], n + 1))
    conn.execute("UPDATE ledger_meta SET value = ? WHERE key = ?", (f"{n + 1}:{shifted[14]}", f"head:{office}"))
    broken = run("verify", "--json").json()["break"]
    assert (broken["kind"], broken["field"]) == ("marked", "actor")
    # a NULL in a column that may not be NULL: row_hash writes the marker, plain_row_hash will not
    with pytest.raises(TypeError):
        plain_row_hash((*bare[:10], None, *bare[11:]))
    assert row_hash((*bare[:10], None, *bare[11:])) != bare[14]
    conn.close()


def test_a_row_that_differs_from_its_events_is_said_in_words(ledger_with_events, db):
    """`verify --deep` named the differing column by its code and showed Python's values:
    `place 按事件应为 None, 台账中为 楼道`, `households …`, `phone 按事件应为 13900003320` (a full phone
    number, which every list masks). Now the column in the clerk's words, an empty value as (空), a
    status as the lists say it, a phone masked; `--json` keeps the code and the values."""
    sql(db, "UPDATE issues SET place = '楼道' WHERE seq = 2")
    zh = run("verify", "--deep")
    assert zh.exit_code == 1, zh.stderr
    assert "4101-2026-00002 的台账行与其事件不符: “地点” 按事件应为 (空), 台账中为 楼道" in zh.stderr, zh.stderr
    assert "None" not in zh.stderr and "place" not in zh.stderr
    en = run("--lang", "en", "verify", "--deep", "--json").json()["projection"]["mismatch"]
    assert en["field"] == "place" and en["events_say"] is None and en["projection_says"] == "楼道"
    assert "“Place” should be (empty) by the events" in en["message"], en["message"]
    sql(db, "UPDATE issues SET place = NULL, phone = '13900000000' WHERE seq = 2")
    said = run("verify", "--deep").stderr
    assert "“联系电话” 按事件应为 (空), 台账中为 139****0000" in said and "13900000000" not in said, said


def test_deep_checks_each_day_s_last_event_against_the_events(ledger_with_events, db):
    """`event_days` (m017: each day's last event, which a report's or a score's "as of" counts up
    to) was not checked: a row edited, deleted or added behind the ledger's back verified clean
    while the reports read the wrong last event. `verify --deep` names the day, in words and in
    both languages, with the seq the events say and the table's; plain `verify` (the chain) is
    not concerned."""
    assert run("verify", "--deep").exit_code == 0
    for damage, day, expected, found in (
            ("UPDATE event_days SET last_seq = last_seq - 1 WHERE day = '2026-11-16'", "2026-11-16", 4, 3),
            ("DELETE FROM event_days WHERE day = '2026-11-16'", "2026-11-16", 4, "(空)"),
            ("INSERT INTO event_days (day, last_seq) VALUES ('2026-11-20', 4)", "2026-11-20", "(空)", 4)):
        copy = db.with_name(f"damaged-{len(damage)}.db")
        copy.write_bytes(db.read_bytes())
        sql(copy, damage)
        assert run("--db", copy, "verify").exit_code == 0
        deep = run("--db", copy, "verify", "--deep")
        assert deep.exit_code == 1, deep.stdout
        assert f"每日末条事件表 event_days 与事件链不符 ({day}): 按事件该日最后一条是 seq {expected}, 表中为 {found}" \
            in deep.stderr, deep.stderr
        english = run("--lang", "en", "--db", copy, "verify", "--deep")
        assert english.exit_code == 1 and f"event_days) does not match the event log ({day})" in english.stderr
        mismatch = run("--db", copy, "verify", "--deep", "--json").json()["projection"]["mismatch"]
        assert mismatch["field"] == "event_days" and mismatch["issue"] == f"event_days: {day}"


def test_a_table_dropped_behind_the_ledger_s_back_is_named_not_an_internal_error(ledger_with_events, db):
    """`DROP TABLE event_days` (or `issues`, `surveys`) outside gridctl, then `verify --deep`: exit 3,
    `内部错误: OperationalError: no such table: …`, from the command whose job is to find damage. It
    is damage, said as such with what to do (exit 1, zh/en/--json)."""
    for table in ("event_days", "issues", "surveys"):
        copy = db.with_name(f"dropped-{table}.db")
        copy.write_bytes(db.read_bytes())
        sql(copy, f"DROP TABLE {table}")
        deep = run("--db", copy, "verify", "--deep")
        assert deep.exit_code == 1, deep.stderr
        assert f"台账文件中缺少表 {table} (在台账之外被删除或改动); 请从备份恢复 (gridctl restore)" in deep.stderr, deep.stderr
        english = run("--lang", "en", "--db", copy, "verify", "--deep")
        assert english.exit_code == 1 and f"the ledger file has no table {table}" in english.stderr, english.stderr
        broken = run("--db", copy, "verify", "--deep", "--json").json()
        assert not broken["ok"] and broken["break"]["kind"] == "integrity"


def test_other_commands_on_a_ledger_missing_a_table_say_it_is_damaged(ledger_with_events, db):
    """`survey list` or `score` on a ledger whose `surveys` table was dropped outside gridctl: exit 3,
    内部错误. Said as a damaged ledger with what to do (exit 1, zh/en)."""
    sql(db, "DROP TABLE surveys")
    for args in (("survey", "list"), ("score", "--quarter", "2026Q4")):
        zh = run(*args)
        assert zh.exit_code == 1, zh.stderr
        assert "已损坏: 缺少 gridctl 需要的表或列 (在台账之外被删除或改动); 请用 gridctl verify --deep 查看缺少什么" in zh.stderr
        en = run("--lang", "en", *args)
        assert en.exit_code == 1 and "a table or column gridctl needs is gone" in en.stderr, en.stderr
