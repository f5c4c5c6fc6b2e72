"""File-system faults get a plain message and exit 1, never a partial file or a changed ledger:
a missing folder, a folder for a file, a read-only folder or ledger, a full disk, a busy ledger."""

from __future__ import annotations

import errno
import gc
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE, FORTNIGHT_BLOCKS, FORTNIGHT_CATEGORIES, dump, run

GRID = "金水区/经八路街道/黄河路社区/1号楼院"
ADD = ("--by", "P007", "issue", "add", "-g", GRID, "-c", "非法建设", "-s", "巡查发现", "-t", "楼顶", "--force")
ROOT = os.geteuid() == 0


def _city(db: Path) -> None:
    assert run("--db", db, "load", EXAMPLE, "--as-of", "2026-11-26").exit_code == 0
    assert run("--db", db, *ADD, "--at", "2026-11-20 09:00").exit_code == 0


@pytest.fixture
def city(db, templates) -> Path:
    """The example city and one issue (a copy of a ledger built once per run)."""
    templates.copy("faults_city", _city, db)
    return db


def refused(*args, words=()) -> str:
    result = run(*args)
    said = result.stdout + result.stderr
    assert result.exit_code == 1, said
    assert "内部错误" not in said and "Traceback" not in said
    for word in words:
        assert word in said, said
    return said


OUTPUTS = {
    "export": ("issue", "export", "-o"),
    "weekly": ("report", "weekly", "-u", "金水区", "--week", "2026-W47", "-o"),
    "bundle": ("bundle", "-o"),
    "score": ("score", "-q", "2026Q4", "-o"),
}


@pytest.mark.parametrize("command", sorted(OUTPUTS))
def test_output_into_a_missing_folder_or_onto_a_folder(city, tmp_path, command):
    suffix = ".jsonl.gz" if command == "bundle" else ".xlsx"
    refused(*OUTPUTS[command], tmp_path / "no" / f"out{suffix}", words=("不存在",))
    (tmp_path / f"dir{suffix}").mkdir()
    refused(*OUTPUTS[command], tmp_path / f"dir{suffix}", words=("是文件夹",))
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("ledger.db")) == ["dir" + suffix]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="no /proc here")
def test_output_into_proc_is_said_as_a_folder_where_no_file_can_be_made(city):
    """`-o /proc/x.xlsx` was said as 文件或文件夹不存在: /proc (ENOENT from making a file in a folder
    that exists): now as a folder in which no file can be made, in both languages."""
    refused("issue", "export", "-o", "/proc/x.xlsx", words=("/proc 中不能新建文件", "/proc/x.xlsx"))
    english = run("--lang", "en", "issue", "export", "-o", "/proc/x.csv")
    assert english.exit_code == 1 and "no file can be made in the folder /proc" in english.stderr, english.stderr


def test_output_into_a_read_only_folder(city, tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    if ROOT:  # root writes anywhere: let the folder look read-only to gridctl
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == folder else real(p, mode, **kw))
    else:
        folder.chmod(0o555)
    refused("issue", "export", "-o", folder / "x.xlsx", words=("没有写权限",))
    assert list(folder.iterdir()) == []


def test_disk_full_while_writing_leaves_no_partial_file(city, tmp_path, monkeypatch):
    from gridctl.issues import transfer

    target = tmp_path / "issues.csv"
    target.write_text("the old export\n", encoding="utf-8")

    def full(handle, header, rows):
        handle.write("网格编码,问题类别\n" * 100)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(transfer, "write_csv", full)
    refused("issue", "export", "-o", target, words=("磁盘已满",))
    assert target.read_text(encoding="utf-8") == "the old export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_file_size_limit_mid_write_leaves_no_partial_file(city, tmp_path):
    """A real process whose writes stop at 4 KiB (RLIMIT_FSIZE): EFBIG half-way through."""
    target = tmp_path / "out.xlsx"

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run([sys.executable, "-m", "gridctl", "--db", city, "report", "weekly", "-u", "金水区",
                           "--week", "2026-W47", "-o", target], capture_output=True, text=True,
                          preexec_fn=limit, timeout=120, env=dict(os.environ, GRIDCTL_LANG="zh"))
    assert done.returncode == 1, done.stderr
    assert "内部错误" not in done.stderr
    assert "文件大小超出限制 (ulimit -f 4)" in done.stderr and "磁盘" not in done.stderr
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


@pytest.fixture(scope="module")
def long_titles(tmp_path_factory) -> Path:
    """The example city with 3,000 issues of 300-character titles (a few MB of writes), built once.
    Over four blocks of 经八路街道 and five categories: the import compares each row with the others
    of its block and category nearby (duplicates.among), 4.5M pairs on one block and category, a
    twentieth of that here (the fixture's CPU 1.54 s -> 1.15 s against one category)."""
    folder = tmp_path_factory.mktemp("long")
    db, sheet = folder / "ledger.db", folder / "sheet.csv"
    rows = [f"{FORTNIGHT_BLOCKS[i % 4]},{FORTNIGHT_CATEGORIES[i % 5]},巡查发现,楼顶违建{i} {'长' * 300},"
            f"2026-11-{1 + i % 20:02d} 08:{i % 60:02d}"
            for i in range(3000)]
    sheet.write_text("网格编码,问题类别,来源,问题描述,发现时间\n" + "\n".join(rows) + "\n", encoding="utf-8")
    for args in (("load", EXAMPLE, "--as-of", "2026-11-26"), ("--by", "P007", "issue", "import", sheet)):
        assert run("--db", db, *args).exit_code == 0
    return db


def _limited(db: Path, kib: int, *args, lang: str = "zh", stdout=subprocess.PIPE,
             unbuffered: bool = False) -> subprocess.CompletedProcess:
    """gridctl in a process whose files may not grow past `kib` KiB (`ulimit -f kib`), its stdout
    buffered (Python's default) or not (PYTHONUNBUFFERED=1, whatever the tests were started with)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (kib * 1024, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-m", "gridctl", "--db", db, *args], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, preexec_fn=limit, timeout=120,
                          env={**env, "GRIDCTL_LANG": lang, **({"PYTHONUNBUFFERED": "1"} if unbuffered else {})})


# The ledger write's limit: above SQLite's 32 KiB shared-memory file (which any open of the ledger
# writes), far below what the import writes. (Python ignores SIGXFSZ from its start: a byte-code
# cache file cut short at the limit is only not written.)
LIMIT_KIB = 64


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_ledger_write_stopped_by_ulimit_f_is_said_as_that(city, tmp_path, lang):
    """EFBIG under the ledger reaches SQLite as a disk I/O error: it is said as the size limit."""
    db = city
    sheet = tmp_path / "more.csv"
    # ~2 MB of writes to the ledger's write-ahead log, which the limit stops at LIMIT_KIB
    rows = [f"410105001001002,非法建设,巡查发现,又一处{i} {'长' * 300},2026-11-20 09:{i % 60:02d}" for i in range(300)]
    sheet.write_text("网格编码,问题类别,来源,问题描述,发现时间\n" + "\n".join(rows) + "\n", encoding="utf-8")
    before = dump(db)
    done = _limited(db, LIMIT_KIB, "--by", "P007", "issue", "import", sheet, lang=lang)
    assert done.returncode == 1, done.stderr
    said = {"zh": (f"文件大小超出限制 (ulimit -f {LIMIT_KIB})", "台账未改动", "ulimit -f unlimited"),
            "en": (f"file size limit (ulimit -f {LIMIT_KIB})", "ledger was not changed", "raise the limit")}[lang]
    assert all(words in done.stderr for words in said), done.stderr
    assert "磁盘" not in done.stderr and "disk" not in done.stderr and "Traceback" not in done.stderr
    assert dump(db) == before


@pytest.mark.parametrize(("lang", "form"), [("zh", "--json"), ("en", "--csv")])
def test_a_read_stopped_by_ulimit_f_in_sqlite_s_sort_spill_is_not_said_as_a_ledger_write(long_titles, lang, form):
    """`issue list` of 3,000 long titles sorts through SQLite's temporary file, which the limit
    stops: it was said as a write to the ledger (`使用台账 … 时的一次写入被系统停止`), by a
    command that writes nothing. Output to /dev/null: the limit is met in the spill alone."""
    before = dump(long_titles)
    done = _limited(long_titles, 256, "issue", "list", form, "--limit", "3000", stdout=subprocess.DEVNULL, lang=lang)
    assert done.returncode == 1, done.stderr
    said = {"zh": ("文件大小超出限制 (ulimit -f 256): SQLite 使用台账", "时要写的临时文件 (大的排序所用",
                   "没有写入台账, 台账未改动", "ulimit -f unlimited"),
            "en": ("the file size limit (ulimit -f 256) left no room for a temporary file SQLite writes while using "
                   "the ledger", "nothing was written to the ledger")}[lang]
    assert all(words in done.stderr for words in said), done.stderr
    assert "一次写入被系统停止" not in done.stderr and "stopped a write" not in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and dump(long_titles) == before


@pytest.mark.parametrize("command", ["bundle", "export", "backup"])
def test_an_output_stopped_by_ulimit_f_is_said_as_that_and_removed(long_titles, tmp_path, command):
    target = tmp_path / {"bundle": "b.jsonl.gz", "export": "issues.csv", "backup": "copy.db"}[command]
    args = {"bundle": ("bundle", "-o", target), "export": ("issue", "export", "-o", target),
            "backup": ("backup", target)}[command]
    done = _limited(long_titles, 256, *args)
    assert done.returncode == 1, done.stderr
    assert "文件大小超出限制 (ulimit -f 256)" in done.stderr and "磁盘" not in done.stderr, done.stderr
    assert "不是 gridctl 台账" not in done.stderr and "Traceback" not in done.stderr
    assert target.name in done.stderr
    assert list(tmp_path.iterdir()) == []       # no partial file, no journal beside it


@pytest.mark.parametrize(("name", "kib", "lang"), [("issues.xlsx", 256, "en"), ("issues.xlsx", 4096, "zh")])
def test_an_export_stopped_by_ulimit_f_names_the_file_it_was_writing(long_titles, tmp_path, name, kib, lang):
    """At 256 KiB the limit is met first in SQLite's sort spill while the rows stream, at 4 MiB in the
    workbook's rows rendered ahead of it (`sheetdata`): either way it is the export's file that was not
    written, not the ledger (which an export does not write) nor printed output. (The CSV at 256 KiB:
    `test_an_output_stopped_by_ulimit_f_is_said_as_that_and_removed[export]`.)"""
    target = tmp_path / name
    done = _limited(long_titles, kib, "issue", "export", "-o", target, lang=lang)
    assert done.returncode == 1, done.stderr
    said = {"zh": f"文件大小超出限制 (ulimit -f {kib}), 未能写完 {target}; 已删除未写完的文件",
            "en": f"the file size limit (ulimit -f {kib}) stopped {target} half-way (the partial file was removed)"}
    assert said[lang] in done.stderr, done.stderr
    assert "台账" not in done.stderr and "ledger" not in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_report_stopped_by_ulimit_f_in_its_rows_names_its_file(long_titles, tmp_path):
    """The weekly's 3,000 new issues (imported this week) are rendered into a scratch file while the
    workbook is built: the limit met there is the report's file not written, not printed output."""
    from datetime import date

    year, week, _ = date.today().isocalendar()
    target = tmp_path / "weekly.xlsx"
    done = _limited(long_titles, 512, "report", "weekly", "-u", "金水区", "--week", f"{year}-W{week:02d}",
                    "-o", target)
    assert done.returncode == 1, done.stderr
    assert f"文件大小超出限制 (ulimit -f 512), 未能写完 {target}; 已删除未写完的文件" in done.stderr, done.stderr
    assert "输出未能写完" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("unbuffered", [False, True])
def test_printed_output_stopped_by_ulimit_f_is_said_as_that(long_titles, tmp_path, unbuffered):
    """Unbuffered, Python's stdout dropped the rest of a write cut short at the limit (its text layer
    ignores the count written, so the write that fails is never tried): exit 0, the output cut."""
    with open(tmp_path / "issues.json", "w") as out:
        done = _limited(long_titles, 256, "issue", "list", "--json", "--limit", "400", stdout=out,
                        unbuffered=unbuffered)
    assert done.returncode == 1, done.stderr
    assert "文件大小超出限制 (ulimit -f 256), 输出未能写完" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_db_that_is_a_pipe_is_refused_and_nothing_is_left_beside_it(tmp_path):
    """A named pipe (or, as root, /dev/null) as --db was opened by SQLite, which said a disk error and
    left `NAME-journal` beside it (in /dev, for /dev/null)."""
    pipe = tmp_path / "l.db"
    os.mkfifo(pipe)
    refused("--db", pipe, "grid", "tree", words=("不是普通文件",))
    assert [p.name for p in tmp_path.iterdir()] == ["l.db"]


def test_db_in_a_missing_folder_or_a_folder(tmp_path):
    refused("--db", tmp_path / "nodir" / "x.db", "grid", "tree", words=("不存在",))
    refused("--db", tmp_path, "grid", "tree", words=("是文件夹",))
    assert not (tmp_path / "nodir").exists()


def test_disk_full_during_load_names_the_cause(db, monkeypatch):
    from gridctl.ledger import db as ledger_db

    assert run("init").exit_code == 0
    before = dump(db)
    real = ledger_db._connect

    def small(path):
        conn, read_only = real(path)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count={pages + 3}")
        return conn, read_only

    monkeypatch.setattr(ledger_db, "_connect", small)
    said = refused("load", EXAMPLE, "--as-of", "2026-11-26", words=("磁盘已满",))
    assert "rollback" not in said
    monkeypatch.undo()
    assert dump(db) == before


def test_a_read_only_ledger_can_be_read_not_written(city, monkeypatch):
    before = dump(city)
    if ROOT:  # root writes anywhere: let the ledger look read-only to gridctl (SQLite then opens it ro)
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == city and mode == os.W_OK
                            else real(p, mode, **kw))
    else:
        city.chmod(0o444)
    shown = run("issue", "show", "1")
    assert shown.exit_code == 0, shown.stderr
    assert run("grid", "tree", "--depth", "1").exit_code == 0
    refused(*ADD, "--at", "2026-11-21 09:00", words=("只读",))
    assert dump(city) == before


def test_a_missing_bundle_and_a_folder_given_as_a_file_are_said_as_that(city, tmp_path):
    """A missing bundle was `数据包已损坏 … 请让发送方重新打包` (the sender can do nothing about it), a
    folder named like a workbook `无法读取 …: 文件格式不对`."""
    said = refused("merge", tmp_path / "none.jsonl.gz", words=("文件或文件夹不存在",))
    assert "已损坏" not in said
    for name, args in (("dir.jsonl.gz", ("merge",)), ("dir.xlsx", ("--by", "P007", "issue", "import"))):
        (tmp_path / name).mkdir()
        said = refused(*args, tmp_path / name, words=("是文件夹",))
        assert "已损坏" not in said and "格式不对" not in said


def test_an_import_into_a_read_only_ledger_is_refused_as_that(city, tmp_path, monkeypatch):
    """An import's batches are written by a second thread, on a connection opened to be shared with
    it: opened read-only, it was not (exit 3, "SQLite objects created in a thread …")."""
    from tests.test_issue_transfer import sheet_rows, write_xlsx

    sheet = write_xlsx(tmp_path / "rows.xlsx", sheet_rows(5))
    before = dump(city)
    if ROOT:  # as in the test above
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == city and mode == os.W_OK
                            else real(p, mode, **kw))
    else:
        city.chmod(0o444)
    refused("--by", "P007", "issue", "import", sheet, words=("只读",))
    assert dump(city) == before


HOLD = """
import select, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
select.select([sys.stdin], [], [], float(sys.argv[2]))   # released by a line on stdin, or in time
conn.execute("ROLLBACK")
"""


def _holder(db: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_busy_ledger_waits_then_refuses(city, monkeypatch):
    before = dump(city)
    holder = _holder(city, 30)
    # it says it waits after min(500 ms, the timeout), then waits the timeout
    monkeypatch.setenv("GRIDCTL_BUSY_TIMEOUT_MS", "200")
    try:
        done = run(*ADD, "--at", "2026-11-21 09:00")
    finally:
        holder.kill()
        holder.wait()
    assert done.exit_code == 1, done.stderr
    assert "等待中" in done.stderr and "另一个命令正占用台账" in done.stderr
    assert dump(city) == before


def test_busy_ledger_waits_and_goes_through_when_released(city):
    # Released once the add says it is waiting (not after a fixed time: on a loaded machine the
    # add could start after a timed hold had already ended, and never wait at all).
    holder = _holder(city, 60)
    env = dict(os.environ, GRIDCTL_BUSY_TIMEOUT_MS="20000", GRIDCTL_LANG="zh")
    add = subprocess.Popen([sys.executable, "-m", "gridctl", "--db", city, *ADD, "--at", "2026-11-21 09:00"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        said = add.stderr.readline()
        assert "等待中" in said, said
        released = time.monotonic()
        holder.stdin.write("release\n")
        holder.stdin.flush()
        out, rest = add.communicate(timeout=120)
    finally:
        holder.kill()
        holder.wait()
        add.kill()
    assert add.returncode == 0, said + rest
    assert time.monotonic() - released < 15
    assert out.strip()


def test_a_large_import_says_up_front_that_it_holds_the_ledger(city, tmp_path, monkeypatch):
    from gridctl.ledger import db as ledger_db

    monkeypatch.setattr(ledger_db, "LARGE", 3)         # a large write, in miniature
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("网格编码,问题类别,来源,问题描述,发现时间\n" + "".join(
        f"410105001001001,非法建设,巡查发现,楼顶违建{i},2026-11-2{i} 09:00\n" for i in range(1, 5)), encoding="utf-8")
    result = run("--by", "P007", "issue", "import", sheet)
    assert result.exit_code == 0, result.stderr
    assert "写完之前其他人的登记需等待" in result.stderr and "4 行" in result.stderr


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 1 MiB file system (tmpfs), where the machine allows mounting one (root): room for a new
    ledger (≈480 KiB with its schema) and its write-ahead log while it is made."""
    where = tmp_path / "tiny"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
                             capture_output=True, text=True) if ROOT else None
    if not mounted or mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        yield where
    finally:
        gc.collect()                                         # connections left to the collector
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], check=False)   # never leave it mounted


def _fill(where: Path, leave: int) -> None:
    free = os.statvfs(where).f_bavail * os.statvfs(where).f_frsize
    (where / "filler").write_bytes(b"\0" * max(0, free - leave))


def test_a_real_full_disk_for_an_output(city, tiny_disk):
    target = tiny_disk / "w.xlsx"
    target.write_bytes(b"the old workbook")
    _fill(tiny_disk, 4096)
    refused("report", "weekly", "-u", "金水区", "--week", "2026-W47", "-o", target, words=("磁盘已满",))
    assert target.read_bytes() == b"the old workbook"
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "w.xlsx"]


def test_a_backup_onto_a_full_disk_says_so_and_leaves_nothing(city, tiny_disk):
    """It said the live ledger was "not a gridctl ledger" and left SQLite's journal beside the copy."""
    _fill(tiny_disk, 64 * 1024)
    said = refused("backup", tiny_disk / "copy.db", words=("磁盘已满",))
    assert "不是 gridctl 台账" not in said
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]


def test_a_real_full_disk_under_the_ledger(tiny_disk):
    db = tiny_disk / "ledger.db"
    assert run("--db", db, "init").exit_code == 0
    before = dump(db)
    _fill(tiny_disk, 64 * 1024)
    said = refused("--db", db, "load", EXAMPLE, "--as-of", "2026-11-26", words=("磁盘已满",))
    assert "rollback" not in said
    (tiny_disk / "filler").unlink()
    assert dump(db) == before
    assert run("--db", db, "verify").exit_code == 0



def test_a_ledger_on_a_full_disk_is_said_as_a_full_disk_not_a_disk_fault(tiny_disk):
    """A disk with no room left under the ledger: every command, a list or a verify as much as a
    write, said `读写台账 … 时磁盘出错; 请检查磁盘后用 gridctl verify 核对` (SQLite's disk I/O error:
    the `-shm` file beside the ledger cannot grow), sending the clerk to check a disk that is only
    full, with a verify that fails the same way. Said now as a full disk, in both languages."""
    db = tiny_disk / "ledger.db"
    assert run("--db", db, "init").exit_code == 0
    gc.collect()                                        # no connection left open: the -shm is gone
    _fill(tiny_disk, 0)
    for args in (("issue", "list"), ("verify",), ("--by", "P001", "grid", "tree")):
        said = refused("--db", db, *args, words=("磁盘已满", "请腾出空间后重试"))
        assert "磁盘出错" not in said, said
        english = refused("--db", db, "--lang", "en", *args, words=("the disk is full", "free some space"))
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in english), english
    (tiny_disk / "filler").unlink()
    assert run("--db", db, "verify").exit_code == 0



def test_a_damaged_page_met_by_a_command_is_said_as_a_damaged_ledger_not_a_bug(city):
    """A ledger file damaged on disk where `score` reads it (the team members' page): `score`
    ended with exit 3, `内部错误: DatabaseError: database disk image is malformed`, a bug of
    gridctl's by its exit code and words, where the file is at fault (verify said so). Now
    refused as a damaged ledger with what to do, exit 1, in both languages."""
    import sqlite3

    conn = sqlite3.connect(city)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'team_members'").fetchone()[0]
    conn.close()
    with open(city, "r+b") as handle:
        handle.seek((root - 1) * page)
        handle.write(b"\xff" * page)
    said = refused("--db", city, "score", "-q", "2026Q4", words=("的文件已损坏", "gridctl restore"))
    assert "内部错误" not in said, said
    english = refused("--db", city, "--lang", "en", "score", "-q", "2026Q4", words=("is damaged", "restore"))
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english), english
    assert run("--db", city, "verify").exit_code == 1


PRINTED = {
    "score --json": ("score", "-q", "2026Q4", "--json"),       # streamed member by member
    "issue list --json": ("issue", "list", "--json"),
    "grid tree": ("grid", "tree"),
}


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", sorted(PRINTED))
def test_printed_output_onto_a_full_disk_is_refused_in_words(city, lang, command):
    # `gridctl … --json > out.json` on a full disk: /dev/full refuses every write (ENOSPC). The
    # refusal itself cannot go to stdout as JSON, so it is said on stderr: no traceback.
    before = dump(city)
    env = dict(os.environ, GRIDCTL_LANG=lang)
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "gridctl", "--db", city, *PRINTED[command]],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, env=env)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    words = "输出未能写完" if lang == "zh" else "the output could not be written whole"
    assert done.stderr.count(words) == 1, done.stderr
    assert dump(city) == before


@pytest.mark.parametrize("args", [("score", "-q", "2026Q4"), ("grid", "tree"), ("issue", "list")])
def test_a_reader_gone_before_the_output_ends_it_quietly_with_exit_0(city, args):
    # `gridctl score | head`: the reader closes first. Plain output and rich's tables end alike:
    # exit 0, nothing said (rich's own console exited 1).
    env = dict(os.environ, GRIDCTL_LANG="zh")
    child = subprocess.Popen([sys.executable, "-m", "gridctl", "--db", city, *args],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    child.stdout.close()                      # gone before the command has printed anything
    said = child.stderr.read()
    assert child.wait(timeout=120) == 0, said
    assert said == ""


def test_the_same_sheet_imported_twice_at_once_goes_in_once(city, tmp_path):
    # Two clerks import one sheet at the same time: both read it while another command holds the
    # ledger, and wait; the second to get the ledger finds the rows the first wrote (before: every
    # row twice, the same 编号 on two issues).
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("网格编码,问题类别,来源,问题描述,发现时间,编号\n" + "".join(
        f"410105001001001,非法建设,巡查发现,楼顶违建{i},2026-11-2{i} 09:00,TW-{i}\n" for i in range(1, 5)),
        encoding="utf-8")
    holder = _holder(city, 60)
    env = dict(os.environ, GRIDCTL_BUSY_TIMEOUT_MS="60000", GRIDCTL_LANG="zh")
    clerks = [subprocess.Popen([sys.executable, "-m", "gridctl", "--db", city, "--by", "P007", "issue", "import",
                                sheet, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
              for _ in range(2)]
    try:
        for clerk in clerks:                  # each has read the sheet and waits for the ledger
            said = clerk.stderr.readline()
            assert "等待中" in said, said
        holder.stdin.write("release\n")
        holder.stdin.flush()
        done = [clerk.communicate(timeout=120) for clerk in clerks]
    finally:
        holder.kill()
        holder.wait()
        for clerk in clerks:
            clerk.kill()
    assert [clerk.returncode for clerk in clerks] == [0, 0], done
    imported = sorted(json.loads(out)["imported"] for out, _ in done)
    assert imported == [0, 4]
    refs = [i["ref"] for i in run("issue", "list", "--json").json() if (i["ref"] or "").startswith("TW-")]
    assert sorted(refs) == ["TW-1", "TW-2", "TW-3", "TW-4"]
    assert run("verify", "--deep").exit_code == 0


@pytest.mark.parametrize("receipt", ['{"chains": 5}', '{"chains": {"4101": {"last_n": -5}}}'])
def test_a_receipt_of_the_wrong_shape_is_refused_as_unreadable(city, tmp_path, receipt):
    """`bundle --since` with a receipt whose chains are not a mapping was exit 3 (AttributeError), and one
    with a negative event number blamed the ledger's chain (`事件链在第 -4 条中断 … 请先运行 gridctl verify`)."""
    (tmp_path / "r.json").write_text(receipt, encoding="utf-8")
    refused("bundle", "-o", tmp_path / "b.jsonl.gz", "--since", tmp_path / "r.json", words=("回执", "无法读取"))
    assert not (tmp_path / "b.jsonl.gz").exists()


def test_json_nested_past_python_s_depth_is_damage_not_a_crash(city, tmp_path):
    """A bundle line, or a receipt, of `[[[[…` 100,000 deep was exit 3 (RecursionError, which json raises
    besides ValueError)."""
    import gzip

    deep = "[" * 100_000 + "]" * 100_000
    bundle = tmp_path / "deep.jsonl.gz"
    with gzip.open(bundle, "wt", encoding="utf-8") as handle:
        handle.write('{"format": 2, "x": ' + deep + "}\n" + '{"end": true}\n')
    before = dump(city)
    refused("merge", bundle, words=("数据包已损坏",))
    (tmp_path / "r.json").write_text('{"chains": ' + deep + "}", encoding="utf-8")
    refused("bundle", "-o", tmp_path / "b.jsonl.gz", "--since", tmp_path / "r.json", words=("回执", "无法读取"))
    assert dump(city) == before


@pytest.mark.parametrize("command", ["bundle", "backup", "export"])
def test_an_output_onto_a_pipe_or_a_device_is_refused_not_replaced(city, tmp_path, command):
    """The finished file was renamed over whatever the name held: a named pipe became a plain file, and
    as root `bundle -o /dev/full` replaced the device node itself."""
    import stat

    pipe = tmp_path / {"bundle": "b.jsonl.gz", "backup": "copy.db", "export": "issues.csv"}[command]
    os.mkfifo(pipe)
    args = {"bundle": ("bundle", "-o", pipe), "backup": ("backup", pipe), "export": ("issue", "export", "-o", pipe)}
    refused(*args[command], words=("不是普通文件",))
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_file_name_too_long_is_said_in_the_clerk_s_words(city, tmp_path):
    """It said the system's English after 无法读写 …: (File name too long)."""
    name = "长" * 100                       # 300 bytes: more than a file name may have
    for args in (("issue", "export", "-o", tmp_path / f"{name}.csv"), ("--db", tmp_path / f"{name}.db", "grid", "tree"),
                 ("backup", tmp_path / f"{name}.db")):
        said = refused(*args, words=("文件名太长",))
        assert "too long" not in said, said


def test_an_output_never_replaces_the_ledger_its_key_or_another_database(fortnight, db, tmp_path):
    """`bundle -o gridctl.db` replaced the ledger in use with the bundle (exit 0: every event
    gone); a report, a score workbook, an export or a receipt named as the ledger, its key, its
    journal or another office's ledger replaced it the same way. Each is refused before any work,
    the files unchanged."""
    import shutil

    from gridctl.register.identity import key_path

    other = Path(shutil.copyfile(db, tmp_path / "other.db"))
    key = key_path(db)
    key.write_bytes(b"k" * 32)
    before = {path: path.read_bytes() for path in (db, other, key)}
    commands = [("bundle", "-o"), ("report", "weekly", "-u", "410105", "--week", "2026-W46", "-o"),
                ("score", "--quarter", "2026Q4", "-u", "410105", "-o"), ("issue", "export", "-o"),
                ("merge", str(tmp_path / "none.jsonl.gz"), "--receipt")]
    for target, chinese, english in (
            (db, "是正在使用的台账本身或它的密钥、日志文件", "is the ledger in use or its key or journal file"),
            (key, "是正在使用的台账本身", "is the ledger in use"),
            (Path(f"{db}-wal"), "是正在使用的台账本身", "is the ledger in use"),
            (other, "是一个 SQLite 数据库 (台账或它的备份), 输出文件不会覆盖它", "is an SQLite database")):
        for command in commands:
            zh = run("--db", db, *command, target)
            assert zh.exit_code == 1 and f"{target} {chinese}" in zh.stderr, (command, target, zh.stderr)
            en = run("--lang", "en", "--db", db, *command, target)
            assert en.exit_code == 1 and f"{target} {english}" in en.stderr, (command, target, en.stderr)
    assert {path: path.read_bytes() for path in (db, other, key)} == before
    assert run("--db", db, "verify").exit_code == 0


def test_an_output_name_windows_cannot_hold_is_refused(fortnight, db, tmp_path):
    """Offices hand reports, bundles, receipts and backups to Windows computers. `周报:W47.xlsx`,
    `a?.xlsx`, a name ending in a dot or a space, or `NUL.xlsx` were written here (legal on Linux)
    and could not be opened, or changed name, once copied there. Every -o, --receipt and backup's
    file refuses them up front, saying which character and what to do: exit 1, nothing written."""
    commands = [("bundle", "-o"), ("report", "weekly", "-u", "410105", "--week", "2026-W46", "-o"),
                ("report", "monthly", "-u", "410105", "--month", "2026-11", "-o"),
                ("score", "--quarter", "2026Q4", "-u", "410105", "-o"), ("issue", "export", "-o"),
                ("merge", str(tmp_path / "none.jsonl.gz"), "--receipt"), ("backup",)]
    names = [("周报:W47.xlsx", "中有“:”, Windows 的文件名不能含有它", "holds “:”, which no Windows file name may hold"),
             ('a"b".xlsx', "中有“\"”", "holds “\"”"), ("a?.xlsx", "中有“?”", "holds “?”"),
             ("a*.xlsx", "中有“*”", "holds “*”"), ("a<b>.xlsx", "中有“<”", "holds “<”"),
             ("a|b.xlsx", "中有“|”", "holds “|”"), ("报表\\周报.xlsx", "文件夹用 / 分隔", "separate folders with /"),
             ("周报.xlsx.", "以点结尾, Windows 会去掉它", "ends in a dot, which Windows drops"),
             ("周报.xlsx ", "以空格结尾", "ends in a space"),
             ("NUL.xlsx", "是 Windows 保留的设备名 NUL", "is the device name NUL that Windows reserves"),
             ("com1.jsonl.gz", "设备名 COM1", "device name COM1"), ("Lpt9 .csv", "设备名 LPT9", "device name LPT9")]
    out = tmp_path / "out"
    out.mkdir()
    before = dump(db)
    for command in commands:
        for name, chinese, english in names:
            target = out / name
            zh = run("--db", db, *command, target)
            assert zh.exit_code == 1 and chinese in zh.stderr and "没有写入任何文件" in zh.stderr, (command, name, zh.stderr)
            en = run("--lang", "en", "--db", db, *command, target)
            assert en.exit_code == 1 and english in en.stderr and "nothing was written" in en.stderr, (command, name, en.stderr)
    assert not list(out.iterdir())
    assert dump(db) == before
    for fine in ("周报-W47.xlsx", "CONSOLE.xlsx", "NULL.xlsx", "COM10.csv"):     # not devices: taken
        assert run("--db", db, "report", "weekly", "-u", "410105", "--week", "2026-W46", "-o", out / fine).exit_code == 0


def test_an_output_written_as_a_folder_is_refused_as_a_folder_is(fortnight, db, tmp_path):
    """`bundle -o newdir/` wrote a file named `newdir` (Typer's Path drops the trailing slash),
    and `-o existing/` was said as `existing 是文件夹`, `-o ''` as `. 是文件夹`. Every output
    written as a folder is refused as an existing folder always was: give a file name (exit 1,
    nothing written); an empty one is said as no name."""
    commands = [("bundle", "-o"), ("report", "weekly", "-u", "410105", "--week", "2026-W46", "-o"),
                ("score", "--quarter", "2026Q4", "-u", "410105", "-o"), ("issue", "export", "-o"),
                ("merge", str(tmp_path / "none.jsonl.gz"), "--receipt"), ("backup",)]
    out = tmp_path / "out"
    out.mkdir()
    (out / "existing").mkdir()
    before = dump(db)
    for command in commands:
        option = {"-o": "--output", "--receipt": "--receipt"}.get(command[-1], "{文件}")
        for typed in (f"{out}/newdir/", f"{out}/existing/"):
            zh = run("--db", db, *command, typed)
            assert zh.exit_code == 1 and f"{typed} 以 / 结尾, 是文件夹的写法" in zh.stderr, (command, zh.stderr)
            assert "请在 / 后写上文件名" in zh.stderr and "没有写入任何文件" in zh.stderr
            en = run("--lang", "en", "--db", db, *command, typed)
            assert en.exit_code == 1 and f"{typed} ends in /, which names a folder" in en.stderr, (command, en.stderr)
        empty = run("--db", db, *command, "")
        assert empty.exit_code == 1 and f"{option}: 没有给出文件名" in empty.stderr, (command, empty.stderr)
    assert sorted(p.name for p in out.iterdir()) == ["existing"] and not list((out / "existing").iterdir())
    assert dump(db) == before


def test_an_input_that_is_a_pipe_a_device_or_a_looping_link_is_said_as_that(fortnight, db, tmp_path):
    """`issue import x.csv` of a pipe (or patrol/register import, `merge` of a bundle so named)
    waited for ever for a writer; `/dev/zero` likewise read for ever, and a link that loops was
    said as 找不到文件. Each is said as what is there, as restore says it, before anything is
    opened (exit 1, the ledger unchanged)."""
    pipe_csv, pipe_gz = tmp_path / "台账.csv", tmp_path / "经八路.jsonl.gz"
    os.mkfifo(pipe_csv)
    os.mkfifo(pipe_gz)
    (tmp_path / "loop1.csv").symlink_to(tmp_path / "loop2.csv")
    (tmp_path / "loop2.csv").symlink_to(tmp_path / "loop1.csv")
    before = dump(db)
    for source, chinese, english in ((pipe_csv, "不是普通文件 (设备或管道等)", "is not a plain file (a device, a pipe"),
                                     (Path("/dev/zero"), "不是普通文件", "is not a plain file"),
                                     (tmp_path / "loop1.csv", "是循环的符号链接", "is a symbolic link that loops")):
        for command in (("issue", "import"), ("patrol", "import"), ("register", "import"), ("merge",)):
            if command == ("merge",) and source == pipe_csv:
                source = pipe_gz
            for lang, words in (("zh", chinese), ("en", english)):
                result = run("--lang", lang, "--db", db, *command, source)
                assert result.exit_code == 1 and f"{source} {words}" in result.stderr, (command, result.stderr)
    assert dump(db) == before


def test_an_empty_db_is_said_as_no_ledger_named(tmp_path, monkeypatch):
    """`--db ''` (a script's `--db "$LEDGER"` with the variable unset) was said as `. 是文件夹, 不是
    台账文件`: Path("") is the current folder. It is said as no name given (exit 1), for a read, a
    write and init alike, and nothing is made in the folder."""
    monkeypatch.chdir(tmp_path)
    for args in (("issue", "list"), ("--by", "P007", "issue", "accept", "1"), ("init",), ("verify",)):
        zh = run("--db", "", *args)
        assert zh.exit_code == 1 and "--db: 没有给出文件名" in zh.stderr and "是文件夹" not in zh.stderr, zh.stderr
        en = run("--lang", "en", "--db", "", *args)
        assert en.exit_code == 1 and "--db: no file name given" in en.stderr, en.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_output_never_replaces_a_file_the_same_command_reads(tmp_path):
    """`merge 经八路.jsonl.gz --receipt 经八路.jsonl.gz` merged, then wrote the receipt over the
    bundle (exit 0, the handed-up file gone); `bundle -o 回执.json --since 回执.json` would write the
    bundle over the receipt the next hand-up needs. Each is refused before any work (exit 1), the
    files and the ledger unchanged, through a link too."""
    from tests.test_exchange import hand_up_a_week

    district, bundle = hand_up_a_week(tmp_path)
    township = tmp_path / "A.db"
    receipt = tmp_path / "回执.json"
    assert run("--db", district, "merge", bundle, "--receipt", receipt).exit_code == 0
    district_before, bundle_bytes, receipt_bytes = dump(district), bundle.read_bytes(), receipt.read_bytes()
    (tmp_path / "link.jsonl.gz").symlink_to(bundle)
    for db, args, option, other in (
            (district, ("merge", bundle, "--receipt", bundle), "--receipt", "{文件}"),
            (district, ("merge", tmp_path / "link.jsonl.gz", "--receipt", bundle), "--receipt", "{文件}"),
            (township, ("bundle", "-o", receipt, "--since", receipt), "--output", "--since")):
        zh = run("--db", db, *args)
        assert zh.exit_code == 1 and f"{option}: " in zh.stderr and f"也是本命令要读的文件 ({other})" in zh.stderr, zh.stderr
        en = run("--lang", "en", "--db", db, *args)
        assert en.exit_code == 1 and "is also the file this command reads" in en.stderr, en.stderr
    assert bundle.read_bytes() == bundle_bytes and receipt.read_bytes() == receipt_bytes
    assert dump(district) == district_before


def test_restore_into_a_busy_ledger_says_so_and_gives_up_in_time(city, tmp_path, monkeypatch):
    """`restore` while another command held the ledger (a long import, a merge) waited in silence
    for as long as the other held it: SQLite's backup retried every quarter second, minutes on end,
    where every other writer says it waits and gives up after the busy timeout. It now says so,
    waits the timeout, and refuses with the other writers' words, the ledger unchanged; once the
    ledger is free the restore goes through."""
    good = tmp_path / "good.db"
    assert run("backup", good).exit_code == 0
    before = dump(city)
    holder = _holder(city, 60)
    monkeypatch.setenv("GRIDCTL_BUSY_TIMEOUT_MS", "300")
    try:
        busy = run("restore", good)
    finally:
        holder.kill()
        holder.wait()
    assert busy.exit_code == 1, busy.stderr
    assert "正被另一个命令占用, 等待中" in busy.stderr and "另一个命令正占用台账" in busy.stderr, busy.stderr
    assert dump(city) == before and not list(city.parent.glob("*.damaged-*"))
    assert run("restore", good).exit_code == 0


def _in_little_memory(db: Path, *args: object) -> subprocess.CompletedProcess:
    """gridctl in a process of its own whose address space stops at 1 GiB (RLIMIT_AS): a command that
    reads a huge file whole meets MemoryError there, not the machine's memory."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, resource.getrlimit(resource.RLIMIT_AS)[1]))
    return subprocess.run([sys.executable, "-m", "gridctl", "--db", db, *map(str, args)], capture_output=True,
                          text=True, preexec_fn=limit, timeout=120, env=dict(os.environ, GRIDCTL_LANG="zh"))


def test_a_huge_file_given_where_a_small_one_is_read_is_refused_not_read_into_memory(city, tmp_path):
    """Found by this round's sweep: files of gigabytes given to a command ended in 内部错误: MemoryError
    (exit 3), and on a machine without a limit the command ate its memory first. A CSV of zeros (a
    disk image, any binary file named .csv; its one “line” read whole), `bundle --since` given a
    3 GB file or /dev/zero (read whole as the receipt), a 3 GB YAML file to `check` or `score
    --config`, and `--config /dev/zero`. Each is refused now before it is read, saying what it is;
    the files here are sparse (no disk, no memory)."""
    zeros, folder = tmp_path / "zeros.csv", tmp_path / "defs"
    folder.mkdir()
    receipt, config = tmp_path / "r.json", folder / "city.yaml"
    for path in (zeros, receipt, config):
        with open(path, "wb") as handle:
            handle.truncate(3 << 30)
    before = dump(city)
    for args, words in (
            (("issue", "import", zeros), f"{zeros} 不是文本文件 (含 NUL 字节), 不是 CSV"),
            (("register", "import", zeros), f"{zeros} 不是文本文件 (含 NUL 字节), 不是 CSV"),
            (("bundle", "-o", tmp_path / "b.jsonl.gz", "--since", receipt),
             f"回执 {receipt} 无法读取: 文件有 3072 MB, 回执不会超过 16 MB"),
            (("bundle", "-o", tmp_path / "b.jsonl.gz", "--since", "/dev/zero"), "/dev/zero 不是普通文件"),
            (("check", folder), f"{config}: 文件有 3072 MB, 超过一个 YAML 文件的上限 64 MB"),
            (("score", "--quarter", "2026Q4", "--config", config), f"{config}: 文件有 3072 MB, 超过一个 YAML 文件的上限"),
            (("score", "--quarter", "2026Q4", "--config", "/dev/zero"), "/dev/zero: 不是可读的文件 (设备、管道")):
        done = _in_little_memory(city, *args)
        assert done.returncode == 1 and words in done.stderr, (args, done.returncode, done.stderr[-500:])
        assert "内部错误" not in done.stderr
    assert dump(city) == before and not (tmp_path / "b.jsonl.gz").exists()


def test_a_csv_line_longer_than_any_row_is_refused_before_it_is_read_whole(city, tmp_path):
    """A CSV of one line of 1 GB (no line break) was read into memory whole before the csv reader's
    cell limit could refuse it: MemoryError, exit 3, where the memory is short. A line is read at
    most `sheets.LINE_MAX` characters at a time now, and a longer one is a cell too big in its row.
    (Here 80 MB, under a 1 GiB address space read whole it fits: the refusal's words and row are
    what is checked; `_in_little_memory` keeps a regression from eating the machine's memory.)"""
    from gridctl.sheets import LINE_MAX

    sheet = tmp_path / "long.csv"
    with open(sheet, "w", encoding="utf-8") as handle:
        handle.write("网格编码,问题类别,来源,问题描述,发现时间\n410105001001001,非法建设,巡查发现,")
        handle.write("违" * (LINE_MAX + 10))
    done = _in_little_memory(city, "issue", "import", sheet)
    assert done.returncode == 1 and f"{sheet} 第 2 行有单元格超过 32767 个字符, 未导入" in done.stderr, done.stderr
