"""`gridctl score`: hand-worked quarters, worked out in this file from the ledger rows (not by
calling the formulas), then the JSON, the workbook, explain, approval and flags against them."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gridctl.scoring import formulas
from gridctl.config.scoring import load_scoring
from tests import helpers
from tests.helpers import ROOT, run, write_folder

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
          - code: "410108001002"
            name: 毛庄村
            kind: 村
            children:
              - {code: "410108001002001", name: 第一村民组, kind: 村组}
          - code: "410108001003"
            name: 刘寨村
            kind: 村
people:
  - {id: L1, name: 队长一, phone: "13800003001"}
  - {id: A1, name: 队员甲, phone: "13800003002"}
  - {id: B1, name: 队员乙, phone: "13800003003"}
  - {id: L2, name: 队长二, phone: "13800003004"}
  - {id: A2, name: 队员丙, phone: "13800003005"}
  - {id: L3, name: 队长三, phone: "13800003006"}
  - {id: A3, name: 队员丁, phone: "13800003007"}
  - {id: G, name: 网格长, phone: "13800003008"}
  - {id: Z, name: 考核办, phone: "13800003009"}
posts:
  - {grid: "410108001001001", role: 网格长, person: G, since: 2026-01-01}
  - {grid: "410108001002001", role: 网格长, person: G, since: 2026-01-01}
teams:
  - {code: T1, name: 市教体局驻老鸦陈村工作队, unit: 市教体局, leader: L1, since: 2026-01-01,
     members: [A1, B1], grids: ["410108001001"]}
  - {code: T2, name: 市交通局驻毛庄村工作队, unit: 市交通局, leader: L2, since: 2026-01-01,
     members: [A2], grids: ["410108001002"]}
  - {code: T3, name: 市教体局驻刘寨村工作队, unit: 市教体局, leader: L3, since: 2026-01-01,
     members: [A3], grids: ["410108001003"]}
"""
V1, V2 = "410108001001001", "410108001002001"
Q3_MONDAYS = [date(2026, 6, 29) + timedelta(weeks=i) for i in range(13)]      # ISO W27 … W39


def ok(*args, by="G", db=None):
    return helpers.ok(*args, by=by, db=db)


_ok = ok


def _patrols(tmp_path) -> str:
    """Every member patrols the team's village each week of Q3 (Wednesday), except A2 in W28 and W29."""
    rows = ["日期,人员,网格编码"]
    for monday in Q3_MONDAYS:
        day = (monday + timedelta(days=2)).isoformat()
        rows += [f"{day},{p},410108001001" for p in ("L1", "A1", "B1")]
        rows += [f"{day},{p},410108001002" for p in ("L2", "A2") if not (p == "A2" and monday.isoformat() in
                                                                        ("2026-07-06", "2026-07-13"))]
    path = tmp_path / "patrols.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def _life(ok, issue, accept, handle=None, close=None, callback=None):
    ok("issue", "accept", issue, "--at", accept)
    if handle:
        ok("issue", "dispatch", issue, "--at", accept)
        ok("issue", "handle", issue, "--at", handle)
    if close:
        ok("issue", "close", issue, "--at", close)
    if callback:
        ok("issue", "callback", issue, "--result", callback[0], "--at", callback[1])


@pytest.fixture
def quarter(db, templates):
    templates.copy("two_teams_quarter", scripted_quarter, db)


def scripted_quarter(db):
    """The town loaded, then a quarter of issues, patrols and conduct records for T1 and T2 (T3 idle)."""
    tmp_path = db.parent
    assert run("--db", db, "load", write_folder(tmp_path / "town", {"t.yaml": TOWN}), "--as-of", "2026-01-01").exit_code == 0
    ok = functools.partial(_ok, db=db)
    life = functools.partial(_life, ok)
    t1 = ("issue", "add", "-g", V1, "-c", "环境卫生")
    # a: T1's own find (A1 on patrol), in time, closed, 满意
    a = ok(*t1, "-s", "巡查发现", "--reporter", "A1", "-t", "垃圾一", "--at", "2026-07-06 09:00")["id"]
    life(a, "2026-07-06 10:00", "2026-07-07 09:00", "2026-07-08 09:00", ("满意", "2026-07-10 09:00"))
    # b: a citizen's report: in the grid's issues, not the team's find; closed, 不满意
    b = ok(*t1, "-s", "群众举报", "-t", "垃圾二", "--at", "2026-07-13 09:00")["id"]
    life(b, "2026-07-13 10:00", "2026-07-14 09:00", "2026-07-15 09:00", ("不满意", "2026-07-16 09:00"))
    # c: 巡查发现 by the 网格长 G, who is not in the team; handled, never closed
    c = ok(*t1, "-s", "巡查发现", "-t", "垃圾三", "--at", "2026-08-03 09:00")["id"]
    life(c, "2026-08-03 10:00", "2026-08-04 09:00")
    # d: L1's find put on the platform 30 h after it was found; not accepted
    ok(*t1, "-s", "巡查发现", "--reporter", "L1", "-t", "垃圾四", "--found-at", "2026-08-10 08:00",
       "--at", "2026-08-11 14:00")
    # e: A1's duplicate, rejected: counts nowhere
    e = ok(*t1, "-s", "巡查发现", "--reporter", "A1", "-t", "垃圾五", "--at", "2026-09-01 09:00")["id"]
    ok("issue", "reject", e, "--reason", "重复", "--at", "2026-09-01 10:00")
    # f: T2's own find (A2), in time, closed, 基本满意
    f = ok("issue", "add", "-g", V2, "-c", "环境卫生", "-s", "巡查发现", "--reporter", "A2", "-t", "垃圾六",
           "--at", "2026-07-07 09:00")["id"]
    life(f, "2026-07-07 10:00", "2026-07-08 09:00", "2026-07-09 09:00", ("基本满意", "2026-07-10 09:00"))
    assert run("--db", db, "--by", "G", "patrol", "import", _patrols(tmp_path)).exit_code == 0
    for n in range(3):
        ok("publicity", "add", "-p", "L1", "-d", f"2026-07-1{n}", "--kind", "工作动态", "--title", f"动态{n}")
    ok("publicity", "add", "-p", "A2", "-d", "2026-08-10", "--kind", "工作简报", "--title", "简报")
    ok("attendance", "add", "-p", "A1", "-d", "2026-07-15", "--kind", "不在岗", "--days", "2")
    ok("attendance", "add", "-p", "A2", "-d", "2026-07-13", "--kind", "请假", "--days", "5")
    ok("meeting", "add", "--unit", "T1", "-d", "2026-07-08", "--kind", "碰头会", "--attendees", "L1")
    for person, votes in (("L1", (40, 8, 2)), ("A1", (30, 15, 5)), ("L2", (50, 0, 0)), ("A2", (45, 5, 0))):
        team = "T1" if person.endswith("1") else "T2"
        ok("survey", "add", "--team", team, "-d", "2026-09-25", "--participants", "52", "-p", person,
           "--satisfied", votes[0], "--fair", votes[1], "--unsatisfied", votes[2])


# Worked by hand from the rows above, for 2026Q3 (2026-07-01 .. 2026-09-30), SPEC.md "Assessment":
#   T1 (老鸦陈村): issues a b c d e; e is rejected and counts nowhere.
#     发现率 = T1's own finds a (A1), d (L1) ÷ a b c d          = 2/4 × 20 = 10
#              (b is a citizen's, c was found by G, who is not in T1)
#     处置率 = closed a, b ÷ due a, b, c (c handled, not closed) = 2/3 × 20 = 13.3333
#     上报率 = own finds in time: a (d came 30 h late) ÷ a, d    = 1/2 × 20 = 10
#     满意率 = 满意 (a) ÷ callbacks a, b                          = 1/2 × 20 = 10
#     工作业绩 = 43.3333
#   T2 (毛庄村): f, its own, in time, closed, 基本满意: every rate 1/1 → 80
#   T3 (刘寨村): nothing recorded → every rate 0/0 → 未评, no rank, no award
#   Conduct (publicity 5 × items/3; attendance 5 − 1/day absent; study 5 − 1 per missed patrol
#   week or team meeting; votes (5·s + 4·f + 3·u)/n):
#     L1: 5 + 5 + 5 + (200+32+6)/50 = 4.76  → 19.76    + 43.3333 = 63.0933  基本称职
#     A1: 0 + 3 + 4 (missed the 07-08 meeting) + 225/50 = 4.5 → 11.5 + 43.3333 = 54.8333  不称职
#     B1: 0 + 5 + 4 (the meeting) + no votes → 未评: not rated, not ranked, no award
#     L2: 0 + 5 + 5 + 5 = 15 + 80 = 95  优秀
#     A2: 1.6667 + 5 + 4 (W28 missed; W29 on leave all week) + (225+20)/50 = 4.9 → 15.5667 + 80 = 95.5667
#   Teams: T1 = (63.0933 + 54.8333)/2 = 58.9633 差; T2 = (95 + 95.5667)/2 = 95.2833 好; T3 未评
#   Units: 市教体局 = T1 only (T3 not rated) = 58.9633 差; 市交通局 = 95.2833 好
#   Awards: 先进工作队一等奖 T2; 优秀工作队长 L2 (L1 基本称职 is below 称职); 优秀工作队员一等奖 A2;
#   先进部门 市交通局. Nobody of T3 and not B1.
PERF = {"T1": 43.3333, "T2": 80.0}
TOTALS = {"L1": 63.0933, "A1": 54.8333, "L2": 95.0, "A2": 95.5667}
CONDUCT = {"L1": 19.76, "A1": 11.5, "B1": 9.0, "L2": 15.0, "A2": 15.5667}
T1_RATES = {"discovery": (2, 4), "handling": (2, 3), "reporting": (1, 2), "satisfaction": (1, 2)}


def test_two_teams_rates_as_spec_defines_them(quarter):
    result = ok("score", "--quarter", "2026Q3")
    assert result["config_version"] == "2026.2"
    teams = {t["team"]: t for t in result["teams"]}
    assert {k: (v["numerator"], v["denominator"]) for k, v in teams["T1"]["rates"].items() if k in T1_RATES} == T1_RATES
    assert all((teams["T2"]["rates"][k]["numerator"], teams["T2"]["rates"][k]["denominator"]) == (1, 1) for k in T1_RATES)
    assert teams["T1"]["performance"] == pytest.approx(PERF["T1"], abs=1e-3)
    assert teams["T2"]["performance"] == pytest.approx(80)
    members = {m["person"]: m for m in result["members"]}
    for person, total in TOTALS.items():
        assert members[person]["total"] == pytest.approx(total, abs=1e-3), person
    for person, conduct in CONDUCT.items():
        assert members[person]["conduct"] == pytest.approx(conduct, abs=1e-3), person
    assert [members[p]["grade"] for p in ("L1", "A1", "L2", "A2")] == ["基本称职", "不称职", "优秀", "优秀"]
    assert teams["T1"]["total"] == pytest.approx((63.0933 + 54.8333) / 2, abs=1e-3) and teams["T1"]["grade"] == "差"
    assert teams["T2"]["total"] == pytest.approx(95.2833, abs=1e-3) and teams["T2"]["grade"] == "好"
    units = {u["unit"]: u for u in result["units"]}
    assert units["市教体局"]["total"] == pytest.approx(58.9633, abs=1e-3)
    assert [(a["award"], a["id"]) for a in result["awards"]] == [
        ("先进工作队一等奖", "T2"), ("优秀工作队长", "T2:L2"), ("优秀工作队员一等奖", "T2:A2"), ("先进部门", "市交通局")]


def test_nothing_scores_for_nothing(quarter):
    result = ok("score", "--quarter", "2026Q3")
    teams = {t["team"]: t for t in result["teams"]}
    assert teams["T3"]["total"] is None and teams["T3"]["rank"] is None and teams["T3"]["performance"] is None
    members = {m["person"]: m for m in result["members"]}
    assert members["L3"]["total"] is None and members["L3"]["rank"] is None
    assert members["B1"]["total"] is None and members["B1"]["missing"] == ["survey"]
    assert teams["T1"]["rated_members"] == 2 and teams["T1"]["members"] == 3
    awarded = {a["id"] for a in result["awards"]}
    assert not awarded & {"T3", "T3:L3", "T3:A3", "T1:B1"}
    gaps = {(g["subject"], g["item"]) for g in result["missing"]}
    assert ("T3", "performance") in gaps and ("T1:B1", "survey") in gaps
    excluded = {(e["id"], e["reason"]) for e in result["exclusions"]}
    assert ("T3", "unrated") in excluded and ("T1:B1", "unrated") in excluded


def test_missed_patrols_and_meetings_are_named_in_explain(quarter):
    a2 = ok("score", "explain", "--person", "A2", "--quarter", "2026Q3")["memberships"][0]
    assert a2["rows"]["patrol_weeks"] == ["2026-W28"]             # W29: on leave the whole week
    assert a2["conduct_items"]["study"]["points"] == pytest.approx(4)
    a1 = ok("score", "explain", "--person", "A1", "--quarter", "2026Q3")["memberships"][0]
    assert len(a1["rows"]["meetings"]) == 1 and a1["rows"]["patrol_weeks"] == []
    assert len(a1["rows"]["issues"]["discovery"]["numerator"]) == 2
    assert len(a1["rows"]["issues"]["handling"]["denominator"]) == 3
    text = run("score", "explain", "--person", "A2", "--quarter", "2026Q3")
    assert text.exit_code == 0 and "2026-W28" in text.stdout and "= 95.57" in text.stdout
    assert "votes" not in text.stdout and "full" not in text.stdout
    b1 = run("score", "explain", "--person", "B1", "--quarter", "2026Q3").stdout
    assert "数据不足" in b1 and "民意测评" in b1
    english = run("--lang", "en", "score", "explain", "--person", "B1", "--quarter", "2026Q3").stdout
    assert "insufficient data" in english and not any("\u4e00" <= ch <= "\u9fff" for ch in english.replace("队员乙", "")
                                                       .replace("市教体局驻老鸦陈村工作队", ""))
    assert run("score", "explain", "--person", "G", "--quarter", "2026Q3").exit_code == 1


@pytest.mark.parametrize("person", ["", "  "])
def test_explain_of_no_one_is_refused(quarter, person):
    """An empty --person traced everyone, printed the first member and ended in a TypeError (exit 3)."""
    said = run("score", "explain", "--person", person, "--quarter", "2026Q3")
    assert said.exit_code == 1 and "需要 --person" in said.stderr and said.stdout == "", said.stderr + said.stdout


def test_approval_is_a_control(quarter, tmp_path):
    assert run("score", "approve", "--quarter", "2026Q3").exit_code == 1                    # nobody
    assert run("--by", "NOBODY", "score", "approve", "--quarter", "2026Q3").exit_code == 1   # unknown
    refused = run("--by", "A1", "score", "approve", "--quarter", "2026Q3")                  # assessed
    assert refused.exit_code == 1 and "A1" in refused.stderr
    approved = ok("score", "approve", "--quarter", "2026Q3", by="Z")
    assert approved["by"] == "Z" and approved["last_event"]
    assert run("--by", "Z", "score", "approve", "--quarter", "2026Q3").exit_code == 1        # twice
    before = ok("score", "--quarter", "2026Q3")
    # a backdated close of c: T1's 处置率 would become 3/3
    c = next(i["id"] for i in ok("issue", "list") if i["title"] == "垃圾三")
    ok("issue", "close", c, "--at", "2026-08-20 09:00")
    item = ok("publicity", "add", "-p", "A1", "-d", "2026-08-21", "--kind", "工作动态", "--title", "补录")["id"]
    after = ok("score", "--quarter", "2026Q3")
    assert [(m["id"], m["total"]) for m in after["members"]] == [(m["id"], m["total"]) for m in before["members"]]
    assert after["approval"]["actor"] == "Z"
    assert [e["issue"] or e["record"] for e in after["changed"]["events"]] == [c, item]
    changed = {row["id"]: row for row in after["changed"]["figures"]}
    assert changed["T1:L1"]["now"] - changed["T1:L1"]["approved"] == pytest.approx(20 / 3, abs=1e-3)
    assert changed["T1:A1"]["now"] - changed["T1:A1"]["approved"] == pytest.approx(20 / 3 + 5 / 3, abs=1e-3)
    text = run("score", "--quarter", "2026Q3")
    assert "批准后" in text.stdout and c in text.stdout
    assert run("--by", "A1", "score", "reopen", "--quarter", "2026Q3", "--reason", "x").exit_code == 1
    ok("score", "reopen", "--quarter", "2026Q3", "--reason", "补录结案", by="Z")
    reopened = ok("score", "--quarter", "2026Q3")
    l1 = next(m for m in reopened["members"] if m["person"] == "L1")
    assert l1["total"] == pytest.approx(63.0933 + 20 / 3, abs=1e-3)         # 处置率 3/3: 13.3333 → 20
    a1 = next(m for m in reopened["members"] if m["person"] == "A1")
    assert a1["total"] == pytest.approx(54.8333 + 20 / 3 + 5 / 3, abs=1e-3)  # and one publicity item: 1/3 × 5
    assert reopened["approval"] is None
    assert run("verify").exit_code == 0


def test_approvers_from_the_config(quarter, tmp_path):
    config = tmp_path / "scoring.yaml"
    text = (ROOT / "configs" / "scoring.yaml").read_text(encoding="utf-8").replace("approvers: []", "approvers: [网格长]")
    config.write_text(text, encoding="utf-8")
    refused = run("--by", "Z", "score", "approve", "--quarter", "2026Q3", "--config", config)
    assert refused.exit_code == 1 and "网格长" in refused.stderr
    assert run("--by", "G", "score", "approve", "--quarter", "2026Q3", "--config", config).exit_code == 0


def test_flags_and_their_withdrawal(quarter, tmp_path):
    assert run("score", "flag", "--team", "NOPE", "--quarter", "2026Q3", "--reason", "x").exit_code == 1
    assert run("score", "flag", "--person", "NOPE", "--quarter", "2026Q3", "--reason", "x").exit_code == 1
    assert run("score", "flag", "--quarter", "2026Q3", "--reason", "x").exit_code == 2
    ok("score", "flag", "--team", "T2", "--quarter", "2026Q3", "--reason", "虚报走访户数")
    ok("score", "flag", "--unit", "市交通局", "--quarter", "2026Q3", "--reason", "虚报")
    flagged = ok("score", "--quarter", "2026Q3")
    assert not {a["id"] for a in flagged["awards"]} & {"T2", "T2:L2", "T2:A2", "市交通局"}
    assert {(e["id"], e["reason"]) for e in flagged["exclusions"]} >= {("T2", "flagged"), ("市交通局", "flagged")}
    out = tmp_path / "s.xlsx"
    assert run("score", "--quarter", "2026Q3", "-o", out).exit_code == 0
    notices = list(load_workbook(out)["通报"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[2]) for r in notices] == [("T2", "虚报走访户数"), ("市交通局", "虚报")]
    assert run("score", "unflag", "--team", "T1", "--quarter", "2026Q3", "--reason", "x").exit_code == 1
    ok("score", "unflag", "--team", "T2", "--quarter", "2026Q3", "--reason", "已更正")
    assert "T2" in {a["id"] for a in ok("score", "--quarter", "2026Q3")["awards"]}


def test_unit_view_ranks_on_everyone(quarter):
    whole = ok("score", "--quarter", "2026Q3")
    view = ok("score", "--quarter", "2026Q3", "--unit", "市教体局")
    assert {m["team"] for m in view["members"]} == {"T1", "T3"}
    ranks = {m["id"]: m["rank"] for m in whole["members"]}
    assert all(m["rank"] == ranks[m["id"]] for m in view["members"])
    assert view["awards"] == []            # 市教体局 wins nothing on the whole population's figures
    assert "部分视图" in run("score", "--quarter", "2026Q3", "--unit", "市教体局").stdout


def test_a_long_score_document_is_written_as_it_goes(quarter, monkeypatch):
    """Past `INDENT_BELOW` the members are written one by one (a city's 39k are never held as one
    text): the same compact text json.dumps gives for the whole document; shorter, indented."""
    import json

    from gridctl.cli import common

    small = run("--by", "G", "score", "--quarter", "2026Q3", "--json").stdout
    assert small.startswith("{\n  \"period\"")
    monkeypatch.setattr(common, "INDENT_BELOW", 100)
    big = run("--by", "G", "score", "--quarter", "2026Q3", "--json").stdout
    assert big == json.dumps(json.loads(small), ensure_ascii=False) + "\n"
    assert [m["id"] for m in json.loads(big)["members"]] == ["T1:L1", "T1:A1", "T1:B1", "T2:L2", "T2:A2", "T3:L3",
                                                              "T3:A3"]


def test_workbook_sheets(quarter, tmp_path):
    out = tmp_path / "s.xlsx"
    assert run("score", "--quarter", "2026Q3", "-o", out).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["成员", "工作队", "派出单位", "奖项", "缺项", "通报", "结果运用", "说明"]
    assert all("未经批准 不得外传" in ws["A1"].value for ws in wb.worksheets)
    ws = wb["成员"]
    header = [c.value for c in ws[2]]
    rows = {r[header.index("人员")]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["A2"][header.index("总分")] == 95.57 and rows["B1"][header.index("总分")] is None
    assert rows["B1"][header.index("等次")] == "未评"
    ws = wb["结果运用"]
    assert [c.value for c in ws[2]][3:6] == ["计入本人年度考核", "计入派出单位领导班子和主要领导考核", "计入职能部门考核"]
    use = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}
    assert use["T2:A2"][3] == pytest.approx(95.5667 * 0.5, abs=0.01)            # 50 % of the member's own
    assert use["T2"][4] == pytest.approx(95.2833 * 0.04, abs=0.01)              # 4 % of the unit leadership's
    assert use["T2"][5] == pytest.approx(95.2833 * 0.07, abs=0.01)              # 7 % of a department's
    assert use["市教体局"][6] == "差等次: 原则上不得评为先进单位"
    teams = wb["工作队"]
    header = [c.value for c in teams[2]]
    t1 = next(r for r in teams.iter_rows(min_row=3, values_only=True) if r[0] == "T1")
    assert (t1[header.index("处置率") + 1], t1[header.index("处置率") + 2]) == (2, 3)
    gaps = {(r[0], r[2]) for r in wb["缺项"].iter_rows(min_row=3, values_only=True)}
    assert ("T3", "工作业绩") in gaps and ("T1:B1", "民意测评") in gaps
    notes = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=3, values_only=True)}
    assert notes["考核办法版本"] == "2026.2"


def test_workbook_in_english_and_its_notes_in_words(quarter, tmp_path):
    """`--lang en`: sheet names, headers, grades and the 说明 sheet in English; scoring.yaml said in
    words, not Python reprs (`{'points': 5.0, …}`, `[('好', 90.0), …]`) nor English keys."""
    import re

    out = tmp_path / "s.xlsx"
    assert run("--lang", "en", "score", "--quarter", "2026Q3", "-o", out).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["Members", "Teams", "Dispatching units", "Awards", "Gaps", "Notices",
                             "Use of results", "Notes"]
    assert wb["Notes"]["A1"].value.startswith("Assessment 2026Q3 as of")
    ws = wb["Members"]
    header = [c.value for c in ws[2]]
    rows = {r[header.index("Person")]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    grades = {r[header.index("Grade")] for r in rows.values()}
    assert grades <= {"excellent", "competent", "basically competent", "unfit", "not rated"}, grades
    notes = [(r[0], r[1]) for r in wb["Notes"].iter_rows(min_row=3, values_only=True)]
    said = dict(notes)
    assert said["Grades"] == "good ≥ 90, fairly good ≥ 75, fair ≥ 60, poor ≥ 0"
    assert said["Publicity"].startswith("5 points; 3 items a quarter")
    assert "50%" in said["Use of results"]
    start = [k for k, _ in notes].index("Publicity")          # scoring.yaml from here on
    texts = " ".join(str(v) for _, v in notes[start:])
    assert not re.search(r"[{}\[\]]|\('|\b\d+\.0\b|per_absence|member_share|not_rated", texts), texts
    award_rows = [v for k, v in notes if k in ("Awards", "", None)]
    assert any("fairly good" in v for v in award_rows)
    zh = tmp_path / "z.xlsx"
    run("score", "--quarter", "2026Q3", "-o", zh)
    zh_notes = dict((r[0], r[1]) for r in load_workbook(zh)["说明"].iter_rows(min_row=3, values_only=True))
    assert zh_notes["等次"] == "好 ≥ 90, 较好 ≥ 75, 一般 ≥ 60, 差 ≥ 0"
    assert zh_notes["出勤到位"].startswith("5 分; 无故不在岗每天扣 1 分")


def test_unfit_by_rule_bars_the_year(quarter, tmp_path):
    for day in ("2026-08-03", "2026-08-10", "2026-08-17"):
        ok("attendance", "add", "-p", "A2", "-d", day, "--kind", "督查通报", "--reason", "督查不在岗")
    result = ok("score", "--quarter", "2026Q3")
    a2 = next(m for m in result["members"] if m["person"] == "A2")
    assert a2["grade"] == "不称职" and "notices" in a2["unfit"]
    assert ("T2:A2", "unfit") in {(e["id"], e["reason"]) for e in result["exclusions"]}
    ok("score", "approve", "--quarter", "2026Q3", by="Z")
    q4 = ok("score", "--quarter", "2026Q4")            # Q3's 不称职 still bars Q4
    assert next(m for m in q4["members"] if m["person"] == "A2")["unfit"] == ["2026Q3"]
    year = ok("score", "--year", "2026")
    assert "2026Q3" in next(m for m in year["members"] if m["person"] == "A2")["unfit"]


def test_changed_weight_changes_score_and_version(quarter, tmp_path):
    config = tmp_path / "scoring.yaml"
    text = (ROOT / "configs" / "scoring.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2026.2"', 'version: "2026.2-郑州试行"').replace("  not_rated: prorate", "  not_rated: zero")
    config.write_text(text, encoding="utf-8")
    result = ok("score", "--quarter", "2026Q3", "--config", config)
    assert result["config_version"] == "2026.2-郑州试行"
    assert all(t["total"] is None for t in result["teams"] if t["team"] == "T3")   # no rated item: 未评 under every rule


def test_refusals(quarter, tmp_path):
    assert run("score", "--quarter", "2026Q5").exit_code == 1
    assert run("score").exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "configs" / "scoring.yaml").read_text(encoding="utf-8").replace("min_tier: 较好", "min_tier: 优"),
                   encoding="utf-8")
    result = run("score", "--quarter", "2026Q3", "--config", bad)
    assert result.exit_code == 1 and str(bad) in result.stderr
    for extra in ([], ["-o", tmp_path / "s.xlsx"]):                  # QA: A9 printed scores, exit 0
        result = run("score", "--quarter", "2026Q3", "--paper", "A9", *extra)
        assert result.exit_code == 1 and "A9" in result.stderr and not (tmp_path / "s.xlsx").exists()


def test_performance_rules_for_what_is_not_rated():
    from gridctl.metrics import Rate, performance

    rates = {"discovery": Rate(1, 2), "handling": Rate(0, 0), "on_time_handling": Rate(0, 0),
             "reporting": Rate(3, 4), "satisfaction": Rate(0, 0)}
    assert performance(rates).points == pytest.approx((10 + 15) * 2)               # prorate: 25 of 40 → 50 of 80
    assert performance(rates, rule="full").points == pytest.approx(10 + 15 + 40)
    assert performance(rates, rule="zero").points == pytest.approx(25)
    nothing = {k: Rate(0, 0) for k in rates}
    assert all(performance(nothing, rule=r).points is None for r in ("prorate", "full", "zero"))


def test_satisfaction_item_of_the_seed():
    cfg = load_scoring()
    assert formulas.satisfaction(40, 8, 2, cfg).points == pytest.approx(4.76)
    assert formulas.satisfaction(0, 0, 0, cfg).points is None


def test_grades_and_award_ties():
    cfg = load_scoring()
    assert [formulas.grade(x, cfg["tiers"]) for x in (95, 90, 89.99, 75, 60, 10)] == ["好", "好", "较好", "较好", "一般", "差"]
    assert [formulas.grade(x, cfg["member_tiers"]) for x in (90, 80, 61, 45)] == ["优秀", "称职", "基本称职", "不称职"]
    rows = [{"id": "b", "total": 90, "performance": 70, "conduct": 20}, {"id": "a", "total": 90, "performance": 70, "conduct": 20},
            {"id": "c", "total": 90, "performance": 72, "conduct": 18}, {"id": "d", "total": 95, "performance": 75, "conduct": 20},
            {"id": "e", "total": 80, "performance": 60, "conduct": 20}]
    got = formulas.awards(rows, [("一等奖", 1), ("二等奖", 2), ("三等奖", 1)])
    # d first; c beats a and b on performance; a and b are equal on all three and share 二等奖,
    # taking the last two places (nobody is left for 三等奖), whatever their codes
    assert sorted((a["award"], a["id"]) for a in got) == [("一等奖", "d"), ("二等奖", "a"), ("二等奖", "b"), ("二等奖", "c")]


def test_the_example_city_awards_no_idle_team(loaded):
    result = ok("score", "--quarter", "2026Q4")
    assert result["awards"] == [] and all(t["total"] is None for t in result["teams"])
    assert {g["subject"] for g in result["missing"] if g["item"] == "performance"} == {"T01", "T02", "T03", "T04"}


def test_the_workbook_of_a_changed_approval_says_so(quarter, tmp_path):
    ok("score", "approve", "--quarter", "2026Q3", by="Z")
    c = next(i["id"] for i in ok("issue", "list") if i["title"] == "垃圾三")
    ok("issue", "close", c, "--at", "2026-08-20 09:00")
    out = tmp_path / "s.xlsx"
    assert run("score", "--quarter", "2026Q3", "-o", out).exit_code == 0
    wb = load_workbook(out)
    assert "批准后变动" in wb.sheetnames and "未计入" in wb["成员"]["A1"].value
    assert c in [r[2] for r in wb["批准后变动"].iter_rows(min_row=3, values_only=True)]
    # each subject's figure as approved, then now: the approved row said 已于  由  批准 (a template left empty)
    states = [r[1] for r in wb["批准后变动"].iter_rows(min_row=3, values_only=True) if r[0] and r[1]]
    assert "批准时" in states and "未经批准 不得外传" in states
    assert not any("已于" in s or "由" in s for s in states), states



def test_a_missing_period_or_subject_is_said_as_a_usage_error(quarter):
    """`score` without a period (or with both), and `score flag` without one subject, printed the bare
    words (`需要 --quarter | --year`) with exit 2: no `错误:`, no help hint, nothing on stdout under --json."""
    both = run("score", "--quarter", "2026Q3", "--year", "2026", "--json")
    assert both.exit_code == 2 and "错误: 需要 --quarter | --year" in both.stderr, both.stderr
    assert "gridctl score --help" in both.stderr
    assert both.json()["error"]["code"] == "usage.error"
    flag = run("--lang", "en", "score", "flag", "--quarter", "2026Q3", "--reason", "x")
    assert flag.exit_code == 2 and flag.stderr.startswith("Error: exactly one of --person"), flag.stderr


def test_a_mark_without_a_reason_and_an_approval_of_a_period_not_begun_are_refused(quarter, db):
    """`score flag --reason ''` recorded a 虚报 flag on a member with no fact (已记录 T2 的虚报/谎报: ),
    and so did unflag and reopen, where every other --reason is required; `score approve --quarter
    2027Q1` (a slip for 2026Q1) froze a quarter that had not begun. Both are refused (exit 1,
    nothing recorded), in both languages."""
    from tests.helpers import dump

    ok("score", "approve", "--quarter", "2026Q3", by="Z")
    ok("score", "flag", "--team", "T2", "--quarter", "2026Q3", "--reason", "虚报走访户数")
    before = dump(db)
    for args in (("score", "flag", "--team", "T1", "--quarter", "2026Q3", "--reason", ""),
                 ("score", "flag", "--person", "A1", "--quarter", "2026Q3", "--reason", "  "),
                 ("score", "unflag", "--team", "T2", "--quarter", "2026Q3", "--reason", ""),
                 ("score", "reopen", "--quarter", "2026Q3", "--reason", "")):
        zh = run("--by", "Z", *args)
        assert zh.exit_code == 1 and "需要 --reason" in zh.stderr, (args, zh.stderr)
        en = run("--lang", "en", "--by", "Z", *args)
        assert en.exit_code == 1 and "--reason is required" in en.stderr, (args, en.stderr)
    for period in (("--quarter", "2027Q1"), ("--quarter", "2100Q4"), ("--year", "2027")):
        zh = run("--by", "Z", "score", "approve", *period)
        assert zh.exit_code == 1 and f"{period[1]} 还没有开始" in zh.stderr and "不能批准" in zh.stderr, zh.stderr
        en = run("--lang", "en", "--by", "Z", "score", "approve", *period)
        assert en.exit_code == 1 and f"{period[1]} has not begun" in en.stderr, en.stderr
    assert dump(db) == before


# A large workbook's 成员 and 工作队 rows are rendered by a second process (`Book.apart`) while the
# first writes the other sheets. Forced here on the example: the sheets laid out after 2 rows
# (SAMPLE), apart from any number of members. The workbook is the one written in one process, byte
# for byte, also when that second process fails (the first then writes the whole workbook itself),
# or when no process can be had at all (fork refused: too many processes, no memory), for the
# workbook's rows and the replay alike.
APART_BOOK = """  # .format(apart=..., fail=..., nofork=...)
import errno, os, sys
import gridctl.reports.book as book
import gridctl.scoring.workbook as workbook
book.SAMPLE = workbook.SAMPLE = 2
book.spare_core = lambda: True            # however busy the machine running the tests
workbook.APART_FROM = {apart}
original = book.Book.apart
def apart(self, write, again):
    sys.stderr.write("RENDERED APART\\n")
    original(self, write, again)
book.Book.apart = apart
if {fail}:
    def broken(self, *args):
        raise RuntimeError("the second process fails")
    book.Book._rendered = broken
if {nofork}:
    import gridctl.scoring.service as service
    service.APART_FROM = 0
    def refused():
        raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
    os.fork = refused
from gridctl.cli import main
sys.argv = ["gridctl", *sys.argv[1:]]
main()
"""


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist() if name != "docProps/core.xml"}


def test_a_workbook_rendered_apart_is_the_workbook_rendered_in_one_process(loaded, db, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, GRIDCTL_LANG="zh", GRIDCTL_DB=str(db), TMPDIR=str(scratch))
    books = []
    for apart, fail, nofork in ((10**9, False, False), (0, False, False), (0, True, False), (0, False, True)):
        out = tmp_path / f"{apart}-{fail}-{nofork}.xlsx"
        done = subprocess.run([sys.executable, "-c", APART_BOOK.format(apart=apart, fail=fail, nofork=nofork),
                               "score", "--quarter",
                               "2026Q3", "-o", str(out)], capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert ("RENDERED APART" in done.stderr) == (apart == 0)
        books.append(_parts(out))
    sheets = load_workbook(tmp_path / "0-False-False.xlsx", read_only=True)
    for name in ("成员", "工作队"):                       # more rows than the layout looked at
        assert sum(1 for _ in sheets[name].iter_rows()) > 2 + 2
    assert books[0] == books[1] == books[2] == books[3]
    assert list(scratch.iterdir()) == []                 # no temporary file left by either process


def test_a_period_in_lower_case_is_the_period_in_capitals(quarter, db):
    """Approvals, flags and snapshots are stored and found under the period's text: `2026q3`
    (refused before, as written wrong) and ` 2026Q3 ` (taken before, and stored with its blanks:
    another period to every later lookup) are 2026Q3, in the ledger and on the screen."""
    import sqlite3
    from contextlib import closing

    assert run("score", "--quarter", "2026q3", "--json").stdout == run("score", "--quarter", "2026Q3", "--json").stdout
    approved = ok("score", "approve", "--quarter", "2026q3", by="Z")
    assert approved["period"] == "2026Q3"
    assert ok("score", "--quarter", "2026Q3")["approval"]["event"] == approved["event"]
    twice = run("--by", "Z", "score", "approve", "--quarter", " 2026Q3 ")
    assert twice.exit_code == 1 and "2026Q3" in twice.stderr, twice.stderr
    ok("score", "flag", "--team", "T2", "--quarter", " 2026q3", "--reason", "虚报走访户数")
    unflagged = run("--by", "Z", "score", "unflag", "--team", "T2", "--quarter", "2026Q3", "--reason", "已改正")
    assert unflagged.exit_code == 0, unflagged.stderr
    ok("score", "reopen", "--quarter", "2026q3", "--reason", "重算", by="Z")
    ok("score", "flag", "--person", "A1", "--year", " 2026 ", "--reason", "虚报")
    ok("score", "unflag", "--person", "A1", "--year", "２０２６", "--reason", "已更正")      # full-width digits
    with closing(sqlite3.connect(db)) as conn:
        stored = {p for (p,) in conn.execute("SELECT period FROM score_marks UNION SELECT period FROM score_snapshots")}
        details = [d for (d,) in conn.execute("SELECT details FROM events WHERE action LIKE 'score.%'")]
    assert stored == {"2026Q3", "2026"}
    assert details and not any("2026q3" in d or " 2026" in d for d in details), details
    said = run("score", "--quarter", "2026q5")
    assert said.exit_code == 1 and "没有这个季度: “2026q5”" in said.stderr, said.stderr
    assert "a period is written 2026Q4" in run("--lang", "en", "score", "--quarter", "2026x3").stderr


def test_events_changed_since_an_approval_say_their_action_in_words(quarter, db, tmp_path):
    """The events recorded after an approval were listed with their action as its code (`close`,
    `publicity.add`), on the Chinese screen and in the workbook's changed sheet; so were the
    events verify names (`(seq 2, …, escalate)`). Said now in words, in both languages."""
    import sqlite3
    from contextlib import closing

    from openpyxl import load_workbook

    ok("score", "approve", "--quarter", "2026Q3", by="Z")
    c = next(i["id"] for i in ok("issue", "list") if i["title"] == "垃圾三")
    ok("issue", "close", c, "--at", "2026-08-20 09:00")
    ok("publicity", "add", "-p", "A1", "-d", "2026-08-21", "--kind", "工作动态", "--title", "补录")
    zh = run("score", "--quarter", "2026Q3").stdout
    assert "结案" in zh and "宣传报道登记" in zh and "publicity.add" not in zh and " close " not in zh, zh
    en = run("--lang", "en", "score", "--quarter", "2026Q3").stdout
    assert "publicity item recorded" in en and "publicity.add" not in en, en
    assert run("score", "--quarter", "2026Q3", "-o", tmp_path / "s.xlsx").exit_code == 0
    cells = {str(c) for ws in load_workbook(tmp_path / "s.xlsx").worksheets for row in ws.iter_rows(values_only=True)
             for c in row if c is not None}
    assert {"结案", "宣传报道登记", "事件序号", "问题或记录"} <= cells and "publicity.add" not in cells   # under their own heads
    assert not any("T" in c and c[:2] == "20" and " / " in c for c in cells)        # 2026-… / 2026-11-27 07:51:31
    with closing(sqlite3.connect(db)) as conn:
        n, action = conn.execute("SELECT n, action FROM events WHERE action = 'publicity.add'").fetchone()
        conn.execute("UPDATE events SET note = 'x' WHERE n = ? AND action = ?", (n, action))
        conn.commit()
    said = run("verify")
    assert said.exit_code == 1 and "宣传报道登记) 被改动过" in said.stderr and "publicity.add" not in said.stderr, said.stderr
    assert "publicity item recorded) was edited" in run("--lang", "en", "verify").stderr
    assert run("verify", "--json").json()["break"]["action"] == "publicity.add"      # a program's code


def test_a_flag_s_subject_of_blanks_is_none_given(quarter):
    """`score flag --person " "` looked up a person named " " (人员   不存在, exit 1) where no subject
    was given, and `--team " T2 "` (pasted with its blanks) was no team. A blank subject is none
    given (需要 --person、--team、--unit 之一, as without one); blanks around a code are not part of it."""
    blank = run("score", "flag", "--person", " ", "--quarter", "2026Q3", "--reason", "x")
    assert blank.exit_code == 2 and "需要 --person、--team、--unit 之一" in blank.stderr, blank.stderr
    assert "不存在" not in blank.stderr
    ok("score", "flag", "--team", " T2 ", "--quarter", "2026Q3", "--reason", "虚报走访户数")
    assert ("T2", "flagged") in {(e["id"], e["reason"]) for e in ok("score", "--quarter", "2026Q3")["exclusions"]}
    ok("score", "unflag", "--team", "T2\t", "--quarter", "2026Q3", "--reason", "已更正")


def test_a_score_of_a_period_not_begun_is_refused(quarter, tmp_path):
    """`score --quarter 2027Q1` (a slip for 2026Q1) printed `2027Q1 考核结果 截至 <now>`, every team
    未评 (无可计数的问题), a draft of a quarter as of a day before it began, and wrote it to a workbook
    with -o; `explain` likewise. Refused now as a report of a week or month not begun is (approve
    was already), in both languages, no file written; the quarter under way is scored as before."""
    for args in (("--quarter", "2027Q1"), ("--year", "2027"), ("--quarter", "2027Q1", "-o", tmp_path / "s.xlsx"),
                 ("explain", "--person", "A1", "--quarter", "2027Q1")):
        words = args[-1] if args[0] == "explain" else args[1]
        zh = run("score", *args)
        assert zh.exit_code == 1 and f"{words} 还没有开始" in zh.stderr and "是年份或季度写错了吗" in zh.stderr, zh.stderr
        en = run("--lang", "en", "score", *args)
        assert en.exit_code == 1 and f"{words} has not begun" in en.stderr, en.stderr
    assert not (tmp_path / "s.xlsx").exists()
    assert run("score", "--quarter", "2026Q3").exit_code == 0
