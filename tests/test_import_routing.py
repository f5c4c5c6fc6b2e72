"""A large sheet's rows are routed in a second process (`issues.router`) while the import records:
the ledger it leaves is byte for byte the one routing in one process leaves, Ctrl+C still leaves
the ledger as it was, and no second process outlives the import."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from tests.helpers import dump, load_example, run
from tests.test_interrupts import TWICE
from tests.test_issue_transfer import HEADER, sheet_rows, write_xlsx

from gridctl.issues.transfer import _forks as _FORKS


class _Clock(datetime):
    """The recorder's clock held still, so two imports stamp their events alike."""

    @classmethod
    def now(cls, tz=None):
        return cls(2026, 11, 26, 10, 30, 15)


def _with_a_transport_team(example: Path, name: str, grids: str) -> None:
    """The example city with one team more: T05 of 市交通局 (leader P114, member P115), named `name`,
    its `grids:` and what follows written as `grids` (YAML)."""
    city = example / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("teams:\n", (
        f"teams:\n  - {{code: T05, name: {name}, unit: 市交通局, leader: P114, members: [P115],\n"
        f"     grids: {grids}}}\n"), 1), encoding="utf-8")


def _copy(db: Path, to: Path) -> None:
    """The ledger as it stands, its WAL included."""
    with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(to)) as copy:
        source.backup(copy)


def _sheet(db: Path, path: Path, n: int) -> Path:
    """n rows, every other one naming its grid by path, each with its 上报时间."""
    with sqlite3.connect(db) as conn:
        paths = dict(conn.execute("SELECT code, path FROM grids"))
    rows = [[paths[row[0]] if i % 2 else row[0], *row[1:], f"2026-11-{21 + i % 5:02d} 09:00"]
            for i, row in enumerate(sheet_rows(n))]
    return write_xlsx(path, rows, header=[*HEADER, "上报时间"])


MODES = ("apart", "one core", "small")


def _mode(monkeypatch, transfer, mode: str) -> None:
    """How the import checks the sheet: "apart" routed in a second process; "one core" in one
    process (no second core to route on) with the keys seen in a temporary database, as that
    process keeps them (`SheetKeys`: the sheet counts as large); "small" in one process, keys in a dict."""
    monkeypatch.setattr(transfer, "ROUTED_APART", 10**9 if mode == "small" else 1)
    monkeypatch.setattr(transfer, "_forks", (lambda: False) if mode == "one core" else _FORKS)


def _keys_written(monkeypatch) -> list[int]:
    """How many times this process wrote a batch of keys to a `SheetKeys` database."""
    from gridctl.ledger import sheetkeys

    written, write = [], sheetkeys.SheetKeys._write

    def counted(self):
        written.append(len(self.waiting))
        write(self)

    monkeypatch.setattr(sheetkeys.SheetKeys, "_write", counted)
    return written


@pytest.fixture
def routing(monkeypatch):
    """Small batches, a fixed clock, and a count of the second processes started."""
    from gridctl.issues import router, transfer
    from gridctl.ledger import recorder

    monkeypatch.setattr(transfer, "BATCH", 7)
    monkeypatch.setattr(recorder, "datetime", _Clock)
    started = []
    original = router.Router.__init__

    def counted(self, *args):
        started.append(1)
        original(self, *args)

    monkeypatch.setattr(router.Router, "__init__", counted)
    return transfer, started


def test_rows_routed_in_a_second_process_leave_the_same_ledger(loaded, tmp_path, db, monkeypatch, routing):
    transfer, started = routing
    sheet = _sheet(db, tmp_path / "big.xlsx", 60)
    first_half = _sheet(db, tmp_path / "half.xlsx", 30)      # rows the ledger already holds are skipped
    apart, alone = tmp_path / "apart.db", tmp_path / "alone.db"
    _copy(db, alone)
    monkeypatch.setattr(transfer, "ROUTED_APART", 1)
    assert run("issue", "import", first_half, "--json").json()["imported"] == 30
    assert run("issue", "import", sheet, "--json").json()["imported"] == 30
    assert len(started) == 2
    _copy(db, apart)
    monkeypatch.setattr(transfer, "ROUTED_APART", 10**9)
    assert run("--db", alone, "issue", "import", first_half, "--json").json()["imported"] == 30
    assert run("--db", alone, "issue", "import", sheet, "--json").json()["imported"] == 30
    assert len(started) == 2
    assert dump(apart) == dump(alone)
    assert run("--db", apart, "verify", "--deep").exit_code == 0


def test_a_block_with_a_team_of_its_own_is_routed_as_duty_who_answers(example, tmp_path, db, monkeypatch, routing):
    """Blocks of one community share what routing answers above them, but not a block that has a
    team of its own, and not before that team is assigned there: each row's team is `duty who`'s
    on the day it was reported, routed apart or in one process."""
    transfer, _ = routing
    _with_a_transport_team(example, "市交通局驻2号楼院工作队", "[\"410105001001002\"], since: 2026-11-23")
    load_example(db, folder=example)
    blocks = ["410105001001001", "410105001001002", "410105001001003"]
    rows = [[blocks[i % 3], "非法建设", "巡查发现", f"楼院问题{i}", "2026-11-20 08:00", "张三", "", "", f"TB-{i}",
             f"2026-11-{21 + i % 5:02d} 09:00"] for i in range(30)]
    _imported_apart_and_alone(rows, db, tmp_path, transfer, monkeypatch)
    with closing(sqlite3.connect(db)) as conn:
        issues = conn.execute("SELECT grid, substr(reported_at, 1, 10), team FROM issues").fetchall()
    teams = set()
    for grid, day, team in issues:
        assist = run("duty", "who", "-c", "非法建设", "-g", grid, "--as-of", day, "--json").json()["assist"]
        assert team == assist["value"][0]["code"]
        teams.add((grid, team))
    assert ("410105001001002", "T05") in teams and ("410105001001002", "T01") in teams   # before and after
    assert {team for grid, team in teams if grid != "410105001001002"} == {"T01"}


def test_posts_and_teams_that_end_or_begin_are_routed_apart_as_duty_who_answers(example, tmp_path, db, monkeypatch,
                                                                               routing):
    """The second process reads every grid's routing facts at once (`territory.route_facts`): a lead
    post that ended and the one that followed it, a block whose lead post ended with none after
    (the lead is then looked for above it, up to none), a team assigned from a day on: each row
    is routed as in one process, and its lead and team are `duty who`'s on the day it was reported."""
    transfer, _ = routing
    jinshui = example / "jinshui.yaml"
    text = jinshui.read_text(encoding="utf-8")
    for old, new in (
            ('person: P007, since: 2026-01-01}', 'person: P007, since: 2026-01-01, until: 2026-11-22}\n'
                                                 '  - {grid: "410105001001001", role: 网格长, person: P008, since: 2026-11-23}'),
            ('person: P013, since: 2026-01-01}', 'person: P013, since: 2026-01-01, until: 2026-11-21}')):
        assert old in text
        text = text.replace(old, new, 1)
    jinshui.write_text(text, encoding="utf-8")
    _with_a_transport_team(example, "市交通局驻4号楼院工作队", "[{grid: \"410105001001004\", since: 2026-11-24}], since: 2026-01-01")
    load_example(db, folder=example)
    blocks = ["410105001001001", "410105001001003", "410105001001004", "410105001002001"]
    categories = ["非法建设", "信访稳定", "道路", "sanitation", "特殊人群"]
    rows = [[blocks[i % 4], categories[i % 5], "巡查发现", f"楼院问题{i}", "2026-11-20 08:00", "张三", "", "", f"TE-{i}",
             f"2026-11-{21 + i % 5:02d} 09:00"] for i in range(60)]
    _imported_apart_and_alone(rows, db, tmp_path, transfer, monkeypatch)
    issues = _routed_as_duty_who_answers(db)
    assert {("410105001001001", "P007"), ("410105001001001", "P008"), ("410105001001004", "P013"),
            ("410105001001004", None)} <= {(issue["grid"], issue["lead_person"]) for issue in issues}
    assert ("410105001001004", "T05") in {(issue["grid"], issue["team"]) for issue in issues}


def test_every_category_at_grids_of_each_district_is_routed_as_duty_who_answers(example, tmp_path, db, monkeypatch,
                                                                              routing):
    """Routing keeps what it has worked out above a grid (per parent and role, department kind,
    day, authority) and shares it among rows of other grids and categories: every category at
    blocks of communities with a team and without, a community and a township, in three districts
    (a district's department, the city's, none), on two days, is routed apart and in one process
    as `duty who` answers each row alone; one community's team begins on the second day."""
    transfer, _ = routing
    _with_a_transport_team(example, "市交通局驻纬五路社区工作队", "[{grid: \"410105001002\", since: 2026-11-22}], since: 2026-01-01")
    load_example(db, folder=example)
    grids = ["410105001001001", "410105001002003", "410108001003002", "410184101002001", "410184101001004",
             "410105001001", "410108001"]
    with closing(sqlite3.connect(db)) as conn:
        categories = [code for (code,) in conn.execute("SELECT code FROM categories ORDER BY code")]
    rows = [[grids[i % 7], categories[i % len(categories)], "巡查发现", f"网格问题{i}", "2026-11-20 08:00", "张三", "",
             "", f"TC-{i}", f"2026-11-{21 + i % 2:02d} 09:00"] for i in range(70)]
    rows += [[block, category, "巡查发现", f"纬五路问题{i}{j}", "2026-11-20 08:00", "张三", "", "", f"TW-{i}{j}",
              f"2026-11-{21 + (i + j) % 2:02d} 09:00"]
             for i, category in enumerate(("非法建设", "矛盾纠纷")) for j, block in enumerate(("410105001002001", "410105001002002"))]
    _imported_apart_and_alone(rows, db, tmp_path, transfer, monkeypatch)
    issues = _routed_as_duty_who_answers(db)
    assert len({(issue["grid"], issue["category"]) for issue in issues}) == 74
    assert {issue["department"] for issue in issues} >= {"CG105", "CG108", "JT4101", "RS184", None}
    assert {issue["team"] for issue in issues} >= {"T01", "T03", "T04", None}
    assert {(issue["day"], issue["team"]) for issue in issues if issue["grid"].startswith("410105001002")
            and issue["category"] in ("illegal_building", "disputes")} == {("2026-11-21", None), ("2026-11-22", "T05")}
    assert {issue["level"] for issue in issues} == {"community", "township", "district"}


def _routed_as_duty_who_answers(db: Path) -> list[dict]:
    """Every issue of `db`: its lead (person and grid), enforcing department, assisting team,
    holding platform and escalations are what `duty who` answers for its category and grid on the
    day it was reported."""
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        issues = [dict(row) for row in conn.execute(
            "SELECT grid, category, substr(reported_at, 1, 10) AS day, lead_person, lead_grid, department, team, "
            "holder, level, escalations FROM issues")]
    for issue in issues:
        who = run("duty", "who", "-c", issue["category"], "-g", issue["grid"], "--as-of", issue["day"], "--json").json()
        lead, department, assist = who["lead"]["value"], who["department"]["value"], who["assist"]["value"]
        assert (issue["lead_person"], issue["lead_grid"]) == ((lead["people"][0]["id"], lead["grid"]) if lead else
                                                              (None, None)), issue
        assert issue["department"] == (department[0]["code"] if department else None), issue
        assert issue["team"] == (assist[0]["code"] if assist else None), issue
        assert (issue["holder"], issue["level"]) == (who["platform"]["value"]["code"],
                                                     who["platform"]["value"]["level"]), issue
        assert issue["escalations"] == len(who["escalation_path"]), issue
    return issues


def test_a_refused_sheet_ends_the_second_process_and_writes_nothing(loaded, tmp_path, db, monkeypatch, routing):
    transfer, started = routing
    monkeypatch.setattr(transfer, "ROUTED_APART", 1)
    rows = sheet_rows(20)
    rows[5][1] = "乱扔垃圾"
    before = dump(db)
    done = run("issue", "import", write_xlsx(tmp_path / "bad.xlsx", rows))
    assert done.exit_code == 1 and "乱扔垃圾" in done.stderr
    assert len(started) == 1 and dump(db) == before


def _dies(how):
    """The second process's work replaced by `how` (run in the forked process)."""
    def serve(request, sheet, go, out):
        if go.read(1):
            how()
    return serve


@pytest.mark.parametrize("how, said", [
    (lambda: os.kill(os.getpid(), signal.SIGKILL), "SIGKILL"),        # the kernel's OOM killer, kill -9
    (lambda: os._exit(7), "exit 7"),
])
def test_a_routing_process_that_dies_refuses_the_import_and_writes_nothing(
        loaded, tmp_path, db, monkeypatch, routing, how, said):
    transfer, started = routing
    from gridctl.issues import router

    monkeypatch.setattr(transfer, "ROUTED_APART", 1)
    monkeypatch.setattr(router, "serve", _dies(how))
    before = dump(db)
    done = run("issue", "import", write_xlsx(tmp_path / "s.xlsx", sheet_rows(20)))
    assert done.exit_code == 1, done.stderr
    assert "分流进程意外结束" in done.stderr and said in done.stderr and "台账未改动" in done.stderr
    assert len(started) == 1 and dump(db) == before
    again = run("issue", "import", write_xlsx(tmp_path / "s.xlsx", sheet_rows(20)), "--json")
    assert again.exit_code == 1 and again.json()["error"]["code"] == "import.router_lost"


def test_a_refusal_in_the_routing_process_is_the_import_s_refusal(loaded, tmp_path, db, monkeypatch, routing):
    transfer, started = routing
    from gridctl.errors import LedgerError
    from gridctl.issues import router

    def busy():
        raise LedgerError("ledger.busy", path="x.db")

    monkeypatch.setattr(transfer, "ROUTED_APART", 1)
    monkeypatch.setattr(router, "serve", _dies(busy))
    before = dump(db)
    done = run("--lang", "en", "issue", "import", write_xlsx(tmp_path / "s.xlsx", sheet_rows(20)), "--json")
    assert done.exit_code == 1 and done.json()["error"]["code"] == "ledger.busy"
    assert dump(db) == before


def _left_after_a_while(marker: str) -> list[int]:
    """`_others(marker)` once they have had up to 5 s to end."""
    for _ in range(50):
        if not _others(marker):
            break
        time.sleep(0.1)
    return _others(marker)


def _others(marker: str) -> list[int]:
    """Processes still running whose command line names `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                line = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in line:
                found.append(int(entry))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_ctrl_c_twice_with_a_routing_process_leaves_the_ledger_and_no_process(loaded, tmp_path, db, sig):
    before = dump(db)
    sheet = write_xlsx(tmp_path / "routed.xlsx", sheet_rows(40))
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db), GRIDCTL_USER="P001", STOP_SIGNAL=sig)
    script = ("import gridctl.issues.transfer as routed_apart\nrouted_apart.ROUTED_APART = 1\n"
              + TWICE.format(reader="issues.transfer", writer="ledger.recorder"))
    done = subprocess.run([sys.executable, "-c", script, "issue", "import", str(sheet)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == {"SIGINT": 130, "SIGTERM": 143}[sig], done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "BATCH IN ITS TRANSACTION" in done.stderr and "OUTLIVED" not in done.stderr, done.stderr
    assert _left_after_a_while(str(sheet)) == []
    assert dump(db) == before
    assert run("verify", "--deep").exit_code == 0
    assert run("issue", "import", sheet, "--json").json()["imported"] == 40


AWKWARD = ('引号"与\\反斜杠/斜杠', "表情😀\u2028行\u2029段", "é\u00a0\u3000全角　空格", "\ufeff\ufffd\U0010fffd", "'单引号' <&>")
"""Texts an add's details carry that a JSON writer might write otherwise: quotes, backslash,
slash, astral and line-separator characters, a BOM and a private-use character."""


def test_each_event_s_details_are_stored_with_their_keys_sorted(loaded, tmp_path, db):
    """An import's add builds its details with the keys already in order and skips sorting them
    (`events.details_text(in_order=True)`, written by orjson): what is stored is still the one
    canonical text, json's, for every event the import writes (adds, automatic escalations)
    and for texts with quotes, backslashes, emoji and line separators in every field a sheet gives."""
    import json

    rows = [[row[0], row[1], row[2], f"{row[3]}{AWKWARD[i % 5]}", row[4], f"{row[5]}{AWKWARD[(i + 1) % 5]}",
             f"{row[6]}{AWKWARD[(i + 2) % 5]}", row[7], f"{row[8]}{AWKWARD[(i + 3) % 5]}"]
            for i, row in enumerate(sheet_rows(12))]
    assert run("issue", "import", _sheet(db, tmp_path / "s.xlsx", 12), "--json").json()["imported"] == 12
    assert run("issue", "import", write_xlsx(tmp_path / "awkward.xlsx", rows), "--json").json()["imported"] == 12
    with closing(sqlite3.connect(db)) as conn:
        texts = [text for (text,) in conn.execute("SELECT details FROM events WHERE issue IS NOT NULL")]
        actions = {action for (action,) in conn.execute("SELECT DISTINCT action FROM events WHERE issue IS NOT NULL")}
    assert len(texts) >= 24 and actions == {"add", "escalate"}
    assert any("😀\u2028" in text for text in texts)
    for text in texts:
        assert text == json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert run("verify", "--deep").exit_code == 0


def test_an_in_order_add_s_details_are_json_s_text_for_every_character():
    """`details_text(in_order=True)` (orjson) writes json's text for every code point, in a value
    and in a key, and for the whole numbers, booleans and None an add holds; what orjson refuses
    (a number past 64 bits, a key that is not a text, a lone surrogate) json writes or refuses as
    it always did. Pins the encoder the hash is taken over, as test_verify pins the hash."""
    import json

    from gridctl.ledger.events import details_text

    def canonical(details):
        return json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    for start in range(0, 0x110000, 4096):
        text = "".join(chr(c) for c in range(start, start + 4096) if not 0xD800 <= c <= 0xDFFF)
        details = {"issue": {"a" + text[:64]: 1, "b": text, "c": None, "d": True, "e": -(2**63), "f": 2**63 - 1}}
        assert details_text(details, in_order=True) == canonical(details)
    assert details_text({"a": 2**64, "b": [1, "x"]}, in_order=True) == canonical({"a": 2**64, "b": [1, "x"]})
    assert details_text({"a": {1: "x"}}, in_order=True) == '{"a":{"1":"x"}}'
    assert details_text({"a": "\ud800"}, in_order=True) == canonical({"a": "\ud800"})
    with pytest.raises(TypeError):
        details_text({"a": datetime(2026, 11, 27)}, in_order=True)


STOP_WHILE_ROUTED = """  # $STOP_SIGNAL (SIGINT or SIGTERM) to the importing process as it records the second batch
import os, signal, sys, threading
import gridctl.issues.transfer as transfer

transfer.ROUTED_APART = 1
transfer.BATCH = 3                                  # 40 rows: 14 batches, the lock taken at the first
record, batches = transfer._Apart.record, []

def stop_at_batch_2(self, rows, result):
    batches.append(1)
    if len(batches) == 2:
        sent = getattr(signal, os.environ["STOP_SIGNAL"])
        if sent == signal.SIGINT:
            signal.pthread_kill(threading.main_thread().ident, sent)
        else:
            os.kill(os.getpid(), sent)
    return record(self, rows, result)

transfer._Apart.record = stop_at_batch_2
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
from gridctl.cli import main
sys.argv = ["gridctl", *sys.argv[1:]]
main()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_ctrl_c_while_the_second_process_checks_and_routes(loaded, tmp_path, db, sig):
    """The second process checks and routes the sheet while the importing process records what it
    has handed over, inside the write transaction: stopped then, the import leaves the ledger as it
    was and no process behind. (It was pass 1 that was stopped when the importing process checked
    the sheet itself.)"""
    before = dump(db)
    sheet = write_xlsx(tmp_path / "stopped.xlsx", sheet_rows(40))
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db), GRIDCTL_USER="P001", STOP_SIGNAL=sig)
    done = subprocess.run([sys.executable, "-c", STOP_WHILE_ROUTED, "issue", "import", str(sheet)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == {"SIGINT": 130, "SIGTERM": 143}[sig], done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert _left_after_a_while(str(sheet)) == []
    assert dump(db) == before
    assert run("issue", "import", sheet, "--json").json()["imported"] == 40


@pytest.fixture
def routers(monkeypatch):
    """The second processes started, by pid: each must be gone (ended and waited for) once the import returns."""
    from gridctl.issues import router, transfer

    monkeypatch.setattr(transfer, "ROUTED_APART", 1)
    monkeypatch.setattr(transfer, "BATCH", 7)       # pass 1 takes the write lock after 7 rows to write
    pids = []
    original = router.Router.__init__

    def noted(self, *args):
        original(self, *args)
        pids.append(self.pid)

    monkeypatch.setattr(router.Router, "__init__", noted)
    return pids


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_busy_ledger_refuses_a_routed_import_before_its_check_and_leaves_no_process(
        loaded, tmp_path, db, monkeypatch, routers):
    """The write lock is taken during pass 1: another command holding it means a refusal (exit 1,
    ledger.busy) once the busy timeout has passed, as for any writer, and the routing process ends."""
    monkeypatch.setenv("GRIDCTL_BUSY_TIMEOUT_MS", "200")
    sheet = write_xlsx(tmp_path / "s.xlsx", sheet_rows(20))
    run("issue", "list")                                  # the ledger brought up to date before it is held
    before = dump(db)
    with closing(sqlite3.connect(db, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        done = run("--lang", "en", "issue", "import", sheet, "--json")
        other.execute("ROLLBACK")
    assert done.exit_code == 1 and done.json()["error"]["code"] == "ledger.busy", done.stderr
    assert len(routers) == 1 and _gone(routers[0])
    assert dump(db) == before
    assert run("issue", "import", sheet, "--json").json()["imported"] == 20


def test_a_sheet_already_held_imports_nothing_again_with_a_routing_process(loaded, tmp_path, db, routers):
    """Held whole, it takes no write lock (another command holding it does not stop it) and the
    routing process is never told to go."""
    sheet = write_xlsx(tmp_path / "s.xlsx", sheet_rows(20))
    assert run("issue", "import", sheet, "--json").json()["imported"] == 20
    before = dump(db)
    with closing(sqlite3.connect(db, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        again = run("issue", "import", sheet, "--json").json()
        other.execute("ROLLBACK")
    assert (again["imported"], again["already"], again["rows"]) == (0, 20, 20)
    assert dump(db) == before
    assert len(routers) == 2 and all(_gone(pid) for pid in routers)


def test_rows_held_and_new_mixed_with_routing_told_during_pass_1(loaded, tmp_path, db, monkeypatch, routers):
    """Half the sheet held, in turns of 7: pass 1 meets new rows in its first batch and the
    routing process routes while it checks; the held rows are skipped and the ledger is the one
    routing in one process leaves."""
    from gridctl.issues import transfer
    from gridctl.ledger import recorder

    monkeypatch.setattr(recorder, "datetime", _Clock)
    # and the import's own moment, the reported time of rows that give none: the two ledgers' imports
    # are a second apart, and across a minute's turn they differed in it (a failure for no fault)
    monkeypatch.setattr(transfer, "now", lambda: _Clock.now().replace(second=0))
    rows = sheet_rows(42)
    held = write_xlsx(tmp_path / "held.xlsx", [r for i, r in enumerate(rows) if i // 7 % 2])
    sheet = write_xlsx(tmp_path / "s.xlsx", rows)
    alone = tmp_path / "alone.db"
    _copy(db, alone)
    assert run("issue", "import", held, "--json").json()["imported"] == 21
    assert run("issue", "import", sheet, "--json").json()["imported"] == 21
    monkeypatch.setattr(transfer, "ROUTED_APART", 10**9)
    assert run("--db", alone, "issue", "import", held, "--json").json()["imported"] == 21
    assert run("--db", alone, "issue", "import", sheet, "--json").json()["imported"] == 21
    assert len(routers) == 2 and all(_gone(pid) for pid in routers)
    assert dump(db) == dump(alone)


def test_rows_held_and_new_mixed_alike_on_one_core_and_in_a_dry_run(loaded, tmp_path, db, monkeypatch, routing):
    """Half the sheet held, in turns of 7, one of its rows given twice (编号 and all) far from the
    first: the same refusal, and without it the same `--dry-run` (rows to import, held, possible
    duplicates; text and `--json`), the same import and ledger, routed apart, checked in one process
    on one core (keys in a temporary database, the held rows marked by number) or as a small sheet."""
    transfer, _ = routing
    from gridctl.ledger import sheetkeys

    monkeypatch.setattr(sheetkeys, "BATCH", 3)
    monkeypatch.setattr(transfer, "now", lambda: _Clock.now().replace(second=0))
    rows = [[*row, "2026-11-25 09:00"] for row in sheet_rows(42)]
    header = [*HEADER, "上报时间"]
    held = write_xlsx(tmp_path / "held.xlsx", [r for i, r in enumerate(rows) if i // 7 % 2], header=header)
    sheet = write_xlsx(tmp_path / "s.xlsx", rows, header=header)
    twice = write_xlsx(tmp_path / "twice.xlsx", [*rows, rows[8]], header=header)   # row 44: row 10 (held) again
    ledgers, said = {}, {}
    for mode in MODES:
        ledgers[mode] = tmp_path / f"{mode}.db"
        _copy(db, ledgers[mode])
        _mode(monkeypatch, transfer, mode)
        assert run("--db", ledgers[mode], "issue", "import", held, "--json").json()["imported"] == 21
        refused = run("--db", ledgers[mode], "issue", "import", twice, "--dry-run", "--json")
        assert refused.exit_code == 1 and [p["line"] for p in refused.json()] == [44], refused.stdout
        text = run("--db", ledgers[mode], "issue", "import", sheet, "--dry-run")
        as_json = run("--db", ledgers[mode], "issue", "import", sheet, "--dry-run", "--json")
        assert text.exit_code == as_json.exit_code == 0, text.stderr
        said[mode] = (refused.json(), text.stdout, text.stderr, as_json.json())
        done = run("--db", ledgers[mode], "issue", "import", sheet, "--json").json()
        assert (done["imported"], done["already"]) == (21, 21)
    assert said["one core"] == said["small"] == said["apart"]
    assert (said["apart"][3]["imported"], said["apart"][3]["already"]) == (21, 21)
    assert dump(ledgers["apart"]) == dump(ledgers["one core"]) == dump(ledgers["small"])


def _sheet_its_first_rows_and_a_copy(db: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A 40-row sheet, its first 7 rows in a sheet of their own (another clerk's import, dated),
    and a copy of the ledger to import both into one after the other."""
    sheet = _sheet(db, tmp_path / "s.xlsx", 40)
    first = write_xlsx(tmp_path / "first.xlsx", [[*row, f"2026-11-{21 + i % 5:02d} 09:00"]
                                                 for i, row in enumerate(sheet_rows(7))], header=[*HEADER, "上报时间"])
    alone = tmp_path / "alone.db"
    _copy(db, alone)
    return sheet, first, alone


@pytest.mark.parametrize("mode", ["one core", "small"])
def test_a_ledger_changed_before_the_lock_is_read_again_under_it_in_one_process(loaded, tmp_path, db, monkeypatch,
                                                                                routing, mode):
    """Checked in one process before it holds the write lock: if another command commits
    meanwhile (another import of the sheet's first rows), the rows the ledger holds are read
    again under the lock: those rows are held, not added twice. Nothing committed meanwhile:
    the sheet is not read again."""
    transfer, _ = routing
    sheet, first, alone = _sheet_its_first_rows_and_a_copy(db, tmp_path)
    locked, checked, others = transfer.transaction, transfer._checked, []

    def another_import_first(conn):
        if not others:                          # the other import, before this one's lock
            others.append(1)
            _mode(monkeypatch, transfer, "small")
            assert transfer.import_issues(db, first, actor="P001").imported == 7
            _mode(monkeypatch, transfer, mode)
        return locked(conn)

    passes = []

    def counted(*args):
        passes.append(1)
        return checked(*args)

    monkeypatch.setattr(transfer, "_checked", counted)
    monkeypatch.setattr(transfer, "transaction", another_import_first)
    _mode(monkeypatch, transfer, mode)
    done = run("issue", "import", sheet, "--json").json()
    assert (done["imported"], done["already"]) == (33, 7)
    assert len(passes) == 3                     # the other import's, this one's, this one's again under the lock
    monkeypatch.setattr(transfer, "transaction", locked)
    assert run("--db", alone, "issue", "import", first, "--json").json()["imported"] == 7
    del passes[:]
    assert run("--db", alone, "issue", "import", sheet, "--json").json()["imported"] == 33
    assert len(passes) == 1
    assert dump(db) == dump(alone)
    assert run("verify", "--deep").exit_code == 0


def _problem_sheet(path: Path) -> tuple[Path, Path]:
    """42 rows in turns of 7 held and new (the held ones in their own sheet, to import first), and
    every kind of bad row spread over the batches: before the first batch that holds rows to
    write, after it, among the held ones."""
    rows = [[*row, "2026-11-25 09:00"] for row in sheet_rows(42)]
    held = write_xlsx(path.with_name("held.xlsx"), [r for i, r in enumerate(rows) if i // 7 % 2],
                      header=[*HEADER, "上报时间"])
    rows[2][0] = "410105009009009"          # sheet row 4: an unknown grid (a held turn comes first)
    rows[9][1] = "乱扔垃圾"                   # row 11: an unknown category
    rows[16][4] = "2026/11/32"              # row 18: a time that is none
    rows[20][9] = "2099-01-01 09:00"        # row 22: reported in the future
    rows[23][4] = "2026-11-26 09:00"        # row 25: found after it was reported
    rows[30][3] = None                      # row 32: no 问题描述
    rows[33][7] = "电话"                    # row 35: a phone that is none
    rows[37] = list(rows[36])               # row 39: row 38 again
    rows[41][2] = "飞鸽传书"                   # row 43: an unknown source
    return held, write_xlsx(path, rows, header=[*HEADER, "上报时间"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sheet_s_problems_are_said_alike_routed_apart_or_in_one_process(loaded, tmp_path, db, monkeypatch,
                                                                          routers, lang):
    """The second process checks the rows as the import's first pass did: the same problems, in
    the same order and words (file:sheet:row: column: …), exit 1, and nothing written; so does
    one process with the keys in a temporary database (one core), and `--dry-run` in each."""
    from gridctl.issues import transfer

    held, sheet = _problem_sheet(tmp_path / "bad.xlsx")
    assert run("issue", "import", held, "--json").json()["imported"] == 21
    before = dump(db)
    said = {}
    for mode in MODES:
        _mode(monkeypatch, transfer, mode)
        for dry in ((), ("--dry-run",)):
            text = run("--lang", lang, "issue", "import", sheet, *dry)
            as_json = run("--lang", lang, "issue", "import", sheet, *dry, "--json")
            assert text.exit_code == as_json.exit_code == 1, text.stderr
            said[mode, dry] = (text.stderr, as_json.json())
            assert dump(db) == before
    assert all(that == said["apart", ()] for that in said.values())
    lines = [line for line in said["apart", ()][0].splitlines() if line.startswith(str(sheet))]
    assert [line.split(": ")[0].rpartition(":")[2] for line in lines] == [
        "4", "11", "18", "22", "25", "32", "35", "39", "43"]
    assert len(routers) == 3 and all(_gone(pid) for pid in routers)


def test_a_clerk_nobody_knows_is_said_after_the_sheet_s_problems_as_in_one_process(loaded, tmp_path, db,
                                                                                  monkeypatch, routers):
    """The write lock is taken (and the clerk looked up) while the second process still checks:
    a sheet with problems is still refused for its problems first, and a good sheet for the clerk."""
    from gridctl.issues import transfer

    held, sheet = _problem_sheet(tmp_path / "bad.xlsx")
    before = dump(db)
    for apart in (1, 10**9):
        monkeypatch.setattr(transfer, "ROUTED_APART", apart)
        bad = run("--by", "无此人", "issue", "import", sheet, "--json")
        assert bad.exit_code == 1 and [p["line"] for p in bad.json()][:2] == [4, 11], bad.stdout
        good = run("--by", "无此人", "issue", "import", held, "--json")
        assert good.exit_code == 1 and good.json()["error"]["code"] == "actor.unknown"
        assert dump(db) == before


def test_a_ledger_changed_before_the_lock_is_read_again_under_it(loaded, tmp_path, db, monkeypatch, routing):
    """The second process checks the sheet before the import holds the write lock; if another
    command commits meanwhile (here another import of the sheet's first rows), it reads the sheet
    again from its first row in a snapshot taken under the lock: those rows are held, not added twice."""
    transfer, _ = routing
    from gridctl.issues import router

    sheet, first, alone = _sheet_its_first_rows_and_a_copy(db, tmp_path)
    passes = tmp_path / "passes"
    begun = router._Pass.__init__

    def counted(self, *args):                   # (in the second process)
        with passes.open("a") as out:
            out.write("pass\n")
        begun(self, *args)

    locked, others = transfer.transaction, []

    def another_import_first(conn):
        if not others:                          # the other import, in one process, before this one's lock
            others.append(1)
            monkeypatch.setattr(transfer, "ROUTED_APART", 10**9)
            assert transfer.import_issues(db, first, actor="P001").imported == 7
            monkeypatch.setattr(transfer, "ROUTED_APART", 1)
        return locked(conn)

    monkeypatch.setattr(router._Pass, "__init__", counted)
    monkeypatch.setattr(transfer, "transaction", another_import_first)
    monkeypatch.setattr(transfer, "ROUTED_APART", 1)
    done = run("issue", "import", sheet, "--json").json()
    assert (done["imported"], done["already"]) == (33, 7)
    assert passes.read_text().count("pass") == 2
    monkeypatch.setattr(transfer, "transaction", locked)
    monkeypatch.setattr(transfer, "ROUTED_APART", 10**9)
    assert run("--db", alone, "issue", "import", first, "--json").json()["imported"] == 7
    assert run("--db", alone, "issue", "import", sheet, "--json").json()["imported"] == 33
    assert dump(db) == dump(alone)
    assert run("verify", "--deep").exit_code == 0


def test_a_sheet_changed_while_it_is_imported_is_refused_and_nothing_written(loaded, tmp_path, db, monkeypatch,
                                                                              routers):
    """Saved again by the clerk while the import records it (the file's size and time differ at
    the end): refused (sheet.changed, exit 1), the ledger as it was, routed apart or in one process."""
    from gridctl.issues import transfer

    before = dump(db)
    record = transfer.record_new
    for apart in (1, 10**9):
        sheet = write_xlsx(tmp_path / f"s{apart}.xlsx", sheet_rows(20))
        saved = []

        def saved_again(*args, sheet=sheet, saved=saved):
            if not saved:
                saved.append(write_xlsx(sheet, sheet_rows(21)))
            return record(*args)

        monkeypatch.setattr(transfer, "ROUTED_APART", apart)
        monkeypatch.setattr(transfer, "record_new", saved_again)
        done = run("--lang", "en", "issue", "import", sheet, "--json")
        assert done.exit_code == 1 and done.json()["error"]["code"] == "sheet.changed", done.stdout
        assert saved and dump(db) == before
    assert len(routers) == 1 and _gone(routers[0])


def test_no_second_process_to_be_had_imports_in_one_process(loaded, tmp_path, db, monkeypatch, routing):
    """fork refused (too many processes, no memory): the import is made in one process, the same
    ledger, and the pipes meant for the second process are closed again."""
    import errno

    transfer, started = routing
    sheet = _sheet(db, tmp_path / "big.xlsx", 40)
    alone = tmp_path / "alone.db"
    _copy(db, alone)

    def refused():
        raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(transfer, "ROUTED_APART", 1)
    monkeypatch.setattr(os, "fork", refused)
    files = len(os.listdir("/proc/self/fd"))
    assert run("issue", "import", sheet, "--json").json()["imported"] == 40
    assert len(started) == 1 and len(os.listdir("/proc/self/fd")) == files
    monkeypatch.setattr(transfer, "ROUTED_APART", 10**9)
    assert run("--db", alone, "issue", "import", sheet, "--json").json()["imported"] == 40
    assert dump(db) == dump(alone)


def test_rows_given_twice_far_apart_are_refused_alike_routed_apart_or_in_one_process(loaded, tmp_path, db,
                                                                                    monkeypatch, routing):
    """The second process keeps the sheet's keys in a temporary database, a few in memory: a row
    repeating one given long before (its 编号, or with none its grid, category, source, title and
    time) is refused as in one process, naming the first row; so is one repeating a row just before.
    A large sheet checked in one process (`--dry-run`, a machine with one core) keeps its keys so
    too, and is refused in the same words, with or without `--dry-run`."""
    from gridctl.ledger import sheetkeys

    transfer, _ = routing
    monkeypatch.setattr(sheetkeys, "BATCH", 3)         # keys written to the database every 3 rows
    rows = [[*row, "2026-11-25 09:00"] for row in sheet_rows(40)]
    rows[34] = list(rows[2])                            # row 36: row 4 again (编号 and all)
    rows[4][8] = rows[37][8] = None                     # rows 6 and 39: no 编号, the same content
    rows[37][:8] = rows[4][:8]
    rows[21] = list(rows[20])                           # row 23: row 22 again, just after it
    sheet = write_xlsx(tmp_path / "twice.xlsx", [*rows, [*sheet_rows(41)[40], "2026-11-25 09:00"]],
                       header=[*HEADER, "上报时间"])
    before, said = dump(db), {}
    keys_written = _keys_written(monkeypatch)
    for mode in MODES:
        _mode(monkeypatch, transfer, mode)
        for dry in ((), ("--dry-run",)):
            written = len(keys_written)
            text, as_json = run("issue", "import", sheet, *dry), run("issue", "import", sheet, *dry, "--json")
            assert text.exit_code == as_json.exit_code == 1, text.stderr
            said[mode, dry] = (text.stderr, as_json.json())
            assert dump(db) == before
            assert (len(keys_written) > written) == (mode == "one core" or mode == "apart" and bool(dry)), (mode, dry)
    assert all(that == said["apart", ()] for that in said.values())
    assert [(p["line"], p["field"], p["message"]) for p in said["apart", ()][1]] == [
        (23, "编号", "与第 22 行重复"), (36, "编号", "与第 4 行重复"), (39, "问题描述", "与第 6 行重复")]


def _with_shared_strings(path: Path, out: Path) -> Path:
    """The workbook openpyxl wrote (its texts inline in each cell) written again with its texts in a
    shared strings table, each text once, the cells pointing to it by number: as Excel writes them."""
    texts: dict[str, int] = {}

    def shared(cell):
        return f'{cell.group(1)} t="s"><v>{texts.setdefault(cell.group(2), len(texts))}</v></c>'

    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', shared, sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in texts)
    parts["xl/sharedStrings.xml"] = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                     f'count="{len(texts)}" uniqueCount="{len(texts)}">{items}</sst>').encode()
    with zipfile.ZipFile(out, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    return out


def test_a_sheet_read_in_pieces_imports_as_one_read_whole(loaded, tmp_path, db, monkeypatch, routing):
    """An .xlsx is read in pieces of a few rows (`xlsxpieces`), each through calamine: its shared
    texts renumbered, a title row and a first empty column, dates and numbers as cells, an empty
    row, and rows of two years. The ledger and `--json` (its ids in order, the possible
    duplicates) are those of the sheet read whole in one process."""
    from openpyxl import Workbook

    from gridctl import sheets, xlsxpieces

    transfer, _ = routing
    book = Workbook()
    ws = book.active
    ws.title = "台账"
    ws["B1"] = "金水区问题台账"
    ws.append([None, *HEADER, "上报时间"])
    for i, row in enumerate(sheet_rows(40)):
        if i == 17:
            ws.append([])
        year = 2025 if i % 3 == 0 else 2026
        row[4] = datetime(year, 11, 1 + i % 20, 8, i % 60)         # a date cell, not a text
        row[7] = 13800001111                                        # a number
        row[3] = "问题" if i % 4 == 0 else row[3]                   # texts shared by several rows
        ws.append([None, *row, datetime(year, 11, 25, 9, 0)])
    book.save(tmp_path / "inline.xlsx")
    sheet = _with_shared_strings(tmp_path / "inline.xlsx", tmp_path / "pieces.xlsx")
    alone = tmp_path / "alone.db"
    _copy(db, alone)
    monkeypatch.setattr(xlsxpieces, "PIECE", 1500)                  # a few rows a piece
    monkeypatch.setattr(transfer, "ROUTED_APART", 1)
    cut = run("issue", "import", sheet, "--json")
    assert cut.exit_code == 0, cut.stderr
    monkeypatch.setattr(transfer, "ROUTED_APART", 10**9)
    monkeypatch.setattr(sheets, "_xlsx_pieces", lambda path: None)  # calamine's whole sheet, as before
    whole = run("--db", alone, "issue", "import", sheet, "--json")
    assert whole.exit_code == 0, whole.stderr
    assert cut.json() == whole.json() and cut.json()["imported"] == 40
    assert dump(db) == dump(alone)
    with closing(sqlite3.connect(db)) as conn:
        assert cut.json()["ids"] == [i for (i,) in conn.execute("SELECT id FROM issues ORDER BY num")][-40:]
    assert {i.split("-")[1] for i in cut.json()["ids"]} == {"2025", "2026"}


def _imported_apart_and_alone(rows, db, tmp_path, transfer, monkeypatch) -> None:
    """Import `rows` into `db` routed in a second process and into a copy routed in one: every
    row imported both ways, and the two ledgers the same."""
    sheet = write_xlsx(tmp_path / "blocks.xlsx", rows, header=[*HEADER, "上报时间"])
    alone = tmp_path / "alone.db"
    _copy(db, alone)
    monkeypatch.setattr(transfer, "ROUTED_APART", 1)
    assert run("issue", "import", sheet, "--json").json()["imported"] == len(rows)
    monkeypatch.setattr(transfer, "ROUTED_APART", 10**9)
    assert run("--db", alone, "issue", "import", sheet, "--json").json()["imported"] == len(rows)
    assert dump(db) == dump(alone)
