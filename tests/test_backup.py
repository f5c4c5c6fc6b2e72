"""backup/restore an office can trust, and a demo run that is all or nothing."""

from __future__ import annotations

import os
from contextlib import closing
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE, dump, load_example, run

GRID = "金水区/经八路街道/黄河路社区/1号楼院"

WRITER = """
import sys
from gridctl.issues.service import NewIssue, add_issue
db, count = sys.argv[1], int(sys.argv[2])
print("started", flush=True)
for i in range(count):
    add_issue(db, NewIssue("410105001001001", "非法建设", "patrol", f"楼顶违建 {i}"), actor="P007",
              at=f"2026-11-2{1 + i // 1000} {9 + (i // 60) % 10:02d}:{i % 60:02d}")
"""


def events(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]


def issues(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM issues").fetchone()[0]


@pytest.fixture
def city(db, templates) -> Path:
    """The example city loaded as of 2026-11-26 (conftest's `loaded` template, copied)."""
    templates.copy("loaded", load_example, db)
    return db


def test_backup_while_another_clerk_writes_then_restore(city, tmp_path):
    # 150 adds, ~0.8 s of writing; the three backups take ~0.15 s from "started"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(city), "150"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=os.getcwd()))
    assert writer.stdout.readline().strip() == "started"
    copies = []
    try:
        for n in range(3):                                   # while the writer runs
            copy = tmp_path / f"backup-{n}.db"
            result = run("--db", city, "backup", copy)
            assert result.exit_code == 0, result.stderr
            copies.append(copy)
    finally:
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
    for copy in copies:                                      # each a whole, verified snapshot
        assert run("--db", copy, "verify", "--deep").exit_code == 0
        assert not copy.with_name(copy.name + "-wal").exists()
    assert events(copies[0]) <= events(copies[-1]) <= events(city) and issues(city) == 150
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    # later work is lost on restore when asked for (--force): the ledger becomes the backup, verified
    restored = run("--db", city, "restore", copies[0], "--force")
    assert restored.exit_code == 0, restored.stderr
    assert events(city) == events(copies[0])
    assert run("--db", city, "verify", "--deep").exit_code == 0
    assert run("--db", city, "--by", "P007", "issue", "add", "-g", GRID, "-c", "非法建设", "-s", "巡查发现",
               "-t", "恢复后登记", "--at", "2026-11-25 09:00").exit_code == 0


def test_restore_refuses_a_damaged_or_foreign_backup(city, tmp_path):
    assert run("--by", "P007", "issue", "add", "-g", GRID, "-c", "非法建设", "-s", "巡查发现", "-t", "楼顶",
               "--at", "2026-11-20 09:00").exit_code == 0
    good = tmp_path / "good.db"
    assert run("backup", good).exit_code == 0
    before = dump(city)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a ledger at all" * 100)
    half = tmp_path / "half.db"
    half.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    edited = tmp_path / "edited.db"
    shutil.copy(good, edited)
    with closing(sqlite3.connect(edited)) as conn, conn:
        conn.execute("UPDATE events SET note = 'forged' WHERE n = 1")
    other = tmp_path / "other.db"
    assert run("--db", other, "init", "--node", "410105001").exit_code == 0
    assert run("--db", other, "load", EXAMPLE, "--as-of", "2026-11-26").exit_code == 0
    for bad in (garbage, half, edited, other, tmp_path / "missing.db"):
        result = run("restore", bad)
        assert result.exit_code == 1, (bad, result.stdout, result.stderr)
        assert "内部错误" not in result.stderr
        assert dump(city) == before


def test_a_backup_that_is_not_sqlite_or_is_cut_short_is_said_in_the_clerk_s_words(city, tmp_path):
    """SQLite's own English followed 未通过核验, 未使用: (`file is not a database`, `database disk image is
    malformed`)."""
    good = tmp_path / "good.db"
    assert run("backup", good).exit_code == 0
    garbage, head = tmp_path / "garbage.db", tmp_path / "head.db"
    garbage.write_bytes(b"\x00\xffnot a ledger at all" * 100)    # bytes of no kind (a text file is said as one)
    head.write_bytes(good.read_bytes()[:8192])
    for bad, words in ((garbage, "不是数据库文件"), (head, "数据库文件已损坏")):
        result = run("restore", bad)
        assert result.exit_code == 1 and f"未通过核验, 未使用: {words}" in result.stderr, result.stderr
        assert "database" not in result.stderr, result.stderr


def test_restore_refuses_an_empty_file_or_another_program_s_database(city, tmp_path):
    """Either passed verification as an empty ledger and replaced the live one: exit 0, `核验无误: 0 条事件`,
    every issue gone."""
    assert run("--by", "P007", "issue", "add", "-g", GRID, "-c", "非法建设", "-s", "巡查发现", "-t", "楼顶",
               "--at", "2026-11-20 09:00").exit_code == 0
    before = dump(city)
    empty, foreign = tmp_path / "empty.db", tmp_path / "foreign.db"
    empty.write_bytes(b"")
    with closing(sqlite3.connect(foreign)) as conn, conn:
        conn.execute("CREATE TABLE photos (name TEXT)")
    for bad in (empty, foreign):
        result = run("restore", bad)
        assert result.exit_code == 1 and "不是 gridctl 台账" in result.stderr, (bad, result.stdout, result.stderr)
        assert dump(city) == before


def test_restore_of_a_folder_says_it_is_a_folder(city, tmp_path):
    """`restore 备份/` said `台账文件不存在` (the folder exists: it is not a file)."""
    folder = tmp_path / "备份"
    folder.mkdir()
    before = dump(city)
    for lang, words in (("zh", f"{folder} 是文件夹, 不是备份文件; 请给出备份文件本身"),
                        ("en", f"{folder} is a folder, not a backup file; give the backup file itself")):
        result = run("--lang", lang, "restore", folder)
        assert result.exit_code == 1 and words in result.stderr, result.stderr
        assert "不存在" not in result.stderr and "no ledger file" not in result.stderr
    assert dump(city) == before


def test_restore_of_a_pipe_a_device_or_a_looping_link_says_what_is_there(city, tmp_path):
    """`restore /dev/null`, a pipe or a link that loops said `台账文件不存在`: something is there,
    but not a file. The pipe is never opened (it would wait for a writer)."""
    import os

    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    before = dump(city)
    for source, chinese, english in ((pipe, "不是普通文件 (设备或管道等)", "is not a plain file (a device, a pipe"),
                                     (Path("/dev/null"), "不是普通文件", "is not a plain file"),
                                     (tmp_path / "loop1", "是循环的符号链接", "is a symbolic link that loops")):
        for lang, words in (("zh", chinese), ("en", english)):
            result = run("--lang", lang, "restore", source)
            assert result.exit_code == 1 and f"{source} {words}" in result.stderr, result.stderr
            assert "不存在" not in result.stderr and "no ledger file" not in result.stderr
    assert run("restore", tmp_path / "none.db").stderr.startswith("错误: 台账文件不存在")
    assert dump(city) == before


def test_backup_onto_the_ledger_or_its_key_is_refused(city, tmp_path):
    """`backup l.db.key` wrote the copy over the ledger's key file (the 身份证号 could no longer be
    matched); `backup l.db` onto the ledger itself."""
    key = Path(f"{city}.key")
    key.write_bytes(b"k" * 32)
    before = dump(city)
    for target in (city, key, Path(f"{city}-wal"), city.parent / "." / city.name):
        result = run("backup", target)
        assert result.exit_code == 1 and "不能备份到这里" in result.stderr, (target, result.stdout, result.stderr)
    assert key.read_bytes() == b"k" * 32 and dump(city) == before


def test_a_file_name_of_only_zero_width_characters_is_refused_as_blank(city, tmp_path):
    """`backup $'\u200b'` (a zero-width space pasted alone) wrote a backup of that invisible name,
    exit 0, where `backup ''` is refused as no file name; a report's `-o` of `\u200b.xlsx` likewise.
    Refused as a blank name, zh and en, nothing written; a name with letters beside it is a name."""
    out = tmp_path / "out"
    out.mkdir()
    result = run("backup", out / "\u200b")
    assert result.exit_code == 1
    assert "文件名只有看不见的零宽字符 (U+200B), 看上去是空的, 等于没有给出文件名" in result.stderr, result.stderr
    english = run("--lang", "en", "report", "weekly", "--unit", "经八路街道", "--week", "2026-W47",
                  "-o", out / "\u200b\ufeff.xlsx")
    assert english.exit_code == 1
    assert "--output: the file name holds only zero-width characters (U+200B U+FEFF): it looks blank" in english.stderr
    assert list(out.iterdir()) == []
    assert run("backup", out / "备份\u200b.db").exit_code == 0


def test_backup_refuses_a_target_it_cannot_write(city, tmp_path):
    for target in (tmp_path / "nodir" / "b.db", tmp_path):
        result = run("backup", target)
        assert result.exit_code == 1 and "内部错误" not in result.stderr


def test_a_second_demo_run_is_refused_before_anything_is_written(tmp_path):
    db = tmp_path / "demo.db"
    first = run("demo", "--seed", "2", "-o", tmp_path / "a", "--db", db, "--issues", "300")
    assert first.exit_code == 0, first.stderr
    before = dump(db)
    again = run("demo", "--seed", "3", "-o", tmp_path / "b", "--db", db, "--issues", "300")
    assert again.exit_code == 1 and "seed 2" in again.stderr
    assert dump(db) == before and not (tmp_path / "b").exists()


def test_a_demo_run_that_dies_leaves_no_issues(tmp_path, monkeypatch):
    from gridctl.issues import demo

    db = tmp_path / "demo.db"
    real, calls = demo._life, []

    def dies(*args):
        calls.append(1)
        if len(calls) > 150:
            raise KeyboardInterrupt       # the clerk's Ctrl-C half-way through the year
        return real(*args)

    monkeypatch.setattr(demo, "_life", dies)
    monkeypatch.setattr(demo, "BATCH", 100)       # several flushes before the interruption
    with pytest.raises(KeyboardInterrupt):
        demo.fill_issues(_loaded_demo(tmp_path, db), 300, 2)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM issues").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (0,)
    monkeypatch.undo()
    assert run("demo", "--seed", "2", "-o", tmp_path / "again", "--db", db, "--issues", "300").exit_code == 0


def _loaded_demo(tmp_path: Path, db: Path) -> Path:
    assert run("demo", "--seed", "2", "-o", tmp_path / "city", "--db", db).exit_code == 0
    return db


def test_restore_over_a_ledger_that_is_no_longer_sqlite(city, tmp_path):
    good = tmp_path / "good.db"
    assert run("backup", good).exit_code == 0
    for suffix in ("", "-wal", "-shm"):
        Path(f"{city}{suffix}").unlink(missing_ok=True)
    city.write_bytes(os.urandom(50_000))
    result = run("restore", good)
    assert result.exit_code == 0, result.stderr
    assert run("verify", "--deep").exit_code == 0
    assert [p for p in tmp_path.iterdir() if ".damaged-" in p.name]      # the broken file is kept


def test_backup_of_a_ledger_edited_behind_its_back_is_refused(city, tmp_path):
    assert run("--by", "P007", "issue", "add", "-g", GRID, "-c", "非法建设", "-s", "巡查发现", "-t", "楼顶",
               "--at", "2026-11-20 09:00").exit_code == 0
    with closing(sqlite3.connect(city)) as conn, conn:
        conn.execute("UPDATE issues SET title = '改过的'")
    result = run("backup", tmp_path / "b.db")
    assert result.exit_code == 1 and "未写备份" in result.stderr and str(city) in result.stderr
    assert list(tmp_path.glob("*b.db*")) == []


def test_a_ledger_that_is_not_sqlite_is_not_backed_up(tmp_path):
    """Found by QA: `backup` of a damaged ledger ended in exit 3; it is a refusal naming the file."""
    damaged = tmp_path / "damaged.db"
    damaged.write_text("hello")
    result = run("--db", damaged, "backup", tmp_path / "b.db")
    assert result.exit_code == 1 and "不是 gridctl 台账" in result.stderr, result.stderr
    assert not (tmp_path / "b.db").exists() and damaged.read_text() == "hello"


def test_restore_of_the_ledger_from_itself_is_said_as_that(city):
    """`restore l.db` with `--db l.db` said 已从 l.db 恢复台账 l.db (核验无误 …), exit 0, having restored
    nothing: a slip for the backup's name, said as done. It is refused as the ledger itself."""
    before = dump(city)
    zh = run("restore", city)
    assert zh.exit_code == 1 and f"{city} 就是正在使用的台账本身 (--db), 不是备份" in zh.stderr, zh.stderr
    en = run("--lang", "en", "restore", city)
    assert en.exit_code == 1 and f"{city} is the ledger in use itself (--db), not a backup" in en.stderr, en.stderr
    assert "备份" not in en.stderr and "backups/jingbalu-2026-11-26.db" in en.stderr, en.stderr  # its example in English
    assert dump(city) == before


def test_restore_over_events_the_backup_lacks_needs_force(city, tmp_path):
    """`restore` of a backup older than the ledger (a file picked by mistake, yesterday's for
    today's) replaced it without a word: the issue and patrol recorded since were gone, exit 0.
    Refused now, saying how many events would be lost and when the latest was recorded, nothing
    changed; `--force` restores and says what it dropped. A backup holding all the ledger's events
    (just made, or newer) restores as before."""
    good = tmp_path / "good.db"
    assert run("backup", good).exit_code == 0
    assert run("restore", good).exit_code == 0                        # nothing lost: as before
    assert run("--by", "P007", "issue", "add", "-g", GRID, "-c", "非法建设", "-s", "巡查发现", "-t", "备份之后",
               "--at", "2026-11-20 09:00").exit_code == 0
    assert run("--by", "P007", "patrol", "add", "-p", "P007", "-g", GRID, "-d", "2026-11-19").exit_code == 0
    before, since = dump(city), events(city) - events(good)
    assert since >= 2
    zh = run("restore", good)
    assert zh.exit_code == 1, zh.stderr
    assert f"台账 {city} 有 {since} 条事件不在备份 {good} 中 (最近一条记录于 " in zh.stderr, zh.stderr
    assert "恢复会丢掉它们; 确要回到备份时的状态请加 --force" in zh.stderr and "台账未改动" in zh.stderr
    en = run("--lang", "en", "restore", good, "--json")
    assert en.exit_code == 1 and en.json()["error"]["code"] == "backup.would_lose"
    assert f"the ledger {city} holds {since} events the backup {good} does not" in en.stderr
    assert dump(city) == before
    forced = run("restore", good, "--force")
    assert forced.exit_code == 0 and f"丢弃了台账中不在备份里的 {since} 条事件" in forced.stdout, forced.stdout
    assert events(city) == events(good) and run("verify", "--deep").exit_code == 0
    assert run("--by", "P007", "issue", "add", "-g", GRID, "-c", "非法建设", "-s", "巡查发现", "-t", "另一段历史",
               "--at", "2026-11-21 09:00").exit_code == 0
    newer = tmp_path / "newer.db"
    assert run("backup", newer).exit_code == 0
    assert run("restore", good, "--force").exit_code == 0
    assert run("restore", newer, "--json").json()["dropped"] == 0       # the backup holds more: nothing lost
