"""A scripted month for one team of 5 members in 2 communities (the acceptance of patrols
and conduct records): weekly patrol and meeting duties name exactly who skipped."""

from __future__ import annotations

import functools
import shutil

import pytest

from tests import helpers
from tests.helpers import run, write_folder

TOWN = """
grids:
  - code: "410108"
    name: 惠济区
    children:
      - code: "410108001"
        name: 老鸦陈街道
        children:
          - code: "410108001001"
            name: 老鸦陈村
            kind: 村
            children:
              - {code: "410108001001001", name: 第一村民组, kind: 村组}
              - {code: "410108001001002", name: 第二村民组, kind: 村组}
          - code: "410108001002"
            name: 毛庄村
            kind: 村
            children:
              - {code: "410108001002001", name: 第一村民组, kind: 村组}
              - {code: "410108001002002", name: 第二村民组, kind: 村组}
people:
  - {id: L1, name: 队长甲, phone: "13800002001"}
  - {id: M1, name: 队员乙, phone: "13800002002"}
  - {id: M2, name: 队员丙, phone: "13800002003"}
  - {id: M3, name: 队员丁, phone: "13800002004"}
  - {id: M4, name: 队员戊, phone: "13800002005"}
  - {id: G1, name: 组长一, phone: "13800002011"}
  - {id: G2, name: 组长二, phone: "13800002012"}
  - {id: G3, name: 组长三, phone: "13800002013"}
  - {id: G4, name: 组长四, phone: "13800002014"}
  - {id: X1, name: 外人, phone: "13800002099"}
posts:
  - {grid: "410108001001001", role: 网格长, person: G1, since: 2026-01-01}
  - {grid: "410108001001002", role: 网格长, person: G2, since: 2026-01-01}
  - {grid: "410108001002001", role: 网格长, person: G3, since: 2026-01-01}
  - {grid: "410108001002002", role: 网格长, person: G4, since: 2026-01-01}
teams:
  - {code: T9, name: 市教体局驻老鸦陈工作队, unit: 市教体局, leader: L1, members: [M1, M2, M3, M4],
     grids: ["410108001001", "410108001002"], since: 2026-01-01}
"""
C1, C2 = "410108001001", "410108001002"
BLOCKS = {"G1": "410108001001001", "G2": "410108001001002", "G3": "410108001002001", "G4": "410108001002002"}
TEAM = ["L1", "M1", "M2", "M3", "M4"]
WEEKS = {"2026-W41": "2026-10-0{}", "2026-W42": "2026-10-1{}", "2026-W43": "2026-10-2{}",
         "2026-W44": "2026-10-2{}"}
DAYS = {"2026-W41": ["2026-10-06", "2026-10-08"], "2026-W42": ["2026-10-13", "2026-10-15"],
        "2026-W43": ["2026-10-20", "2026-10-22"], "2026-W44": ["2026-10-27", "2026-10-29"]}
SKIPS = {  # week → (person, grid) pairs that are not walked
    "2026-W41": {("M2", C2)},
    "2026-W42": set(),
    "2026-W43": {("L1", C1), ("L1", C2)},
    "2026-W44": {("G1", BLOCKS["G1"])},
}
MEETING_WEEKS = {"2026-W41", "2026-W42", "2026-W44"}


ok = functools.partial(helpers.ok, by="L1")


@pytest.fixture(scope="module")
def month_ledger(tmp_path_factory):
    """The month is scripted once; each test gets its own copy of the ledger."""
    folder = tmp_path_factory.mktemp("month")
    db = folder / "month.db"
    assert run("--db", db, "load", write_folder(folder / "town", {"town.yaml": TOWN}),
               "--as-of", "2026-09-01").exit_code == 0
    issue = script_month(functools.partial(ok, db=db))
    return db, issue


@pytest.fixture
def month(month_ledger, db):
    template, issue = month_ledger
    shutil.copy(template, db)
    return issue


def script_month(ok):
    issue = ok("issue", "add", "-g", BLOCKS["G4"], "-c", "环境卫生", "-s", "巡查发现", "-t", "柴草堆放",
               "--at", "2026-10-13 10:00")
    for week, days in DAYS.items():
        for person in TEAM:
            for n, community in enumerate((C1, C2)):
                if (person, community) in SKIPS[week]:
                    continue
                block = f"{community}00{1 + n}"        # a member walks a block of the community
                extra = ["--found", issue["id"]] if (week, person, community) == ("2026-W42", "M3", C2) else []
                ok("patrol", "add", "-p", person, "-g", block, "-d", days[n], "--households", "5",
                   "--notes", f"{person} 走访", *extra)
        for person, block in BLOCKS.items():
            if (person, block) not in SKIPS[week]:
                ok("patrol", "add", "-p", person, "-g", block, "-d", days[1])
        if week in MEETING_WEEKS:
            ok("meeting", "add", "--unit", "T9", "-d", days[0], "--kind", "碰头会", "--attendees", ",".join(TEAM))
    ok("attendance", "add", "-p", "M1", "-d", "2026-10-19", "--kind", "请假", "--days", "2", "--reason", "病假")
    ok("attendance", "add", "-p", "M1", "-d", "2026-10-20", "--kind", "销假")
    ok("attendance", "add", "-p", "M4", "-d", "2026-10-21", "--kind", "督查通报", "--reason", "督查不在岗")
    ok("study", "add", "-p", "M2", "-d", "2026-10-09", "--kind", "组织学习")
    ok("study", "add", "-p", "M3", "-d", "2026-10-09", "--kind", "study", "--attended", "no")
    ok("publicity", "add", "-p", "L1", "-d", "2026-10-16", "--kind", "工作动态", "--title", "工作队走访困难户")
    for person, votes in zip(TEAM, ((50, 5, 1), (45, 8, 3), (40, 10, 6), (52, 4, 0), (48, 6, 2))):
        ok("survey", "add", "--team", "T9", "-d", "2026-10-30", "--participants", "56", "-p", person,
           "--satisfied", str(votes[0]), "--fair", str(votes[1]), "--unsatisfied", str(votes[2]))
    return issue


def test_patrol_missing_names_exactly_who_skipped(month):
    for week, skipped in SKIPS.items():
        result = ok("patrol", "missing", "--week", week)
        assert {(m["person"], m["grid"]) for m in result["missing"]} == skipped, week
        assert result["owed"] == 14
        table = run("patrol", "missing", "--week", week)
        assert table.exit_code == 0
        for person, grid in skipped:
            assert person in table.stdout and grid in table.stdout
        assert f"未巡查 {len(skipped)} 项" in table.stdout


def test_missing_for_one_unit(month):
    in_c2 = ok("patrol", "missing", "--week", "2026-W43", "--unit", "毛庄村")["missing"]
    assert [(m["person"], m["grid"]) for m in in_c2] == [("L1", C2)]
    team_only = ok("patrol", "missing", "--week", "2026-W44", "--unit", "T9")["missing"]
    assert team_only == []


def test_meeting_missing_names_the_team_that_skipped(month):
    for week in WEEKS:
        result = ok("meeting", "missing", "--week", week)
        expected = [] if week in MEETING_WEEKS else ["T9"]
        assert [m["team"] for m in result["missing"]] == expected
    table = run("meeting", "missing", "--week", "2026-W43")
    assert "T9" in table.stdout and "未开 1 次" in table.stdout


def test_found_issue_links_both_ways(month):
    patrols = ok("patrol", "list", "--person", "M3", "--since", "2026-10-12", "--until", "2026-10-18")
    found = [p for p in patrols if p["found"]]
    assert len(found) == 1 and found[0]["found"] == [month["id"]]
    assert found[0]["grid"] == BLOCKS["G4"] and found[0]["team"] == "T9"


def test_conduct_records_are_listed(month):
    leave = ok("attendance", "list", "-p", "M1")
    assert [(r["kind"], r["days"]) for r in leave] == [("cancel", 1), ("leave", 2)]
    assert ok("attendance", "list", "-p", "M4")[0]["kind"] == "notice"
    assert {(r["person"], r["attended"]) for r in ok("study", "list")} == {("M2", 1), ("M3", 0)}
    assert ok("publicity", "list")[0]["kind"] == "news"
    surveys = ok("survey", "list", "--team", "T9")
    assert len(surveys) == 5 and sum(s["satisfied"] for s in surveys) == 235
    assert len(ok("meeting", "list")) == 3


def test_voiding_a_patrol_makes_it_owed_again(month):
    week = "2026-W42"
    assert ok("patrol", "missing", "--week", week)["missing"] == []
    patrol = ok("patrol", "list", "-p", "M1", "--since", "2026-10-12", "--until", "2026-10-14")[0]
    voided = ok("patrol", "void", patrol["id"], "--reason", "日期填错")
    assert voided["voided"] == 1 and voided["void_reason"] == "日期填错"
    assert [(m["person"], m["grid"]) for m in ok("patrol", "missing", "--week", week)["missing"]] == [("M1", C1)]
    again = run("patrol", "void", patrol["id"], "--reason", "x")
    assert again.exit_code == 1
    listed = ok("patrol", "list", "-p", "M1", "--voided")
    assert any(p["voided"] for p in listed)
    assert run("verify").exit_code == 0


def test_verify_detects_an_edited_patrol_row_event(month, db):
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    seq = conn.execute("SELECT seq FROM events WHERE action = 'patrol.add' ORDER BY seq LIMIT 1 OFFSET 3").fetchone()[0]
    conn.execute("UPDATE events SET details = replace(details, '\"households\":5', '\"households\":50') WHERE seq = ?", (seq,))
    conn.close()
    result = run("verify", "--json").json()
    assert result["ok"] is False and result["break"]["kind"] == "edited"
    assert result["break"]["seq"] == seq and result["break"]["subject"].startswith("410108-P2026-")


def test_leave_all_week_excuses_the_patrol(month):
    # M2 skipped C2 in W41 (2026-10-05 .. 10-11); 10-05 .. 10-09 are its working days, and the
    # Saturday 10-10 is a make-up working day too
    ok("attendance", "add", "-p", "M2", "-d", "2026-10-05", "--kind", "请假", "--days", "5")
    still = ok("patrol", "missing", "--week", "2026-W41")
    assert [(m["person"], m["grid"]) for m in still["missing"]] == [("M2", C2)] and still["excused"] == []
    ok("attendance", "add", "-p", "M2", "-d", "2026-10-10", "--kind", "请假", "--days", "1")
    excused = ok("patrol", "missing", "--week", "2026-W41")
    assert excused["missing"] == [] and excused["excused"] == ["M2"]
    ok("attendance", "add", "-p", "M2", "-d", "2026-10-08", "--kind", "销假")     # back on Thursday
    assert [(m["person"], m["grid"]) for m in ok("patrol", "missing", "--week", "2026-W41")["missing"]] == [("M2", C2)]


def test_on_leave_is_pure():
    from datetime import date

    from gridctl.records.weekly import on_leave

    week = [date(2026, 11, d) for d in range(16, 21)]
    records = [("a", "leave", "2026-11-13", 10), ("b", "leave", "2026-11-16", 3), ("c", "leave", "2026-11-16", 5),
               ("c", "cancel", "2026-11-19", 1)]
    assert on_leave(records, week) == {"a"}


def test_verify_deep_replays_conduct_rows(month, db):
    import sqlite3

    result = ok("verify", "--deep")
    assert result["ok"] and result["projection"]["records"] > 50
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE surveys SET satisfied = satisfied + 5 WHERE person = 'M2'")   # a score padded in the table
    conn.close()
    assert run("verify").exit_code == 0                                              # the chain is intact
    deep = run("verify", "--deep")
    assert deep.exit_code == 1 and "“满意” 按事件应为" in deep.stderr and "V2026" in deep.stderr, deep.stderr
